package dev.berth.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A value of {@code berth.responses} (public, schemaVersion 1), keyed by the request id: the
 * scheduler's answer to one record of {@code berth.requests}.
 *
 * <pre>{@code
 * {"schemaVersion": 1, "requestId": "r-42", "operation": "RunTask", "statusCode": 200,
 *  "body": {"tasks": [...], "failures": []}}
 * {"schemaVersion": 1, "requestId": "r-43", "operation": "RunTask", "statusCode": 400,
 *  "body": {"__type": "ClusterNotFoundException", "message": "Cluster not found."}}
 * }</pre>
 *
 * @param operation  the ECS operation, or null when the record did not name a known one
 * @param statusCode what the ECS JSON API would have answered: 200, 4xx for the caller's
 *                   mistakes, 5xx for Berth's (then {@code body.message} says whether anything
 *                   was changed)
 * @param body       exactly the body that the ECS JSON API would have answered: the response, or
 *                   the ECS error {@code {"__type", "message"}}
 */
public record EcsResponseMessage(int schemaVersion, String requestId, String operation, int statusCode,
        JsonNode body) {

    public static final int SCHEMA_VERSION = 1;
}
