package dev.berth.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd units and their environment files: systemd itself must accept the units
 * without a warning, and the directives that make them safe and well behaved must be there.
 */
class SystemdUnitsTest {

    private static final Path SYSTEMD = Paths.get("systemd");
    private static final Path AGENT_UNIT = SYSTEMD.resolve("berth-agent.service");
    private static final Path SCHEDULER_UNIT = SYSTEMD.resolve("berth-scheduler.service");
    private static final String UNIT_JAVA = "/usr/bin/java";
    private static final String QUARKUS_APP = "-jar /opt/berth/quarkus-app/quarkus-run.jar";
    /** systemd-analyze loads every unit on the machine's unit path; that takes a few seconds. */
    private static final Duration VERIFY_LIMIT = Duration.ofSeconds(90);
    /** Agent introspection: always 127.0.0.1:51678, as on an ECS host. */
    private static final int INTROSPECTION_PORT = 51678;

    @TempDir
    Path temp;

    @Test
    void systemdAcceptsBothUnitsWithoutAWarning() throws Exception {
        // Given the units, pointed at this test's own java so that the check of ExecStart's
        // binary holds on any machine, not only where a JDK is /usr/bin/java
        List<Path> units = List.of(runnableCopy(AGENT_UNIT), runnableCopy(SCHEDULER_UNIT));

        // When
        Verification verification = verify(units);

        // Then
        assertThat(verification.output()).as("systemd-analyze verify output").isBlank();
        assertThat(verification.exitCode()).as("systemd-analyze verify exit code").isZero();
    }

    @Test
    void theVerificationReportsAnUnknownDirective() throws Exception {
        // Given a unit with a typo that systemd ignores with a warning only
        Path unit = runnableCopy(SCHEDULER_UNIT);
        Files.writeString(unit, Files.readString(unit).replace("ProtectHome=yes", "ProtectHome=yes\nProtectHomes=yes"));

        // When
        Verification verification = verify(List.of(unit));

        // Then the check above would fail on it
        assertThat(verification.output()).contains("ProtectHomes");
    }

    @Test
    void theAgentUnitRunsTheAgentAfterDockerAndOutlivesItsFlush() throws IOException {
        // Given
        UnitFile unit = UnitFile.read(AGENT_UNIT);

        // Then: ordering and restarts
        assertThat(unit.value("Unit", "After")).contains("docker.service", "network-online.target");
        assertThat(unit.value("Unit", "Wants")).contains("docker.service", "network-online.target");
        assertRestartsWithALimit(unit);
        // the role, its data directory, its settings and the binary
        assertThat(unit.values("Service", "Environment")).contains("BERTH_ROLES=agent", "BERTH_DATA_DIR=/var/lib/berth");
        assertThat(unit.value("Service", "EnvironmentFile")).isEqualTo("/etc/berth/agent.env");
        assertRunsTheQuarkusApp(unit);
        // the small footprint the agent benchmark measures, before $JAVA_OPTS so that agent.env can raise the heap
        String execStart = unit.value("Service", "ExecStart");
        assertThat(execStart.substring(0, execStart.indexOf("$JAVA_OPTS"))).contains("-XX:+UseSerialGC",
                "-Xms24m", "-Xmx64m", "-Xmn4m", "-XX:MaxHeapFreeRatio=20", "-XX:MetaspaceSize=64m",
                "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=3",
                "-XX:TrimNativeHeapInterval=2000", "-XX:+ExitOnOutOfMemoryError");
        assertThat(unit.values("Service", "Environment")).contains("MALLOC_ARENA_MAX=2");
        // stopping: longer than the agent's 15 s flush, SIGTERM to the JVM only
        assertThat(seconds(unit.value("Service", "TimeoutStopSec"))).isGreaterThan(15);
        assertThat(unit.value("Service", "KillMode")).isIn("mixed", "process");
        // the Docker socket through the docker group, not root
        assertThat(unit.value("Service", "User")).isEqualTo("berth");
        assertThat(unit.value("Service", "SupplementaryGroups")).isEqualTo("docker");
        // hardening that the agent allows
        assertDirectives(unit, "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/berth",
                "PrivateTmp=yes", "ProtectHome=yes", "PrivateDevices=yes", "ProtectKernelModules=yes",
                "ProtectKernelTunables=yes", "ProtectControlGroups=yes", "LockPersonality=yes",
                "RestrictNamespaces=yes", "SystemCallFilter=@system-service", "CapabilityBoundingSet=");
        assertThat(unit.value("Service", "RestrictAddressFamilies")).contains("AF_UNIX");
        assertThat(unit.value("Service", "PrivateNetwork")).as("the agent serves introspection on the host").isNull();
        assertThat(unit.value("Service", "MemoryDenyWriteExecute")).as("the JIT writes code, then runs it").isNull();
        assertThat(unit.value("Install", "WantedBy")).isEqualTo("multi-user.target");
    }

