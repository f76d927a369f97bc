package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.definition;
import static dev.berth.scheduler.TestRecords.desired;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClientTokenRecord;
import dev.berth.protocol.TaskDefinitionRecord;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every write of a request of berth.requests joins the request's transaction: staged (the
 * state shows it at once, Kafka commits it with the answer) and taken back whole when that
 * transaction fails.
 */
class RequestTransactionTest {

    private final SettableClock clock = new SettableClock(T0);
    private final SchedulerState state = new SchedulerState(clock, Duration.ofSeconds(60), Duration.ofHours(1));
    private final StagingWriter staging = new StagingWriter(state);
    private final ControlPlane plane = new ControlPlane(state, new StateWriter() {
        @Override
        public CompletableFuture<Void> submit(List<StateChange> changes) {
            return RequestScope.submit(staging, changes);
        }
    }, new Arns("aws", "us-east-1", "000000000000"));

    /**
     * A writer without Kafka: plans submitted on their own commit at once; staged plans are
     * queued (as the leader's writer queues them) and shown by the state until taken back.
     */
    private static final class StagingWriter implements StateWriter {
        private final AppliedWriter applied;
        private final StagedPlans staged;
        private final List<List<StateChange>> queued = new ArrayList<>();
        private final RequestTransaction.Holder holder = () -> { };

        StagingWriter(SchedulerState state) {
            this.applied = new AppliedWriter(state);
            this.staged = new StagedPlans(state);
        }

        @Override
        public CompletableFuture<Void> submit(List<StateChange> changes) {
            return applied.submit(changes);
        }

        @Override
        public CompletableFuture<Void> stage(RequestTransaction transaction, List<StateChange> changes) {
            if (transaction.stage(holder) == 0) {
                return submit(changes);
            }
            staged.stage(transaction, changes, plan -> queued.add(List.copyOf(changes)));
            return CompletableFuture.completedFuture(null);
        }
    }

    private static TaskDefinition web(String family) {
        return new TaskDefinition(null, family, null, List.of(new ContainerDefinition("web", "busybox", 128, 64, null,
                null, null, null, null, null, null, null, null, null, null)), null, null, null, null, null, null,
                null, null, null, null, null);
    }

    private <T> T asRequest(String id, RequestTransaction transaction, Supplier<T> body) {
        ClientTokenRecord marker = new ClientTokenRecord(BerthRecord.SCHEMA_VERSION, 1, "kafka-request/" + id,
                "Op", "hash", List.of(), List.of(), T0, null);
        return RequestScope.within(marker, transaction, body);
    }

    @Test
    void aRequestsWritesAreShownAtOnceButCommittedOnlyWithItsAnswer() {
        // Given
        RequestTransaction first = new RequestTransaction();
        RequestTransaction second = new RequestTransaction();

        // When: two registrations of one family, as two requests whose answers are not committed
        TaskDefinition one = asRequest("r-1", first, () -> plane.taskDefinitions().register(web("web")));
        TaskDefinition two = asRequest("r-2", second, () -> plane.taskDefinitions().register(web("web")));

        // Then: revisions 1 and 2 (the second saw the first), both queued with their marker, none committed
        assertThat(List.of(one.revision(), two.revision())).containsExactly(1, 2);
        assertThat(staging.queued).hasSize(2);
        assertThat(staging.queued.get(0)).anySatisfy(change -> assertThat(change).isInstanceOfSatisfying(
                StateChange.Put.class, put -> assertThat(put.record()).isInstanceOf(ClientTokenRecord.class)));
        assertThat(staging.applied.plans()).isEmpty();
        assertThat(List.of(first.staged(), second.staged())).containsExactly(1, 1);
    }

    @Test
    void theAnswerJoinsTheLastStagedPlanOfItsWriterOnly() {
        // Given
        RequestTransaction.Holder writer = () -> { };
        RequestTransaction nothingStaged = new RequestTransaction();
        RequestTransaction twoPlans = new RequestTransaction();
        twoPlans.stage(writer);
        twoPlans.stage(writer);

        // When / Then
        assertThat(nothingStaged.answer(writer, "answer")).isFalse();
        assertThat(twoPlans.answer(() -> { }, "answer")).isFalse();
        assertThat(twoPlans.answer(writer, "answer")).isTrue();
        assertThat(twoPlans.answerAfter(1)).isNull();
        assertThat(twoPlans.answerAfter(2)).isEqualTo("answer");
        assertThat(twoPlans.stage(writer)).isZero();
    }

    @Test
    void aRequestAboutToWaitReleasesItsStagedPlansAndTellsTheirHolderOnce() {
        // Given: one request with a staged plan, one with none, one answered
        java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
        RequestTransaction.Holder writer = told::incrementAndGet;
        RequestTransaction staged = new RequestTransaction();
        staged.stage(writer);
        RequestTransaction nothingStaged = new RequestTransaction();
        RequestTransaction answered = new RequestTransaction();
        answered.stage(writer);
        answered.answer(writer, "answer");

        // When
        staged.release();
        staged.release();
        nothingStaged.release();
        answered.release();

        // Then: only the staged one stops being held, and its holder hears it once
        assertThat(staged.phase()).isEqualTo(RequestTransaction.Phase.SPLIT);
        assertThat(staged.stage(writer)).isZero();
        assertThat(told).hasValue(1);
        assertThat(nothingStaged.phase()).isEqualTo(RequestTransaction.Phase.OPEN);
        assertThat(answered.phase()).isEqualTo(RequestTransaction.Phase.ANSWERED);
        assertThat(answered.answerAfter(1)).isEqualTo("answer");
    }

