package dev.berth.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Listeners of the embedded broker ({@code kafka} role). Its data directory is not here: it is
 * always {@code <berth.data-dir>/kafka}.
 */
@ConfigMapping(prefix = "berth.kafka.embedded")
public interface EmbeddedKafkaConfig {

    /**
     * Address that the client listener binds to and advertises, and that the controller
     * listener binds to. Loopback by default: the embedded broker serves this host only.
     */
    @WithDefault(EmbeddedKafkaBroker.Settings.DEFAULT_HOST)
    String host();

    /** Port of the client listener, the one in the bootstrap servers. {@code 0} picks a free port. */
    @WithDefault("" + EmbeddedKafkaBroker.Settings.DEFAULT_PORT)
    int port();

    /** Port of the KRaft controller listener, used only inside the broker. {@code 0} picks a free port. */
    @WithDefault("" + EmbeddedKafkaBroker.Settings.DEFAULT_CONTROLLER_PORT)
    int controllerPort();
}
