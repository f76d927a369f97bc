package dev.berth.api.shape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Arns;
import dev.berth.model.Resources;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.InstanceRegistration.RuntimeHealth;
import dev.berth.scheduler.state.InstanceView;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** DescribeContainerInstances' CONTAINER_INSTANCE_HEALTH: the container runtime's check, as the agent last said it. */
class EcsShapesInstanceHealthTest {

    private static final Instant CHANGED = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant BEAT = CHANGED.plusSeconds(30);
    private final EcsShapes shapes = new EcsShapes(new Arns("aws", "us-east-1", "000000000000"));

    private static InstanceView instance(RuntimeHealth runtime, boolean connected) {
        InstanceRegistration registration = new InstanceRegistration(BerthRecord.SCHEMA_VERSION, 3, "i1", "default",
                "h1", "1.0", new Resources(2048, 4096, Set.of()), Map.of(), CHANGED, BEAT, false, null, "28.2.2",
                "s1", runtime);
        return new InstanceView(registration, connected, new Resources(2048, 4096, Set.of()), 0, 0, BEAT, Map.of());
    }

    @Test
    void aConnectedAgentsWordIsTheStatusWithWhenItLastChanged() {
        // When
        EcsContainerInstance.HealthStatus ok = shapes.health(instance(new RuntimeHealth(RuntimeHealth.OK, CHANGED),
                true));
        EcsContainerInstance.HealthStatus impaired = shapes.health(instance(
                new RuntimeHealth(RuntimeHealth.IMPAIRED, CHANGED), true));

        // Then
        assertThat(ok.overallStatus()).isEqualTo("OK");
        assertThat(ok.details()).singleElement().isEqualTo(new EcsContainerInstance.HealthDetail("CONTAINER_RUNTIME",
                "OK", BEAT, CHANGED));
        assertThat(impaired.overallStatus()).isEqualTo("IMPAIRED");
        assertThat(impaired.details()).singleElement().extracting(EcsContainerInstance.HealthDetail::status)
                .isEqualTo("IMPAIRED");
    }

    @Test
    void aDisconnectedAgentOrOneThatHasNotSaidIsInsufficientData() {
        assertThat(shapes.health(instance(new RuntimeHealth(RuntimeHealth.OK, CHANGED), false)).overallStatus())
                .isEqualTo("INSUFFICIENT_DATA");
        assertThat(shapes.health(instance(null, true)).details()).singleElement()
                .satisfies(d -> {
                    assertThat(d.status()).isEqualTo("INSUFFICIENT_DATA");
                    assertThat(d.lastStatusChange()).isNull();
                });
    }
}
