package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import org.junit.jupiter.api.Test;

/** The stats the task metadata endpoint serves are Docker's own JSON, each field once. */
class DockerStatsTest {

    private static final String DOCKER = "{\"read\":\"2026-12-02T06:00:01.5Z\",\"preread\":\"2026-12-02T06:00:00.5Z\","
            + "\"pids_stats\":{\"current\":3},\"num_procs\":0,"
            + "\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":123456,\"usage_in_kernelmode\":1000,"
            + "\"usage_in_usermode\":2000},\"system_cpu_usage\":99999999,\"online_cpus\":2,"
            + "\"throttling_data\":{\"periods\":0,\"throttled_periods\":0,\"throttled_time\":0}},"
            + "\"memory_stats\":{\"usage\":4096,\"limit\":33554432,\"stats\":{\"anon\":1024}},"
            + "\"networks\":{\"eth0\":{\"rx_bytes\":10,\"tx_bytes\":20}},\"name\":\"/web\",\"id\":\"abc\"}";

    @Test
    void aSampleReadByDockerJavaIsWrittenBackAsDockerWroteItWithEachKeyOnce() throws Exception {
        // Given: the sample as docker-java's own mapper reads it from the engine
        Statistics sample = DefaultDockerClientConfig.createDefaultConfigBuilder().build().getObjectMapper()
                .readValue(DOCKER, Statistics.class);

        // When
        String json = DockerStats.json(sample);

        // Then: the same tree, and no key written twice
        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(json)).isEqualTo(mapper.readTree(DOCKER));
        assertThat(json.split("\"read\":", -1)).hasSize(2);
        assertThat(json.split("\"cpu_stats\":", -1)).hasSize(2);
        JsonNode tree = mapper.readTree(json);
        assertThat(tree.path("memory_stats").path("stats").path("anon").asLong()).isEqualTo(1024);
    }

    @Test
    void dockersSampleOfAContainerThatDoesNotRunIsNoSample() throws Exception {
        // Given: what Docker answers for an exited container: read at the zero time, every counter zero
        Statistics exited = DefaultDockerClientConfig.createDefaultConfigBuilder().build().getObjectMapper()
                .readValue("{\"read\":\"0001-01-01T00:00:00Z\",\"preread\":\"0001-01-01T00:00:00Z\","
                        + "\"pids_stats\":{},\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":0},"
                        + "\"throttling_data\":{}},\"memory_stats\":{},\"name\":\"/web\",\"id\":\"abc\"}",
                        Statistics.class);
        Statistics running = DefaultDockerClientConfig.createDefaultConfigBuilder().build().getObjectMapper()
                .readValue(DOCKER, Statistics.class);

        // When / Then
        assertThat(DockerStats.ofRunning(exited)).isEmpty();
        assertThat(DockerStats.ofRunning(running)).isPresent();
    }
}
