package dev.berth.scheduler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The scheduler role's settings (env {@code BERTH_SCHEDULER_*}). */
@ConfigMapping(prefix = "berth.scheduler")
public interface SchedulerConfig {

    /**
     * The partition of every ARN the API returns and berth.events carries ({@code aws},
     * {@code aws-cn}, ...: lower-case letters and {@code -}). Clients parse ARNs.
     */
    @WithDefault("aws")
    @WithConverter(ArnPart.Partition.class)
    String arnPartition();

    /**
     * The region of every ARN the API returns and of berth.events' envelope (lower-case
     * letters, digits and {@code -}); clients usually send the same region.
     */
    @WithDefault("us-east-1")
    @WithConverter(ArnPart.Region.class)
    String region();

    /** The account id of every ARN the API returns and of berth.events' envelope: 12 digits. */
    @WithDefault("000000000000")
    @WithConverter(ArnPart.Account.class)
    String account();

    /**
     * How old an agent's last heartbeat may be before its container instance shows
     * {@code agentConnected=false} and gets no new tasks; the leader then records the agent
     * disconnected on berth.instance-control, which berth.events shows. Agents heartbeat every
     * 10s, so the default tolerates five lost heartbeats and a short Kafka hiccup.
     */
    @WithDefault("60s")
    Duration agentHeartbeatTimeout();

    /**
     * How long a container instance may send no heartbeat before the scheduler counts it lost:
     * its tasks are then marked STOPPED (stopCode TerminationNotice, a reason naming the
     * instance) and their capacity is released. An agent that comes back later reports the
     * truth and stops what it still runs. Longer than the heartbeat timeout.
     */
    @WithDefault("5m")
    Duration instanceLostAfter();

    /**
     * How long a STOPPED task stays visible to DescribeTasks and ListTasks after it stopped
     * (ECS keeps them for about an hour), counted from when the scheduler saw it stopped, by its
     * own clock (the agent's may differ; a restarted scheduler counts from its start).
     */
    @WithDefault("1h")
    Duration stoppedTaskRetention();

    /**
     * How often the scheduler compares all tasks with what their agents report, and acts:
     * a task that stopped on its own gets desired status STOPPED, a STOPPED task past the
     * retention is tombstoned. Up to 20% jitter is added.
     */
    @WithDefault("10s")
    Duration reconcileInterval();

    /**
     * The consumer group in which scheduler replicas elect their leader. Replicas of one Berth
     * share it; two Berths on one Kafka need different groups (and different topic names).
     */
    @WithDefault("berth-scheduler")
    String groupId();

    /**
     * The transactional id of the leader's producer. Every leader uses the same one, so that a
     * new leader fences the old one: its late writes fail. Share it between replicas of one
     * Berth, never between two Berths.
     */
    @WithDefault("berth-scheduler")
    String transactionalId();

    /**
     * How long the group waits for a silent replica before it is evicted and, if it led,
     * another is elected. Failover takes about this long plus the new leader's catch-up.
     */
    @WithDefault("10s")
    Duration sessionTimeout();

    /**
     * This replica's name in the election ({@code group.instance.id}) and in leader records.
     * Each replica needs its own, and keeps it across restarts: a scheduler that restarts
     * under the same name takes its own place in the group at once, without waiting for the
     * session timeout. Letters, digits, {@code .}, {@code _} and {@code -} only (Kafka's
     * rule). Default: {@code <host name>-<quarkus.http.port>}.
     */
    Optional<String> replicaId();

    /**
     * The URL where this replica's ECS API answers other replicas, which forward writes to the
     * leader: scheme, host and port ({@link ApiUrlConverter}). Default:
     * {@code http://<host name>:<quarkus.http.port>}.
     */
    Optional<@WithConverter(ApiUrlConverter.class) String> advertisedUrl();
}
