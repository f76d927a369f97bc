package dev.berth.scheduler.placement;

import dev.berth.model.TaskSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerOverride;
import dev.berth.model.PortMapping;
import dev.berth.model.Resources;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskOverride;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskDemandTest {

    private static ContainerDefinition container(String name, Integer cpu, Integer memory, Integer reservation,
            PortMapping... ports) {
        return new ContainerDefinition(name, "busybox", cpu, memory, reservation, null, null, null, null,
                List.of(ports), null, null, null, null, null);
    }

    private static TaskDefinition definition(String cpu, String memory, ContainerDefinition... containers) {
        return new TaskDefinition(null, "web", 1, List.of(containers), cpu, memory, null, "ACTIVE", null, null, null,
                null, null, null, null);
    }

    @Test
    void sumsContainersReservationOrMemoryAndStaticTcpHostPorts() {
        // Given
        TaskDefinition definition = definition(null, null,
                container("a", 128, 512, 256, new PortMapping(80, 8080, "tcp"), new PortMapping(53, 53, "udp")),
                container("b", null, 300, null, new PortMapping(9000, 0, null)));

        // When
        Resources demand = TaskDemand.of(definition, null);

        // Then
        assertThat(demand).isEqualTo(new Resources(128, 556, Set.of(8080)));
    }

    @Test
    void inHostModeAMappingWithoutAHostPortTakesItsContainerPort() {
        // Given
        TaskDefinition definition = new TaskDefinition(null, "web", 1, List.of(container("a", 128, 64, null,
                new PortMapping(8080, null, "tcp"), new PortMapping(9090, 9090, "tcp"), new PortMapping(53, null, "udp"))),
                null, null, "host", "ACTIVE", null, null, null, null, null, null, null);

        // When
        Resources demand = TaskDemand.of(definition, null);

        // Then
        assertThat(demand.ports()).containsExactlyInAnyOrder(8080, 9090);
    }

    @Test
    void prefersTaskLevelSizesAndOverrides() {
        // Given
        TaskDefinition definition = definition("1 vCPU", "0.5 GB", container("a", 128, 512, null));
        TaskOverride override = new TaskOverride(List.of(new ContainerOverride("a", null, null, 64, null, 100)),
                null, "2GB");

        // When
        Resources demand = TaskDemand.of(definition, override);

        // Then
        assertThat(demand.cpu()).isEqualTo(1024);
        assertThat(demand.memory()).isEqualTo(2048);
    }

    @Test
    void rejectsSizesThatAreNotNumbers() {
        assertThatThrownBy(() -> TaskSize.memoryMiB("lots")).isInstanceOf(IllegalArgumentException.class);
        assertThat(TaskSize.cpuUnits("256")).hasValue(256);
        assertThat(TaskSize.cpuUnits(null)).isEmpty();
    }

    @Test
    void keepsUdpHostPortsApartFromTcpOnes() {
        // Given
        TaskDefinition definition = definition(null, null,
                container("dns", 64, 64, null, new PortMapping(53, 53, "udp"), new PortMapping(53, 53, "tcp"),
                        new PortMapping(5353, 0, "udp")));

        // When
        Demand demand = TaskDemand.demand(definition, null);

        // Then
        assertThat(demand.tcpPorts()).containsExactly(53);
        assertThat(demand.udpPorts()).containsExactly(53);
        assertThat(TaskDemand.of(definition, null).ports()).containsExactly(53);
    }

    @Test
    void readsTheRequiresAttributesStoredWithTheTaskDefinition() {
        // Given: a task definition copied from ECS, requiresAttributes and all
        TaskDefinition plain = definition(null, null, container("a", 64, 64, null));
        TaskDefinition copied = new TaskDefinition(null, "web", 1, plain.containerDefinitions(), null, null, null,
                "ACTIVE", null, null, null, null, null, null, null, java.util.Map.of("requiresAttributes", List.of(
                        java.util.Map.of("name", "com.amazonaws.ecs.capability.docker-remote-api.1.18"),
                        java.util.Map.of("name", "ecs.cpu-architecture", "value", "arm64"))));

        // When
        Demand demand = TaskDemand.demand(copied, null);

        // Then
        assertThat(demand.requiredAttributes()).containsExactly(
                new RequiredAttribute("com.amazonaws.ecs.capability.docker-remote-api.1.18", null),
                new RequiredAttribute("ecs.cpu-architecture", "arm64"));
        assertThat(TaskDemand.demand(plain, null).requiredAttributes()).isEmpty();
    }

    @Test
    void eachDefinitionObjectHasItsOwnDemandHoweverManyAreInUse() {
        // Given: more definitions than the recent ones kept, each of another size, asked in turn
        List<TaskDefinition> definitions = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> definition(null, null, container("a", i, 100 + i, null))).toList();

        // When / Then: each answers its own, the first time and again
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < definitions.size(); i++) {
                assertThat(TaskDemand.demand(definitions.get(i), null).resources())
                        .isEqualTo(new Resources(i, 100 + i, Set.of()));
            }
        }
        // And: an equal definition that is another object, and overrides, are worked out anew
        assertThat(TaskDemand.demand(definition(null, null, container("a", 7, 107, null)), null).memory())
                .isEqualTo(107);
        assertThat(TaskDemand.demand(definitions.get(7), new TaskOverride(null, "1024", "2048")).memory())
                .isEqualTo(2048);
    }
}
