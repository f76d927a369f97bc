package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.EcsOperations.Operation;
import dev.berth.api.EcsOperations.Support;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.EcsRequest;

/**
 * Every operation of the ECS model in the AWS SDK for Java v2 is classified in
 * {@link EcsOperations}, and the classification is what the API does: a served operation has
 * its action, a refused one answers its named ECS exception saying what to use instead.
 */
class EcsOperationsTest {

    private static final Path ACTIONS = Path.of("target/classes/dev/berth/api/action");

    /** The SDK's operations: one {@code EcsClient} method per operation, taking its {@code <Operation>Request}. */
    static Set<String> sdkOperations() {
        return Arrays.stream(EcsClient.class.getMethods())
                .filter(m -> m.getParameterCount() == 1 && EcsRequest.class.isAssignableFrom(m.getParameterTypes()[0]))
                .map(m -> m.getParameterTypes()[0].getSimpleName().replaceFirst("Request$", ""))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Stream<String> sdkOperationNames() {
        return sdkOperations().stream();
    }

    /** The actions the API serves, as the endpoint sees them. */
    static List<EcsAction<?>> servedActions() throws IOException, ReflectiveOperationException {
        List<EcsAction<?>> actions = new ArrayList<>();
        try (Stream<Path> files = Files.list(ACTIONS)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("Action.class")).toList()) {
                String name = file.getFileName().toString().replace(".class", "");
                Class<?> type = Class.forName("dev.berth.api.action." + name);
                if (EcsAction.class.isAssignableFrom(type) && !Modifier.isAbstract(type.getModifiers())) {
                    actions.add(instantiate(type));
                }
            }
        }
        return actions;
    }

    /** An action without its collaborators: enough to ask its name, never to run it. */
    private static EcsAction<?> instantiate(Class<?> type) throws ReflectiveOperationException {
        Constructor<?> constructor = type.getConstructors()[0];
        return (EcsAction<?>) constructor.newInstance(new Object[constructor.getParameterCount()]);
    }

    @Test
    void theSdkListsTheOperationsItIsBuiltFrom() {
        // When
        Set<String> operations = sdkOperations();

        // Then: the reflection finds the model's operations, not helpers or nothing
        assertThat(operations).contains("CreateCluster", "RunTask", "TagResource", "ExecuteCommand")
                .doesNotContain("Ecs", "ClusterServiceConnectDefaults").hasSizeGreaterThanOrEqualTo(60);
    }

    @Test
    void everySdkOperationIsClassifiedAndNothingElse() {
        // Given
        Set<String> sdk = sdkOperations();

        // When
        Set<String> classified = EcsOperations.all().stream().map(Operation::name)
                .collect(Collectors.toCollection(TreeSet::new));

        // Then
        assertThat(sdk).as("operations of the SDK's ECS model that EcsOperations does not classify")
                .isSubsetOf(classified);
        assertThat(classified).as("operations in EcsOperations that the SDK's ECS model does not have")
                .isSubsetOf(sdk);
    }

    @Test
    void servedOperationsAreExactlyThoseWithAnAction() throws Exception {
        // Given
        EcsDispatcher dispatcher = new EcsDispatcher(servedActions());

        // When
        Set<String> served = EcsOperations.all().stream().filter(o -> o.support() != Support.REFUSED)
                .map(Operation::name).collect(Collectors.toCollection(TreeSet::new));

        // Then
        assertThat(new TreeSet<>(dispatcher.operations())).isEqualTo(served);
    }

    @ParameterizedTest
    @MethodSource("sdkOperationNames")
    void everyOperationIsServedOrRefusedByName(String operation) throws Exception {
        // Given
        Operation classified = EcsOperations.find(operation).orElseThrow(
                () -> new AssertionError(operation + " is not classified in EcsOperations"));
        EcsDispatcher dispatcher = new EcsDispatcher(servedActions());

        // When
        boolean served = dispatcher.operations().contains(operation);

        // Then
        if (classified.support() == Support.REFUSED) {
            assertThat(served).as("a refused operation has no action").isFalse();
            EcsDispatcher.Reply reply = dispatcher.dispatch(EcsDispatcher.TARGET_PREFIX + operation, bytes("{}"));
            JsonNode body = new ObjectMapper().readTree(reply.body());
            assertThat(reply.status()).isEqualTo(400);
            assertThat(body.get("__type").asText()).isEqualTo(classified.refusedWith().name())
                    .isNotEqualTo("UnknownOperationException");
            assertThat(body.get("message").asText()).startsWith("Berth does not support " + operation + ": ")
                    .contains(" instead");
        } else {
            assertThat(served).as("a served operation has its action").isTrue();
            assertThat(classified.refusedWith()).isNull();
        }
    }

    @Test
    void anOperationOutsideTheModelIsStillUnknown() throws Exception {
        // Given
        EcsDispatcher dispatcher = new EcsDispatcher(servedActions());

        // When
        EcsDispatcher.Reply reply = dispatcher.dispatch(EcsDispatcher.TARGET_PREFIX + "LaunchRocket", bytes("{}"));

        // Then
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("\"__type\":\"UnknownOperationException\"");
    }

    private static byte[] bytes(String json) {
        return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
