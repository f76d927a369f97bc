package dev.berth.messaging;

import dev.berth.protocol.Backoff;
import dev.berth.protocol.KafkaClients;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Elects one leader among the replicas of a role through Kafka's group membership, as Kafka
 * Connect and Schema Registry elect theirs: every replica joins the same consumer group on a
 * one-partition topic, and the member that the coordinator assigns partition 0 leads. A
 * leader whose process dies or stops heartbeating is evicted after the session timeout and
 * the partition moves to another member.
 *
 * <p>The listener learns each change on this election's own thread, in order. It must not
 * block for long: the group waits for the member during a rebalance.
 */
public final class LeaderElection implements Runnable, AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(LeaderElection.class);
    private static final Duration POLL = Duration.ofMillis(500);

    /** Learns when this replica becomes leader and when it stops being one. */
    public interface Listener {
        void elected();

        void deposed(String why);
    }

    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaClients clients;
    private final String topic;
    private final String groupId;
    private final String memberId;
    private final Duration sessionTimeout;
    private final Listener listener;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean rejoin = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean leading;

    /**
     * @param memberId this replica's stable name in the group ({@code group.instance.id}):
     *                 unique per replica, the same across its restarts
     */
    public LeaderElection(KafkaClients clients, String topic, String groupId, String memberId,
            Duration sessionTimeout, Listener listener) {
        this.clients = clients;
        this.topic = topic;
        this.groupId = groupId;
        this.memberId = memberId;
        this.sessionTimeout = sessionTimeout;
        this.listener = listener;
    }

    /** Whether the group has made this replica the leader (it may not have caught up yet). */
    public boolean isLeading() {
        return leading;
    }

    /**
     * Asks the group's coordinator, now, whether this replica holds partition 0: for a leader
     * whose last write's outcome is unknown (it may have been cut off from Kafka long enough
     * to be evicted, without hearing it). Empty when the coordinator cannot say (out of reach).
     */
    public java.util.Optional<Boolean> confirmLeading() {
        TopicPartition leadership = new TopicPartition(topic, 0);
        try (org.apache.kafka.clients.admin.Admin admin = clients.admin()) {
            org.apache.kafka.clients.admin.ConsumerGroupDescription group = admin
                    .describeConsumerGroups(List.of(groupId)).all().get(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(groupId);
            for (org.apache.kafka.clients.admin.MemberDescription member : group.members()) {
                if (member.assignment().topicPartitions().contains(leadership)) {
                    return java.util.Optional.of(memberId.equals(member.groupInstanceId().orElse(null)));
                }
            }
            // Nobody holds it: a rebalance is under way, whose outcome the election will tell.
            return java.util.Optional.of(false);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                | RuntimeException e) {
            LOGGER.debugf("Cannot ask group %s who leads: %s", groupId, e.getMessage());
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /**
     * Leaves the group and joins again: for a leader that learnt from elsewhere (its producer
     * was fenced) that another replica leads. Called from any thread.
     */
    public void stepDown() {
        rejoin.set(true);
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    @Override
    public void run() {
        Backoff backoff = new Backoff(clients.settings().retryBackoff(), clients.settings().retryBackoffMax());
        while (running.get()) {
            KafkaConsumer<String, byte[]> c = null;
            boolean leave = true;
            try {
                c = clients.groupMember("election", groupId, memberId, sessionTimeout);
                consumer = c;
                c.subscribe(List.of(topic), new Membership(c));
                while (running.get() && !rejoin.get()) {
                    c.poll(POLL);
                    backoff.reset();
                }
            } catch (WakeupException e) {
                LOGGER.debugf("Election for %s woken up", groupId);
            } catch (FencedInstanceIdException e) {
                leave = false;
                LOGGER.errorf("Another scheduler joined group %s as %s: every replica needs its own "
                        + "berth.scheduler.replica-id. Retrying", groupId, memberId);
            } catch (RuntimeException e) {
                if (running.get()) {
                    LOGGER.warnf("Election for %s cannot reach Kafka at %s (%s); retrying", groupId,
                            clients.settings().bootstrapServers(),
                            e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause().getMessage());
                }
            } finally {
                consumer = null;
                lose("left the group");
                close(c, leave);
            }
            boolean steppingDown = rejoin.getAndSet(false);
            if (running.get() && !pause(steppingDown ? sessionTimeout : backoff.nextDelay())) {
                break;
            }
        }
    }

    /**
     * A static member stays in the group when it closes, unless told to leave: leave on a
     * clean stop or a step-down, so that another replica leads at once.
     */
    private static void close(KafkaConsumer<String, byte[]> c, boolean leave) {
        if (c == null) {
            return;
        }
        try {
            c.close(CloseOptions.groupMembershipOperation(leave ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                    : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP).withTimeout(Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            LOGGER.debugf("Closing the election's consumer: %s", e.getMessage());
        }
    }

    private boolean pause(Duration delay) {
        try {
            return !closed.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void lose(String why) {
        if (leading) {
            leading = false;
            LOGGER.infof("No longer the leader of %s: %s", groupId, why);
            listener.deposed(why);
        }
    }

    @Override
    public void close() {
        running.set(false);
        closed.countDown();
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Turns assignments of partition 0 into elections and depositions. */
    private final class Membership implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> member;

        Membership(KafkaConsumer<String, byte[]> member) {
            this.member = member;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Membership only: nothing on the topic is read through the group.
            member.pause(member.assignment());
            if (!leading && partitions.contains(new TopicPartition(topic, 0))) {
                leading = true;
                LOGGER.infof("Elected leader of %s", groupId);
                listener.elected();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.contains(new TopicPartition(topic, 0))) {
                lose("the group moved the leadership to another member");
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (partitions.contains(new TopicPartition(topic, 0))) {
                lose("this member was evicted from the group (no heartbeat within the session timeout)");
            }
        }
    }
}
