package dev.berth.agent;

import java.util.Set;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * A yes-or-no setting read as the ECS agent reads it, with Go's {@code strconv.ParseBool}:
 * {@code 1}, {@code t}, {@code T}, {@code TRUE}, {@code true}, {@code True} or the same forms
 * of false. Anything else stops start-up, naming the setting: SmallRye's own converter would
 * read a typo such as {@code ECS_DISABLE_PRIVILEGED=ture} as false and allow privileged
 * containers. An empty ECS value is not set and never arrives here ({@link EcsUnsetValues}); an
 * empty {@code BERTH_AGENT_*} value is no value, which SmallRye refuses as it does for any setting.
 */
public final class EcsBooleanConverter implements Converter<Boolean> {

    private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
    private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

    @Override
    public Boolean convert(String value) {
        // The ECS agent trims the value before parsing it (parse.go, parseBooleanDefaultFalseConfig).
        String text = value.strip();
        if (text.isEmpty()) {
            return null;
        }
        if (TRUE.contains(text)) {
            return Boolean.TRUE;
        }
        if (FALSE.contains(text)) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("must be true or false (or 1, t, T, TRUE, True, 0, f, F, FALSE, False, "
                + "as the ECS agent reads them), not " + value);
    }
}
