package dev.berth.scheduler.messaging;

import dev.berth.protocol.AccountSettingRecord;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClientTokenRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.LeaderRecord;
import dev.berth.protocol.Partitioning;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.ServiceRecord;
import dev.berth.protocol.TaskDefinitionRecord;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.EcsErrorType;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.RequestTransaction;
import dev.berth.scheduler.SchedulerObserver;
import dev.berth.scheduler.StagedPlans;
import dev.berth.scheduler.StateChange;
import dev.berth.scheduler.StateWriter;
import dev.berth.scheduler.state.SchedulerState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.jboss.logging.Logger;

/**
 * The leader's writer: plans are written by one committer thread as transactions of the
 * producer that fenced every older leader. The plans queued while a transaction is in flight
 * go together into the next one (group commit), so throughput follows Kafka's transaction
 * rate rather than one round trip per call; a plan is never split between transactions. Once
 * Kafka has committed a transaction, its plans are applied to the state in order
 * (read-your-writes; the state reader later sees the same versions and drops them), and only
 * then are their callers answered.
 *
 * <p>A plan may also consume: its {@link StateChange.Consume} positions are committed with
 * {@code sendOffsetsToTransaction} by the fenced producer, so a deposed leader can neither
 * write a plan nor move a position: a plain one in the plan's own transaction; berth.requests'
 * positions, whose requests' markers commit with their answers, at most every few seconds
 * ({@link ConsumedPositions}).
 *
 * <p>A request of berth.requests commits its plans and its answer in one transaction
 * ({@link RequestTransaction}): its plans are <em>staged</em> ({@link #stage}): queued, then
 * applied to the state at once, so that the request reads its own writes; the committer holds
 * a transaction with a staged plan back until the request's answer joins it, at most
 * {@link #HOLD}, then commits the plans without it (they carry the request's marker). A
 * request about to wait for a lock or for plans in flight releases its plans first
 * ({@link RequestTransaction#release}): what it waits for may itself wait for this commit. A
 * transaction with a staged plan that fails spends the writer, and every staged plan not
 * committed is taken back from the state ({@link StagedPlans}).
 *
 * <p>A writer that cannot tell what became of a transaction, or that was fenced, is spent:
 * it refuses every later plan, and {@code onSpent} lets the leadership replace it (a new
 * producer, a new catch-up) or step down.
 */
final class LeaderWriter implements StateWriter {

    private static final Logger LOGGER = Logger.getLogger(LeaderWriter.class);
    /** Plans waiting for a transaction; a caller submitting past it waits (backpressure on the API). */
    private static final int MAX_QUEUED_PLANS = 10_000;
    /** Changes gathered into one transaction at most: bounds its size and its commit time. */
    private static final int MAX_CHANGES_PER_TRANSACTION = 5_000;
    private static final java.time.Duration POLL = java.time.Duration.ofMillis(200);
    /**
     * How long {@link #close} lets a transaction under way finish (they take milliseconds) before
     * it cuts it short: a scheduler that stops, or hands its leadership over, commits what it
     * was committing rather than leave it to the next leader, and says nothing about it.
     */
    static final java.time.Duration CLOSE_GRACE = java.time.Duration.ofSeconds(3);
    /** From this many changes a plan is encoded on all cores: below it, the hand-off costs more than it saves. */
    private static final int PARALLEL_ENCODING_FROM = 256;
    /** From this many records a transaction's timing is logged: a daemon's pass, a rollout step. */
    private static final int LARGE_TRANSACTION = 1_000;
    /**
     * How long a transaction with a staged plan waits for the request's answer: a request
     * answers within milliseconds of staging, and releases its plans before it waits for
     * anything; past this the plans commit without the answer, which follows.
     */
    static final java.time.Duration HOLD = java.time.Duration.ofSeconds(1);
    /** Kafka's own default for {@code max.request.size}, when {@code berth.kafka.client} sets none. */
    private static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;
    /** What a record batch and a record's own header take beside its key and value, generously. */
    private static final int RECORD_OVERHEAD = 1_024;

