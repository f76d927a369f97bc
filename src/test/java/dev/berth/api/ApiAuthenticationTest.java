package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.auth.AuthErrorType;
import dev.berth.api.auth.AuthRejection;
import dev.berth.api.auth.ReceivedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiAuthenticationTest {

    private static ApiConfig config(String accessKeyId, String secret) {
        return new ApiConfig() {
            @Override
            public Optional<String> accessKeyId() {
                return Optional.ofNullable(accessKeyId);
            }

            @Override
            public Optional<String> secretAccessKey() {
                return Optional.ofNullable(secret);
            }

            @Override
            public Duration maxClockSkew() {
                return Duration.ofMinutes(5);
            }

            @Override
            public boolean allowUnsignedRemote() {
                return false;
            }
        };
    }

    private static final ReceivedRequest UNSIGNED = new ReceivedRequest("POST", "/", null,
            Map.of("Host", List.of("localhost:8080")), "{}".getBytes());

    @Test
    void acceptsUnsignedCallsWhenNoKeyIsConfigured() {
        // Given
        ApiAuthentication open = new ApiAuthentication(config(null, null), Clock.systemUTC());

        // When / Then
        assertThat(open.check(UNSIGNED)).isEmpty();
    }

    @Test
    void refusesUnsignedCallsWhenAKeyIsConfigured() {
        // Given
        ApiAuthentication closed = new ApiAuthentication(config("AKIDEXAMPLE", "secret"), Clock.systemUTC());

        // When
        Optional<AuthRejection> rejection = closed.check(UNSIGNED);

        // Then
        assertThat(rejection).get().extracting(AuthRejection::type)
                .isEqualTo(AuthErrorType.MissingAuthenticationTokenException);
    }

    @Test
    void refusesToStartWithHalfAKey() {
        assertThatThrownBy(() -> new ApiAuthentication(config("AKIDEXAMPLE", null), Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BERTH_API_SECRET_ACCESS_KEY")
                .hasMessageContaining("Only the access key id is set");
        assertThatThrownBy(() -> new ApiAuthentication(config(null, "secret"), Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Only the secret access key is set");
    }

    @Test
    void refusesToStartWithTheExampleKeyThatTheShippedEnvFileShows() {
        assertThatThrownBy(() -> new ApiAuthentication(config("AKIABERTHEXAMPLE", "s3cret-of-my-own"),
                Clock.systemUTC())).isInstanceOf(IllegalStateException.class).hasMessageContaining("a pair of your own");
        assertThatThrownBy(() -> new ApiAuthentication(config("AKIAMYOWNKEY", "change-me"), Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("a pair of your own");
    }

    @Test
    void anOpenApiListensOnLoopbackUnlessTheOperatorAcceptsTheRisk() {
        assertThat(ApiAuthentication.exposureRefusal("127.0.0.1", false, false)).isEmpty();
        assertThat(ApiAuthentication.exposureRefusal("localhost", false, false)).isEmpty();
        assertThat(ApiAuthentication.exposureRefusal("0.0.0.0", true, false)).isEmpty();
        assertThat(ApiAuthentication.exposureRefusal("0.0.0.0", false, true)).isEmpty();
        assertThat(ApiAuthentication.exposureRefusal("0.0.0.0", false, false)).get().asString()
                .contains("BERTH_API_ALLOW_UNSIGNED_REMOTE").contains("0.0.0.0");
    }
}
