package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.Fixtures;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.DesiredTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Privileged containers and host paths run only where the host's configuration allows them. */
class HostPolicyTest {

    private static ContainerSpec spec(TaskDefinition definition) throws Exception {
        DesiredTask task = Fixtures.desired("t1", 1, TaskStatus.RUNNING, definition);
        return ContainerSpecs.build(task, definition.containers().get(0));
    }

    private static TaskDefinition withHostVolume(String sourcePath) throws Exception {
        return dev.berth.protocol.RecordCodec.newMapper().readValue("{\"family\":\"f\",\"revision\":1,"
                + "\"containerDefinitions\":[{\"name\":\"web\",\"image\":\"busybox\",\"memory\":32,"
                + "\"mountPoints\":[{\"sourceVolume\":\"data\",\"containerPath\":\"/data\",\"readOnly\":true}]}],"
                + "\"volumes\":[{\"name\":\"data\",\"host\":{\"sourcePath\":\"" + sourcePath + "\"}}]}",
                TaskDefinition.class);
    }

    @Test
    void privilegedIsRefusedUnlessTheHostAllowsIt() throws Exception {
        // Given
        ContainerSpec privileged = spec(Fixtures.withContainerField(Fixtures.sleeperTaskDefinition(),
                Fixtures.sleeperTaskDefinition().containers().get(0).name(), "privileged", true));

        // Then
        assertThat(HostPolicy.STRICT.refusal(privileged)).hasValueSatisfying(reason -> assertThat(reason)
                .contains("privileged", "ECS_DISABLE_PRIVILEGED"));
        assertThat(new HostPolicy(false, List.of()).refusal(privileged)).isEmpty();
    }

    private static ContainerSpec withContainerField(String field, Object value) throws Exception {
        TaskDefinition sleeper = Fixtures.sleeperTaskDefinition();
        return spec(Fixtures.withContainerField(sleeper, sleeper.containers().get(0).name(), field, value));
    }

    private static ContainerSpec withTaskField(String field, Object value) throws Exception {
        return spec(Fixtures.withTaskField(Fixtures.sleeperTaskDefinition(), field, value));
    }

    private static Map.Entry<String, ContainerSpec> securityOption(String option) throws Exception {
        return Map.entry(option, withContainerField("dockerSecurityOptions", List.of("no-new-privileges", option)));
    }

    @Test
    void whatOwnsTheHostLikePrivilegedIsRefusedByNameUnlessPrivilegedIsAllowed() throws Exception {
        // Given
        Map<String, ContainerSpec> hostOwners = Map.ofEntries(
                Map.entry("ALL", withContainerField("linuxParameters",
                        Map.of("capabilities", Map.of("add", List.of("ALL"))))),
                Map.entry("SYS_ADMIN", withContainerField("linuxParameters",
                        Map.of("capabilities", Map.of("add", List.of("NET_BIND_SERVICE", "CAP_sys_admin"))))),
                securityOption("apparmor=unconfined"),
                securityOption("apparmor:unconfined"),
                securityOption("seccomp=unconfined"),
                securityOption("seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}"),
                securityOption("label=disable"),
                securityOption("label:disable"),
                securityOption("label=type:spc_t"),
                securityOption("systempaths=unconfined"),
                securityOption("writable-cgroups=true"),
                Map.entry("pidMode host", withTaskField("pidMode", "host")),
                Map.entry("ipcMode host", withTaskField("ipcMode", "host")));

        // Then
        hostOwners.forEach((name, spec) -> {
            assertThat(HostPolicy.STRICT.refusal(spec)).as(name).hasValueSatisfying(reason -> assertThat(reason)
                    .contains(name, "ECS_DISABLE_PRIVILEGED"));
            assertThat(new HostPolicy(false, List.of()).refusal(spec)).as(name).isEmpty();
        });
    }

    @Test
    void docker_sDefaultCapabilitiesAndConfiningOptionsRunWithPrivilegedDisabled() throws Exception {
        // Given
        ContainerSpec ordinary = withContainerField("linuxParameters", Map.of("capabilities", Map.of(
                "add", List.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID",
                        "SETFCAP", "SETPCAP", "CAP_NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE"),
                "drop", List.of("ALL"))));
        ContainerSpec confined = withContainerField("dockerSecurityOptions",
                List.of("no-new-privileges", "apparmor:docker-default", "label:type:container_t"));
        ContainerSpec ipcNone = withTaskField("ipcMode", "none");

