package dev.berth.api.action;

import static dev.berth.scheduler.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.EcsOperations;
import dev.berth.api.shape.EcsShapes;
import dev.berth.model.Arns;
import dev.berth.protocol.RecordCodec;
import dev.berth.scheduler.AppliedWriter;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsErrorType;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every place of the ECS API where a capacity provider can be named refuses it by name, with an
 * ECS exception that says Berth does not support it and what to use instead; nothing is written.
 */
class CapacityProviderRefusalTest {

    private static final String STRATEGY = "[{\"capacityProvider\":\"FARGATE_SPOT\",\"weight\":1}]";
    private static final Arns ARNS = new Arns("aws", "us-east-1", "000000000000");

    private final SchedulerState state = new SchedulerState(new SettableClock(T0), Duration.ofSeconds(60),
            Duration.ofHours(1));
    private final AppliedWriter writer = new AppliedWriter(state);
    private final ControlPlane plane = new ControlPlane(state, writer, ARNS);
    private final ObjectMapper mapper = RecordCodec.newMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static Stream<Arguments> parameters() {
        return Stream.of(
                Arguments.of(new RunTaskAction(null), "{\"taskDefinition\":\"web\",\"capacityProviderStrategy\":"
                        + STRATEGY + "}", "capacityProviderStrategy"),
                Arguments.of(new CreateServiceAction(null), "{\"serviceName\":\"web\",\"taskDefinition\":\"web\","
                        + "\"desiredCount\":1,\"capacityProviderStrategy\":" + STRATEGY + "}",
                        "capacityProviderStrategy"),
                Arguments.of(new UpdateServiceAction(null), "{\"service\":\"web\",\"capacityProviderStrategy\":"
                        + STRATEGY + "}", "capacityProviderStrategy"),
                Arguments.of(new CreateClusterAction(null), "{\"clusterName\":\"c\",\"capacityProviders\":"
                        + "[\"FARGATE\"]}", "capacityProviders"),
                Arguments.of(new CreateClusterAction(null), "{\"clusterName\":\"c\","
                        + "\"defaultCapacityProviderStrategy\":" + STRATEGY + "}", "defaultCapacityProviderStrategy"));
    }

    @ParameterizedTest
    @MethodSource("parameters")
    <Q> void aParameterNamingACapacityProviderIsRefusedByName(SchedulerAction<Q> action, String json, String parameter)
            throws Exception {
        // Given
        Q request = mapper.readValue(json, action.requestType());

        // When / Then
        assertThatThrownBy(() -> action.handle(plane, new EcsShapes(ARNS), request))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessageStartingWith("Invalid '" + parameter + "': Berth does not support capacity providers")
                .hasMessageContaining("placementConstraints instead");
        assertThat(writer.plans()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PutClusterCapacityProviders", "CreateCapacityProvider", "DeleteCapacityProvider",
        "DescribeCapacityProviders", "UpdateCapacityProvider"})
    void theCapacityProviderOperationsAreRefusedSayingWhatToUseInstead(String operation) {
        EcsException refusal = EcsOperations.refusal(operation).orElseThrow();
        assertThat(refusal.type()).isEqualTo(EcsErrorType.UnsupportedFeatureException);
        assertThat(refusal.getMessage()).startsWith("Berth does not support " + operation + ": capacity providers")
                .contains("placementConstraints").endsWith("instead.");
    }
}
