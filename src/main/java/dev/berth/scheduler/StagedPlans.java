package dev.berth.scheduler;

import dev.berth.protocol.AccountSettingRecord;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClientTokenRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.LeaderRecord;
import dev.berth.protocol.ServiceRecord;
import dev.berth.protocol.TaskDefinitionRecord;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.state.SchedulerState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The plans that the leader's state holds before Kafka committed them: the staged plans of
 * requests of berth.requests ({@link RequestTransaction}), each with what it replaced.
 *
 * <p>Two rules make this safe. A plan is queued for its transaction before the state shows
 * it ({@link #stage}: both under one lock), so any plan built on what it shows is queued after
 * it, and Kafka commits it in the same transaction or a later one, never before. And when a
 * transaction with a staged plan fails, every plan staged and not committed is taken back,
 * newest first ({@link #takeBackAll}), and nothing more is staged: the writer that staged them
 * is spent, and every plan queued behind them fails with them.
 */
public final class StagedPlans {

    private static final Logger LOGGER = Logger.getLogger(StagedPlans.class);

    /** A plan applied to the state before its commit. */
    public static final class Staged {
        private final RequestTransaction transaction;
        private final List<SchedulerState.Previous> replaced = new ArrayList<>();
        /** The records it put, watched for the state reader reading them back from Kafka. */
        private final List<SchedulerState.StagedRecord> records = new ArrayList<>();

        private Staged(RequestTransaction transaction) {
            this.transaction = transaction;
        }
    }

    private final SchedulerState state;
    /** Staged and not yet committed, oldest first. */
    private final ArrayDeque<Staged> uncommitted = new ArrayDeque<>();
    private boolean closed;

    public StagedPlans(SchedulerState state) {
        this.state = state;
    }

    /**
     * Runs {@code enqueue} with the plan's handle (it queues the plan for its transaction, and
     * may refuse by throwing), then applies the plan's changes to the state, remembering what
     * each replaced. Returns null, and neither queues nor applies, once plans were taken back.
     *
     * @param changes the plan as the state is to apply it: each record as Kafka will hold it
     */
    public synchronized Staged stage(RequestTransaction transaction, List<StateChange> changes,
            Consumer<Staged> enqueue) {
        if (closed) {
            return null;
        }
        Staged staged = new Staged(transaction);
        enqueue.accept(staged);
        state.publishing(() -> {
            for (StateChange change : changes) {
                apply(change, staged);
            }
        });
        uncommitted.add(staged);
        return staged;
    }

    /** Returns once no plan is half staged: one queued is applied to the state too. */
    public synchronized void settle() {
        // Staging holds this monitor from queueing to applying.
    }

    /** Kafka committed the staged plan: it stays. */
    public synchronized void committed(Staged staged) {
        Iterator<Staged> it = uncommitted.iterator();
        while (it.hasNext()) {
            if (it.next() == staged) {
                it.remove();
                staged.records.forEach(r -> state.unwatchStaged(r.topic(), r.key(), r.version()));
                return;
            }
        }
    }

    /** Whether some staged plan is not committed yet. */
    public synchronized boolean hasUncommitted() {
        return !uncommitted.isEmpty();
    }

    /**
     * Takes back every staged plan that is not committed, newest first, fails their
     * requests' transactions, and stages nothing more. Returns the answers that were waiting
     * for those plans (in the writer's own form), which must fail too.
     *
     * <p>A plan whose records the state reader has already read back from Kafka did commit,
     * though the writer lost Kafka's answer: it and every plan older than it stay in the state,
     * as Kafka holds them (their answers still fail: their outcome was unknown to the writer).
     * A record read back with the key and version of a staged one but other content is another
     * leader's: the staged plan did not commit, and the state ends with the record read.
     */
    public synchronized List<Object> takeBackAll() {
        closed = true;
        List<Object> answers = new ArrayList<>();
        List<SchedulerState.StagedPlan> plans = new ArrayList<>(uncommitted.size());
        for (Staged staged : uncommitted) {
            plans.add(new SchedulerState.StagedPlan(staged.records, staged.replaced));
        }
        state.publishing(() -> {
            int kept = state.restoreUnlessReadBack(plans);
            if (kept > 0) {
                LOGGER.warnf("Kafka committed %d of the %d staged plans whose commit's answer was lost (the state "
                        + "reader read them back): they stay", kept, plans.size());
            }
            while (!uncommitted.isEmpty()) {
                Object answer = uncommitted.removeLast().transaction.fail();
                if (answer != null) {
                    answers.add(answer);
                }
            }
        });
        return answers;
    }

    private void apply(StateChange change, Staged staged) {
        List<SchedulerState.Previous> replaced = staged.replaced;
        if (change instanceof StateChange.Put put) {
            BerthRecord record = put.record();
            Topic topic = topicOf(record);
            String key = keyOf(record);
            remember(replaced, topic, key);
            staged.records.add(new SchedulerState.StagedRecord(topic, key, record.version()));
            state.watchStaged(topic, key, record);
            state.apply(record);
        } else if (change instanceof StateChange.Forget forget) {
            // The report first, so that taking back restores the desired record before it.
            remember(replaced, Topic.TASK_EVENTS, forget.task().taskId());
            remember(replaced, Topic.TASKS, forget.task().taskId());
            state.forget(forget.task());
        } else if (change instanceof StateChange.ForgetClientToken token) {
            remember(replaced, Topic.CLIENT_TOKENS, token.key());
            state.remove(Topic.CLIENT_TOKENS, token.key());
        } else if (change instanceof StateChange.ForgetAccountSetting setting) {
            remember(replaced, Topic.ACCOUNT_SETTINGS, setting.key());
            state.remove(Topic.ACCOUNT_SETTINGS, setting.key());
        } else if (change instanceof StateChange.ForgetInstance instance) {
            remember(replaced, Topic.INSTANCES, instance.instanceId());
            state.remove(Topic.INSTANCES, instance.instanceId());
        } else if (change instanceof StateChange.ForgetReport report) {
            remember(replaced, Topic.TASK_EVENTS, report.taskId());
            state.remove(Topic.TASK_EVENTS, report.taskId());
        }
    }

    private void remember(List<SchedulerState.Previous> replaced, Topic topic, String key) {
        replaced.add(new SchedulerState.Previous(topic, key, state.held(topic, key)));
    }

    /** The scheduler topic that keeps a record the scheduler writes. */
    public static Topic topicOf(BerthRecord record) {
        if (record instanceof DesiredTask) {
            return Topic.TASKS;
        } else if (record instanceof ClusterRecord) {
            return Topic.CLUSTERS;
        } else if (record instanceof TaskDefinitionRecord) {
            return Topic.TASK_DEFINITIONS;
        } else if (record instanceof ClientTokenRecord) {
            return Topic.CLIENT_TOKENS;
        } else if (record instanceof ServiceRecord) {
            return Topic.SERVICES;
        } else if (record instanceof InstanceControl) {
            return Topic.INSTANCE_CONTROL;
        } else if (record instanceof AccountSettingRecord) {
            return Topic.ACCOUNT_SETTINGS;
        } else if (record instanceof LeaderRecord) {
            return Topic.SCHEDULER_LEADER;
        }
        throw new IllegalArgumentException("the scheduler does not write " + record.getClass().getSimpleName());
    }

    /** A record's key on its topic. */
    public static String keyOf(BerthRecord record) {
        if (record instanceof DesiredTask t) {
            return t.taskId();
        } else if (record instanceof ClusterRecord c) {
            return c.clusterName();
        } else if (record instanceof TaskDefinitionRecord d) {
            return d.taskDefinition().familyRevision();
        } else if (record instanceof ClientTokenRecord token) {
            return token.key();
        } else if (record instanceof ServiceRecord service) {
            return service.key();
        } else if (record instanceof InstanceControl control) {
            return control.instanceId();
        } else if (record instanceof AccountSettingRecord setting) {
            return setting.key();
        } else if (record instanceof LeaderRecord) {
            return LeaderRecord.KEY;
        }
        throw new IllegalArgumentException("the scheduler does not write " + record.getClass().getSimpleName());
    }
}
