package dev.berth.agent;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * One port of a port list, in Berth's form ({@code 22,2375}) or the ECS agent's JSON form
 * ({@code ECS_RESERVED_PORTS=[22, 2375]}): the list is split on commas first, so the
 * brackets arrive on the first and last element.
 */
public final class EcsPortConverter implements Converter<Integer> {

    @Override
    public Integer convert(String value) {
        String port = value.replace("[", "").replace("]", "").strip();
        return port.isEmpty() ? null : Integer.valueOf(port);
    }
}
