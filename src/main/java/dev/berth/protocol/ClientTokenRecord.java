package dev.berth.protocol;

import java.time.Instant;
import java.util.List;

/**
 * {@code berth.client-tokens}, key {@code <operation>/<clientToken>}, written by the scheduler
 * in the same transaction as the plan the call produced: what a call with this
 * {@code clientToken} did, so that a retry answers the same and acts no more. The scheduler
 * tombstones the record once the token is older than the idempotency window.
 *
 * @param requestHash SHA-256 of the request without its token: the same token with another
 *                    request is refused
 * @param resourceIds the entities the call created (task ids for RunTask), in answer order
 * @param failures    the failures it answered, as {@code arn} and {@code reason}
 */
public record ClientTokenRecord(
        int schemaVersion,
        long version,
        String key,
        String operation,
        String requestHash,
        List<String> resourceIds,
        List<Failed> failures,
        Instant createdAt) implements BerthRecord {

    /** A failure as the call answered it. */
    public record Failed(String arn, String reason) {
    }

    public static String key(String operation, String clientToken) {
        return operation + "/" + clientToken;
    }
}
