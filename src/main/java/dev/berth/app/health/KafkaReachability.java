package dev.berth.app.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

/**
 * Readiness: Kafka answers. A probe never waits for Kafka: it answers with the last
 * observation and, when that is older than {@link #FRESH_FOR}, asks Kafka again in the
 * background (an Admin {@code describeCluster} bounded by {@link #TIMEOUT}). One question
 * is in flight at a time, however often the probes come.
 */
final class KafkaReachability implements HealthCheck, AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(KafkaReachability.class);
    /** How long an answer stands: probes every few seconds must not each cost a request. */
    static final Duration FRESH_FOR = Duration.ofSeconds(5);
    /** Longer than a healthy round trip, shorter than a probe's own timeout (Kubernetes: 1s+). */
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final String name;
    private final Supplier<Optional<Admin>> admins;
    private final Clock clock;
    private final AtomicBoolean asking = new AtomicBoolean();
    private volatile Observation last;
    private Admin admin;
    private boolean closed;

    private record Observation(boolean reachable, String detail, Instant at) {
    }

    /** @param admins makes the admin client, empty while there is nothing to reach yet */
    KafkaReachability(String name, Supplier<Optional<Admin>> admins, Clock clock) {
        this.name = name;
        this.admins = admins;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        Observation seen = last;
        if (seen == null || seen.at().plus(FRESH_FOR).isBefore(clock.instant())) {
            ask();
            seen = last;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        if (seen == null) {
            data.put("kafka", "not asked yet");
            return new HealthCheckResponse(name, HealthCheckResponse.Status.DOWN, Optional.of(data));
        }
        data.put(seen.reachable() ? "clusterId" : "error", seen.detail());
        data.put("checkedAt", seen.at().toString());
        return new HealthCheckResponse(name,
                seen.reachable() ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN, Optional.of(data));
    }

    /** Asks Kafka in the background unless a question is already in flight. */
    void ask() {
        if (!asking.compareAndSet(false, true)) {
            return;
        }
        try {
            Optional<Admin> client = admin();
            if (client.isEmpty()) {
                observe(false, "not running");
                return;
            }
            client.get().describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .clusterId()
                    .whenComplete((id, error) -> observe(error == null, error == null ? id : describe(error)));
        } catch (RuntimeException e) {
            observe(false, describe(e));
        }
    }

    private void observe(boolean reachable, String detail) {
        Observation previous = last;
        last = new Observation(reachable, detail, clock.instant());
        if ((previous == null || previous.reachable()) && !reachable) {
            LOGGER.warnf("Health: %s cannot be reached (%s); not ready", name, detail);
        } else if (previous != null && !previous.reachable() && reachable) {
            LOGGER.infof("Health: %s answers again; ready", name);
        }
        asking.set(false);
    }

    private synchronized Optional<Admin> admin() {
        if (admin == null && !closed) {
            admin = admins.get().orElse(null);
        }
        return Optional.ofNullable(admin);
    }

    private static String describe(Throwable error) {
        Throwable cause = error.getCause() != null && error.getMessage() == null ? error.getCause() : error;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
