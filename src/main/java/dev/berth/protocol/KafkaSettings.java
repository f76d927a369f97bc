package dev.berth.protocol;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** How every role reaches Kafka and names its topics. Env: {@code BERTH_KAFKA_*}. */
@ConfigMapping(prefix = "berth.kafka")
public interface KafkaSettings {

    /**
     * Bootstrap servers. {@code KAFKA_BOOTSTRAP_SERVERS} sets it too; with the embedded
     * {@code kafka} role this is the embedded broker.
     */
    @WithDefault("127.0.0.1:9092")
    String bootstrapServers();

    /** Partitions of each topic when Berth creates it; bounds how many agents share a partition of berth.tasks. */
    @WithDefault("6")
    @WithConverter(AtLeastOne.Int.class)
    int partitions();

    /** Replication factor of the topics Berth creates: 1 for one broker, 3 in production. */
    @WithDefault("1")
    @WithConverter(AtLeastOne.Short.class)
    short replicationFactor();

    /** First wait after a failed attempt to reach Kafka; doubles up to {@link #retryBackoffMax()}. */
    @WithDefault("1s")
    Duration retryBackoff();

    /** Longest wait between attempts to reach Kafka. */
    @WithDefault("30s")
    Duration retryBackoffMax();

    /** How long an acknowledged write may take before the caller gets an error. */
    @WithDefault("15s")
    Duration sendTimeout();

    /** {@code security.protocol}: PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL. */
    Optional<String> securityProtocol();

    /** {@code sasl.mechanism}, e.g. PLAIN or SCRAM-SHA-512. */
    Optional<String> saslMechanism();

    /** {@code sasl.jaas.config}: the login module and credentials. Keep it in a secret. */
    Optional<String> saslJaasConfig();

    /** {@code ssl.truststore.location}: a PKCS12 or JKS file with the brokers' CA. */
    Optional<String> sslTruststoreLocation();

    /** {@code ssl.truststore.password}. */
    Optional<String> sslTruststorePassword();

    /** {@code ssl.truststore.type}, PKCS12 or JKS. */
    Optional<String> sslTruststoreType();

    /**
     * Extra client properties for every producer, consumer and admin client: TLS and SASL
     * settings, e.g. {@code berth.kafka.client."security.protocol"=SASL_SSL}.
     */
    Map<String, String> client();

    Topics topics();

    /** Topic names. */
    interface Topics {
        @WithDefault("berth.clusters")
        String clusters();

        @WithDefault("berth.task-definitions")
        String taskDefinitions();

        @WithDefault("berth.services")
        String services();

        @WithDefault("berth.instances")
        String instances();

        @WithDefault("berth.instance-control")
        String instanceControl();

        @WithDefault("berth.tasks")
        String tasks();

        @WithDefault("berth.task-events")
        String taskEvents();

        @WithDefault("berth.dead-letters")
        String deadLetters();

        @WithDefault("berth.scheduler-leader")
        String schedulerLeader();

        @WithDefault("berth.client-tokens")
        String clientTokens();

        /** ECS account settings per principal (PutAccountSetting, PutAccountSettingDefault). */
        @WithDefault("berth.account-settings")
        String accountSettings();

        /** Public: ECS operations that any Kafka producer may send (README, "Drive Berth from Kafka"). */
        @WithDefault("berth.requests")
        String requests();

        /** Public: the scheduler's answer to each record of {@link #requests()}. */
        @WithDefault("berth.responses")
        String responses();

        /**
         * Public: ECS events in EventBridge's envelope, keyed by resource ARN; written by the
         * scheduler leader (README, "Watch Berth's events").
         */
        @WithDefault("berth.events")
        String events();
    }
}
