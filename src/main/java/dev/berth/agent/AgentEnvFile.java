package dev.berth.agent;

import io.smallrye.config.EnvConfigSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The agent's env file, like the ECS agent's {@code /etc/ecs/ecs.config}: {@code NAME=value}
 * lines ({@code ECS_CLUSTER=prod}, {@code BERTH_AGENT_RESYNC_INTERVAL=1m}), read as if they
 * were environment variables, just below the real environment. The file is named by env
 * {@code BERTH_AGENT_ENV_FILE} (default {@code /etc/berth/agent.env}); a missing file is
 * simply no configuration. Only a process that plays the agent role reads it.
 *
 * <p>A file that exists but cannot be read is not quietly skipped. Named by
 * {@code BERTH_AGENT_ENV_FILE}, it is an ERROR, and the agent refuses to start
 * ({@link #requireReadable}). The default file unreadable is the shipped unit's case:
 * berth-agent.service reads it as root ({@code EnvironmentFile=}, mode 0600) into the
 * environment of an agent that runs as user berth. That is an INFO line under systemd and a
 * WARN elsewhere: either way only the settings that reach the environment count.
 *
 * <p>Each line is decoded on its own, as UTF-8, or as ISO-8859-1 where it is not UTF-8 (a
 * Latin-1 comment), so that one such byte costs nothing beyond its line; a setting read so is a
 * WARN naming the line.
 */
public final class AgentEnvFile extends EnvConfigSource {

    public static final String DEFAULT_PATH = "/etc/berth/agent.env";
    static final String SETTING = "BERTH_AGENT_ENV_FILE";
    /** systemd sets it for every unit it runs, ours included. */
    private static final String SYSTEMD_INVOCATION = "INVOCATION_ID";
    /** Just below the environment (300), above application.properties (250). */
    static final int ORDINAL = 290;
    private static final char BYTE_ORDER_MARK = '\uFEFF';
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
        return settings(System.getenv(), Path.of(DEFAULT_PATH));
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

    /** The settings of the file the environment names, else of {@code defaultFile}; none when it cannot be read. */
    static Map<String, String> settings(Map<String, String> environment, Path defaultFile) {
        Optional<Path> named = named(environment);
        Path file = named.orElse(defaultFile);
        try {
            return read(file);
        } catch (IOException e) {
            if (named.isPresent()) {
                LOGGER.errorf("%s: the agent will not start", unreadable(file, e));
            } else if (environment.containsKey(SYSTEMD_INVOCATION)) {
                LOGGER.infof("%s: taking the agent's settings from the environment, where the unit's "
                        + "EnvironmentFile= puts them", unreadable(file, e));
            } else {
                LOGGER.warnf("%s: taking the agent's settings from the environment only", unreadable(file, e));
            }
            return Map.of();
        }
    }

    /**
     * Refuses to start the agent when {@code BERTH_AGENT_ENV_FILE} names a file that exists but
     * cannot be read: its settings (the cluster, the Kafka servers) would be missing, and the
     * agent would run on the defaults.
     */
    static void requireReadable(Map<String, String> environment) {
        Optional<Path> named = named(environment);
        if (named.isEmpty()) {
            return;
        }
        try {
            read(named.get());
        } catch (IOException e) {
            throw new IllegalStateException(unreadable(named.get(), e) + " (" + SETTING + "): make it readable by "
                    + "this process, or name another file");
        }
    }

    /** The file {@code BERTH_AGENT_ENV_FILE} names; a blank value names none, as if it were not set. */
    private static Optional<Path> named(Map<String, String> environment) {
        String named = environment.get(SETTING);
        return named == null || named.isBlank() ? Optional.empty() : Optional.of(Path.of(named.strip()));
    }

    private static String unreadable(Path file, IOException e) {
        String why = e instanceof AccessDeniedException
                ? "permission denied for user " + System.getProperty("user.name")
                : e.getMessage();
        return "Cannot read the agent env file " + file + " (" + why + ")";
    }

    /** The file's settings; none for a file that does not exist. */
    static Map<String, String> read(Path file) throws IOException {
        if (Files.notExists(file)) {
            return Map.of();
        }
        return parse(lines(file, Files.readAllBytes(file)));
    }

    /**
     * The lines of {@code bytes}, split at LF, CR or CRLF (bytes that never occur inside a
     * UTF-8 sequence), each decoded on its own; a leading byte order mark is dropped.
     */
    static List<String> lines(Path file, byte[] bytes) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int at = 0; at <= bytes.length; at++) {
            if (at < bytes.length && bytes[at] != '\n' && bytes[at] != '\r') {
                continue;
            }
            lines.add(decode(file, lines.size() + 1, Arrays.copyOfRange(bytes, start, at)));
            if (at + 1 < bytes.length && bytes[at] == '\r' && bytes[at + 1] == '\n') {
                at++;
            }
            start = at + 1;
        }
        if (!lines.isEmpty() && !lines.get(0).isEmpty() && lines.get(0).charAt(0) == BYTE_ORDER_MARK) {
            lines.set(0, lines.get(0).substring(1));
        }
        return lines;
    }

    private static String decode(Path file, int number, byte[] line) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException notUtf8) {
            String text = new String(line, StandardCharsets.ISO_8859_1);
            String setting = text.strip();
            if (!setting.isEmpty() && !setting.startsWith("#")) {
                LOGGER.warnf("The agent env file %s, line %d, is not UTF-8: read as ISO-8859-1", file, number);
            }
            return text;
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
