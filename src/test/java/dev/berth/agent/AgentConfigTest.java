package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.agent.runtime.ImagePullBehavior;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's configuration as application.properties declares it, with ECS agent variables. */
class AgentConfigTest {

    private static AgentConfig load(Map<String, String> environment) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                // Quarkus's own converter, so "30s" reads as it does in the running binary
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(AgentConfigTest.class.getResource("/application.properties"),
                        250))
                .withSources(new io.smallrye.config.EnvConfigSource(environment, 300))
                .withInterceptors(new EcsUnsetValues())
                .withMapping(AgentConfig.class)
                .build();
        return config.getConfigMapping(AgentConfig.class);
    }

    /**
     * The root level Quarkus takes ({@code quarkus.log.level}) from these sources: system
     * properties (400), the environment (300), the agent's env file (290) and a
     * {@code config/application.properties} of the working directory (260); empty where the
     * configuration gives none. It must be the level {@link AgentConfig#logLevel()} checked.
     */
    private static Optional<String> appliedLogLevel(Map<String, String> systemProperties,
            Map<String, String> environment, Map<String, String> envFile, Map<String, String> workingDirectory)
            throws IOException {
        Optional<String> applied = logConfig(systemProperties, environment, envFile, workingDirectory).build()
                .getOptionalValue("quarkus.log.level", String.class);
        if (applied.isPresent() && !environment.containsKey("QUARKUS_LOG_LEVEL")) {
            AgentConfig checked = logConfig(systemProperties, environment, envFile, workingDirectory)
                    .withMapping(AgentConfig.class).build().getConfigMapping(AgentConfig.class);
            assertThat(applied).isEqualTo(checked.logLevel());
        }
        return applied;
    }

    private static SmallRyeConfigBuilder logConfig(Map<String, String> systemProperties,
            Map<String, String> environment, Map<String, String> envFile, Map<String, String> workingDirectory)
            throws IOException {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(AgentConfigTest.class.getResource("/application.properties"),
                        250))
                .withSources(new PropertiesConfigSource(workingDirectory, "config/application.properties", 260))
                .withSources(new io.smallrye.config.EnvConfigSource(envFile, AgentEnvFile.ORDINAL))
                .withSources(new io.smallrye.config.EnvConfigSource(environment, 300))
                .withSources(new PropertiesConfigSource(systemProperties, "system properties", 400))
                .withSources(new EcsLogLevel())
                .withInterceptors(new EcsUnsetValues());
    }

    /** Every ECS variable that application.properties maps onto an agent setting. */
    private static Set<String> ecsNames() throws IOException {
        try (InputStream in = AgentConfigTest.class.getResourceAsStream("/application.properties")) {
            Matcher names = Pattern.compile("\\$\\{(ECS_[A-Z_]+):").matcher(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            Set<String> found = new TreeSet<>();
            while (names.find()) {
                found.add(names.group(1));
            }
            return found;
        }
    }

    /** Every setting of the mapping, by name, to compare two configurations whole. */
    private static Map<String, Object> settings(AgentConfig config) throws ReflectiveOperationException {
        Map<String, Object> values = new TreeMap<>();
        for (Method setting : AgentConfig.class.getMethods()) {
            if (setting.getParameterCount() == 0 && !setting.isDefault()) {
                values.put(setting.getName(), setting.invoke(config));
            }
        }
        return values;
    }

    @Test
    void defaultsAreTheEcsAgentDefaults() throws Exception {
        // Given / When
        AgentConfig config = load(Map.of());

        // Then
        assertThat(config.cluster()).isEqualTo("default");
        assertThat(config.reservedMemory()).isZero();
        assertThat(config.reservedPorts().ports()).containsExactlyInAnyOrder(22, 2375, 2376, 51678, 51679);
        assertThat(config.stopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.resyncInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.dockerHost()).isEqualTo("unix:///var/run/docker.sock");
        assertThat(config.taskCleanupWait()).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void anEmptyEcsVariableIsNotSetAndTakesTheDefaultAsInTheEcsAgent() throws Exception {
        // Given: an ecs.config that leaves every variable Berth maps empty, or blank
        Map<String, String> empty = new HashMap<>();
        Map<String, String> blank = new HashMap<>();
        for (String name : ecsNames()) {
            empty.put(name, "");
            blank.put(name, "  ");
        }
        assertThat(empty).containsKeys("ECS_CLUSTER", "ECS_RESERVED_MEMORY", "ECS_DISABLE_PRIVILEGED",
                "ECS_CONTAINER_STOP_TIMEOUT", "ECS_IMAGE_PULL_BEHAVIOR", "ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION",
                "ECS_RESERVED_PORTS", "ECS_RESERVED_PORTS_UDP");

        // When
        AgentConfig emptyConfig = load(empty);
        AgentConfig blankConfig = load(blank);

        // Then
        assertThat(emptyConfig.cluster()).isEqualTo("default");
        assertThat(emptyConfig.reservedMemory()).isZero();
        assertThat(emptyConfig.disablePrivileged()).isTrue();
        assertThat(emptyConfig.stopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings(emptyConfig)).isEqualTo(settings(load(Map.of())));
        assertThat(settings(blankConfig)).isEqualTo(settings(load(Map.of())));
    }

    @Test
    void anEmptyEcsPortListIsNotSetAndTakesTheDefaultPortsAsInTheEcsAgent() throws Exception {
        // When: the ECS agent's merge takes a list of no ports as not set (ZeroOrNil)
        AgentConfig tcp = load(Map.of("ECS_RESERVED_PORTS", "[]"));
        AgentConfig spaced = load(Map.of("ECS_RESERVED_PORTS", "[ ]", "ECS_RESERVED_PORTS_UDP", " [] "));

        // Then
        assertThat(tcp.reservedPorts().ports()).containsExactlyInAnyOrder(22, 2375, 2376, 51678, 51679);
        assertThat(spaced.reservedPorts().ports()).containsExactlyInAnyOrder(22, 2375, 2376, 51678, 51679);
        assertThat(spaced.reservedPortsUdp().map(ReservedPorts::ports).orElse(Set.of())).isEmpty();
    }

    @Test
    void theAgentRegistersTheRuleForEmptyEcsVariablesWithQuarkus() {
        // Quarkus finds config interceptors with the ServiceLoader, as load() cannot show.
        assertThat(ServiceLoader.load(ConfigSourceInterceptor.class).stream().map(ServiceLoader.Provider::type))
                .contains(EcsUnsetValues.class);
    }

    @Test
    void theEcsAgentsVariablesAreAcceptedAsTheyAre() throws Exception {
        // Given
        Map<String, String> ecsConfig = Map.of("ECS_CLUSTER", "prod", "ECS_RESERVED_MEMORY", "256",
                "ECS_RESERVED_PORTS", "[22, 80, 5000]", "ECS_CONTAINER_STOP_TIMEOUT", "2m",
                "DOCKER_HOST", "tcp://10.0.0.5:2375", "ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION", "10m");

        // When
        AgentConfig config = load(ecsConfig);

        // Then
        assertThat(config.cluster()).isEqualTo("prod");
        assertThat(config.reservedMemory()).isEqualTo(256);
        assertThat(config.reservedPorts().ports()).containsExactlyInAnyOrder(22, 80, 5000);
        assertThat(config.stopTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.dockerHost()).isEqualTo("tcp://10.0.0.5:2375");
        assertThat(config.taskCleanupWait()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void berthNamesWinOverEcsNames() throws Exception {
        // Given
        Map<String, String> environment = Map.of("ECS_CLUSTER", "prod", "BERTH_AGENT_CLUSTER", "staging");

        // When
        AgentConfig config = load(environment);

        // Then
        assertThat(config.cluster()).isEqualTo("staging");
    }

    @Test
    void onlyAProcessThatPlaysTheAgentReadsTheEnvFile() {
        // A scheduler beside an agent on one host must not take the agent's HTTP or Kafka settings.
        assertThat(AgentEnvFile.playsAgent(null)).isTrue();
        assertThat(AgentEnvFile.playsAgent("")).isTrue();
        assertThat(AgentEnvFile.playsAgent("agent")).isTrue();
        assertThat(AgentEnvFile.playsAgent("scheduler, Agent")).isTrue();
        assertThat(AgentEnvFile.playsAgent("scheduler")).isFalse();
        assertThat(AgentEnvFile.playsAgent("kafka,scheduler")).isFalse();
    }

    @Test
    void theEnvFileReadsNameValueLinesAndSkipsComments(@TempDir Path dir) throws Exception {
        // Given
        Path file = dir.resolve("agent.env");
        Files.write(file, List.of("# moved over from /etc/ecs/ecs.config", "ECS_CLUSTER=prod", "",
                "export ECS_RESERVED_MEMORY=\"512\"", "not a setting"));

        // When
        Map<String, String> values = AgentEnvFile.read(file);

        // Then
        assertThat(values).containsExactly(Map.entry("ECS_CLUSTER", "prod"), Map.entry("ECS_RESERVED_MEMORY", "512"));
        assertThat(AgentEnvFile.read(dir.resolve("missing.env"))).isEmpty();
        assertThat(load(values).cluster()).isEqualTo("prod");
    }

    @Test
    void aLineThatIsNotUtf8CostsOnlyThatLineOfTheEnvFile(@TempDir Path dir) throws Exception {
        // Given: an ecs.config edited in Latin-1, with a UTF-8 byte order mark and CRLF line ends
        Path file = dir.resolve("agent.env");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.write("ECS_RESERVED_MEMORY=256\r\n# Cluster f".getBytes(StandardCharsets.US_ASCII));
        bytes.write(0xFC);
        bytes.write("r M".getBytes(StandardCharsets.US_ASCII));
        bytes.write(0xFC);
        bytes.write("nchen\r\nECS_CLUSTER=prod\r\nECS_INSTANCE_ATTRIBUTES={\"site\": \"M".getBytes(
                StandardCharsets.US_ASCII));
        bytes.write(0xFC);
        bytes.write("nchen\"}\r\nKAFKA_BOOTSTRAP_SERVERS=kafka-1:9092\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(file, bytes.toByteArray());

        // When
        Map<String, String> values = new HashMap<>();
        List<String> warnings = warningsWhile(() -> {
            values.putAll(AgentEnvFile.read(file));
            return values;
        });

        // Then
        assertThat(values).containsOnly(Map.entry("ECS_RESERVED_MEMORY", "256"), Map.entry("ECS_CLUSTER", "prod"),
                Map.entry("ECS_INSTANCE_ATTRIBUTES", "{\"site\": \"M\u00fcnchen\"}"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092"));
        assertThat(warnings).anySatisfy(line -> assertThat(line).contains(file.toString()).contains("line 4")
                .contains("ISO-8859-1"));
        assertThat(warnings).noneMatch(line -> line.contains("line 2"));
    }

    @Test
    void anEnvFileNamedButUnreadableStopsTheAgentNamingTheFile(@TempDir Path dir) throws Exception {
        // Given: a directory where the file should be, which exists and cannot be read, even by root
        Path unreadable = Files.createDirectory(dir.resolve("agent.env"));
        Map<String, String> environment = Map.of("BERTH_AGENT_ENV_FILE", unreadable.toString());

        // When
        List<String> logged = warningsWhile(() -> AgentEnvFile.settings(environment, Path.of("/nonexistent")));
        Throwable refusal = catchThrowable(() -> AgentEnvFile.requireReadable(environment));

        // Then
        assertThat(logged).anySatisfy(line -> assertThat(line).contains(unreadable.toString())
                .contains("will not start"));
        assertThat(refusal).isInstanceOf(IllegalStateException.class).hasMessageContaining(unreadable.toString())
                .hasMessageContaining("BERTH_AGENT_ENV_FILE");
    }

    @Test
    void theDefaultEnvFileUnreadableUnderSystemdIsTheShippedUnitsCase(@TempDir Path dir) throws Exception {
        // Given: berth-agent.service reads /etc/berth/agent.env (root, 0600) as root into the
        // environment of an agent that runs as user berth, which cannot read the file itself
        Path unreadable = Files.createDirectory(dir.resolve("agent.env"));

        // When
        List<String> underSystemd = warningsWhile(() -> AgentEnvFile.settings(Map.of("INVOCATION_ID", "1f2e"),
                unreadable));
        List<String> elsewhere = warningsWhile(() -> AgentEnvFile.settings(Map.of(), unreadable));

        // Then: no refusal, and a warning only where no EnvironmentFile= passed its settings on
        assertThat(catchThrowable(() -> AgentEnvFile.requireReadable(Map.of()))).isNull();
        assertThat(underSystemd).noneMatch(line -> line.contains(unreadable.toString()));
        assertThat(elsewhere).anySatisfy(line -> assertThat(line).contains(unreadable.toString())
                .contains("environment"));
    }

    @Test
    void aThreadOrBufferCountBelowOneStopsStartUpNamingTheSetting() {
        // Given
        Map<String, String> environment = Map.of("BERTH_AGENT_WORKER_THREADS", "0");

        // When
        Throwable failure = catchThrowable(() -> load(environment));

        // Then
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("berth.agent.worker-threads").contains("must be at least 1");
    }

    @Test
    void aContainerStartParallelismBelowOneStopsStartUpNamingTheSetting() {
        // Given
        Map<String, String> environment = Map.of("BERTH_AGENT_CONTAINER_START_PARALLELISM", "0");

        // When
        Throwable failure = catchThrowable(() -> load(environment));

        // Then
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("berth.agent.container-start-parallelism")
                .contains("must be at least 1");
    }

    @Test
    void theSurvivalSettingsHaveTheirDefaults() throws Exception {
        // Given / When
        AgentConfig config = load(Map.of());

        // Then
        assertThat(config.workerThreads()).isEqualTo(64);
        assertThat(config.containerStartParallelism()).isEqualTo(4);
        assertThat(config.stateChangeBuffer()).isEqualTo(4096);
        assertThat(config.orphanGracePeriod()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.apiEndpoint()).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void hostSettingsAreStrictByDefaultAndTakeTheEcsNames() throws Exception {
        // Given / When
        AgentConfig defaults = load(Map.of());
        AgentConfig relaxed = load(Map.of("ECS_DISABLE_PRIVILEGED", "false", "ECS_CONTAINER_START_TIMEOUT", "90s",
                "BERTH_AGENT_HOST_PATHS_ALLOWED", "/srv/berth,/var/log/apps"));

        // Then
        assertThat(defaults.disablePrivileged()).isTrue();
        assertThat(defaults.hostPathsAllowed()).isEmpty();
        assertThat(defaults.containerStartTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(relaxed.disablePrivileged()).isFalse();
        assertThat(relaxed.hostPathsAllowed()).contains(List.of(Path.of("/srv/berth"), Path.of("/var/log/apps")));
        assertThat(relaxed.containerStartTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(defaults.imagePullBehavior()).isEqualTo(ImagePullBehavior.PREFER_CACHED);
        assertThat(load(Map.of("ECS_IMAGE_PULL_BEHAVIOR", "always")).imagePullBehavior())
                .isEqualTo(ImagePullBehavior.ALWAYS);
        assertThat(load(Map.of("ECS_IMAGE_PULL_BEHAVIOR", "prefer-cached")).imagePullBehavior())
                .isEqualTo(ImagePullBehavior.PREFER_CACHED);
    }

    @Test
    void reservedUdpPortsAreNoneByDefaultAndTakeTheEcsForm() throws Exception {
        // Given / When
        AgentConfig defaults = load(Map.of());
        AgentConfig udp = load(Map.of("ECS_RESERVED_PORTS_UDP", "[53, 5353]"));
        AgentConfig emptyList = load(Map.of("ECS_RESERVED_PORTS_UDP", "[]"));

        // Then
        assertThat(defaults.reservedPortsUdp().map(ReservedPorts::ports).orElse(Set.of())).isEmpty();
        assertThat(udp.reservedPortsUdp().map(ReservedPorts::ports)).hasValueSatisfying(ports -> assertThat(ports)
                .containsOnly(53, 5353));
        assertThat(emptyList.reservedPortsUdp().map(ReservedPorts::ports).orElse(Set.of())).isEmpty();
    }

    @Test
    void reservedPortsTakeTheEcsJsonArrayOrACommaList() throws Exception {
        // When
        AgentConfig json = load(Map.of("ECS_RESERVED_PORTS", " [22, 1, 65535] ", "ECS_RESERVED_PORTS_UDP", "[53]"));
        AgentConfig commas = load(Map.of("ECS_RESERVED_PORTS", "22, 80", "ECS_RESERVED_PORTS_UDP", "53,161"));

        // Then
        assertThat(json.reservedPorts().ports()).containsExactlyInAnyOrder(22, 1, 65535);
        assertThat(json.reservedPortsUdp().map(ReservedPorts::ports)).hasValueSatisfying(ports -> assertThat(ports)
                .containsOnly(53));
        assertThat(commas.reservedPorts().ports()).containsExactlyInAnyOrder(22, 80);
        assertThat(commas.reservedPortsUdp().map(ReservedPorts::ports)).hasValueSatisfying(ports -> assertThat(ports)
                .containsOnly(53, 161));
    }

    @Test
    void aReservedPortListThatIsNotPortsStopsStartUpNamingTheSetting() {
        // Given: the ECS agent decodes these lists into uint16s and rejects what is not a JSON array of them
        Map<String, String> properties = Map.of("ECS_RESERVED_PORTS", "berth.agent.reserved-ports",
                "ECS_RESERVED_PORTS_UDP", "berth.agent.reserved-ports-udp");
        for (String bad : List.of("[22,516780]", "[-1]", "[0]", "[22", "22]", "[22.5]", "[\"22\"]", "[22, null]",
                "[22 80]", "[22,]", "[22] [80]", "{\"ssh\": 22}", "22,65536", "22,ssh", "22,,80", "-1")) {
            properties.forEach((setting, property) -> {
                // When
                Throwable failure = catchThrowable(() -> load(Map.of(setting, bad)));

                // Then
                assertThat(failure).as(setting + "=" + bad).isNotNull();
                assertThat(failure.getMessage()).as(setting + "=" + bad).contains(property).contains(setting);
            });
        }
    }

    @Test
    void instanceAttributesAreTheEcsJsonObject() throws Exception {
        // Given / When
        AgentConfig config = load(Map.of("ECS_INSTANCE_ATTRIBUTES", "{\"stack\": \"prod\", \"rack\": \"r1/a\"}"));

        // Then
        assertThat(config.instanceAttributes()).hasValueSatisfying(attributes -> assertThat(attributes.values())
                .containsOnly(Map.entry("stack", "prod"), Map.entry("rack", "r1/a")));
        assertThat(load(Map.of()).instanceAttributes().map(InstanceAttributes::values).orElse(Map.of())).isEmpty();
    }

    @Test
    void badInstanceAttributesStopStartUpNamingTheSetting() {
        for (String bad : List.of("stack=prod", "[\"prod\"]", "{\"stack\": 3}", "{\"ecs.os-type\": \"windows\"}",
                "{\"bad name\": \"x\"}", "{\"stack\": \"prod\"}{\"team\": \"payments\"}", "{\"stack\": \"prod\"} x")) {
            // When
            Throwable failure = catchThrowable(() -> load(Map.of("ECS_INSTANCE_ATTRIBUTES", bad)));

            // Then
            assertThat(failure).as(bad).isNotNull();
            assertThat(failure.getMessage()).as(bad).contains("ECS_INSTANCE_ATTRIBUTES")
                    .contains("berth.agent.instance-attributes");
        }
    }

    @Test
    void theLogLevelIsAppliedFromEverySourceThatSetsIt() throws Exception {
        // When / Then: system properties, as -D options in JAVA_OPTS give them
        assertThat(appliedLogLevel(Map.of("berth.agent.log-level", "debug"), Map.of(), Map.of(), Map.of()))
                .contains("DEBUG");
        assertThat(appliedLogLevel(Map.of("ECS_LOGLEVEL", "warn"), Map.of(), Map.of(), Map.of())).contains("WARN");
        // a config/application.properties in the working directory
        assertThat(appliedLogLevel(Map.of(), Map.of(), Map.of(), Map.of("berth.agent.log-level", "error")))
                .contains("ERROR");
        // the environment and the env file, the environment winning
        assertThat(appliedLogLevel(Map.of(), Map.of(), Map.of("ECS_LOGLEVEL", "WARN"), Map.of())).contains("WARN");
        assertThat(appliedLogLevel(Map.of(), Map.of("ECS_LOGLEVEL", "error"), Map.of("ECS_LOGLEVEL", "debug"),
                Map.of())).contains("ERROR");
        // QUARKUS_LOG_LEVEL wins over every name of the agent's
        assertThat(appliedLogLevel(Map.of(), Map.of("QUARKUS_LOG_LEVEL", "ERROR", "ECS_LOGLEVEL", "debug"), Map.of(),
                Map.of())).contains("ERROR");
        assertThat(appliedLogLevel(Map.of(), Map.of(), Map.of(), Map.of())).isEmpty();
    }

    @Test
    void quarkusFindsTheLogLevelFactoryAndTheEnvFile() {
        // Quarkus finds config source factories and sources with the ServiceLoader, as appliedLogLevel() cannot show.
        assertThat(ServiceLoader.load(ConfigSourceFactory.class).stream().map(ServiceLoader.Provider::type))
                .contains(EcsLogLevel.class);
        // (a class listed that is no ConfigSource, as EcsLogLevel no longer is, fails the stream)
        assertThat(ServiceLoader.load(ConfigSource.class).stream().map(ServiceLoader.Provider::type))
                .contains(AgentEnvFile.class);
    }

    @Test
    void theEcsLogLevelBecomesQuarkusRootLevelAndABadOneStopsStartUp() throws Exception {
        // Given / When
        AgentConfig crit = load(Map.of("ECS_LOGLEVEL", "crit"));
        Throwable failure = catchThrowable(() -> load(Map.of("ECS_LOGLEVEL", "verbose")));

        // Then
        assertThat(crit.logLevel()).contains("FATAL");
        assertThat(load(Map.of()).logLevel()).isEmpty();
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("verbose is not a log level (BERTH_AGENT_LOG_LEVEL or ECS_LOGLEVEL)");
        assertThat(appliedLogLevel(Map.of(), Map.of("ECS_LOGLEVEL", "debug"), Map.of(), Map.of())).contains("DEBUG");
        assertThat(appliedLogLevel(Map.of(), Map.of("ECS_LOGLEVEL", "verbose"), Map.of(), Map.of())).isEmpty();
    }

    @Test
    void imageCleanupTakesTheEcsNamesAndDefaults() throws Exception {
        // Given / When
        AgentConfig defaults = load(Map.of());
        AgentConfig ecs = load(Map.of("ECS_IMAGE_CLEANUP_INTERVAL", "10m", "ECS_IMAGE_MINIMUM_CLEANUP_AGE", "15m",
                "ECS_NUM_IMAGES_DELETE_PER_CYCLE", "10", "ECS_DISABLE_IMAGE_CLEANUP", "true"));

        // Then
        assertThat(defaults.imageCleanupDisabled()).isFalse();
        assertThat(defaults.imageCleanupInterval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(defaults.imageMinimumCleanupAge()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.imagesDeletedPerCycle()).isEqualTo(5);
        assertThat(defaults.imageDiskHighWatermark()).isEqualTo(85);
        assertThat(defaults.imageDiskLowWatermark()).isEqualTo(80);
        assertThat(ecs.imageCleanupDisabled()).isTrue();
        assertThat(ecs.imageCleanupInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(ecs.imageMinimumCleanupAge()).isEqualTo(Duration.ofMinutes(15));
        assertThat(ecs.imagesDeletedPerCycle()).isEqualTo(10);
    }

    @Test
    void badImageCleanupValuesStopStartUpNamingTheSetting() {
        Map<String, String> bad = Map.of("ECS_IMAGE_CLEANUP_INTERVAL", "0s",
                "ECS_NUM_IMAGES_DELETE_PER_CYCLE", "0",
                "BERTH_AGENT_IMAGE_DISK_HIGH_WATERMARK", "120",
                "ECS_IMAGE_MINIMUM_CLEANUP_AGE", "an hour");
        Map<String, String> names = Map.of("ECS_IMAGE_CLEANUP_INTERVAL", "berth.agent.image-cleanup-interval",
                "ECS_NUM_IMAGES_DELETE_PER_CYCLE", "berth.agent.images-deleted-per-cycle",
                "BERTH_AGENT_IMAGE_DISK_HIGH_WATERMARK", "berth.agent.image-disk-high-watermark",
                "ECS_IMAGE_MINIMUM_CLEANUP_AGE", "berth.agent.image-minimum-cleanup-age");
        bad.forEach((setting, value) -> {
            // When
            Throwable failure = catchThrowable(() -> load(Map.of(setting, value)));

            // Then
            assertThat(failure).as(setting).isNotNull();
            assertThat(failure.getMessage()).as(setting).contains(names.get(setting));
        });
    }

    @Test
    void booleansTakeExactlyTheFormsOfGosParseBoolAsTheEcsAgentDoes() throws Exception {
        for (String yes : List.of("1", "t", "T", "TRUE", "true", "True", " true ")) {
            // When
            AgentConfig config = load(Map.of("ECS_DISABLE_PRIVILEGED", yes, "ECS_DISABLE_IMAGE_CLEANUP", yes));

            // Then
            assertThat(config.disablePrivileged()).as(yes).isTrue();
            assertThat(config.imageCleanupDisabled()).as(yes).isTrue();
        }
        for (String no : List.of("0", "f", "F", "FALSE", "false", "False")) {
            // When
            AgentConfig config = load(Map.of("ECS_DISABLE_PRIVILEGED", no, "ECS_DISABLE_IMAGE_CLEANUP", no));

            // Then
            assertThat(config.disablePrivileged()).as(no).isFalse();
            assertThat(config.imageCleanupDisabled()).as(no).isFalse();
        }
    }

    @Test
    void aBooleanGoCannotReadStopsStartUpNamingTheSetting() {
        // Given
        Map<String, String> names = Map.of("ECS_DISABLE_PRIVILEGED", "berth.agent.disable-privileged",
                "ECS_DISABLE_IMAGE_CLEANUP", "berth.agent.image-cleanup-disabled");
        for (String bad : List.of("ture", "yes", "on", "tRUE", "2", "falsch")) {
            names.forEach((setting, property) -> {
                // When
                Throwable failure = catchThrowable(() -> load(Map.of(setting, bad)));

                // Then
                assertThat(failure).as(setting + "=" + bad).isNotNull();
                assertThat(failure.getMessage()).as(setting + "=" + bad).contains(property)
                        .contains("true or false");
            });
        }
    }

    @Test
    void durationsWithEcsNamesTakeGoSyntaxAndBerthsOwnForms() throws Exception {
        // When
        AgentConfig go = load(Map.of("ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION", "1.5h",
                "ECS_CONTAINER_STOP_TIMEOUT", "1s500ms", "ECS_CONTAINER_START_TIMEOUT", "2m30.5s",
                "ECS_IMAGE_CLEANUP_INTERVAL", "0.5h", "ECS_IMAGE_MINIMUM_CLEANUP_AGE", "1h30m"));
        AgentConfig berth = load(Map.of("ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION", "PT2H",
                "ECS_CONTAINER_STOP_TIMEOUT", "45", "ECS_CONTAINER_START_TIMEOUT", "PT1M",
                "ECS_IMAGE_CLEANUP_INTERVAL", "1d", "ECS_IMAGE_MINIMUM_CLEANUP_AGE", "90M"));

        // Then
        assertThat(go.taskCleanupWait()).isEqualTo(Duration.ofMinutes(90));
        assertThat(go.stopTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(go.containerStartTimeout()).isEqualTo(Duration.ofMillis(150_500));
        assertThat(go.imageCleanupInterval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(go.imageMinimumCleanupAge()).isEqualTo(Duration.ofMinutes(90));
        assertThat(berth.taskCleanupWait()).isEqualTo(Duration.ofHours(2));
        assertThat(berth.stopTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(berth.containerStartTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(berth.imageCleanupInterval()).isEqualTo(Duration.ofDays(1));
        assertThat(berth.imageMinimumCleanupAge()).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void theImagePullTimeoutTakesTheEcsNameAndDefault() throws Exception {
        // When
        AgentConfig defaults = load(Map.of());
        AgentConfig go = load(Map.of("ECS_IMAGE_PULL_TIMEOUT", "1.5h"));
        AgentConfig zero = load(Map.of("ECS_IMAGE_PULL_TIMEOUT", "0s"));
        AgentConfig berth = load(Map.of("ECS_IMAGE_PULL_TIMEOUT", "1.5h", "BERTH_AGENT_PULL_TIMEOUT", "PT20M"));

        // Then: the ECS agent's DefaultImagePullTimeout, and zero is the default there too
        assertThat(defaults.pullTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(go.pullTimeout()).isEqualTo(Duration.ofMinutes(90));
        assertThat(zero.pullTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(berth.pullTimeout()).isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void theImagePullInactivityTimeoutTakesTheEcsNameAndDefault() throws Exception {
        // When
        AgentConfig defaults = load(Map.of());
        AgentConfig go = load(Map.of("ECS_IMAGE_PULL_INACTIVITY_TIMEOUT", "2m30s"));
        AgentConfig zero = load(Map.of("ECS_IMAGE_PULL_INACTIVITY_TIMEOUT", "0"));
        Throwable negative = catchThrowable(() -> load(Map.of("ECS_IMAGE_PULL_INACTIVITY_TIMEOUT", "-1m")));

        // Then: the ECS agent's default, and zero is the default there too
        assertThat(defaults.pullInactivityTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(go.pullInactivityTimeout()).isEqualTo(Duration.ofSeconds(150));
        assertThat(zero.pullInactivityTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(negative).isNotNull();
        assertThat(negative.getMessage()).contains("ECS_IMAGE_PULL_INACTIVITY_TIMEOUT").contains("-1m");
    }

    @Test
    void aNegativeImagePullTimeoutStopsStartUpNamingTheSetting() {
        // When: the ECS agent would take it and fail every pull at once
        Throwable failure = catchThrowable(() -> load(Map.of("ECS_IMAGE_PULL_TIMEOUT", "-10m")));

        // Then
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("berth.agent.pull-timeout").contains("ECS_IMAGE_PULL_TIMEOUT")
                .contains("-10m");
    }

    @Test
    void aDurationNeitherGoNorBerthReadsStopsStartUpNamingTheSetting() {
        // When
        Throwable failure = catchThrowable(() -> load(Map.of("ECS_CONTAINER_STOP_TIMEOUT", "1 minute")));

        // Then
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("berth.agent.stop-timeout").contains("1h30m");
    }

    @Test
    void timeoutsBelowTheEcsAgentsFloorsAreRaisedAsItRaisesThemAndZeroMeansTheDefault() throws Exception {
        // Given
        AgentConfig defaults = load(Map.of());

        // When / Then: ECS_CONTAINER_STOP_TIMEOUT below 1s is 1s
        assertThat(stopTimeout("500ms")).isEqualTo(Duration.ofSeconds(1));
        assertThat(stopTimeout("-5s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(stopTimeout("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(stopTimeout("0s")).isEqualTo(defaults.stopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(stopTimeout("0")).isEqualTo(defaults.stopTimeout());
        // ECS_CONTAINER_START_TIMEOUT below 45s is 45s
        assertThat(startTimeout("10s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(startTimeout("-1m")).isEqualTo(Duration.ofSeconds(45));
        assertThat(startTimeout("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(startTimeout("0s")).isEqualTo(defaults.containerStartTimeout()).isEqualTo(Duration.ofMinutes(3));
        // ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION below 1s is the default
        assertThat(cleanupWait("500ms")).isEqualTo(defaults.taskCleanupWait()).isEqualTo(Duration.ofHours(3));
        assertThat(cleanupWait("-1h")).isEqualTo(defaults.taskCleanupWait());
        assertThat(cleanupWait("0s")).isEqualTo(defaults.taskCleanupWait());
        assertThat(cleanupWait("1s")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aTimeoutRaisedToItsFloorIsAWarningNamingTheSetting() throws Exception {
        // When
        List<String> warnings = warningsWhile(() -> load(Map.of("ECS_CONTAINER_STOP_TIMEOUT", "500ms",
                "ECS_CONTAINER_START_TIMEOUT", "0s", "ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION", "-1h")));

        // Then
        assertThat(warnings).anySatisfy(line -> assertThat(line).contains("ECS_CONTAINER_STOP_TIMEOUT")
                .contains("500ms").contains("1s"));
        assertThat(warnings).anySatisfy(line -> assertThat(line).contains("ECS_CONTAINER_START_TIMEOUT")
                .contains("0s").contains("3m"));
        assertThat(warnings).anySatisfy(line -> assertThat(line).contains("ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION")
                .contains("-1h").contains("3h"));
        assertThat(warningsWhile(() -> load(Map.of("ECS_CONTAINER_STOP_TIMEOUT", "2s"))))
                .noneMatch(line -> line.contains("ECS_CONTAINER_STOP_TIMEOUT"));
    }

    private static Duration stopTimeout(String value) throws IOException {
        return load(Map.of("ECS_CONTAINER_STOP_TIMEOUT", value)).stopTimeout();
    }

    private static Duration startTimeout(String value) throws IOException {
        return load(Map.of("ECS_CONTAINER_START_TIMEOUT", value)).containerStartTimeout();
    }

    private static Duration cleanupWait(String value) throws IOException {
        return load(Map.of("ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION", value)).taskCleanupWait();
    }

    /** The WARN and ERROR lines logged, by any logger, while the action runs. */
    private static List<String> warningsWhile(Callable<?> action) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(handler);
        try {
            action.call();
        } finally {
            root.removeHandler(handler);
        }
        return lines;
    }

    @Test
    void ecsLogLevelNoneTurnsLoggingOffAsInTheEcsAgent() throws Exception {
        // When
        AgentConfig none = load(Map.of("ECS_LOGLEVEL", "none"));

        // Then
        assertThat(none.logLevel()).contains("OFF");
        assertThat(appliedLogLevel(Map.of(), Map.of("ECS_LOGLEVEL", "none"), Map.of(), Map.of())).contains("OFF");
    }

    @Test
    void berthAgentLogLevelSetsTheRootLevelAndWinsOverEcsLogLevel() throws Exception {
        // Given
        Map<String, String> both = Map.of("ECS_LOGLEVEL", "error", "BERTH_AGENT_LOG_LEVEL", "debug");

        // When
        Optional<String> alone = appliedLogLevel(Map.of(), Map.of("BERTH_AGENT_LOG_LEVEL", "warn"), Map.of(),
                Map.of());
        Optional<String> inTheEnvironment = appliedLogLevel(Map.of(), both, Map.of(), Map.of());
        Optional<String> inTheEnvFile = appliedLogLevel(Map.of(), Map.of("ECS_LOGLEVEL", "error"),
                Map.of("BERTH_AGENT_LOG_LEVEL", "debug"), Map.of());

        // Then the level applied is the one AgentConfig checks
        assertThat(alone).contains("WARN");
        assertThat(inTheEnvironment).contains("DEBUG");
        assertThat(inTheEnvFile).contains("DEBUG");
        assertThat(load(both).logLevel()).contains("DEBUG");
        Map<String, String> emptyBerthName = Map.of("BERTH_AGENT_LOG_LEVEL", "", "ECS_LOGLEVEL", "debug");
        assertThat(load(emptyBerthName).logLevel()).isEmpty();
        assertThat(appliedLogLevel(Map.of(), emptyBerthName, Map.of(), Map.of())).isEmpty();
    }

    @Test
    void aNegativeReservedMemoryStopsStartUpNamingTheSetting() throws Exception {
        // When
        Throwable failure = catchThrowable(() -> load(Map.of("ECS_RESERVED_MEMORY", "-512")));

        // Then
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("berth.agent.reserved-memory").contains("-512");
        assertThat(load(Map.of("ECS_RESERVED_MEMORY", "0")).reservedMemory()).isZero();
    }

    @Test
    void theArnRegionAndAccountTakeTheAgentsOwnNamesOrFollowTheSchedulers() throws Exception {
        // When
        AgentConfig own = load(Map.of("BERTH_AGENT_ARN_REGION", "eu-west-1", "BERTH_AGENT_ARN_ACCOUNT", "123456789012"));
        AgentConfig schedulers = load(Map.of("BERTH_SCHEDULER_REGION", "eu-west-2",
                "BERTH_SCHEDULER_ACCOUNT", "210987654321"));

        // Then
        assertThat(own.arnRegion()).isEqualTo("eu-west-1");
        assertThat(own.arnAccount()).isEqualTo("123456789012");
        assertThat(schedulers.arnRegion()).isEqualTo("eu-west-2");
        assertThat(schedulers.arnAccount()).isEqualTo("210987654321");
    }
}
