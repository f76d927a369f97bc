package dev.berth.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The public Kafka contract's JSON Schemas (README, "The contract"): {@code GET /schemas/}
 * lists them, {@code GET /schemas/<name>.schema.json} answers one, byte for byte as the
 * repository keeps it under {@code src/main/resources/schemas/}. Plain Vert.x routes, which
 * {@code dev.berth.app.ApiRoutes} adds where the scheduler role runs, as {@link EcsEndpoint}.
 */
public final class SchemaEndpoint {

    /** The schemas served: berth.requests, berth.responses and berth.events. */
    public static final List<String> SCHEMAS = List.of("request.schema.json", "response.schema.json",
            "event.schema.json");
    private static final String SCHEMA_JSON = "application/schema+json";

    private SchemaEndpoint() {
    }

    /** {@code GET /schemas} and {@code GET /schemas/}. */
    public static void list(RoutingContext context) {
        StringBuilder json = new StringBuilder("{\"schemas\":[");
        for (int i = 0; i < SCHEMAS.size(); i++) {
            json.append(i == 0 ? "" : ",").append("\"/schemas/").append(SCHEMAS.get(i)).append('"');
        }
        context.response().putHeader("Content-Type", "application/json").end(json.append("]}").toString());
    }

    /** {@code GET /schemas/<name>}. */
    public static void schema(RoutingContext context) {
        String name = context.pathParam("name");
        if (!SCHEMAS.contains(name)) {
            context.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                    .end("{\"message\":\"No schema " + name.replaceAll("[^A-Za-z0-9._-]", "?") + "; GET /schemas/ "
                            + "lists them.\"}");
            return;
        }
        try (InputStream in = SchemaEndpoint.class.getResourceAsStream("/schemas/" + name)) {
            if (in == null) {
                throw new IllegalStateException("schemas/" + name + " is missing from the build");
            }
            context.response().putHeader("Content-Type", SCHEMA_JSON)
                    .end(Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
