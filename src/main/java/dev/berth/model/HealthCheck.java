package dev.berth.model;

import java.util.List;

/**
 * A container's {@code healthCheck}, in the ECS shape: {@code command} starts with
 * {@code CMD} or {@code CMD-SHELL}; times are in seconds. Absent values take ECS's
 * defaults.
 */
public record HealthCheck(List<String> command, Integer interval, Integer timeout, Integer retries,
        Integer startPeriod) {

    public static final int DEFAULT_INTERVAL_SECONDS = 30;
    public static final int DEFAULT_TIMEOUT_SECONDS = 5;
    public static final int DEFAULT_RETRIES = 3;

    public List<String> commandOrEmpty() {
        return command == null ? List.of() : command;
    }

    public int intervalOrDefault() {
        return interval == null ? DEFAULT_INTERVAL_SECONDS : interval;
    }

    public int timeoutOrDefault() {
        return timeout == null ? DEFAULT_TIMEOUT_SECONDS : timeout;
    }

    public int retriesOrDefault() {
        return retries == null ? DEFAULT_RETRIES : retries;
    }

    /** No grace period unless one is given, as in ECS. */
    public int startPeriodOrZero() {
        return startPeriod == null ? 0 : startPeriod;
    }
}
