/**
 * Kafka I/O that roles share beyond reading and writing records: the election of one leader
 * among replicas through Kafka's group membership.
 *
 * <pre>
 *   replicas ──join group──▶ coordinator ──assigns the one partition of berth.scheduler-leader──▶ leader
 *   leader  ──initTransactions(fixed transactional.id)──▶ every older producer with that id is fenced
 * </pre>
 *
 * Membership only picks who may try to lead. Safety comes from the fenced producer: a replica
 * that still believes it leads after the group has moved on (paused, partitioned) can no
 * longer commit a transaction, so it can never write.
 */
package dev.berth.messaging;