    /** Why a writer stopped writing. */
    enum Spent {
        /** Another producer with the transactional id took over: this replica no longer leads. */
        FENCED,
        /** A transaction's outcome is unknown: catch up again before the next plan. */
        UNCERTAIN
    }

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaSettings settings;
    private final SchedulerState state;
    private final int taskPartitions;
    private final java.util.function.Consumer<Spent> onSpent;
    private final RecordCodec codec = new RecordCodec();
    /** The largest key and value a record may have: Kafka refuses a larger one, and with it the transaction. */
    private final int maxRecordBytes;
    private final BlockingQueue<Submitted> queue = new ArrayBlockingQueue<>(MAX_QUEUED_PLANS);
    private final StagedPlans staging;
    private final VersionClaims versions;
    /** Guards the answers joining their requests' transactions, and wakes the committer waiting for them. */
    private final Object holds = new Object();
    /** This writer as the holder of requests' staged plans: a request that releases them wakes the committer. */
    private final RequestTransaction.Holder holder = this::released;
    private final java.time.Duration hold;
    private final SchedulerObserver observer;
    /** The consumed positions to commit; the committer's alone. */
    private final ConsumedPositions positions;
    private final Thread committer;
    private volatile boolean spent;
    private volatile boolean closed;
    /** Plans submitted (not staged) and not yet finished, for {@link #drain()}; guarded by this. */
    private int inFlight;

    /**
     * A plan waiting for its transaction: its records, encoded by the caller's thread (so that
     * encoding runs in parallel, not on the one committer), and its changes as the state will
     * apply them once committed (each record as Kafka holds it). A staged plan also names its
     * request's transaction and its number there.
     */
    private static final class Submitted {
        private final List<ProducerRecord<String, byte[]>> records;
        private final List<StateChange> stored;
        private final List<StateChange.Consume> consumed;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        /** Counted for {@link #drain()}: a plan submitted on its own. */
        private boolean counted;
        private RequestTransaction transaction;
        private int number;
        /** Set before the plan is queued: the state holds it before its commit. */
        private volatile StagedPlans.Staged staged;
        /** The versions it claimed, until the state holds them or the plan failed. */
        private volatile VersionClaims.Claimed claims = VersionClaims.Claimed.NONE;

        private Submitted(List<ProducerRecord<String, byte[]>> records, List<StateChange> stored,
                List<StateChange.Consume> consumed) {
            this.records = records;
            this.stored = stored;
            this.consumed = consumed;
        }

        List<ProducerRecord<String, byte[]>> records() {
            return records;
        }

        List<StateChange> stored() {
            return stored;
        }

        List<StateChange.Consume> consumed() {
            return consumed;
        }

        CompletableFuture<Void> done() {
            return done;
        }
    }

    LeaderWriter(KafkaProducer<String, byte[]> producer, KafkaSettings settings, SchedulerState state,
            int taskPartitions, java.util.function.Consumer<Spent> onSpent) {
        this(producer, settings, state, taskPartitions, onSpent, "berth-scheduler-committer");
    }

    /** @param committerName the name of the committer thread, as logs show it */
    LeaderWriter(KafkaProducer<String, byte[]> producer, KafkaSettings settings, SchedulerState state,
            int taskPartitions, java.util.function.Consumer<Spent> onSpent, String committerName) {
        this(producer, settings, state, taskPartitions, onSpent, committerName, HOLD, SchedulerObserver.NONE);
    }

    /**
     * @param hold     how long a transaction with a staged plan waits for its request's answer ({@link #HOLD})
     * @param observer told of each request whose changes commit apart from its answer
     */
    LeaderWriter(KafkaProducer<String, byte[]> producer, KafkaSettings settings, SchedulerState state,
            int taskPartitions, java.util.function.Consumer<Spent> onSpent, String committerName,
            java.time.Duration hold, SchedulerObserver observer) {
        this(producer, settings, state, taskPartitions, onSpent, committerName, hold, observer,
                ConsumedPositions.INTERVAL);
    }

