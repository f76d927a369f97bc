package dev.berth.agent.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    @TempDir
    Path dir;

    @Test
    void aReplacementLeavesTheNewContentReadableByItsOwnerOnlyAndNoTemporaryFile() throws IOException {
        // Given
        Path file = dir.resolve("agent").resolve("instance-id");

        // When: created, then replaced, one way and the other
        AtomicFile.replace(file, bytes("first\n"), AtomicFile.Survives.HOST_CRASH);
        AtomicFile.replace(file, bytes("second\n"), AtomicFile.Survives.PROCESS_CRASH);

        // Then
        assertThat(file).hasContent("second");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(names(file.getParent())).containsExactly("instance-id");
    }

    @Test
    void aReplacementThatFailsLeavesNoTemporaryFileBehind() throws IOException {
        // Given: the rename cannot happen (a directory that is not empty is in the way)
        Path inTheWay = dir.resolve("registered-at");
        Files.createDirectories(inTheWay.resolve("something"));

        // When / Then
        assertThatThrownBy(() -> AtomicFile.replace(inTheWay, bytes("2026-12-02T00:00:00Z\n"),
                AtomicFile.Survives.HOST_CRASH)).isInstanceOf(IOException.class);
        assertThat(names(dir)).containsExactly("registered-at");
        assertThat(names(inTheWay)).containsExactly("something");
    }

    @Test
    void theTemporaryFileOfAKilledWriteIsTakenOverByTheNextWriteOfItsFile() throws IOException {
        // Given: what a write that a kill -9 cut short left: part of the content, readable by all
        Path file = dir.resolve("metadata-secret");
        Path cutShort = dir.resolve(".metadata-secret.tmp");
        Files.writeString(cutShort, "0f1e");
        Files.setPosixFilePermissions(cutShort, PosixFilePermissions.fromString("rw-r--r--"));

        // When
        AtomicFile.replace(file, bytes("0f1e2d3c\n"), AtomicFile.Survives.HOST_CRASH);

        // Then
        assertThat(file).hasContent("0f1e2d3c");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(names(dir)).containsExactly("metadata-secret");
    }

    @Test
    void leftoversAreTheTemporaryFilesOnlyTodaysAndThoseOfEarlierReleases() throws IOException {
        // Given
        for (String name : List.of("t1.json", ".t1.json.tmp", "state-change123.tmp", "t2.json.unreadable")) {
            Files.writeString(dir.resolve(name), "{");
        }

        // When
        AtomicFile.removeLeftovers(dir, "state-change*.tmp");

        // Then
        assertThat(names(dir)).containsExactlyInAnyOrder("t1.json", "t2.json.unreadable");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
