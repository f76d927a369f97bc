package dev.berth.api.auth;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP request exactly as the server received it: the raw (still percent-encoded) path and
 * query, the headers, and the body bytes as sent. Header names are matched without regard to
 * case.
 */
public final class ReceivedRequest {

    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    /**
     * @param rawQuery the query without {@code ?}, or null or empty when there is none
     * @param headers every header, each with its values in the order received
     */
    public ReceivedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
            byte[] body) {
        this.method = method;
        this.rawPath = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        this.rawQuery = rawQuery == null ? "" : rawQuery;
        TreeMap<String, List<String>> byLowerName = new TreeMap<>();
        headers.forEach((name, values) -> byLowerName
                .computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new java.util.ArrayList<>()).addAll(values));
        this.headers = byLowerName;
        this.body = body == null ? new byte[0] : body.clone();
    }

    public String method() {
        return method;
    }

    public String rawPath() {
        return rawPath;
    }

    public String rawQuery() {
        return rawQuery;
    }

    /** The values of a header (any case), in the order received; empty when absent. */
    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The first value of a header, or null. */
    public String firstHeader(String name) {
        List<String> values = header(name);
        return values.isEmpty() ? null : values.get(0);
    }

    public byte[] body() {
        return body.clone();
    }
}
