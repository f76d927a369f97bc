package dev.berth.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.Set;

/**
 * A value of {@code berth.requests} (public, schemaVersion 1): an ECS operation and the same
 * JSON body that the ECS JSON 1.1 API takes.
 *
 * <pre>{@code
 * key:   r-42                                   (the request id; or "requestId" in the value)
 * value: {"schemaVersion": 1, "operation": "RunTask",
 *         "request": {"cluster": "default", "taskDefinition": "web"}}
 * }</pre>
 *
 * The request id is the record key; a producer that cannot set keys puts it in the value as
 * {@code requestId}. When both are there they must be equal. {@code operation} is the ECS
 * name ({@code RunTask}), or the whole {@code X-Amz-Target}. {@code request} may be left out
 * for operations without parameters. {@code schemaVersion} may be left out (1).
 */
public record EcsRequestMessage(Integer schemaVersion, String requestId, String operation, JsonNode request) {

    /** The only schema this code reads; a request with another is refused, never guessed at. */
    public static final int SCHEMA_VERSION = 1;
    /**
     * A request id longer than this is refused (answered under it all the same): it is a key
     * the scheduler keeps for a day.
     */
    public static final int MAX_REQUEST_ID_LENGTH = 256;
    /** The most characters of a caller's value that an error message quotes. */
    static final int MAX_QUOTED = 300;
    /** Prefix of an {@code X-Amz-Target}, accepted in {@code operation}. */
    public static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";

    /** What a record of berth.requests is: a request to act on, or one to refuse with a reason. */
    public sealed interface Decoded {
        /** A request to dispatch; {@code request} is a JSON object. */
        record Valid(String requestId, String operation, JsonNode request) implements Decoded {
        }

        /**
         * Not a valid request. {@code requestId} is the id as the record gives it, also one
         * that is too long, or null when none could be read (then no response can be
         * addressed); {@code operation} the ECS operation it names, when it names one Berth
         * serves, else null; {@code errorType} is the ECS exception it is answered with.
         */
        record Invalid(String requestId, String operation, String errorType, String reason) implements Decoded {
            public Invalid(String requestId, String errorType, String reason) {
                this(requestId, null, errorType, reason);
            }
        }
    }

    /**
     * Reads a record of berth.requests. Never throws: whatever the bytes are, the answer says
     * what to do with them.
     */
    public static Decoded decode(String key, byte[] value, Set<String> operations, ObjectMapper mapper) {
        String keyId = key == null || key.isEmpty() ? null : key;
        if (value == null) {
            return new Decoded.Invalid(keyId, "SerializationException",
                    "The record has no value: expected a JSON object with 'operation' and 'request'.");
        }
        JsonNode root;
        try {
            root = mapper.readTree(value);
        } catch (IOException e) {
            return new Decoded.Invalid(keyId, "SerializationException",
                    "The record is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            return new Decoded.Invalid(keyId, "SerializationException",
                    "The record is not a JSON object: expected 'operation' and 'request'.");
        }
        String known = knownOperation(root, operations);
        JsonNode idNode = root.get("requestId");
        if (idNode != null && !idNode.isNull() && !idNode.isTextual()) {
            return new Decoded.Invalid(keyId, known, "SerializationException", "'requestId' must be a string.");
        }
        String valueId = idNode == null || idNode.isNull() || idNode.asText().isEmpty() ? null : idNode.asText();
        if (keyId != null && valueId != null && !keyId.equals(valueId)) {
            return new Decoded.Invalid(keyId, known, "InvalidParameterException", "The record key '" + shown(keyId)
                    + "' and 'requestId' '" + shown(valueId) + "' differ: the request id is one of them, or both equal.");
        }
        String id = keyId != null ? keyId : valueId;
        if (id == null) {
            return new Decoded.Invalid(null, known, "InvalidParameterException",
                    "Missing request id: set it as the record key or as 'requestId'.");
        }
        if (id.length() > MAX_REQUEST_ID_LENGTH) {
            return new Decoded.Invalid(id, known, "InvalidParameterException", "The request id is longer than "
                    + MAX_REQUEST_ID_LENGTH + " characters (" + id.length() + "): send the request under a shorter one.");
        }
        JsonNode version = root.get("schemaVersion");
        // A number equal to 1, as JSON Schema's const compares numbers: Python's json writes 1.0.
        if (version != null && !version.isNull() && (!version.isNumber()
                || version.decimalValue().compareTo(java.math.BigDecimal.valueOf(SCHEMA_VERSION)) != 0)) {
            return new Decoded.Invalid(id, known, "InvalidParameterException", "Unsupported 'schemaVersion' "
                    + shown(version.toString()) + ": this scheduler reads " + SCHEMA_VERSION + ".");
        }
        JsonNode operationNode = root.get("operation");
        if (operationNode == null || !operationNode.isTextual() || operationNode.asText().isBlank()) {
            return new Decoded.Invalid(id, known, "SerializationException",
                    "Missing 'operation': the ECS operation name as a string, e.g. \"RunTask\".");
        }
        String operation = operationNode.asText();
        if (operation.startsWith(TARGET_PREFIX)) {
            operation = operation.substring(TARGET_PREFIX.length());
        }
        if (!operations.contains(operation)) {
            return new Decoded.Invalid(id, known, "UnknownOperationException",
                    "Unknown operation " + shown(operationNode.asText()) + ": Berth does not implement it.");
        }
        JsonNode request = root.get("request");
        if (request == null || request.isNull()) {
            request = JsonNodeFactory.instance.objectNode();
        } else if (!request.isObject()) {
            return new Decoded.Invalid(id, known, "SerializationException",
                    "'request' must be a JSON object: the body the ECS API takes for " + operation + ".");
        }
        return new Decoded.Valid(id, operation, request);
    }

    /** The operation a request object names, when Berth serves it; else null. */
    private static String knownOperation(JsonNode root, Set<String> operations) {
        JsonNode node = root.get("operation");
        if (node == null || !node.isTextual()) {
            return null;
        }
        String operation = node.asText();
        if (operation.startsWith(TARGET_PREFIX)) {
            operation = operation.substring(TARGET_PREFIX.length());
        }
        return operations.contains(operation) ? operation : null;
    }

    /** The {@code requestId} a record's value names, or null when it names none (or is no JSON object). */
    public static String requestIdInValue(byte[] value, ObjectMapper mapper) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode id = mapper.readTree(value).get("requestId");
            return id != null && id.isTextual() && !id.asText().isEmpty() ? id.asText() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * What of a caller's value an error message quotes: a record may be as large as the broker
     * takes, and an answer or dead letter that quoted all of it could be larger than the broker
     * takes, which would hold the consumer on the record.
     */
    static String shown(String value) {
        if (value == null || value.length() <= MAX_QUOTED) {
            return value;
        }
        return value.substring(0, MAX_QUOTED) + "... (" + value.length() + " characters)";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
