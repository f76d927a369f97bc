package dev.berth.bench;

import dev.berth.model.ContainerStatus;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TaskStateChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * One thread that reads {@code berth.tasks} (committed records only, as the agent does) for
 * every hollow instance at once, and reports each task placed on one of them: RUNNING while it
 * is desired RUNNING, STOPPED once it is desired STOPPED. Each report is the whole task, with a
 * version above the last, as the real agent's are.
 */
final class HollowTaskReader implements Runnable {

    private static final Duration POLL = Duration.ofMillis(200);

    /** The last status reported for a task, and its version. */
    private record Reported(TaskStatus status, long version) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final String tasksTopic;
    private final String eventsTopic;
    private final Set<String> instanceIds;
    private final Clock clock = Clock.systemUTC();
    private final RecordCodec codec = new RecordCodec();
    private final Map<String, Reported> reported = new ConcurrentHashMap<>();
    private final AtomicReference<DesiredTask> template = new AtomicReference<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();

    HollowTaskReader(KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer,
            String tasksTopic, String eventsTopic, Set<String> instanceIds) {
        this.consumer = consumer;
        this.producer = producer;
        this.tasksTopic = tasksTopic;
        this.eventsTopic = eventsTopic;
        this.instanceIds = instanceIds;
    }

    @Override
    public void run() {
        List<TopicPartition> partitions = consumer.partitionsFor(tasksTopic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        try {
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    onRecord(record);
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the poll: the reader is done
        } finally {
            consumer.close();
        }
    }

    private void onRecord(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            reported.remove(record.key());
            return;
        }
        if (!(codec.decode(record.value()) instanceof RecordCodec.Decoded.Record r)
                || !(r.value() instanceof DesiredTask task)) {
            return;
        }
        if (!instanceIds.contains(task.instanceId())) {
            foreign.incrementAndGet();
            return;
        }
        template.compareAndSet(null, task);
        TaskStatus wanted = task.desiredStatus() == TaskStatus.STOPPED ? TaskStatus.STOPPED : TaskStatus.RUNNING;
        Reported last = reported.get(task.taskId());
        if (last != null && last.status() == wanted) {
            return;
        }
        long version = (last == null ? 0 : last.version()) + 1;
        reported.put(task.taskId(), new Reported(wanted, version));
        producer.send(new ProducerRecord<>(eventsTopic, task.taskId(), codec.encode(report(task, wanted, version))),
                (metadata, e) -> (e == null ? acknowledged : failed).incrementAndGet());
    }

    private TaskStateChange report(DesiredTask task, TaskStatus status, long version) {
        Instant now = clock.instant();
        boolean running = status == TaskStatus.RUNNING;
        List<ContainerState> containers = task.taskDefinition().containerDefinitions().stream()
                .map(c -> new ContainerState(c.name(), "hollow-" + task.taskId() + "-" + c.name(), c.image(),
                        running ? ContainerStatus.RUNNING : ContainerStatus.STOPPED, running ? null : 0, null,
                        List.of()))
                .toList();
        return new TaskStateChange(BerthRecord.SCHEMA_VERSION, version, task.taskId(), task.cluster(),
                task.instanceId(), status, containers, running ? null : task.stopCode(),
                running ? null : task.stoppedReason(), now, now, now, running ? null : now, running ? null : now,
                now);
    }

    /** Whether the task has been read on berth.tasks and its report sent. */
    boolean hasSeen(String taskId) {
        return reported.containsKey(taskId);
    }

    /** Tasks read and reported so far (their latest desired status). */
    int seen() {
        return reported.size();
    }

    /** A desired task the scheduler wrote, to copy when seeding Kafka with more like it. */
    DesiredTask template() {
        return template.get();
    }

    long acknowledged() {
        return acknowledged.get();
    }

    long failed() {
        return failed.get();
    }

    /** Desired tasks for instances that are not hollow ones (there should be none). */
    long foreign() {
        return foreign.get();
    }

    void stop() {
        consumer.wakeup();
    }
}
