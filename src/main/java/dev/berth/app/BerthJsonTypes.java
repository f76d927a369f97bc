package dev.berth.app;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerDependency;
import dev.berth.model.ContainerOverride;
import dev.berth.model.ContainerSettings;
import dev.berth.model.ContainerStatus;
import dev.berth.model.DependencyCondition;
import dev.berth.model.HealthCheck;
import dev.berth.model.HealthStatus;
import dev.berth.model.KeyValuePair;
import dev.berth.model.NetworkBinding;
import dev.berth.model.PlacementConstraint;
import dev.berth.model.PlacementStrategy;
import dev.berth.model.PortMapping;
import dev.berth.model.Resources;
import dev.berth.model.StopCode;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskOverride;
import dev.berth.model.TaskResources;
import dev.berth.model.TaskSize;
import dev.berth.model.Tag;
import dev.berth.model.TaskSettings;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.AccountSettingRecord;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClientTokenRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DeadLetter;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.EcsEvent;
import dev.berth.protocol.EcsRequestMessage;
import dev.berth.protocol.EcsResponseMessage;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.LeaderRecord;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.RemainingResources;
import dev.berth.protocol.ServiceRecord;
import dev.berth.protocol.TaskDefinitionRecord;
import dev.berth.protocol.TaskStateChange;
import dev.berth.protocol.Topic;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Berth's own JSON types, registered for reflection in the native build: the Kafka records
 * and the ECS API's requests, responses and errors, which Jackson reads and writes by
 * reflection. Nested types come with their outer type.
 *
 * <p>What belongs here ({@code NativeReflectionTest} enforces it, and names what is missing):
 * every record and enum of {@code dev.berth.model} and {@code dev.berth.protocol}, the
 * polymorphic record root {@link BerthRecord}, and every class of {@code dev.berth.api}.
 * A new API type is one more line below.
 */
