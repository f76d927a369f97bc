package dev.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One service as DescribeServices shows it: its counts and its PRIMARY deployment's task
 * definition and rolloutState.
 */
record ServiceStatus(int desiredCount, int runningCount, int pendingCount, String primaryTaskDefinition,
        String primaryRolloutState, int deployments, int maximumPercent, int minimumHealthyPercent) {

    static ServiceStatus describe(EcsApi api, String cluster, String service) throws EcsCallException {
        ObjectNode body = EcsApi.body().put("cluster", cluster);
        body.putArray("services").add(service);
        JsonNode s = api.call("DescribeServices", body).path("services").path(0);
        JsonNode primary = null;
        for (JsonNode d : s.path("deployments")) {
            if ("PRIMARY".equals(d.path("status").asText())) {
                primary = d;
            }
        }
        return new ServiceStatus(s.path("desiredCount").asInt(), s.path("runningCount").asInt(),
                s.path("pendingCount").asInt(), primary == null ? "" : primary.path("taskDefinition").asText(),
                primary == null ? "" : primary.path("rolloutState").asText(), s.path("deployments").size(),
                s.path("deploymentConfiguration").path("maximumPercent").asInt(),
                s.path("deploymentConfiguration").path("minimumHealthyPercent").asInt());
    }

    /** The PRIMARY deployment runs {@code revision} of the family and its rollout is COMPLETED. */
    boolean completedOn(String familyRevision) {
        return primaryTaskDefinition.endsWith("/" + familyRevision) && "COMPLETED".equals(primaryRolloutState);
    }
}
