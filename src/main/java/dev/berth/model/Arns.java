package dev.berth.model;

/**
 * Builds and parses ECS ARNs ({@code arn:<partition>:ecs:<region>:<account>:<type>/...}).
 * Clients parse these, so the form is kept exactly; partition, region and account are
 * configured.
 */
public record Arns(String partition, String region, String account) {

    private String prefix() {
        return "arn:" + partition + ":ecs:" + region + ":" + account + ":";
    }

    public String cluster(String cluster) {
        return prefix() + "cluster/" + cluster;
    }

    public String taskDefinition(String family, int revision) {
        return prefix() + "task-definition/" + family + ":" + revision;
    }

    public String task(String cluster, String taskId) {
        return prefix() + "task/" + cluster + "/" + taskId;
    }

    public String containerInstance(String cluster, String instanceId) {
        return prefix() + "container-instance/" + cluster + "/" + instanceId;
    }

    public String container(String cluster, String taskId, String containerName) {
        return prefix() + "container/" + cluster + "/" + taskId + "/" + containerName;
    }

    public String service(String cluster, String service) {
        return prefix() + "service/" + cluster + "/" + service;
    }

    /**
     * The last path segment of an ARN, or the value itself when it is not an ARN: ECS
     * accepts both a name (or id) and a full ARN wherever it takes a reference.
     */
    public static String lastSegment(String nameOrArn) {
        if (nameOrArn == null || !nameOrArn.startsWith("arn:")) {
            return nameOrArn;
        }
        int slash = nameOrArn.lastIndexOf('/');
        return slash >= 0 ? nameOrArn.substring(slash + 1) : nameOrArn.substring(nameOrArn.lastIndexOf(':') + 1);
    }

    /** The resource part after {@code <type>/}, e.g. {@code family:3} of a task definition ARN. */
    public static String resource(String nameOrArn) {
        if (nameOrArn == null || !nameOrArn.startsWith("arn:")) {
            return nameOrArn;
        }
        int slash = nameOrArn.indexOf('/');
        return slash >= 0 ? nameOrArn.substring(slash + 1) : nameOrArn;
    }
}
