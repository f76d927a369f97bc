package dev.berth.model;

/**
 * One entry of a container definition's {@code dependsOn}: this container starts only once
 * {@code containerName} has reached {@code condition}.
 */
public record ContainerDependency(String containerName, DependencyCondition condition) {
}
