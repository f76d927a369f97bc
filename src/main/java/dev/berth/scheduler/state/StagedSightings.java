package dev.berth.scheduler.state;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.Topic;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The records that the leader applied to the state before Kafka committed them (a request's
 * staged plans), and what the state reader has since read from Kafka under each one's key and
 * version.
 *
 * <p>The reader takes a record of the version the state already holds as a repeat and drops
 * it. When that repeat is the staged record itself (equal content: a record decodes equal to
 * the one encoded), it is the proof that its transaction committed: should the leader then
 * lose Kafka's answer to that commit and take its staged plans back, it must not put back what
 * they replaced, or the state would hold an older version than Kafka and the reader, already
 * past the record, would never correct it. When it is another record of the same key and
 * version (a new leader fenced this one and wrote its own), the staged record never committed,
 * and the take-back ends with the record read in its place.
 */
final class StagedSightings {

    /** A staged record, and the first record the reader read under its key and version (null: none yet). */
    private record Sighting(BerthRecord staged, BerthRecord read) {
    }

    private final ConcurrentHashMap<String, Sighting> watched = new ConcurrentHashMap<>();

    void watch(Topic topic, String key, BerthRecord record) {
        watched.putIfAbsent(id(topic, key, record.version()), new Sighting(record, null));
    }

    void unwatch(Topic topic, String key, long version) {
        watched.remove(id(topic, key, version));
    }

    /** The reader read this record from Kafka. */
    void read(Topic topic, String key, BerthRecord value) {
        if (!watched.isEmpty()) {
            watched.computeIfPresent(id(topic, key, value.version()),
                    (id, sighting) -> sighting.read() == null ? new Sighting(sighting.staged(), value) : sighting);
        }
    }

    /** Whether the reader read the staged record itself back from Kafka. */
    boolean wasRead(Topic topic, String key, long version) {
        Sighting sighting = watched.get(id(topic, key, version));
        return sighting != null && sighting.read() != null && sighting.read().equals(sighting.staged());
    }

    /** The record other than the staged one that the reader read under its key and version, or null. */
    BerthRecord readInstead(Topic topic, String key, long version) {
        Sighting sighting = watched.get(id(topic, key, version));
        return sighting == null || sighting.read() == null || sighting.read().equals(sighting.staged())
                ? null
                : sighting.read();
    }

    private static String id(Topic topic, String key, long version) {
        return topic.ordinal() + "/" + version + "/" + key;
    }
}
