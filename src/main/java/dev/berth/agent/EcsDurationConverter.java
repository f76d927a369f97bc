package dev.berth.agent;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * A duration of a setting the ECS agent has too: in Go's syntax, as an {@code ecs.config}
 * writes it ({@code 1.5h}, {@code 1s500ms}; {@link GoDuration}), or in the forms Quarkus reads
 * for every other Berth duration ({@code 30s}, {@code 2d}, ISO-8601's {@code PT30S}, a bare
 * number of seconds). The two agree wherever both read a value. Anything else stops start-up,
 * naming the setting.
 */
public final class EcsDurationConverter implements Converter<Duration> {

    private static final DurationConverter QUARKUS = new DurationConverter();

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** The duration {@code value} names, null for an empty value; refuses anything else. */
    static Duration parse(String value) {
        String text = value.strip();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return GoDuration.parse(text);
        } catch (IllegalArgumentException notGo) {
            try {
                return QUARKUS.convert(text);
            } catch (IllegalArgumentException | DateTimeParseException notQuarkus) {
                throw new IllegalArgumentException("is not a duration: " + value + " (write it as Go does, "
                        + "such as 30s, 1h30m, 1.5h or 300ms, or in ISO-8601, such as PT30S)");
            }
        }
    }
}
