package dev.berth.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The public Kafka contract's JSON Schemas (README, "The contract"): {@code GET /schemas/}
 * lists them, {@code GET /schemas/<name>.schema.json} answers one, byte for byte as the
 * repository keeps it under {@code src/main/resources/schemas/}.
 */
@Path("/schemas")
public class SchemaEndpoint {

    /** The schemas served: berth.requests, berth.responses and berth.events. */
    public static final List<String> SCHEMAS = List.of("request.schema.json", "response.schema.json",
            "event.schema.json");
    private static final String SCHEMA_JSON = "application/schema+json";

    @GET
    public Response list() {
        StringBuilder json = new StringBuilder("{\"schemas\":[");
        for (int i = 0; i < SCHEMAS.size(); i++) {
            json.append(i == 0 ? "" : ",").append("\"/schemas/").append(SCHEMAS.get(i)).append('"');
        }
        return Response.ok(json.append("]}").toString(), "application/json").build();
    }

    @GET
    @Path("/{name}")
    public Response schema(@PathParam("name") String name) {
        if (!SCHEMAS.contains(name)) {
            return Response.status(404).type("application/json")
                    .entity("{\"message\":\"No schema " + name.replaceAll("[^A-Za-z0-9._-]", "?") + "; GET /schemas/ "
                            + "lists them.\"}").build();
        }
        try (InputStream in = SchemaEndpoint.class.getResourceAsStream("/schemas/" + name)) {
            if (in == null) {
                throw new IllegalStateException("schemas/" + name + " is missing from the build");
            }
            return Response.ok(in.readAllBytes(), SCHEMA_JSON).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
