package dev.berth.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A value of {@code berth.events} (public, schemaVersion 1), keyed by the resource's ARN: an
 * ECS event in Amazon EventBridge's envelope, with ECS's {@code detail} for its
 * {@code detail-type}, so that code written for ECS's events on EventBridge reads
 * {@code detail} unchanged. {@code schemaVersion} is Berth's own addition to the envelope.
 *
 * <pre>{@code
 * {"version": "0", "id": "5f0c...", "detail-type": "ECS Task State Change", "source": "aws.ecs",
 *  "account": "000000000000", "time": "2026-12-01T00:10:05Z", "region": "us-east-1",
 *  "resources": ["arn:aws:ecs:us-east-1:000000000000:task/default/4a1e..."],
 *  "detail": {"taskArn": "...", "lastStatus": "RUNNING", "version": 4, ...}, "schemaVersion": 1}
 * }</pre>
 *
 * @param id   the same for the same change, whoever publishes it: a name-based UUID of the
 *             resource, the detail type, the event's name and the resource's version
 * @param time when the change reached Kafka (the source record's timestamp), to the second
 */
@JsonPropertyOrder({"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail",
        "schemaVersion"})
public record EcsEvent(
        String version,
        String id,
        @JsonProperty("detail-type") String detailType,
        String source,
        String account,
        String time,
        String region,
        List<String> resources,
        JsonNode detail,
        int schemaVersion) {

    public static final int SCHEMA_VERSION = 1;
    /** EventBridge's envelope version: "0" on every event. */
    public static final String ENVELOPE_VERSION = "0";
    public static final String SOURCE = "aws.ecs";
    public static final String TASK_STATE_CHANGE = "ECS Task State Change";
    public static final String CONTAINER_INSTANCE_STATE_CHANGE = "ECS Container Instance State Change";
    public static final String SERVICE_ACTION = "ECS Service Action";
    public static final String DEPLOYMENT_STATE_CHANGE = "ECS Deployment State Change";

    /**
     * The detail of an "ECS Service Action" event.
     *
     * @param eventType INFO, WARN or ERROR
     * @param reason    for SERVICE_TASK_PLACEMENT_FAILURE, the placement's reason (RESOURCE:MEMORY, ...)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ServiceAction(String eventType, String eventName, String clusterArn, Instant createdAt,
            String reason) {
    }

    /**
     * The detail of an "ECS Deployment State Change" event.
     *
     * @param eventType INFO, or ERROR for SERVICE_DEPLOYMENT_FAILED
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeploymentStateChange(String eventType, String eventName, String deploymentId, Instant updatedAt,
            String reason) {
    }
}