    @Test
    void theSchedulerUnitRunsTheSchedulerAsBerthHeavilyHardened() throws IOException {
        // Given
        UnitFile unit = UnitFile.read(SCHEDULER_UNIT);

        // Then
        assertRestartsWithALimit(unit);
        assertThat(unit.values("Service", "Environment")).contains("BERTH_ROLES=scheduler");
        assertThat(unit.value("Service", "EnvironmentFile")).isEqualTo("/etc/berth/scheduler.env");
        assertRunsTheQuarkusApp(unit);
        assertThat(unit.value("Service", "User")).isEqualTo("berth");
        assertThat(unit.value("Service", "Group")).isEqualTo("berth");
        assertDirectives(unit, "StateDirectory=berth", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "PrivateTmp=yes", "PrivateDevices=yes", "PrivateUsers=yes", "ProtectHome=yes",
                "ProtectKernelTunables=yes", "ProtectKernelModules=yes", "ProtectKernelLogs=yes",
                "ProtectControlGroups=yes", "ProtectClock=yes", "ProtectHostname=yes", "LockPersonality=yes",
                "RestrictRealtime=yes", "RestrictSUIDSGID=yes", "RestrictNamespaces=yes",
                "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", "SystemCallArchitectures=native",
                "SystemCallFilter=@system-service", "CapabilityBoundingSet=", "AmbientCapabilities=");
        assertThat(unit.value("Service", "MemoryDenyWriteExecute")).as("the JIT writes code, then runs it").isNull();
        assertThat(unit.value("Service", "SupplementaryGroups")).as("the scheduler never talks to Docker").isNull();
        assertThat(unit.value("Install", "WantedBy")).isEqualTo("multi-user.target");
    }

