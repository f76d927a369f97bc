package dev.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ECS JSON 1.1 API of one scheduler, spoken as the AWS SDKs speak it (one POST per call,
 * {@code X-Amz-Target}), with the JDK's HTTP client: lighter than an SDK client on the two
 * cores the scheduler shares with the load, and what the scheduler sees is the same.
 */
final class EcsApi {

    private static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final HttpClient http;
    private final Duration timeout;

    EcsApi(String endpoint, Duration timeout) {
        this.endpoint = URI.create(endpoint);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static ObjectNode body() {
        return JSON.createObjectNode();
    }

    JsonNode call(String operation, ObjectNode body) throws EcsCallException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", TARGET_PREFIX + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new EcsCallException("ConnectionError", String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EcsCallException("Interrupted", operation);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() != 200) {
            throw new EcsCallException(json.path("__type").asText("HTTP " + response.statusCode()),
                    json.path("message").asText(""));
        }
        return json;
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("__type", "UnreadableResponse").put("message", e.getMessage());
        }
    }

    /** Every ARN a List* operation returns, page after page. */
    List<String> listAll(String operation, ObjectNode request, String field) throws EcsCallException {
        List<String> arns = new ArrayList<>();
        String next = null;
        do {
            ObjectNode page = request.deepCopy();
            if (next != null) {
                page.put("nextToken", next);
            }
            JsonNode answer = call(operation, page);
            answer.path(field).forEach(a -> arns.add(a.asText()));
            next = answer.path("nextToken").isTextual() ? answer.path("nextToken").asText() : null;
        } while (next != null);
        return arns;
    }
}
