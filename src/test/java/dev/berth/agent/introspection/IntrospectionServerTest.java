package dev.berth.agent.introspection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The introspection API over HTTP on the loopback address. */
class IntrospectionServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final IntrospectionApi api = new IntrospectionApi(new AgentMetadata("default", IntrospectionApiTest.ARN,
            "Berth Agent - v0.1.0 (1a2b3c4d5e6f)"),
            () -> List.of(IntrospectionApiTest.running("t1", IntrospectionApiTest.WEB_ID,
                    IntrospectionApiTest.SIDECAR_ID)));
    private IntrospectionServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesMetadataAndTasksAsJsonOnAFreeLoopbackPort() throws Exception {
        // Given
        server = IntrospectionServer.start(0, api).orElseThrow();

        // When
        HttpResponse<String> metadata = get(server.port(), "/v1/metadata");
        HttpResponse<String> task = get(server.port(), "/v1/tasks?dockerid=" + IntrospectionApiTest.WEB_ID);

        // Then
        assertThat(server.port()).isPositive();
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = new ObjectMapper().readTree(metadata.body());
        assertThat(body.get("ContainerInstanceArn").asText()).isEqualTo(IntrospectionApiTest.ARN);
        assertThat(new ObjectMapper().readTree(task.body()).get("Arn").asText()).endsWith("/t1");
        assertThat(get(server.port(), "/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void aCallerThatNeverFinishesItsRequestHoldsTheServerOnlyForAFewSeconds() throws Exception {
        // Given: the one introspection thread taken by a request that never ends
        server = IntrospectionServer.start(0, api).orElseThrow();
        try (java.net.Socket slow = new java.net.Socket(InetAddress.getLoopbackAddress(), server.port())) {
            slow.getOutputStream().write("GET /v1/meta".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();

            // When
            HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/v1/metadata"))
                    .timeout(java.time.Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());

            // Then: served once the slow request was cut off
            assertThat(metadata.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aCallerPastItsRateGets429() throws Exception {
        // Given: an endpoint that lets each caller make two requests, then one a second
        server = IntrospectionServer.start("Rate test", "127.0.0.1", 0, api, 1,
                new CallerRate(1, 2, System::nanoTime)).orElseThrow();

        // When
        int first = get(server.port(), "/v1/metadata").statusCode();
        int second = get(server.port(), "/v1/metadata").statusCode();
        HttpResponse<String> third = get(server.port(), "/v1/metadata");

        // Then
        assertThat(List.of(first, second)).containsOnly(200);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(new ObjectMapper().readTree(third.body()).get("Error").asText()).contains("Too many requests");
    }

    @Test
    void aTakenPortCostsAWarningNotTheAgent() throws Exception {
        // Given
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));

            // When
            Optional<IntrospectionServer> started = IntrospectionServer.start(taken.getLocalPort(), api);

            // Then
            assertThat(started).isEmpty();
        }
    }

    @Test
    void minusOneTurnsItOff() {
        // Given: the port setting -1

        // When
        Optional<IntrospectionServer> started = IntrospectionServer.start(IntrospectionServer.OFF, api);

        // Then
        assertThat(started).isEmpty();
    }
}
