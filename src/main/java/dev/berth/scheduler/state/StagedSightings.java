package dev.berth.scheduler.state;

import dev.berth.protocol.Topic;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The records that the leader applied to the state before Kafka committed them (a request's
 * staged plans), and whether the state reader has since read each of them back from Kafka.
 *
 * <p>The reader takes a record of the version the state already holds as a repeat and drops
 * it. For a staged record, that repeat is the proof that its transaction committed: should
 * the leader then lose Kafka's answer to that commit and take its staged plans back, it must
 * not put back what they replaced, or the state would hold an older version than Kafka and
 * the reader, already past the record, would never correct it.
 */
final class StagedSightings {

    private final ConcurrentHashMap<String, Boolean> watched = new ConcurrentHashMap<>();

    void watch(Topic topic, String key, long version) {
        watched.putIfAbsent(id(topic, key, version), Boolean.FALSE);
    }

    void unwatch(Topic topic, String key, long version) {
        watched.remove(id(topic, key, version));
    }

    /** The reader read this version of the record from Kafka. */
    void read(Topic topic, String key, long version) {
        if (!watched.isEmpty()) {
            watched.replace(id(topic, key, version), Boolean.FALSE, Boolean.TRUE);
        }
    }

    boolean wasRead(Topic topic, String key, long version) {
        return Boolean.TRUE.equals(watched.get(id(topic, key, version)));
    }

    private static String id(Topic topic, String key, long version) {
        return topic.ordinal() + "/" + version + "/" + key;
    }
}
