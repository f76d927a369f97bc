package dev.berth.api;

import dev.berth.api.auth.ReceivedRequest;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who makes the ECS call the current thread answers: the access key id of its SigV4
 * credential, or none. When Berth requires signed calls the key is the one the signature was
 * checked against; when it accepts unsigned calls the key is taken as the caller says it, as
 * everything else is. Account settings are kept per caller, and task definitions name it in
 * {@code registeredBy}.
 */
public final class Caller {

    private static final ThreadLocal<String> ACCESS_KEY_ID = new ThreadLocal<>();
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
    private static final Pattern QUERY_CREDENTIAL = Pattern.compile("(?:^|&)X-Amz-Credential=([^%/&]+)(?:%2F|/)");

    private Caller() {
    }

    /** The access key id of the current call, or null when it carries none. */
    public static String accessKeyId() {
        return ACCESS_KEY_ID.get();
    }

    /** Runs {@code body} as a call made with {@code accessKeyId} (null: no key). */
    public static <T> T within(String accessKeyId, Supplier<T> body) {
        String outer = ACCESS_KEY_ID.get();
        ACCESS_KEY_ID.set(accessKeyId);
        try {
            return body.get();
        } finally {
            if (outer == null) {
                ACCESS_KEY_ID.remove();
            } else {
                ACCESS_KEY_ID.set(outer);
            }
        }
    }

    /** The access key id in a call's {@code Authorization} header or presigned query, if any. */
    public static Optional<String> accessKeyIdOf(ReceivedRequest request) {
        for (String value : request.header("Authorization")) {
            Matcher m = CREDENTIAL.matcher(value);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        String query = request.rawQuery();
        if (!query.isEmpty()) {
            Matcher m = QUERY_CREDENTIAL.matcher(query);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }
}
