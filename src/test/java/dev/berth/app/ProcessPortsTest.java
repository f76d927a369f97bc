package dev.berth.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ports of this process's HTTP server and management interface, which its agent reserves from tasks. */
class ProcessPortsTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 300)).build();
    }

    @Test
    void theConfiguredHttpAndManagementPortsAreThePortsOfTheProcess() {
        // Given
        SmallRyeConfig config = config(Map.of("quarkus.http.port", "18080", "quarkus.management.enabled", "true",
                "quarkus.management.port", "19000"));

        // When / Then
        assertThat(RoleLauncher.httpPorts(config, LaunchMode.NORMAL)).containsExactly(18080, 19000);
    }

    @Test
    void quarkusDefaultsApplyAndAManagementInterfaceThatIsOffHoldsNoPort() {
        // Given
        SmallRyeConfig config = config(Map.of());

        // When / Then
        assertThat(RoleLauncher.httpPorts(config, LaunchMode.NORMAL)).containsExactly(8080);
    }

    @Test
    void underTestThePortsAreTheTestPortsAndAFreePortIsNone() {
        // Given
        SmallRyeConfig config = config(Map.of("quarkus.http.port", "8080", "quarkus.http.test-port", "0",
                "quarkus.management.enabled", "true", "quarkus.management.test-port", "19001"));

        // When / Then
        assertThat(RoleLauncher.httpPorts(config, LaunchMode.TEST)).containsExactly(19001);
    }

    @Test
    void anHttpServerThatDoesNotListenHoldsNoPort() {
        // Given: an agent as its unit ships it
        SmallRyeConfig config = config(Map.of("quarkus.http.host-enabled", "false", "quarkus.http.port", "8080",
                "quarkus.management.enabled", "true", "quarkus.management.port", "9000"));

        // When / Then
        assertThat(RoleLauncher.httpPorts(config, LaunchMode.NORMAL)).containsExactly(9000);
    }
}
