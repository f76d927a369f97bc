package dev.berth.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.model.TaskStatus;
import dev.berth.testing.TestKafka;
import dev.berth.testing.TestKafkaSettings;
import dev.berth.testing.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TopicAdmin} and {@link TopicReader} against a real broker: how every role rebuilds its
 * state from Kafka, and how poison is set aside without stopping it. Each test names its
 * topics with its own prefix, so the tests share one broker.
 */
class TopicReaderIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static TestKafka kafka;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final RecordCodec codec = new RecordCodec();

    @BeforeAll
    static void startKafka() {
        kafka = TestKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @AfterEach
    void closeClients() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void ensureCreatesEveryTopicWithItsPartitionsAndCleanupPolicy() throws Exception {
        // Given
        KafkaSettings settings = settings("it-admin", 3);
        TopicAdmin admin = new TopicAdmin(new KafkaClients(settings, "it"));

        // When it runs twice, as two roles starting together would
        boolean created = admin.ensure(EnumSet.allOf(Topic.class));
        boolean again = admin.ensure(EnumSet.allOf(Topic.class));

        // Then
        assertThat(created).isTrue();
        assertThat(again).isTrue();
        try (Admin client = kafka.admin()) {
            for (Topic topic : Topic.values()) {
                String name = topic.name(settings);
                TopicDescription description = client.describeTopics(List.of(name)).allTopicNames().get().get(name);
                Config config = client.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, name)))
                        .all().get().values().iterator().next();
                assertThat(description.partitions()).as(name)
                        .hasSize(topic == Topic.SCHEDULER_LEADER ? 1 : 3);
                assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).as(name)
                        .isEqualTo(topic.cleanupPolicy());
                assertThat(topic.cleanupPolicy()).as(name).isEqualTo(
                        Set.of(Topic.DEAD_LETTERS, Topic.REQUESTS, Topic.RESPONSES, Topic.EVENTS).contains(topic) ? "delete" : "compact");
                assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).as(name).isEqualTo("1");
            }
        }
    }

    @Test
    void replaysFromTheBeginningThenCallsCaughtUpOnceAndKeepsReading() throws Exception {
        // Given three clusters already on the topic
        Fixture f = fixture("it-replay", 6);
        for (String name : List.of("alpha", "beta", "gamma")) {
            f.publisher.publish(Topic.CLUSTERS, name, cluster(name, 1));
        }
        RecordingHandler handler = new RecordingHandler();

        // When a reader starts
        f.start("scheduler-state", Map.of(Topic.CLUSTERS, TopicReader.allPartitions()), handler);

        // Then it applies all three before it says it has caught up
        await().atMost(WAIT).untilAsserted(() -> assertThat(handler.caughtUpCalls).hasValue(1));
        assertThat(handler.appliedAtCatchUp).containsExactlyInAnyOrder("alpha@1", "beta@1", "gamma@1");

        // When more is written after it caught up: a new version and a tombstone
        f.publisher.publish(Topic.CLUSTERS, "alpha", cluster("alpha", 2));
        f.publisher.tombstone(Topic.CLUSTERS, null, "beta");

        // Then it keeps applying, and caughtUp is not called again
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(handler.applied).contains("alpha@2");
            assertThat(handler.removed).containsExactly("beta");
        });
        assertThat(handler.caughtUpCalls).hasValue(1);
    }

    @Test
    void aLargeBacklogIsAppliedInTheOrderOfItsPartition() throws Exception {
        // Given more versions of one cluster than one poll decodes on the reader's thread
        Fixture f = fixture("it-backlog", 1);
        int versions = 1_500;
        for (int v = 1; v <= versions; v++) {
            f.publisher.publish(Topic.CLUSTERS, "alpha", cluster("alpha", v));
        }
        RecordingHandler handler = new RecordingHandler();

        // When
        f.start("backlog-reader", Map.of(Topic.CLUSTERS, TopicReader.allPartitions()), handler);

        // Then every version arrives once, in the order it was written
        await().atMost(WAIT).untilAsserted(() -> assertThat(handler.caughtUpCalls).hasValue(1));
        List<String> expected = new ArrayList<>();
        for (int v = 1; v <= versions; v++) {
            expected.add("alpha@" + v);
        }
        assertThat(handler.appliedAtCatchUp).containsExactlyElementsOf(expected);
    }

    @Test
    void polledPositionsAreShownOnlyOnceTheirRecordsAreApplied() throws Exception {
        // Given a backlog of several large polls (decoded aside while the poll before is applied), sent in large
        // batches and with minutes to be acknowledged: a busy machine must not fail the test before it starts
        Fixture f = new Fixture(new KafkaClients(TestKafkaSettings.builder(kafka.bootstrapServers())
                .topicPrefix("it-pipeline").with("partitions", "1").with("send-timeout", "3m")
                .with("client.\"batch.size\"", "1048576").with("client.\"linger.ms\"", "20").build(), "it-pipeline"));
        assertThat(new TopicAdmin(f.clients).ensure(EnumSet.allOf(Topic.class))).isTrue();
        int versions = 12_000;
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int v = 1; v <= versions; v++) {
            sent.add(f.raw.send(new ProducerRecord<>(
                    Topic.CLUSTERS.name(f.clients.settings()), 0, "alpha", codec.encode(cluster("alpha", v)))));
        }
        for (var send : sent) {
            send.get();
        }
        TopicPartition partition = new TopicPartition(Topic.CLUSTERS.name(f.clients.settings()), 0);
        AtomicReference<TopicReader> reader = new AtomicReference<>();
        List<String> ahead = new CopyOnWriteArrayList<>();
        RecordingHandler handler = new RecordingHandler() {
            @Override
            public void apply(Topic topic, String key, BerthRecord value) {
                // offsets 0, 1, ... are versions 1, 2, ...: version v is at offset v - 1
                Long shown = reader.get().positions().get(partition);
                if (shown != null && shown > value.version() - 1) {
                    ahead.add("position " + shown + " shown before offset " + (value.version() - 1) + " was applied");
                }
                super.apply(topic, key, value);
            }
        };

        // When
        reader.set(f.start("pipelined-reader", Map.of(Topic.CLUSTERS, TopicReader.allPartitions()), handler));

        // Then every version arrives once, in order, and no position was shown ahead of its records
        await().atMost(WAIT).untilAsserted(() -> assertThat(handler.caughtUpCalls).hasValue(1));
        assertThat(handler.appliedAtCatchUp).hasSize(versions);
        for (int v = 1; v <= versions; v++) {
            assertThat(handler.appliedAtCatchUp.get(v - 1)).isEqualTo("alpha@" + v);
        }
        assertThat(ahead).isEmpty();
        assertThat(reader.get().positions()).containsEntry(partition, (long) versions);
    }

    @Test
    void aReaderResumesFromItsPositionWhenTheBrokerComesBack() throws Exception {
        // Given a reader that has applied what was on its topic
        Fixture f = fixture("it-resume", 2);
        f.publisher.publish(Topic.CLUSTERS, "alpha", cluster("alpha", 1));
        f.publisher.publish(Topic.CLUSTERS, "beta", cluster("beta", 1));
        RecordingHandler handler = new RecordingHandler();
        f.start("resuming-reader", Map.of(Topic.CLUSTERS, TopicReader.allPartitions()), handler);
        await().atMost(WAIT).untilAsserted(() -> assertThat(handler.caughtUpCalls).hasValue(1));

        // When the broker goes away and comes back, and a record is written after that
        kafka.stopBroker();
        kafka.startBroker();
        f.publisher.publish(Topic.CLUSTERS, "gamma", cluster("gamma", 1));

        // Then it reads on from where it was: nothing it had applied is applied again
        await().atMost(WAIT).untilAsserted(() -> assertThat(handler.applied).contains("gamma@1"));
        assertThat(handler.applied).containsExactlyInAnyOrder("alpha@1", "beta@1", "gamma@1");
        assertThat(handler.caughtUpCalls).hasValue(1);
    }

    @Test
    void emptyTopicsAreCaughtUpAtOnce() {
        // Given topics with nothing on them
        Fixture f = fixture("it-empty", 6);
        RecordingHandler handler = new RecordingHandler();

        // When
        TopicReader reader = f.start("empty", Map.of(Topic.CLUSTERS, TopicReader.allPartitions(),
                Topic.SERVICES, TopicReader.allPartitions()), handler);

        // Then
        await().atMost(WAIT).untilAsserted(() -> assertThat(handler.caughtUpCalls).hasValue(1));
        assertThat(reader.isCaughtUp()).isTrue();
        assertThat(handler.applied).isEmpty();
    }

    @Test
    void poisonGoesToTheDeadLettersWithItsOriginAndReadingCarriesOn() throws Exception {
        // Given, on one partition: bytes that are not UTF-8, JSON without a type, then a good record
        Fixture f = fixture("it-poison", 6);
        byte[] garbage = {(byte) 0xC3, (byte) 0x28, 0x00, (byte) 0xFF};
        String untyped = "{\"schemaVersion\":1,\"version\":1,\"clusterName\":\"untyped\"}";
        RecordMetadata garbageAt = f.sendRaw(Topic.CLUSTERS, 0, "garbage", garbage);
        RecordMetadata untypedAt = f.sendRaw(Topic.CLUSTERS, 0, "untyped", untyped.getBytes(StandardCharsets.UTF_8));
        f.publisher.publish(Topic.CLUSTERS, 0, "after", cluster("after", 1));
        RecordingHandler handler = new RecordingHandler();

        // When
        f.start("poison-reader", Map.of(Topic.CLUSTERS, TopicReader.allPartitions()), handler);

        // Then the record after the poison is applied
        await().atMost(WAIT).untilAsserted(() -> assertThat(handler.applied).containsExactly("after@1"));
        // and both poisons are set aside with the reason, where they came from and their key
        Map<String, DeadLetter> letters = f.deadLetters(2);
        DeadLetter garbageLetter = letters.get("garbage");
        assertThat(garbageLetter.reason()).startsWith("undecodable record");
        assertThat(garbageLetter.topic()).isEqualTo("it-poison.berth.clusters");
        assertThat(garbageLetter.partition()).isZero();
        assertThat(garbageLetter.offset()).isEqualTo(garbageAt.offset());
        assertThat(garbageLetter.base64()).isTrue();
        assertThat(Base64.getDecoder().decode(garbageLetter.value())).isEqualTo(garbage);
        assertThat(garbageLetter.consumer()).isEqualTo("poison-reader");
        DeadLetter untypedLetter = letters.get("untyped");
        assertThat(untypedLetter.reason()).contains("no \"type\" field");
        assertThat(untypedLetter.offset()).isEqualTo(untypedAt.offset());
        assertThat(untypedLetter.base64()).isFalse();
        assertThat(untypedLetter.value()).isEqualTo(untyped);
    }

    @Test
    void anUnknownRecordTypeIsSkippedAndNotDeadLettered() throws Exception {
        // Given, on one partition: a type from a newer Berth, a poison, then a good record
        Fixture f = fixture("it-unknown", 6);
        f.sendRaw(Topic.CLUSTERS, 0, "future",
                "{\"type\":\"ClusterFromTheFuture\",\"schemaVersion\":7,\"version\":1}".getBytes(StandardCharsets.UTF_8));
        f.sendRaw(Topic.CLUSTERS, 0, "poison", "not json".getBytes(StandardCharsets.UTF_8));
        f.publisher.publish(Topic.CLUSTERS, 0, "after", cluster("after", 1));
        RecordingHandler handler = new RecordingHandler();

        // When
        f.start("unknown-reader", Map.of(Topic.CLUSTERS, TopicReader.allPartitions()), handler);

        // Then the unknown type is neither applied nor set aside; only the poison is
        await().atMost(WAIT).untilAsserted(() -> assertThat(handler.applied).containsExactly("after@1"));
        f.deadLetterPublisher.flush();
        assertThat(TopicRecords.readAll(kafka.bootstrapServers(), "it-unknown.berth.dead-letters", WAIT))
                .extracting(ConsumerRecord::key)
                .containsExactly("poison");
    }

    @Test
    void aRecordTheHandlerCannotApplyIsDeadLetteredAndTheNextIsApplied() throws Exception {
        // Given
        Fixture f = fixture("it-handler", 6);
        f.publisher.publish(Topic.CLUSTERS, 0, "good-1", cluster("good-1", 1));
        RecordMetadata badAt = f.publisher.publish(Topic.CLUSTERS, 0, "bad", cluster("bad", 1));
        f.publisher.publish(Topic.CLUSTERS, 0, "good-2", cluster("good-2", 1));
        RecordingHandler handler = new RecordingHandler("bad");

        // When
        f.start("failing-reader", Map.of(Topic.CLUSTERS, TopicReader.allPartitions()), handler);

        // Then
        await().atMost(WAIT).untilAsserted(() -> assertThat(handler.applied).containsExactly("good-1@1", "good-2@1"));
        DeadLetter letter = f.deadLetters(1).get("bad");
        assertThat(letter.reason()).startsWith("cannot apply").contains("refusing cluster bad");
        assertThat(letter.offset()).isEqualTo(badAt.offset());
        assertThat(codec.decode(letter.value().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new RecordCodec.Decoded.Record(cluster("bad", 1)));
    }

    @Test
    void anAgentReadingItsPartitionSeesOnlyThatPartition() throws Exception {
        // Given tasks placed on three instances, each on its instance's partition of berth.tasks
        Fixture f = fixture("it-partition", 3);
        int partitions = f.publisher.partitionCount(Topic.TASKS);
        Map<String, Integer> partitionOf = new HashMap<>();
        for (String instance : List.of("i-0", "i-1", "i-2", "i-3", "i-4", "i-5")) {
            int partition = Partitioning.forInstance(instance, partitions);
            partitionOf.put(instance, partition);
            f.publisher.publish(Topic.TASKS, partition, "task-on-" + instance, desiredTask("task-on-" + instance, instance));
        }
        String mine = "i-0";
        assertThat(Set.copyOf(partitionOf.values())).as("the instances spread over several partitions").hasSizeGreaterThan(1);
        RecordingHandler handler = new RecordingHandler();

        // When an agent reads only its instance's partition
        f.start("agent-" + mine, Map.of(Topic.TASKS, count -> List.of(Partitioning.forInstance(mine, count))), handler);

        // Then it sees exactly the tasks of the instances that share that partition
        await().atMost(WAIT).untilAsserted(() -> assertThat(handler.caughtUpCalls).hasValue(1));
        List<String> expected = partitionOf.entrySet().stream()
                .filter(e -> e.getValue().equals(partitionOf.get(mine)))
                .map(e -> "task-on-" + e.getKey() + "@1")
                .toList();
        assertThat(handler.appliedAtCatchUp).containsExactlyInAnyOrderElementsOf(expected).contains("task-on-i-0@1");
    }

    @Test
    void aReaderStartedBeforeItsTopicsExistCatchesUpOnceTheyAreCreated() throws Exception {
        // Given a role that starts reading before anyone has created the topics
        KafkaSettings settings = settings("it-late", 6);
        KafkaClients clients = new KafkaClients(settings, "it-late");
        Fixture f = new Fixture(clients);
        RecordingHandler handler = new RecordingHandler();
        f.start("early-reader", Map.of(Topic.CLUSTERS, TopicReader.allPartitions()), handler);

        // When the topics appear and a record is written
        assertThat(new TopicAdmin(clients).ensure(EnumSet.allOf(Topic.class))).isTrue();
        f.publisher.publish(Topic.CLUSTERS, "prod", cluster("prod", 1));

        // Then the reader finds them and applies it
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(handler.applied).containsExactly("prod@1");
            assertThat(handler.caughtUpCalls).hasValue(1);
        });
    }

    @Test
    void closeStopsAReaderThatIsWaitingToRetry() throws Exception {
        // Given a reader waiting a long backoff because its topic does not exist
        KafkaSettings settings = TestKafkaSettings.builder(kafka.bootstrapServers())
                .topicPrefix("it-close")
                .with("retry-backoff", "5m")
                .with("retry-backoff-max", "5m")
                .build();
        KafkaClients clients = new KafkaClients(settings, "it-close");
        RecordPublisher deadLetterPublisher = new RecordPublisher(clients, codec, "dead-letters");
        toClose.add(deadLetterPublisher);
        TopicReader reader = new TopicReader("closing-reader", clients, codec, new DeadLetters(deadLetterPublisher, CLOCK),
                Map.of(Topic.CLUSTERS, TopicReader.allPartitions()), new RecordingHandler());
        Thread thread = new Thread(reader, "closing-reader");
        thread.start();
        await().atMost(WAIT).until(() -> isWaitingToRetry(thread));

        // When
        reader.close();

        // Then it stops now, not when the backoff ends
        await().atMost(Duration.ofSeconds(5)).until(() -> !thread.isAlive());
    }

    /** Only to make sure close() lands in the backoff, the case this test is about. */
    private static boolean isWaitingToRetry(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(TopicReader.class.getName())
                    && frame.getMethodName().equals("pauseUnlessClosed")) {
                return true;
            }
        }
        return false;
    }

    private KafkaSettings settings(String prefix, int partitions) {
        return TestKafkaSettings.builder(kafka.bootstrapServers())
                .topicPrefix(prefix)
                .with("partitions", Integer.toString(partitions))
                .build();
    }

    @Test
    void aReaderGivenAClockSaysWhenItHasReadToTheEndAsOfWhenItAsked() throws Exception {
        // Given: a reader whose handler wants to know when it has read to the end, by the handler's clock
        Fixture f = fixture("it-read-to-end", 3);
        f.publisher.publish(Topic.CLUSTERS, "alpha", cluster("alpha", 1));
        dev.berth.testing.SettableClock clock = new dev.berth.testing.SettableClock(
                Instant.parse("2026-01-01T00:00:00Z"));
        Map<Instant, List<String>> appliedAtReadToEnd = new java.util.concurrent.ConcurrentHashMap<>();
        RecordingHandler handler = new RecordingHandler() {
            @Override
            public void readToEnd(Instant asOf) {
                appliedAtReadToEnd.putIfAbsent(asOf, List.copyOf(applied));
            }
        };

        // When: it reads the topic
        f.start("scheduler-state", Map.of(Topic.CLUSTERS, TopicReader.allPartitions()), handler, clock);

        // Then: it says it has read to the end as of the clock's time, with what was there applied
        await().atMost(WAIT).untilAsserted(() -> assertThat(appliedAtReadToEnd.get(clock.instant()))
                .isNotNull().contains("alpha@1"));

        // When: a record arrives, and only then does the clock move on
        f.publisher.publish(Topic.CLUSTERS, "beta", cluster("beta", 1));
        clock.advance(Duration.ofSeconds(10));

        // Then: it says so again as of the later time, only once it has applied that record
        await().atMost(WAIT).untilAsserted(() -> assertThat(appliedAtReadToEnd.get(clock.instant()))
                .isNotNull().contains("beta@1"));
    }

    private Fixture fixture(String prefix, int partitions) {
        KafkaSettings settings = settings(prefix, partitions);
        KafkaClients clients = new KafkaClients(settings, prefix);
        assertThat(new TopicAdmin(clients).ensure(EnumSet.allOf(Topic.class))).isTrue();
        return new Fixture(clients);
    }

    private static ClusterRecord cluster(String name, long version) {
        return new ClusterRecord(BerthRecord.SCHEMA_VERSION, version, name, "ACTIVE", Instant.ofEpochSecond(1_700_000_000));
    }

    private static DesiredTask desiredTask(String taskId, String instanceId) {
        return new DesiredTask(BerthRecord.SCHEMA_VERSION, 1, taskId, null, "default", instanceId, null, null,
                TaskStatus.RUNNING, null, null, null, null, null);
    }

    /** The clients a role would build, closed after each test. */
    private final class Fixture {
        final KafkaClients clients;
        final RecordPublisher publisher;
        final RecordPublisher deadLetterPublisher;
        final KafkaProducer<String, byte[]> raw;

        Fixture(KafkaClients clients) {
            this.clients = clients;
            this.publisher = closing(new RecordPublisher(clients, codec, "writer"));
            this.deadLetterPublisher = closing(new RecordPublisher(clients, codec, "dead-letters"));
            this.raw = closing(clients.producer("raw"));
        }

        TopicReader start(String name, Map<Topic, Function<Integer, List<Integer>>> partitions, TopicReader.Handler handler) {
            return start(name, partitions, handler, null);
        }

        TopicReader start(String name, Map<Topic, Function<Integer, List<Integer>>> partitions,
                TopicReader.Handler handler, Clock endClock) {
            TopicReader reader = new TopicReader(name, clients, codec, new DeadLetters(deadLetterPublisher, CLOCK),
                    partitions, handler, endClock);
            Thread thread = new Thread(reader, name);
            thread.start();
            toClose.add(() -> {
                reader.close();
                thread.join(WAIT.toMillis());
            });
            return reader;
        }

        RecordMetadata sendRaw(Topic topic, int partition, String key, byte[] value)
                throws ExecutionException, InterruptedException {
            return raw.send(new ProducerRecord<>(topic.name(clients.settings()), partition, key, value)).get();
        }

        /** The dead letters by original key, once at least {@code count} have arrived. */
        Map<String, DeadLetter> deadLetters(int count) {
            Map<String, DeadLetter> byKey = new HashMap<>();
            for (ConsumerRecord<String, String> record : TopicRecords.awaitRecords(kafka.bootstrapServers(),
                    Topic.DEAD_LETTERS.name(clients.settings()), count, WAIT)) {
                RecordCodec.Decoded decoded = codec.decode(record.value().getBytes(StandardCharsets.UTF_8));
                assertThat(decoded).isInstanceOf(RecordCodec.Decoded.Record.class);
                byKey.put(record.key(), (DeadLetter) ((RecordCodec.Decoded.Record) decoded).value());
            }
            return byKey;
        }

        private <T extends AutoCloseable> T closing(T closeable) {
            toClose.add(closeable);
            return closeable;
        }
    }

    /** Applies nothing: it records what it was given, and refuses the keys it is told to. */
    private static class RecordingHandler implements TopicReader.Handler {
        final List<String> applied = new CopyOnWriteArrayList<>();
        final List<String> removed = new CopyOnWriteArrayList<>();
        final AtomicInteger caughtUpCalls = new AtomicInteger();
        volatile List<String> appliedAtCatchUp = List.of();
        private final Set<String> refused;

        RecordingHandler(String... refused) {
            this.refused = Set.of(refused);
        }

        @Override
        public void apply(Topic topic, String key, BerthRecord value) {
            if (refused.contains(key)) {
                throw new IllegalArgumentException("refusing cluster " + key);
            }
            applied.add(key + "@" + value.version());
        }

        @Override
        public void remove(Topic topic, String key) {
            removed.add(key);
        }

        @Override
        public void caughtUp() {
            appliedAtCatchUp = List.copyOf(applied);
            caughtUpCalls.incrementAndGet();
        }
    }
}
