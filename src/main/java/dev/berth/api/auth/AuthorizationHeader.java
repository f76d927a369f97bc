package dev.berth.api.auth;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed SigV4 {@code Authorization} header:
 * {@code AWS4-HMAC-SHA256 Credential=<akid>/<yyyymmdd>/<region>/<service>/aws4_request,
 * SignedHeaders=<a;b;c>, Signature=<hex>}.
 */
record AuthorizationHeader(String accessKeyId, String scopeDate, String region, String service,
        List<String> signedHeaders, String signature) {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String TERMINATOR = "aws4_request";

    /** The credential scope: {@code <yyyymmdd>/<region>/<service>/aws4_request}. */
    String scope() {
        return scopeDate + "/" + region + "/" + service + "/" + TERMINATOR;
    }

    /**
     * @throws Refusal IncompleteSignatureException when the header is not a complete SigV4 one
     */
    static AuthorizationHeader parse(String header) {
        String trimmed = header.strip();
        int space = trimmed.indexOf(' ');
        String algorithm = space < 0 ? trimmed : trimmed.substring(0, space);
        if (!ALGORITHM.equals(algorithm)) {
            throw incomplete("Unsupported AWS 'algorithm': '" + algorithm + "'. Berth accepts " + ALGORITHM + ".");
        }
        Map<String, String> parameters = new HashMap<>();
        for (String part : trimmed.substring(space + 1).split(",")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                parameters.put(part.substring(0, equals).strip(), part.substring(equals + 1).strip());
            }
        }
        StringBuilder missing = new StringBuilder();
        for (String required : List.of("Credential", "SignedHeaders", "Signature")) {
            if (parameters.getOrDefault(required, "").isEmpty()) {
                missing.append("Authorization header requires '").append(required).append("' parameter. ");
            }
        }
        if (missing.length() > 0) {
            throw incomplete(missing.toString().strip());
        }
        String[] credential = parameters.get("Credential").split("/", -1);
        if (credential.length != 5 || Arrays.stream(credential).anyMatch(String::isEmpty)) {
            throw incomplete("Credential should be <access key id>/<yyyymmdd>/<region>/<service>/" + TERMINATOR
                    + ", not '" + parameters.get("Credential") + "'.");
        }
        if (!TERMINATOR.equals(credential[4])) {
            throw incomplete("Credential should be scoped with a valid terminator: '" + TERMINATOR + "', not '"
                    + credential[4] + "'.");
        }
        List<String> signedHeaders = List.of(parameters.get("SignedHeaders").split(";"));
        return new AuthorizationHeader(credential[0], credential[1], credential[2], credential[3], signedHeaders,
                parameters.get("Signature"));
    }

    private static Refusal incomplete(String message) {
        return new Refusal(AuthErrorType.IncompleteSignatureException, message);
    }
}
