package dev.berth.scheduler.messaging;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.definition;
import static dev.berth.scheduler.TestRecords.desired;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.model.ContainerDefinition;
import dev.berth.model.TaskDefinition;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.TaskDefinitionRecord;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.EcsErrorType;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.StateChange;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The leader's writer against a real broker: a plan is one transaction, so a plan that
 * fails part-way publishes none of its tasks to the agents ({@code read_committed}); and a
 * writer fenced by a newer leader can write nothing at all.
 */
class LeaderWriterIT {

    private static WriterBroker broker;
    private static KafkaSettings settings;
    private static KafkaClients clients;

    @BeforeAll
    static void startKafka() {
        broker = WriterBroker.start("it-leader");
        settings = broker.settings();
        clients = broker.clients();
    }

    @AfterAll
    static void stopKafka() {
        broker.close();
    }

    private final SchedulerState state = new SchedulerState(new SettableClock(T0), Duration.ofMinutes(1),
            Duration.ofHours(1));

    private LeaderWriter writer(String transactionalId, AtomicReference<LeaderWriter.Spent> spent) {
        return broker.writer(state, transactionalId, spent::set, LeaderWriter.HOLD);
    }

    @Test
    void aPlanThatFailsPartWayPublishesNoneOfItsTasks() {
        // Given: a plan of two tasks and a record Kafka will refuse (above max.request.size)
        LeaderWriter writer = writer("it-abort", new AtomicReference<>());
        DesiredTask first = desired("abort-1", "i-1", definition("web", 1, 64, null), 1);
        DesiredTask second = desired("abort-2", "i-2", definition("web", 1, 64, null), 1);
        TaskDefinitionRecord huge = new TaskDefinitionRecord(BerthRecord.SCHEMA_VERSION, 1, new TaskDefinition(null,
                "huge", 1, List.of(new ContainerDefinition("web", "x".repeat(2 * 1024 * 1024), null, 64, null, null,
                        null, null, null, null, null, null, null, null, null)), null, null, null, null, null, null,
                null, null, null, null, null));

        // When
        assertThatThrownBy(() -> writer.commit(List.of(new StateChange.Put(first), new StateChange.Put(huge),
                new StateChange.Put(second))))
                .isInstanceOf(EcsException.class).hasMessageContaining("nothing was changed");

        // Then: an agent reading committed records sees neither task, nor does the state
        assertThat(committedKeys(Topic.TASKS)).doesNotContain("abort-1", "abort-2");
        assertThat(state.task("abort-1")).isEmpty();
        assertThat(state.task("abort-2")).isEmpty();

        // And the writer goes on: the next plan commits
        writer.commit(List.of(new StateChange.Put(desired("after-abort", "i-1", definition("web", 1, 64, null), 1))));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(committedKeys(Topic.TASKS)).contains("after-abort"));
        writer.close();
    }

    @Test
    void aWriterFencedByANewLeaderWritesNothingAndSaysTheOutcomeIsUnknown() {
        // Given: a leader's writer, then a new leader with the same transactional id
        AtomicReference<LeaderWriter.Spent> spent = new AtomicReference<>();
        LeaderWriter old = writer("it-fence", spent);
        LeaderWriter newer = writer("it-fence", new AtomicReference<>());

        // When: the old leader writes
        DesiredTask late = desired("late-write", "i-1", definition("web", 1, 64, null), 1);
        assertThatThrownBy(() -> old.commit(List.of(new StateChange.Put(late))))
                .isInstanceOf(EcsException.class).hasMessageContaining("may or may not have been applied");

        // Then: nothing of it is committed, the old writer is spent as fenced, and refuses more
        assertThat(committedKeys(Topic.TASKS)).doesNotContain("late-write");
        assertThat(spent.get()).isEqualTo(LeaderWriter.Spent.FENCED);
        assertThatThrownBy(() -> old.commit(List.of(new StateChange.Put(late))))
                .isInstanceOf(EcsException.class).hasMessageContaining("nothing was changed");
        newer.commit(List.of(new StateChange.Put(desired("new-leader", "i-1", definition("web", 1, 64, null), 1))));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(committedKeys(Topic.TASKS)).contains("new-leader"));
        old.close();
        newer.close();
    }

    @Test
    void plansSubmittedTogetherAreAllCommittedAndAppliedWithoutWaitingForEachOther() throws Exception {
        // Given
        LeaderWriter writer = writer("it-group", new AtomicReference<>());
        List<java.util.concurrent.CompletableFuture<Void>> submitted = new ArrayList<>();

        // When: 50 plans are submitted before any is waited for
        for (int i = 0; i < 50; i++) {
            submitted.add(writer.submit(List.of(new StateChange.Put(
                    desired("group-" + i, "i-" + (i % 3), definition("web", 1, 64, null), 1)))));
        }
        java.util.concurrent.CompletableFuture.allOf(submitted.toArray(new java.util.concurrent.CompletableFuture[0]))
                .get(60, java.util.concurrent.TimeUnit.SECONDS);
        writer.drain();

        // Then: every one is committed for the agents and held by the state (Kafka writes a
        // commit's markers to the partitions just after the commit returns, so a read_committed
        // reader may see the last transaction a moment later)
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("group-" + i);
            assertThat(state.task("group-" + i)).isPresent();
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(committedKeys(Topic.TASKS)).containsAll(expected));
        writer.close();
    }

    @Test
    void aPlanWithARecordKafkaWouldRefuseIsRefusedAloneBeforeAnythingIsSent() throws Exception {
        // Given: plans submitted together, one of them with a record of 2 MiB
        LeaderWriter writer = writer("it-too-large", new AtomicReference<>());
        List<java.util.concurrent.CompletableFuture<Void>> fine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fine.add(writer.submit(List.of(new StateChange.Put(
                    desired("beside-large-" + i, "i-1", definition("web", 1, 64, null), 1)))));
        }

        // When
        java.util.concurrent.CompletableFuture<Void> large = writer.submit(List.of(
                new StateChange.Put(desired("with-large", "i-1", definition("web", 1, 64, null), 1)),
                new StateChange.Publish(Topic.RESPONSES, "req-large", new byte[2 * 1024 * 1024])));
        for (int i = 5; i < 10; i++) {
            fine.add(writer.submit(List.of(new StateChange.Put(
                    desired("beside-large-" + i, "i-1", definition("web", 1, 64, null), 1)))));
        }

        // Then: that plan alone is refused, with what Kafka would not take, and nothing of it is
        // written; the plans beside it commit
        assertThat(large).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(EcsException.class, e -> {
                    assertThat(e.type()).isEqualTo(EcsErrorType.ClientException);
                    assertThat(e.getMessage()).contains("berth.responses", "req-large", "2097161 bytes",
                            "nothing was changed");
                });
        java.util.concurrent.CompletableFuture.allOf(fine.toArray(new java.util.concurrent.CompletableFuture[0]))
                .get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(writer.isSpent()).isFalse();
        assertThat(state.task("with-large")).isEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(committedKeys(Topic.TASKS))
                .contains("beside-large-0", "beside-large-9").doesNotContain("with-large"));
        writer.close();
    }

    @Test
    void aLargePlanEncodedOnAllCoresLandsWholeAndInOrder() throws Exception {
        // Given: one plan of 600 tasks, past the size from which its records are encoded in parallel
        LeaderWriter writer = writer("it-large", new AtomicReference<>());
        List<StateChange> plan = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            plan.add(new StateChange.Put(desired("large-" + i, "i-large", definition("web", 1, 64, null), 1)));
            expected.add("large-" + i);
        }

        // When
        writer.submit(plan).get(60, java.util.concurrent.TimeUnit.SECONDS);

        // Then: the state holds every task, and the agents' partition has them in the plan's order
        for (String taskId : expected) {
            assertThat(state.task(taskId)).isPresent();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(committedKeys(Topic.TASKS))
                .filteredOn(k -> k.startsWith("large-")).containsExactlyElementsOf(expected));
        writer.close();
    }

    @Test
    void aPlanCommitsTheRecordsItConsumedAndPublishesWithIt() throws Exception {
        // Given: a leader's writer, and a plan that answers a request and consumes it
        LeaderWriter writer = writer("it-consume", new AtomicReference<>());
        String requests = Topic.REQUESTS.name(settings);
        DesiredTask task = desired("consumed-1", "i-1", definition("web", 1, 64, null), 1);

        // When
        writer.commit(List.of(new StateChange.Put(task),
                new StateChange.Publish(Topic.RESPONSES, "req-1", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new StateChange.Consume("it-consume-group", requests, 2, 7)));

        // Then: the position, the response and the task are committed together (the group
        // coordinator, like the partitions, takes the commit's marker just after the commit returns)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(committedPosition("it-consume-group", new TopicPartition(requests, 2))).isEqualTo(7L);
            assertThat(committedKeys(Topic.RESPONSES)).contains("req-1");
            assertThat(committedKeys(Topic.TASKS)).contains("consumed-1");
        });
        writer.close();
    }

    @Test
    void theRequestsPositionRidesAtMostEveryIntervalAndIsCommittedOnceIdle() throws Exception {
        // Given: a writer whose requests' positions ride at most every 3 seconds, and a partition
        // of berth.requests whose records 0 to 2 were read
        LeaderWriter writer = broker.writer(state, "it-positions", Duration.ofSeconds(3));
        String requests = Topic.REQUESTS.name(settings);
        TopicPartition partition = new TopicPartition(requests, 0);
        Watermarks read = new Watermarks();
        for (long offset = 0; offset < 3; offset++) {
            read.read(partition, offset);
        }

        // When: the answer to record 0 commits, then the answer to record 1
        writer.commit(List.of(new StateChange.Publish(Topic.RESPONSES, "pos-0", new byte[] {'{', '}'}),
                new StateChange.Consume("it-positions-group", requests, 0, 1, read.of(partition))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(committedPosition("it-positions-group", partition)).isEqualTo(1L));
        writer.commit(List.of(new StateChange.Publish(Topic.RESPONSES, "pos-1", new byte[] {'{', '}'}),
                new StateChange.Consume("it-positions-group", requests, 0, 2, read.of(partition))));

        // Then: the first answer's transaction carried its position; the second's answer is
        // committed, its position waits; once the writer is idle past the interval, it rides alone
        assertThat(committedKeys(Topic.RESPONSES)).contains("pos-1");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(
                () -> Long.valueOf(1L).equals(committedPosition("it-positions-group", partition)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(committedPosition("it-positions-group", partition)).isEqualTo(2L));
        writer.close();
    }

    @Test
    void aFencedWriterMovesNoPosition() throws Exception {
        // Given: a leader's writer, fenced by a new one
        LeaderWriter old = writer("it-consume-fence", new AtomicReference<>());
        LeaderWriter newer = writer("it-consume-fence", new AtomicReference<>());
        String requests = Topic.REQUESTS.name(settings);

        // When: the old one answers and consumes a request
        assertThatThrownBy(() -> old.commit(List.of(
                new StateChange.Publish(Topic.RESPONSES, "fenced-req", new byte[] {'{', '}'}),
                new StateChange.Consume("it-fenced-group", requests, 1, 3))))
                .isInstanceOf(EcsException.class);

        // Then: neither the position nor the response is committed
        assertThat(committedPosition("it-fenced-group", new TopicPartition(requests, 1))).isNull();
        assertThat(committedKeys(Topic.RESPONSES)).doesNotContain("fenced-req");
        old.close();
        newer.close();
    }

    @Test
    void closingLetsTheTransactionUnderWayCommitWhole() throws Exception {
        // Given: a writer committing a plan of 5,000 tasks, seen under way: its first records
        // are in the log (a read_uncommitted reader sees them) and not committed yet
        LeaderWriter writer = writer("it-close", new AtomicReference<>());
        List<StateChange> plan = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            plan.add(new StateChange.Put(desired("closing-" + i, "i-close", definition("web", 1, 64, null), 1)));
        }
        java.util.concurrent.CompletableFuture<Void> done;
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> uncommitted = uncommittedTasksReader()) {
            done = writer.submit(plan);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> {
                for (var record : uncommitted.poll(Duration.ofMillis(5))) {
                    if (record.key().startsWith("closing-")) {
                        return true;
                    }
                }
                return done.isDone();
            });
        }
        assertThat(done).as("the transaction was seen under way").isNotDone();

        // When: the writer closes, as a scheduler that stops or hands its leadership over does
        writer.close();

        // Then: the plan was committed whole and its caller told so, not cut short with an
        // outcome that nobody knows
        assertThat(done).succeedsWithin(Duration.ofSeconds(5));
        assertThat(state.task("closing-4999")).isPresent();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(committedKeys(Topic.TASKS))
                .filteredOn(k -> k.startsWith("closing-")).hasSize(5_000));
    }

    @Test
    void aPlanSubmittedWhileTheWriterClosesIsAnsweredNotLeftWaiting() throws Exception {
        // Given: a caller that has passed the writer's open check and is about to queue its plan
        LeaderWriter writer = writer("it-close-race", new AtomicReference<>());
        AtomicReference<java.util.concurrent.CompletableFuture<Void>> submitted = new AtomicReference<>();
        Thread caller;
        synchronized (writer) {
            caller = new Thread(() -> submitted.set(writer.submit(List.of(new StateChange.Put(
                    desired("racing", "i-race", definition("web", 1, 64, null), 1))))), "caller");
            caller.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> caller.getState() == Thread.State.BLOCKED);

            // When: the writer closes meanwhile (its committer drains what is queued and ends)
            writer.close();
        }
        caller.join(10_000);

        // Then: the caller hears that this scheduler is handing over, instead of waiting for ever
        assertThat(submitted.get()).failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(EcsException.class)
                .withMessageContaining("nothing was changed");
        assertThat(state.task("racing")).isEmpty();
    }

    /** A read_uncommitted reader of every partition of berth.tasks, from their ends. */
    private static org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> uncommittedTasksReader() {
        var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(java.util.Map.of(
                "bootstrap.servers", settings.bootstrapServers(), "isolation.level", "read_uncommitted",
                "enable.auto.commit", false), new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topic.TASKS.name(settings)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static Long committedPosition(String group, TopicPartition partition) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = clients.admin()) {
            org.apache.kafka.clients.consumer.OffsetAndMetadata position = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get().get(partition);
            return position == null ? null : position.offset();
        }
    }

    @Test
    void aPlanComputedFromAVersionThatMovedOnIsRefusedBeforeAnythingIsSent() {
        // Given: Kafka and the state hold version 1 of a cluster
        LeaderWriter writer = writer("it-stale", new AtomicReference<>());
        writer.commit(List.of(new StateChange.Put(new ClusterRecord(BerthRecord.SCHEMA_VERSION, 1, "stale-cas",
                "ACTIVE", T0))));

        // When: a plan computed before that commit writes version 1 again, with other content
        assertThatThrownBy(() -> writer.commit(List.of(
                new StateChange.Put(desired("stale-cas-task", "i-1", definition("web", 1, 64, null), 1)),
                new StateChange.Put(new ClusterRecord(BerthRecord.SCHEMA_VERSION, 1, "stale-cas", "INACTIVE", T0)))))
                .isInstanceOf(EcsException.class).hasMessageContaining("this change was not written");

        // Then: none of that plan reached Kafka, and the next version commits
        writer.commit(List.of(new StateChange.Put(new ClusterRecord(BerthRecord.SCHEMA_VERSION, 2, "stale-cas",
                "INACTIVE", T0))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(committedKeys(Topic.CLUSTERS))
                .filteredOn("stale-cas"::equals).hasSize(2));
        assertThat(committedKeys(Topic.TASKS)).doesNotContain("stale-cas-task");
        writer.close();
    }

    private static List<String> committedKeys(Topic topic) {
        return broker.committedKeys(topic);
    }
}
