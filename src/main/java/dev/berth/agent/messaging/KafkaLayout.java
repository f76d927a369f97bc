package dev.berth.agent.messaging;

import dev.berth.agent.disk.AtomicFile;
import dev.berth.agent.engine.SweepPolicy;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.Topic;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.jboss.logging.Logger;

/**
 * The Kafka this agent has accepted: the cluster id, and the partition count and topic id of
 * berth.tasks, kept in {@code <dataDir>/agent/kafka-layout.properties}. It is the orphan
 * sweep's gate: an agent that finds another Kafka cluster (an empty or new one), another
 * partition count, or a berth.tasks deleted and created again (empty) on the same cluster
 * reads another set of desired tasks, and its containers would all look orphaned. So while
 * any of them differs from the recorded one, or could not be read, the sweep stops and
 * removes no container, and says why in the log.
 *
 * <p>The first start records the layout. A changed layout is not recorded over the old one:
 * the sweep stays off until an operator who has checked the containers deletes the file (the
 * next start then records the new layout), so a second restart cannot turn a misreading into
 * stopped containers.
 */
public final class KafkaLayout implements SweepPolicy.Gate {

    private static final Logger LOGGER = Logger.getLogger(KafkaLayout.class);
    private static final String CLUSTER_ID = "kafka.cluster.id";
    private static final String TASKS_PARTITIONS = "berth.tasks.partitions";
    private static final String TASKS_TOPIC_ID = "berth.tasks.topic.id";
    private static final long DESCRIBE_TIMEOUT_SECONDS = 20;

    /**
     * A Kafka cluster's id, and the partition count and topic id of its berth.tasks; the topic
     * id is null in a record an agent wrote before it recorded one.
     */
    public record Seen(String clusterId, int tasksPartitions, String tasksTopicId) {
    }

    private final Path file;
    private final Seen accepted;
    private final String startRefusal;
    private volatile int partitionsRead;

    private KafkaLayout(Path file, Seen accepted, String startRefusal) {
        this.file = file;
        this.accepted = accepted;
        this.startRefusal = startRefusal;
        this.partitionsRead = accepted == null ? 0 : accepted.tasksPartitions();
    }

    /** Describes the Kafka at hand and compares it with the layout recorded in {@code dataDir}. */
    public static KafkaLayout check(Path dataDir, KafkaClients clients) {
        Path file = dataDir.resolve("agent").resolve("kafka-layout.properties");
        Seen now;
        try {
            now = describe(clients);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return new KafkaLayout(file, null, "the Kafka cluster id and the partition count and topic id of"
                    + " berth.tasks could not be read at start (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new KafkaLayout(file, null, "interrupted while reading the Kafka layout");
        }
        return compare(file, now);
    }

    static KafkaLayout compare(Path file, Seen now) {
        Optional<Seen> recorded = read(file);
        if (recorded.isEmpty()) {
            write(file, now);
            LOGGER.infof("Recorded Kafka cluster %s with %d partitions of berth.tasks in %s", now.clusterId(),
                    now.tasksPartitions(), file);
            return new KafkaLayout(file, now, null);
        }
        Seen was = recorded.get();
        if (was.equals(now)) {
            return new KafkaLayout(file, now, null);
        }
        boolean sameClusterAndCount = was.clusterId().equals(now.clusterId())
                && was.tasksPartitions() == now.tasksPartitions();
        if (sameClusterAndCount && was.tasksTopicId() == null) {
            // Recorded by an agent from before topic ids were recorded: nothing to compare the id
            // with, so the layout is accepted as the cluster id and partition count allow, and the
            // id is recorded for the next starts.
            write(file, now);
            LOGGER.infof("Recorded topic id %s of berth.tasks beside Kafka cluster %s in %s", now.tasksTopicId(),
                    now.clusterId(), file);
            return new KafkaLayout(file, now, null);
        }
        String why = (sameClusterAndCount
                ? "berth.tasks is topic id " + now.tasksTopicId() + ", but this agent last ran with topic id "
                        + was.tasksTopicId() + " (it was deleted and created again)"
                : "Kafka is cluster " + now.clusterId() + " with " + now.tasksPartitions()
                        + " partitions of berth.tasks, but this agent last ran with cluster " + was.clusterId()
                        + " and " + was.tasksPartitions() + " partitions")
                + "; its containers are left running. Once you have checked them, delete " + file
                + " to accept this Kafka";
        LOGGER.warnf("The orphan sweep is off: %s", why);
        return new KafkaLayout(file, was, why);
    }

    private static Seen describe(KafkaClients clients)
            throws ExecutionException, InterruptedException, TimeoutException {
        String tasks = Topic.TASKS.name(clients.settings());
        try (Admin admin = clients.admin()) {
            String clusterId = admin.describeCluster().clusterId().get(DESCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            TopicDescription topic = admin.describeTopics(List.of(tasks)).allTopicNames()
                    .get(DESCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS).get(tasks);
            return new Seen(clusterId, topic.partitions().size(), topic.topicId().toString());
        }
    }

    /**
     * The desired-tasks reader tells the partition count it assigned from, each time it
     * (re)connects: a count that changed while the agent runs turns the sweep off too.
     */
    public void readingTasksWith(int partitionCount) {
        partitionsRead = partitionCount;
    }

    @Override
    public Optional<String> refusal() {
        if (startRefusal != null) {
            return Optional.of(startRefusal);
        }
        if (partitionsRead != accepted.tasksPartitions()) {
            return Optional.of("berth.tasks now has " + partitionsRead + " partitions, but this agent accepted "
                    + accepted.tasksPartitions() + " (" + file + ")");
        }
        return Optional.empty();
    }

    private static Optional<Seen> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
            return Optional.of(new Seen(properties.getProperty(CLUSTER_ID),
                    Integer.parseInt(properties.getProperty(TASKS_PARTITIONS, "0")),
                    properties.getProperty(TASKS_TOPIC_ID)));
        } catch (IOException | NumberFormatException e) {
            LOGGER.warnf("Cannot read %s (%s); treating it as another layout", file, e.getMessage());
            return Optional.of(new Seen("unreadable", 0, null));
        }
    }

    private static void write(Path file, Seen seen) {
        Properties properties = new Properties();
        properties.setProperty(CLUSTER_ID, seen.clusterId());
        properties.setProperty(TASKS_PARTITIONS, Integer.toString(seen.tasksPartitions()));
        properties.setProperty(TASKS_TOPIC_ID, seen.tasksTopicId());
        try {
            StringWriter out = new StringWriter();
            properties.store(out, "The Kafka this Berth agent accepted; the orphan sweep is off while Kafka"
                    + " differs. Delete this file to accept another Kafka.");
            AtomicFile.replace(file, out.toString().getBytes(StandardCharsets.UTF_8), AtomicFile.Survives.HOST_CRASH);
        } catch (IOException e) {
            LOGGER.warnf("Cannot record the Kafka layout in %s (%s); the next start records it", file,
                    e.getMessage());
        }
    }
}
