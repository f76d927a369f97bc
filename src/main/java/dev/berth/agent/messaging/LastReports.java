package dev.berth.agent.messaging;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DeadLetters;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TaskStateChange;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicReader;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What this agent reported before it started, read back so that a restart rewrites none of
 * it: its own task state changes on berth.task-events (every partition, since they are keyed
 * by task id; the scheduler only tombstones there) and its own registration on
 * berth.instances. Both topics are read once, from the beginning up to their end at start-up;
 * then the reader stops. Of two records of a task the higher version wins, and a tombstone
 * drops the task and counts it {@link #forgotten}.
 */
public final class LastReports implements TopicReader.Handler {

    /** The reader's name: its consumer's client id. */
    public static final String NAME = "berth-agent-last-reports";

    private final String instanceId;
    private final TopicReader reader;
    private final Map<String, TaskStateChange> tasks = new HashMap<>();
    private final Set<String> forgotten = new HashSet<>();
    private volatile InstanceRegistration registration;
    private volatile boolean complete;

    public LastReports(String instanceId, KafkaClients clients, RecordCodec codec, DeadLetters deadLetters) {
        this.instanceId = instanceId;
        this.reader = new TopicReader(NAME, clients, codec, deadLetters, Map.of(
                Topic.TASK_EVENTS, TopicReader.allPartitions(),
                Topic.INSTANCES, TopicReader.allPartitions()), this);
    }

    /**
     * Reads on the calling thread until both topics have been read to their end, retrying
     * while Kafka cannot be reached.
     *
     * @return false when {@link #close()} ended the read first
     */
    public boolean read() {
        reader.run();
        return complete;
    }

    /** Ends a read that has not finished (the agent is stopping). */
    public void close() {
        reader.close();
    }

    /** This instance's task state changes, the latest of each task. */
    public synchronized List<TaskStateChange> tasks() {
        return List.copyOf(tasks.values());
    }

    /**
     * The tasks whose last record on berth.task-events is the scheduler's tombstone: it forgot
     * them, so a change of theirs still buffered must not be sent (any instance's tasks; as
     * many as the topic still holds tombstones of).
     */
    public synchronized Set<String> forgotten() {
        return Set.copyOf(forgotten);
    }

    /** This instance's last registration on berth.instances. */
    public Optional<InstanceRegistration> registration() {
        return Optional.ofNullable(registration);
    }

    @Override
    public synchronized void apply(Topic topic, String key, BerthRecord value) {
        if (value instanceof TaskStateChange change) {
            forgotten.remove(key);
            if (instanceId.equals(change.instanceId())) {
                tasks.merge(change.taskId(), change, (held, next) -> next.version() > held.version() ? next : held);
            }
        } else if (value instanceof InstanceRegistration r && instanceId.equals(r.instanceId())
                && (registration == null || r.version() > registration.version())) {
            registration = r;
        }
    }

    @Override
    public synchronized void remove(Topic topic, String key) {
        if (topic == Topic.TASK_EVENTS) {
            tasks.remove(key);
            forgotten.add(key);
        }
    }

    @Override
    public void caughtUp() {
        complete = true;
        reader.close();
    }
}
