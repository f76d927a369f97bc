package dev.berth.app.health;

import dev.berth.app.BerthConfig;
import dev.berth.app.Role;
import dev.berth.app.RoleLauncher;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.KafkaSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness checks on Kafka, registered only for the roles this process plays:
 * <ul>
 *   <li>{@code kafka} (scheduler or agent role): the configured Kafka answers;</li>
 *   <li>{@code kafka-broker} (kafka role): the embedded broker is up and answers.</li>
 * </ul>
 */
@ApplicationScoped
public class KafkaHealth {

    private final HealthRegistry readiness;
    private final KafkaSettings settings;
    private final RoleLauncher launcher;
    private final List<KafkaReachability> checks = new ArrayList<>();

    public KafkaHealth(@Readiness HealthRegistry readiness, KafkaSettings settings, RoleLauncher launcher) {
        this.readiness = readiness;
        this.settings = settings;
        this.launcher = launcher;
    }

    /** After the role launcher (priority 100): the embedded broker is up by then. */
    void register(@Observes StartupEvent event, BerthConfig config) {
        Set<Role> roles = config.roles();
        if (roles.contains(Role.kafka)) {
            add("kafka-broker", () -> launcher.embeddedBroker().map(KafkaHealth::brokerAdmin));
        }
        if (roles.contains(Role.scheduler) || roles.contains(Role.agent)) {
            add("kafka", () -> Optional.of(new KafkaClients(settings, "berth-health").admin()));
        }
    }

    private synchronized void add(String name, Supplier<Optional<Admin>> admins) {
        KafkaReachability check = new KafkaReachability(name, admins, Clock.systemUTC());
        checks.add(check);
        readiness.register(name, check);
        check.ask();
    }

    private static Admin brokerAdmin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "berth-health-broker"));
    }

    synchronized void close(@Observes ShutdownEvent event) {
        for (KafkaReachability check : checks) {
            check.close();
        }
        checks.clear();
    }
}
