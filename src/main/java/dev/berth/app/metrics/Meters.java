package dev.berth.app.metrics;

import dev.berth.model.TaskStatus;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicReader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Berth's metric names and the gauges both roles register the same way. Every name is
 * {@code berth.*} (Prometheus: {@code berth_*}); tag values come from small fixed sets
 * (statuses, reasons, call names, topics), never from task or container ids.
 */
final class Meters {

    static final String TASKS = "berth.tasks";
    static final String PLACEMENTS = "berth.placements";
    static final String RECONCILE = "berth.reconcile";
    static final String REQUEST_ANSWERS_APART = "berth.request.answers.apart";
    static final String DOCKER_CALL = "berth.docker.call";
    static final String CONSUMER_LAG = "berth.consumer.lag";
    static final String STATE_CHANGES_BUFFERED = "berth.state.changes.buffered";
    static final String INSTANCES_SHARED = "berth.container.instances.shared";

    private Meters() {
    }

    /**
     * Removes a gauge registered before under the same name and tags: a registry that outlives
     * an application restart (Quarkus tests restart it in one JVM) would otherwise keep the old
     * gauge, whose function reads the stopped application's beans, and ignore the new one.
     */
    static void replaced(MeterRegistry registry, String name, String... tags) {
        io.micrometer.core.instrument.Gauge old = registry.find(name).tags(tags).gauge();
        if (old != null) {
            registry.remove(old);
        }
    }

    /** {@code berth_tasks{role,status}}: one gauge per status, zero when the role holds none. */
    static void tasksByStatus(MeterRegistry registry, String role, Supplier<Optional<Map<TaskStatus, Integer>>> counts) {
        for (TaskStatus status : TaskStatus.values()) {
            replaced(registry, TASKS, "role", role, "status", status.name());
            Gauge.builder(TASKS, () -> counts.get().map(c -> c.getOrDefault(status, 0)).orElse(0))
                    .description("Tasks by last known status")
                    .tag("role", role)
                    .tag("status", status.name())
                    .register(registry);
        }
    }

    /** {@code berth_consumer_lag_records{reader,topic}}: NaN until the reader has polled. */
    static void consumerLag(MeterRegistry registry, KafkaSettings settings, String reader, Iterable<Topic> topics,
            Supplier<Optional<TopicReader>> readers) {
        for (Topic topic : topics) {
            replaced(registry, CONSUMER_LAG, "reader", reader, "topic", topic.name(settings));
            Gauge.builder(CONSUMER_LAG, () -> readers.get()
                            .map(r -> (Number) r.lag().get(topic))
                            .orElse(Double.NaN))
                    .description("Records between a reader's position and the end of its partitions")
                    .baseUnit("records")
                    .tag("reader", reader)
                    .tag("topic", topic.name(settings))
                    .register(registry);
        }
    }
}
