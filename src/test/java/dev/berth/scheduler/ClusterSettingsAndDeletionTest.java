package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.TaskDefinition;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.TaskDefinitionRecord;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** UpdateClusterSettings and DeleteTaskDefinitions over a writer that acknowledges at once. */
class ClusterSettingsAndDeletionTest {

    private final SettableClock clock = new SettableClock(T0);
    private final SchedulerState state = new SchedulerState(clock, Duration.ofSeconds(60), Duration.ofHours(1));
    private final AppliedWriter writer = new AppliedWriter(state);
    private final ControlPlane plane = new ControlPlane(state, writer, new Arns("aws", "us-east-1", "000000000000"));

    private static final ClusterRecord.Setting ENABLED = new ClusterRecord.Setting("containerInsights", "enabled");

    private static TaskDefinition definition(String family) {
        return new TaskDefinition(null, family, null, List.of(new ContainerDefinition("web", "busybox", 256, 128,
                null, null, null, null, null, null, null, null, null, null, null)), null, null, null, null, null, null,
                null, null, null, null, null);
    }

    @Test
    void containerInsightsIsStoredAndAnsweredDisabledUntilSet() {
        // Given
        plane.clusters().create("prod");
        assertThat(ClusterSettings.answered(state.cluster("prod").orElseThrow()))
                .containsExactly(new ClusterRecord.Setting("containerInsights", "disabled"));

        // When
        plane.clusters().updateSettings("prod", List.of(ENABLED));
        plane.clusters().updateSettings("prod", List.of(ENABLED));

        // Then: written once, since the second changes nothing
        assertThat(ClusterSettings.answered(state.cluster("prod").orElseThrow())).containsExactly(ENABLED);
        assertThat(writer.written()).filteredOn(ClusterRecord.class::isInstance)
                .extracting(r -> ((ClusterRecord) r).version()).containsExactly(1L, 2L);
    }

    @Test
    void badSettingsAreNamed() {
        // Given
        plane.clusters().create("prod");

        // Then
        assertThatThrownBy(() -> plane.clusters().updateSettings("prod",
                List.of(new ClusterRecord.Setting("containerInsights", "on"))))
                .isInstanceOf(EcsException.class).hasMessageContaining("'settings[0].value'");
        assertThatThrownBy(() -> plane.clusters().updateSettings("prod",
                List.of(new ClusterRecord.Setting("logging", "enabled"))))
                .isInstanceOf(EcsException.class).hasMessageContaining("'settings[0].name'");
        assertThatThrownBy(() -> plane.clusters().updateSettings("prod", List.of()))
                .isInstanceOf(EcsException.class).hasMessageContaining("'settings'");
        assertThatThrownBy(() -> plane.clusters().updateSettings("nope", List.of(ENABLED)))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.ClusterNotFoundException));
    }

    @Test
    void aRevisionNamedByFamilyRevisionAndByItsArnIsDeletedOnce() {
        // Given
        plane.taskDefinitions().register(definition("web"));
        TaskDefinition web = plane.taskDefinitions().deregister("web:1");
        int plansBefore = writer.plans().size();

        // When
        TaskDefinitions.Deletion deletion = plane.taskDefinitions().delete(List.of("web:1", web.taskDefinitionArn()));

        // Then: one record (two of one version would be refused as a stale write), one answer
        assertThat(deletion.taskDefinitions()).extracting(TaskDefinition::familyRevision).containsExactly("web:1");
        assertThat(deletion.failures()).isEmpty();
        assertThat(writer.plans().get(plansBefore)).hasSize(1);
    }

    @Test
    void onlyInactiveRevisionsAreDeletedAndTheirNumbersAreNeverReused() {
        // Given
        plane.taskDefinitions().register(definition("web"));
        plane.taskDefinitions().register(definition("web"));
        plane.taskDefinitions().deregister("web:1");
        int plansBefore = writer.plans().size();

        // When
        TaskDefinitions.Deletion deletion = plane.taskDefinitions().delete(List.of("web:1", "web:2", "web:9"));
        TaskDefinition third = plane.taskDefinitions().register(definition("web"));

        // Then
        assertThat(deletion.taskDefinitions()).extracting(TaskDefinition::familyRevision, TaskDefinition::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web:1", TaskDefinitions.DELETE_IN_PROGRESS));
        assertThat(deletion.failures()).extracting(Failure::reason).containsExactly(
                "The specified task definition is still in ACTIVE status. Please deregister the target and try "
                        + "again.", "The specified task definition does not exist.");
        assertThat(writer.plans().get(plansBefore)).hasSize(1);
        assertThat(state.taskDefinition("web", 1)).get().extracting(TaskDefinitionRecord::taskDefinition)
                .extracting(TaskDefinition::status).isEqualTo(TaskDefinitions.DELETE_IN_PROGRESS);
        assertThat(third.revision()).isEqualTo(3);
        assertThat(plane.taskDefinitions().list(null, TaskDefinitions.DELETE_IN_PROGRESS, null))
                .extracting(TaskDefinition::familyRevision).containsExactly("web:1");
        assertThat(plane.taskDefinitions().list(null, TaskDefinition.INACTIVE, null)).isEmpty();

        // When a deleted revision is deregistered again, it stays deleted: nothing is written
        int plansAfter = writer.plans().size();
        assertThat(plane.taskDefinitions().deregister("web:1").status()).isEqualTo(TaskDefinitions.DELETE_IN_PROGRESS);
        assertThat(writer.plans()).hasSize(plansAfter);
        assertThat(plane.taskDefinitions().list(null, TaskDefinition.INACTIVE, null)).isEmpty();
    }

    @Test
    void deletingNeedsRevisionsAndAtMostTen() {
        // Then
        assertThatThrownBy(() -> plane.taskDefinitions().delete(List.of("web")))
                .isInstanceOf(EcsException.class).hasMessageContaining("Invalid revision number");
        assertThatThrownBy(() -> plane.taskDefinitions().delete(IntStream.range(1, 12).mapToObj(i -> "web:" + i)
                .toList())).isInstanceOf(EcsException.class).hasMessageContaining("at most 10");
        assertThatThrownBy(() -> plane.taskDefinitions().delete(null))
                .isInstanceOf(EcsException.class).hasMessageContaining("'taskDefinitions'");
    }
}
