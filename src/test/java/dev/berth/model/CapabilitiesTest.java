package dev.berth.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The capabilities a task definition requires, derived from the features it uses. */
class CapabilitiesTest {

    private static TaskDefinition read(String json) throws Exception {
        return JsonMapper.builder().findAndAddModules().build().readValue(json, TaskDefinition.class);
    }

    @Test
    void eachAppliedFeatureRequiresItsCapability() throws Exception {
        // Given
        TaskDefinition definition = read("{\"family\":\"all\",\"pidMode\":\"host\",\"volumes\":[{\"name\":\"v\","
                + "\"dockerVolumeConfiguration\":{\"scope\":\"task\"}}],\"containerDefinitions\":["
                + "{\"name\":\"a\",\"image\":\"busybox\",\"memory\":64,\"dependsOn\":[{\"containerName\":\"b\","
                + "\"condition\":\"START\"}],\"linuxParameters\":{\"initProcessEnabled\":true},"
                + "\"restartPolicy\":{\"enabled\":true}},"
                + "{\"name\":\"b\",\"image\":\"busybox\",\"memory\":64,\"dockerLabels\":{\"k\":\"v\"},"
                + "\"logConfiguration\":{\"logDriver\":\"json-file\",\"options\":{\"max-size\":\"10m\"}}}]}");

        // When
        List<String> required = Capabilities.requiredBy(definition);

        // Then
        assertThat(required).containsExactly("ecs.capability.container-ordering",
                "com.amazonaws.ecs.capability.docker-remote-api.1.25", "ecs.capability.container-restart-policy",
                "com.amazonaws.ecs.capability.logging-driver.json-file",
                "com.amazonaws.ecs.capability.docker-remote-api.1.18",
                "com.amazonaws.ecs.capability.docker-remote-api.1.19", "ecs.capability.pid-ipc-namespace-sharing",
                "ecs.capability.docker-plugin.local");
    }

    @Test
    void aPlainDefinitionRequiresNothing() throws Exception {
        assertThat(Capabilities.requiredBy(read("{\"family\":\"p\",\"cpu\":\"256\",\"memory\":\"512\","
                + "\"containerDefinitions\":[{\"name\":\"a\",\"image\":\"busybox\",\"memory\":64,"
                + "\"restartPolicy\":{\"enabled\":false},\"volumes\":[]}]}"))).isEmpty();
    }

    @Test
    void requiredAttributesGivenWithTheDefinitionComeFirstAndAreNotRepeated() throws Exception {
        // Given: a definition copied from ECS's answer
        TaskDefinition copied = read("{\"family\":\"c\",\"requiresAttributes\":[{\"name\":"
                + "\"ecs.capability.container-health-check\"},{\"name\":\"ecs.cpu-architecture\",\"value\":\"x86_64\"}],"
                + "\"containerDefinitions\":[{\"name\":\"a\",\"image\":\"busybox\",\"memory\":64,"
                + "\"healthCheck\":{\"command\":[\"CMD\",\"true\"]},\"ulimits\":[{\"name\":\"nofile\","
                + "\"softLimit\":1,\"hardLimit\":2}]}]}");

        // Then
        assertThat(Capabilities.requiresAttributes(copied)).containsExactly(
                Map.of("name", "ecs.capability.container-health-check"),
                Map.of("name", "ecs.cpu-architecture", "value", "x86_64"),
                Map.of("name", "com.amazonaws.ecs.capability.docker-remote-api.1.18"));
    }
}
