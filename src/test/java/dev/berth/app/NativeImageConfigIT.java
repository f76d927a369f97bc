package dev.berth.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Builds the native sources as CI does ({@code -Dnative -Dquarkus.native.sources-only=true}:
 * everything GraalVM would get, without GraalVM) in a copy of the project, and checks the
 * generated native-image configuration: Berth's and docker-java's JSON types registered for
 * reflection, OSHI and JNA initialized at run time with their resources, and no kafka role.
 */
class NativeImageConfigIT {

    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final Path COPY = PROJECT.resolve("target/native-check/project");
    private static final Path LOG = PROJECT.resolve("target/native-check/build.log");
    private static final long BUILD_LIMIT_MINUTES = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path sources;
    private static ZipFile runner;

    @BeforeAll
    static void buildNativeSources() throws Exception {
        copyProject();
        List<String> command = new ArrayList<>(List.of(maven(), "-B", "-o", "-q", "package", "-Dnative",
                "-Dquarkus.native.sources-only=true", "-Dmaven.test.skip=true"));
        String repository = System.getProperty("berthtest.maven.repo.local");
        if (repository != null && !repository.isBlank()) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        Process build = new ProcessBuilder(command).directory(COPY.toFile()).redirectErrorStream(true)
                .redirectOutput(LOG.toFile()).start();
        boolean finished = build.waitFor(BUILD_LIMIT_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            build.destroyForcibly();
        }
        assertThat(finished && build.exitValue() == 0)
                .as("the native-sources build (%s) failed; its log, %s, ends with:%n%s", String.join(" ", command), LOG,
                        tail(LOG))
                .isTrue();
        sources = COPY.resolve("target/native-sources");
        try (Stream<Path> files = Files.list(sources)) {
            Path jar = files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst().orElseThrow();
            runner = new ZipFile(jar.toFile());
        }
    }

    @Test
    void everyBerthJsonTypeIsRegisteredForReflection() throws IOException {
        // Given the JSON types of model, protocol and api, as compiled
        Set<String> types = NativeTypes.berthJsonTypes(COPY.resolve("target/classes"));

        // When
        Set<String> registered = reflectionConfigNames();

        // Then
        assertThat(types).contains("dev.berth.protocol.DesiredTask", "dev.berth.model.ContainerDefinition");
        assertThat(types).as("Berth JSON types missing from the native reflection configuration")
                .allMatch(registered::contains);
    }

    @Test
    void everyDockerJavaJsonTypeIsRegisteredForReflection() throws IOException {
        // When
        Set<String> registered = reflectionConfigNames();

        // Then
        assertThat(NativeTypes.dockerJavaTypes()).hasSizeGreaterThan(200)
                .as("docker-java JSON types missing from the native reflection configuration")
                .allMatch(registered::contains);
    }

    @Test
    void oshiAndJnaStartAtRunTimeWithTheirResources() throws IOException {
        // When
        String args = Files.readString(sources.resolve("native-image.args"));
        String resources = read("META-INF/native-image/resource-config.json");

        // Then
        assertThat(args).containsPattern("--initialize-at-run-time=[^ ]*oshi").containsPattern(
                "--initialize-at-run-time=[^ ]*com\\.sun\\.jna");
        assertThat(resources).contains("com/sun/jna/linux-x86-64/libjnidispatch\\\\.so",
                "com/sun/jna/linux-aarch64/libjnidispatch\\\\.so", "oshi\\\\.properties",
                "oshi\\\\.architecture\\\\.properties", "META-INF/services/oshi\\\\.spi\\\\.SystemInfoProvider");
        assertThat(reflectionConfigNames()).contains("oshi.SystemInfo", "oshi.nativefree.SystemInfo");
    }

    @Test
    void theKafkaRoleIsLeftOut() throws IOException {
        // When
        Set<String> libraries;
        try (Stream<Path> files = Files.list(sources.resolve("lib"))) {
            libraries = files.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        List<String> kafkaClasses = runner.stream().map(ZipEntry::getName)
                .filter(n -> n.startsWith("dev/berth/kafka/") && n.endsWith(".class")).toList();

        // Then the clients stay, the broker goes
        assertThat(libraries).anyMatch(l -> l.startsWith("org.apache.kafka.kafka-clients-"));
        assertThat(libraries).noneMatch(l -> l.startsWith("org.apache.kafka.kafka_2.13-")
                || l.startsWith("org.apache.kafka.kafka-server-") || l.startsWith("org.apache.kafka.kafka-metadata-")
                || l.startsWith("org.scala-lang."));
        assertThat(kafkaClasses).isEmpty();
        assertThat(reflectionConfigNames()).noneMatch(n -> n.startsWith("dev.berth.kafka."));
        assertThat(runner.getEntry("dev/berth/app/EmbeddedKafkaRole.class")).as("the seam stays").isNotNull();
    }

    private static Set<String> reflectionConfigNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode entry : JSON.readTree(read("META-INF/native-image/reflect-config.json"))) {
            names.add(entry.path("name").asText());
        }
        return names;
    }

    private static String read(String entry) throws IOException {
        ZipEntry found = runner.getEntry(entry);
        assertThat(found).as("%s in the native-image jar", entry).isNotNull();
        try (InputStream in = runner.getInputStream(found)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The build inputs only: a build of its own, never this build's target/. */
    private static void copyProject() throws IOException {
        if (Files.exists(COPY)) {
            try (Stream<Path> old = Files.walk(COPY)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(COPY);
        Files.copy(PROJECT.resolve("pom.xml"), COPY.resolve("pom.xml"));
        try (Stream<Path> files = Files.walk(PROJECT.resolve("src"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = COPY.resolve(PROJECT.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String maven() {
        String home = System.getProperty("maven.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
