package dev.berth.agent;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/** A duration that must be longer than zero (a period between cycles): anything else stops start-up. */
public final class PositiveDurationConverter implements Converter<Duration> {

    private static final DurationConverter DURATIONS = new DurationConverter();

    @Override
    public Duration convert(String value) {
        Duration duration = DURATIONS.convert(value);
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("must be longer than zero, not " + value);
        }
        return duration;
    }
}
