package dev.berth.agent.capacity;

import dev.berth.agent.runtime.EngineFacts;
import dev.berth.model.Capabilities;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The capability attributes this container instance advertises, as the ECS agent advertises
 * them, for what Berth's agent applies: the Docker Remote API versions ECS knows up to the
 * engine's, a log driver for each one the engine reports (and {@code none}), health checks,
 * container ordering, restart policies, pid and ipc modes, the local volume driver, and
 * privileged containers when the host allows them ({@code ECS_DISABLE_PRIVILEGED=false}).
 * Task definitions require them ({@link Capabilities#requiredBy}), so a task goes only where
 * its features work. A name-only attribute has the empty value, as PutAttributes keeps one.
 */
public final class AgentCapabilities {

    /** Docker names it, but Berth's Docker client cannot ask for it (README, "What the agent applies"). */
    private static final Set<String> UNUSABLE_LOG_DRIVERS = Set.of("logentries");
    private static final String NO_LOGS = "none";
    private static final String NAME_ONLY = "";

    private AgentCapabilities() {
    }

    public static Map<String, String> of(EngineFacts engine, boolean privilegedAllowed) {
        Map<String, String> advertised = new TreeMap<>();
        for (String version : Capabilities.DOCKER_REMOTE_API_VERSIONS) {
            if (engine.apiVersion() != null && compare(version, engine.apiVersion()) <= 0) {
                advertised.put(Capabilities.dockerRemoteApi(version), NAME_ONLY);
            }
        }
        for (String driver : engine.logDrivers()) {
            if (!UNUSABLE_LOG_DRIVERS.contains(driver)) {
                advertised.put(Capabilities.loggingDriver(driver), NAME_ONLY);
            }
        }
        advertised.put(Capabilities.loggingDriver(NO_LOGS), NAME_ONLY);
        for (String always : new String[] {Capabilities.CONTAINER_HEALTH_CHECK, Capabilities.CONTAINER_ORDERING,
                Capabilities.CONTAINER_RESTART_POLICY, Capabilities.PID_IPC_NAMESPACE_SHARING,
                Capabilities.LOCAL_VOLUME_DRIVER}) {
            advertised.put(always, NAME_ONLY);
        }
        if (privilegedAllowed) {
            advertised.put(Capabilities.PRIVILEGED_CONTAINER, NAME_ONLY);
        }
        return advertised;
    }

    /** Compares {@code major.minor} API versions numerically (1.9 is below 1.17); a bad one sorts last. */
    static int compare(String a, String b) {
        int[] x = parse(a);
        int[] y = parse(b);
        return x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]);
    }

    private static int[] parse(String version) {
        String[] parts = version.trim().split("\\.");
        try {
            return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
        } catch (NumberFormatException e) {
            return new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE};
        }
    }
}
