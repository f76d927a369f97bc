package dev.berth.api.auth;

/**
 * The exception names AWS JSON services answer a failed authentication with. The SDKs and
 * the CLI read the name from {@code __type}; AWS sends all four with HTTP 400 on the JSON
 * protocols (ECS, DynamoDB, Kinesis, ...), and so does Berth.
 */
public enum AuthErrorType {
    /** No {@code Authorization} header at all: an unsigned call. */
    MissingAuthenticationTokenException,
    /** An {@code Authorization} header that is not a complete SigV4 one, or no {@code X-Amz-Date}. */
    IncompleteSignatureException,
    /** The access key id is not the one this scheduler knows. */
    UnrecognizedClientException,
    /** The signature does not match, its scope is wrong, or its date is outside the allowed clock skew. */
    InvalidSignatureException;

    /** Every authentication failure is the caller's: HTTP 400, as AWS JSON services answer. */
    public int httpStatus() {
        return 400;
    }
}
