package dev.berth.api.shape;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.model.TaskDefinition;
import dev.berth.protocol.RecordCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Task definitions are answered with the empty lists and compatibilities that ECS answers. */
class EcsTaskDefinitionsTest {

    private final ObjectMapper mapper = RecordCodec.newMapper();

    private JsonNode answered(String registeredJson) throws Exception {
        TaskDefinition registered = mapper.readValue(registeredJson, TaskDefinition.class);
        return mapper.readTree(mapper.writeValueAsString(EcsTaskDefinitions.answered(registered)));
    }

    @Test
    void aBareDefinitionIsAnsweredWithEcsEmptyListsAndCompatibilities() throws Exception {
        // When: the shape of ECS's documented RegisterTaskDefinition example, registered with nothing optional
        JsonNode answer = answered("{\"taskDefinitionArn\":\"arn:aws:ecs:us-east-1:000000000000:task-definition/"
                + "site:8\",\"family\":\"site\",\"revision\":8,\"status\":\"ACTIVE\",\"containerDefinitions\":"
                + "[{\"name\":\"web\",\"image\":\"nginx\",\"memory\":500,\"essential\":true}],"
                + "\"compatibilities\":[\"EC2\"]}");

        // Then
        assertThat(answer.get("volumes").isArray()).isTrue();
        assertThat(answer.get("volumes")).isEmpty();
        assertThat(answer.get("placementConstraints")).isEmpty();
        assertThat(answer.get("requiresAttributes").isArray()).isTrue();
        assertThat(answer.get("requiresAttributes")).isEmpty();
        assertThat(answer.get("compatibilities")).extracting(JsonNode::asText).containsExactly("EXTERNAL", "EC2");
        assertThat(answer.has("requiresCompatibilities")).isFalse();
        JsonNode container = answer.get("containerDefinitions").get(0);
        for (String list : List.of("portMappings", "environment", "mountPoints", "volumesFrom")) {
            assertThat(container.get(list)).as(list).isNotNull();
            assertThat(container.get(list).isArray()).as(list).isTrue();
            assertThat(container.get(list)).as(list).isEmpty();
        }
        assertThat(container.get("cpu").asInt()).isZero();
    }

    @Test
    void whatWasGivenIsAnsweredAsGiven() throws Exception {
        // When
        JsonNode answer = answered("{\"family\":\"db\",\"revision\":1,\"volumes\":[{\"name\":\"data\"}],"
                + "\"requiresAttributes\":[{\"name\":\"com.example.gpu\"}],"
                + "\"containerDefinitions\":[{\"name\":\"pg\",\"image\":\"postgres\",\"memory\":256,"
                + "\"mountPoints\":[{\"sourceVolume\":\"data\",\"containerPath\":\"/var/lib/pg\"}],"
                + "\"environment\":[{\"name\":\"A\",\"value\":\"1\"}]}]}");

        // Then
        assertThat(answer.get("volumes").get(0).get("name").asText()).isEqualTo("data");
        assertThat(answer.get("requiresAttributes").get(0).get("name").asText()).isEqualTo("com.example.gpu");
        JsonNode container = answer.get("containerDefinitions").get(0);
        assertThat(container.get("mountPoints").get(0).get("sourceVolume").asText()).isEqualTo("data");
        assertThat(container.get("environment").get(0).get("name").asText()).isEqualTo("A");
        assertThat(container.get("volumesFrom")).isEmpty();
    }
}
