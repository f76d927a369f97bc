package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.PlacementConstraint;
import dev.berth.model.TaskDefinition;
import dev.berth.protocol.InstanceControl;
import dev.berth.scheduler.placement.PlacementOptions;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import dev.berth.testing.AgentAttributes;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @ParameterizedTest(name = "name \"{0}\", value \"{1}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // Names: letters, numbers, hyphens, underscores, slashes, backslashes and periods; 1 to 128.
        "stack@home | prod          | 'attributes[0].name' 'stack@home'",
        "rack:12    | prod          | 'attributes[0].name' 'rack:12'",
        "my stack   | prod          | 'attributes[0].name' 'my stack'",
        "\"\"       | prod          | 'attributes[0].name' '':",
        "LONG_NAME  | prod          | 'attributes[0].name'",
        // Values: those, at signs, colons and spaces, but no space at either end; 1 to 128.
        "stack      | \" prod\"     | 'attributes[0].value' of attribute 'stack'",
        "stack      | \"prod \"     | 'attributes[0].value' of attribute 'stack'",
        "stack      | pro#d         | 'attributes[0].value' of attribute 'stack'",
        "stack      | \"\"          | 'attributes[0].value' of attribute 'stack'",
        "stack      | LONG_VALUE    | 'attributes[0].value' of attribute 'stack'",
    })
    void putAttributesRefusesWhatEcsRefusesNamingTheAttribute(String name, String value, String named) {
        // Given
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        String theName = name.equals("LONG_NAME") ? "n".repeat(129) : name;
        String theValue = value.equals("LONG_VALUE") ? "v".repeat(129) : value;

        // When / Then: refused by name, and nothing was put
        assertThatThrownBy(() -> plane.attributes().put(null, List.of(attribute(theName, theValue, "i-1"))))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessageStartingWith("Invalid " + named);
        assertThat(state.instance("i-1").orElseThrow().customAttributes()).isEmpty();
    }

    @Test
    void putAttributesTakesEveryCharacterEcsAllows() {
        // Given
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        String name = "Rack-1_a/b\\c.d";
        String value = "ops@example.com:8080/x\\y z_1.0-B";

        // When
        plane.attributes().put(null, List.of(attribute(name, value, "i-1"),
                attribute("n".repeat(128), "v".repeat(128), "i-1")));

        // Then
        assertThat(state.instance("i-1").orElseThrow().customAttributes())
                .containsOnly(entry(name, value), entry("n".repeat(128), "v".repeat(128)));
    }

    @Test
    void anAttributeNamedUnderTheLooserRuleOfEarlierVersionsCanStillBeDeleted() {
        // Given: an attribute whose name has a space, as PutAttributes once accepted
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        state.apply(InstanceControl.none("i-1", "default").next(InstanceControl.ACTIVE, T0,
                Map.of("my stack", "prod"), List.of()));

        // When
        plane.attributes().delete(null, List.of(attribute("my stack", null, "i-1")));

        // Then
        assertThat(state.instance("i-1").orElseThrow().customAttributes()).isEmpty();
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

    private void registerWithAgentAttribute(String instanceId, String name, String value) {
        Map<String, String> attributes = new java.util.HashMap<>(AgentAttributes.DEFAULT);
        attributes.put(name, value);
        dev.berth.protocol.InstanceRegistration base = instance(instanceId, "default", 4096, 4096, T0, 1);
        state.apply(new dev.berth.protocol.InstanceRegistration(base.schemaVersion(), base.version(), instanceId,
                base.cluster(), base.hostname(), base.agentVersion(), base.registeredResources(), attributes,
                base.registeredAt(), base.heartbeatAt(), false, null, null, null));
    }

    @Test
    void deletingAnAttributeTheAgentRegistersIsRefusedByNameInsteadOfAnsweredAsDone() {
        // Given: the agent registers stack=prod (ECS_INSTANCE_ATTRIBUTES)
        registerWithAgentAttribute("i-1", "stack", "prod");
        String arn = plane.arns().containerInstance("default", "i-1");

        // When / Then: the agent would send it again with its next heartbeat, so the delete is refused
        assertThatThrownBy(() -> plane.attributes().delete(null, List.of(attribute("stack", null, arn))))
                .isInstanceOfSatisfying(EcsException.class, e -> {
                    assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException);
                    assertThat(e.getMessage()).contains("attributes[0]").contains("stack")
                            .contains("ECS_INSTANCE_ATTRIBUTES").contains("Nothing was changed");
                });
        assertThat(plane.attributes().list(null, Attributes.CONTAINER_INSTANCE, "stack", null)).hasSize(1);
    }

    @Test
    void theAgentsCustomAttributesCountTowardsTheLimitOfTen() {
        // Given: the agent registers one custom attribute
        registerWithAgentAttribute("i-1", "stack", "prod");
        String arn = plane.arns().containerInstance("default", "i-1");
        List<Attributes.Attribute> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add(attribute("a" + i, "v", arn));
        }

        // When / Then: ten more would make eleven custom attributes
        assertThatThrownBy(() -> plane.attributes().put(null, ten)).isInstanceOfSatisfying(EcsException.class,
                e -> assertThat(e.type()).isEqualTo(EcsErrorType.AttributeLimitExceededException));
    }
}
