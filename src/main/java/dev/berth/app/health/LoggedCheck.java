package dev.berth.app.health;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.jboss.logging.Logger;

/**
 * A health check that logs its changes, once each: when a probe finds it DOWN, or DOWN for
 * another reason than the probe before (numbers aside), and when it is UP again. SmallRye Health itself would
 * log every probe that answers DOWN, with the whole response, at INFO (a probe every 10 s is
 * 8,640 lines a day for an agent waiting for its cluster); application.properties keeps that
 * to WARN.
 */
final class LoggedCheck implements HealthCheck {

    private static final Logger LOGGER = Logger.getLogger(LoggedCheck.class);

    /** Which probe the check answers: a DOWN liveness check restarts the process, so it warns. */
    enum Probe {
        LIVENESS, READINESS
    }

    private final Probe probe;
    private final HealthCheck check;
    /** What the probe before saw; null before the first. */
    private HealthCheckResponse last;

    LoggedCheck(Probe probe, HealthCheck check) {
        this.probe = probe;
        this.check = check;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse now = check.call();
        Optional<String> change;
        synchronized (this) {
            change = change(probe, last, now);
            last = now;
        }
        change.ifPresent(line -> {
            if (probe == Probe.LIVENESS && now.getStatus() == Status.DOWN) {
                LOGGER.warn(line);
            } else {
                LOGGER.info(line);
            }
        });
        return now;
    }

    /**
     * What a DOWN check says, but for its numbers: "stalled: last turned 31s ago" is the same
     * reason a probe later, at 41s.
     */
    private static String reason(HealthCheckResponse response) {
        return String.valueOf(response.getData().orElse(Map.of())).replaceAll("\\d+", "#");
    }

    /** The line to log for {@code now} after {@code before} (null: none yet); empty when nothing changed. */
    static Optional<String> change(Probe probe, HealthCheckResponse before, HealthCheckResponse now) {
        String what = probe.name().toLowerCase();
        if (now.getStatus() == Status.UP) {
            return before != null && before.getStatus() == Status.DOWN
                    ? Optional.of(String.format("Health: %s is UP again (%s)", now.getName(), what))
                    : Optional.empty();
        }
        Map<String, Object> data = now.getData().orElse(Map.of());
        if (before != null && before.getStatus() == Status.DOWN && reason(before).equals(reason(now))) {
            return Optional.empty();
        }
        return Optional.of(String.format("Health: %s is DOWN (%s)%s", now.getName(), what, data.isEmpty() ? ""
                : data.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", ", ": ", ""))));
    }
}
