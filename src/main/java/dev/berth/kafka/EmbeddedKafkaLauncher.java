package dev.berth.kafka;

import dev.berth.app.EmbeddedKafkaRole;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Set;

/**
 * Plugs the embedded broker into {@link EmbeddedKafkaRole}. Being a bean of this package, it
 * disappears with the package from the native build, and the role with it. Unremovable: it is
 * only ever looked up, through {@code Instance<Launcher>}.
 */
@Unremovable
@ApplicationScoped
class EmbeddedKafkaLauncher implements EmbeddedKafkaRole.Launcher {

    private final EmbeddedKafkaConfig config;

    EmbeddedKafkaLauncher(EmbeddedKafkaConfig config) {
        this.config = config;
    }

    @Override
    public EmbeddedKafkaRole.RunningBroker start(Path berthDataDir) {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(EmbeddedKafkaBroker.Settings.of(config, berthDataDir));
        broker.start();
        return new EmbeddedKafkaRole.RunningBroker() {
            @Override
            public String bootstrapServers() {
                return broker.bootstrapServers();
            }

            @Override
            public Set<Integer> ports() {
                return broker.ports();
            }

            @Override
            public void close() {
                broker.close();
            }
        };
    }
}
