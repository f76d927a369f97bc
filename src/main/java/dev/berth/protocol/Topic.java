package dev.berth.protocol;

/**
 * Berth's topics (DESIGN.md §2). The names are configured ({@link KafkaSettings.Topics});
 * the cleanup policy, the partitioning and the writer role are part of the contract and are not.
 */
public enum Topic {
    CLUSTERS("compact"),
    TASK_DEFINITIONS("compact"),
    SERVICES("compact"),
    /** Dated by the broker, so that the scheduler never reads a heartbeat's age off the agent's clock. */
    INSTANCES("compact", 0, true),
    INSTANCE_CONTROL("compact"),
    TASKS("compact"),
    TASK_EVENTS("compact"),
    DEAD_LETTERS("delete"),
    /** One partition: the schedulers' election is the group membership of its only partition. */
    SCHEDULER_LEADER("compact", 1, false),
    CLIENT_TOKENS("compact"),
    /** ECS account settings per principal, keyed {@code <principalArn> <name>}. */
    ACCOUNT_SETTINGS("compact"),
    /** Public: ECS operations from any producer, keyed by request id; consumed by the scheduler leader only. */
    REQUESTS("delete"),
    /** Public: one answer per request record, keyed by its request id; written by the scheduler leader. */
    RESPONSES("delete"),
    /**
     * Public: ECS events in EventBridge's envelope, keyed by resource ARN; written by the
     * scheduler leader only, in the transactions that commit the positions it derived them from.
     */
    EVENTS("delete");

    /** Marks a topic created with {@link KafkaSettings#partitions()} partitions (0: enum constants cannot name it). */
    private static final int CONFIGURED = 0;

    private final String cleanupPolicy;
    private final int fixedPartitions;
    private final boolean logAppendTime;

    Topic(String cleanupPolicy) {
        this(cleanupPolicy, CONFIGURED, false);
    }

    Topic(String cleanupPolicy, int fixedPartitions, boolean logAppendTime) {
        this.cleanupPolicy = cleanupPolicy;
        this.fixedPartitions = fixedPartitions;
        this.logAppendTime = logAppendTime;
    }

    /** Whether records carry the broker's log-append time rather than the producer's clock. */
    public boolean hasLogAppendTime() {
        return logAppendTime;
    }

    public String cleanupPolicy() {
        return cleanupPolicy;
    }

    /** How many partitions Berth creates the topic with. */
    public int partitions(KafkaSettings settings) {
        return fixedPartitions == CONFIGURED ? settings.partitions() : fixedPartitions;
    }

    /** Whether the partition count is part of the contract (an existing topic must match it). */
    public boolean hasFixedPartitions() {
        return fixedPartitions != CONFIGURED;
    }

    public String name(KafkaSettings settings) {
        KafkaSettings.Topics t = settings.topics();
        return switch (this) {
            case CLUSTERS -> t.clusters();
            case TASK_DEFINITIONS -> t.taskDefinitions();
            case SERVICES -> t.services();
            case INSTANCES -> t.instances();
            case INSTANCE_CONTROL -> t.instanceControl();
            case TASKS -> t.tasks();
            case TASK_EVENTS -> t.taskEvents();
            case DEAD_LETTERS -> t.deadLetters();
            case SCHEDULER_LEADER -> t.schedulerLeader();
            case CLIENT_TOKENS -> t.clientTokens();
            case ACCOUNT_SETTINGS -> t.accountSettings();
            case REQUESTS -> t.requests();
            case RESPONSES -> t.responses();
            case EVENTS -> t.events();
        };
    }
}
