package dev.berth.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Who may call the ECS API (env {@code BERTH_API_*}). With no key the API is open, as a
 * one-host Berth is by default; with a key every call must carry an AWS Signature Version 4
 * made with it, as AWS itself checks.
 */
@ConfigMapping(prefix = "berth.api")
public interface ApiConfig {

    /**
     * The access key id that clients sign with (env {@code BERTH_API_ACCESS_KEY_ID}). Set it
     * together with {@link #secretAccessKey()}, or neither: unset, the API accepts unsigned calls.
     */
    Optional<String> accessKeyId();

    /** The secret of that access key (env {@code BERTH_API_SECRET_ACCESS_KEY}). Never logged. */
    Optional<String> secretAccessKey();

    /**
     * How far a call's {@code X-Amz-Date} may be from the scheduler's clock, either way, before
     * the call is refused as expired or not yet current. AWS allows 5 minutes; the SDKs correct
     * their own clock from the answer's {@code Date} header and retry.
     */
    @WithDefault("5m")
    Duration maxClockSkew();

    /**
     * Lets the API listen on an address other than loopback ({@code QUARKUS_HTTP_HOST}) with
     * no access key, so that anyone who reaches it may act on Berth (env
     * {@code BERTH_API_ALLOW_UNSIGNED_REMOTE}). Without it, such a start is refused.
     */
    @WithDefault("false")
    boolean allowUnsignedRemote();
}
