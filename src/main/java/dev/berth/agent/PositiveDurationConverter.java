package dev.berth.agent;

import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * A duration that must be longer than zero (a period between cycles), in the forms of
 * {@link EcsDurationConverter}: anything else stops start-up, naming the setting.
 */
public final class PositiveDurationConverter implements Converter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration duration = EcsDurationConverter.parse(value);
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("must be longer than zero, not " + value);
        }
        return duration;
    }
}
