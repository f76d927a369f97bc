package dev.berth.scheduler.messaging;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.EcsErrorType;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.StagedPlans;
import dev.berth.scheduler.StateChange;
import dev.berth.scheduler.state.SchedulerState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compare-and-set for the leader's writer: a plan may put a record only in a version newer
 * than the one the state holds and than any plan ahead of it in the writer's queue claims, or
 * the very record already held (a repeat, such as a request's marker on each of its plans).
 *
 * <p>A plan is computed from the state, then submitted. Should the state have moved in
 * between (a transaction whose outcome was unknown turned out committed, and the catch-up that
 * followed read it; a plan built on a request's staged plan that was taken back), the plan
 * would write a version that Kafka already holds with other content: the state would keep one
 * of the two, compaction the other, and a restarted scheduler would read back something the
 * leader never showed. Such a plan is refused before anything of it is sent, and its caller
 * retries on the state as it is. A task that the state forgot (its tombstones written) is
 * never written again either: an agent would read it as a task to run.
 */
final class VersionClaims {

    /** What one plan claimed: released once the state holds it, or once it failed. */
    record Claimed(List<Map.Entry<String, BerthRecord>> entries) {
        static final Claimed NONE = new Claimed(List.of());
    }

    private final SchedulerState state;
    /** The newest record that a plan queued and not yet applied puts under each topic and key. */
    private final Map<String, BerthRecord> claimed = new HashMap<>();

    VersionClaims(SchedulerState state) {
        this.state = state;
    }

    /**
     * Checks each record the plan puts, and claims its version for the plan.
     *
     * @param stored the plan as the state is to apply it (records as Kafka holds them)
     * @throws EcsException when a record is not newer than what the state holds or a plan ahead
     *                      claims; nothing is claimed then
     */
    synchronized Claimed claim(List<StateChange> stored) {
        Map<String, BerthRecord> mine = new LinkedHashMap<>();
        for (StateChange change : stored) {
            if (!(change instanceof StateChange.Put put)) {
                continue;
            }
            BerthRecord record = put.record();
            Topic topic = StagedPlans.topicOf(record);
            String key = StagedPlans.keyOf(record);
            if (record instanceof DesiredTask task && state.forgot(task.taskId())) {
                throw stale("task " + key + " was forgotten (its retention ended)");
            }
            String id = topic.name() + '/' + key;
            BerthRecord latest = newest(newest(state.held(topic, key), claimed.get(id)), mine.get(id));
            if (latest == null || record.version() > latest.version()) {
                mine.put(id, record);
            } else if (record.version() != latest.version() || !record.equals(latest)) {
                throw stale(describe(topic) + " " + key + " is at version " + latest.version()
                        + " and the change would write version " + record.version());
            }
        }
        if (mine.isEmpty()) {
            return Claimed.NONE;
        }
        claimed.putAll(mine);
        return new Claimed(new ArrayList<>(mine.entrySet()));
    }

    /** The plan is applied to the state, or failed: its claims end. */
    synchronized void release(Claimed claims) {
        for (Map.Entry<String, BerthRecord> entry : claims.entries()) {
            claimed.remove(entry.getKey(), entry.getValue());
        }
    }

    private static BerthRecord newest(BerthRecord a, BerthRecord b) {
        if (a == null) {
            return b;
        }
        return b == null || a.version() >= b.version() ? a : b;
    }

    private static String describe(Topic topic) {
        return switch (topic) {
            case TASKS -> "task";
            case CLUSTERS -> "cluster";
            case TASK_DEFINITIONS -> "task definition";
            case SERVICES -> "service";
            case INSTANCE_CONTROL -> "container instance";
            case CLIENT_TOKENS -> "client token";
            case ACCOUNT_SETTINGS -> "account setting";
            case SCHEDULER_LEADER -> "leader record";
            default -> topic.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static EcsException stale(String what) {
        return new EcsException(EcsErrorType.ServerException, "The scheduler's state changed while this change was "
                + "being computed (" + what + "); this change was not written. Retry.");
    }
}