    @Test
    void aSplitTransactionCommitsItsLaterPlansAndItsAnswerOnTheirOwn() {
        // Given
        RequestTransaction.Holder writer = () -> { };
        RequestTransaction transaction = new RequestTransaction();
        transaction.stage(writer);

        // When
        transaction.split();

        // Then
        assertThat(transaction.stage(writer)).isZero();
        assertThat(transaction.answer(writer, "answer")).isFalse();
        assertThat(transaction.phase()).isEqualTo(RequestTransaction.Phase.SPLIT);
    }

    @Test
    void aFailedTransactionRefusesItsAnswer() {
        // Given
        RequestTransaction.Holder writer = () -> { };
        RequestTransaction transaction = new RequestTransaction();
        transaction.stage(writer);

        // When
        transaction.fail();

        // Then
        assertThatThrownBy(() -> transaction.answer(writer, "answer")).isInstanceOf(EcsException.class)
                .hasMessageContaining("nothing was changed");
    }

    @Test
    void takingBackRestoresTheStateAsItWasBeforeAnyStagedPlan() {
        // Seeded: a failure names the seed that replays it.
        for (long seed = 1; seed <= 40; seed++) {
            // Given: a committed state, then staged requests of several kinds, in a random order
            SchedulerState fresh = new SchedulerState(new SettableClock(T0), Duration.ofSeconds(60), Duration.ofHours(1));
            StagingWriter writer = new StagingWriter(fresh);
            ControlPlane committed = new ControlPlane(fresh, writer, new Arns("aws", "us-east-1", "000000000000"));
            committed.clusters().create("blue");
            committed.clusters().create("default");
            fresh.apply(TestRecords.instance("i-9", "default", 1024, 2048, T0, 1));
            committed.taskDefinitions().register(web("web"));
            fresh.apply(desired("t-1", "i-1", definition("web", 1, 64, null), 1));
            fresh.apply(desired("t-2", "i-1", definition("web", 1, 64, null), 1));
            Map<String, Object> before = snapshot(fresh);
            ControlPlane staged = new ControlPlane(fresh, new StateWriter() {
                @Override
                public CompletableFuture<Void> submit(List<StateChange> changes) {
                    return RequestScope.submit(writer, changes);
                }
            }, new Arns("aws", "us-east-1", "000000000000"));
            Random random = new Random(seed);
            List<Runnable> operations = new ArrayList<>(List.of(
                    () -> staged.clusters().create("green"),
                    () -> staged.clusters().delete("blue"),
                    () -> staged.taskDefinitions().register(web("web")),
                    () -> staged.taskDefinitions().register(web("api")),
                    () -> staged.taskDefinitions().deregister("web:1"),
                    () -> staged.tasks().stop("default", "t-1", "because"),
                    () -> staged.containerInstances().deregister("default", "i-9", true),
                    () -> writer.stage(new RequestTransaction(), List.of(new StateChange.Forget(
                            fresh.task("t-2").orElseThrow().desired())))));
            java.util.Collections.shuffle(operations, random);
            int n = 1 + random.nextInt(operations.size());
            for (int i = 0; i < n; i++) {
                Runnable operation = operations.get(i);
                try {
                    asRequest("r-" + i, new RequestTransaction(), () -> {
                        operation.run();
                        return null;
                    });
                } catch (EcsException refused) {
                    // e.g. the forgotten task stopped: refused as over HTTP, nothing staged
                }
            }
            assertThat(snapshot(fresh)).as("seed %d: something was staged", seed).isNotEqualTo(before);

            // When
            writer.staged.takeBackAll();

            // Then
            assertThat(snapshot(fresh)).as("seed %d", seed).isEqualTo(before);
        }
    }

    /** What a reader of the state sees of the keys the operations above touch. */
    private static Map<String, Object> snapshot(SchedulerState state) {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("clusters", state.clusters());
        seen.put("definitions", state.taskDefinitions());
        seen.put("lastRevision web", state.lastRevision("web"));
        seen.put("lastRevision api", state.lastRevision("api"));
        for (String task : List.of("t-1", "t-2")) {
            seen.put(task, state.task(task).map(t -> t.desired().version() + "/" + t.desiredStatus()).orElse("none"));
            seen.put(task + " held", state.holdsTask(task));
        }
        seen.put("i-9", state.instance("i-9").map(i -> i.version() + "/" + state.instanceStatus("i-9")).orElse("none"));
        seen.put("tokens", state.clientTokens().stream().map(ClientTokenRecord::key).sorted().toList());
        seen.put("web:1", state.held(Topic.TASK_DEFINITIONS, "web:1") instanceof TaskDefinitionRecord r
                ? r.taskDefinition().status() : "none");
        seen.put("stopped count", state.countByLastStatus().get(TaskStatus.RUNNING));
        return seen;
    }
}
