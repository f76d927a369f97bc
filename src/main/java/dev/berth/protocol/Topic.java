package dev.berth.protocol;

/**
 * Berth's topics (DESIGN.md §2). The names are configured ({@link KafkaSettings.Topics});
 * the cleanup policy and the writer role are part of the contract and are not.
 */
public enum Topic {
    CLUSTERS("compact"),
    TASK_DEFINITIONS("compact"),
    SERVICES("compact"),
    INSTANCES("compact"),
    INSTANCE_CONTROL("compact"),
    TASKS("compact"),
    TASK_EVENTS("compact"),
    DEAD_LETTERS("delete");

    private final String cleanupPolicy;

    Topic(String cleanupPolicy) {
        this.cleanupPolicy = cleanupPolicy;
    }

    public String cleanupPolicy() {
        return cleanupPolicy;
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
        };
    }
}
