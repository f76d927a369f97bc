package dev.berth.agent.messaging;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DeadLetters;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicReader;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One reader of the two small topics that decide whether the host may register: berth.clusters
 * for its {@link ClusterPresence} (not read for the {@code default} cluster, which always
 * exists) and berth.instance-control for its {@link InstanceMembership}. One consumer, not one
 * each: a consumer costs the agent a thread, a connection, its metrics and a fetch every half
 * second for as long as it runs, and these topics change a few times in a host's life.
 *
 * <p>Each record goes to the handler of its topic. Once both topics have been read to their end,
 * the presence hears it first, so that the membership, which may then register, finds the
 * cluster's existence already known.
 */
public final class ControlReader implements TopicReader.Handler {

    /** The reader's name: its consumer's client id. */
    public static final String NAME = "berth-agent-control";

    private final Optional<ClusterPresence> presence;
    private final InstanceMembership membership;

    ControlReader(Optional<ClusterPresence> presence, InstanceMembership membership) {
        this.presence = presence;
        this.membership = membership;
    }

    /** A reader of berth.instance-control, and of berth.clusters when the presence needs it. */
    public static TopicReader topicReader(ClusterPresence presence, InstanceMembership membership,
            KafkaClients clients, RecordCodec codec, DeadLetters deadLetters) {
        Optional<ClusterPresence> reading = Optional.of(presence).filter(ClusterPresence::needsReading);
        Map<Topic, Function<Integer, List<Integer>>> topics = new EnumMap<>(Topic.class);
        topics.put(Topic.INSTANCE_CONTROL, TopicReader.allPartitions());
        reading.ifPresent(p -> topics.put(Topic.CLUSTERS, TopicReader.allPartitions()));
        return new TopicReader(NAME, clients, codec, deadLetters, topics, new ControlReader(reading, membership));
    }

    @Override
    public void apply(Topic topic, String key, BerthRecord value) throws Exception {
        Optional<TopicReader.Handler> handler = handlerOf(topic);
        if (handler.isPresent()) {
            handler.get().apply(topic, key, value);
        }
    }

    @Override
    public void remove(Topic topic, String key) throws Exception {
        Optional<TopicReader.Handler> handler = handlerOf(topic);
        if (handler.isPresent()) {
            handler.get().remove(topic, key);
        }
    }

    @Override
    public void caughtUp() {
        presence.ifPresent(ClusterPresence::caughtUp);
        membership.caughtUp();
    }

    private Optional<TopicReader.Handler> handlerOf(Topic topic) {
        return switch (topic) {
            case CLUSTERS -> presence.map(TopicReader.Handler.class::cast);
            case INSTANCE_CONTROL -> Optional.of(membership);
            default -> Optional.empty();
        };
    }
}
