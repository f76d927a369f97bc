package dev.berth.agent.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceIdentityTest {

    private static final Optional<String> THIS_MACHINE = Optional.of("3d1219c7c4c5404aaa1f6d2a48adfda4");
    private static final Optional<String> ANOTHER_MACHINE = Optional.of("0123456789abcdef0123456789abcdef");

    @Test
    void theIdIsKeptOnTheMachineThatMadeIt(@TempDir Path dataDir) throws Exception {
        // Given
        String first = InstanceIdentity.loadOrCreate(dataDir, THIS_MACHINE);

        // When
        String again = InstanceIdentity.loadOrCreate(dataDir, THIS_MACHINE);

        // Then
        assertThat(again).matches("[0-9a-f]{32}").isEqualTo(first);
        assertThat(Files.readString(dataDir.resolve("agent/machine-id")).trim()).isEqualTo(THIS_MACHINE.get());
    }

    @Test
    void aDataDirectoryCopiedFromAnotherMachineIsSetAsideWithAllItsState(@TempDir Path dataDir) throws Exception {
        // Given: the agent state of another host, as a cloned disk image carries it
        String theirs = InstanceIdentity.loadOrCreate(dataDir, ANOTHER_MACHINE);
        Files.createDirectories(dataDir.resolve("agent/state-changes"));
        Files.writeString(dataDir.resolve("agent/state-changes/task-1.json"), "{}");

        // When: the agent starts on this machine
        String ours = InstanceIdentity.loadOrCreate(dataDir, THIS_MACHINE);

        // Then: a new instance, nothing of the other host's state left in use, and that state kept aside
        assertThat(ours).matches("[0-9a-f]{32}").isNotEqualTo(theirs);
        assertThat(Files.readString(dataDir.resolve("agent/machine-id")).trim()).isEqualTo(THIS_MACHINE.get());
        assertThat(dataDir.resolve("agent/state-changes")).doesNotExist();
        Path aside;
        try (Stream<Path> entries = Files.list(dataDir)) {
            aside = entries.filter(p -> p.getFileName().toString().startsWith("agent.from-" + ANOTHER_MACHINE.get()))
                    .findFirst().orElseThrow();
        }
        assertThat(Files.readString(aside.resolve("instance-id")).trim()).isEqualTo(theirs);
        assertThat(aside.resolve("state-changes/task-1.json")).exists();
        // and the next start on this machine keeps the new id
        assertThat(InstanceIdentity.loadOrCreate(dataDir, THIS_MACHINE)).isEqualTo(ours);
    }

    @Test
    void aDirectoryThatRecordedNoMachineIsTakenAsThisOne(@TempDir Path dataDir) throws Exception {
        // Given: an id made before machines were recorded
        String before = InstanceIdentity.loadOrCreate(dataDir, Optional.empty());

        // When
        String now = InstanceIdentity.loadOrCreate(dataDir, THIS_MACHINE);

        // Then
        assertThat(now).isEqualTo(before);
        assertThat(Files.readString(dataDir.resolve("agent/machine-id")).trim()).isEqualTo(THIS_MACHINE.get());
        assertThat(InstanceIdentity.loadOrCreate(dataDir, THIS_MACHINE)).isEqualTo(before);
    }

    @Test
    void withoutAMachineIdThereIsNoCheck(@TempDir Path dataDir) throws Exception {
        // Given
        String first = InstanceIdentity.loadOrCreate(dataDir, ANOTHER_MACHINE);

        // When
        String again = InstanceIdentity.loadOrCreate(dataDir, Optional.empty());

        // Then
        assertThat(again).isEqualTo(first);
    }

    @Test
    void theMachineIdIsReadFromSystemdsFileWhenItNamesOne(@TempDir Path dir) throws Exception {
        // Given
        Path real = Files.writeString(dir.resolve("machine-id"), THIS_MACHINE.get() + "\n");
        Path uninitialized = Files.writeString(dir.resolve("uninitialized"), "uninitialized\n");

        // When / Then
        assertThat(InstanceIdentity.machineId(real)).isEqualTo(THIS_MACHINE);
        assertThat(InstanceIdentity.machineId(uninitialized)).isEmpty();
        assertThat(InstanceIdentity.machineId(dir.resolve("missing"))).isEmpty();
    }
}
