package dev.berth.agent;

import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;
import org.jboss.logging.Logger;

/**
 * The image pull timeout ({@code ECS_IMAGE_PULL_TIMEOUT}), in the forms of
 * {@link EcsDurationConverter}. Zero means the default, as in the ECS agent, whose config merge
 * fills a zero duration with its default; a WARN names the setting. A negative timeout stops
 * start-up, naming the setting: the ECS agent would take it and fail every pull at once.
 */
public final class PullTimeoutConverter implements Converter<Duration> {

    /** The ECS agent's DefaultImagePullTimeout (config.go): long enough for large images on slow links. */
    static final Duration DEFAULT = Duration.ofHours(2);
    private static final String SETTING = "ECS_IMAGE_PULL_TIMEOUT";
    private static final Logger LOGGER = Logger.getLogger(PullTimeoutConverter.class);

    @Override
    public Duration convert(String value) {
        Duration timeout = EcsDurationConverter.parse(value);
        if (timeout == null) {
            return null;
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(SETTING + " must not be negative, not " + value.strip());
        }
        if (timeout.isZero()) {
            LOGGER.warnf("%s (berth.agent.pull-timeout) is %s, which means the default: taking %dh", SETTING,
                    value.strip(), DEFAULT.toHours());
            return DEFAULT;
        }
        return timeout;
    }
}
