package dev.berth.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Set;

/** What this Berth process is. */
@ConfigMapping(prefix = "berth")
public interface BerthConfig {

    /**
     * The roles this process plays, a comma list of {@code kafka}, {@code scheduler},
     * {@code agent} (env {@code BERTH_ROLES}). The default, all three, is a working one-host
     * Berth.
     */
    @WithDefault("kafka,scheduler,agent")
    Set<Role> roles();

    /**
     * Where Berth keeps local files (env {@code BERTH_DATA_DIR}): the agent's instance id and
     * the embedded broker's log. Only a cache or an identity: the state lives in Kafka.
     */
    @WithDefault("${user.home}/.berth")
    String dataDir();
}
