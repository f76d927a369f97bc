package dev.berth.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.protocol.RemainingResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The host's own account of CPU, memory and ports: who is admitted, who waits, what is left. */
class HostLedgerTest {

    private final HostLedger ledger = new HostLedger(2048, 1000, Set.of(22), Set.of(161));

    private static TaskReservation need(int cpu, int memory, Set<Integer> tcp, Set<Integer> udp) {
        return new TaskReservation(cpu, memory, tcp, udp);
    }

    @Test
    void aTaskThatFitsIsAdmittedAndWhatItHoldsLeavesTheRemainder() {
        // When
        HostLedger.Admission admission = ledger.admit("t1", need(512, 600, Set.of(80), Set.of(53)));

        // Then
        assertThat(admission).isInstanceOf(HostLedger.Admission.Admitted.class);
        assertThat(ledger.remaining()).isEqualTo(new RemainingResources(1536, 400, Set.of(22, 80), Set.of(53, 161)));
    }

    @Test
    void aTaskShortOfMemoryWaitsAndTheReasonNamesTheResource() {
        // Given
        ledger.admit("t1", need(0, 600, Set.of(), Set.of()));

        // When
        HostLedger.Admission admission = ledger.admit("t2", need(0, 500, Set.of(), Set.of()));

        // Then
        assertThat(admission).isInstanceOfSatisfying(HostLedger.Admission.Waiting.class,
                waiting -> assertThat(waiting.reason()).startsWith("RESOURCE:MEMORY").contains("400 are free"));
    }

    @Test
    void aHostPortHeldByAnotherTaskMakesATaskWaitPerProtocol() {
        // Given
        ledger.admit("t1", need(0, 0, Set.of(8080), Set.of(5353)));

        // When
        HostLedger.Admission tcp = ledger.admit("t2", need(0, 0, Set.of(8080), Set.of()));
        HostLedger.Admission udp = ledger.admit("t3", need(0, 0, Set.of(), Set.of(5353)));
        HostLedger.Admission otherProtocol = ledger.admit("t4", need(0, 0, Set.of(5353), Set.of(8080)));

        // Then
        assertThat(tcp).isInstanceOfSatisfying(HostLedger.Admission.Waiting.class,
                w -> assertThat(w.reason()).startsWith("RESOURCE:PORTS ").contains("8080"));
        assertThat(udp).isInstanceOfSatisfying(HostLedger.Admission.Waiting.class,
                w -> assertThat(w.reason()).startsWith("RESOURCE:PORTS_UDP").contains("5353"));
        assertThat(otherProtocol).isInstanceOf(HostLedger.Admission.Admitted.class);
    }

    @Test
    void aTaskLargerThanTheHostOrOnAReservedPortCanNeverRun() {
        // When
        HostLedger.Admission cpu = ledger.admit("t1", need(4096, 0, Set.of(), Set.of()));
        HostLedger.Admission tcp = ledger.admit("t2", need(0, 0, Set.of(22), Set.of()));
        HostLedger.Admission udp = ledger.admit("t3", need(0, 0, Set.of(), Set.of(161)));

        // Then
        assertThat(cpu).isInstanceOfSatisfying(HostLedger.Admission.Never.class,
                n -> assertThat(n.reason()).startsWith("RESOURCE:CPU").contains("2048"));
        assertThat(tcp).isInstanceOfSatisfying(HostLedger.Admission.Never.class,
                n -> assertThat(n.reason()).startsWith("RESOURCE:PORTS ").contains("22"));
        assertThat(udp).isInstanceOfSatisfying(HostLedger.Admission.Never.class,
                n -> assertThat(n.reason()).startsWith("RESOURCE:PORTS_UDP").contains("161"));
        assertThat(ledger.remaining().cpu()).isEqualTo(2048);
    }

    @Test
    void releasingWakesTheWaitingTasksOnceAndFreesWhatWasHeld() {
        // Given
        List<String> woken = new ArrayList<>();
        ledger.wakeWith(woken::add);
        ledger.admit("t1", need(0, 800, Set.of(), Set.of()));
        ledger.admit("t2", need(0, 800, Set.of(), Set.of()));

        // When
        ledger.release("t1");
        ledger.release("t1");

        // Then
        assertThat(woken).containsExactly("t2");
        assertThat(ledger.admit("t2", need(0, 800, Set.of(), Set.of())))
                .isInstanceOf(HostLedger.Admission.Admitted.class);
    }

    @Test
    void aTaskThatAlreadyRunsIsHeldEvenBeyondCapacity() {
        // Given
        ledger.hold("adopted", need(0, 900, Set.of(), Set.of()));

        // When
        ledger.hold("adopted-too", need(0, 900, Set.of(), Set.of()));

        // Then: the ledger says what is true, and admits nothing more
        assertThat(ledger.remaining().memory()).isEqualTo(-800);
        assertThat(ledger.admit("new", need(0, 1, Set.of(), Set.of())))
                .isInstanceOf(HostLedger.Admission.Waiting.class);
    }
}
