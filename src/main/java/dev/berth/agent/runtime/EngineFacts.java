package dev.berth.agent.runtime;

import java.util.List;

/**
 * What a container engine says of itself, read when the agent registers its instance: the
 * capabilities it advertises follow from it.
 *
 * @param version    the engine's own version ({@code docker version}: Server.Version)
 * @param apiVersion the highest remote API version it serves (Server.APIVersion), e.g. {@code 1.47}
 * @param logDrivers the log drivers it reports ({@code docker info}: Plugins.Log)
 */
public record EngineFacts(String version, String apiVersion, List<String> logDrivers) {

    public EngineFacts {
        logDrivers = logDrivers == null ? List.of() : List.copyOf(logDrivers);
    }
}