@RegisterForReflection(targets = {
        // dev.berth.model
        Arns.class,
        ContainerDefinition.class,
        ContainerOverride.class,
        ContainerDependency.class,
        ContainerSettings.class,
        ContainerSettings.HostEntry.class,
        ContainerSettings.KernelCapabilities.class,
        ContainerSettings.LinuxParameters.class,
        ContainerSettings.LogConfiguration.class,
        ContainerSettings.MountPoint.class,
        ContainerSettings.RestartPolicy.class,
        ContainerSettings.SystemControl.class,
        ContainerSettings.Tmpfs.class,
        ContainerSettings.Ulimit.class,
        ContainerSettings.VolumeFrom.class,
        DependencyCondition.class,
        HealthCheck.class,
        HealthStatus.class,
        ContainerStatus.class,
        KeyValuePair.class,
        NetworkBinding.class,
        PlacementConstraint.class,
        PlacementStrategy.class,
        PortMapping.class,
        Resources.class,
        Tag.class,
        StopCode.class,
        TaskDefinition.class,
        TaskOverride.class,
        TaskResources.class,
        TaskSize.class,
        TaskSettings.class,
        TaskSettings.DockerVolumeConfiguration.class,
        TaskSettings.HostVolume.class,
        TaskSettings.Volume.class,
        TaskStatus.class,
        // dev.berth.protocol
        AccountSettingRecord.class,
        BerthRecord.class,
        ClientTokenRecord.class,
        ClientTokenRecord.Failed.class,
        ClusterRecord.class,
        ContainerState.class,
        DeadLetter.class,
        DesiredTask.class,
        EcsEvent.class,
        EcsEvent.DeploymentStateChange.class,
        EcsEvent.ServiceAction.class,
        EcsRequestMessage.class,
        EcsResponseMessage.class,
        InstanceControl.class,
        InstanceRegistration.class,
        LeaderRecord.class,
        RecordCodec.class,
        RemainingResources.class,
        ServiceRecord.class,
        ServiceRecord.CircuitBreaker.class,
        ServiceRecord.Deployment.class,
        ServiceRecord.DeploymentConfiguration.class,
        ServiceRecord.Event.class,
        TaskDefinitionRecord.class,
        TaskStateChange.class,
        Topic.class,
        dev.berth.scheduler.Attributes.Attribute.class,
        dev.berth.scheduler.AccountSettings.Setting.class,
        dev.berth.scheduler.TaskProtection.ProtectedTask.class,
        // dev.berth.api (their nested request and response records come with them)
        dev.berth.api.ApiAuthentication.class,
        dev.berth.api.ApiConfig.class,
        dev.berth.api.Caller.class,
        dev.berth.api.EcsAction.class,
        dev.berth.api.EcsDispatcher.class,
        dev.berth.api.EcsEndpoint.class,
        dev.berth.api.EcsError.class,
        dev.berth.api.EcsOperations.class,
        dev.berth.api.Paging.class,
        dev.berth.api.action.CreateClusterAction.class,
        dev.berth.api.action.DeleteAccountSettingAction.class,
        dev.berth.api.action.GetTaskProtectionAction.class,
        dev.berth.api.action.UpdateTaskProtectionAction.class,
        dev.berth.api.action.UpdateContainerAgentAction.class,
        dev.berth.api.action.ListAccountSettingsAction.class,
        dev.berth.api.action.PutAccountSettingAction.class,
        dev.berth.api.action.PutAccountSettingDefaultAction.class,
        dev.berth.api.action.CreateServiceAction.class,
        dev.berth.api.action.DeleteAttributesAction.class,
        dev.berth.api.action.DeleteClusterAction.class,
        dev.berth.api.action.DeleteServiceAction.class,
        dev.berth.api.action.DeleteTaskDefinitionsAction.class,
        dev.berth.api.action.DeregisterContainerInstanceAction.class,
        dev.berth.api.action.DeregisterTaskDefinitionAction.class,
        dev.berth.api.action.DescribeClustersAction.class,
        dev.berth.api.action.DescribeContainerInstancesAction.class,
        dev.berth.api.action.DescribeServicesAction.class,
        dev.berth.api.action.DescribeTaskDefinitionAction.class,
        dev.berth.api.action.DescribeTasksAction.class,
        dev.berth.api.action.LaunchOptions.class,
        dev.berth.api.action.ListAttributesAction.class,
        dev.berth.api.action.ListClustersAction.class,
        dev.berth.api.action.ListContainerInstancesAction.class,
        dev.berth.api.action.ListServicesAction.class,
        dev.berth.api.action.ListTaskDefinitionFamiliesAction.class,
        dev.berth.api.action.ListTaskDefinitionsAction.class,
        dev.berth.api.action.ListTagsForResourceAction.class,
        dev.berth.api.action.ListTasksAction.class,
        dev.berth.api.action.PutAttributesAction.class,
        dev.berth.api.action.RegisterTaskDefinitionAction.class,
        dev.berth.api.action.RunTaskAction.class,
        dev.berth.api.action.ServiceOptions.class,
        dev.berth.api.action.StartTaskAction.class,
        dev.berth.api.action.StopTaskAction.class,
        dev.berth.api.action.TagOptions.class,
        dev.berth.api.action.TagResourceAction.class,
        dev.berth.api.action.UntagResourceAction.class,
        dev.berth.api.action.UpdateClusterAction.class,
        dev.berth.api.action.UpdateClusterSettingsAction.class,
        dev.berth.api.action.UpdateContainerInstancesStateAction.class,
        dev.berth.api.action.UpdateServiceAction.class,
        dev.berth.api.shape.EcsCluster.class,
        dev.berth.api.shape.EcsContainer.class,
        dev.berth.api.shape.EcsContainerInstance.class,
        dev.berth.api.shape.EcsService.class,
        dev.berth.api.shape.EcsShapes.class,
        dev.berth.api.shape.EcsTask.class,
        dev.berth.api.kafka.TaskEventDetail.class,
        dev.berth.api.shape.EcsTask.Overrides.class,
        dev.berth.api.shape.InstanceResource.class,
}, classNames = {
        // Package-private holders of records that Jackson never sees, named so that the rule
        // above holds without opening them up.
        "dev.berth.api.kafka.AnswersApart",
        "dev.berth.model.EcsFieldNames",
})
final class BerthJsonTypes {

    private BerthJsonTypes() {
    }
}
