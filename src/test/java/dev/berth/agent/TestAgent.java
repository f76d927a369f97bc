package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.Partitioning;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.RecordPublisher;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicAdmin;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An agent role as the Docker integration tests start it: its settings, the topics, its
 * cluster recorded as the scheduler's CreateCluster would (an agent registers only in a
 * cluster that exists), and a publisher that plays the scheduler's part on berth.tasks.
 */
record TestAgent(AgentRole agent, RecordPublisher scheduler, String instanceId) {

    /** Starts the agent on these settings (berth.agent.* and berth.kafka.*) and waits until it is ready. */
    static TestAgent start(Map<String, String> settings, Path dataDir) throws Exception {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(settings, "it", 300))
                .withMapping(AgentConfig.class)
                .withMapping(KafkaSettings.class)
                .build();
        KafkaClients clients = new KafkaClients(config.getConfigMapping(KafkaSettings.class), "it-scheduler");
        assertThat(new TopicAdmin(clients).ensure(List.of(Topic.values()))).isTrue();
        RecordPublisher scheduler = new RecordPublisher(clients, new RecordCodec(), "it-scheduler");
        String cluster = config.getConfigMapping(AgentConfig.class).cluster();
        scheduler.publish(Topic.CLUSTERS, cluster, new ClusterRecord(BerthRecord.SCHEMA_VERSION, 1, cluster, "ACTIVE",
                Instant.now()));
        AgentRole agent = new AgentRole(config.getConfigMapping(AgentConfig.class),
                config.getConfigMapping(KafkaSettings.class), dataDir.toString());
        agent.start();
        String instanceId = agent.instanceId().orElseThrow();
        await().until(agent::isReady);
        return new TestAgent(agent, scheduler, instanceId);
    }

    /** Publishes a desired task on the agent's partition of berth.tasks, as the scheduler does. */
    void publish(DesiredTask task) throws Exception {
        scheduler.publish(Topic.TASKS, Partitioning.forInstance(instanceId, scheduler.partitionCount(Topic.TASKS)),
                task.taskId(), task);
    }
}
