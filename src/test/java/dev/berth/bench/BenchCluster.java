package dev.berth.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.Resources;
import java.util.Set;

/**
 * The cluster and task definition every figure places: small tasks (no host ports) on
 * instances large enough that capacity never refuses one, so the figures measure the control
 * plane, not bin packing running out of room.
 */
final class BenchCluster {

    static final String FAMILY = "bench-web";
    static final int TASK_CPU = 64;
    static final int TASK_MEMORY = 256;
    /** 64 tasks of the family per instance: 320,000 on 5,000 instances. */
    static final Resources INSTANCE_CAPACITY = new Resources(64 * TASK_CPU, 64 * TASK_MEMORY, Set.of(22));

    private BenchCluster() {
    }

    static void create(EcsApi api, String cluster) throws EcsCallException {
        api.call("CreateCluster", EcsApi.body().put("clusterName", cluster));
        registerRevision(api);
    }

    /** Registers the family's task definition once more: its next revision, as {@code family:revision}. */
    static String registerRevision(EcsApi api) throws EcsCallException {
        ObjectNode definition = EcsApi.body().put("family", FAMILY);
        definition.putArray("containerDefinitions").addObject().put("name", "web")
                .put("image", "berth-test/busybox:latest").put("cpu", TASK_CPU).put("memory", TASK_MEMORY);
        return FAMILY + ":" + api.call("RegisterTaskDefinition", definition).path("taskDefinition").path("revision")
                .asInt();
    }

    static ObjectNode runTask(String cluster, int count) {
        return EcsApi.body().put("cluster", cluster).put("taskDefinition", FAMILY).put("count", count);
    }

    /** The number of instances the scheduler lists in the cluster. */
    static int instances(EcsApi api, String cluster) throws EcsCallException {
        return api.listAll("ListContainerInstances", EcsApi.body().put("cluster", cluster).put("maxResults", 100),
                "containerInstanceArns").size();
    }

    static String taskId(String taskArn) {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }
}
