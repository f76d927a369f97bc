package dev.berth.agent.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCapacityTest {

    private static final long GIB = 1024L * 1024L * 1024L;

    @Test
    void cpuIsUnitsPerCoreMemoryIsTotalLessReservedAndPortsAreTheReservedOnes() {
        // Given
        HostFacts facts = new HostFacts(4, 8 * GIB, "amd64", "Debian GNU/Linux", "6.1.0-28-amd64", "host-1");

        // When
        HostCapacity capacity = HostCapacity.of(facts, 512, Set.of(22, 2375, 2376, 51678, 51679), Set.of(53, 5353));

        // Then
        assertThat(capacity.resources()).isEqualTo(new Resources(4096, 8192 - 512, Set.of(22, 2375, 2376, 51678, 51679),
                Set.of(53, 5353)));
        assertThat(capacity.hostname()).isEqualTo("host-1");
    }

    @Test
    void attributesUseEcsNames() {
        // Given
        HostFacts facts = new HostFacts(2, 2 * GIB, "aarch64", "Ubuntu", "6.8.0", "arm-host");

        // When
        HostCapacity capacity = HostCapacity.of(facts, 0, Set.of(), Set.of());

        // Then
        assertThat(capacity.attributes())
                .containsEntry("ecs.os-type", "linux")
                .containsEntry("ecs.os-family", "LINUX")
                .containsEntry("ecs.cpu-architecture", "arm64")
                .containsEntry("berth.kernel-version", "6.8.0")
                .containsEntry("berth.hostname", "arm-host");
        assertThat(HostCapacity.cpuArchitecture("amd64")).isEqualTo("x86_64");
    }

    @Test
    void customAttributesAreRegisteredBesideTheHostsOwn() {
        // Given
        HostFacts facts = new HostFacts(2, 2 * GIB, "amd64", "Debian", "6.1", "h1");

        // When
        HostCapacity capacity = HostCapacity.of(facts, 0, Set.of(), Set.of())
                .withCustomAttributes(java.util.Map.of("stack", "prod", "berth.hostname", "spoofed"));

        // Then
        assertThat(capacity.attributes()).containsEntry("stack", "prod").containsEntry("ecs.os-type", "linux")
                .containsEntry("berth.hostname", "h1");
    }

    @Test
    void reservingMoreMemoryThanTheHostHasLeavesNone() {
        // Given
        HostFacts facts = new HostFacts(1, GIB, "amd64", null, null, "small");

        // When
        HostCapacity capacity = HostCapacity.of(facts, 4096, Set.of(), Set.of());

        // Then
        assertThat(capacity.resources().memory()).isZero();
    }

    @Test
    void theInstanceIdIsCreatedOnceAndKept(@TempDir Path dataDir) throws Exception {
        // Given
        String first = InstanceIdentity.loadOrCreate(dataDir, Optional.empty());

        // When
        String again = InstanceIdentity.loadOrCreate(dataDir, Optional.empty());

        // Then
        assertThat(first).matches("[0-9a-f]{32}").isEqualTo(again);
        assertThat(Files.readString(dataDir.resolve("agent/instance-id")).trim()).isEqualTo(first);
    }

    @Test
    void theRealHostHasCoresAndMemory() {
        // Given / When
        HostFacts facts = HostProbe.probe();

        // Then
        assertThat(facts.logicalCores()).isPositive();
        assertThat(facts.totalMemoryBytes()).isPositive();
        assertThat(facts.hostname()).isNotBlank();
    }
}
