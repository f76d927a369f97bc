package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.model.Arns;
import dev.berth.protocol.ClusterRecord;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsErrorType;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.state.InstanceView;
import jakarta.inject.Singleton;

/**
 * UpdateContainerAgent: ECS updates only its own agent run by {@code ecs-init}, and answers
 * {@code MissingVersionException} for a custom agent whose version it cannot update from.
 * Berth's agent is the berth binary, which the control plane never replaces, so a known
 * instance gets that answer with what to do instead; nothing is changed.
 */
@Singleton
public class UpdateContainerAgentAction extends SchedulerAction<UpdateContainerAgentAction.Request> {

    public record Request(String cluster, String containerInstance) {
    }

    public UpdateContainerAgentAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        ClusterRecord cluster = plane.clusters().require(r.cluster());
        if (r.containerInstance() == null || r.containerInstance().isBlank()) {
            throw EcsException.invalidParameter("Invalid 'containerInstance': it should not be null or empty.");
        }
        String instanceId = Arns.lastSegment(r.containerInstance().trim());
        String arn = plane.arns().containerInstance(cluster.clusterName(), instanceId);
        InstanceView instance = plane.state().instance(instanceId)
                .filter(i -> cluster.clusterName().equals(i.cluster()))
                .orElseThrow(() -> EcsException.invalidParameter("The referenced container instance " + arn
                        + " was not found."));
        String version = instance.registration().agentVersion();
        throw new EcsException(EcsErrorType.MissingVersionException, "Berth cannot update the agent of container "
                + "instance " + arn + (version == null ? "" : " (berth " + version + ")") + ": it is the berth "
                + "binary, not the ECS agent under ecs-init, and the control plane never replaces it. Upgrade the "
                + "berth package on the host and restart berth-agent.service instead; running tasks keep running. "
                + "Nothing was changed.");
    }
}
