package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What operators install: the release tarball and the binary's own account of its version. */
class ReleaseArtifactBinaryIT {

    @Test
    void theTarballHoldsTheApplicationTheUnitsAndTheirEnvFilesInTheInstallLayout() throws Exception {
        // Given
        Path tarball = onlyFile(Paths.get("target"), "-release.tar.gz");

        // When
        List<String> entries = run("tar", "-tzf", tarball.toString());

        // Then: unpacked under /opt it is /opt/berth, as the install steps say
        assertThat(entries).contains("berth/quarkus-app/quarkus-run.jar", "berth/systemd/berth-agent.service",
                "berth/systemd/berth-scheduler.service", "berth/systemd/agent.env", "berth/systemd/scheduler.env",
                "berth/README.md", "berth/VERSION");
        assertThat(entries).allMatch(entry -> entry.startsWith("berth/"));
        assertThat(entries).anyMatch(entry -> entry.startsWith("berth/quarkus-app/lib/main/"));
    }

    @Test
    void versionSaysExactlyWhatRunsWithoutStartingAnything() throws Exception {
        // When
        List<String> out = run(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                "target/quarkus-app/quarkus-run.jar", "--version");

        // Then
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).matches("Berth \\S+ \\(commit ([0-9a-f]{12}|unknown), built \\d{4}-\\d\\d-\\d\\dT[^)]*\\)");
        assertThat(out.get(0)).startsWith("Berth " + System.getProperty("berth.expected-version") + " (");
    }

    private static Path onlyFile(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> matches = files.filter(p -> p.getFileName().toString().endsWith(suffix)).collect(Collectors.toList());
            assertThat(matches).as("one %s in %s (run mvn package)", suffix, dir).hasSize(1);
            return matches.get(0);
        }
    }

    private static List<String> run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (InputStream in = process.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
        List<String> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }
}
