package dev.berth.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * SigV4 checks against the AWS test suite's vectors and against requests signed by the AWS
 * SDK v2's own signer, an implementation independent of ours.
 */
class SigV4VerifierTest {

    // The AWS SigV4 test suite's key, date, region and service.
    private static final SigningKey SUITE_KEY = new SigningKey("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
    private static final String SUITE_DATE = "20150830T123600Z";
    private static final String SUITE_SCOPE = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";

    private static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");
    private static final SigningKey KEY = new SigningKey("AKIABERTHTEST", "berth-secret/with+signs");
    private static final String BODY = "{\"cluster\":\"prod\",\"maxResults\":10}";

    private static SigV4Verifier verifier(SigningKey key, String service, Instant now) {
        return new SigV4Verifier(key, service, Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static Map<String, List<String>> headers(String... namesAndValues) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.computeIfAbsent(namesAndValues[i], n -> new java.util.ArrayList<>()).add(namesAndValues[i + 1]);
        }
        return headers;
    }

    /** Signs a request as the AWS SDK v2 does for ECS, and returns it as the server would receive it. */
    private static ReceivedRequest signedBySdk(SigningKey key, Instant signedAt, String pathAndQuery, String body,
            Map<String, List<String>> extraHeaders) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://localhost:8080" + pathAndQuery))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListTasks");
        extraHeaders.forEach(request::putHeader);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(key.accessKeyId(), key.secretAccessKey()))
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecs")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-3")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)))
                .request();
        Map<String, List<String>> received = new LinkedHashMap<>(signed.headers());
        received.putIfAbsent("Host", List.of("localhost:8080"));
        return new ReceivedRequest("POST", signed.encodedPath(), signed.encodedQueryParameters().orElse(null),
                received, bytes);
    }

    private static ReceivedRequest signedBySdk(SigningKey key, Instant signedAt, String body) {
        return signedBySdk(key, signedAt, "/", body, Map.of());
    }

    @Test
    void acceptsTheSuitesGetVanilla() {
        // Given
        ReceivedRequest request = new ReceivedRequest("GET", "/", "", headers(
                "Host", "example.amazonaws.com",
                "X-Amz-Date", SUITE_DATE,
                "Authorization", "AWS4-HMAC-SHA256 Credential=" + SUITE_SCOPE + ", SignedHeaders=host;x-amz-date, "
                        + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), new byte[0]);

        // When
        Optional<AuthRejection> rejection = verifier(SUITE_KEY, "service", SUITE_TIME).verify(request);

        // Then
        assertThat(rejection).isEmpty();
    }

    @Test
    void acceptsTheSuitesPostVanilla() {
        // Given
        ReceivedRequest request = new ReceivedRequest("POST", "/", "", headers(
                "Host", "example.amazonaws.com",
                "X-Amz-Date", SUITE_DATE,
                "Authorization", "AWS4-HMAC-SHA256 Credential=" + SUITE_SCOPE + ", SignedHeaders=host;x-amz-date, "
                        + "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"), new byte[0]);

        // When
        Optional<AuthRejection> rejection = verifier(SUITE_KEY, "service", SUITE_TIME).verify(request);

        // Then
        assertThat(rejection).isEmpty();
    }

    @Test
    void refusesTheSuitesGetVanillaSignedForAnotherPath() {
        // Given: the get-vanilla signature, replayed on another path
        ReceivedRequest request = new ReceivedRequest("GET", "/other", "", headers(
                "Host", "example.amazonaws.com",
                "X-Amz-Date", SUITE_DATE,
                "Authorization", "AWS4-HMAC-SHA256 Credential=" + SUITE_SCOPE + ", SignedHeaders=host;x-amz-date, "
                        + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), new byte[0]);

        // When
        Optional<AuthRejection> rejection = verifier(SUITE_KEY, "service", SUITE_TIME).verify(request);

        // Then
        assertThat(rejection).get().extracting(AuthRejection::type).isEqualTo(AuthErrorType.InvalidSignatureException);
    }

    @Test
    void acceptsAnEcsCallSignedByTheSdk() {
        // Given
        ReceivedRequest request = signedBySdk(KEY, NOW, BODY);

        // When
        Optional<AuthRejection> rejection = verifier(KEY, "ecs", NOW).verify(request);

        // Then
        assertThat(rejection).isEmpty();
    }

    @Test
    void acceptsAnOddPathQueryAndSpacedHeaderSignedByTheSdk() {
        // Given: an encoded path with a dot segment, a query to sort and decode, a header with runs of spaces
        ReceivedRequest request = signedBySdk(KEY, NOW, "/a%20b/./c%2Fd/?z=1&a=x%20y&a=b&empty",
                BODY, Map.of("X-Berth-Note", List.of("  two   spaces  here ")));

        // When
        Optional<AuthRejection> rejection = verifier(KEY, "ecs", NOW).verify(request);

        // Then
        assertThat(request.header("Authorization").get(0)).contains("x-berth-note");
        assertThat(rejection).isEmpty();
    }

    @Test
    void acceptsASignatureWithinTheClockSkew() {
        // Given: the client's clock is 4 minutes behind, then 4 minutes ahead
        ReceivedRequest behind = signedBySdk(KEY, NOW.minus(Duration.ofMinutes(4)), BODY);
        ReceivedRequest ahead = signedBySdk(KEY, NOW.plus(Duration.ofMinutes(4)), BODY);

        // When / Then
        assertThat(verifier(KEY, "ecs", NOW).verify(behind)).isEmpty();
        assertThat(verifier(KEY, "ecs", NOW).verify(ahead)).isEmpty();
    }

    @Test
    void refusesATamperedBody() {
        // Given
        ReceivedRequest signed = signedBySdk(KEY, NOW, BODY);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : List.of("Host", "Authorization", "X-Amz-Date", "Content-Type", "X-Amz-Target")) {
            headers.put(name, signed.header(name));
        }
        ReceivedRequest tampered = new ReceivedRequest("POST", "/", "", headers,
                BODY.replace("prod", "dev").getBytes(StandardCharsets.UTF_8));

        // When
        Optional<AuthRejection> rejection = verifier(KEY, "ecs", NOW).verify(tampered);

        // Then
        assertThat(rejection).contains(new AuthRejection(AuthErrorType.InvalidSignatureException,
                "The request signature we calculated does not match the signature you provided. Check your AWS "
                        + "Secret Access Key and signing method. Consult the service documentation for details."));
    }

    @Test
    void refusesAnOperationThatTheSignatureDoesNotCover() {
        // Given: a call signed without its X-Amz-Target, and the target added after signing (a
        // captured request replayed as another operation)
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("http://localhost:8080/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1").build();
        byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(KEY.accessKeyId(), KEY.secretAccessKey()))
                .request(unsigned).payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecs")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-3")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC))).request();
        Map<String, List<String>> received = new LinkedHashMap<>(signed.headers());
        received.putIfAbsent("Host", List.of("localhost:8080"));
        received.put("X-Amz-Target", List.of("AmazonEC2ContainerServiceV20141113.DeleteCluster"));
        ReceivedRequest replayed = new ReceivedRequest("POST", "/", null, received, bytes);

        // When
        Optional<AuthRejection> rejection = verifier(KEY, "ecs", NOW).verify(replayed);

        // Then
        assertThat(rejection).get().satisfies(r -> {
            assertThat(r.type()).isEqualTo(AuthErrorType.InvalidSignatureException);
            assertThat(r.message()).contains("'X-Amz-Target' must be a 'SignedHeader'");
        });
    }

    @Test
    void refusesAWrongSecret() {
        // Given
        ReceivedRequest request = signedBySdk(new SigningKey(KEY.accessKeyId(), "not-the-secret"), NOW, BODY);

        // When
        Optional<AuthRejection> rejection = verifier(KEY, "ecs", NOW).verify(request);

        // Then
        assertThat(rejection).get().extracting(AuthRejection::type).isEqualTo(AuthErrorType.InvalidSignatureException);
    }

    @Test
    void refusesAnUnknownAccessKey() {
        // Given
        ReceivedRequest request = signedBySdk(new SigningKey("AKIASOMEONEELSE", KEY.secretAccessKey()), NOW, BODY);

        // When
        Optional<AuthRejection> rejection = verifier(KEY, "ecs", NOW).verify(request);

        // Then
        assertThat(rejection).contains(new AuthRejection(AuthErrorType.UnrecognizedClientException,
                "The security token included in the request is invalid."));
    }

    @Test
    void refusesAnUnsignedCall() {
        // Given
        ReceivedRequest request = new ReceivedRequest("POST", "/", "", headers("Host", "localhost:8080"),
                BODY.getBytes(StandardCharsets.UTF_8));

        // When
        Optional<AuthRejection> rejection = verifier(KEY, "ecs", NOW).verify(request);

        // Then
        assertThat(rejection).contains(new AuthRejection(AuthErrorType.MissingAuthenticationTokenException,
                "Missing Authentication Token"));
    }

    @Test
    void refusesAnExpiredSignatureAsAwsWordsIt() {
        // Given: signed six minutes ago
        ReceivedRequest request = signedBySdk(KEY, Instant.parse("2025-06-01T09:54:00Z"), BODY);

        // When
        Optional<AuthRejection> rejection = verifier(KEY, "ecs", NOW).verify(request);

        // Then
        assertThat(rejection).contains(new AuthRejection(AuthErrorType.InvalidSignatureException,
                "Signature expired: 20250601T095400Z is now earlier than 20250601T095500Z (20250601T100000Z - 5 min.)"));
    }

    @Test
    void refusesASignatureFromTheFuture() {
        // Given: signed six minutes ahead of the server's clock
        ReceivedRequest request = signedBySdk(KEY, Instant.parse("2025-06-01T10:06:00Z"), BODY);

        // When
        Optional<AuthRejection> rejection = verifier(KEY, "ecs", NOW).verify(request);

        // Then
        assertThat(rejection).contains(new AuthRejection(AuthErrorType.InvalidSignatureException,
                "Signature not yet current: 20250601T100600Z is still later than 20250601T100500Z "
                        + "(20250601T100000Z + 5 min.)"));
    }

    @Test
    void refusesAnotherServicesScope() {
        // Given
        ReceivedRequest request = signedBySdk(KEY, NOW, BODY);

        // When
        Optional<AuthRejection> rejection = verifier(KEY, "sqs", NOW).verify(request);

        // Then
        assertThat(rejection).contains(new AuthRejection(AuthErrorType.InvalidSignatureException,
                "Credential should be scoped to correct service: 'sqs'."));
    }

    @Test
    void refusesAnIncompleteAuthorizationHeader() {
        // Given
        ReceivedRequest request = new ReceivedRequest("POST", "/", "", headers(
                "Host", "localhost:8080",
                "X-Amz-Date", "20250601T100000Z",
                "Authorization", "AWS4-HMAC-SHA256 Credential=AKIABERTHTEST/20250601/us-east-1/ecs/aws4_request"),
                BODY.getBytes(StandardCharsets.UTF_8));

        // When
        Optional<AuthRejection> rejection = verifier(KEY, "ecs", NOW).verify(request);

        // Then
        assertThat(rejection).contains(new AuthRejection(AuthErrorType.IncompleteSignatureException,
                "Authorization header requires 'SignedHeaders' parameter. "
                        + "Authorization header requires 'Signature' parameter."));
    }

    @Test
    void refusesAnotherAlgorithm() {
        // Given: a SigV2-style header
        ReceivedRequest request = new ReceivedRequest("POST", "/", "", headers(
                "Host", "localhost:8080", "Authorization", "AWS AKIABERTHTEST:c2lnbmF0dXJl"), new byte[0]);

        // When
        Optional<AuthRejection> rejection = verifier(KEY, "ecs", NOW).verify(request);

        // Then
        assertThat(rejection).get().extracting(AuthRejection::type)
                .isEqualTo(AuthErrorType.IncompleteSignatureException);
    }

    @Test
    void refusesABodyThatIsNotTheOneItsSignedHashDeclares() {
        // Given: the client signs x-amz-content-sha256 of one body and another body arrives
        ReceivedRequest signed = signedBySdk(KEY, NOW, "/", BODY,
                Map.of("x-amz-content-sha256", List.of("required")));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : List.of("Host", "Authorization", "X-Amz-Date", "Content-Type", "X-Amz-Target",
                "x-amz-content-sha256")) {
            headers.put(name, signed.header(name));
        }
        ReceivedRequest tampered = new ReceivedRequest("POST", "/", "", headers,
                BODY.replace("prod", "dev").getBytes(StandardCharsets.UTF_8));

        // When
        Optional<AuthRejection> original = verifier(KEY, "ecs", NOW).verify(signed);
        Optional<AuthRejection> rejection = verifier(KEY, "ecs", NOW).verify(tampered);

        // Then
        assertThat(signed.header("Authorization").get(0)).contains("x-amz-content-sha256");
        assertThat(original).isEmpty();
        assertThat(rejection).get().satisfies(r -> {
            assertThat(r.type()).isEqualTo(AuthErrorType.InvalidSignatureException);
            assertThat(r.message()).startsWith("The x-amz-content-sha256 header does not match");
        });
    }

    @Test
    void neverShowsTheSecret() {
        assertThat(KEY.toString()).doesNotContain(KEY.secretAccessKey()).contains(KEY.accessKeyId());
    }
}
