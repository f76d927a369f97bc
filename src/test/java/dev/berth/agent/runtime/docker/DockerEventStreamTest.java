package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import com.github.dockerjava.api.model.EventType;
import dev.berth.agent.runtime.BerthLabels;
import dev.berth.agent.runtime.ContainerEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which of Docker's events become Berth's container events. */
class DockerEventStreamTest {

    private static final String INSTANCE = "0123456789abcdef0123456789abcdef";
    private final DockerEventStream stream = new DockerEventStream(null, INSTANCE, event -> { }, Clock.systemUTC());

    private static Event event(String action, Map<String, String> attributes) {
        return new Event(action, "c1", "berth-test/busybox:latest", 1_700_000_000L)
                .withType(EventType.CONTAINER)
                .withAction(action)
                .withTimenano(1_700_000_000_123_000_000L)
                .withEventActor(new EventActor().withId("c1").withAttributes(attributes));
    }

    private static Map<String, String> labels(String instanceId) {
        return Map.of(BerthLabels.TASK_ID, "t1", BerthLabels.INSTANCE_ID, instanceId,
                BerthLabels.CONTAINER_NAME, "web", "exitCode", "3");
    }

    @Test
    void aDieOfThisInstancesContainerNamesItsTaskAndCarriesItsExitCode() {
        // Given
        Event die = event("die", labels(INSTANCE));

        // When
        ContainerEvent event = stream.toContainerEvent(die);

        // Then
        assertThat(event).isEqualTo(new ContainerEvent(ContainerEvent.Kind.DIE, "c1", "t1",
                Instant.ofEpochSecond(1_700_000_000L, 123_000_000L), 3));
    }

    @Test
    void otherInstancesUnlabelledContainersAndOtherActionsAreDropped() {
        // Given
        Event otherInstance = event("die", labels("ffffffffffffffffffffffffffffffff"));
        Event unlabelled = event("die", Map.of(BerthLabels.INSTANCE_ID, INSTANCE));
        Event rename = event("rename", labels(INSTANCE));

        // When / Then
        assertThat(stream.toContainerEvent(otherInstance)).isNull();
        assertThat(stream.toContainerEvent(unlabelled)).isNull();
        assertThat(stream.toContainerEvent(rename)).isNull();
    }
}
