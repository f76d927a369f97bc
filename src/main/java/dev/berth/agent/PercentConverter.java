package dev.berth.agent;

import org.eclipse.microprofile.config.spi.Converter;

/** A share of a disk in percent, 1 to 100 ({@code 85} or {@code 85%}): anything else stops start-up, naming the setting. */
public final class PercentConverter implements Converter<Integer> {

    @Override
    public Integer convert(String value) {
        String text = value.strip();
        int percent = Integer.parseInt(text.endsWith("%") ? text.substring(0, text.length() - 1).strip() : text);
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("must be a percentage from 1 to 100, not " + percent);
        }
        return percent;
    }
}
