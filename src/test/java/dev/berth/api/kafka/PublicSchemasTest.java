package dev.berth.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.protocol.EcsResponseMessage;
import dev.berth.protocol.RecordCodec;
import org.junit.jupiter.api.Test;

/**
 * The published schemas accept what Berth writes and refuse what it must not: the records of
 * the other tests (KafkaRequestsIT's responses, KafkaEventsIT's and EcsEventFoldTest's events)
 * are checked against them where they are produced.
 */
class PublicSchemasTest {

    private final ObjectMapper mapper = RecordCodec.newMapper();

    @Test
    void theReadmesRequestsMatchAndMalformedOnesDoNot() {
        // Given / When / Then
        PublicSchemas.assertMatches("request", "{\"operation\":\"RunTask\",\"request\":{\"cluster\":\"default\","
                + "\"taskDefinition\":\"hello\"}}");
        PublicSchemas.assertMatches("request", "{\"schemaVersion\":1,\"requestId\":\"r-1\",\"operation\":"
                + "\"AmazonEC2ContainerServiceV20141113.ListClusters\"}");
        assertThat(PublicSchemas.violations("request", "{\"request\":{}}")).isNotEmpty();
        assertThat(PublicSchemas.violations("request", "{\"operation\":\"RunTask\",\"request\":[]}")).isNotEmpty();
        assertThat(PublicSchemas.violations("request", "{\"schemaVersion\":2,\"operation\":\"RunTask\"}")).isNotEmpty();
    }

    @Test
    void aResponseAsBerthEncodesItMatchesAndAnErrorNeedsItsType() throws Exception {
        // Given
        ObjectNode body = mapper.createObjectNode().put("__type", "ClusterNotFoundException")
                .put("message", "Cluster not found.");
        String error = mapper.writeValueAsString(new EcsResponseMessage(1, "r-1", "RunTask", 400, body));
        String typeless = mapper.writeValueAsString(new EcsResponseMessage(1, "r-1", "RunTask", 400,
                mapper.createObjectNode().put("message", "no type")));

        // Then
        PublicSchemas.assertMatches("response", error);
        assertThat(PublicSchemas.violations("response", typeless)).isNotEmpty();
    }

    @Test
    void anEventWithoutItsDetailShapeDoesNotMatch() {
        // Given: ECS's envelope, with a task detail that lacks the task's ARN
        String event = "{\"version\":\"0\",\"id\":\"6a7e4feb-b491-4cf7-a9f1-bf3703467718\",\"detail-type\":"
                + "\"ECS Task State Change\",\"source\":\"aws.ecs\",\"account\":\"111122223333\",\"time\":"
                + "\"2026-12-01T00:00:00Z\",\"region\":\"us-east-1\",\"resources\":[\"arn:aws:ecs:us-east-1:"
                + "111122223333:task/default/t1\"],\"detail\":{\"lastStatus\":\"RUNNING\"},\"schemaVersion\":1}";

        // Then
        assertThat(PublicSchemas.violations("event", event)).isNotEmpty();
    }

    @Test
    void aNewDetailTypeOrEventNameMatchesAsTheCompatibilityRuleAllowsWithinSchemaVersionOne() {
        // Given: ECS's envelope with a detail-type Berth does not write yet, with a detail of its own shape
        String envelope = "{\"version\":\"0\",\"id\":\"6a7e4feb-b491-4cf7-a9f1-bf3703467718\",\"detail-type\":"
                + "\"%s\",\"source\":\"aws.ecs\",\"account\":\"111122223333\",\"time\":"
                + "\"2026-12-01T00:00:00Z\",\"region\":\"us-east-1\",\"resources\":[\"arn:aws:ecs:us-east-1:"
                + "111122223333:service/default/web\"],\"detail\":%s,\"schemaVersion\":1}";
        String newDetailType = envelope.formatted("ECS Something New", "{\"anything\":[1,{\"at\":true}]}");
        // and a deployment state change and a service action named by an eventName Berth does not write yet
        String newDeploymentEvent = envelope.formatted("ECS Deployment State Change", "{\"eventType\":\"INFO\","
                + "\"eventName\":\"SERVICE_DEPLOYMENT_ROLLBACK_STARTED\",\"deploymentId\":\"ecs-svc/1\","
                + "\"updatedAt\":\"2026-12-01T00:00:00Z\"}");
        String newServiceAction = envelope.formatted("ECS Service Action", "{\"eventType\":\"INFO\","
                + "\"eventName\":\"SERVICE_SOMETHING_NEW\",\"clusterArn\":\"arn:aws:ecs:us-east-1:111122223333:"
                + "cluster/default\",\"createdAt\":\"2026-12-01T00:00:00Z\"}");

        // Then: a reader validating against the published schema keeps them (and ignores what it does not know)
        PublicSchemas.assertMatches("event", newDetailType);
        PublicSchemas.assertMatches("event", newDeploymentEvent);
        PublicSchemas.assertMatches("event", newServiceAction);
        // while a known detail-type still needs its detail's shape
        assertThat(PublicSchemas.violations("event", newDeploymentEvent.replace("\"deploymentId\":\"ecs-svc/1\",",
                ""))).isNotEmpty();
    }

    @Test
    void aFieldTheSchemaDoesNotDeclareWithItsTypeIsNamedAtAnyDepth() throws Exception {
        // Given: a container instance's detail with a field of its own, and one in a resource
        com.fasterxml.jackson.databind.JsonNode detail = mapper.readTree("{\"containerInstanceArn\":\"arn\","
                + "\"agentConnected\":true,\"somethingNew\":1,\"registeredResources\":[{\"name\":\"CPU\","
                + "\"type\":\"INTEGER\",\"integerValue\":2,\"unitOfIt\":\"vCPU\"}]}");

        // When
        var undeclared = PublicSchemas.undeclared("event", "containerInstance", detail);

        // Then: validation lets both through (readers ignore what they do not know); the walk does not
        assertThat(undeclared).containsExactly("containerInstance.somethingNew",
                "containerInstance.registeredResources[0].unitOfIt");
    }
}
