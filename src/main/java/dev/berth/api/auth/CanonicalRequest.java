package dev.berth.api.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SigV4 canonical request of a received request, built as the AWS SDKs build it for
 * every service but S3: the path normalized and URI-encoded once more (the SDKs' "double
 * encoding"), the query parameters decoded, re-encoded and sorted, each signed header as
 * {@code name:value} with the value trimmed and inner runs of spaces collapsed.
 */
final class CanonicalRequest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private CanonicalRequest() {
    }

    static String of(ReceivedRequest request, List<String> signedHeaders, String payloadHash) {
        StringBuilder canonical = new StringBuilder()
                .append(request.method()).append('\n')
                .append(uri(request.rawPath())).append('\n')
                .append(query(request.rawQuery())).append('\n');
        for (String name : signedHeaders) {
            canonical.append(name).append(':').append(headerValue(request.header(name))).append('\n');
        }
        return canonical.append('\n')
                .append(String.join(";", signedHeaders)).append('\n')
                .append(payloadHash)
                .toString();
    }

    /** The raw path without {@code .} and {@code ..} segments, each character outside the unreserved set encoded. */
    static String uri(String rawPath) {
        Deque<String> segments = new ArrayDeque<>();
        String[] parts = rawPath.split("/", -1);
        for (int i = 1; i < parts.length; i++) {
            String segment = parts[i];
            if (segment.equals("..")) {
                segments.pollLast();
            } else if (!segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        boolean trailingSlash = rawPath.endsWith("/") || rawPath.endsWith("/.") || rawPath.endsWith("/..");
        String normalized = "/" + String.join("/", segments);
        if (trailingSlash && !normalized.endsWith("/")) {
            normalized += "/";
        }
        return encode(normalized, true);
    }

    static String query(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> parameters = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.add(new String[] {encode(decode(name), false), encode(decode(value), false)});
        }
        return parameters.stream()
                .sorted((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]))
                .map(p -> p[0] + "=" + p[1])
                .collect(Collectors.joining("&"));
    }

    /** All values of one header, each trimmed with inner runs of spaces collapsed, joined with commas. */
    static String headerValue(List<String> values) {
        return values.stream()
                .map(v -> v.strip().replaceAll("\\s+", " "))
                .collect(Collectors.joining(","));
    }

    /** RFC 3986 encoding as SigV4 wants it: only {@code A-Za-z0-9-_.~} (and {@code /} in paths) stay as they are. */
    static String encode(String text, boolean keepSlash) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == '~' || keepSlash && c == '/') {
                encoded.append(c);
            } else {
                encoded.append('%').append(HEX.toHexDigits(b));
            }
        }
        return encoded.toString();
    }

    /** Percent-decoding that leaves {@code +} alone (the SDKs send a space as {@code %20}) and keeps a stray {@code %}. */
    static String decode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1))
                    && isHex(text.charAt(i + 2))) {
                bytes.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
                i += 3;
            } else {
                int codePoint = text.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
