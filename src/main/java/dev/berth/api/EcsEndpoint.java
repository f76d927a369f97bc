package dev.berth.api;

import dev.berth.api.auth.AuthRejection;
import dev.berth.api.auth.ReceivedRequest;
import dev.berth.scheduler.SchedulerRole;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ECS JSON 1.1 API: {@code POST /} with {@code X-Amz-Target:
 * AmazonEC2ContainerServiceV20141113.<Operation>}. Any content type is accepted (the SDKs
 * send {@code application/x-amz-json-1.1}); the body is parsed by the dispatcher so that
 * malformed JSON becomes an ECS error, not a framework one. A plain Vert.x route, which
 * {@code dev.berth.app.ApiRoutes} adds only where the scheduler role runs, on a worker thread:
 * calls wait for Kafka's acknowledgement. (Not a Jakarta REST resource: the REST framework
 * would be loaded and set up in every process, the agent's too, for this one route.)
 *
 * <p>The body is taken as the bytes received, and the path, query and headers from the
 * Vert.x request as received: a SigV4 signature covers exactly those. Every answer carries a
 * {@code Date} header, as AWS's do, so an SDK whose clock is off can correct it after a
 * "Signature expired" refusal.
 *
 * <p>A write ({@link EcsAction#isWrite()}) that reaches a replica which does not lead goes
 * to the leader through {@link LeaderForwarder}, so any replica behind a load balancer
 * answers any call.
 *
 * <p>Once the process is asked to stop ({@link #stopTakingWrites}), a new write is refused with a
 * retryable {@code ServerException} that is sure nothing changed, while the calls in hand are
 * answered before the HTTP server closes ({@code quarkus.shutdown.timeout}): a write made and
 * never answered would look failed to its caller, whose SDK sends it again. Reads are still
 * answered.
 */
@ApplicationScoped
public class EcsEndpoint {

    public static final String AMZ_JSON = "application/x-amz-json-1.1";
    /** RFC 9110's IMF-fixdate, two-digit day included (RFC 1123's formatter writes "Tue, 3 Jun"). */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            java.util.Locale.US);
    /**
     * The largest ECS request body taken, as Quarkus's {@code quarkus.http.limits.max-body-size}
     * default; a larger one is refused with 413. The largest ECS requests (a task definition of
     * ten containers with their environments) are some tens of KiB.
     */
    public static final long MAX_BODY_BYTES = 10_240L * 1024;
    private static final org.jboss.logging.Logger LOGGER = org.jboss.logging.Logger.getLogger(EcsEndpoint.class);

    private final EcsDispatcher dispatcher;
    private final ApiAuthentication authentication;
    private final SchedulerRole scheduler;
    private final LeaderForwarder forwarder;
    private volatile boolean stopping;

    @Inject
    public EcsEndpoint(@Any Instance<EcsAction<?>> actions, ApiAuthentication authentication,
            SchedulerRole scheduler, LeaderForwarder forwarder) {
        this.dispatcher = new EcsDispatcher(actions);
        this.authentication = authentication;
        this.scheduler = scheduler;
        this.forwarder = forwarder;
    }

    /** From now on a new write is refused: this process is stopping. */
    public void stopTakingWrites() {
        stopping = true;
    }

    /** Answers one call; its body was read in full before. */
    public void call(RoutingContext context) {
        Buffer buffer = context.body().buffer();
        EcsDispatcher.Reply reply = call(context.request(), buffer == null ? new byte[0] : buffer.getBytes());
        context.response().setStatusCode(reply.status()).putHeader("Content-Type", AMZ_JSON)
                .putHeader("Date", HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .end(Buffer.buffer(reply.json()));
    }

    /**
     * Answers a request refused before {@link #call}, in the API's own shape: an ECS error, as
     * JSON, never the HTTP server's empty or HTML page.
     */
    public void refuse(RoutingContext context, int status, String type, String message) {
        if (context.response().ended()) {
            return;
        }
        EcsDispatcher.Reply reply = dispatcher.error(status, type, message);
        context.response().setStatusCode(reply.status()).putHeader("Content-Type", AMZ_JSON)
                .putHeader("Date", HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .end(Buffer.buffer(reply.json()));
    }

    /**
     * Before the body is read: a form or multipart body would be decoded as form fields (and
     * a multipart one dropped), so it is refused by name rather than read as something else.
     */
    public void refuseFormBodies(RoutingContext context) {
        String type = context.request().getHeader("Content-Type");
        String lower = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT).strip();
        if (lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/")) {
            refuse(context, 400, "SerializationException", "Content-Type " + type + " is not taken: send the "
                    + "request's JSON body as " + AMZ_JSON + ", as the AWS SDKs and CLI do.");
            return;
        }
        context.next();
    }

    /** Anything but POST on the API's path. */
    public void refuseMethod(RoutingContext context) {
        refuse(context, 405, "UnknownOperationException", "The ECS API answers POST / with an X-Amz-Target header ("
                + EcsDispatcher.TARGET_PREFIX + "<Operation>) and a JSON body, not " + context.request().method()
                + ".");
    }

    /** The API route's failure: a body too large or unreadable, or an error no handler answered. */
    public void failed(RoutingContext context) {
        int status = context.statusCode();
        if (status == 413) {
            refuse(context, 413, "ClientException", "The request body is larger than the "
                    + MAX_BODY_BYTES / (1024 * 1024) + " MiB the ECS API takes.");
        } else if (status >= 400 && status < 500) {
            refuse(context, status, "SerializationException", "The request could not be read (HTTP " + status + ").");
        } else {
            Throwable failure = context.failure();
            LOGGER.warnf("An ECS API call failed before it was answered: %s",
                    failure == null ? "status " + status : failure.toString());
            refuse(context, 500, "ServerException", "Berth failed to take the request; see the scheduler log. If it "
                    + "was a write, it may have acted.");
        }
    }

    private EcsDispatcher.Reply call(HttpServerRequest http, byte[] body) {
        ReceivedRequest received = received(http, body);
        Optional<AuthRejection> rejection = authentication.check(received);
        String caller = Caller.accessKeyIdOf(received).orElse(null);
        return rejection
                .map(r -> dispatcher.error(r.type().httpStatus(), r.type().name(), r.message()))
                .orElseGet(() -> Caller.within(caller, () -> answer(http, body)));
    }

    /** Reads and the leader's writes are answered here; another replica's writes go to the leader. */
    private EcsDispatcher.Reply answer(HttpServerRequest http, byte[] body) {
        String target = http.getHeader("X-Amz-Target");
        if (stopping && dispatcher.isWrite(target)) {
            return dispatcher.error(503, "ServerException", "This scheduler is stopping; nothing was changed. "
                    + "Retry shortly.");
        }
        if (dispatcher.isWrite(target) && scheduler.leader() instanceof SchedulerRole.Leader.There there) {
            if (http.getHeader(LeaderForwarder.FORWARDED_BY) != null) {
                return dispatcher.error(503, "ServerException", "The scheduler leadership moved while this write was "
                        + "forwarded; nothing was changed. Retry shortly.");
            }
            return forwarder.forward(there.apiUrl(), scheduler.replicaId(), http, body, dispatcher);
        }
        return dispatcher.dispatch(target, body);
    }

    private static ReceivedRequest received(HttpServerRequest http, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : http.headers().names()) {
            headers.put(name, http.headers().getAll(name));
        }
        return new ReceivedRequest(http.method().name(), http.path(), http.query(), headers, body);
    }
}
