package dev.berth.api;

import dev.berth.api.auth.AuthRejection;
import dev.berth.api.auth.ReceivedRequest;
import dev.berth.api.auth.SigV4Verifier;
import dev.berth.api.auth.SigningKey;
import dev.berth.scheduler.SchedulerRole;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Decides whether an ECS API call may go on: always when no access key is configured,
 * otherwise only when it carries a valid SigV4 signature made with that key.
 */
@ApplicationScoped
public class ApiAuthentication {

    /** The service name in the credential scope, as the AWS SDKs and CLI sign ECS calls. */
    static final String SERVICE = "ecs";

    private static final Logger LOGGER = Logger.getLogger(ApiAuthentication.class);

    private final Optional<SigningKey> key;
    private final Optional<SigV4Verifier> verifier;

    @Inject
    public ApiAuthentication(ApiConfig config) {
        this(config, Clock.systemUTC());
    }

    /**
     * @throws IllegalStateException when only one half of the key pair is configured: Berth
     *     must not start open while the operator believes it is closed
     */
    public ApiAuthentication(ApiConfig config, Clock clock) {
        Optional<String> id = config.accessKeyId().filter(s -> !s.isBlank());
        Optional<String> secret = config.secretAccessKey().filter(s -> !s.isEmpty());
        if (id.isPresent() != secret.isPresent()) {
            throw new IllegalStateException("berth.api.access-key-id (BERTH_API_ACCESS_KEY_ID) and "
                    + "berth.api.secret-access-key (BERTH_API_SECRET_ACCESS_KEY) go together: set both to require "
                    + "signed ECS API calls, or neither to accept unsigned ones. Only "
                    + (id.isPresent() ? "the access key id" : "the secret access key") + " is set.");
        }
        this.key = id.map(akid -> new SigningKey(akid, secret.orElseThrow()));
        this.verifier = key.map(k -> new SigV4Verifier(k, SERVICE, config.maxClockSkew(), clock));
    }

    /** @return empty when the call may go on, else why it is refused */
    public Optional<AuthRejection> check(ReceivedRequest request) {
        return verifier.flatMap(v -> v.verify(request));
    }

    /** Says once, after the roles have started, whether the scheduler's API is open. */
    void announce(@Observes @Priority(200) StartupEvent event, SchedulerRole scheduler) {
        if (!scheduler.isRunning()) {
            return;
        }
        if (key.isPresent()) {
            LOGGER.infof("The ECS API requires calls signed (SigV4) with access key %s", key.get().accessKeyId());
        } else {
            LOGGER.warn("The ECS API accepts unsigned calls from anyone who reaches it: set "
                    + "BERTH_API_ACCESS_KEY_ID and BERTH_API_SECRET_ACCESS_KEY to require signed ones");
        }
    }
}