        // Then
        assertThat(HostPolicy.STRICT.refusal(ordinary)).isEmpty();
        assertThat(HostPolicy.STRICT.refusal(confined)).isEmpty();
        assertThat(HostPolicy.STRICT.refusal(ipcNone)).isEmpty();
    }

    @Test
    void aHostPathMountsOnlyUnderAnAllowedDirectory(@TempDir Path dir) throws Exception {
        // Given
        Path allowed = Files.createDirectories(dir.resolve("berth")).toRealPath();
        HostPolicy policy = new HostPolicy(true, List.of(allowed));

        // Then
        assertThat(policy.refusal(spec(withHostVolume(allowed + "/web/data")))).isEmpty();
        assertThat(policy.refusal(spec(withHostVolume(allowed + "/../../etc")))).hasValueSatisfying(
                reason -> assertThat(reason).contains(allowed + "/../../etc", "BERTH_AGENT_HOST_PATHS_ALLOWED"));
        assertThat(policy.refusal(spec(withHostVolume("/etc")))).isPresent();
        assertThat(HostPolicy.STRICT.refusal(spec(withHostVolume(allowed + "/web")))).isPresent();
    }

    @Test
    void aHostPathIsResolvedOnTheHostSoASymlinkCannotLeadOutOfTheAllowedDirectory(@TempDir Path dir)
            throws Exception {
        // Given: a task that could write under the allowed directory planted links in it
        Path allowed = Files.createDirectories(dir.resolve("berth")).toRealPath();
        Files.createDirectories(allowed.resolve("web"));
        Files.createSymbolicLink(allowed.resolve("esc"), Path.of("/etc"));
        Files.createSymbolicLink(allowed.resolve("up"), Path.of(".."));
        Files.createSymbolicLink(allowed.resolve("inside"), allowed.resolve("web"));
        Files.createSymbolicLink(allowed.resolve("dangling"), dir.resolve("nowhere"));
        HostPolicy policy = new HostPolicy(true, List.of(allowed));

        // Then: a link out is refused, naming where it leads, also for a path below it that does not exist yet
        for (String escape : List.of("esc", "esc/passwd", "esc/not/yet", "up", "up/other")) {
            assertThat(policy.refusal(spec(withHostVolume(allowed + "/" + escape)))).as(escape)
                    .hasValueSatisfying(reason -> assertThat(reason).contains(allowed + "/" + escape,
                            "BERTH_AGENT_HOST_PATHS_ALLOWED"));
        }
        assertThat(policy.refusal(spec(withHostVolume(allowed + "/esc")))).hasValueSatisfying(
                reason -> assertThat(reason).contains("resolves to /etc"));
        assertThat(policy.refusal(spec(withHostVolume(allowed + "/dangling")))).hasValueSatisfying(
                reason -> assertThat(reason).contains(allowed + "/dangling", "cannot be resolved"));
        // and Docker gets the resolved path, so what it mounts is what was checked
        assertThat(admittedSources(policy, allowed + "/inside/data")).containsExactly(allowed + "/web/data");
        assertThat(admittedSources(policy, allowed + "/new/dir")).containsExactly(allowed + "/new/dir");
    }

    @Test
    void anAllowedDirectoryTheAgentCannotSeeAllowsNothing(@TempDir Path dir) throws Exception {
        // Given: under berth-agent.service's PrivateTmp the agent's /tmp is not the host's: a root it
        // cannot find might hold links it cannot see
        HostPolicy policy = new HostPolicy(true, List.of(dir.resolve("missing")));

        // Then
        assertThat(policy.refusal(spec(withHostVolume(dir.resolve("missing/web").toString())))).hasValueSatisfying(
                reason -> assertThat(reason).contains(dir.resolve("missing") + " does not exist"));
    }

    private static List<String> admittedSources(HostPolicy policy, String source) throws Exception {
        HostPolicy.Admission admission = policy.admit(spec(withHostVolume(source)));
        assertThat(admission).isInstanceOf(HostPolicy.Admission.Admitted.class);
        return ((HostPolicy.Admission.Admitted) admission).spec().host().mounts().stream().map(VolumeMount::source)
                .toList();
    }

    @Test
    void mountPointsBecomeMountsOfTheTaskVolumesAndAnUnknownVolumeFailsTheCreate() throws Exception {
        // Given
        TaskDefinition definition = withHostVolume("/srv/data");
        TaskDefinition unknown = Fixtures.withContainerField(definition, "web", "mountPoints",
                List.of(Map.of("sourceVolume", "nope", "containerPath", "/x")));

        // When
        ContainerSpec spec = spec(definition);

        // Then
        assertThat(spec.host().mounts()).containsExactly(
                new VolumeMount(VolumeMount.Kind.HOST_PATH, "/srv/data", "/data", true));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spec(unknown))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.reason())
                        .isEqualTo("CannotCreateContainerError: Invalid 'mountPoints' setting for container 'web': "
                                + "the task has no volume named 'nope'"));
    }
}
