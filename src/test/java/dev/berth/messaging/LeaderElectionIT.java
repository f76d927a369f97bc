package dev.berth.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicAdmin;
import dev.berth.testing.TestKafka;
import dev.berth.testing.TestKafkaSettings;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Two replicas in one election on a real broker: the group's coordinator, asked directly,
 * names the one that leads, which is what a leader whose last write's outcome is unknown
 * checks before it takes over again (and fences whoever leads).
 */
class LeaderElectionIT {

    @Test
    void theCoordinatorSaysWhichReplicaLeads() throws Exception {
        // Given: two replicas, one of them elected
        try (TestKafka kafka = TestKafka.start()) {
            KafkaSettings settings = TestKafkaSettings.builder(kafka.bootstrapServers()).topicPrefix("election-it")
                    .build();
            KafkaClients clients = new KafkaClients(settings, "it");
            assertThat(new TopicAdmin(clients).ensure(EnumSet.of(Topic.SCHEDULER_LEADER))).isTrue();
            String topic = Topic.SCHEDULER_LEADER.name(settings);
            AtomicBoolean firstLeads = new AtomicBoolean();
            AtomicBoolean secondLeads = new AtomicBoolean();
            try (LeaderElection first = election(clients, topic, "a", firstLeads);
                    LeaderElection second = election(clients, topic, "b", secondLeads)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> firstLeads.get() != secondLeads.get()
                        && first.confirmLeading().isPresent() && second.confirmLeading().isPresent()
                        && first.confirmLeading().get() != second.confirmLeading().get());

                // When
                Optional<Boolean> firstSays = first.confirmLeading();
                Optional<Boolean> secondSays = second.confirmLeading();

                // Then: the coordinator agrees with what each was told
                assertThat(firstSays).contains(firstLeads.get());
                assertThat(secondSays).contains(secondLeads.get());
            }
        }
    }

    private static LeaderElection election(KafkaClients clients, String topic, String member, AtomicBoolean leads) {
        LeaderElection election = new LeaderElection(clients, topic, "election-it", member, Duration.ofSeconds(10),
                new LeaderElection.Listener() {
                    @Override
                    public void elected() {
                        leads.set(true);
                    }

                    @Override
                    public void deposed(String why) {
                        leads.set(false);
                    }
                });
        Thread thread = new Thread(election, "election-" + member);
        thread.setDaemon(true);
        thread.start();
        return election;
    }
}
