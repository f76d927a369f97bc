package dev.berth.scheduler;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerOverride;
import dev.berth.model.KeyValuePair;
import dev.berth.model.PortMapping;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskOverride;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskDefinitionValidatorTest {

    private static ContainerDefinition container(String name, String image, Integer memory, Integer reservation,
            PortMapping... ports) {
        return new ContainerDefinition(name, image, null, memory, reservation, null, null, null, null, List.of(ports),
                null, null, null, null, null);
    }

    private static TaskDefinition definition(String family, String memory, ContainerDefinition... containers) {
        return new TaskDefinition(null, family, null, containers.length == 0 ? null : List.of(containers), null,
                memory, null, null, null, null, null, null, null, null, null);
    }

    private static void assertRejected(TaskDefinition definition, String message) {
        assertThatThrownBy(() -> TaskDefinitionValidator.validate(definition))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.type()).isEqualTo(EcsErrorType.ClientException))
                .hasMessage(message);
    }

    @Test
    void acceptsAValidDefinition() {
        // Given
        TaskDefinition definition = definition("web", null, container("nginx", "nginx:1.27", 128, 64,
                new PortMapping(80, 8080, "tcp")), container("sidecar", "busybox", null, 16));

        // When / Then
        assertThatCode(() -> TaskDefinitionValidator.validate(definition)).doesNotThrowAnyException();
    }

    @Test
    void requiresAFamilyWithValidCharacters() {
        assertRejected(definition(null, null, container("a", "busybox", 64, null)),
                "Family should not be null or empty.");
        assertRejected(definition("bad family!", null, container("a", "busybox", 64, null)),
                "Family contains invalid characters: up to 255 letters (uppercase and lowercase), numbers, "
                        + "underscores and hyphens are allowed.");
    }

    @Test
    void refusesADefinitionOverEcsSizeLimitWithEcsMessage() {
        // Given: two definitions that differ only in the length of one command argument
        TaskDefinition fits = definition("web", null, containerWithCommand("x".repeat(60_000)));
        TaskDefinition over = definition("web", null, containerWithCommand("x".repeat(66_000)));

        // Then
        assertThatCode(() -> TaskDefinitionValidator.validate(fits)).doesNotThrowAnyException();
        assertThatThrownBy(() -> TaskDefinitionValidator.validate(over))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.type()).isEqualTo(EcsErrorType.ClientException))
                .hasMessageMatching("Actual length: '66\\d{3}'\\. Max allowed length is '65536' bytes\\.");
    }

    @Test
    void refusesContainerOverridesOverEcsLimitWithEcsMessage() {
        // Given
        TaskOverride fits = overrideWithValue("v".repeat(8_000));
        TaskOverride over = overrideWithValue("v".repeat(8_200));

        // Then
        TaskDefinition app = definition("web", null, containerWithCommand("x"));
        assertThatCode(() -> TaskDefinitionValidator.validateOverrides(app, fits)).doesNotThrowAnyException();
        assertThatCode(() -> TaskDefinitionValidator.validateOverrides(app, null)).doesNotThrowAnyException();
        assertThatThrownBy(() -> TaskDefinitionValidator.validateOverrides(app, over))
                .isInstanceOfSatisfying(EcsException.class, e -> org.assertj.core.api.Assertions.assertThat(e.type())
                        .isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessage("Container Overrides length must be at most 8192");
    }

    @Test
    void overridesKeepToTheRulesOfADefinitionTakenWithWhatTheyLeaveAsItIs() {
        // Given: a task of 512 MiB whose container has a 256 MiB limit and reserves 128
        TaskDefinition web = new TaskDefinition(null, "web", null, List.of(container("web", "busybox", 256, 128)),
                "256", "512", null, null, null, null, null, null, null, null, null);

        // Then: sizes within the rules pass
        assertThatCode(() -> TaskDefinitionValidator.validateOverrides(web,
                new TaskOverride(List.of(sized(10, 512, 64)), "1024", "1024"))).doesNotThrowAnyException();
        // and each broken one is refused, naming what is wrong
        assertOverrideRefused(web, new TaskOverride(List.of(sized(null, -100_000, null)), null, null),
                "Invalid override for container 'web': at least 6 MiB of 'memory' and 'memoryReservation' is "
                        + "required per container.");
        assertOverrideRefused(web, new TaskOverride(List.of(sized(-1, null, null)), null, null),
                "Invalid override for container 'web': 'cpu' must not be negative.");
        assertOverrideRefused(web, new TaskOverride(List.of(sized(null, 100, null)), null, null),
                "Invalid override for container 'web': 'memoryReservation' 128 is greater than its 'memory' 100.");
        assertOverrideRefused(web, new TaskOverride(null, null, "200"),
                "The 'memory' setting for container 'web' (256) is greater than for the task (200).");
        assertOverrideRefused(web, new TaskOverride(null, "lots", null),
                "Invalid 'overrides.cpu': lots is not a cpu size.");
        assertOverrideRefused(web, new TaskOverride(null, "64", null),
                "Invalid 'overrides.cpu': a task's cpu is between 128 and 196608 CPU units (0.125 to 192 vCPU); "
                        + "64 given.");
    }

    @Test
    void aTaskCpuIsWithinEcsBoundsForTheEc2LaunchType() {
        for (String cpu : List.of("128", "196608", "1 vCPU")) {
            assertThatCode(() -> TaskDefinitionValidator.validate(new TaskDefinition(null, "web", null,
                    List.of(container("a", "busybox", 64, null)), cpu, null, null, null, null, null, null, null, null,
                    null, null))).as(cpu).doesNotThrowAnyException();
        }
        assertRejected(new TaskDefinition(null, "web", null, List.of(container("a", "busybox", 64, null)), "64", null,
                null, null, null, null, null, null, null, null, null), "Invalid 'cpu' setting for task: between 128 "
                + "and 196608 CPU units (0.125 to 192 vCPU) on the EC2 and external launch types; 64 given.");
        assertRejected(new TaskDefinition(null, "web", null, List.of(container("a", "busybox", 64, null)), "1000 vCPU",
                null, null, null, null, null, null, null, null, null, null), "Invalid 'cpu' setting for task: between "
                + "128 and 196608 CPU units (0.125 to 192 vCPU) on the EC2 and external launch types; 1024000 given.");
    }

    private static ContainerOverride sized(Integer cpu, Integer memory, Integer reservation) {
        return new ContainerOverride("web", null, null, cpu, memory, reservation);
    }

    private static void assertOverrideRefused(TaskDefinition definition, TaskOverride overrides, String message) {
        assertThatThrownBy(() -> TaskDefinitionValidator.validateOverrides(definition, overrides))
                .isInstanceOfSatisfying(EcsException.class, e -> org.assertj.core.api.Assertions.assertThat(e.type())
                        .isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessage(message);
    }

    private static ContainerDefinition containerWithCommand(String argument) {
        return new ContainerDefinition("app", "busybox", null, 64, null, null, List.of("echo", argument), null, null,
                List.of(), null, null, null, null, null);
    }

    private static TaskOverride overrideWithValue(String value) {
        return new TaskOverride(List.of(new ContainerOverride("app", null, List.of(new KeyValuePair("V", value)),
                null, null, null)), null, null);
    }

    @Test
    void aHealthCheckKeepsToEcsBoundsAndEverySettingIsReadAsTheAgentReadsIt() {
        assertThatCode(() -> TaskDefinitionValidator.validate(definition("web", null, withField("healthCheck",
                Map.of("command", List.of("CMD-SHELL", "curl -f localhost"), "interval", 5, "timeout", 60,
                        "retries", 10, "startPeriod", 300))))).doesNotThrowAnyException();
        assertRejected(definition("web", null, withField("healthCheck", Map.of("command", List.of("CMD-SHELL", "true"),
                "interval", 1))), "Invalid 'healthCheck.interval' setting for container 'app': it must be between 5 and "
                + "300, as in ECS; it is 1.");
        assertRejected(definition("web", null, withField("healthCheck", Map.of("command", List.of("CMD-SHELL", "true"),
                "retries", 0))), "Invalid 'healthCheck.retries' setting for container 'app': it must be between 1 and "
                + "10, as in ECS; it is 0.");
        assertRejected(definition("web", null, withField("healthCheck", Map.of("command", List.of("curl", "-f")))),
                "Invalid 'healthCheck.command' setting for container 'app': it must start with CMD or CMD-SHELL, "
                        + "followed by the command.");
        assertThatThrownBy(() -> TaskDefinitionValidator.validate(definition("web", null, withField("ulimits", "many"))))
                .isInstanceOf(EcsException.class).hasMessageStartingWith("Invalid 'ulimits' setting for container 'app'");
    }

    @Test
    void containersNamedByOthersAreInTheTaskAndNoneWaitsForItself() {
        ContainerDefinition init = named("init", Map.of());
        ContainerDefinition db = named("db", Map.of("dependsOn", List.of(dependsOn("init", "SUCCESS"))));
        ContainerDefinition web = named("web", Map.of("dependsOn", List.of(dependsOn("db", "HEALTHY")),
                "links", List.of("db:database"), "volumesFrom", List.of(Map.of("sourceContainer", "init"))));
        assertThatCode(() -> TaskDefinitionValidator.validate(definition("app", null, init, db, web)))
                .doesNotThrowAnyException();

        assertRejected(definition("app", null, init, named("web", Map.of("dependsOn", List.of(dependsOn("cache",
                "START"))))), "Invalid 'dependsOn' setting for container 'web': container 'cache' is not in the task "
                + "definition.");
        assertRejected(definition("app", null, named("web", Map.of("links", List.of("web")))),
                "Invalid 'links' setting for container 'web': it names the container itself.");
        assertRejected(definition("app", null, init, named("web", Map.of("volumesFrom",
                List.of(Map.of("sourceContainer", "data"))))), "Invalid 'volumesFrom' setting for container 'web': "
                + "container 'data' is not in the task definition.");
        assertRejected(definition("app", null,
                named("a", Map.of("dependsOn", List.of(dependsOn("b", "START")))),
                named("b", Map.of("links", List.of("c:cache"))),
                named("c", Map.of("dependsOn", List.of(dependsOn("a", "HEALTHY"))))),
                "Invalid 'dependsOn' setting for container 'a': it waits for itself (a -> b -> c -> a), through "
                        + "dependsOn and links.");
    }

    private static Map<String, String> dependsOn(String container, String condition) {
        return Map.of("containerName", container, "condition", condition);
    }

    private static ContainerDefinition named(String name, Map<String, Object> fields) {
        return new ContainerDefinition(name, "busybox", null, 64, null, null, null, null, null, List.of(), null, null,
                null, null, null, fields);
    }

    private static ContainerDefinition withField(String field, Object value) {
        return new ContainerDefinition("app", "busybox", null, 64, null, null, null, null, null, List.of(), null, null,
                null, null, null, Map.of(field, value));
    }

    @Test
    void requiresContainers() {
        assertRejected(definition("web", null), "Container list cannot be empty.");
    }

    @Test
    void requiresAnEssentialContainerAsEcsDoes() {
        // Given: one definition whose containers are all non-essential, one with an essential container
        ContainerDefinition sidecar = new ContainerDefinition("sidecar", "busybox", null, 32, null, false, null, null,
                null, List.of(), null, null, null, null, null);
        ContainerDefinition web = new ContainerDefinition("web", "busybox", null, 32, null, true, null, null, null,
                List.of(), null, null, null, null, null);

        // Then
        assertRejected(definition("web", null, sidecar), "Task definition does not have any essential container.");
        assertThatCode(() -> TaskDefinitionValidator.validate(definition("web", null, web, sidecar)))
                .doesNotThrowAnyException();
    }

    @Test
    void takesAtMostTenContainersAsEcsDoes() {
        ContainerDefinition[] ten = new ContainerDefinition[10];
        for (int i = 0; i < ten.length; i++) {
            ten[i] = container("c" + i, "busybox", 8, null);
        }
        ContainerDefinition[] eleven = java.util.Arrays.copyOf(ten, 11);
        eleven[10] = container("c10", "busybox", 8, null);

        assertThatCode(() -> TaskDefinitionValidator.validate(definition("web", null, ten))).doesNotThrowAnyException();
        assertRejected(definition("web", null, eleven), "Too many containers.");
    }

    @Test
    void requiresNamedUniqueContainersWithImages() {
        assertRejected(definition("web", null, container(null, "busybox", 64, null)),
                "Container.name should not be null or empty.");
        assertRejected(definition("web", null, container("a", "busybox", 64, null), container("a", "busybox", 64, null)),
                "Container names must be unique within a Task Definition.");
        assertRejected(definition("web", null, container("a", " ", 64, null)),
                "Container.image should not be null or empty.");
    }

    @Test
    void requiresAtLeastSixMiBPerContainer() {
        assertRejected(definition("web", null, container("tiny", "busybox", 4, null)),
                "Invalid 'memory' setting for container 'tiny'. At least 6 MiB of memory is required per container.");
    }

    @Test
    void requiresMemoryOrReservationWithoutTaskMemory() {
        // Given a container without memory, but the task has memory: fine
        assertThatCode(() -> TaskDefinitionValidator.validate(definition("web", "512", container("a", "busybox", null,
                null)))).doesNotThrowAnyException();
        // Then without task memory it is refused
        assertRejected(definition("web", null, container("a", "busybox", null, null)),
                "Invalid setting for container 'a'. At least one of 'memory' or 'memoryReservation' must be specified.");
    }

    @Test
    void refusesATaskMemoryThatWouldBoundNoContainerOfSeveralRatherThanRunThemUnbounded() {
        // Given: ECS bounds the task's containers together by its memory; Berth bounds each container
        TaskDefinition sidecarUnbounded = definition("web", "512", container("web", "busybox", 256, null),
                container("side", "busybox", null, 32));
        TaskDefinition everyOneBounded = definition("web", "512", container("web", "busybox", 256, null),
                container("side", "busybox", 64, 32));
        TaskDefinition withoutTaskMemory = definition("web", null, container("web", "busybox", 256, null),
                container("side", "busybox", null, 32));

        // Then
        assertRejected(sidecarUnbounded, "Invalid 'containerDefinitions[1].memory' setting for container 'side': "
                + "it is required when the task's 'memory' is set and the task has several containers. ECS bounds "
                + "them together by the task's memory (a task cgroup), which Berth does not apply; set 'memory' on "
                + "every container, or leave the task's 'memory' out.");
        assertThatCode(() -> TaskDefinitionValidator.validate(everyOneBounded)).doesNotThrowAnyException();
        assertThatCode(() -> TaskDefinitionValidator.validate(withoutTaskMemory)).doesNotThrowAnyException();
        assertOverrideRefused(withoutTaskMemory, new TaskOverride(null, null, "1024"),
                "Invalid 'overrides.memory': the task has several containers and 'side' has no 'memory'. ECS bounds "
                        + "them together by the task's memory (a task cgroup), which Berth does not apply; set "
                        + "'memory' on every container, or leave the task's 'memory' out.");
        assertThatCode(() -> TaskDefinitionValidator.validateOverrides(withoutTaskMemory, new TaskOverride(
                List.of(new ContainerOverride("side", null, null, null, 64, null)), null, "1024")))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAReservationAboveTheHardLimit() {
        assertRejected(definition("web", null, container("a", "busybox", 64, 128)),
                "Invalid 'memoryReservation' setting for container 'a'. It must not be greater than the container's "
                        + "'memory' setting.");
    }

    @Test
    void refusesInvalidPortMappings() {
        assertRejected(definition("web", null, container("a", "busybox", 64, null, new PortMapping(70000, null, null))),
                "Invalid 'containerPort' setting for container 'a': a port mapping needs a containerPort between 1 "
                        + "and 65535.");
        assertRejected(definition("web", null, container("a", "busybox", 64, null, new PortMapping(80, 80, "sctp"))),
                "Invalid 'protocol' setting for container 'a': it must be tcp or udp.");
        assertRejected(definition("web", null, container("a", "busybox", 64, null, new PortMapping(80, 80, null)),
                container("b", "busybox", 64, null, new PortMapping(81, 80, "tcp"))),
                "Invalid 'hostPort' setting for container 'b': TCP host port 80 is used by more than one port "
                        + "mapping of the task definition.");
        assertRejected(definition("web", null, container("a", "busybox", 64, null, new PortMapping(53, 53, "udp")),
                container("b", "busybox", 64, null, new PortMapping(5353, 53, "udp"))),
                "Invalid 'hostPort' setting for container 'b': UDP host port 53 is used by more than one port "
                        + "mapping of the task definition.");
        assertThatCode(() -> TaskDefinitionValidator.validate(definition("web", null, container("a", "busybox", 64,
                null, new PortMapping(53, 53, "udp"), new PortMapping(53, 53, "tcp"))))).as("one port, two protocols")
                .doesNotThrowAnyException();
        TaskDefinition hostMode = definition("web", null, container("a", "busybox", 64, null,
                new PortMapping(8080, null, null)), container("b", "busybox", 64, null, new PortMapping(8080, null, null)));
        assertRejected(new TaskDefinition(null, "web", null, hostMode.containers(), null, null, "host", null, null,
                null, null, null, null, null, null), "Invalid 'hostPort' setting for container 'b': TCP host port 8080 "
                + "is used by more than one port mapping of the task definition.");
        assertThatCode(() -> TaskDefinitionValidator.validate(definition("web", null, container("a", "busybox", 64,
                null, new PortMapping(80, 0, "tcp", "web-80-tcp", "http"))))).as("as the ECS console writes them")
                .doesNotThrowAnyException();
        assertRejected(definition("web", null, container("a", "busybox", 64, null,
                new PortMapping(80, 0, "tcp", "Web", null))), "Invalid 'portMappings.name' setting for container 'a': "
                + "Web is not 1 to 64 lowercase letters, numbers, underscores and hyphens, not starting with a hyphen, "
                + "or names another port mapping of the task definition too.");
        assertRejected(definition("web", null, container("a", "busybox", 64, null,
                new PortMapping(80, 0, "tcp", "p", null)), container("b", "busybox", 64, null,
                new PortMapping(81, 0, "tcp", "p", null))), "Invalid 'portMappings.name' setting for container 'b': "
                + "p is not 1 to 64 lowercase letters, numbers, underscores and hyphens, not starting with a hyphen, "
                + "or names another port mapping of the task definition too.");
        assertRejected(definition("web", null, container("a", "busybox", 64, null,
                new PortMapping(80, 0, "tcp", null, "tcp"))),
                "Invalid 'portMappings.appProtocol' setting for container 'a': it must be http, http2 or grpc.");
    }

    @Test
    void refusesAnInvalidTaskSize() {
        assertRejected(definition("web", "lots", container("a", "busybox", 64, null)),
                "Invalid 'memory' setting for task.");
    }

    private static TaskDefinition networked(String networkMode, List<String> requiresCompatibilities) {
        return new TaskDefinition(null, "web", null, List.of(container("a", "busybox", 64, null)), null, null,
                networkMode, null, requiresCompatibilities, null, null, null, null, null, null);
    }

    @Test
    void acceptsTheNetworkModesAndCompatibilitiesBerthRuns() {
        for (String mode : List.of("bridge", "host", "none")) {
            assertThatCode(() -> TaskDefinitionValidator.validate(networked(mode, List.of("EC2"))))
                    .doesNotThrowAnyException();
        }
        assertThatCode(() -> TaskDefinitionValidator.validate(networked(null, List.of("EC2", "EXTERNAL"))))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAwsvpcAndFargateByNameRatherThanRunningSomethingElse() {
        assertRejected(networked("awsvpc", null),
                "Invalid 'networkMode' setting for task: awsvpc is not supported by Berth; use bridge, host or none.");
        assertRejected(networked("nat", null), "Invalid 'networkMode' setting for task: nat.");
        assertRejected(networked("bridge", List.of("EC2", "FARGATE")),
                "Invalid 'requiresCompatibilities' setting for task: FARGATE is not supported by Berth, which runs "
                        + "tasks on its own container instances; use EC2.");
        assertRejected(networked("bridge", List.of("LAMBDA")),
                "Invalid 'requiresCompatibilities' setting for task: LAMBDA.");
    }

    @Test
    void acceptsHostAndDockerVolumesWithTheirMountPoints() throws Exception {
        // Given
        TaskDefinition withVolumes = json("{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"web\","
                + "\"image\":\"busybox\",\"memory\":32,\"mountPoints\":[{\"sourceVolume\":\"data\","
                + "\"containerPath\":\"/data\"},{\"sourceVolume\":\"scratch\",\"containerPath\":\"/tmp/s\"}],"
                + "\"volumesFrom\":[]}],\"volumes\":[{\"name\":\"data\",\"host\":{\"sourcePath\":\"/srv/data\"}},"
                + "{\"name\":\"scratch\",\"dockerVolumeConfiguration\":{\"scope\":\"task\",\"driver\":\"local\"}}]}");

        // Then
        assertThatCode(() -> TaskDefinitionValidator.validate(withVolumes)).doesNotThrowAnyException();
    }

    @Test
    void refusesAVolumeScopeThatIsNotTaskOrSharedRatherThanRemoveTheVolumeWithTheTask() throws Exception {
        for (String scope : List.of("Shared", "SHARED", "global", "")) {
            // Given: a volume meant to outlive the task, which a task scope would remove when it stops
            TaskDefinition misspelt = volumeTask("{\"scope\":\"" + scope + "\",\"autoprovision\":true}");

            // Then
            assertRejected(misspelt, "Invalid 'volumes[1].dockerVolumeConfiguration.scope' setting for volume "
                    + "'data': " + scope + " is not a scope of ECS (task or shared, in lowercase); nothing was "
                    + "registered, as a volume that is not shared is removed when its task stops.");
        }
    }

    @Test
    void refusesAutoprovisionOnATaskScopedVolumeAsTheEcsAgentRefusesToRunIt() throws Exception {
        for (String configuration : List.of("{\"scope\":\"task\",\"autoprovision\":true}",
                "{\"autoprovision\":true}")) {
            // Then
            assertRejected(volumeTask(configuration), "Invalid 'volumes[1].dockerVolumeConfiguration.autoprovision' "
                    + "setting for volume 'data': only a volume whose 'volumes[1].dockerVolumeConfiguration.scope' is "
                    + "shared is autoprovisioned, and this one's is task, which removes it when the task stops; set "
                    + "scope to shared to keep it, or leave autoprovision out.");
        }
        for (String fine : List.of("{\"scope\":\"shared\",\"autoprovision\":true}", "{\"scope\":\"shared\"}",
                "{\"scope\":\"task\",\"autoprovision\":false}", "{\"scope\":\"task\"}", "{}")) {
            assertThatCode(() -> TaskDefinitionValidator.validate(volumeTask(fine))).as(fine)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void refusesAUlimitOrTmpfsWithoutWhatEcsRequiresRatherThanApplyItAsZeroOrDropIt() throws Exception {
        // Given: what each field of the second container's ulimits[1] or tmpfs[1] would be, with the error
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("\"ulimits\":[{\"name\":\"nproc\",\"softLimit\":1,\"hardLimit\":2},{\"name\":\"nofile\","
                + "\"hardLimit\":4096}]", "Invalid 'containerDefinitions[1].ulimits[1].softLimit' setting for "
                + "container 'web': it is required, as in ECS (name, softLimit and hardLimit).");
        refused.put("\"ulimits\":[{\"name\":\"nproc\",\"softLimit\":1,\"hardLimit\":2},{\"name\":\"nofile\","
                + "\"softLimit\":4096}]", "Invalid 'containerDefinitions[1].ulimits[1].hardLimit' setting for "
                + "container 'web': it is required, as in ECS (name, softLimit and hardLimit).");
        refused.put("\"ulimits\":[{\"name\":\"nproc\",\"softLimit\":1,\"hardLimit\":2},{\"softLimit\":1,"
                + "\"hardLimit\":2}]", "Invalid 'containerDefinitions[1].ulimits[1].name' setting for "
                + "container 'web': it is required, as in ECS (name, softLimit and hardLimit).");
        refused.put("\"ulimits\":[{\"name\":\"nproc\",\"softLimit\":1,\"hardLimit\":2},{\"name\":\"NOFILE\","
                + "\"softLimit\":1,\"hardLimit\":2}]", "Invalid 'containerDefinitions[1].ulimits[1].name' setting "
                + "for container 'web': NOFILE is not one of ECS's ulimits (core, cpu, data, fsize, locks, memlock, "
                + "msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack).");
        refused.put("\"ulimits\":[{\"name\":\"nproc\",\"softLimit\":1,\"hardLimit\":2},{\"name\":\"nofile\","
                + "\"softLimit\":8,\"hardLimit\":4}]", "Invalid 'containerDefinitions[1].ulimits[1].softLimit' "
                + "setting for container 'web': 8 is greater than its hardLimit 4.");
        refused.put("\"linuxParameters\":{\"tmpfs\":[{\"containerPath\":\"/a\",\"size\":8},{\"containerPath\":"
                + "\"/b\"}]}", "Invalid 'containerDefinitions[1].linuxParameters.tmpfs[1].size' setting for "
                + "container 'web': it is required, as in ECS (containerPath and size, in MiB).");
        refused.put("\"linuxParameters\":{\"tmpfs\":[{\"containerPath\":\"/a\",\"size\":8},{\"size\":8}]}",
                "Invalid 'containerDefinitions[1].linuxParameters.tmpfs[1].containerPath' setting for container "
                        + "'web': it is required, as in ECS (containerPath and size, in MiB).");
        refused.put("\"linuxParameters\":{\"tmpfs\":[{\"containerPath\":\"/a\",\"size\":8},{\"containerPath\":"
                + "\"/b\",\"size\":0}]}", "Invalid 'containerDefinitions[1].linuxParameters.tmpfs[1].size' setting "
                + "for container 'web': it is at least 1 MiB; 0 given.");

        // Then
        for (Map.Entry<String, String> entry : refused.entrySet()) {
            assertRejected(json("{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"side\",\"image\":"
                    + "\"busybox\",\"memory\":32},{\"name\":\"web\",\"image\":\"busybox\",\"memory\":32,"
                    + entry.getKey() + "}]}"), entry.getValue());
        }
    }

    /** A task whose second volume, data, has {@code configuration} as its dockerVolumeConfiguration. */
    private static TaskDefinition volumeTask(String configuration) throws Exception {
        return json("{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"web\",\"image\":\"busybox\","
                + "\"memory\":32,\"mountPoints\":[{\"sourceVolume\":\"data\",\"containerPath\":\"/data\"}]}],"
                + "\"volumes\":[{\"name\":\"scratch\"},{\"name\":\"data\",\"dockerVolumeConfiguration\":"
                + configuration + "}]}");
    }

    @Test
    void refusesByNameTheFieldsTheAgentDoesNotApply() throws Exception {
        // Given
        TaskDefinition efs = json("{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"web\","
                + "\"image\":\"busybox\",\"memory\":32}],\"volumes\":[{\"name\":\"data\","
                + "\"efsVolumeConfiguration\":{\"fileSystemId\":\"fs-1\"}}]}");
        TaskDefinition secrets = json("{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"web\","
                + "\"image\":\"busybox\",\"memory\":32,\"secrets\":[{\"name\":\"A\",\"valueFrom\":\"arn\"}]}]}");
        TaskDefinition devices = json("{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"web\","
                + "\"image\":\"busybox\",\"memory\":32,\"linuxParameters\":{\"initProcessEnabled\":true,"
                + "\"devices\":[{\"hostPath\":\"/dev/fuse\"}]}}]}");
        TaskDefinition pidTask = json("{\"family\":\"f\",\"pidMode\":\"task\",\"containerDefinitions\":"
                + "[{\"name\":\"web\",\"image\":\"busybox\",\"memory\":32}]}");
        TaskDefinition constrained = json("{\"family\":\"f\",\"placementConstraints\":[{\"type\":\"memberOf\","
                + "\"expression\":\"attribute:ecs.os-type == linux\"}],\"containerDefinitions\":"
                + "[{\"name\":\"web\",\"image\":\"busybox\",\"memory\":32}]}");
        TaskDefinition badlyConstrained = json("{\"family\":\"f\",\"placementConstraints\":[{\"type\":"
                + "\"memberOf\",\"expression\":\"attribute:ecs.os-type linux\"}],\"containerDefinitions\":"
                + "[{\"name\":\"web\",\"image\":\"busybox\",\"memory\":32}]}");
        TaskDefinition hostPort = json("{\"family\":\"f\",\"networkMode\":\"host\",\"containerDefinitions\":"
                + "[{\"name\":\"web\",\"image\":\"busybox\",\"memory\":32,\"portMappings\":[{\"containerPort\":80,"
                + "\"hostPort\":8080}]}]}");
        TaskDefinition nonePorts = json("{\"family\":\"f\",\"networkMode\":\"none\",\"containerDefinitions\":"
                + "[{\"name\":\"web\",\"image\":\"busybox\",\"memory\":32,\"portMappings\":[{\"containerPort\":80}]}]}");
        TaskDefinition hostSamePort = json("{\"family\":\"f\",\"networkMode\":\"host\",\"containerDefinitions\":"
                + "[{\"name\":\"web\",\"image\":\"busybox\",\"memory\":32,\"portMappings\":[{\"containerPort\":80,"
                + "\"hostPort\":80},{\"containerPort\":81}]}]}");
        TaskDefinition emptySecrets = json("{\"family\":\"f\",\"pidMode\":\"host\",\"containerDefinitions\":"
                + "[{\"name\":\"web\",\"image\":\"busybox\",\"memory\":32,\"secrets\":[]}]}");

        // Then
        assertRejected(efs, "Invalid 'efsVolumeConfiguration' setting for volume 'data': only host paths and Docker "
                + "volumes are supported.");
        assertRejected(secrets, "Invalid 'secrets' setting for container 'web': secrets from Secrets Manager or "
                + "Parameter Store are not supported by Berth, and the task would run without it.");
        assertRejected(devices, "Invalid 'linuxParameters.devices' setting for container 'web': host devices are not "
                + "supported by Berth, and the task would run without it.");
        assertRejected(pidTask, "Invalid 'pidMode' setting for task: task is not supported; use host.");
        assertThatCode(() -> TaskDefinitionValidator.validate(constrained)).doesNotThrowAnyException();
        assertRejected(badlyConstrained, "Invalid expression 'attribute:ecs.os-type linux': expected an operator "
                + "after attribute:ecs.os-type, found 'linux' at character 23.");
        assertRejected(hostPort, "Invalid 'hostPort' setting for container 'web': in the host network mode it must "
                + "equal the containerPort (80) or be left out.");
        assertRejected(nonePorts, "Invalid 'portMappings' setting for container 'web': the none network mode "
                + "publishes no ports.");
        assertThatCode(() -> TaskDefinitionValidator.validate(hostSamePort)).doesNotThrowAnyException();
        assertThatCode(() -> TaskDefinitionValidator.validate(emptySecrets)).doesNotThrowAnyException();
    }

    @Test
    void refusesANameThatIsNoEcsFieldRatherThanKeepItUnapplied() throws Exception {
        // Given: typos that would otherwise be stored, described back and never applied
        TaskDefinition lowerCaseHealthCheck = json("{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"web\","
                + "\"image\":\"busybox\",\"memory\":32,\"healthcheck\":{\"command\":[\"CMD\",\"true\"]}}]}");
        TaskDefinition misspelt = json("{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"web\","
                + "\"image\":\"busybox\",\"memoryReservaton\":32}]}");
        TaskDefinition taskTypo = json("{\"family\":\"f\",\"volume\":[{\"name\":\"data\"}],"
                + "\"containerDefinitions\":[{\"name\":\"web\",\"image\":\"busybox\",\"memory\":32}]}");
        // A revision described by ECS and registered again keeps fields that Berth sets itself
        TaskDefinition described = json("{\"family\":\"f\",\"requiresAttributes\":[],\"registeredBy\":\"x\","
                + "\"compatibilities\":[\"EC2\"],\"containerDefinitions\":[{\"name\":\"web\",\"image\":\"busybox\","
                + "\"memory\":32,\"ulimits\":[],\"systemControls\":[]}]}");

        // Then
        assertRejected(lowerCaseHealthCheck, "Unknown parameter 'healthcheck' in container 'web': it is no field of "
                + "ECS's container definition (did you mean 'healthCheck'?); nothing was registered.");
        assertRejected(misspelt, "Unknown parameter 'memoryReservaton' in container 'web': it is no field of ECS's "
                + "container definition; nothing was registered.");
        assertRejected(taskTypo, "Unknown parameter 'volume' in the task definition: it is no field of ECS's task "
                + "definition; nothing was registered.");
        assertThatCode(() -> TaskDefinitionValidator.validate(described)).doesNotThrowAnyException();
    }

    @Test
    void refusesANameThatIsNoEcsFieldInsideANestedObjectNamingItsPath() throws Exception {
        // Given: typos inside nested objects, each of which would run the task some other way than asked
        String web = "{\"name\":\"web\",\"image\":\"busybox\",\"memory\":32";
        String volumes = ",\"volumes\":[{\"name\":\"data\"}]";
        Map<String, String> typos = new java.util.LinkedHashMap<>();
        typos.put("containerDefinitions[1].mountPoints[0].readonly", "MountPoint (did you mean 'readOnly'?)");
        typos.put("volumes[0].host.sourcepath", "HostVolumeProperties (did you mean 'sourcePath'?)");
        typos.put("volumes[0].dockerVolumeConfiguration.autoProvision",
                "DockerVolumeConfiguration (did you mean 'autoprovision'?)");
        typos.put("containerDefinitions[1].linuxParameters.capabilities.Drop",
                "KernelCapabilities (did you mean 'drop'?)");
        typos.put("containerDefinitions[1].linuxParameters.devices[0].path", "Device");
        typos.put("containerDefinitions[1].linuxParameters.tmpfs[0].sizeMiB", "Tmpfs");
        typos.put("containerDefinitions[1].linuxParameters.initProcess", "LinuxParameters");
        typos.put("containerDefinitions[1].healthCheck.startperiod", "HealthCheck (did you mean 'startPeriod'?)");
        typos.put("containerDefinitions[1].logConfiguration.driver", "LogConfiguration");
        typos.put("containerDefinitions[1].ulimits[0].soft", "Ulimit");
        typos.put("containerDefinitions[1].dependsOn[0].container", "ContainerDependency");
        typos.put("containerDefinitions[1].extraHosts[0].ip", "HostEntry");
        typos.put("containerDefinitions[1].restartPolicy.enable", "ContainerRestartPolicy");
        typos.put("containerDefinitions[1].secrets[0].value", "Secret");
        typos.put("containerDefinitions[1].volumesFrom[0].readonly", "VolumeFrom (did you mean 'readOnly'?)");
        typos.put("containerDefinitions[1].systemControls[0].name", "SystemControl");
        Map<String, String> bodies = Map.ofEntries(
                Map.entry("containerDefinitions[1].mountPoints[0].readonly",
                        ",\"mountPoints\":[{\"sourceVolume\":\"data\",\"containerPath\":\"/d\",\"readonly\":true}]"),
                Map.entry("containerDefinitions[1].linuxParameters.capabilities.Drop",
                        ",\"linuxParameters\":{\"capabilities\":{\"Drop\":[\"ALL\"]}}"),
                Map.entry("containerDefinitions[1].linuxParameters.devices[0].path",
                        ",\"linuxParameters\":{\"devices\":[{\"path\":\"/dev/fuse\"}]}"),
                Map.entry("containerDefinitions[1].linuxParameters.tmpfs[0].sizeMiB",
                        ",\"linuxParameters\":{\"tmpfs\":[{\"containerPath\":\"/t\",\"sizeMiB\":8}]}"),
                Map.entry("containerDefinitions[1].linuxParameters.initProcess",
                        ",\"linuxParameters\":{\"initProcess\":true}"),
                Map.entry("containerDefinitions[1].healthCheck.startperiod",
                        ",\"healthCheck\":{\"command\":[\"CMD\",\"true\"],\"startperiod\":5}"),
                Map.entry("containerDefinitions[1].logConfiguration.driver",
                        ",\"logConfiguration\":{\"driver\":\"json-file\"}"),
                Map.entry("containerDefinitions[1].ulimits[0].soft",
                        ",\"ulimits\":[{\"name\":\"nofile\",\"soft\":1,\"hardLimit\":2}]"),
                Map.entry("containerDefinitions[1].dependsOn[0].container",
                        ",\"dependsOn\":[{\"container\":\"side\",\"condition\":\"START\"}]"),
                Map.entry("containerDefinitions[1].extraHosts[0].ip",
                        ",\"extraHosts\":[{\"hostname\":\"h\",\"ip\":\"10.0.0.1\"}]"),
                Map.entry("containerDefinitions[1].restartPolicy.enable", ",\"restartPolicy\":{\"enable\":true}"),
                Map.entry("containerDefinitions[1].secrets[0].value",
                        ",\"secrets\":[{\"name\":\"A\",\"value\":\"b\"}]"),
                Map.entry("containerDefinitions[1].volumesFrom[0].readonly",
                        ",\"volumesFrom\":[{\"sourceContainer\":\"side\",\"readonly\":true}]"),
                Map.entry("containerDefinitions[1].systemControls[0].name",
                        ",\"systemControls\":[{\"name\":\"net.core.somaxconn\",\"value\":\"1\"}]"));
        Map<String, String> taskBodies = Map.of(
                "volumes[0].host.sourcepath", ",\"volumes\":[{\"name\":\"data\",\"host\":{\"sourcepath\":\"/srv\"}}]",
                "volumes[0].dockerVolumeConfiguration.autoProvision", ",\"volumes\":[{\"name\":\"data\","
                        + "\"dockerVolumeConfiguration\":{\"scope\":\"shared\",\"autoProvision\":true}}]");

        // Then
        typos.forEach((path, shape) -> {
            String task = taskBodies.getOrDefault(path, volumes);
            String container = bodies.getOrDefault(path, "");
            String body = "{\"family\":\"f\"" + task + ",\"containerDefinitions\":[{\"name\":\"side\","
                    + "\"image\":\"busybox\",\"memory\":32}," + web + container + "}]}";
            try {
                assertRejected(json(body), "Unknown parameter '" + path + "': it is no field of ECS's " + shape
                        + "; nothing was registered.");
            } catch (Exception e) {
                throw new AssertionError(path, e);
            }
        });
    }

    @Test
    void acceptsEveryEcsNameInsideNestedObjects() throws Exception {
        // Given: the nested objects of a definition written as ECS documents them, free-form maps included
        TaskDefinition full = json("{\"family\":\"f\",\"volumes\":[{\"name\":\"data\",\"host\":{\"sourcePath\":"
                + "\"/srv\"}},{\"name\":\"cache\",\"dockerVolumeConfiguration\":{\"scope\":\"task\","
                + "\"autoprovision\":null,\"driver\":\"local\"}}],\"containerDefinitions\":[{\"name\":\"web\","
                + "\"image\":\"busybox\",\"memory\":32,\"mountPoints\":[{\"sourceVolume\":\"data\","
                + "\"containerPath\":\"/d\",\"readOnly\":true}],\"linuxParameters\":{\"capabilities\":{\"add\":[],"
                + "\"drop\":[\"ALL\"]},\"initProcessEnabled\":true,\"tmpfs\":[{\"containerPath\":\"/t\","
                + "\"size\":8,\"mountOptions\":[\"noexec\"]}],\"sharedMemorySize\":64},\"healthCheck\":{"
                + "\"command\":[\"CMD\",\"true\"],\"interval\":5,\"timeout\":2,\"retries\":1,\"startPeriod\":0},"
                + "\"logConfiguration\":{\"logDriver\":\"json-file\",\"options\":{\"max-size\":\"1m\"}},"
                + "\"ulimits\":[{\"name\":\"nofile\",\"softLimit\":1,\"hardLimit\":2}],"
                + "\"extraHosts\":[{\"hostname\":\"h\",\"ipAddress\":\"10.0.0.1\"}],\"restartPolicy\":{"
                + "\"enabled\":true,\"ignoredExitCodes\":[0],\"restartAttemptPeriod\":60},"
                + "\"systemControls\":[{\"namespace\":\"net.core.somaxconn\",\"value\":\"1\"}]}]}");

        // Then
        assertThatCode(() -> TaskDefinitionValidator.validate(full)).doesNotThrowAnyException();
    }

    private static TaskDefinition json(String text) throws Exception {
        return dev.berth.protocol.RecordCodec.newMapper().readValue(text, TaskDefinition.class);
    }
}
