package dev.berth.agent.engine;

import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerDependency;
import dev.berth.model.ContainerSettings;
import dev.berth.model.ContainerStatus;
import dev.berth.model.DependencyCondition;
import dev.berth.model.HealthStatus;
import dev.berth.protocol.ContainerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a container of a task may start, from its {@code dependsOn} and what is known of
 * the containers it depends on, with ECS's semantics (see {@link DependencyCondition}). A
 * {@code links} entry is an implicit START dependency: Docker starts a linking container only
 * once the linked one runs. Pure.
 */
final class DependencyGate {

    /** The answer for one container. */
    sealed interface Verdict {
        /** Every dependency is met: start it. */
        record Met() implements Verdict {
        }

        /** Some dependency may still be met: look again on a later sync. */
        record Waiting(String on) implements Verdict {
        }

        /** A dependency can never be met: the task cannot start. {@code reason} names both containers. */
        record Unmeetable(String reason) implements Verdict {
        }
    }

    private static final Verdict MET = new Verdict.Met();

    private DependencyGate() {
    }

    /**
     * @param container   the container that wants to start
     * @param definitions every container of the task
     * @param known       what is known of every container of the task, by name
     * @param runningSince since when each container has been running, by name (the worker's clock)
     * @param now         the worker's clock now: a dependency with a {@code startTimeout} that
     *                    has run that long without meeting the condition never will
     */
    static Verdict check(ContainerDefinition container, List<ContainerDefinition> definitions,
            Map<String, ContainerState> known, Map<String, Instant> runningSince, Instant now) {
        Verdict result = MET;
        for (ContainerDependency dependency : dependencies(container)) {
            ContainerDefinition target = find(definitions, dependency.containerName());
            Verdict verdict = check(container.name(), dependency, target, known.get(dependency.containerName()));
            if (verdict instanceof Verdict.Waiting && target != null) {
                verdict = timedOut(container.name(), dependency, target, runningSince.get(target.name()), now);
            }
            if (verdict instanceof Verdict.Unmeetable) {
                return verdict;
            }
            if (verdict instanceof Verdict.Waiting) {
                result = verdict;
            }
        }
        return result;
    }

    /**
     * Still waiting, or unmeetable once the dependency has run for its startTimeout. A
     * startTimeout of 0 or less is not set, as ECS's agent reads it: no wait would be met.
     */
    private static Verdict timedOut(String name, ContainerDependency dependency, ContainerDefinition target,
            Instant since, Instant now) {
        Integer timeout = ContainerSettings.of(target).startTimeout();
        if (timeout == null || timeout <= 0 || since == null || now.isBefore(since.plusSeconds(timeout))) {
            return waiting(target.name());
        }
        return never(name, target.name(), dependency.condition().name(), "'" + target.name() + "' did not reach it "
                + "within its startTimeout of " + timeout + " s");
    }

    /** The declared dependencies, then a START dependency per link. */
    static List<ContainerDependency> dependencies(ContainerDefinition container) {
        ContainerSettings settings = ContainerSettings.of(container);
        List<ContainerDependency> all = new ArrayList<>(settings.dependsOnOrEmpty());
        for (String link : settings.linksOrEmpty()) {
            int colon = link.indexOf(':');
            all.add(new ContainerDependency(colon < 0 ? link : link.substring(0, colon), DependencyCondition.START));
        }
        return all;
    }

    /**
     * The order to create the containers in: a container that another one depends on, links
     * to or takes volumes from comes first, since Docker needs it to exist. Otherwise the definition's
     * order; a cycle keeps it too (Docker then refuses the create, which names the container).
     */
    static List<ContainerDefinition> createOrder(List<ContainerDefinition> definitions) {
        List<ContainerDefinition> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        boolean progress = true;
        while (ordered.size() < definitions.size() && progress) {
            progress = false;
            for (ContainerDefinition definition : definitions) {
                if (!placed.contains(definition.name()) && placed.containsAll(createNeeds(definition, definitions))) {
                    ordered.add(definition);
                    placed.add(definition.name());
                    progress = true;
                }
            }
        }
        for (ContainerDefinition definition : definitions) {
            if (placed.add(definition.name())) {
                ordered.add(definition);
            }
        }
        return ordered;
    }

