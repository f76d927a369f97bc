package dev.berth.scheduler.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ServiceRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceActionTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static ServiceEvents events() {
        return new ServiceEvents(new ServiceRecord(BerthRecord.SCHEMA_VERSION, 1, "default", "web",
                "arn:aws:ecs:us-east-1:000000000000:service/default/web", ServiceRecord.ACTIVE, ServiceRecord.REPLICA,
                1, "web:1", null, null, null, List.of(), List.of(), T0, "hash"), T0);
    }

    private static Optional<ServiceAction> last(ServiceEvents events) {
        return ServiceAction.of(events.events().get(0).message());
    }

    @Test
    void eachEventThatReportsAnEcsServiceActionIsClassedAsIt() {
        // Given
        ServiceEvents events = events();

        // When / Then: what the reconciler writes is what berth.events reports
        events.steady();
        assertThat(last(events)).contains(ServiceAction.SERVICE_STEADY_STATE);
        events.stopped(List.of("t1", "t2"));
        assertThat(last(events)).contains(ServiceAction.TASKS_STOPPED);
        events.unableToStartConsistently();
        assertThat(last(events)).contains(ServiceAction.SERVICE_TASK_START_IMPAIRED);
        events.unableToPlace(List.of());
        assertThat(last(events)).contains(ServiceAction.SERVICE_TASK_PLACEMENT_FAILURE);
        assertThat(ServiceAction.SERVICE_TASK_PLACEMENT_FAILURE.eventType()).isEqualTo("ERROR");
        events.started(List.of("t3"));
        assertThat(last(events)).isEmpty();
        events.deploymentCompleted("ecs-svc/1");
        assertThat(last(events)).as("a deployment's changes are Deployment State Change events").isEmpty();
    }

    @Test
    void aPlacementFailureGivesTheReasonOfTheClosestMatchingInstanceWhateverItIs() {
        // Given: the closest instance misses a constraint, and another counted reason comes first
        ServiceEvents events = events();
        events.unableToPlace(List.of(
                new dev.berth.scheduler.placement.Rejection("i-1",
                        dev.berth.scheduler.placement.FeasibilityCheck.DISTINCT_INSTANCE),
                new dev.berth.scheduler.placement.Rejection("i-2", List.of(
                        dev.berth.scheduler.placement.FeasibilityCheck.AGENT,
                        dev.berth.scheduler.placement.FeasibilityCheck.MEMORY))));

        // When / Then
        assertThat(ServiceAction.placementReason(events.events().get(0).message()))
                .contains("DistinctInstance placement constraint unsatisfied.");
    }

    @Test
    void aPlacementFailureGivesTheFirstReasonItCounts() {
        // Given
        String message = "(service web) " + ServiceAction.UNABLE_TO_PLACE + " The closest matching (container-instance "
                + "i-1) has insufficient memory available. 3 instances: 2 RESOURCE:MEMORY, 1 AGENT.";

        // When / Then
        assertThat(ServiceAction.placementReason(message)).contains("RESOURCE:MEMORY");
        assertThat(ServiceAction.placementReason("(service web) " + ServiceAction.UNABLE_TO_PLACE
                + " Reason: No Container Instances were found in your cluster.")).isEmpty();
    }
}
