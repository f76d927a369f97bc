package dev.berth.agent;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * A count that may be zero but never negative (MiB kept back): anything else stops start-up,
 * naming the setting. The ECS agent reads a negative {@code ECS_RESERVED_MEMORY} as 0 after a
 * warning, which would register all of the host's memory: Berth refuses it instead.
 */
public final class NonNegativeCountConverter implements Converter<Integer> {

    @Override
    public Integer convert(String value) {
        int count = Integer.parseInt(value.strip());
        if (count < 0) {
            throw new IllegalArgumentException("must be 0 or more, not " + count);
        }
        return count;
    }
}
