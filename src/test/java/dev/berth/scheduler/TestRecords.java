package dev.berth.scheduler;

import dev.berth.testing.AgentAttributes;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerStatus;
import dev.berth.model.NetworkBinding;
import dev.berth.model.PortMapping;
import dev.berth.model.Resources;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.TaskStateChange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Records and a settable clock for the scheduler's plain tests. */
public final class TestRecords {

    public static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private TestRecords() {
    }

    public static TaskDefinition definition(String family, int revision, int memory, Integer hostPort) {
        List<PortMapping> ports = hostPort == null ? List.of() : List.of(new PortMapping(80, hostPort, "tcp"));
        ContainerDefinition web = new ContainerDefinition("web", "busybox", 128, memory, null, true, null, null, null,
                ports, null, null, null, null, null);
        return new TaskDefinition("arn:aws:ecs:us-east-1:000000000000:task-definition/" + family + ":" + revision,
                family, revision, List.of(web), null, null, null, TaskDefinition.ACTIVE, null, List.of("EC2"), null,
                null, null, T0, null);
    }

    public static InstanceRegistration instance(String id, String cluster, int cpu, int memory, Instant heartbeat,
            long version) {
        return new InstanceRegistration(BerthRecord.SCHEMA_VERSION, version, id, cluster, id + ".local", "0.1.0",
                new Resources(cpu, memory, Set.of(22)), AgentAttributes.DEFAULT, T0, heartbeat, false, null,
                null, null);
    }

    public static DesiredTask desired(String taskId, String instanceId, TaskDefinition definition, long version) {
        return new DesiredTask(BerthRecord.SCHEMA_VERSION, version, taskId,
                "arn:aws:ecs:us-east-1:000000000000:task/default/" + taskId, "default", instanceId, definition, null,
                TaskStatus.RUNNING, "me", null, T0, null, null);
    }

    public static TaskStateChange report(String taskId, String instanceId, TaskStatus status, long version) {
        ContainerStatus container = status == TaskStatus.RUNNING ? ContainerStatus.RUNNING
                : status == TaskStatus.STOPPED ? ContainerStatus.STOPPED : ContainerStatus.PENDING;
        Integer exitCode = status == TaskStatus.STOPPED ? 0 : null;
        List<NetworkBinding> bindings = List.of(new NetworkBinding("0.0.0.0", 80, 8080, "tcp"));
        return new TaskStateChange(BerthRecord.SCHEMA_VERSION, version, taskId, "default", instanceId, status,
                List.of(new ContainerState("web", "c0ffee", "busybox", container, exitCode, null, bindings)), null,
                null, null, null, status == TaskStatus.RUNNING ? T0.plusSeconds(5) : null, null,
                status == TaskStatus.STOPPED ? T0.plusSeconds(10) : null, T0.plusSeconds(10));
    }
}
