package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.RuntimeError;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EngineSlotsTest {

    @Test
    void aCallBeyondTheBoundWaitsUntilASlotIsGivenBack() throws Exception {
        // Given: both slots taken
        EngineSlots slots = EngineSlots.of(2);
        EngineSlots.Slot first = slots.take(RuntimeError.CannotStartContainerError, "start a");
        slots.take(RuntimeError.CannotStartContainerError, "start b");
        AtomicReference<EngineSlots.Slot> third = new AtomicReference<>();
        Thread waiting = new Thread(() -> {
            try {
                third.set(slots.take(RuntimeError.CannotCreateContainerError, "create c"));
            } catch (ContainerRuntimeException e) {
                throw new IllegalStateException(e);
            }
        });
        waiting.start();
        await().until(() -> waiting.getState() == Thread.State.WAITING);
        assertThat(third.get()).as("no slot while both are held").isNull();

        // When
        first.close();

        // Then
        waiting.join(Duration.ofSeconds(10).toMillis());
        assertThat(third.get()).isNotNull();
        assertThat(slots.available()).isZero();
    }

    @Test
    void aSlotClosedTwiceIsGivenBackOnce() throws Exception {
        // Given
        EngineSlots slots = EngineSlots.of(1);
        EngineSlots.Slot slot = slots.take(RuntimeError.CannotStartContainerError, "start a");

        // When
        slot.close();
        slot.close();

        // Then
        assertThat(slots.available()).isEqualTo(1);
    }

    @Test
    void aWaitInterruptedBecauseTheAgentStopsSendsNothingAndSaysSo() throws Exception {
        // Given: the only slot taken, and a caller waiting for it
        EngineSlots slots = EngineSlots.of(1);
        slots.take(RuntimeError.CannotStartContainerError, "start a");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiting = new Thread(() -> {
            try {
                slots.take(RuntimeError.CannotCreateContainerError, "create b");
            } catch (ContainerRuntimeException e) {
                failure.set(e);
            }
        });
        waiting.start();
        await().until(() -> waiting.getState() == Thread.State.WAITING);

        // When
        waiting.interrupt();
        waiting.join(Duration.ofSeconds(10).toMillis());

        // Then
        assertThat(failure.get()).isInstanceOfSatisfying(ContainerRuntimeException.class, e -> {
            assertThat(e.inconclusive()).isTrue();
            assertThat(e.unanswered()).isFalse();
            assertThat(e.reason()).contains("create b: not sent, the agent is stopping");
        });
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatThrownBy(() -> EngineSlots.of(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
