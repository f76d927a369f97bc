package dev.berth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.protocol.RecordCodec;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed view of the container and task fields kept as registered, and the task health rule. */
class ContainerSettingsTest {

    private static TaskDefinition read(String resource) throws Exception {
        try (InputStream in = ContainerSettingsTest.class.getResourceAsStream(resource)) {
            return RecordCodec.newMapper().readValue(in, TaskDefinition.class);
        }
    }

    private static ContainerDefinition container(TaskDefinition definition, String name) {
        return definition.containers().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void readsTheEcsFieldsAsTypedValues() throws Exception {
        // Given
        TaskDefinition full = read("/ecs/register-task-definition-full.json");

        // When
        ContainerSettings web = ContainerSettings.of(container(full, "web"));

        // Then
        assertThat(web.healthCheck()).isEqualTo(new HealthCheck(List.of("CMD-SHELL", "true"), 30, 5, 3, 10));
        assertThat(web.dependsOn()).containsExactly(new ContainerDependency("sidecar", DependencyCondition.START));
        assertThat(web.ulimits()).containsExactly(new ContainerSettings.Ulimit("nofile", 1024L, 4096L));
        assertThat(web.logConfiguration()).isEqualTo(new ContainerSettings.LogConfiguration("json-file",
                Map.of("max-size", "10m")));
        assertThat(web.linuxParameters().initProcessEnabled()).isTrue();
        assertThat(web.readonlyRootFilesystem()).isFalse();
        assertThat(TaskSettings.of(full).pidMode()).isEqualTo("host");
    }

    @Test
    void aValueOfTheWrongShapeNamesTheFieldAndTheContainer() throws Exception {
        // Given
        TaskDefinition bad = RecordCodec.newMapper().readValue("{\"family\":\"f\",\"containerDefinitions\":[{"
                + "\"name\":\"web\",\"image\":\"busybox\",\"healthCheck\":{\"interval\":\"often\"}}]}",
                TaskDefinition.class);

        // Then
        assertThatThrownBy(() -> ContainerSettings.of(bad.containers().get(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid 'healthCheck' setting for container 'web': ");
    }

    @Test
    void aTaskIsUnhealthyWhenAnEssentialContainerIsAndHealthyWhenAllCheckedEssentialOnesAre() throws Exception {
        // Given: db (essential) has a health check, app (essential) has none
        List<ContainerDefinition> containers = read("/agent/health-task-definition.json").containers();

        // Then
        assertThat(HealthStatus.ofTask(containers, Map.of("db", HealthStatus.HEALTHY)))
                .isEqualTo(HealthStatus.HEALTHY);
        assertThat(HealthStatus.ofTask(containers, Map.of("db", HealthStatus.UNHEALTHY)))
                .isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(HealthStatus.ofTask(containers, Map.of())).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(HealthStatus.ofTask(read("/agent/web-task-definition.json").containers(), Map.of()))
                .as("no essential container has a health check").isEqualTo(HealthStatus.UNKNOWN);
    }
}
