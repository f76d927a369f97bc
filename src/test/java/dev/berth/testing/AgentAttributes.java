package dev.berth.testing;

import dev.berth.agent.capacity.AgentCapabilities;
import dev.berth.agent.runtime.EngineFacts;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The attributes a Berth agent registers with its default settings on a current Docker engine,
 * for tests and hollow instances that write registrations by hand: without the capability
 * attributes, a task definition that requires one would be placed nowhere.
 */
public final class AgentAttributes {

    /** What Docker 28 reports: API 1.51 and its built-in log drivers. */
    public static final EngineFacts DOCKER_28 = new EngineFacts("28.2.2", "1.51", List.of("awslogs", "fluentd",
            "gcplogs", "gelf", "journald", "json-file", "local", "splunk", "syslog"));

    /** {@code ecs.os-type} and the capabilities of an agent that refuses privileged containers (the default). */
    public static final Map<String, String> DEFAULT = of(false);

    private AgentAttributes() {
    }

    public static Map<String, String> of(boolean privilegedAllowed) {
        Map<String, String> attributes = new TreeMap<>(AgentCapabilities.of(DOCKER_28, privilegedAllowed));
        attributes.put("ecs.os-type", "linux");
        return Map.copyOf(attributes);
    }
}
