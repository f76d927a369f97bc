package dev.berth.agent;

import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;
import org.jboss.logging.Logger;

/**
 * The image pull timeout ({@code ECS_IMAGE_PULL_TIMEOUT}), in the forms of
 * {@link EcsDurationConverter}. Zero means the default, as in the ECS agent, whose config merge
 * fills a zero duration with its default; a WARN names the setting. A negative timeout stops
 * start-up, naming the setting: the ECS agent would take it and fail every pull at once. The
 * pull inactivity timeout ({@link Inactivity}) is read the same way.
 */
public final class PullTimeoutConverter implements Converter<Duration> {

    /** The ECS agent's DefaultImagePullTimeout (config.go): long enough for large images on slow links. */
    static final Duration DEFAULT = Duration.ofHours(2);
    private static final Logger LOGGER = Logger.getLogger(PullTimeoutConverter.class);

    private final String setting;
    private final String property;
    private final Duration defaultValue;

    public PullTimeoutConverter() {
        this("ECS_IMAGE_PULL_TIMEOUT", "berth.agent.pull-timeout", DEFAULT);
    }

    PullTimeoutConverter(String setting, String property, Duration defaultValue) {
        this.setting = setting;
        this.property = property;
        this.defaultValue = defaultValue;
    }

    /** {@code ECS_IMAGE_PULL_INACTIVITY_TIMEOUT}: how long a pull may make no progress. */
    public static final class Inactivity implements Converter<Duration> {

        /** The ECS agent's default image pull inactivity timeout. */
        static final Duration DEFAULT = Duration.ofMinutes(1);

        private final PullTimeoutConverter read = new PullTimeoutConverter("ECS_IMAGE_PULL_INACTIVITY_TIMEOUT",
                "berth.agent.pull-inactivity-timeout", DEFAULT);

        @Override
        public Duration convert(String value) {
            return read.convert(value);
        }
    }

    @Override
    public Duration convert(String value) {
        Duration timeout = EcsDurationConverter.parse(value);
        if (timeout == null) {
            return null;
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(setting + " must not be negative, not " + value.strip());
        }
        if (timeout.isZero()) {
            LOGGER.warnf("%s (%s) is %s, which means the default: taking %s", setting, property, value.strip(),
                    dev.berth.agent.runtime.ContainerRuntimeException.goDuration(defaultValue));
            return defaultValue;
        }
        return timeout;
    }
}