    /**
     * The order to stop the containers in: the reverse of {@link #createOrder}, so a container
     * stops before those it depends on, as ECS reverses dependencies on shutdown.
     */
    /**
     * The containers in the layers they stop in: first those no other container needs, then
     * those only the first layer needed, and so on. A layer's containers need nothing of each
     * other, so they stop together, as ECS's agent stops them; a circle (which registration
     * refuses) ends in one last layer.
     */
    static List<List<ContainerDefinition>> stopLayers(List<ContainerDefinition> definitions) {
        List<List<ContainerDefinition>> layers = new ArrayList<>();
        List<ContainerDefinition> left = new ArrayList<>(stopOrder(definitions));
        while (!left.isEmpty()) {
            Set<String> needed = new HashSet<>();
            for (ContainerDefinition container : left) {
                needed.addAll(createNeeds(container, definitions));
            }
            List<ContainerDefinition> layer = new ArrayList<>();
            for (ContainerDefinition container : left) {
                if (!needed.contains(container.name())) {
                    layer.add(container);
                }
            }
            if (layer.isEmpty()) {
                layer.addAll(left);
            }
            left.removeAll(layer);
            layers.add(layer);
        }
        return layers;
    }

    static List<ContainerDefinition> stopOrder(List<ContainerDefinition> definitions) {
        List<ContainerDefinition> order = new ArrayList<>(createOrder(definitions));
        Collections.reverse(order);
        return order;
    }

    /** The containers of the task that must exist before this one is created. */
    private static Set<String> createNeeds(ContainerDefinition container, List<ContainerDefinition> definitions) {
        Set<String> needs = new HashSet<>();
        ContainerSettings settings;
        try {
            settings = ContainerSettings.of(container);
        } catch (IllegalArgumentException e) {
            return needs;
        }
        for (ContainerDependency link : dependencies(container)) {
            needs.add(link.containerName());
        }
        settings.volumesFromOrEmpty().forEach(v -> needs.add(v.sourceContainer()));
        needs.removeIf(name -> find(definitions, name) == null);
        return needs;
    }

    private static Verdict check(String name, ContainerDependency dependency, ContainerDefinition target,
            ContainerState state) {
        String on = dependency.containerName();
        DependencyCondition condition = dependency.condition();
        if (condition == null) {
            return never(name, on, "START, COMPLETE, SUCCESS or HEALTHY", "the condition is missing");
        }
        if (target == null || state == null) {
            return never(name, on, condition.name(), "the task has no container named '" + on + "'");
        }
        ContainerStatus status = state.lastStatus();
        boolean exited = status == ContainerStatus.STOPPED;
        if (exited && state.exitCode() == null && (condition == DependencyCondition.START
                || condition == DependencyCondition.COMPLETE)) {
            // STOPPED with no exit code: it never ran (it failed to be created or started, or its
            // own dependency could never be met), so it never will.
            return never(name, on, condition.name(), "'" + on + "' never started");
        }
        switch (condition) {
            case START:
                return status == ContainerStatus.PENDING ? waiting(on) : MET;
            case COMPLETE:
                return exited ? MET : waiting(on);
            case SUCCESS:
                if (!exited) {
                    return waiting(on);
                }
                return Integer.valueOf(0).equals(state.exitCode()) ? MET
                        : never(name, on, condition.name(), exitedWith(on, state));
            case HEALTHY:
            default:
                return healthy(name, on, target, state);
        }
    }

    private static Verdict healthy(String name, String on, ContainerDefinition target, ContainerState state) {
        if (!ContainerSettings.hasHealthCheck(target)) {
            return never(name, on, "HEALTHY", "'" + on + "' has no healthCheck");
        }
        if (state.lastStatus() == ContainerStatus.STOPPED) {
            return never(name, on, "HEALTHY", exitedWith(on, state));
        }
        // UNHEALTHY is not final: Docker makes a container HEALTHY again after one passing check
        // (a database still starting up), so the wait goes on, as ECS's does, bounded by the
        // dependency's startTimeout when it has one.
        return state.healthStatus() == HealthStatus.HEALTHY ? MET : waiting(on);
    }

    private static String exitedWith(String on, ContainerState state) {
        return state.exitCode() == null ? "'" + on + "' stopped without an exit code"
                : "'" + on + "' exited with code " + state.exitCode();
    }

    private static Verdict waiting(String on) {
        return new Verdict.Waiting(on);
    }

    private static Verdict never(String name, String on, String condition, String why) {
        return new Verdict.Unmeetable("Container '" + name + "' cannot start: its dependency on '" + on
                + "' (condition " + condition + ") can never be met: " + why);
    }

    private static ContainerDefinition find(List<ContainerDefinition> definitions, String name) {
        for (ContainerDefinition definition : definitions) {
            if (definition.name().equals(name)) {
                return definition;
            }
        }
        return null;
    }
}
