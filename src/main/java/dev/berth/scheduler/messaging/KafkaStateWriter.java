package dev.berth.scheduler.messaging;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.Partitioning;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.RecordPublisher;
import dev.berth.protocol.TaskDefinitionRecord;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.EcsErrorType;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.StateWriter;
import dev.berth.scheduler.state.SchedulerState;
import org.jboss.logging.Logger;

/**
 * Writes the scheduler's records to Kafka, waits for the acknowledgement, then applies
 * them to the state (read-your-writes; the topic reader later sees the same version and
 * drops it). A desired task goes to the partition of its instance on berth.tasks.
 */
final class KafkaStateWriter implements StateWriter {

    private static final Logger LOGGER = Logger.getLogger(KafkaStateWriter.class);

    private final RecordPublisher publisher;
    private final SchedulerState state;
    private final RecordCodec codec = new RecordCodec();
    private volatile int taskPartitions;

    KafkaStateWriter(RecordPublisher publisher, SchedulerState state) {
        this.publisher = publisher;
        this.state = state;
    }

    @Override
    public void write(BerthRecord record) {
        try {
            if (record instanceof DesiredTask t) {
                publisher.publish(Topic.TASKS, Partitioning.forInstance(t.instanceId(), taskPartitions()), t.taskId(), t);
            } else if (record instanceof ClusterRecord c) {
                publisher.publish(Topic.CLUSTERS, c.clusterName(), c);
            } else if (record instanceof TaskDefinitionRecord d) {
                publisher.publish(Topic.TASK_DEFINITIONS, d.taskDefinition().familyRevision(), d);
            } else {
                throw new IllegalArgumentException("the scheduler does not write " + record.getClass().getSimpleName());
            }
        } catch (RecordPublisher.PublishException | RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) e;
            }
            LOGGER.warnf("Write of %s v%d was not acknowledged: %s", record.getClass().getSimpleName(),
                    record.version(), e.getMessage());
            throw new EcsException(EcsErrorType.ServerException,
                    "Kafka did not acknowledge the write; nothing was changed. " + e.getMessage(), e);
        }
        state.apply(asStored(record));
    }

    @Override
    public void forget(DesiredTask task) {
        try {
            publisher.tombstone(Topic.TASKS, Partitioning.forInstance(task.instanceId(), taskPartitions()), task.taskId());
            publisher.tombstone(Topic.TASK_EVENTS, null, task.taskId());
        } catch (RecordPublisher.PublishException e) {
            LOGGER.warnf("Tombstones of task %s were not acknowledged: %s", task.taskId(), e.getMessage());
            throw new EcsException(EcsErrorType.ServerException, "Kafka did not acknowledge the tombstones. "
                    + e.getMessage(), e);
        }
        state.remove(Topic.TASKS, task.taskId());
        state.remove(Topic.TASK_EVENTS, task.taskId());
    }

    /**
     * The record as Kafka holds it, so that what this process applies now and what a restarted
     * scheduler replays later are the same value (JSON may normalize a field, e.g. a default).
     */
    private BerthRecord asStored(BerthRecord record) {
        if (codec.decode(codec.encode(record)) instanceof RecordCodec.Decoded.Record stored) {
            return stored.value();
        }
        throw new IllegalStateException("a " + record.getClass().getSimpleName() + " does not survive its own codec");
    }

    private int taskPartitions() {
        int known = taskPartitions;
        if (known <= 0) {
            known = publisher.partitionCount(Topic.TASKS);
            taskPartitions = known;
        }
        return known;
    }
}
