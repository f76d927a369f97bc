package dev.berth.api;

import dev.berth.api.auth.AuthRejection;
import dev.berth.api.auth.ReceivedRequest;
import dev.berth.api.auth.SigV4Verifier;
import dev.berth.api.auth.SigningKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
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
    private final boolean allowUnsignedRemote;

    /** The example pair that the shipped scheduler.env shows: a key known to anyone is no key. */
    static final String EXAMPLE_ACCESS_KEY_ID = "AKIABERTHEXAMPLE";
    static final String EXAMPLE_SECRET = "change-me";

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
        if (id.filter(EXAMPLE_ACCESS_KEY_ID::equals).isPresent() || secret.filter(EXAMPLE_SECRET::equals).isPresent()) {
            throw new IllegalStateException("BERTH_API_ACCESS_KEY_ID or BERTH_API_SECRET_ACCESS_KEY is the example "
                    + "shown in the shipped scheduler.env, which anyone can read: make a pair of your own.");
        }
        this.key = id.map(akid -> new SigningKey(akid, secret.orElseThrow()));
        this.allowUnsignedRemote = config.allowUnsignedRemote();
        this.verifier = key.map(k -> new SigV4Verifier(k, SERVICE, config.maxClockSkew(), clock));
    }

    /** @return empty when the call may go on, else why it is refused */
    public Optional<AuthRejection> check(ReceivedRequest request) {
        return verifier.flatMap(v -> v.verify(request));
    }

    /**
     * Says once, where the scheduler role runs and before its API answers, whether that API is
     * open, and refuses to start an open API on an address other than loopback unless that was
     * asked for.
     *
     * @throws IllegalStateException when the API would be open on such an address
     */
    public void announce(String host) {
        Optional<String> refusal = exposureRefusal(host, key.isPresent(), allowUnsignedRemote);
        if (refusal.isPresent()) {
            String source = ConfigProvider.getConfig().getConfigValue("quarkus.http.host").getSourceName();
            String message = refusal.get() + " (quarkus.http.host comes from " + source + ")";
            LOGGER.error(message);
            throw new IllegalStateException(message);
        }
        if (key.isPresent()) {
            LOGGER.infof("The ECS API on %s requires calls signed (SigV4) with access key %s", host,
                    key.get().accessKeyId());
        } else if (isLoopback(host)) {
            LOGGER.infof("The ECS API accepts unsigned calls on %s only: set BERTH_API_ACCESS_KEY_ID and "
                    + "BERTH_API_SECRET_ACCESS_KEY, then QUARKUS_HTTP_HOST, to serve other hosts", host);
        } else {
            LOGGER.warnf("The ECS API accepts unsigned calls from anyone who reaches %s "
                    + "(berth.api.allow-unsigned-remote=true): anyone on the network may act on Berth", host);
        }
    }

    /** Why the API must not start open on this address, if it must not. */
    static Optional<String> exposureRefusal(String host, boolean signed, boolean allowUnsignedRemote) {
        if (signed || allowUnsignedRemote || isLoopback(host)) {
            return Optional.empty();
        }
        return Optional.of("The ECS API would accept unsigned calls on " + host + ", from anyone who reaches it. "
                + "Set BERTH_API_ACCESS_KEY_ID and BERTH_API_SECRET_ACCESS_KEY to require signed calls, keep "
                + "QUARKUS_HTTP_HOST=127.0.0.1, or set BERTH_API_ALLOW_UNSIGNED_REMOTE=true to accept the risk.");
    }

    static boolean isLoopback(String host) {
        String h = host == null ? "" : host.trim();
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }
}
