package dev.berth.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.protocol.RecordCodec;
import org.junit.jupiter.api.Test;

class ContainerDefinitionJsonTest {

    private final ObjectMapper mapper = RecordCodec.newMapper();

    @Test
    void keepsTheEcsFieldsBerthDoesNotModelAndWritesThemBackInPlace() throws Exception {
        // Given
        String json = """
                {"name": "web", "image": "nginx", "memory": 128,
                 "logConfiguration": {"logDriver": "json-file", "options": {"max-size": "10m"}},
                 "healthCheck": {"command": ["CMD-SHELL", "true"], "interval": 30},
                 "readonlyRootFilesystem": true}
                """;

        // When
        ContainerDefinition read = mapper.readValue(json, ContainerDefinition.class);
        JsonNode written = mapper.readTree(mapper.writeValueAsString(read));

        // Then
        assertThat(read.memory()).isEqualTo(128);
        assertThat(read.unmodelled()).containsOnlyKeys("logConfiguration", "healthCheck", "readonlyRootFilesystem");
        assertThat(written).isEqualTo(mapper.readTree(json));
        assertThat(written.has("unmodelled")).isFalse();
    }
}
