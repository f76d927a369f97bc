/**
 * The ECS API on Kafka (DESIGN.md §2, §6; README "Drive Berth from Kafka"): any producer sends
 * an ECS operation to {@code berth.requests}, and the scheduler leader answers each record on
 * {@code berth.responses}, keyed by the request id, with what the HTTP API would have answered,
 * through the same {@link dev.berth.api.EcsDispatcher}.
 *
 * <pre>
 *  producer ──berth.requests (key: request id)──▶ leader: RequestConsumer ──▶ KafkaRequests ──▶ EcsDispatcher
 *                                                     │                             │ plan + marker "acted" (T1)
 *                                                     ▼                             ▼
 *  consumer ◀──berth.responses (key: request id)── answer + marker "answered" + position (T2)
 * </pre>
 *
 * <p>Invariants:
 * <ul>
 *   <li><b>Only the leader consumes</b>, and only once it has caught up; a follower opens no
 *       consumer. Each term starts from the positions of the group {@code <scheduler group>-requests},
 *       which only the leader's fenced transactional producer commits.</li>
 *   <li><b>A request acts at most once.</b> Its marker ({@code kafka-request/<id>} on
 *       berth.client-tokens) rides in the transaction of every plan the request commits (T1), so a
 *       request whose plan is in Kafka is known to have acted, by any later leader.</li>
 *   <li><b>A record is answered exactly once.</b> Its response (or dead letter and error), the
 *       marker with the response, and the record's position are one transaction (T2). Until T2
 *       commits, the record is read again: its marker then answers the stored response, or says
 *       that the request acted but its answer was lost (RunTask and CreateService carry a
 *       clientToken derived from the request id, and answer what the first run did).</li>
 *   <li><b>Poison never stops the consumer.</b> A record that is no request gets a dead letter,
 *       and an error response when it has an id, in the same transaction as its position.</li>
 * </ul>
 *
 * <p>Why not SmallRye Reactive Messaging's {@code KafkaTransactions}, as DESIGN.md first said:
 * its transactions belong to the channel's own producer, with a {@code transactional.id} of
 * its own. Giving it the leader's id would make the two producers fence each other; giving it
 * another id would put the offset commit and the response in a transaction apart from the
 * plan's, written by a producer that a new leader does not fence. Exactly once from request
 * to state needs {@code sendOffsetsToTransaction} on the producer that writes the plan, so the
 * plain Kafka client does it, inside {@code LeaderWriter}.
 */
package dev.berth.api.kafka;
