package dev.berth.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.EcsAction;
import dev.berth.protocol.ClientTokenRecord;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.RequestScope;
import dev.berth.scheduler.RequestTransaction;
import dev.berth.scheduler.StateChange;
import dev.berth.scheduler.StateWriter;
import dev.berth.scheduler.messaging.RequestConsumer;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A record of berth.requests carried out by {@link KafkaRequests}, with a stand-in action and
 * writer: what it answers when it reads a record again.
 */
class KafkaRequestsTest {

    private final SchedulerState state = new SchedulerState(new SettableClock(Instant.parse("2026-12-01T12:00:00Z")),
            Duration.ofMinutes(1), Duration.ofHours(1));
    private final ObjectMapper mapper = new ObjectMapper();
    /** The plans the action staged, each with the request's marker. */
    private final List<StateChange> staged = new ArrayList<>();
    private final AtomicInteger registrations = new AtomicInteger();

    /** Stages as the leader's writer does: the plan joins the request's transaction. */
    private final StateWriter writer = new StateWriter() {
        @Override
        public CompletableFuture<Void> submit(List<StateChange> changes) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> stage(RequestTransaction transaction, List<StateChange> changes) {
            transaction.stage(() -> { });
            staged.addAll(changes);
            return CompletableFuture.completedFuture(null);
        }
    };

    record Family(String family) {
    }

    /**
     * Registers a revision as the scheduler does when it must wait for a lock after its first
     * plan: the plan is staged, then let go, to commit apart from the answer.
     */
    private final EcsAction<Family> register = new EcsAction<>() {
        @Override
        public String operation() {
            return "RegisterTaskDefinition";
        }

        @Override
        public Class<Family> requestType() {
            return Family.class;
        }

        @Override
        public Object handle(Family request) {
            int revision = registrations.incrementAndGet();
            RequestScope.submit(writer, List.of(new StateChange.Publish(Topic.EVENTS, request.family(),
                    new byte[] {'{', '}'})));
            RequestScope.release();
            return Map.of("taskDefinition", Map.of("family", request.family(), "revision", revision));
        }

        @Override
        public boolean isWrite() {
            return true;
        }
    };

    private final KafkaRequests requests = new KafkaRequests(List.of(register), () -> Optional.of(state), null);

    @Test
    void aRequestWhosePlansCommittedAndWhoseAnswerAbortedGetsItsAnswerWhenReadAgain() throws IOException {
        // Given: a registration whose plan committed apart from its answer, with its marker
        RequestConsumer.Received record = new RequestConsumer.Received("berth.requests", 0, 5, "td-1",
                "{\"operation\":\"RegisterTaskDefinition\",\"request\":{\"family\":\"web\"}}"
                        .getBytes(StandardCharsets.UTF_8));
        RequestConsumer.Answer first = requests.handle(record);
        assertThat(response(first).path("statusCode").asInt()).isEqualTo(200);
        committed(staged);

        // When: the answer's own transaction aborted, and the record is read again
        first.finished().accept(false);
        RequestConsumer.Answer again = requests.handle(record);

        // Then: it gets the answer the registration had, and does not register again
        JsonNode response = response(again);
        assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(200);
        assertThat(response.path("body").path("taskDefinition").path("revision").asInt()).isEqualTo(1);
        assertThat(registrations.get()).isEqualTo(1);
        assertThat(again.changes()).anySatisfy(c -> assertThat(c).isInstanceOfSatisfying(StateChange.Put.class,
                p -> assertThat(((ClientTokenRecord) p.record()).response()).contains("\"revision\":1")));
    }

    /** The records of the plans as Kafka committed them: the state reads them back. */
    private void committed(List<StateChange> changes) {
        for (StateChange change : changes) {
            if (change instanceof StateChange.Put put) {
                state.apply(put.record());
            }
        }
    }

    private JsonNode response(RequestConsumer.Answer answer) throws IOException {
        for (StateChange change : answer.changes()) {
            if (change instanceof StateChange.Publish publish && publish.topic() == Topic.RESPONSES) {
                return mapper.readTree(publish.value());
            }
        }
        throw new AssertionError("no response in " + answer.changes());
    }
}
