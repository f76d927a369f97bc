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
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Serves the {@link IntrospectionApi} over HTTP on 127.0.0.1, with the JDK's own server: it
 * runs only while the agent role runs and never on another address. One thread is plenty
 * for a local, read-only API.
 */
public final class IntrospectionServer implements AutoCloseable {

    /** The ECS agent's introspection port. */
    public static final int ECS_PORT = 51678;
    /** The port value that turns introspection off. */
    public static final int OFF = -1;
    private static final Logger LOGGER = Logger.getLogger(IntrospectionServer.class);
    private static final String LOOPBACK = "127.0.0.1";

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
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 0);
        } catch (IOException | IllegalArgumentException e) {
            LOGGER.warnf("Agent introspection cannot listen on %s:%d (%s); the agent runs without it", LOOPBACK, port,
                    e.getMessage());
            return Optional.empty();
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "berth-agent-introspection");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(api, exchange));
        server.start();
        IntrospectionServer started = new IntrospectionServer(server, executor);
        LOGGER.infof("Agent introspection on http://%s:%d%s and %s", LOOPBACK, started.port(),
                IntrospectionApi.METADATA, IntrospectionApi.TASKS);
        return Optional.of(started);
    }

    private static void serve(IntrospectionApi api, HttpExchange exchange) throws IOException {
        try (exchange) {
            IntrospectionApi.Reply reply;
            try {
                reply = api.answer(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawQuery());
            } catch (RuntimeException e) {
                LOGGER.warnf(e, "Agent introspection could not answer %s", exchange.getRequestURI());
                reply = new IntrospectionApi.Reply(500, "{\"Error\":\"internal error\"}");
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
