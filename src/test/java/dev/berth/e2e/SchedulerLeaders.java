package dev.berth.e2e;

import dev.berth.protocol.LeaderRecord;
import dev.berth.protocol.RecordCodec;
import dev.berth.testing.TestKafka;
import dev.berth.testing.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Which scheduler replica leads, as the failover tests read it off berth.scheduler-leader. */
final class SchedulerLeaders {

    private static final RecordCodec CODEC = new RecordCodec();

    private SchedulerLeaders() {
    }

    /** The last leader announced on the topic, or null when none has been. */
    static LeaderRecord latest(TestKafka kafka) {
        LeaderRecord latest = null;
        for (ConsumerRecord<String, String> r : TopicRecords.readAll(kafka.bootstrapServers(),
                "berth.scheduler-leader", Duration.ofSeconds(30))) {
            if (r.value() != null && CODEC.decode(r.value().getBytes(StandardCharsets.UTF_8))
                    instanceof RecordCodec.Decoded.Record d && d.value() instanceof LeaderRecord l) {
                latest = l;
            }
        }
        return latest;
    }

    /** The index of the replica that answers at the leader's API URL. */
    static int indexOf(List<BerthProcess> replicas, LeaderRecord leader) {
        for (int i = 0; i < replicas.size(); i++) {
            if (leader.apiUrl().equals("http://127.0.0.1:" + replicas.get(i).apiPort())) {
                return i;
            }
        }
        throw new AssertionError("no replica answers at " + leader.apiUrl());
    }
}
