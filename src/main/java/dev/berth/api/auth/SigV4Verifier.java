package dev.berth.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the AWS Signature Version 4 of a received request against the one key this API
 * accepts, in the order AWS does: a signature at all, a complete header and date, a known
 * access key, a scope for this service and the request's date, a date within the clock
 * skew, a body that matches its declared hash, then the signature itself (compared in
 * constant time). The region of the scope is not checked: it only has to be the one the
 * client signed with.
 */
public final class SigV4Verifier {

    static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String HMAC = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private final SigningKey key;
    private final String service;
    private final Duration maxClockSkew;
    private final Clock clock;

    /**
     * @param service the service name the credential scope must carry ({@code ecs})
     * @param maxClockSkew how far {@code X-Amz-Date} may be from this server's clock, either way
     */
    public SigV4Verifier(SigningKey key, String service, Duration maxClockSkew, Clock clock) {
        this.key = key;
        this.service = service;
        this.maxClockSkew = maxClockSkew;
        this.clock = clock;
    }

    /** @return empty when the request is signed with the key, else why it is refused */
    public Optional<AuthRejection> verify(ReceivedRequest request) {
        try {
            check(request);
            return Optional.empty();
        } catch (Refusal refusal) {
            return Optional.of(refusal.rejection());
        }
    }

    private void check(ReceivedRequest request) {
        List<String> authorization = request.header("Authorization");
        if (authorization.isEmpty()) {
            throw new Refusal(AuthErrorType.MissingAuthenticationTokenException, "Missing Authentication Token");
        }
        if (authorization.size() > 1) {
            throw new Refusal(AuthErrorType.IncompleteSignatureException, "Only one Authorization header is allowed.");
        }
        AuthorizationHeader header = AuthorizationHeader.parse(authorization.get(0));
        String amzDate = request.firstHeader("X-Amz-Date");
        if (amzDate == null) {
            throw new Refusal(AuthErrorType.IncompleteSignatureException,
                    "Authorization header requires existence of a 'X-Amz-Date' header.");
        }
        Instant signedAt = parseAmzDate(amzDate);
        if (!MessageDigest.isEqual(utf8(header.accessKeyId()), utf8(key.accessKeyId()))) {
            throw new Refusal(AuthErrorType.UnrecognizedClientException,
                    "The security token included in the request is invalid.");
        }
        checkScope(header, amzDate);
        if (request.firstHeader("X-Amz-Target") != null && !header.signedHeaders().contains("x-amz-target")) {
            // The operation is named by this header alone: unsigned, a captured call could be
            // sent again as any other operation on the same body. The SDKs and the CLI sign it.
            throw invalid("'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
        }
        checkClockSkew(amzDate, signedAt);
        String payloadHash = payloadHash(request);
        String canonical = CanonicalRequest.of(request, header.signedHeaders(), payloadHash);
        String stringToSign = AuthorizationHeader.ALGORITHM + "\n" + amzDate + "\n" + header.scope() + "\n"
                + HEX.formatHex(sha256(utf8(canonical)));
        byte[] expected = utf8(HEX.formatHex(hmac(signingKey(header), stringToSign)));
        if (!MessageDigest.isEqual(expected, utf8(header.signature()))) {
            throw invalid("The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. Consult the service documentation "
                    + "for details.");
        }
    }

    private static Instant parseAmzDate(String amzDate) {
        try {
            return Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            throw new Refusal(AuthErrorType.IncompleteSignatureException,
                    "Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'. See http://en.wikipedia.org/wiki/ISO_8601");
        }
    }

    private void checkScope(AuthorizationHeader header, String amzDate) {
        String day = amzDate.substring(0, 8);
        if (!header.scopeDate().equals(day)) {
            throw invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + header.scopeDate() + "' != '" + day + "', from '" + amzDate + "'.");
        }
        if (!header.service().equals(service)) {
            throw invalid("Credential should be scoped to correct service: '" + service + "'.");
        }
        if (!header.signedHeaders().contains("host")) {
            throw invalid("'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }
    }

    private void checkClockSkew(String amzDate, Instant signedAt) {
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(maxClockSkew))) {
            throw invalid("Signature expired: " + amzDate + " is now earlier than "
                    + AMZ_DATE.format(now.minus(maxClockSkew)) + " (" + AMZ_DATE.format(now) + " - "
                    + describe(maxClockSkew) + ".)");
        }
        if (signedAt.isAfter(now.plus(maxClockSkew))) {
            throw invalid("Signature not yet current: " + amzDate + " is still later than "
                    + AMZ_DATE.format(now.plus(maxClockSkew)) + " (" + AMZ_DATE.format(now) + " + "
                    + describe(maxClockSkew) + ".)");
        }
    }

    /**
     * The body's hex SHA-256, or the client's {@code x-amz-content-sha256} when it sends one;
     * that header must then match the body, so a signed hash cannot vouch for another body.
     */
    private static String payloadHash(ReceivedRequest request) {
        String actual = HEX.formatHex(sha256(request.body()));
        String declared = request.firstHeader("x-amz-content-sha256");
        if (declared == null) {
            return actual;
        }
        if (!declared.strip().equalsIgnoreCase(actual)) {
            throw invalid("The x-amz-content-sha256 header does not match the SHA-256 of the request body "
                    + "(Berth accepts signed payloads only).");
        }
        return declared.strip();
    }

    private byte[] signingKey(AuthorizationHeader header) {
        byte[] dateKey = hmac(utf8("AWS4" + key.secretAccessKey()), header.scopeDate());
        byte[] regionKey = hmac(dateKey, header.region());
        byte[] serviceKey = hmac(regionKey, header.service());
        return hmac(serviceKey, AuthorizationHeader.TERMINATOR);
    }

    private static String describe(Duration skew) {
        return skew.toSecondsPart() == 0 ? skew.toMinutes() + " min" : skew.toSeconds() + " sec";
    }

    private static Refusal invalid(String message) {
        return new Refusal(AuthErrorType.InvalidSignatureException, message);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(utf8(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
