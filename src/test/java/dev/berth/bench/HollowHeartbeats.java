package dev.berth.bench;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import dev.berth.protocol.RecordCodec;

/**
 * One thread that heartbeats every hollow instance on its own schedule: every
 * {@code interval} with up to 20% jitter, first beats spread over one interval, so thousands
 * of instances never beat in step (as real agents do not).
 */
final class HollowHeartbeats implements Runnable {

    /** How often the thread looks for instances due; a heartbeat is late by at most this. */
    private static final Duration TICK = Duration.ofMillis(100);
    private static final double JITTER = 0.2;

    private final List<HollowInstance> instances;
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Duration interval;
    private final Clock clock = Clock.systemUTC();
    private final Random random = new Random(7);
    private final RecordCodec codec = new RecordCodec();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;

    HollowHeartbeats(List<HollowInstance> instances, KafkaProducer<String, byte[]> producer, String topic,
            Duration interval) {
        this.instances = instances;
        this.producer = producer;
        this.topic = topic;
        this.interval = interval;
    }

    /** Spreads the first heartbeats over one interval from now. */
    void spreadFirstBeats() {
        long now = System.nanoTime();
        for (HollowInstance instance : instances) {
            instance.scheduleNext(now + (long) (random.nextDouble() * interval.toNanos()));
        }
    }

    @Override
    public void run() {
        while (running) {
            long now = System.nanoTime();
            for (HollowInstance instance : instances) {
                if (instance.isDue(now)) {
                    beat(instance);
                    long jitter = (long) (random.nextDouble() * JITTER * interval.toNanos());
                    instance.scheduleNext(now + interval.toNanos() + jitter);
                }
            }
            pace();
        }
    }

    /** Sends one registration now, and waits until Kafka acknowledged all of them. */
    void registerAll() {
        for (HollowInstance instance : instances) {
            beat(instance);
        }
        producer.flush();
    }

    private void beat(HollowInstance instance) {
        producer.send(new ProducerRecord<>(topic, instance.instanceId(), codec.encode(instance.heartbeat(clock))),
                (metadata, e) -> (e == null ? sent : failed).incrementAndGet());
    }

    private void pace() {
        try {
            BenchWait.pace(TICK);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    void stop() {
        running = false;
    }
}