    /** @param positionsInterval how often the positions of records served side by side ride in a transaction at most */
    LeaderWriter(KafkaProducer<String, byte[]> producer, KafkaSettings settings, SchedulerState state,
            int taskPartitions, java.util.function.Consumer<Spent> onSpent, String committerName,
            java.time.Duration hold, SchedulerObserver observer, java.time.Duration positionsInterval) {
        this.positions = new ConsumedPositions(positionsInterval, System::nanoTime);
        this.hold = hold;
        this.observer = observer;
        this.producer = producer;
        this.settings = settings;
        this.maxRecordBytes = maxRecordBytes(settings);
        this.state = state;
        this.taskPartitions = taskPartitions;
        this.onSpent = onSpent;
        this.staging = new StagedPlans(state);
        this.versions = new VersionClaims(state);
        this.committer = new Thread(this::commitQueued, committerName);
        this.committer.setDaemon(true);
        this.committer.start();
    }

    boolean isSpent() {
        return spent;
    }

    @Override
    public CompletableFuture<Void> submit(List<StateChange> changes) {
        if (spent || closed) {
            return CompletableFuture.failedFuture(handingOver());
        }
        Submitted submitted;
        try {
            submitted = encode(changes, true);
            submitted.claims = versions.claim(submitted.stored());
        } catch (EcsException e) {
            return CompletableFuture.failedFuture(e);
        }
        submitted.counted = true;
        synchronized (this) {
            inFlight++;
        }
        try {
            queue.put(submitted);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(List.of(submitted), new EcsException(EcsErrorType.ServerException,
                    "Interrupted before the write was queued; nothing was changed."));
            return submitted.done();
        }
        if (closed && queue.remove(submitted)) {
            // Closed while it was encoded: the committer may have drained the queue already, and
            // nobody else would ever answer it. Taken back before anything was sent.
            finish(List.of(submitted), handingOver());
        }
        return submitted.done();
    }