    @Test
    void theEnvironmentFilesDocumentEverySetting() throws IOException {
        // Given the settings each role reads
        List<String> kafka = List.of("JAVA_OPTS", "KAFKA_BOOTSTRAP_SERVERS", "BERTH_KAFKA_PARTITIONS",
                "BERTH_KAFKA_REPLICATION_FACTOR", "BERTH_KAFKA_SECURITY_PROTOCOL", "BERTH_KAFKA_SASL_MECHANISM",
                "BERTH_KAFKA_SASL_JAAS_CONFIG", "BERTH_KAFKA_SSL_TRUSTSTORE_LOCATION",
                "BERTH_KAFKA_SSL_TRUSTSTORE_PASSWORD", "BERTH_KAFKA_SSL_TRUSTSTORE_TYPE", "QUARKUS_MANAGEMENT_PORT",
                "BERTH_LOG_JSON");
        List<String> agent = concat(kafka, List.of("ECS_CLUSTER", "ECS_RESERVED_MEMORY", "ECS_RESERVED_PORTS",
                "ECS_CONTAINER_STOP_TIMEOUT", "ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION", "DOCKER_HOST",
                "ECS_CONTAINER_START_TIMEOUT", "ECS_DISABLE_PRIVILEGED", "BERTH_AGENT_HOST_PATHS_ALLOWED",
                "ECS_IMAGE_PULL_BEHAVIOR", "ECS_IMAGE_PULL_TIMEOUT", "ECS_RESERVED_PORTS_UDP", "ECS_INSTANCE_ATTRIBUTES",
                "ECS_LOGLEVEL", "ECS_IMAGE_CLEANUP_INTERVAL", "ECS_IMAGE_MINIMUM_CLEANUP_AGE", "ECS_NUM_IMAGES_DELETE_PER_CYCLE",
                "BERTH_AGENT_IMAGE_DISK_HIGH_WATERMARK", "BERTH_AGENT_IMAGE_DISK_LOW_WATERMARK",
                "ECS_DISABLE_IMAGE_CLEANUP", "BERTH_AGENT_TASK_METADATA_PORT", "BERTH_AGENT_TASK_METADATA_ADDRESS",
                "BERTH_AGENT_RESERVE_PROCESS_PORTS", "BERTH_AGENT_ARN_REGION", "BERTH_AGENT_ARN_ACCOUNT"));
        List<String> scheduler = concat(kafka, List.of("QUARKUS_HTTP_PORT", "BERTH_API_ACCESS_KEY_ID",
                "BERTH_API_SECRET_ACCESS_KEY", "BERTH_SCHEDULER_REGION", "BERTH_SCHEDULER_ACCOUNT"));

        // Then each is in its file, set or shown commented out, under a comment of its own
        assertDocumented(SYSTEMD.resolve("agent.env"), agent);
        assertDocumented(SYSTEMD.resolve("scheduler.env"), scheduler);
    }

    @Test
    void theShippedSchedulerEnvFileSetsNoApiKeyThatAnyoneCouldRead() throws IOException {
        // Given scheduler.env as shipped: it listens on every address
        Map<String, String> scheduler = settings(SYSTEMD.resolve("scheduler.env"));
        assertThat(scheduler).containsEntry("QUARKUS_HTTP_HOST", "0.0.0.0");

        // Then it sets no key: the scheduler refuses to start open until the operator sets one
        assertThat(scheduler).doesNotContainKeys("BERTH_API_ACCESS_KEY_ID", "BERTH_API_SECRET_ACCESS_KEY",
                "BERTH_API_ALLOW_UNSIGNED_REMOTE");
    }

    @Test
    void aSchedulerAndAnAgentOnOneHostListenOnDifferentPorts() throws IOException {
        // Given both env files as shipped, on one host (Berth's defaults where a file sets nothing)
        Map<String, String> agent = settings(SYSTEMD.resolve("agent.env"));
        Map<String, String> scheduler = settings(SYSTEMD.resolve("scheduler.env"));

        // When each process listens where its settings say
        Set<Integer> agentPorts = new TreeSet<>(List.of(port(agent, "QUARKUS_MANAGEMENT_PORT", 9000),
                INTROSPECTION_PORT, port(agent, "BERTH_AGENT_TASK_METADATA_PORT", 51679)));
        if (!"false".equals(agent.get("QUARKUS_HTTP_HOST_ENABLED"))) {
            agentPorts.add(port(agent, "QUARKUS_HTTP_PORT", 8080));
        }
        Set<Integer> schedulerPorts = Set.of(port(scheduler, "QUARKUS_HTTP_PORT", 8080),
                port(scheduler, "QUARKUS_MANAGEMENT_PORT", 9000));

        // Then neither takes a port from the other
        assertThat(agentPorts).as("the agent's ports").doesNotContainAnyElementsOf(schedulerPorts);
        // and the agent's env file shows the reserved ports a host with both needs
        assertThat(Files.readString(SYSTEMD.resolve("agent.env")))
                .contains("[22,2375,2376,51678,51679," + String.join(",", schedulerPorts.stream().sorted()
                        .map(String::valueOf).toList()) + "]");
    }

