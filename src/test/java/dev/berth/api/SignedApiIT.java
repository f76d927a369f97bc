package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.scheduler.SchedulerRole;
import dev.berth.testing.KafkaBrokerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * The ECS API with an access key configured, against a real Kafka broker: the AWS SDK v2
 * signs with the right key and gets answers; a wrong key or no signature gets the exception
 * AWS would answer.
 */
@QuarkusTest
@TestProfile(SignedApiIT.WithAccessKey.class)
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "roles", value = "scheduler"))
class SignedApiIT {

    static final String ACCESS_KEY_ID = "AKIDEXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    /** The one extra test configuration: the API requires this key. */
    public static class WithAccessKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.api.access-key-id", ACCESS_KEY_ID, "berth.api.secret-access-key", SECRET);
        }
    }

    @TestHTTPResource("/")
    URL endpoint;

    @Inject
    SchedulerRole scheduler;

    @BeforeEach
    void waitForTheScheduler() {
        await().atMost(Duration.ofSeconds(30)).until(scheduler::isReady);
    }

    private EcsClient ecs(String accessKeyId, String secret) throws Exception {
        return EcsClient.builder()
                .endpointOverride(endpoint.toURI())
                .region(Region.EU_WEST_3)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Test
    void answersCallsSignedWithTheKey() throws Exception {
        // Given
        String family = "signed-" + UUID.randomUUID().toString().substring(0, 8);
        try (EcsClient ecs = ecs(ACCESS_KEY_ID, SECRET)) {

            // When
            List<String> clusters = ecs.listClusters().clusterArns();
            TaskDefinition registered = ecs.registerTaskDefinition(r -> r.family(family)
                    .containerDefinitions(c -> c.name("web").image("busybox").memory(64))).taskDefinition();

            // Then
            assertThat(clusters).isNotNull();
            assertThat(registered.taskDefinitionArn()).endsWith(":task-definition/" + family + ":1");
        }
    }

    @Test
    void refusesAWrongSecretAsAnInvalidSignature() throws Exception {
        try (EcsClient ecs = ecs(ACCESS_KEY_ID, "not-the-secret")) {
            // When / Then
            assertThatThrownBy(ecs::listClusters).isInstanceOfSatisfying(AwsServiceException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                assertThat(e.awsErrorDetails().errorMessage())
                        .startsWith("The request signature we calculated does not match the signature you provided.");
            });
        }
    }

    @Test
    void refusesAnUnknownAccessKeyAsAnUnrecognizedClient() throws Exception {
        try (EcsClient ecs = ecs("AKIASOMEONEELSE", SECRET)) {
            // When / Then
            assertThatThrownBy(ecs::listClusters).isInstanceOfSatisfying(AwsServiceException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("The security token included in the request is invalid.");
            });
        }
    }

    @Test
    void refusesAnUnsignedCall() throws Exception {
        // Given
        HttpRequest request = HttpRequest.newBuilder(endpoint.toURI())
                .header("Content-Type", EcsEndpoint.AMZ_JSON)
                .header("X-Amz-Target", EcsDispatcher.TARGET_PREFIX + "ListClusters")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();

        // When
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        // Then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> t.startsWith(EcsEndpoint.AMZ_JSON));
        assertThat(response.headers().firstValue("Date")).isPresent();
        assertThat(response.body()).isEqualTo(
                "{\"__type\":\"MissingAuthenticationTokenException\",\"message\":\"Missing Authentication Token\"}");
    }
}
