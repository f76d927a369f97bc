package dev.berth.agent.messaging;

import dev.berth.agent.engine.TaskEngine;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DeadLetters;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.Partitioning;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicReader;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Feeds the engine with the desired tasks of this instance: reads only this instance's
 * partition of berth.tasks, from the beginning on every start, and keeps the records
 * addressed to this instance (others may share the partition). Versions are checked by
 * the engine.
 */
public final class DesiredTaskReader implements TopicReader.Handler {

    /** The reader's name: its consumer's client id and its metrics' {@code reader} tag. */
    public static final String NAME = "berth-agent-tasks";

    private final String instanceId;
    private final TaskEngine engine;

    public DesiredTaskReader(String instanceId, TaskEngine engine) {
        this.instanceId = instanceId;
        this.engine = engine;
    }

    /**
     * A reader of this instance's partition of berth.tasks that hands records to the engine.
     *
     * @param partitionCounts told the partition count of berth.tasks each time the reader
     *                        (re)connects and picks its partition
     */
    public static TopicReader topicReader(String instanceId, TaskEngine engine, KafkaClients clients,
            RecordCodec codec, DeadLetters deadLetters, IntConsumer partitionCounts) {
        return new TopicReader(NAME, clients, codec, deadLetters, Map.of(Topic.TASKS, count -> {
            partitionCounts.accept(count);
            return List.of(Partitioning.forInstance(instanceId, count));
        }), new DesiredTaskReader(instanceId, engine));
    }

    @Override
    public void apply(Topic topic, String key, BerthRecord value) {
        if (value instanceof DesiredTask && instanceId.equals(((DesiredTask) value).instanceId())) {
            engine.desired((DesiredTask) value);
        }
    }

    @Override
    public void remove(Topic topic, String key) {
        engine.forget(key);
    }

    @Override
    public void caughtUp() {
        engine.caughtUp();
    }
}
