package dev.berth.agent;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ECS agent's rule that a variable set to nothing is not set: {@code ECS_CLUSTER=} joins
 * cluster {@code default}, an empty {@code ECS_RESERVED_MEMORY} reserves 0, and so on (its
 * config merge fills every zero value with the default). application.properties maps each ECS
 * name as {@code ${ECS_X:default}}, whose default applies only to a name that is missing, so
 * this interceptor drops an {@code ECS_*} value that is blank before the expression reads it.
 * A port list of no ports ({@code ECS_RESERVED_PORTS=[]}) is not set either: the ECS agent's
 * merge gives it the default ports. Berth's own names ({@code BERTH_AGENT_*}) keep SmallRye's
 * rule, under which an empty value of a required setting stops start-up.
 *
 * <p>Its priority puts it below the expression interceptor (3300), between the expression and
 * the sources, where an expression looks its names up.
 */
@Priority(Priorities.LIBRARY)
public final class EcsUnsetValues implements ConfigSourceInterceptor {

    private static final String ECS_PREFIX = "ECS_";
    private static final Set<String> PORT_LISTS = Set.of("ECS_RESERVED_PORTS", "ECS_RESERVED_PORTS_UDP");
    private static final Pattern NO_PORTS = Pattern.compile("\\s*\\[\\s*]\\s*");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value == null || value.getValue() == null || !name.startsWith(ECS_PREFIX)) {
            return value;
        }
        return unset(name, value.getValue()) ? null : value;
    }

    /** Whether the ECS agent reads this value of an ECS variable as not set. */
    static boolean unset(String name, String value) {
        return value.isBlank() || PORT_LISTS.contains(name) && NO_PORTS.matcher(value).matches();
    }
}
