package dev.berth.api.action;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.model.Arns;
import dev.berth.scheduler.AppliedWriter;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsErrorType;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** UpdateContainerAgent answers as ECS does for an agent it cannot update, and changes nothing. */
class UpdateContainerAgentActionTest {

    private final SchedulerState state = new SchedulerState(new SettableClock(T0), Duration.ofSeconds(60),
            Duration.ofHours(1));
    private final AppliedWriter writer = new AppliedWriter(state);
    private final ControlPlane plane = new ControlPlane(state, writer, new Arns("aws", "us-east-1", "000000000000"));
    private final UpdateContainerAgentAction action = new UpdateContainerAgentAction(null);

    private static void assertType(Runnable call, EcsErrorType type, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(EcsException.class,
                e -> assertThat(e.type()).isEqualTo(type)).hasMessageContaining(message);
    }

    @Test
    void aKnownInstanceGetsMissingVersionExceptionSayingWhatToDoInstead() {
        // Given
        state.apply(instance("i-1", "default", 1024, 1024, T0, 1));
        String arn = "arn:aws:ecs:us-east-1:000000000000:container-instance/default/i-1";

        // When / Then
        assertType(() -> action.handle(plane, null, new UpdateContainerAgentAction.Request(null, arn)),
                EcsErrorType.MissingVersionException, "Berth cannot update the agent of container instance " + arn
                        + " (berth 0.1.0)");
        assertType(() -> action.handle(plane, null, new UpdateContainerAgentAction.Request("default", "i-1")),
                EcsErrorType.MissingVersionException, "restart berth-agent.service instead");
        assertThat(writer.plans()).isEmpty();
    }

    @Test
    void anUnknownInstanceOrClusterIsNamed() {
        assertType(() -> action.handle(plane, null, new UpdateContainerAgentAction.Request(null, "i-9")),
                EcsErrorType.InvalidParameterException, "container-instance/default/i-9 was not found");
        assertType(() -> action.handle(plane, null, new UpdateContainerAgentAction.Request(null, " ")),
                EcsErrorType.InvalidParameterException, "Invalid 'containerInstance'");
        assertType(() -> action.handle(plane, null, new UpdateContainerAgentAction.Request("nope", "i-1")),
                EcsErrorType.ClusterNotFoundException, "Cluster not found.");
    }
}