    /**
     * Queues the plan in the request's transaction, then applies it to the state: complete at
     * once. Commits it on its own instead (waiting for it) when the transaction was split.
     */
    @Override
    public CompletableFuture<Void> stage(RequestTransaction transaction, List<StateChange> changes) {
        if (spent || closed) {
            return CompletableFuture.failedFuture(handingOver());
        }
        int number = transaction.stage(holder);
        if (number == 0) {
            return submit(changes);
        }
        Submitted submitted;
        try {
            submitted = encode(changes, true);
        } catch (EcsException e) {
            transaction.split();
            return CompletableFuture.failedFuture(e);
        }
        if (!submitted.consumed().isEmpty()) {
            throw new IllegalArgumentException("a staged plan consumes nothing: its answer does");
        }
        submitted.transaction = transaction;
        submitted.number = number;
        StagedPlans.Staged staged;
        try {
            staged = staging.stage(transaction, submitted.stored(), plan -> {
                submitted.claims = versions.claim(submitted.stored());
                submitted.staged = plan;
                if (!queue.offer(submitted)) {
                    throw new EcsException(EcsErrorType.ServerException, "The leader has " + MAX_QUEUED_PLANS
                            + " plans waiting for Kafka; nothing was changed. Retry shortly.");
                }
            });
        } catch (RuntimeException e) {
            transaction.split();
            return CompletableFuture.failedFuture(e);
        } finally {
            // Staged, the state holds its versions; not staged, it claims nothing.
            versions.release(submitted.claims);
        }
        if (staged == null) {
            transaction.fail();
            return CompletableFuture.failedFuture(handingOver());
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * The request's answer: in the transaction of its last staged plan while the committer
     * holds its plans back; on its own otherwise.
     */
    @Override
    public CompletableFuture<Void> answer(RequestTransaction transaction, List<StateChange> changes) {
        if (spent || closed) {
            return CompletableFuture.failedFuture(handingOver());
        }
        // Not checked for size (KafkaRequests bounds an answer well below it): an answer that Kafka
        // refused would abort its transaction and take the request's staged plans back with it,
        // as a request's changes commit with its answer or not at all.
        Submitted answer = encode(changes, false);
        boolean joined;
        try {
            synchronized (holds) {
                joined = transaction.answer(holder, answer);
                holds.notifyAll();
            }
        } catch (EcsException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!joined) {
            return submit(changes);
        }
        if (spent || closed) {
            // The committer may have stopped before it took the answer: it will never commit it.
            answer.done().completeExceptionally(handingOver());
        }
        return answer.done();
    }

    @Override
    public synchronized void drain() {
        while (inFlight > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The committer: takes every plan queued, up to a bound, and commits them as one transaction. */
    private void commitQueued() {
        List<Submitted> batch = new ArrayList<>();
        while (!closed) {
            try {
                Submitted first = queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    commitWaitingPositions();
                    continue;
                }
                batch.add(first);
                int records = gather(batch, first.records().size());
                awaitAnswers(batch, records);
                commitBatch(withAnswers(batch));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finish(batch, handingOver());
                break;
            } catch (RuntimeException e) {
                LOGGER.errorf(e, "The leader's committer failed unexpectedly");
                EcsException error = new EcsException(EcsErrorType.ServerException, "The write failed unexpectedly; it "
                        + "may or may not have been applied. " + e.getMessage(), e);
                finish(batch, error);
                takeBackStaged(error);
            } finally {
                batch.clear();
            }
        }
        List<Submitted> left = new ArrayList<>();
        queue.drainTo(left);
        finish(left, handingOver());
        // The writer is closing (its leadership ends): nothing staged will be committed, nor staged any more.
        failAnswers(staging.takeBackAll(), handingOver());
    }

    /** Adds queued plans to the batch up to the bound; returns how many records it holds. */
    private int gather(List<Submitted> batch, int records) {
        while (records < MAX_CHANGES_PER_TRANSACTION && queue.peek() != null) {
            Submitted next = queue.poll();
            batch.add(next);
            records += next.records().size();
        }
        return records;
    }

    /**
     * Holds the batch back while a request that staged a plan in it has not answered (at
     * most {@link #hold}; then those requests are split), and takes in the queued plans up to
     * the last one of each request that answered, so that its answer commits with all of them.
     */
    private void awaitAnswers(List<Submitted> batch, int records) throws InterruptedException {
        long deadline = System.nanoTime() + hold.toNanos();
        synchronized (holds) {
            while (true) {
                Map<RequestTransaction, Integer> last = new java.util.IdentityHashMap<>();
                for (Submitted submitted : batch) {
                    if (submitted.transaction != null) {
                        last.merge(submitted.transaction, submitted.number, Math::max);
                    }
                }
                boolean open = false;
                boolean incomplete = false;
                for (Map.Entry<RequestTransaction, Integer> entry : last.entrySet()) {
                    RequestTransaction.Phase phase = entry.getKey().phase();
                    if (phase == RequestTransaction.Phase.OPEN) {
                        open = true;
                    } else if (phase == RequestTransaction.Phase.ANSWERED && entry.getValue() < entry.getKey().staged()) {
                        incomplete = true;
                    }
                }
                if (incomplete && records < MAX_CHANGES_PER_TRANSACTION && queue.peek() != null) {
                    records = gather(batch, records);
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (!open) {
                    return;
                }
                if (left <= 0) {
                    int split = 0;
                    for (RequestTransaction transaction : last.keySet()) {
                        if (transaction.phase() == RequestTransaction.Phase.OPEN) {
                            transaction.split();
                            split++;
                        }
                    }
                    LOGGER.infof("%d request(s) did not answer within %d ms of staging a plan: their plans commit "
                            + "without their answers, which follow", split, hold.toMillis());
                    for (int i = 0; i < split; i++) {
                        observer.answeredApart(SchedulerObserver.AnswerApart.HOLD_EXPIRED);
                    }
                    return;
                }
                holds.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** A request released its staged plans before waiting: they commit without its answer. */
    private void released() {
        observer.answeredApart(SchedulerObserver.AnswerApart.REQUEST_WAITED);
        synchronized (holds) {
            holds.notifyAll();
        }
    }

    /** The batch with each answer that came right after the last plan its request staged. */
    private static List<Submitted> withAnswers(List<Submitted> batch) {
        List<Submitted> result = new ArrayList<>(batch.size());
        for (Submitted submitted : batch) {
            result.add(submitted);
            if (submitted.transaction != null && submitted.transaction.answerAfter(submitted.number)
                    instanceof Submitted answer) {
                result.add(answer);
            }
        }
        return result;
    }

    /**
     * After a failed transaction: when the state holds staged plans that Kafka did not commit,
     * the writer is spent (plans queued behind them may rest on them) and they are taken back.
     */
    private void takeBackStaged(RuntimeException error) {
        if (!staging.hasUncommitted()) {
            return;
        }
        spend(Spent.UNCERTAIN, error);
        List<Object> answers = staging.takeBackAll();
        LOGGER.warnf("Took back the uncommitted plans of requests of berth.requests from the state (%d answers "
                + "waiting for them fail)", answers.size());
        failAnswers(answers, error);
    }

    private static void failAnswers(List<Object> answers, RuntimeException error) {
        for (Object answer : answers) {
            ((Submitted) answer).done().completeExceptionally(error);
        }
    }

    private void commitBatch(List<Submitted> batch) {
        if (spent) {
            finish(batch, handingOver());
            return;
        }
        boolean committing = false;
        long start = System.nanoTime();
        int records = 0;
        staging.settle();
        try {
            producer.beginTransaction();
            for (Submitted submitted : batch) {
                for (ProducerRecord<String, byte[]> record : submitted.records()) {
                    producer.send(record);
                }
                records += submitted.records().size();
            }
            List<StateChange.Consume> consumed = new ArrayList<>();
            for (Submitted submitted : batch) {
                consumed.addAll(submitted.consumed());
            }
            ConsumedPositions.Sending positionsSent = positions.of(consumed);
            positionsSent.send(producer);
            long sent = System.nanoTime();
            committing = true;
            producer.commitTransaction();
            positionsSent.committed();
            if (records >= LARGE_TRANSACTION) {
                LOGGER.infof("Committed a transaction of %d records: sent in %d ms, committed %d ms later", records,
                        (sent - start) / 1_000_000, (System.nanoTime() - sent) / 1_000_000);
            }
        } catch (ProducerFencedException | InvalidProducerEpochException | TransactionalIdAuthorizationException e) {
            spend(Spent.FENCED, e);
            EcsException error = new EcsException(EcsErrorType.ServerException, "This scheduler lost its leadership "
                    + "while writing (another replica fenced it); the change may or may not have been applied. Retry: a "
                    + "retry with the same clientToken acts once.", e);
            finish(batch, error);
            takeBackStaged(error);
            return;
        } catch (KafkaException e) {
            EcsException error = failed(e, committing);
            finish(batch, error);
            takeBackStaged(error);
            return;
        }
        // Plan by plan, so that placement reads its view between two plans, not after the batch.
        for (Submitted submitted : batch) {
            if (submitted.staged != null) {
                // The state holds it since it was staged.
                staging.committed(submitted.staged);
                finish(List.of(submitted), null);
                continue;
            }
            state.publishing(() -> {
                for (StateChange change : submitted.stored()) {
                    applyCommitted(change);
                }
                finish(List.of(submitted), null);
            });
        }
    }

    /** The positions that wait for a transaction, when they are due and nothing else is to commit. */
    private void commitWaitingPositions() {
        ConsumedPositions.Sending sending = spent ? null : positions.waitingIfDue();
        if (sending == null) {
            return;
        }
        try {
            producer.beginTransaction();
            sending.send(producer);
            producer.commitTransaction();
            sending.committed();
        } catch (ProducerFencedException | InvalidProducerEpochException | TransactionalIdAuthorizationException e) {
            spend(Spent.FENCED, e);
        } catch (KafkaException e) {
            failed(e, true);
        }
    }

    private void finish(List<Submitted> batch, RuntimeException error) {
        for (Submitted submitted : batch) {
            // After the state took the plan (committed), or once it failed.
            versions.release(submitted.claims);
            if (error == null) {
                submitted.done().complete(null);
            } else {
                submitted.done().completeExceptionally(error);
            }
        }
        int counted = 0;
        for (Submitted submitted : batch) {
            if (submitted.counted) {
                counted++;
            }
        }
        synchronized (this) {
            inFlight -= counted;
            notifyAll();
        }
    }

    private static EcsException handingOver() {
        return new EcsException(EcsErrorType.ServerException, "This scheduler is handing over its leadership; "
                + "nothing was changed. Retry shortly.");
    }

    /** The transaction did not commit as far as this writer knows: abort it if that is still possible. */
    private EcsException failed(KafkaException e, boolean committing) {
        try {
            producer.abortTransaction();
            LOGGER.warnf("A transaction of plans failed and was aborted: %s", e.getMessage());
            return new EcsException(EcsErrorType.ServerException, "Kafka did not commit the write; nothing was changed. "
                    + e.getMessage(), e);
        } catch (ProducerFencedException | InvalidProducerEpochException fenced) {
            spend(Spent.FENCED, fenced);
        } catch (KafkaException | IllegalStateException abortFailed) {
            spend(Spent.UNCERTAIN, e);
        }
        return new EcsException(EcsErrorType.ServerException, "Kafka's answer to the write was lost"
                + (committing ? " while committing" : "") + "; the change may or may not have been applied. Retry: "
                + "a retry with the same clientToken acts once. " + e.getMessage(), e);
    }

    private void spend(Spent why, Exception e) {
        if (!spent) {
            spent = true;
            LOGGER.warnf("The leader's writer stops writing (%s): %s", why, e.getMessage());
            onSpent.accept(why);
        }
    }

    /**
     * Encodes a plan's changes on the caller's thread; a large plan (a daemon service's first
     * pass, a big rollout step) on all cores, as the state reader decodes large polls. The
     * records keep the plan's order.
     */
    private Submitted encode(List<StateChange> plan, boolean checkSize) {
        List<StateChange.Consume> consumed = new ArrayList<>();
        List<StateChange> changes = new ArrayList<>(plan.size());
        for (StateChange change : plan) {
            if (change instanceof StateChange.Consume consume) {
                consumed.add(consume);
            } else {
                changes.add(change);
            }
        }
        StateChange[] stored = new StateChange[changes.size()];
        @SuppressWarnings("unchecked")
        List<ProducerRecord<String, byte[]>>[] perChange = new List[changes.size()];
        java.util.function.IntFunction<StateChange> one = i -> {
            perChange[i] = new ArrayList<>(2);
            return encode(changes.get(i), perChange[i]);
        };
        if (changes.size() >= PARALLEL_ENCODING_FROM) {
            java.util.Arrays.parallelSetAll(stored, one);
        } else {
            java.util.Arrays.setAll(stored, one);
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(changes.size());
        for (List<ProducerRecord<String, byte[]>> some : perChange) {
            records.addAll(some);
        }
        if (checkSize) {
            records.forEach(this::requireSendable);
        }
        return new Submitted(records, List.of(stored), consumed);
    }

    /**
     * Refuses a plan with a record larger than Kafka takes from this producer, before any of it
     * is sent: sent, it would fail the whole transaction and every plan gathered into it.
     */
    private void requireSendable(ProducerRecord<String, byte[]> record) {
        long bytes = (record.key() == null ? 0 : record.key().getBytes(StandardCharsets.UTF_8).length)
                + (record.value() == null ? 0 : (long) record.value().length);
        if (bytes > maxRecordBytes) {
            throw new EcsException(EcsErrorType.ClientException, "The change would be a record of " + bytes
                    + " bytes on " + record.topic() + " (key " + record.key() + "), more than the " + maxRecordBytes
                    + " bytes that Kafka takes from this scheduler (max.request.size); nothing was changed.");
        }
    }

    /** {@code max.request.size} as the scheduler's producers are configured, less a record's overhead. */
    static int maxRecordBytes(KafkaSettings settings) {
        String configured = settings.client().get("max.request.size");
        int request = configured == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(configured.strip());
        return request - RECORD_OVERHEAD;
    }

    /**
     * Adds the records of one change to {@code records}; returns the change as the state is to
     * apply it once committed: a record as Kafka holds it, so that what this process applies
     * now and what a restarted scheduler replays later are the same value (JSON may normalize
     * a field, e.g. a default).
     */
    private StateChange encode(StateChange change, List<ProducerRecord<String, byte[]>> records) {
        if (change instanceof StateChange.Put put) {
            ProducerRecord<String, byte[]> record = recordOf(put.record());
            records.add(record);
            return new StateChange.Put(stored(record.value(), put.record()));
        } else if (change instanceof StateChange.Forget forget) {
            DesiredTask task = forget.task();
            records.add(new ProducerRecord<>(Topic.TASKS.name(settings), partitionOf(task), task.taskId(), null));
            records.add(new ProducerRecord<>(Topic.TASK_EVENTS.name(settings), task.taskId(), null));
        } else if (change instanceof StateChange.ForgetClientToken token) {
            records.add(new ProducerRecord<>(Topic.CLIENT_TOKENS.name(settings), token.key(), null));
        } else if (change instanceof StateChange.ForgetAccountSetting setting) {
            records.add(new ProducerRecord<>(Topic.ACCOUNT_SETTINGS.name(settings), setting.key(), null));
        } else if (change instanceof StateChange.ForgetInstance instance) {
            records.add(new ProducerRecord<>(Topic.INSTANCES.name(settings), instance.instanceId(), null));
        } else if (change instanceof StateChange.ForgetReport report) {
            records.add(new ProducerRecord<>(Topic.TASK_EVENTS.name(settings), report.taskId(), null));
        } else if (change instanceof StateChange.Publish publish) {
            records.add(new ProducerRecord<>(publish.topic().name(settings), publish.key(), publish.value()));
        } else {
            throw new IllegalArgumentException("unknown change " + change);
        }
        return change;
    }

    private ProducerRecord<String, byte[]> recordOf(BerthRecord record) {
        byte[] value = codec.encode(record);
        if (record instanceof DesiredTask t) {
            return new ProducerRecord<>(Topic.TASKS.name(settings), partitionOf(t), t.taskId(), value);
        } else if (record instanceof ClusterRecord c) {
            return new ProducerRecord<>(Topic.CLUSTERS.name(settings), c.clusterName(), value);
        } else if (record instanceof TaskDefinitionRecord d) {
            return new ProducerRecord<>(Topic.TASK_DEFINITIONS.name(settings), d.taskDefinition().familyRevision(), value);
        } else if (record instanceof ClientTokenRecord token) {
            return new ProducerRecord<>(Topic.CLIENT_TOKENS.name(settings), token.key(), value);
        } else if (record instanceof ServiceRecord service) {
            return new ProducerRecord<>(Topic.SERVICES.name(settings), service.key(), value);
        } else if (record instanceof InstanceControl control) {
            return new ProducerRecord<>(Topic.INSTANCE_CONTROL.name(settings), control.instanceId(), value);
        } else if (record instanceof AccountSettingRecord setting) {
            return new ProducerRecord<>(Topic.ACCOUNT_SETTINGS.name(settings), setting.key(), value);
        } else if (record instanceof LeaderRecord) {
            return new ProducerRecord<>(Topic.SCHEDULER_LEADER.name(settings), LeaderRecord.KEY, value);
        }
        throw new IllegalArgumentException("the scheduler does not write " + record.getClass().getSimpleName());
    }

    private int partitionOf(DesiredTask task) {
        return Partitioning.forInstance(task.instanceId(), taskPartitions);
    }

    private void applyCommitted(StateChange change) {
        if (change instanceof StateChange.Put put) {
            state.apply(put.record());
        } else if (change instanceof StateChange.Forget forget) {
            state.forget(forget.task());
        } else if (change instanceof StateChange.ForgetClientToken token) {
            state.remove(Topic.CLIENT_TOKENS, token.key());
        } else if (change instanceof StateChange.ForgetAccountSetting setting) {
            state.remove(Topic.ACCOUNT_SETTINGS, setting.key());
        } else if (change instanceof StateChange.ForgetInstance instance) {
            state.remove(Topic.INSTANCES, instance.instanceId());
        } else if (change instanceof StateChange.ForgetReport report) {
            state.remove(Topic.TASK_EVENTS, report.taskId());
        }
    }

    private BerthRecord stored(byte[] bytes, BerthRecord record) {
        if (codec.decode(bytes) instanceof RecordCodec.Decoded.Record stored) {
            return stored.value();
        }
        throw new IllegalStateException("a " + record.getClass().getSimpleName() + " does not survive its own codec");
    }

    /**
     * Takes no plan any more and ends the committer: the transaction under way finishes (up to
     * {@link #CLOSE_GRACE}, then it is cut short), plans still queued or staged are answered
     * that this scheduler is handing over, and the producer is closed.
     */
    void close() {
        closed = true;
        try {
            committer.join(CLOSE_GRACE.toMillis());
            if (committer.isAlive()) {
                committer.interrupt();
                committer.join(POLL.toMillis() * 5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            producer.close(java.time.Duration.ZERO);
        } catch (KafkaException e) {
            LOGGER.debugf("Closing the leader's producer: %s", e.getMessage());
        }
    }
}
