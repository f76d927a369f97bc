package dev.berth.scheduler.messaging;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.definition;
import static dev.berth.scheduler.TestRecords.desired;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClientTokenRecord;
import dev.berth.protocol.ServiceRecord;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.RequestScope;
import dev.berth.scheduler.RequestTransaction;
import dev.berth.scheduler.SchedulerObserver;
import dev.berth.scheduler.Services;
import dev.berth.scheduler.StateChange;
import dev.berth.scheduler.StateWriter;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operations other than RunTask served for requests of berth.requests, against a real broker:
 * what they change and their answer are one transaction of the leader's writer. A
 * {@code read_committed} reader sees both or neither, and a failed transaction leaves the
 * leader's state as it was.
 */
class RequestTransactionIT {

    private static WriterBroker broker;

    @BeforeAll
    static void startKafka() {
        broker = WriterBroker.start("it-request-txn");
    }

    @AfterAll
    static void stopKafka() {
        broker.close();
    }

    private final SchedulerState state = new SchedulerState(new SettableClock(T0), Duration.ofMinutes(1),
            Duration.ofHours(1));
    private final AtomicReference<LeaderWriter.Spent> spent = new AtomicReference<>();
    /** What the writer told its observer: each request whose changes committed apart from its answer, and why. */
    private final List<SchedulerObserver.AnswerApart> answeredApart = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final SchedulerObserver apart = new SchedulerObserver() {
        @Override
        public void answeredApart(AnswerApart cause) {
            answeredApart.add(cause);
        }
    };
    private LeaderWriter writer;
    private ControlPlane plane;

    private void lead(String transactionalId) {
        lead(transactionalId, LeaderWriter.HOLD);
    }

    private void lead(String transactionalId, Duration hold) {
        writer = broker.writer(state, transactionalId, spent::set, hold, apart);
        // As the scheduler role wires it: a plan written while a request is carried out joins its transaction.
        plane = new ControlPlane(state, new StateWriter() {
            @Override
            public CompletableFuture<Void> submit(List<StateChange> changes) {
                return RequestScope.submit(writer, changes);
            }

            @Override
            public void drain() {
                RequestScope.drain(writer);
            }
        }, new Arns("aws", "us-east-1", "000000000000"));
    }

    @AfterEach
    void close() {
        writer.close();
    }

    private static TaskDefinition web(String family) {
        return new TaskDefinition(null, family, null, List.of(new ContainerDefinition("web", "busybox", 128, 64, null,
                null, null, null, null, null, null, null, null, null, null)), null, null, null, null, null, null,
                null, null, null, null, null);
    }

    private static <T> T asRequest(String id, RequestTransaction transaction, Supplier<T> body) {
        ClientTokenRecord marker = new ClientTokenRecord(BerthRecord.SCHEMA_VERSION, 1, "kafka-request/" + id,
                "Op", "hash", List.of(), List.of(), T0, null);
        return RequestScope.within(marker, transaction, body);
    }

