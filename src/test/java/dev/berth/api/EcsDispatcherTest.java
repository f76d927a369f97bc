package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.action.RegisterTaskDefinitionAction;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.SchedulerUnavailableException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EcsDispatcherTest {

    private static final String PREFIX = EcsDispatcher.TARGET_PREFIX;

    public record EchoRequest(String clusterName, Integer count) {
    }

    public record EchoResponse(String clusterName) {
    }

    private static EcsAction<EchoRequest> action(String name, java.util.function.Function<EchoRequest, Object> body) {
        return new EcsAction<>() {
            @Override
            public String operation() {
                return name;
            }

            @Override
            public Class<EchoRequest> requestType() {
                return EchoRequest.class;
            }

            @Override
            public Object handle(EchoRequest request) {
                return body.apply(request);
            }
        };
    }

    private final EcsDispatcher dispatcher = new EcsDispatcher(List.of(
            action("CreateCluster", r -> new EchoResponse(r.clusterName())),
            action("DeleteCluster", r -> {
                throw EcsException.clusterNotFound();
            }),
            action("ListClusters", r -> {
                throw new SchedulerUnavailableException("not ready");
            }),
            action("ListTasks", r -> {
                throw new IllegalStateException("boom at line 12");
            })));

    @Test
    void routesByTargetAndAnswersJson() {
        // When
        EcsDispatcher.Reply reply = dispatcher.dispatch(PREFIX + "CreateCluster", bytes("{\"clusterName\":\"prod\"}"));

        // Then
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"clusterName\":\"prod\"}");
    }

    @Test
    void anUnknownOperationIsNamed() {
        // When
        EcsDispatcher.Reply reply = dispatcher.dispatch(PREFIX + "LaunchRocket", bytes("{}"));

        // Then
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).isEqualTo("{\"__type\":\"UnknownOperationException\",\"message\":\"Unknown operation "
                + PREFIX + "LaunchRocket: Berth does not implement it.\"}");
    }

    @Test
    void aMissingTargetIsAnUnknownOperation() {
        assertThat(dispatcher.dispatch(null, bytes("{}")).body()).contains("\"__type\":\"UnknownOperationException\"")
                .contains("Missing X-Amz-Target header");
    }

    @Test
    void malformedJsonIsASerializationException() {
        // When
        EcsDispatcher.Reply reply = dispatcher.dispatch(PREFIX + "CreateCluster", bytes("{\"clusterName\":"));

        // Then
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("\"__type\":\"SerializationException\"")
                .contains("The request body is not valid JSON");
    }

    @Test
    void aWronglyTypedFieldIsASerializationException() {
        // When
        EcsDispatcher.Reply reply = dispatcher.dispatch(PREFIX + "CreateCluster", bytes("{\"count\":\"many\"}"));

        // Then
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("\"__type\":\"SerializationException\"")
                .contains("CreateClusterRequest");
    }

    @Test
    void aFieldTheActionDoesNotModelIsRefusedByNameNotDropped() {
        // When
        EcsDispatcher.Reply reply = dispatcher.dispatch(PREFIX + "CreateCluster",
                bytes("{\"clusterName\":\"prod\",\"serviceConnectDefaults\":{\"namespace\":\"ns\"}}"));

        // Then
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).isEqualTo("{\"__type\":\"InvalidParameterException\",\"message\":\"Invalid "
                + "'serviceConnectDefaults': Berth does not support this parameter of CreateCluster. Leave it out, or "
                + "see the README's compatibility matrix.\"}");
    }

    @Test
    void aNameThatIsNoFieldOfAModelledNestedObjectIsRefusedByItsPath() {
        // Given: portMappings and environment are modelled, so RegisterTaskDefinition reads them as typed records
        EcsDispatcher register = new EcsDispatcher(List.of(new EcsAction<RegisterTaskDefinitionAction.Request>() {
            @Override
            public String operation() {
                return "RegisterTaskDefinition";
            }

            @Override
            public Class<RegisterTaskDefinitionAction.Request> requestType() {
                return RegisterTaskDefinitionAction.Request.class;
            }

            @Override
            public Object handle(RegisterTaskDefinitionAction.Request request) {
                return new EchoResponse(request.family());
            }
        }));
        String container = "{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"web\",\"image\":\"busybox\",";

        // When
        EcsDispatcher.Reply port = register.dispatch(PREFIX + "RegisterTaskDefinition",
                bytes(container + "\"portMappings\":[{\"containerPort\":80,\"hostport\":8080}]}]}"));
        EcsDispatcher.Reply environment = register.dispatch(PREFIX + "RegisterTaskDefinition",
                bytes(container + "\"environment\":[{\"name\":\"A\",\"Value\":\"b\"}]}]}"));

        // Then
        assertThat(port.status()).isEqualTo(400);
        assertThat(port.body()).contains("\"__type\":\"InvalidParameterException\"",
                "Invalid 'containerDefinitions[0].portMappings[0].hostport'");
        assertThat(environment.body()).contains("Invalid 'containerDefinitions[0].environment[0].Value'");
    }

    @Test
    void anEmptyBodyIsAnEmptyRequest() {
        assertThat(dispatcher.dispatch(PREFIX + "CreateCluster", bytes(""))).isEqualTo(new EcsDispatcher.Reply(200, "{}"));
    }

    @Test
    void ecsExceptionsKeepTheirNameAndStatus() {
        assertThat(dispatcher.dispatch(PREFIX + "DeleteCluster", bytes("{}")))
                .isEqualTo(new EcsDispatcher.Reply(400,
                        "{\"__type\":\"ClusterNotFoundException\",\"message\":\"Cluster not found.\"}"));
        assertThat(dispatcher.dispatch(PREFIX + "ListClusters", bytes("{}")))
                .isEqualTo(new EcsDispatcher.Reply(503, "{\"__type\":\"ServerException\",\"message\":\"not ready\"}"));
    }

    @Test
    void anUnexpectedFailureIsAServerExceptionWithoutAStackTrace() {
        // When
        EcsDispatcher.Reply reply = dispatcher.dispatch(PREFIX + "ListTasks", bytes("{}"));

        // Then
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.body()).isEqualTo("{\"__type\":\"ServerException\",\"message\":\"Berth failed to process the "
                + "request (IllegalStateException); see the scheduler log.\"}");
    }

    private static byte[] bytes(String json) {
        return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
