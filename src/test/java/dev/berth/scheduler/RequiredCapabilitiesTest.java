package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.model.Arns;
import dev.berth.model.Resources;
import dev.berth.model.TaskDefinition;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TaskDefinitionRecord;
import dev.berth.scheduler.placement.PlacementOptions;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import dev.berth.testing.AgentAttributes;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * RegisterTaskDefinition derives requiresAttributes, and RunTask places a task only on an
 * instance that advertises them; a revision stored before they were derived places as before.
 */
class RequiredCapabilitiesTest {

    private final SettableClock clock = new SettableClock(T0);
    private final SchedulerState state = new SchedulerState(clock, Duration.ofSeconds(60), Duration.ofHours(1));
    private final ControlPlane plane = new ControlPlane(state, new AppliedWriter(state),
            new Arns("aws", "us-east-1", "000000000000"));
    private final ObjectMapper mapper = RecordCodec.newMapper();

    private static final String PRIVILEGED = "{\"family\":\"root\",\"containerDefinitions\":[{\"name\":\"c\","
            + "\"image\":\"busybox\",\"memory\":64,\"privileged\":true,\"healthCheck\":{\"command\":[\"CMD\",\"true\"]},"
            + "\"logConfiguration\":{\"logDriver\":\"journald\"}}]}";

    private TaskDefinition read(String json) throws Exception {
        return mapper.readValue(json, TaskDefinition.class);
    }

    private void instance(String id, Map<String, String> attributes) {
        state.apply(new InstanceRegistration(BerthRecord.SCHEMA_VERSION, 1, id, "default", id + ".local", "0.1.0",
                new Resources(4096, 4096, Set.of()), attributes, T0, T0, false, null, null, null));
    }

    private Tasks.StartOutcome run(String family, int count) {
        return plane.tasks().run(new Tasks.TaskRequest(null, family, null, "tester", null,
                new PlacementOptions(null, null)), count);
    }

    @SuppressWarnings("unchecked")
    private static List<String> required(TaskDefinition definition) {
        Object stored = definition.unmodelled() == null ? null : definition.unmodelled().get("requiresAttributes");
        return stored == null ? List.of()
                : ((List<Map<String, String>>) stored).stream().map(a -> a.get("name")).toList();
    }

    @Test
    void registrationKeepsWhatTheDefinitionRequires() throws Exception {
        // When
        TaskDefinition registered = plane.taskDefinitions().register(read(PRIVILEGED));

        // Then: kept with the revision, so DescribeTaskDefinition and placement read the same
        assertThat(required(registered)).containsExactly("com.amazonaws.ecs.capability.logging-driver.journald",
                "com.amazonaws.ecs.capability.docker-remote-api.1.18", "ecs.capability.container-health-check",
                "com.amazonaws.ecs.capability.privileged-container");
        assertThat(required(plane.taskDefinitions().describe("root:1"))).isEqualTo(required(registered));
        assertThat(required(plane.taskDefinitions().register(read("{\"family\":\"plain\",\"containerDefinitions\":"
                + "[{\"name\":\"c\",\"image\":\"busybox\",\"memory\":64}]}")))).isEmpty();
    }

    @Test
    void aTaskGoesOnlyWhereItsCapabilitiesAreAdvertised() throws Exception {
        // Given: one agent allows privileged containers, one does not, one advertises nothing
        plane.taskDefinitions().register(read(PRIVILEGED));
        instance("i-allows", AgentAttributes.of(true));
        instance("i-refuses", AgentAttributes.DEFAULT);
        instance("i-bare", Map.of("ecs.os-type", "linux"));

        // When
        Tasks.StartOutcome outcome = run("root", 3);

        // Then
        assertThat(outcome.tasks()).extracting(TaskView::instanceId).containsOnly("i-allows").hasSize(3);
        assertThat(outcome.failures()).isEmpty();

        // When: no instance left that can run it
        state.apply(new InstanceRegistration(BerthRecord.SCHEMA_VERSION, 2, "i-allows", "default", "i-allows.local",
                "0.1.0", new Resources(4096, 4096, Set.of()), AgentAttributes.DEFAULT, T0, T0, false, null, null, null));
        Tasks.StartOutcome nowhere = run("root", 1);

        // Then: each instance says it lacks an attribute, as ECS's failure does
        assertThat(nowhere.tasks()).isEmpty();
        assertThat(nowhere.failures()).extracting(Failure::reason).containsOnly("ATTRIBUTE");
    }

    @Test
    void aRevisionStoredBeforeCapabilitiesWereDerivedStillPlaces() throws Exception {
        // Given: the record an earlier Berth wrote, without requiresAttributes
        TaskDefinition old = read(PRIVILEGED.replace("\"family\":\"root\"", "\"family\":\"old\""));
        state.apply(new TaskDefinitionRecord(BerthRecord.SCHEMA_VERSION, 1, new TaskDefinition(
                "arn:aws:ecs:us-east-1:000000000000:task-definition/old:1", "old", 1, old.containerDefinitions(),
                null, null, null, TaskDefinition.ACTIVE, null, null, null, null, null, T0, null, null), List.of()));
        instance("i-bare", Map.of("ecs.os-type", "linux"));

        // When
        Tasks.StartOutcome outcome = run("old", 1);

        // Then
        assertThat(outcome.tasks()).extracting(TaskView::instanceId).containsExactly("i-bare");
    }
}
