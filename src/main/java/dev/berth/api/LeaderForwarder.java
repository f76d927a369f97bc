package dev.berth.api;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Sends a write that reached a scheduler replica which does not lead to the replica that
 * does, and hands back its answer. The call goes on unchanged, its {@code Host} header and
 * signature included, so the leader checks the caller's SigV4 signature itself; a header
 * marks it forwarded, and a forwarded call is never forwarded again.
 */
@ApplicationScoped
public class LeaderForwarder {

    /** Marks a forwarded call, with the id of the replica that forwarded it. */
    public static final String FORWARDED_BY = "X-Berth-Forwarded-By";

    private static final Logger LOGGER = Logger.getLogger(LeaderForwarder.class);
    /** Longer than a write may take on the leader (Kafka's send timeout and a take-over). */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "upgrade", "proxy-authorization", "proxy-connection", "trailer", "expect");

    private final HttpClient client;

    @Inject
    public LeaderForwarder(Vertx vertx) {
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(5_000)
                .setKeepAlive(true)
                .setMaxPoolSize(64));
    }

    /**
     * Forwards the call and waits for the leader's answer. A leader that cannot be reached
     * gives a retryable {@code ServerException}; it may have acted if the connection broke
     * after it received the call, and the message says so.
     */
    public EcsDispatcher.Reply forward(String leaderUrl, String replicaId, HttpServerRequest http, byte[] body,
            EcsDispatcher dispatcher) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (String name : http.headers().names()) {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                headers.add(name, http.headers().getAll(name));
            }
        }
        headers.set(FORWARDED_BY, replicaId);
        RequestOptions options;
        try {
            options = new RequestOptions().setMethod(HttpMethod.POST)
                    .setAbsoluteURI(target(leaderUrl, http.path(), http.query())).setHeaders(headers)
                    .setTimeout(TIMEOUT.toMillis());
        } catch (RuntimeException e) {
            LOGGER.warnf("Cannot forward a write to the leader at %s: %s", leaderUrl, e.getMessage());
            return dispatcher.error(503, "ServerException", "This scheduler replica does not lead, and the leader's "
                    + "advertised URL " + leaderUrl + " cannot be called (" + e.getMessage() + "); nothing was sent "
                    + "to it. Retry shortly.");
        }
        try {
            return client.request(options)
                    .compose(request -> request.send(Buffer.buffer(body)))
                    .compose(response -> response.body()
                            .map(answer -> new EcsDispatcher.Reply(response.statusCode(), answer.getBytes())))
                    .toCompletionStage().toCompletableFuture()
                    .get(TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            String why = e instanceof ExecutionException && e.getCause() != null ? e.getCause().getMessage()
                    : "no answer within " + TIMEOUT.toSeconds() + "s";
            LOGGER.warnf("Cannot forward a write to the leader at %s: %s", leaderUrl, why);
            return dispatcher.error(503, "ServerException", "This scheduler replica does not lead and cannot reach "
                    + "the leader at " + leaderUrl + " (" + why + "); if the call reached it, it may have acted. "
                    + "Retry shortly: a leader is elected within the session timeout.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return dispatcher.error(503, "ServerException", "Interrupted while forwarding the write to the leader.");
        } catch (RuntimeException e) {
            LOGGER.warnf("Cannot forward a write to the leader at %s: %s", leaderUrl, e.getMessage());
            return dispatcher.error(503, "ServerException", "This scheduler replica does not lead and could not "
                    + "forward the write to the leader at " + leaderUrl + " (" + e.getMessage() + "); if the call "
                    + "reached it, it may have acted. Retry shortly.");
        }
    }

    /**
     * The leader's URL for the caller's path and query: the path as the caller sent it (and
     * signed it), whatever the leader's advertised URL ends with.
     */
    static String target(String leaderUrl, String path, String query) {
        String base = leaderUrl;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
    }
}
