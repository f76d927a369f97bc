package dev.berth.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClientTokenRecord;
import dev.berth.protocol.RecordCodec;
import dev.berth.scheduler.state.SchedulerState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * ECS's {@code clientToken}: within {@link #TTL} of a call, a call with the same token and
 * the same request answers what the first one did and acts no more; the same token with
 * another request is a {@code ConflictException}. The tokens live in berth.client-tokens,
 * written in the same transaction as the plan they answer for, so this holds across
 * restarts and failovers.
 */
public final class ClientTokens {

    /** How long ECS remembers a RunTask client token. */
    public static final Duration TTL = Duration.ofHours(24);
    /** ECS's limit for RunTask: up to 64 ASCII characters from 33 to 126. */
    private static final int MAX_LENGTH = 64;

    private final SchedulerState state;
    private final ObjectMapper mapper = RecordCodec.newMapper();

    ClientTokens(SchedulerState state) {
        this.state = state;
    }

    /** The key of a token: tokens are scoped per operation and cluster, as in ECS. */
    public static String key(String operation, String cluster, String token) {
        return ClientTokenRecord.key(operation, cluster + "/" + token);
    }

    /** @throws EcsException (InvalidParameterException) when the token breaks ECS's rules */
    static void validate(String token) {
        if (token == null) {
            return;
        }
        boolean printable = token.chars().allMatch(c -> c >= 33 && c <= 126);
        if (token.isEmpty() || token.length() > MAX_LENGTH || !printable) {
            throw EcsException.invalidParameter("Invalid 'clientToken': up to " + MAX_LENGTH
                    + " ASCII characters in the range 33-126 are allowed.");
        }
    }

    /**
     * What a previous call with this token did, if it is still remembered.
     *
     * @throws EcsException (ConflictException) when that call asked for something else
     */
    Optional<ClientTokenRecord> previous(String key, String requestHash) {
        Instant now = state.clock().instant();
        Optional<ClientTokenRecord> held = state.clientToken(key)
                .filter(t -> t.createdAt() == null || t.createdAt().plus(TTL).isAfter(now));
        if (held.isPresent() && !held.get().requestHash().equals(requestHash)) {
            throw new EcsException(EcsErrorType.ConflictException, "The request uses the same client token as a "
                    + "previous, but non-identical request. Do not reuse a client token with different requests, "
                    + "unless the requests are identical.");
        }
        return held;
    }

    ClientTokenRecord record(String key, String operation, String requestHash, List<String> resourceIds,
            List<Failure> failures) {
        List<ClientTokenRecord.Failed> failed = new ArrayList<>();
        for (Failure f : failures) {
            failed.add(new ClientTokenRecord.Failed(f.arn(), f.reason()));
        }
        return new ClientTokenRecord(BerthRecord.SCHEMA_VERSION, 1, key, operation, requestHash,
                List.copyOf(resourceIds), failed, state.clock().instant());
    }

    /** The tokens past the window, to tombstone. */
    List<StateChange> expired(Instant now) {
        List<StateChange> changes = new ArrayList<>();
        for (ClientTokenRecord token : state.clientTokens()) {
            if (token.createdAt() != null && token.createdAt().plus(TTL).isBefore(now)) {
                changes.add(new StateChange.ForgetClientToken(token.key()));
            }
        }
        return changes;
    }

    /** SHA-256 of a request's JSON, without its token. */
    String hash(Object request) {
        try {
            byte[] json = mapper.writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a request", e);
        }
    }
}
