package dev.berth.api.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.action.LaunchOptions.PlacementStrategy;
import dev.berth.scheduler.EcsErrorType;
import dev.berth.scheduler.EcsException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    private static void assertRefused(LaunchOptions options, String message) {
        assertThatThrownBy(options::refuseUnsupported)
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessage(message);
    }

    @Test
    void acceptsWhatBerthDoesAnyway() {
        // Given: the options an EC2 user sends, and binpack on memory, which is Berth's placement
        List<LaunchOptions> accepted = List.of(
                new LaunchOptions(null, null, null, null, null, null),
                new LaunchOptions("EC2", List.of(), Map.of(), "", false, List.of()),
                new LaunchOptions("EXTERNAL", null, null, null, null, null));

        // When / Then
        for (LaunchOptions options : accepted) {
            assertThatCode(options::refuseUnsupported).doesNotThrowAnyException();
        }
    }

    @Test
    void refusesEachUnsupportedParameterByName() {
        assertRefused(new LaunchOptions("FARGATE", null, null, null, null, null),
                "Invalid 'launchType': FARGATE is not supported: Berth runs tasks on its own container instances "
                        + "(launch type EC2).");
        assertRefused(new LaunchOptions(null, List.of(Map.of("capacityProvider", "FARGATE_SPOT")), null, null, null,
                null), "Invalid 'capacityProviderStrategy': " + LaunchOptions.NO_CAPACITY_PROVIDERS + ".");
        assertRefused(new LaunchOptions(null, null, Map.of("awsvpcConfiguration", Map.of()), null, null, null),
                "Invalid 'networkConfiguration': it applies to the awsvpc network mode, which Berth does not "
                        + "support.");
        assertRefused(new LaunchOptions(null, null, null, "LATEST", null, null),
                "Invalid 'platformVersion': platform versions apply to Fargate only.");
        assertRefused(new LaunchOptions(null, null, null, null, true, null),
                "Invalid 'enableExecuteCommand': ECS Exec is not supported.");
        assertRefused(new LaunchOptions(null, null, null, null, null, List.of(Map.of("name", "ebs"))),
                "Invalid 'volumeConfigurations': task-attached volumes are not supported.");
    }
}
