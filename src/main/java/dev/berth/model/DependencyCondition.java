package dev.berth.model;

/**
 * The conditions of a {@link ContainerDependency}, with ECS's meaning:
 * <ul>
 *   <li>{@link #START}: the dependency has started (it may have exited since);</li>
 *   <li>{@link #COMPLETE}: the dependency has exited, with any exit code;</li>
 *   <li>{@link #SUCCESS}: the dependency has exited with code 0;</li>
 *   <li>{@link #HEALTHY}: the dependency's health check passed; confirmed only while the
 *       task starts.</li>
 * </ul>
 */
public enum DependencyCondition {
    START,
    COMPLETE,
    SUCCESS,
    HEALTHY
}
