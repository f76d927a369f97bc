package dev.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a shipped systemd unit starts its role, so that a benchmark measures exactly that: the
 * JVM options of {@code ExecStart} (with {@code $JAVA_OPTS} from the unit's env file in its
 * place), the unit's {@code Environment=} settings and the settings its env file ships (which
 * win, as systemd's {@code EnvironmentFile=} does), but for those the benchmark sets itself:
 * the role, the data directory, where Kafka is (and its replication: the benchmark's broker is
 * one), the cluster, the ports and the API's keys.
 */
record ShippedUnit(List<String> jvmOptions, Map<String, String> environment) {

    private static final List<String> SET_BY_THE_BENCHMARK = List.of("BERTH_ROLES", "BERTH_DATA_DIR", "JAVA_OPTS",
            "KAFKA_BOOTSTRAP_SERVERS", "BERTH_KAFKA_REPLICATION_FACTOR", "ECS_CLUSTER", "QUARKUS_HTTP_HOST", "QUARKUS_HTTP_PORT",
            "QUARKUS_MANAGEMENT_PORT", "BERTH_API_ACCESS_KEY_ID", "BERTH_API_SECRET_ACCESS_KEY",
            "BERTH_SCHEDULER_ADVERTISED_URL");

    /** {@code systemd/berth-agent.service} with {@code systemd/agent.env}. */
    static ShippedUnit agent() throws IOException {
        return read(Path.of("systemd/berth-agent.service"), Path.of("systemd/agent.env"));
    }

    /** {@code systemd/berth-scheduler.service} with {@code systemd/scheduler.env}. */
    static ShippedUnit scheduler() throws IOException {
        return read(Path.of("systemd/berth-scheduler.service"), Path.of("systemd/scheduler.env"));
    }

    private static ShippedUnit read(Path unit, Path envFile) throws IOException {
        List<String> envLines = Files.readAllLines(envFile);
        List<String> javaOpts = javaOpts(envLines);
        List<String> options = new ArrayList<>();
        Map<String, String> environment = new LinkedHashMap<>();
        for (String raw : Files.readAllLines(unit)) {
            String line = raw.strip();
            if (line.startsWith("ExecStart=")) {
                List<String> words = Arrays.asList(line.substring("ExecStart=".length()).split("\\s+"));
                for (String word : words.subList(1, words.indexOf("-jar"))) {
                    if (word.equals("$JAVA_OPTS")) {
                        options.addAll(javaOpts);
                    } else {
                        options.add(word);
                    }
                }
            } else if (line.startsWith("Environment=")) {
                String[] setting = line.substring("Environment=".length()).split("=", 2);
                if (!SET_BY_THE_BENCHMARK.contains(setting[0])) {
                    environment.put(setting[0], setting[1]);
                }
            }
        }
        if (options.isEmpty()) {
            throw new IllegalStateException(unit + " has no ExecStart with -jar");
        }
        for (String line : envLines) {
            String[] setting = line.split("=", 2);
            if (setting.length == 2 && setting[0].matches("[A-Z][A-Z0-9_]*")
                    && !SET_BY_THE_BENCHMARK.contains(setting[0])) {
                environment.put(setting[0], setting[1].strip());
            }
        }
        return new ShippedUnit(List.copyOf(options), Map.copyOf(environment));
    }

    /** JAVA_OPTS as the env file sets it; none when the line is commented out. */
    private static List<String> javaOpts(List<String> envFile) {
        for (String line : envFile) {
            if (line.startsWith("JAVA_OPTS=")) {
                String value = line.substring("JAVA_OPTS=".length()).strip();
                return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
            }
        }
        return List.of();
    }

    /** The same unit with more JVM options after its own, as the env file's JAVA_OPTS would add them. */
    ShippedUnit withJavaOpts(String javaOpts) {
        List<String> options = new ArrayList<>(jvmOptions);
        if (!javaOpts.isBlank()) {
            options.addAll(List.of(javaOpts.strip().split("\\s+")));
        }
        return new ShippedUnit(List.copyOf(options), environment);
    }

    /** The options and settings as one line, for the table. */
    String describe() {
        StringBuilder line = new StringBuilder(String.join(" ", jvmOptions));
        environment.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        return line.toString();
    }
}
