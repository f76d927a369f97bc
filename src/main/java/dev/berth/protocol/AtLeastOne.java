package dev.berth.protocol;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * Counts that must be at least 1, anything else stopping start-up, naming the setting: the
 * topics' partitions and replicas (a 0 would be refused by Kafka at every attempt to create
 * them, and the process would never be ready), the agent's threads and buffer sizes.
 */
public final class AtLeastOne {

    private AtLeastOne() {
    }

    private static int parse(String value) {
        int count = Integer.parseInt(value.strip());
        if (count < 1) {
            throw new IllegalArgumentException("must be at least 1, not " + count);
        }
        return count;
    }

    /** For an {@code int} setting. */
    public static final class Int implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            return parse(value);
        }
    }

    /** For a {@code short} setting. */
    public static final class Short implements Converter<java.lang.Short> {
        @Override
        public java.lang.Short convert(String value) {
            int count = parse(value);
            if (count > java.lang.Short.MAX_VALUE) {
                throw new IllegalArgumentException("must be at most " + java.lang.Short.MAX_VALUE + ", not " + count);
            }
            return (short) count;
        }
    }
}
