package dev.berth.protocol;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Makes Kafka clients with Berth's semantics: producers are idempotent with
 * {@code acks=all} (an acknowledged write survives a broker dying), consumers read without a
 * group from the positions the caller chooses and never auto-commit.
 */
public final class KafkaClients {

    /**
     * First wait before a transactional request is sent again. A transaction that begins while
     * the markers of the one before are still being written gets CONCURRENT_TRANSACTIONS for its
     * offsets (TxnOffsetCommit) and is retried after this; the markers take milliseconds, and
     * Kafka's 100 ms default put that wait in the slowest answers of berth.requests and
     * berth.events. Later retries back off exponentially up to {@code retry.backoff.max.ms}
     * (1 s), so a broker that is down is not hammered.
     */
    static final Duration TRANSACTION_RETRY_BACKOFF = Duration.ofMillis(5);

    private final KafkaSettings settings;
    private final String clientIdPrefix;

    public KafkaClients(KafkaSettings settings, String clientIdPrefix) {
        this.settings = settings;
        this.clientIdPrefix = clientIdPrefix;
    }

    public KafkaSettings settings() {
        return settings;
    }

    private Map<String, Object> common(String purpose) {
        Map<String, Object> props = new HashMap<>();
        // Unless settings.client() says otherwise: no client metrics pushed to the brokers (the
        // telemetry reporter and its protobuf classes stay unloaded) and no JMX MBean per metric.
        props.put(CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG, false);
        props.put(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, "");
        props.putAll(settings.client());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientIdPrefix + "-" + purpose + "-" + shortId());
        props.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, (int) settings.retryBackoffMax().toMillis());
        settings.securityProtocol().ifPresent(v -> props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, v));
        settings.saslMechanism().ifPresent(v -> props.put("sasl.mechanism", v));
        settings.saslJaasConfig().ifPresent(v -> props.put("sasl.jaas.config", v));
        settings.sslTruststoreLocation().ifPresent(v -> props.put("ssl.truststore.location", v));
        settings.sslTruststorePassword().ifPresent(v -> props.put("ssl.truststore.password", v));
        settings.sslTruststoreType().ifPresent(v -> props.put("ssl.truststore.type", v));
        return props;
    }

    public KafkaProducer<String, byte[]> producer(String purpose) {
        return new KafkaProducer<>(producerProps(purpose), new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * As {@link #producer(String)}, with records waiting up to {@code linger} to be batched
     * (zero: sent at once, for a writer whose every record someone waits for).
     */
    public KafkaProducer<String, byte[]> producer(String purpose, Duration linger) {
        Map<String, Object> props = producerProps(purpose);
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private Map<String, Object> producerProps(String purpose) {
        Map<String, Object> props = common(purpose);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(settings.sendTimeout().toMillis(), 10_000));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(settings.sendTimeout().toMillis(), 5_000));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.sendTimeout().toMillis());
        return props;
    }

    /**
     * A producer whose writes are transactions under a stable {@code transactional.id}: a new
     * producer with the same id (a new leader) fences this one, and its later writes fail with
     * {@code ProducerFencedException}. A transaction left open by a paused writer blocks
     * {@code read_committed} readers at most {@code transactionTimeout}, unless a new producer
     * aborts it sooner.
     */
    public KafkaProducer<String, byte[]> transactionalProducer(String purpose, String transactionalId,
            Duration transactionTimeout) {
        Map<String, Object> props = new HashMap<>(producerProps(purpose));
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, (int) TRANSACTION_RETRY_BACKOFF.toMillis());
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * A static member of a consumer group, for membership only (leader election): it never
     * commits, and it is evicted from the group after {@code sessionTimeout} without a heartbeat.
     */
    public KafkaConsumer<String, byte[]> groupMember(String purpose, String groupId, String staticMemberId,
            Duration sessionTimeout) {
        Map<String, Object> props = common(purpose);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // Static membership: a member that restarts under the same id takes its own place at
        // once, instead of waiting for the session timeout to evict its previous incarnation.
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, staticMemberId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, sessionTimeout.toMillis() / 4));
        // Sticky and cooperative: a member that joins never takes a partition from a live owner,
        // so a new replica does not depose the leader.
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    public KafkaConsumer<String, byte[]> consumer(String purpose) {
        Map<String, Object> props = common(purpose);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A reader replays its topics at start-up and decodes each poll on all cores: polls of
        // 5,000 records keep the cores busy where Kafka's 500 left them waiting between polls.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A consumer that assigns its partitions itself and starts from the positions that
     * {@code groupId} committed. It never joins the group nor commits: its reader's
     * transactional producer commits the positions, in the transaction of what it wrote.
     */
    /** How soon a consumer of {@link #positionedConsumer} sees partitions added to its topics. */
    public static final java.time.Duration PARTITIONS_SEEN_WITHIN = java.time.Duration.ofSeconds(10);

    public KafkaConsumer<String, byte[]> positionedConsumer(String purpose, String groupId) {
        return new KafkaConsumer<>(positionedProps(purpose, groupId), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * As {@link #positionedConsumer}, with the keys as their bytes: for a topic that any producer
     * writes, whose keys may be no UTF-8 (a {@code StringDeserializer} would replace what is not
     * with U+FFFD, and two keys could read as one).
     */
    public KafkaConsumer<byte[], byte[]> positionedConsumerOfBytes(String purpose, String groupId) {
        return new KafkaConsumer<>(positionedProps(purpose, groupId), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    private Map<String, Object> positionedProps(String purpose, String groupId) {
        Map<String, Object> props = common(purpose);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Partitions added to a topic it serves are seen within this, not Kafka's default 5 minutes.
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) PARTITIONS_SEEN_WITHIN.toMillis());
        return props;
    }

    public Admin admin() {
        Map<String, Object> props = common("admin");
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        return Admin.create(props);
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