    private static List<StateChange> response(String id, int bytes) {
        return List.of(new StateChange.Publish(Topic.RESPONSES, id, ("{\"pad\":\"" + "x".repeat(bytes) + "\"}")
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRegistrationAndItsAnswerCommitTogether() throws Exception {
        // Given
        lead("it-txn-commit");
        RequestTransaction transaction = new RequestTransaction();

        // When: the request registers, and is not answered yet
        TaskDefinition registered = asRequest("td-1", transaction,
                () -> plane.taskDefinitions().register(web("txn-web")));

        // Then: the leader's state shows it (the answer is built from it)
        assertThat(registered.revision()).isEqualTo(1);
        assertThat(state.lastRevision("txn-web")).isEqualTo(1);

        // When: the answer comes
        writer.answer(transaction, response("td-1", 10)).get(30, TimeUnit.SECONDS);

        // Then: it joined the staged plan (not split off), and the revision, the request's marker and
        // the response are committed, in that one transaction
        assertThat(transaction.phase()).isEqualTo(RequestTransaction.Phase.ANSWERED);
        assertThat(answeredApart).isEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(committedKeys(Topic.TASK_DEFINITIONS)).contains("txn-web:1");
            assertThat(committedKeys(Topic.RESPONSES)).contains("td-1");
            assertThat(committedKeys(Topic.CLIENT_TOKENS)).contains("kafka-request/td-1");
        });
        assertThat(spent.get()).isNull();
    }

    @Test
    void aFailedAnswerLeavesNeitherTheServiceNorTheStopNorTheResponse() throws Exception {
        // Given: a task definition and a running task, committed; then one request that creates a
        // service and stops the task (two plans), answered with a response above max.request.size:
        // Kafka refuses it, and the transaction aborts
        lead("it-txn-abort");
        plane.taskDefinitions().register(web("abort-web"));
        writer.commit(List.of(new StateChange.Put(desired("abort-task", "i-1", definition("abort-web", 1, 64, null),
                1))));
        RequestTransaction transaction = new RequestTransaction();
        asRequest("svc-stop-1", transaction, () -> {
            plane.services().create(new Services.ServiceSpec(null, "abort-svc", "abort-web", 0, null, null, List.of(),
                    List.of()), null);
            return plane.tasks().stop("default", "abort-task", "because");
        });
        assertThat(transaction.staged()).isEqualTo(2);
        assertThat(state.service("default", "abort-svc")).isPresent();
        assertThat(state.task("abort-task").orElseThrow().desiredStatus()).isEqualTo(TaskStatus.STOPPED);

        // When
        CompletableFuture<Void> answered = writer.answer(transaction, response("svc-stop-1", 2 * 1024 * 1024));

        // Then: the answer fails, nothing of the request is committed, the state is as before
        await().atMost(Duration.ofSeconds(30)).until(answered::isDone);
        assertThat(answered).isCompletedExceptionally();
        assertThat(committedKeys(Topic.SERVICES)).doesNotContain(ServiceRecord.key("default", "abort-svc"));
        assertThat(committedKeys(Topic.RESPONSES)).doesNotContain("svc-stop-1");
        assertThat(committedKeys(Topic.CLIENT_TOKENS)).doesNotContain("kafka-request/svc-stop-1");
        assertThat(committedKeys(Topic.TASKS)).containsOnlyOnce("abort-task");
        assertThat(state.service("default", "abort-svc")).isEmpty();
        assertThat(state.task("abort-task").orElseThrow().desiredStatus()).isEqualTo(TaskStatus.RUNNING);
        assertThat(state.clientToken("kafka-request/svc-stop-1")).isEmpty();

        // And the writer is spent: a new leadership term catches up from Kafka before writing again
        assertThat(spent.get()).isEqualTo(LeaderWriter.Spent.UNCERTAIN);
    }

    @Test
    void aServiceAndAStopCommitWithTheirAnswer() throws Exception {
        // Given
        lead("it-txn-multi");
        plane.taskDefinitions().register(web("multi-web"));
        writer.commit(List.of(new StateChange.Put(desired("multi-task", "i-1", definition("multi-web", 1, 64, null),
                1))));
        RequestTransaction transaction = new RequestTransaction();

        // When: one request's two plans, then its answer
        asRequest("svc-stop-2", transaction, () -> {
            plane.services().create(new Services.ServiceSpec(null, "multi-svc", "multi-web", 0, null, null, List.of(),
                    List.of()), null);
            return plane.tasks().stop("default", "multi-task", "because");
        });
        writer.answer(transaction, response("svc-stop-2", 10)).get(30, TimeUnit.SECONDS);

        // Then: the service, the stop, the marker and the response are all committed
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(committedKeys(Topic.SERVICES)).contains(ServiceRecord.key("default", "multi-svc"));
            assertThat(committedKeys(Topic.TASKS)).containsSubsequence("multi-task", "multi-task");
            assertThat(committedKeys(Topic.RESPONSES)).contains("svc-stop-2");
        });
        assertThat(transaction.phase()).isEqualTo(RequestTransaction.Phase.ANSWERED);
        assertThat(spent.get()).isNull();
    }

    @Test
    void aRequestThatDoesNotAnswerHasItsPlanCommittedAloneWithItsMarker() {
        // Given
        lead("it-txn-split");
        RequestTransaction transaction = new RequestTransaction();

        // When: the request stages a cluster and never answers
        asRequest("cl-1", transaction, () -> plane.clusters().create("split-cluster"));

        // Then: past the hold, the cluster commits without an answer, with the marker that it acted
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(committedKeys(Topic.CLUSTERS)).contains("split-cluster");
            assertThat(committedKeys(Topic.CLIENT_TOKENS)).contains("kafka-request/cl-1");
        });
        assertThat(transaction.phase()).isEqualTo(RequestTransaction.Phase.SPLIT);
        assertThat(committedKeys(Topic.RESPONSES)).doesNotContain("cl-1");
        assertThat(answeredApart).containsExactly(SchedulerObserver.AnswerApart.HOLD_EXPIRED);
    }

    @Test
    void aRequestThatWaitsForTheWriteLockDoesNotHoldBackTheCommitThatTheLocksHolderWaitsFor() throws Exception {
        // Given: a writer that would hold a request's staged plans for its answer for ten minutes,
        // a request that staged a cluster, and an API call that holds the write lock until its own
        // cluster is committed (queued behind the staged one)
        lead("it-txn-release", Duration.ofMinutes(10));
        RequestTransaction transaction = new RequestTransaction();
        asRequest("two-clusters", transaction, () -> plane.clusters().create("staged-first"));
        AtomicReference<Throwable> apiFailed = new AtomicReference<>();
        Thread api = new Thread(() -> {
            try {
                plane.clusters().create("api-cluster");
            } catch (RuntimeException e) {
                apiFailed.set(e);
            }
        }, "api-call");
        api.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.getState() == Thread.State.WAITING);

        // When: the request, before it answers, writes again under the same lock
        CompletableFuture<Object> second = CompletableFuture.supplyAsync(
                () -> asRequest("two-clusters", transaction, () -> plane.clusters().create("staged-second")));

        // Then: nothing waits for the hold: the request let its plans go before it waited
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(second).isDone();
            assertThat(api.isAlive()).isFalse();
        });
        assertThat(apiFailed.get()).isNull();
        assertThat(second.join()).isNotNull();
        assertThat(transaction.phase()).isEqualTo(RequestTransaction.Phase.SPLIT);
        assertThat(answeredApart).containsExactly(SchedulerObserver.AnswerApart.REQUEST_WAITED);
        assertThat(committedKeys(Topic.CLUSTERS)).contains("staged-first", "api-cluster", "staged-second");
        assertThat(committedKeys(Topic.CLIENT_TOKENS)).contains("kafka-request/two-clusters");

        // and its answer, sent now, commits on its own
        writer.answer(transaction, response("two-clusters", 16)).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(committedKeys(Topic.RESPONSES)).contains("two-clusters");
        assertThat(spent.get()).isNull();
    }

    private static List<String> committedKeys(Topic topic) {
        return broker.committedKeys(topic);
    }
}
