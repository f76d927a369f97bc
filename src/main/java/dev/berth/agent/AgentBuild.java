package dev.berth.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.jboss.logging.Logger;

/**
 * The version and commit of the running agent, read from the build's
 * {@code /dev/berth/app/build.properties} (the same resource the app reads: the agent reads
 * it itself because it never imports {@code dev.berth.app}). Reported in the agent's start
 * line, in its registration on berth.instances and in {@code /v1/metadata}.
 */
public record AgentBuild(String version, String commit) {

    static final String RESOURCE = "/dev/berth/app/build.properties";
    private static final String UNKNOWN = "unknown";
    private static final Logger LOGGER = Logger.getLogger(AgentBuild.class);

    public static AgentBuild load() {
        Properties properties = new Properties();
        try (InputStream in = AgentBuild.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            LOGGER.warnf("Cannot read %s (%s); the agent reports version unknown", RESOURCE, e.getMessage());
        }
        return new AgentBuild(value(properties, "version"), value(properties, "commit"));
    }

    /** An unfiltered resource (an IDE build) still holds the {@code ${...}} placeholders. */
    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key, UNKNOWN).strip();
        return value.isEmpty() || value.startsWith("${") ? UNKNOWN : value;
    }

    /**
     * {@code Berth Agent - v0.1.0 (1a2b3c4d5e6f)}, in the ECS agent's form ({@code Amazon ECS
     * Agent - v1.27.0 (249bb5d7)}), so that tools that read the version from it with a
     * {@code v<major>.<minor>.<patch>} pattern find it.
     */
    public String describe() {
        return "Berth Agent - v" + version + " (" + commit + ")";
    }
}
