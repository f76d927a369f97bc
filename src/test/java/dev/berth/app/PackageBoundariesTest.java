package dev.berth.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of DESIGN.md §1 and §7, read off the sources: roles meet only on Kafka,
 * and each third-party edge is imported in one place.
 */
class PackageBoundariesTest {

    private static final Path MAIN = Paths.get("src/main/java/dev/berth");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void agentNeverImportsTheSchedulerOrTheApi() {
        assertThat(importsUnder("agent", "dev.berth.scheduler", "dev.berth.api", "dev.berth.app", "dev.berth.kafka"))
                .as("the agent meets the scheduler only on Kafka")
                .isEmpty();
    }

    @Test
    void schedulerAndApiNeverImportTheAgent() {
        assertThat(importsUnder("scheduler", "dev.berth.agent", "dev.berth.app", "dev.berth.kafka"))
                .as("the scheduler meets the agent only on Kafka")
                .isEmpty();
        assertThat(importsUnder("api", "dev.berth.agent", "dev.berth.app", "dev.berth.kafka"))
                .as("the API is the scheduler's edge and never sees the agent")
                .isEmpty();
    }

    @Test
    void theAppReachesTheEmbeddedBrokerOnlyThroughItsSeam() {
        // The native build leaves dev.berth.kafka out; nothing else may need it to compile.
        assertThat(importsOutside("kafka", "dev.berth.kafka")).isEmpty();
    }

    @Test
    void thePureCoresImportNoFrameworkKafkaOrDocker() {
        String[] edges = {"io.quarkus", "jakarta", "org.apache.kafka", "com.github.dockerjava", "oshi",
            "io.micrometer", "io.smallrye"};
        assertThat(importsUnder("agent/engine", edges)).isEmpty();
        assertThat(importsUnder("scheduler/placement", edges)).isEmpty();
        assertThat(importsUnder("scheduler/reconcile", edges)).isEmpty();
    }

    @Test
    void modelIsPureDomain() {
        assertThat(importsUnder("model", "io.quarkus", "jakarta", "org.apache.kafka", "com.github.dockerjava",
                "oshi", "dev.berth.protocol", "dev.berth.agent", "dev.berth.scheduler", "dev.berth.api"))
                .isEmpty();
    }

    @Test
    void protocolSeesOnlyTheModel() {
        assertThat(importsUnder("protocol", "dev.berth.agent", "dev.berth.scheduler", "dev.berth.api",
                "dev.berth.app", "dev.berth.kafka", "com.github.dockerjava", "oshi"))
                .isEmpty();
    }

    @Test
    void onlyTheDockerRuntimeImportsDockerJava() {
        assertThat(importsOutside("agent/runtime/docker", "com.github.dockerjava")).isEmpty();
    }

    @Test
    void onlyCapacityImportsOshi() {
        assertThat(importsOutside("agent/capacity", "oshi.")).isEmpty();
    }

    @Test
    void metricsAndHealthStayAtTheEdges() {
        for (String pure : List.of("model", "protocol", "agent/engine", "scheduler/placement", "scheduler/state")) {
            assertThat(importsUnder(pure, "io.micrometer", "org.eclipse.microprofile.health", "io.smallrye.health"))
                    .as("%s reports through small observer interfaces or gauges read at the edge", pure)
                    .isEmpty();
        }
    }

    @Test
    void theRulesSeeTheSources() {
        // A boundary test that reads no file would pass on anything.
        assertThat(javaFiles(MAIN).count()).isGreaterThan(10);
        assertThat(importsOf(MAIN.resolve("protocol/KafkaClients.java"))).contains("org.apache.kafka.clients.admin.Admin");
    }

    private static List<String> importsUnder(String pkg, String... forbidden) {
        Path dir = MAIN.resolve(pkg);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        return javaFiles(dir)
                .flatMap(file -> importsOf(file).stream()
                        .filter(imp -> startsWithAny(imp, forbidden))
                        .map(imp -> MAIN.relativize(file) + " imports " + imp))
                .collect(Collectors.toList());
    }

    private static List<String> importsOutside(String allowedDir, String prefix) {
        Path allowed = MAIN.resolve(allowedDir);
        return javaFiles(MAIN)
                .filter(file -> !file.startsWith(allowed))
                .flatMap(file -> importsOf(file).stream()
                        .filter(imp -> imp.startsWith(prefix))
                        .map(imp -> MAIN.relativize(file) + " imports " + imp))
                .collect(Collectors.toList());
    }

    private static boolean startsWithAny(String value, String... prefixes) {
        for (String prefix : prefixes) {
            if (value.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static Stream<Path> javaFiles(Path dir) {
        try {
            return Files.walk(dir).filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList()).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> importsOf(Path file) {
        try {
            Matcher m = IMPORT.matcher(Files.readString(file));
            List<String> imports = new java.util.ArrayList<>();
            while (m.find()) {
                imports.add(m.group(1));
            }
            return imports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
