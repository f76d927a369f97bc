package dev.berth.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The native build registers for reflection every type that Jackson handles. A type added to
 * model, protocol or api, or brought by a docker-java upgrade, fails here, in the fast tests,
 * with the line to add; {@code NativeImageConfigIT} then checks the configuration that the
 * native build generates.
 */
class NativeReflectionTest {

    private static final Path CLASSES = Path.of("target/classes");

    @Test
    void everyBerthJsonTypeIsRegistered() {
        // Given
        Set<String> types = NativeTypes.berthJsonTypes(CLASSES);
        Set<String> registered = NativeTypes.registeredBy(BerthJsonTypes.class);

        // When
        Set<String> missing = uncovered(types, registered);

        // Then
        assertThat(types).as("the rule sees the compiled types").contains("dev.berth.protocol.DesiredTask",
                "dev.berth.model.TaskDefinition", "dev.berth.model.TaskStatus", "dev.berth.protocol.BerthRecord");
        assertThat(missing)
                .as("Jackson types the native build would not register; add to BerthJsonTypes:%n%s",
                        missing.stream().map(n -> "        " + n.replace('$', '.') + ".class,")
                                .collect(Collectors.joining("\n")))
                .isEmpty();
    }

    @Test
    void everyDockerJavaJsonTypeIsRegistered() {
        // Given
        Set<String> types = NativeTypes.dockerJavaTypes();
        Set<String> registered = NativeTypes.registeredBy(DockerJavaTypes.class);

        // When
        Set<String> missing = uncovered(types, registered);

        // Then
        assertThat(types).as("the rule sees the docker-java jars").contains(
                "com.github.dockerjava.api.model.Container", "com.github.dockerjava.api.model.Ports$Binding",
                "com.github.dockerjava.api.command.InspectContainerResponse",
                "com.github.dockerjava.core.command.CreateContainerCmdImpl");
        assertThat(missing)
                .as("docker-java types the native build would not register; add to DockerJavaTypes:%n%s",
                        NativeTypes.topLevel(missing).stream().map(n -> "        \"" + n + "\",")
                                .collect(Collectors.joining("\n")))
                .isEmpty();
        assertThat(registered).as("names that are no longer in docker-java").allMatch(types::contains);
    }

    private static Set<String> uncovered(Set<String> types, Set<String> registered) {
        return types.stream().filter(t -> !NativeTypes.covered(t, registered)).collect(Collectors.toSet());
    }
}
