package dev.berth.app;

import dev.berth.api.ApiAuthentication;
import dev.berth.api.EcsEndpoint;
import dev.berth.api.SchemaEndpoint;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Puts the scheduler's HTTP routes on the main router (port 8080): the ECS JSON API and the
 * public schemas, and only where the scheduler role runs, after {@link ApiAuthentication} has
 * said whether the API is open (and refused an open one off loopback). An agent-only process
 * answers 404 there, and never creates the API's beans nor loads a REST framework
 * (src/docs/agent-benchmark-history.md, "Classes the agent role no longer loads").
 *
 * <p>On SIGTERM the API stops taking writes at once ({@link EcsEndpoint#stopTakingWrites}, from a
 * JVM shutdown hook, which runs beside Quarkus's own and so before it waits for the calls in
 * hand), while Quarkus answers those calls before it closes the server.
 */
@ApplicationScoped
public class ApiRoutes {

    private Thread stopHook;

    void routes(@Observes Router router, BerthConfig config, Instance<ApiAuthentication> authentication,
            Instance<EcsEndpoint> ecs, @ConfigProperty(name = "quarkus.http.host") String host) {
        if (!config.roles().contains(Role.scheduler)) {
            return;
        }
        authentication.get().announce(host);
        EcsEndpoint endpoint = ecs.get();
        stopHook = new Thread(endpoint::stopTakingWrites, "berth-api-stopping");
        Runtime.getRuntime().addShutdownHook(stopHook);
        // A route of its own, before the body is read (Vert.x reads the body before any other handler of a route).
        router.post("/").handler(endpoint::refuseFormBodies);
        router.post("/").handler(BodyHandler.create(false).setBodyLimit(EcsEndpoint.MAX_BODY_BYTES))
                // Not ordered: calls from many clients run at once on the worker threads.
                .blockingHandler(endpoint::call, false)
                // Whatever fails before an answer (a body too large) is answered as an ECS error too.
                .failureHandler(endpoint::failed);
        router.route("/").handler(endpoint::refuseMethod);
        router.get("/schemas").handler(SchemaEndpoint::list);
        router.get("/schemas/").handler(SchemaEndpoint::list);
        router.get("/schemas/:name").handler(SchemaEndpoint::schema);
    }

    /** An application stopped without its JVM (a test's) leaves no hook that holds its beans. */
    void stopped(@Observes ShutdownEvent event) {
        if (stopHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopHook);
            } catch (IllegalStateException jvmStopping) {
                // The JVM is stopping: the hook has run or runs now.
            }
            stopHook = null;
        }
    }
}
