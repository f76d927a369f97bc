package dev.berth.agent;

import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;
import org.jboss.logging.Logger;

/**
 * The floors the ECS agent puts under three of its durations, applied as it applies them, so
 * that a zero or negative value is never taken as it is (a zero start timeout would fail every
 * start; a zero stop timeout would SIGKILL at once). Zero means the default, as in the ECS
 * agent, where a zero duration is an unset one; a value under the floor is raised:
 *
 * <pre>
 * setting                                floor  below it   zero
 * ECS_CONTAINER_STOP_TIMEOUT             1s     1s         30s  (parse.go parseDockerStopTimeout)
 * ECS_CONTAINER_START_TIMEOUT            45s    45s        3m   (parse.go, config_unix.go)
 * ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION  1s     3h         3h   (config.go validateAndOverrideBounds)
 * </pre>
 *
 * Each value replaced is a WARN naming the setting. The durations are read as
 * {@link EcsDurationConverter} reads them.
 */
public record EcsDurationFloor(String setting, Duration floor, Duration belowFloor, Duration whenZero) {

    private static final Logger LOGGER = Logger.getLogger(EcsDurationFloor.class);
    private static final EcsDurationFloor STOP_TIMEOUT = new EcsDurationFloor(
            "ECS_CONTAINER_STOP_TIMEOUT (berth.agent.stop-timeout)", Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(30));
    /** The Linux floor and default. */
    private static final EcsDurationFloor START_TIMEOUT = new EcsDurationFloor(
            "ECS_CONTAINER_START_TIMEOUT (berth.agent.container-start-timeout)", Duration.ofSeconds(45),
            Duration.ofSeconds(45), Duration.ofMinutes(3));
    private static final EcsDurationFloor TASK_CLEANUP_WAIT = new EcsDurationFloor(
            "ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION (berth.agent.task-cleanup-wait)", Duration.ofSeconds(1),
            Duration.ofHours(3), Duration.ofHours(3));

    /** The duration {@code value} names, raised to the floor or the default where the ECS agent raises it. */
    Duration apply(String value) {
        Duration duration = EcsDurationConverter.parse(value);
        if (duration == null || duration.compareTo(floor) >= 0) {
            return duration;
        }
        if (duration.isZero()) {
            LOGGER.warnf("%s is %s, which means the default: taking %s", setting, value.strip(), describe(whenZero));
            return whenZero;
        }
        LOGGER.warnf("%s is %s, below the ECS agent's minimum of %s: taking %s%s", setting, value.strip(),
                describe(floor), belowFloor.equals(whenZero) ? "the default, " : "", describe(belowFloor));
        return belowFloor;
    }

    /** Whole hours, minutes or seconds as Go writes them short ({@code 3h}, {@code 45s}), else milliseconds. */
    private static String describe(Duration duration) {
        long seconds = duration.toSeconds();
        if (!duration.equals(Duration.ofSeconds(seconds))) {
            return duration.toMillis() + "ms";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    /** The converter of {@code berth.agent.stop-timeout}. */
    public static final class StopTimeout implements Converter<Duration> {
        @Override
        public Duration convert(String value) {
            return STOP_TIMEOUT.apply(value);
        }
    }

    /** The converter of {@code berth.agent.container-start-timeout}. */
    public static final class StartTimeout implements Converter<Duration> {
        @Override
        public Duration convert(String value) {
            return START_TIMEOUT.apply(value);
        }
    }

    /** The converter of {@code berth.agent.task-cleanup-wait}. */
    public static final class TaskCleanupWait implements Converter<Duration> {
        @Override
        public Duration convert(String value) {
            return TASK_CLEANUP_WAIT.apply(value);
        }
    }
}
