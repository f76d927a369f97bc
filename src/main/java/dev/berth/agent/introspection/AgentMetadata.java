package dev.berth.agent.introspection;

/**
 * What {@code /v1/metadata} says about this agent, as the ECS agent says it.
 *
 * @param containerInstanceArn {@code arn:<partition>:ecs:<region>:<account>:container-instance/<cluster>/<id>},
 *                             with the scheduler's partition, region and account
 * @param version              {@code Berth Agent - v<version> (<commit>)}, in the ECS agent's form
 */
public record AgentMetadata(String cluster, String containerInstanceArn, String version) {
}
