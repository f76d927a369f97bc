package dev.berth.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.model.Arns;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.RecordCodec;
import dev.berth.scheduler.SchedulerConfig;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.TestRecords;
import dev.berth.testing.TestKafka;
import dev.berth.testing.TestKafkaSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * An agent whose heartbeats stop, and start again, on berth.events: against a real broker and
 * the real scheduler, with a registration record written by hand as the agent (the test is
 * about the scheduler). The leader records its decision on berth.instance-control and the
 * events are derived from that record, so a new leader neither repeats the disconnection nor
 * misses the reconnection.
 */
class AgentConnectionEventsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);
    private static final String INSTANCE = "i-silent";
    private static final String INSTANCE_ARN = "arn:aws:ecs:us-east-1:000000000000:container-instance/conn/"
            + INSTANCE;

    private static SchedulerConfig config() {
        Map<String, String> properties = Map.of(
                "berth.scheduler.agent-heartbeat-timeout", HEARTBEAT_TIMEOUT.toMillis() + "ms",
                "berth.scheduler.instance-lost-after", "10m",
                "berth.scheduler.reconcile-interval", "200ms");
        return new SmallRyeConfigBuilder()
                .withMapping(SchedulerConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "AgentConnectionEventsIT", 500))
                .build().getConfigMapping(SchedulerConfig.class);
    }

    private static SchedulerRole leader(TestKafka kafka, String replica) {
        SchedulerConfig config = config();
        SchedulerRole role = new SchedulerRole(TestKafkaSettings.of(kafka.bootstrapServers()), config,
                Clock.systemUTC(), dev.berth.scheduler.SchedulerObserver.NONE, replica);
        Arns arns = new Arns(config.arnPartition(), config.region(), config.account());
        role.publishEvents(() -> new EcsEventFold(arns));
        role.start();
        await(replica + " leads").atMost(PATIENCE).until(() -> role.leader() instanceof SchedulerRole.Leader.Here
                && role.isStateRebuilt());
        return role;
    }

    /** What the agent sends: its registration, the same record again as each heartbeat. */
    private static void heartbeat(TestKafka kafka, InstanceRegistration registration) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("berth.instances", INSTANCE, new RecordCodec().encode(registration)))
                    .get();
        }
    }

    private static List<String> connections(EventTopic events) {
        return events.of(INSTANCE_ARN).stream().map(e -> String.valueOf(e.detail().path("agentConnected").asBoolean()))
                .toList();
    }

    @Test
    void aSilentAgentIsOneEventAndItsReturnAnotherAcrossAFailover() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            SchedulerRole first = leader(kafka, "first");
            SchedulerRole[] second = new SchedulerRole[1];
            try (EventTopic events = new EventTopic(kafka.bootstrapServers())) {
                // Given: an instance registered once, and then silent
                first.controlPlane().clusters().create("conn");
                InstanceRegistration registration = TestRecords.instance(INSTANCE, "conn", 1024, 1024, Instant.now(), 1);
                heartbeat(kafka, registration);

                // When: the heartbeat timeout passes
                // Then: connected, then disconnected, each one event
                await("connected, then disconnected").atMost(PATIENCE)
                        .untilAsserted(() -> assertThat(connections(events)).containsExactly("true", "false"));

                // When: the leader fails over, and a new one takes over from the records
                first.stop();
                second[0] = leader(kafka, "second");
                await("the new leader catches up").atMost(PATIENCE).until(() -> holdsTheDisconnection(second[0]));

                // And: the agent heartbeats again
                heartbeat(kafka, registration);

                // Then: connected again, one more event, the disconnection not repeated by the new leader
                await("connected again").atMost(PATIENCE)
                        .untilAsserted(() -> assertThat(connections(events)).containsExactly("true", "false", "true"));
                List<EventTopic.Received> seen = events.of(INSTANCE_ARN);
                assertThat(seen).extracting(e -> e.detail().path("version").asLong()).isSorted()
                        .doesNotHaveDuplicates();
                assertThat(seen).extracting(e -> e.value().path("id").asText()).doesNotHaveDuplicates();
                assertThat(seen).allSatisfy(e -> PublicSchemas.assertMatches("event", e.raw()));
            } finally {
                first.stop();
                if (second[0] != null) {
                    second[0].stop();
                }
            }
        }
    }

    /** The new leader holds the instance, and counts it disconnected from the record, not from a clock. */
    private static boolean holdsTheDisconnection(SchedulerRole role) {
        return role.controlPlane().state().instanceControl(INSTANCE).map(c -> !c.agentConnected()).orElse(false);
    }
}
