package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.Tag;
import dev.berth.model.TaskDefinition;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.ServiceRecord;
import dev.berth.protocol.TaskDefinitionRecord;
import dev.berth.scheduler.placement.PlacementOptions;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Tags kept in each resource's own record, with ECS's limits, over a writer that acknowledges at once. */
class TagsTest {

    private static final Arns ARNS = new Arns("aws", "us-east-1", "000000000000");

    private final SettableClock clock = new SettableClock(T0);
    private final SchedulerState state = new SchedulerState(clock, Duration.ofSeconds(60), Duration.ofHours(1));
    private final AppliedWriter writer = new AppliedWriter(state);
    private final ControlPlane plane = new ControlPlane(state, writer, ARNS);

    private static TaskDefinition definition(String family) {
        return new TaskDefinition(null, family, null, List.of(new ContainerDefinition("web", "busybox", 256, 128,
                null, null, null, null, null, null, null, null, null, null, null)), null, null, null, null, null, null,
                null, null, null, null, null);
    }

    private static List<Tag> tags(String... keyValues) {
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            tags.add(new Tag(keyValues[i], keyValues[i + 1]));
        }
        return tags;
    }

    private static void assertInvalid(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(EcsException.class,
                e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException)).hasMessageContaining(message);
    }

    @Test
    void tagsGivenAtCreationAreWrittenInTheClusterRecord() {
        // When
        plane.clusters().create("prod", tags("team", "web", "cost", ""), List.of());

        // Then
        assertThat(writer.written()).filteredOn(ClusterRecord.class::isInstance).singleElement()
                .extracting(r -> ((ClusterRecord) r).tags()).isEqualTo(tags("team", "web", "cost", ""));
        assertThat(plane.tags().list(ARNS.cluster("prod"))).isEqualTo(tags("team", "web", "cost", ""));
    }

    @Test
    void tagResourceAddsAndReplacesAndUntagRemovesEachWithAHigherVersion() {
        // Given
        plane.clusters().create("prod", tags("team", "web"), List.of());
        String arn = ARNS.cluster("prod");

        // When
        plane.tags().tag(arn, tags("team", "api", "env", "prod"));
        plane.tags().untag(arn, List.of("env", "not-there"));

        // Then
        assertThat(plane.tags().list(arn)).isEqualTo(tags("team", "api"));
        assertThat(writer.written()).filteredOn(ClusterRecord.class::isInstance)
                .extracting(r -> ((ClusterRecord) r).version()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void theDefaultClusterCanBeTaggedBeforeItHasARecord() {
        // When
        plane.tags().tag(ARNS.cluster("default"), tags("env", "dev"));

        // Then
        assertThat(plane.tags().list(ARNS.cluster("default"))).isEqualTo(tags("env", "dev"));
        assertThat(state.cluster("default")).get().extracting(ClusterRecord::status).isEqualTo(Clusters.ACTIVE);
    }

    @Test
    void aTaskDefinitionKeepsItsTagsWhenItIsDeregistered() {
        // Given
        TaskDefinition registered = plane.taskDefinitions().register(definition("web"), tags("app", "web"));

        // When
        plane.taskDefinitions().deregister("web:1");

        // Then
        assertThat(plane.tags().list(registered.taskDefinitionArn())).isEqualTo(tags("app", "web"));
        assertThat(writer.written()).filteredOn(TaskDefinitionRecord.class::isInstance)
                .extracting(r -> ((TaskDefinitionRecord) r).tags()).containsExactly(tags("app", "web"),
                        tags("app", "web"));
    }

    @Test
    void aTaskKeepsItsTagsWhenItIsTaggedAndStopped() {
        // Given
        plane.taskDefinitions().register(definition("web"));
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        TaskView task = plane.tasks().run(new Tasks.TaskRequest(null, "web", null, "me", null, PlacementOptions.NONE,
                tags("job", "nightly")), 1).tasks().get(0);
        String arn = ARNS.task("default", task.taskId());

        // When
        plane.tags().tag(arn, tags("owner", "ops"));
        plane.tasks().stop(null, task.taskId(), "done");

        // Then
        assertThat(plane.tags().list(arn)).isEqualTo(tags("job", "nightly", "owner", "ops"));
        List<DesiredTask> written = writer.written().stream().filter(DesiredTask.class::isInstance)
                .map(DesiredTask.class::cast).toList();
        assertThat(written).extracting(DesiredTask::version).containsExactly(1L, 2L, 3L);
        assertThat(written.get(2).desiredStatus().name()).isEqualTo("STOPPED");
    }

    @Test
    void aContainerInstanceKeepsItsTagsThroughDrainingAndAttributes() {
        // Given
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        String arn = ARNS.containerInstance("default", "i-1");

        // When
        plane.tags().tag(arn, tags("rack", "r1"));
        plane.containerInstances().updateState(null, List.of("i-1"), InstanceControl.DRAINING);
        plane.attributes().put(null, List.of(new Attributes.Attribute("zone", "a", null, "i-1")));

        // Then
        assertThat(plane.tags().list(arn)).isEqualTo(tags("rack", "r1"));
        assertThat(state.instanceControl("i-1")).get().extracting(InstanceControl::status)
                .isEqualTo(InstanceControl.DRAINING);
    }

    @Test
    void aServiceKeepsItsTagsAndAShortServiceArnIsRefused() {
        // Given
        plane.taskDefinitions().register(definition("web"));
        plane.services().create(new Services.ServiceSpec(null, "api", "web", 0, null, null, List.of(), List.of(),
                tags("tier", "front")), null);
        String arn = ARNS.service("default", "api");

        // When
        plane.tags().tag(arn, tags("owner", "ops"));
        plane.services().update(new Services.ServiceUpdate(null, "api", null, 0, null, true));

        // Then
        assertThat(plane.tags().list(arn)).isEqualTo(tags("tier", "front", "owner", "ops"));
        assertThat(state.service("default", "api")).get().extracting(ServiceRecord::tags)
                .isEqualTo(tags("tier", "front", "owner", "ops"));
        assertInvalid(() -> plane.tags().list("arn:aws:ecs:us-east-1:000000000000:service/api"), "short service ARN");
    }

    @Test
    void ecsLimitsAreCheckedAndNameTheField() {
        // Given
        plane.clusters().create("prod");
        String arn = ARNS.cluster("prod");
        List<Tag> fifty = IntStream.range(0, 50).mapToObj(i -> new Tag("k" + i, "v")).toList();

        // Then
        assertInvalid(() -> plane.tags().tag(arn, tags("", "v")), "'tags[0].key'");
        assertInvalid(() -> plane.tags().tag(arn, tags("k".repeat(129), "v")), "'tags[0].key'");
        assertInvalid(() -> plane.tags().tag(arn, tags("ok", "v".repeat(257))), "'tags[0].value'");
        assertInvalid(() -> plane.tags().tag(arn, tags("ok", "v", "AWS:owner", "me")), "reserved prefix aws:");
        assertInvalid(() -> plane.tags().tag(arn, tags("a", "1", "a", "2")), "given twice");
        assertInvalid(() -> plane.tags().tag(arn, tags("bad*key", "v")), "'tags[0].key'");
        assertInvalid(() -> plane.tags().untag(arn, List.of("aws:cloudformation:stack-name")), "'tagKeys[0]'");
        assertInvalid(() -> plane.tags().tag(arn, null), "'tags'");
        plane.tags().tag(arn, fifty);
        assertInvalid(() -> plane.tags().tag(arn, tags("one-more", "v")), "would have 51 tags");
        assertThat(plane.tags().list(arn)).hasSize(50);
        assertThat(plane.tags().list(arn).get(0)).isEqualTo(new Tag("k0", "v"));
        plane.tags().tag(arn, List.of(new Tag("k0", "v".repeat(256))));
        plane.clusters().create("edge");
        plane.tags().tag(ARNS.cluster("edge"), List.of(new Tag("k".repeat(128), null)));
        assertThat(plane.tags().list(ARNS.cluster("edge"))).singleElement().extracting(Tag::key).asString()
                .hasSize(128);
        assertThat(plane.tags().list(arn).get(0).value()).hasSize(256);
    }

    @Test
    void anUnknownResourceOrAForeignArnIsNamed() {
        // Then
        assertThatThrownBy(() -> plane.tags().list(ARNS.task("default", "0123")))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.ResourceNotFoundException));
        assertThatThrownBy(() -> plane.tags().list(ARNS.cluster("nope")))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.ClusterNotFoundException));
        assertThatThrownBy(() -> plane.tags().list(ARNS.taskDefinition("web", 9)))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.ResourceNotFoundException));
        assertInvalid(() -> plane.tags().list("arn:aws:ecs:eu-west-1:111111111111:cluster/prod"), "'resourceArn'");
        assertInvalid(() -> plane.tags().list("arn:aws:ecs:us-east-1:000000000000:capacity-provider/cp"),
                "capacity-provider");
        assertInvalid(() -> plane.tags().list(null), "'resourceArn'");
    }
}
