package dev.berth.agent;

import org.eclipse.microprofile.config.spi.Converter;

/** A count that must be at least 1 (threads, buffer sizes): anything else stops start-up, naming the setting. */
public final class PositiveCountConverter implements Converter<Integer> {

    @Override
    public Integer convert(String value) {
        int count = Integer.parseInt(value.strip());
        if (count < 1) {
            throw new IllegalArgumentException("must be at least 1, not " + count);
        }
        return count;
    }
}