    /** The settings an env file sets (not those shown commented out). */
    private static Map<String, String> settings(Path envFile) throws IOException {
        Map<String, String> settings = new HashMap<>();
        for (String line : Files.readAllLines(envFile)) {
            Matcher matcher = Pattern.compile("^([A-Z][A-Z0-9_]*)=(.*)$").matcher(line);
            if (matcher.matches()) {
                settings.put(matcher.group(1), matcher.group(2).strip());
            }
        }
        return settings;
    }

    private static int port(Map<String, String> settings, String key, int berthDefault) {
        return Integer.parseInt(settings.getOrDefault(key, String.valueOf(berthDefault)));
    }

    private static void assertDocumented(Path envFile, List<String> keys) throws IOException {
        List<String> lines = Files.readAllLines(envFile);
        Pattern setting = Pattern.compile("^#?([A-Z][A-Z0-9_]*)=.*");
        List<String> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher matcher = setting.matcher(lines.get(i));
            if (!matcher.matches()) {
                continue;
            }
            found.add(matcher.group(1));
            boolean commented = false;
            // a group of settings may share the comment above it
            for (int j = i - 1; j >= 0 && !lines.get(j).isBlank(); j--) {
                if (!setting.matcher(lines.get(j)).matches()) {
                    commented = true;
                    break;
                }
            }
            assertThat(commented).as("%s:%d %s has a comment above it", envFile, i + 1, matcher.group(1)).isTrue();
        }
        assertThat(found).as("settings in %s", envFile).containsAll(keys);
        assertThat(found).as("the unit owns these").doesNotContain("BERTH_ROLES", "BERTH_DATA_DIR");
    }

    private static void assertRestartsWithALimit(UnitFile unit) {
        assertThat(unit.value("Service", "Restart")).isEqualTo("on-failure");
        assertThat(unit.value("Service", "RestartSec")).isNotBlank();
        assertThat(unit.value("Unit", "StartLimitIntervalSec")).isNotBlank();
        assertThat(unit.value("Unit", "StartLimitBurst")).isNotBlank();
        assertThat(unit.value("Service", "SuccessExitStatus")).as("a JVM stopped by SIGTERM exits 143").contains("143");
    }

    private static void assertRunsTheQuarkusApp(UnitFile unit) {
        assertThat(unit.value("Service", "ExecStart"))
                .startsWith(UNIT_JAVA + " ")
                .contains("$JAVA_OPTS")
                .endsWith(QUARKUS_APP);
    }

    private static void assertDirectives(UnitFile unit, String... directives) {
        for (String directive : directives) {
            int equals = directive.indexOf('=');
            assertThat(unit.value("Service", directive.substring(0, equals)))
                    .as(directive)
                    .isEqualTo(directive.substring(equals + 1));
        }
    }

    /** A copy of a unit whose ExecStart runs the java running this test. */
    private Path runnableCopy(Path unit) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String text = Files.readString(unit);
        assertThat(text).contains("ExecStart=" + UNIT_JAVA + " ");
        Path copy = temp.resolve(unit.getFileName());
        Files.writeString(copy, text.replace("ExecStart=" + UNIT_JAVA + " ", "ExecStart=" + java + " "));
        return copy;
    }

    private Verification verify(List<Path> units) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(systemdAnalyze(), "verify", "--man=no"));
        units.forEach(unit -> command.add(unit.toString()));
        Path output = temp.resolve("verify.out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(VERIFY_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("systemd-analyze verify did not finish within " + VERIFY_LIMIT);
        }
        return new Verification(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static String systemdAnalyze() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(directory -> Paths.get(directory, "systemd-analyze"))
                .filter(Files::isExecutable)
                .findFirst()
                .map(Path::toString)
                .orElseGet(() -> fail("systemd-analyze is not on the PATH, so the systemd units cannot be checked:"
                        + " install Debian's systemd package (apt-get install systemd)"));
    }

    private static long seconds(String timespan) {
        Matcher matcher = Pattern.compile("(\\d+)s?").matcher(timespan);
        assertThat(matcher.matches()).as("a timespan in seconds: %s", timespan).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private record Verification(int exitCode, String output) {}
}
