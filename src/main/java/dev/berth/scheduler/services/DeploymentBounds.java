package dev.berth.scheduler.services;

import dev.berth.protocol.ServiceRecord;

/**
 * How many tasks a service may have at once during a deployment, and how many must stay
 * healthy, from its {@code deploymentConfiguration} as ECS rounds them: the maximum down,
 * the minimum up. The defaults are ECS's: 200 / 100 % for REPLICA, 100 / 0 % for DAEMON.
 */
record DeploymentBounds(int maximum, int minimumHealthy) {

    static final int REPLICA_MAXIMUM_PERCENT = 200;
    static final int REPLICA_MINIMUM_PERCENT = 100;
    static final int DAEMON_MAXIMUM_PERCENT = 100;
    static final int DAEMON_MINIMUM_PERCENT = 0;

    static DeploymentBounds of(ServiceRecord service, int desired) {
        int maximumPercent = maximumPercent(service);
        int minimumPercent = minimumHealthyPercent(service);
        // In long: a desired count in the millions times 200 % is past an int.
        int maximum = (int) Math.min(Integer.MAX_VALUE, Math.floorDiv((long) desired * maximumPercent, 100L));
        int minimum = (int) Math.min(Integer.MAX_VALUE, -Math.floorDiv(-(long) desired * minimumPercent, 100L));
        return new DeploymentBounds(Math.max(maximum, desired == 0 ? 0 : 1), Math.min(minimum, desired));
    }

    static int maximumPercent(ServiceRecord service) {
        ServiceRecord.DeploymentConfiguration c = service.deploymentConfiguration();
        if (c != null && c.maximumPercent() != null) {
            return c.maximumPercent();
        }
        return service.isDaemon() ? DAEMON_MAXIMUM_PERCENT : REPLICA_MAXIMUM_PERCENT;
    }

    static int minimumHealthyPercent(ServiceRecord service) {
        ServiceRecord.DeploymentConfiguration c = service.deploymentConfiguration();
        if (c != null && c.minimumHealthyPercent() != null) {
            return c.minimumHealthyPercent();
        }
        return service.isDaemon() ? DAEMON_MINIMUM_PERCENT : REPLICA_MINIMUM_PERCENT;
    }
}
