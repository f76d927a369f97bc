package dev.berth.agent.introspection;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Serves a read-only {@link JsonApi} over HTTP with the JDK's own server, while the agent
 * role runs: the {@link IntrospectionApi} on 127.0.0.1 only, with one thread (plenty for a
 * local API), and the {@link TaskMetadataApi} on the address containers reach. The threads
 * are bounded and so is the queue in front of them; beyond it the server's own thread answers
 * (callers wait), so a flood of requests never adds threads.
 */
public final class IntrospectionServer implements AutoCloseable {

    /** The ECS agent's introspection port. */
    public static final int ECS_PORT = 51678;
    /** The port value that turns introspection off. */
    public static final int OFF = -1;
    private static final Logger LOGGER = Logger.getLogger(IntrospectionServer.class);
    private static final String LOOPBACK = "127.0.0.1";
    /** Requests that may wait for a thread before the accepting thread serves them itself. */
    private static final int QUEUE_BOUND = 64;
    /**
     * The longest a caller may take to send its request, and the longest an answer may take:
     * the JDK's server reads a request on a pool thread and has no limit by default, so a
     * caller that never finished its request (a container that opens a few connections and
     * sends a byte on each) would hold the threads, and then the accepting thread, for ever:
     * the ECS agent gives its endpoints 5 s. Read once, when the JDK's server is first made.
     */
    static final java.time.Duration MAX_REQUEST_TIME = java.time.Duration.ofSeconds(5);
    static final java.time.Duration MAX_RESPONSE_TIME = java.time.Duration.ofSeconds(60);

    static {
        setIfAbsent("sun.net.httpserver.maxReqTime", MAX_REQUEST_TIME.toSeconds());
        setIfAbsent("sun.net.httpserver.maxRspTime", MAX_RESPONSE_TIME.toSeconds());
    }

    private static void setIfAbsent(String property, long seconds) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Long.toString(seconds));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private IntrospectionServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving on {@code 127.0.0.1:port} (0 picks a free port). When the port cannot
     * be bound, logs one WARN line and returns empty: the agent runs on without
     * introspection.
     */
    public static Optional<IntrospectionServer> start(int port, IntrospectionApi api) {
        if (port == OFF) {
            LOGGER.info("Agent introspection is off (berth.agent.introspection-port=-1)");
            return Optional.empty();
        }
        Optional<IntrospectionServer> started = start("Agent introspection", LOOPBACK, port, api, 1);
        started.ifPresent(s -> LOGGER.infof("Agent introspection on http://%s:%d%s and %s", LOOPBACK, s.port(),
                IntrospectionApi.METADATA, IntrospectionApi.TASKS));
        return started;
    }

    /**
     * Starts serving {@code api} on {@code address:port} with at most {@code threads} threads.
     * When the port cannot be bound, logs one WARN line naming {@code what} and returns empty:
     * the agent runs on without it.
     */
    public static Optional<IntrospectionServer> start(String what, String address, int port, JsonApi api,
            int threads) {
        return start(what, address, port, api, threads, null);
    }

    /** The same, each caller's address held to {@code rate} (null: no limit); beyond it a caller gets 429. */
    public static Optional<IntrospectionServer> start(String what, String address, int port, JsonApi api,
            int threads, CallerRate rate) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 0);
        } catch (IOException | IllegalArgumentException e) {
            LOGGER.warnf("%s cannot listen on %s:%d (%s); the agent runs without it", what, address, port,
                    e.getMessage());
            return Optional.empty();
        }
        ExecutorService executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_BOUND), r -> {
                    Thread thread = new Thread(r, "berth-" + what.toLowerCase(Locale.ROOT).replace(' ', '-'));
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(api, rate, exchange));
        server.start();
        return Optional.of(new IntrospectionServer(server, executor));
    }

    private static void serve(JsonApi api, CallerRate rate, HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonApi.Reply reply;
            try {
                reply = rate != null && !rate.allow(exchange.getRemoteAddress().getAddress())
                        ? new JsonApi.Reply(429, rate.refusal())
                        : api.answer(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                                exchange.getRequestURI().getRawQuery());
            } catch (RuntimeException e) {
                LOGGER.warnf(e, "Agent introspection could not answer %s", exchange.getRequestURI());
                reply = new JsonApi.Reply(500, "{\"Error\":\"internal error\"}");
            }
            byte[] body = reply.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(reply.status(), head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** The port actually bound (the chosen one when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
