package dev.berth.testing;

import dev.berth.protocol.KafkaSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link KafkaSettings} outside Quarkus, for tests that drive the protocol classes directly.
 * The mapping is built by SmallRye Config exactly as Quarkus builds it, so every
 * {@code @WithDefault} of the interface applies and only what a test sets differs.
 *
 * <pre>{@code
 * KafkaSettings settings = TestKafkaSettings.builder(kafka.bootstrapServers())
 *         .topicPrefix("it-replay")          // berth.tasks becomes it-replay.berth.tasks
 *         .with("partitions", "3")
 *         .with("send-timeout", "2s")
 *         .build();
 * }</pre>
 *
 * A topic prefix per test keeps tests that share one broker apart.
 */
public final class TestKafkaSettings {

    private static final String PREFIX = "berth.kafka.";
    private static final String[] TOPICS = {"clusters", "task-definitions", "services", "instances",
        "instance-control", "tasks", "task-events", "dead-letters", "scheduler-leader", "client-tokens", "requests",
        "responses", "account-settings", "events"};

    private final Map<String, String> properties = new HashMap<>();

    private TestKafkaSettings(String bootstrapServers) {
        with("bootstrap-servers", bootstrapServers);
        // Tests wait for outcomes with Awaitility: keep retries quick.
        with("retry-backoff", "100ms");
        with("retry-backoff-max", "1s");
    }

    /** Defaults for everything but the bootstrap servers. */
    public static KafkaSettings of(String bootstrapServers) {
        return builder(bootstrapServers).build();
    }

    public static TestKafkaSettings builder(String bootstrapServers) {
        return new TestKafkaSettings(bootstrapServers);
    }

    /**
     * Sets one property below {@code berth.kafka.}, in its configuration spelling:
     * {@code partitions}, {@code send-timeout}, {@code topics.tasks}, {@code client."linger.ms"}.
     */
    public TestKafkaSettings with(String property, String value) {
        properties.put(PREFIX + property, value);
        return this;
    }

    /** Names every topic {@code <prefix>.berth.<topic>}. */
    public TestKafkaSettings topicPrefix(String prefix) {
        for (String topic : TOPICS) {
            with("topics." + topic, prefix + ".berth." + topic);
        }
        return this;
    }

    public KafkaSettings build() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(KafkaSettings.class)
                // Quarkus's own converter, so "1s" and "PT1S" both read as they do in Berth
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "TestKafkaSettings", 500))
                .build();
        return config.getConfigMapping(KafkaSettings.class);
    }
}
