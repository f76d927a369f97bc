package dev.berth.agent;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * The agent's log level, {@code berth.agent.log-level} ({@code BERTH_AGENT_LOG_LEVEL}, or the
 * ECS agent's {@code ECS_LOGLEVEL}: {@code debug}, {@code info}, {@code warn}, {@code error},
 * {@code crit}, {@code none}, which turns logging off), as Quarkus's root log level. This factory
 * reads the setting as {@link AgentConfig#logLevel()} reads it, from every source that can set
 * it (the environment, the agent's env file, system properties, a
 * {@code config/application.properties}), and offers {@code quarkus.log.level} just below the
 * env file, so that {@code QUARKUS_LOG_LEVEL} still wins. A value that is not a level is not
 * offered here; {@link AgentConfig#logLevel()} refuses it, which stops start-up naming the
 * setting.
 */
public final class EcsLogLevel implements ConfigSourceFactory {

    static final String SETTING = "ECS_LOGLEVEL";
    static final String BERTH_SETTING = "BERTH_AGENT_LOG_LEVEL";
    private static final String PROPERTY = "berth.agent.log-level";
    /** Below the env file (290) and the environment (300), above application.properties (250). */
    static final int ORDINAL = 280;
    private static final Map<String, String> QUARKUS_LEVELS = Map.of("debug", "DEBUG", "info", "INFO", "warn", "WARN",
            "error", "ERROR", "crit", "FATAL", "none", "OFF");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        // An empty value (BERTH_AGENT_LOG_LEVEL=) is no level, not a reason to look further.
        ConfigValue value = context.getValue(PROPERTY);
        String level = value == null || value.getValue() == null ? null
                : QUARKUS_LEVELS.get(value.getValue().strip().toLowerCase(Locale.ROOT));
        Map<String, String> properties = level == null ? Map.of() : Map.of("quarkus.log.level", level);
        return List.of(new PropertiesConfigSource(properties, "berth agent " + BERTH_SETTING + " or " + SETTING,
                ORDINAL));
    }

    /** The Quarkus level of an ECS level; refuses anything else, naming the setting. */
    public static final class Parser implements Converter<String> {
        @Override
        public String convert(String value) {
            String level = QUARKUS_LEVELS.get(value.strip().toLowerCase(Locale.ROOT));
            if (level == null) {
                throw new IllegalArgumentException(value + " is not a log level (" + BERTH_SETTING + " or " + SETTING
                        + "): use debug, info, warn, error, crit or none");
            }
            return level;
        }
    }
}
