package dev.berth.agent;

import io.smallrye.config.EnvConfigSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The agent's env file, like the ECS agent's {@code /etc/ecs/ecs.config}: {@code NAME=value}
 * lines ({@code ECS_CLUSTER=prod}, {@code BERTH_AGENT_RESYNC_INTERVAL=1m}), read as if they
 * were environment variables, just below the real environment. The file is named by env
 * {@code BERTH_AGENT_ENV_FILE} (default {@code /etc/berth/agent.env}); a missing file is
 * simply no configuration. Only a process that plays the agent role reads it.
 */
public final class AgentEnvFile extends EnvConfigSource {

    public static final String DEFAULT_PATH = "/etc/berth/agent.env";
    /** Just below the environment (300), above application.properties (250). */
    static final int ORDINAL = 290;
    private static final Logger LOGGER = Logger.getLogger(AgentEnvFile.class);

    public AgentEnvFile() {
        super(forThisProcess(), ORDINAL);
    }

    /**
     * The file's settings when this process plays the agent role; none otherwise. A host may run
     * a scheduler beside its agent: the agent's file (its HTTP server off, its management port,
     * its Kafka settings) must not reach the scheduler, whose own unit names its settings.
     */
    static Map<String, String> forThisProcess() {
        String roles = System.getProperty("berth.roles", System.getenv("BERTH_ROLES"));
        if (!playsAgent(roles)) {
            return Map.of();
        }
        return read(Path.of(System.getenv().getOrDefault("BERTH_AGENT_ENV_FILE", DEFAULT_PATH)));
    }

    /** Whether a roles list ({@code berth.roles}) names the agent; none named is the default, all three. */
    static boolean playsAgent(String roles) {
        if (roles == null || roles.isBlank()) {
            return true;
        }
        for (String role : roles.split(",")) {
            if (role.strip().equalsIgnoreCase("agent")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String getName() {
        return "berth agent env file";
    }

    static Map<String, String> read(Path file) {
        if (!Files.isReadable(file)) {
            return Map.of();
        }
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOGGER.warnf("Cannot read the agent env file %s (%s); ignoring it", file, e.getMessage());
            return Map.of();
        }
    }

    /** {@code NAME=value} lines; blank lines and {@code #} comments are skipped, quotes around a value dropped. */
    static Map<String, String> parse(List<String> lines) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int equals = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || equals <= 0) {
                continue;
            }
            String value = line.substring(equals + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            values.put(line.substring(0, equals).strip(), value);
        }
        return values;
    }
}
