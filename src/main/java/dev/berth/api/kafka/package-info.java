/**
 * The ECS API on Kafka (DESIGN.md §2, §6; README "Drive Berth from Kafka"): any producer sends
 * an ECS operation to {@code berth.requests}, and the scheduler leader answers each record on
 * {@code berth.responses}, keyed by the request id, with what the HTTP API would have answered,
 * through the same {@link dev.berth.api.EcsDispatcher}.
 *
 * <pre>
 *  producer ──berth.requests (key: request id)──▶ leader: RequestConsumer ──▶ KafkaRequests ──▶ EcsDispatcher
 *                                                     │                             │ plans: staged (state shows them)
 *                                                     ▼                             ▼       or deferred (RunTask)
 *  consumer ◀──berth.responses (key: request id)── plans + answer + marker "answered" (one transaction)
 *                                                  + the partition's position (that one, or one at most 5 s later)
 * </pre>
 *
 * <p>Invariants:
 * <ul>
 *   <li><b>Only the leader consumes</b>, and only once it has caught up; a follower opens no
 *       consumer. Each term starts from the positions of the group {@code <scheduler group>-requests},
 *       which only the leader's fenced transactional producer commits.</li>
 *   <li><b>A request's changes and its answer are one transaction</b>
 *       ({@link dev.berth.scheduler.RequestTransaction}): its plans, its response, its marker
 *       ({@code kafka-request/<id>} on berth.client-tokens), which names the record it answers.
 *       The record's position rides in that transaction or in one at most five seconds later
 *       ({@code ConsumedPositions}): the marker, not the position, is what says that the record
 *       was answered, so a position that lags only means records read again. A staged
 *       plan is shown by the leader's state before it commits, and taken back if its
 *       transaction fails (the writer is then spent).</li>
 *   <li><b>A request acts at most once.</b> Every plan carries the marker too, so should the
 *       writer commit a plan without the answer (it waits for an answer one second at most),
 *       any later leader knows that the request acted.</li>
 *   <li><b>A record is answered exactly once.</b> Until its answer commits, the record is read
 *       again: its marker then answers the stored response; or, when the request acted (its
 *       plans committed without the answer) and the answer failed, the answer this leader kept
 *       ({@code AnswersApart}), or, on another replica, says that the request acted but its
 *       answer was lost (RunTask and CreateService carry a clientToken derived from the
 *       request id, and answer what the first run did). A record read again whose marker names
 *       it as answered is not answered twice. A record that the scheduler cannot serve now
 *       (it stops: the HTTP API would answer 503) is not answered at all, and no position
 *       passes it: the next leader serves it.</li>
 *   <li><b>Poison never stops the consumer.</b> A record that is no request gets a dead letter,
 *       and an error response when it has an id, in the same transaction as its position.</li>
 * </ul>
 *
 * <p>Why not SmallRye Reactive Messaging's {@code KafkaTransactions}, as DESIGN.md first said:
 * its transactions belong to the channel's own producer, with a {@code transactional.id} of
 * its own. Giving it the leader's id would make the two producers fence each other; giving it
 * another id would put the offset commit and the response in a transaction apart from the
 * plan's, written by a producer that a new leader does not fence. Exactly once from request
 * to state needs the marker and the position committed by the producer that writes the plan
 * (the position with {@code sendOffsetsToTransaction}), so the plain Kafka client does it,
 * inside {@code LeaderWriter}.
 *
 * <h2>berth.events</h2>
 *
 * The leader publishes ECS's events ({@code EcsEvent}: EventBridge's envelope, ECS's detail),
 * keyed by the resource's ARN, derived from the records of its own topics:
 *
 * <pre>
 *  berth.tasks, berth.task-events, berth.instances,   ──▶ leader: EventStream ──▶ EcsEventFold
 *  berth.instance-control, berth.services (read_committed)         │ events of a poll + its positions
 *                                                                  ▼ (one transaction, T3)
 *  consumer ◀──berth.events (key: resource ARN)──────────── leader's fenced producer
 * </pre>
 *
 * <p>Invariants:
 * <ul>
 *   <li><b>One writer.</b> Only the leader publishes, through the producer that writes its
 *       plans; followers open no consumer. The positions of the group
 *       {@code <scheduler group>-events} commit in the same transaction as the events derived
 *       from the records before them (T3), so they say exactly up to where events are
 *       published. A deposed leader can commit neither.</li>
 *   <li><b>Nothing skipped, nothing repeated.</b> A new term folds every source partition
 *       from its beginning up to the committed positions without publishing, then publishes
 *       from there: the first event it publishes follows the last one the old leader
 *       committed. A transaction that fails ends the term, and the next replays. A
 *       {@code read_committed} reader sees each event once; a {@code read_uncommitted} one may
 *       also see an aborted transaction's events, which carry the same {@code id} and detail
 *       {@code version} as their committed repeat.</li>
 *   <li><b>Ordered per resource.</b> The key is the ARN, so one resource's events share a
 *       partition, in the order they were derived; a task's detail {@code version} (the
 *       desired record's version plus the report's, as DescribeTasks shows it) is higher in
 *       every event than in the one before, across terms too. It skips the report versions
 *       that the agent coalesced before Kafka had them, and shows reports read before their
 *       desired record in one event with it (EcsEventFold says more).</li>
 *   <li><b>Agents' silence is a record.</b> The leader writes its decision that an agent
 *       stopped heartbeating (and that it is heard again) on berth.instance-control, and the
 *       instance's {@code agentConnected} follows that record: a clock read once, by one
 *       leader, never judged again by the next.</li>
 *   <li><b>Deterministic.</b> The fold reads no clock: an event's {@code time} is its source
 *       record's Kafka timestamp and its {@code id} a name-based UUID of the resource, the
 *       detail type, the change and the version. The same change is the same event, byte for
 *       byte, whichever leader derives it.</li>
 * </ul>
 *
 * <p>The cost: each term keeps its own copy of the tasks and instances (the fold's view) beside
 * the scheduler's state, and each takeover reads the five source topics once more.
 */
package dev.berth.api.kafka;
