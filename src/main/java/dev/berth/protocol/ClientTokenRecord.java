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
 * @param response    for a request of berth.requests (key {@code kafka-request/<request id>}), the
 *                    value written to berth.responses, once it has been written; null while the
 *                    request's plan is committed and its answer is not (and for a clientToken)
 * @param answeredRecord for such a request, the record of berth.requests that the response
 *                    answered ({@code topic-partition@offset}): read again after a failover, that
 *                    record is not answered twice, while another record with the same id (a
 *                    producer's retry) gets the same response again. Null in older records.
 */
public record ClientTokenRecord(
        int schemaVersion,
        long version,
        String key,
        String operation,
        String requestHash,
        List<String> resourceIds,
        List<Failed> failures,
        Instant createdAt,
        String response,
        String answeredRecord) implements BerthRecord {

    /** A record without the answered record's position. */
    public ClientTokenRecord(int schemaVersion, long version, String key, String operation, String requestHash,
            List<String> resourceIds, List<Failed> failures, Instant createdAt, String response) {
        this(schemaVersion, version, key, operation, requestHash, resourceIds, failures, createdAt, response, null);
    }

    /** A clientToken's record: no stored response, the answer is rebuilt from the resources. */
    public ClientTokenRecord(int schemaVersion, long version, String key, String operation, String requestHash,
            List<String> resourceIds, List<Failed> failures, Instant createdAt) {
        this(schemaVersion, version, key, operation, requestHash, resourceIds, failures, createdAt, null);
    }

    /** A failure as the call answered it. */
    public record Failed(String arn, String reason) {
    }

    public static String key(String operation, String clientToken) {
        return operation + "/" + clientToken;
    }
}
