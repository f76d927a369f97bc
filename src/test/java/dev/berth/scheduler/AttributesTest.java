package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.PlacementConstraint;
import dev.berth.model.TaskDefinition;
import dev.berth.scheduler.placement.PlacementOptions;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import dev.berth.testing.AgentAttributes;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PutAttributes, ListAttributes and DeleteAttributes over a writer without Kafka, and placement reading them. */
class AttributesTest {

    private final SettableClock clock = new SettableClock(T0);
    private final SchedulerState state = new SchedulerState(clock, Duration.ofDays(1), Duration.ofHours(1));
    private final ControlPlane plane = new ControlPlane(state, new AppliedWriter(state),
            new Arns("aws", "us-east-1", "000000000000"));

    private static Attributes.Attribute attribute(String name, String value, String instanceId) {
        return new Attributes.Attribute(name, value, null, instanceId);
    }

    @Test
    void customAttributesAreListedAndPlacementFollowsThem() {
        // Given
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        state.apply(instance("i-2", "default", 4096, 4096, T0, 1));
        plane.taskDefinitions().register(new TaskDefinition(null, "web", null, List.of(new ContainerDefinition("web",
                "busybox", 128, 64, null, null, null, null, null, null, null, null, null, null, null)), null, null,
                null, null, null, null, null, null, null, null, null));

        // When
        plane.attributes().put(null, List.of(attribute("stack", "prod", "i-2"), attribute("gpu", null, "i-2")));

        // Then: listed with the agent's own, shown on the instance, and a memberOf constraint on it places there
        List<org.assertj.core.groups.Tuple> onI2 = new ArrayList<>();
        AgentAttributes.DEFAULT.forEach((n, v) -> onI2.add(tuple(n, v.isEmpty() ? null : v)));
        onI2.add(tuple("gpu", null));
        onI2.add(tuple("stack", "prod"));
        assertThat(plane.attributes().list(null, Attributes.CONTAINER_INSTANCE, null, null))
                .filteredOn(a -> a.targetId().equals(plane.arns().containerInstance("default", "i-2")))
                .extracting(Attributes.Attribute::name, Attributes.Attribute::value)
                .containsExactlyInAnyOrderElementsOf(onI2);
        assertThat(plane.attributes().list(null, Attributes.CONTAINER_INSTANCE, "stack", "dev")).isEmpty();
        assertThat(state.instance("i-2").orElseThrow().attributes()).containsEntry("stack", "prod")
                .containsEntry("ecs.os-type", "linux");
        List<TaskView> placed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            placed.addAll(plane.tasks().run(new Tasks.TaskRequest(null, "web", null, "me", null,
                    new PlacementOptions(List.of(new PlacementConstraint("memberOf",
                            "attribute:stack == prod and attribute:gpu exists")), null)), 1).tasks());
        }
        assertThat(placed).extracting(TaskView::instanceId).containsOnly("i-2");

        // When it is deleted, the constraint finds no instance
        plane.attributes().delete(null, List.of(attribute("stack", null, "i-2")));
        assertThat(plane.attributes().list(null, Attributes.CONTAINER_INSTANCE, "stack", null)).isEmpty();
        assertThat(plane.tasks().run(new Tasks.TaskRequest(null, "web", null, "me", null,
                new PlacementOptions(List.of(new PlacementConstraint("memberOf", "attribute:stack == prod")), null)),
                1).failures()).isNotEmpty();
    }

    @Test
    void reservedNamesUnknownTargetsAndTooManyAttributesAreRefusedByName() {
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        assertThatThrownBy(() -> plane.attributes().put(null, List.of(attribute("ecs.os-type", "windows", "i-1"))))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessageContaining("attributes[0].name");
        assertThatThrownBy(() -> plane.attributes().put(null, List.of(attribute("stack", "prod", "i-9"))))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.TargetNotFoundException));
        List<Attributes.Attribute> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add(attribute("a" + i, "v", "i-1"));
        }
        plane.attributes().put(null, ten);
        assertThatThrownBy(() -> plane.attributes().put(null, List.of(attribute("one-more", "v", "i-1"))))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.AttributeLimitExceededException));
        assertThat(plane.attributes().list(null, Attributes.CONTAINER_INSTANCE, null, null))
                .hasSize(10 + AgentAttributes.DEFAULT.size());
    }

    @Test
    void listAttributesFindsTheAgentsOwnAttributesAsEcsExampleFiltersOnOsType() {
        // Given: two Linux instances without custom attributes
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        state.apply(instance("i-2", "default", 4096, 4096, T0, 1));

        // When: ECS's example, list-attributes --attribute-name ecs.os-type --attribute-value linux
        List<Attributes.Attribute> linux = plane.attributes().list(null, Attributes.CONTAINER_INSTANCE, "ecs.os-type",
                "linux");

        // Then
        assertThat(linux).extracting(Attributes.Attribute::name, Attributes.Attribute::value,
                Attributes.Attribute::targetId).containsExactlyInAnyOrder(
                        tuple("ecs.os-type", "linux", plane.arns().containerInstance("default", "i-1")),
                        tuple("ecs.os-type", "linux", plane.arns().containerInstance("default", "i-2")));
        assertThat(plane.attributes().list(null, Attributes.CONTAINER_INSTANCE, "ecs.os-type", "windows")).isEmpty();
    }
}
