package dev.berth.agent;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * The agent's log level, {@code BERTH_AGENT_LOG_LEVEL} or the ECS agent's {@code ECS_LOGLEVEL}
 * ({@code debug}, {@code info}, {@code warn}, {@code error}, {@code crit}, {@code none}, which
 * turns logging off), from the environment or the agent's env file, as Quarkus's root log
 * level: this source offers {@code quarkus.log.level} just below the env file, so
 * {@code QUARKUS_LOG_LEVEL} still wins. The value is the one {@link AgentConfig#logLevel()}
 * reads: the BERTH name wins over the ECS name, the environment over the env file. A value
 * that is not a level is not offered here; {@link AgentConfig#logLevel()} refuses it, which
 * stops start-up naming the setting.
 */
public final class EcsLogLevel implements ConfigSource {

    static final String SETTING = "ECS_LOGLEVEL";
    static final String BERTH_SETTING = "BERTH_AGENT_LOG_LEVEL";
    /** Below the env file (290) and the environment (300), above application.properties (250). */
    static final int ORDINAL = 280;
    private static final Map<String, String> QUARKUS_LEVELS = Map.of("debug", "DEBUG", "info", "INFO", "warn", "WARN",
            "error", "ERROR", "crit", "FATAL", "none", "OFF");

    private final Map<String, String> properties;

    public EcsLogLevel() {
        this(System.getenv(), AgentEnvFile.forThisProcess(false));
    }

    EcsLogLevel(Map<String, String> environment, Map<String, String> envFile) {
        // SmallRye's order for berth.agent.log-level: its own name in the environment (300), then
        // in the env file (290), then application.properties's ${ECS_LOGLEVEL}, which resolves the
        // same way. An empty value there is no level, not a reason to look further.
        String value = Stream.of(environment.get(BERTH_SETTING), envFile.get(BERTH_SETTING), environment.get(SETTING),
                envFile.get(SETTING)).filter(Objects::nonNull).findFirst().orElse(null);
        String level = value == null ? null : QUARKUS_LEVELS.get(value.strip().toLowerCase(Locale.ROOT));
        properties = level == null ? Map.of() : Map.of("quarkus.log.level", level);
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

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "berth agent BERTH_AGENT_LOG_LEVEL or ECS_LOGLEVEL";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
