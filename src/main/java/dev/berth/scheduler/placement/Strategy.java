package dev.berth.scheduler.placement;

import java.util.List;
import java.util.Locale;

/**
 * An ECS placement strategy. Strategies chain: the first ranks the instances that passed the
 * checks, each next one only breaks the ties of those before it, and the instance id breaks
 * what ties remain (a {@link Random} leaves none).
 */
public sealed interface Strategy {

    /** ECS's default for RunTask: "distribute tasks randomly across your cluster". */
    List<Strategy> RUN_TASK_DEFAULT = List.of(new Random());

    /**
     * ECS's default for services is spread over {@code attribute:ecs.availability-zone}. Berth
     * hosts rarely carry that attribute, so the instances then tie and a service would stack on
     * the first; spread over instanceId after it, as the ECS console's "AZ balanced spread" does.
     */
    List<Strategy> SERVICE_DEFAULT = List.of(Spread.attribute("ecs.availability-zone"), Spread.INSTANCE);

    /** The most strategies ECS takes per task or service. */
    int MAX_STRATEGIES = 5;

    /** The instance with the least of {@code resource} left wins. */
    record Binpack(Resource resource) implements Strategy {
    }

    /**
     * The instance whose value of the field holds the fewest tasks of the group wins: per
     * instance when {@code attribute} is null (field {@code instanceId} or {@code host}), else per
     * value of the attribute; instances without the attribute share one value of their own.
     */
    record Spread(String attribute) implements Strategy {
        public static final Spread INSTANCE = new Spread(null);

        public static Spread attribute(String name) {
            return new Spread(name);
        }

        public boolean perInstance() {
            return attribute == null;
        }
    }

    /** A uniformly random choice among the instances tied on the strategies before it. */
    record Random() implements Strategy {
    }

    /** What binpack packs on. */
    enum Resource {
        CPU, MEMORY
    }

    /**
     * The strategy of an ECS {@code PlacementStrategy}; throws {@link PlacementInputException}
     * naming {@code parameter} when ECS would refuse it.
     */
    static Strategy of(String type, String field, String parameter) {
        String kind = type == null ? "" : type;
        return switch (kind) {
            case "binpack" -> new Binpack(resource(field, parameter));
            case "spread" -> spread(field, parameter);
            case "random" -> new Random();
            default -> throw new PlacementInputException("Invalid '" + parameter + ".type': " + type
                    + " is not a placement strategy; use random, spread or binpack.");
        };
    }

    private static Resource resource(String field, String parameter) {
        String name = field == null ? "" : field.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "cpu" -> Resource.CPU;
            case "memory" -> Resource.MEMORY;
            default -> throw new PlacementInputException("Invalid '" + parameter + ".field': binpack takes cpu or "
                    + "memory, not " + field + ".");
        };
    }

    private static Spread spread(String field, String parameter) {
        if (field == null || field.isBlank()) {
            throw new PlacementInputException("Invalid '" + parameter + ".field': spread needs a field: instanceId, "
                    + "host or attribute:<name>.");
        }
        if (field.equalsIgnoreCase("instanceId") || field.equalsIgnoreCase("host")) {
            return Spread.INSTANCE;
        }
        if (field.startsWith("attribute:") && field.length() > "attribute:".length()) {
            return Spread.attribute(field.substring("attribute:".length()));
        }
        throw new PlacementInputException("Invalid '" + parameter + ".field': spread takes instanceId, host or "
                + "attribute:<name>, not " + field + ".");
    }
}
