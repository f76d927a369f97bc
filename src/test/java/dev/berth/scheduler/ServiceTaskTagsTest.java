package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.Tag;
import dev.berth.model.TaskDefinition;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A service's propagateTags and enableECSManagedTags, applied to the tasks its scheduler starts. */
class ServiceTaskTagsTest {

    private static final Arns ARNS = new Arns("aws", "us-east-1", "000000000000");

    private final SchedulerState state = new SchedulerState(new SettableClock(T0), Duration.ofDays(365),
            Duration.ofHours(1), Duration.ofDays(365));
    private final ControlPlane plane = new ControlPlane(state, new AppliedWriter(state), ARNS);

    private static TaskDefinition web() {
        return new TaskDefinition(null, "web", null, List.of(new ContainerDefinition("web", "busybox", 128, 128,
                null, null, null, null, null, null, null, null, null, null, null)), null, null, null, null, null, null,
                null, null, null, null, null);
    }

    private List<Tag> tagsOfTheServicesTask(String propagateTags, Boolean managed) {
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        plane.taskDefinitions().register(web());
        plane.tags().tag(ARNS.taskDefinition("web", 1), List.of(new Tag("owner", "definition"), new Tag("tier", "td")));
        plane.services().create(new Services.ServiceSpec(null, "api", "web", 1, null, null, List.of(), List.of(),
                List.of(new Tag("owner", "service")), propagateTags, managed), null);
        plane.serviceScheduler().reconcile();
        List<TaskView> tasks = state.allTasks();
        assertThat(tasks).hasSize(1);
        return tasks.get(0).desired().tags();
    }

    @Test
    void serviceTagsAndManagedTagsGoToItsTasks() {
        assertThat(tagsOfTheServicesTask("SERVICE", true)).containsExactly(new Tag("owner", "service"),
                new Tag("aws:ecs:serviceName", "api"), new Tag("aws:ecs:clusterName", "default"));
        assertThat(plane.services().find("default", "api").orElseThrow().service().propagateTags())
                .isEqualTo("SERVICE");
    }

    @Test
    void taskDefinitionTagsGoToItsTasks() {
        assertThat(tagsOfTheServicesTask("TASK_DEFINITION", null)).containsExactly(new Tag("owner", "definition"),
                new Tag("tier", "td"));
    }

    @Test
    void noneGivesItsTasksNoTags() {
        assertThat(tagsOfTheServicesTask("NONE", false)).isEmpty();
    }

    @Test
    void updateServiceChangesTheTagsOfTheTasksStartedFromThenOn() {
        // Given a service whose first task has no tags
        assertThat(tagsOfTheServicesTask(null, null)).isEmpty();

        // When propagation is turned on and the service scales out
        plane.services().update(new Services.ServiceUpdate(null, "api", null, 2, null, false, "SERVICE", true));
        plane.serviceScheduler().reconcile();

        // Then only the new task carries the tags
        assertThat(state.allTasks()).extracting(t -> t.desired().tags().size()).containsExactlyInAnyOrder(0, 3);
        assertThatThrownBy(() -> plane.services().update(new Services.ServiceUpdate(null, "api", null, null, null,
                false, "EVERYTHING", null))).hasMessageContaining("Invalid 'propagateTags'");
    }

    @Test
    void anUnknownPropagationIsRefusedByName() {
        plane.taskDefinitions().register(web());
        assertThatThrownBy(() -> plane.services().create(new Services.ServiceSpec(null, "api", "web", 1, null, null,
                List.of(), List.of(), List.of(), "CLUSTER", null), null))
                .hasMessageContaining("Invalid 'propagateTags'");
    }
}
