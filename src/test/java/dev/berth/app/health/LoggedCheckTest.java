package dev.berth.app.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.app.health.LoggedCheck.Probe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

class LoggedCheckTest {

    @Test
    void probesOfAnUnchangedCheckLogNothingAfterTheFirstChange() {
        // Given: an agent waiting for its cluster, probed every few seconds, then registered
        List<HealthCheckResponse> probes = List.of(down("cluster x does not exist"), down("cluster x does not exist"),
                down("cluster x does not exist"), up(), up(), up());

        // When
        List<String> lines = linesFor(Probe.READINESS, probes);

        // Then
        assertThat(lines).containsExactly(
                "Health: agent is DOWN (readiness): tasks=rebuilt, registration=cluster x does not exist",
                "Health: agent is UP again (readiness)");
    }

    @Test
    void aCheckDownForAnotherReasonIsLoggedAgain() {
        List<String> lines = linesFor(Probe.LIVENESS, List.of(up(), down("a"), down("b"), down("b"), up()));

        assertThat(lines).containsExactly("Health: agent is DOWN (liveness): tasks=rebuilt, registration=a",
                "Health: agent is DOWN (liveness): tasks=rebuilt, registration=b",
                "Health: agent is UP again (liveness)");
    }

    @Test
    void aStalledLoopProbedAgainIsTheSameReasonWhateverItsAge() {
        // Given: a loop that stays stalled, its age growing from probe to probe
        List<HealthCheckResponse> probes = List.of(stalled(31), stalled(41), stalled(51));

        // Then
        assertThat(linesFor(Probe.LIVENESS, probes))
                .containsExactly("Health: agent-loops is DOWN (liveness): resync=stalled: last turned 31s ago, limit 30s");
    }

    @Test
    void aCheckUpFromTheStartIsNeverLogged() {
        assertThat(linesFor(Probe.READINESS, List.of(up(), up()))).isEmpty();
    }

    @Test
    void theWrappedCheckAnswersUnchanged() {
        HealthCheckResponse answer = down("z");

        assertThat(new LoggedCheck(Probe.READINESS, () -> answer).call()).isSameAs(answer);
    }

    private static List<String> linesFor(Probe probe, List<HealthCheckResponse> probes) {
        List<String> lines = new ArrayList<>();
        HealthCheckResponse before = null;
        for (HealthCheckResponse now : probes) {
            LoggedCheck.change(probe, before, now).ifPresent(lines::add);
            before = now;
        }
        return lines;
    }

    private static HealthCheckResponse down(String problem) {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("tasks", "rebuilt");
        data.put("registration", problem);
        return new HealthCheckResponse("agent", Status.DOWN, Optional.of(data));
    }

    private static HealthCheckResponse stalled(int seconds) {
        return new HealthCheckResponse("agent-loops", Status.DOWN, Optional.of(Map.of("resync",
                "stalled: last turned " + seconds + "s ago, limit 30s")));
    }

    private static HealthCheckResponse up() {
        return new HealthCheckResponse("agent", Status.UP, Optional.of(Map.of("tasks", "rebuilt")));
    }
}
