package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.agent.engine.TaskWorker;
import dev.berth.agent.runtime.HostPolicy;
import dev.berth.agent.runtime.ImagePullBehavior;
import dev.berth.agent.runtime.docker.DockerContainerRuntime;
import dev.berth.model.ContainerOverride;
import dev.berth.model.ContainerStatus;
import dev.berth.model.HealthStatus;
import dev.berth.model.KeyValuePair;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskOverride;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.TaskStateChange;
import dev.berth.testing.DockerCli;
import dev.berth.testing.SettableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Task definitions as ECS runs them, on the real Docker engine of this host: one task worker
 * per test drives a task of an ECS JSON fixture (src/test/resources/agent) through the Docker
 * runtime, and the test reads what the worker reports and what Docker shows (docker CLI).
 * The worker is synced in the polling loop, as Docker events would wake it.
 */
class TaskDefinitionDockerIT {

    private static final String INSTANCE = UUID.randomUUID().toString().replace("-", "");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static DockerContainerRuntime runtime;
    private final List<TaskStateChange> reported = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void connect() {
        String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
        runtime = DockerContainerRuntime.connect(host, Duration.ofSeconds(20), Duration.ofSeconds(30));
        runtime.enforce(HostPolicy.STRICT);
    }

    @AfterAll
    static void cleanUp() {
        DockerCli.removeContainersOfInstance(INSTANCE);
        for (String volume : DockerCli.words("volume", "ls", "-q", "--filter", "label=dev.berth.instance-id=" + INSTANCE)) {
            DockerCli.run("volume", "rm", "-f", volume);
        }
        runtime.close();
    }

    static DesiredTask task(TaskDefinition definition, TaskOverride overrides) {
        String taskId = UUID.randomUUID().toString().replace("-", "");
        return new DesiredTask(BerthRecord.SCHEMA_VERSION, 1, taskId, "arn:aws:ecs:us-east-1:000000000000:task/it/"
                + taskId, "it", INSTANCE, definition, overrides, TaskStatus.RUNNING, null, null, Instant.now(), null,
                null);
    }

    static TaskOverride environment(String container, String name, String value) {
        return new TaskOverride(List.of(new ContainerOverride(container, null, List.of(new KeyValuePair(name, value)),
                null, null, null)), null, null);
    }

    private TaskWorker worker(DesiredTask task) {
        return new TaskWorker(task, runtime, reported::add, Clock.systemUTC(), Duration.ofSeconds(5));
    }

    /**
     * Syncs the worker until its last report satisfies {@code condition}; returns that report.
     * A task that stopped without satisfying it fails at once, with its report.
     */
    private TaskStateChange syncUntil(TaskWorker worker, Predicate<TaskStateChange> condition) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            worker.sync();
            TaskStateChange last = reported.isEmpty() ? null : last();
            if (last != null && !condition.test(last) && last.taskId().equals(worker.taskId())
                    && last.lastStatus() == TaskStatus.STOPPED) {
                throw new AssertionError("the task stopped first: " + last);
            }
            return last != null && last.taskId().equals(worker.taskId()) && condition.test(last);
        });
        return last();
    }

    private TaskStateChange last() {
        return reported.get(reported.size() - 1);
    }

    private static Predicate<TaskStateChange> status(TaskStatus status) {
        return change -> change.lastStatus() == status;
    }

    static ContainerState container(TaskStateChange change, String name) {
        return change.containers().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static String inspect(ContainerState container, String format) {
        return DockerCli.run("inspect", "-f", format, container.runtimeId());
    }

    @Test
    void anEssentialContainerThatExitsStopsTheTaskAndItsOtherContainers() {
        // Given: web runs, worker exits 3 after 3 s, helper (not essential) exits 5 at once
        TaskWorker worker = worker(task(Fixtures.taskDefinition("essential-pair-task-definition.json"),
                environment("worker", "WORKER_SECONDS", "3")));

        // When
        TaskStateChange stopped = syncUntil(worker, status(TaskStatus.STOPPED));

        // Then
        assertThat(reported).as("the helper's exit alone did not stop the task").anySatisfy(change -> {
            assertThat(change.lastStatus()).isEqualTo(TaskStatus.RUNNING);
            assertThat(container(change, "helper").lastStatus()).isEqualTo(ContainerStatus.STOPPED);
            assertThat(container(change, "helper").exitCode()).isEqualTo(5);
        });
        assertThat(stopped.stopCode()).isEqualTo("EssentialContainerExited");
        assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(container(stopped, "worker").exitCode()).isEqualTo(3);
        assertThat(container(stopped, "web").exitCode()).as("stopped with SIGTERM by the agent").isEqualTo(143);
        assertThat(inspect(container(stopped, "web"), "{{.State.Status}}")).isEqualTo("exited");
    }

    @Test
    void aSuccessDependencyStartsTheContainerOnlyAfterItsDependencyExitedWithZero() {
        // Given: init writes a file into the task volume, then exits 0; app depends on its SUCCESS
        TaskWorker worker = worker(task(Fixtures.taskDefinition("depends-on-task-definition.json"), null));

        // When
        TaskStateChange running = syncUntil(worker, status(TaskStatus.RUNNING));

        // Then
        ContainerState init = container(running, "init");
        ContainerState app = container(running, "app");
        assertThat(init.lastStatus()).isEqualTo(ContainerStatus.STOPPED);
        assertThat(init.exitCode()).isZero();
        assertThat(app.lastStatus()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(Instant.parse(inspect(app, "{{.State.StartedAt}}")))
                .isAfterOrEqualTo(Instant.parse(inspect(init, "{{.State.FinishedAt}}")));
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(DockerCli.run("logs", app.runtimeId())).isEqualTo("prepared"));
    }

    @Test
    void aSuccessDependencyThatExitedNonZeroStopsTheTaskNamingTheContainerAndTheCondition() {
        // Given
        TaskWorker worker = worker(task(Fixtures.taskDefinition("depends-on-task-definition.json"),
                environment("init", "INIT_EXIT", "1")));

        // When
        TaskStateChange stopped = syncUntil(worker, status(TaskStatus.STOPPED));

        // Then
        String reason = "Container 'app' cannot start: its dependency on 'init' (condition SUCCESS) can never be met: "
                + "'init' exited with code 1";
        assertThat(stopped.stopCode()).isEqualTo("TaskFailedToStart");
        assertThat(stopped.stoppedReason()).isEqualTo(reason);
        assertThat(container(stopped, "app").reason()).isEqualTo(reason);
        assertThat(inspect(container(stopped, "app"), "{{.State.StartedAt}}")).as("never started")
                .startsWith("0001-01-01");
    }

    @Test
    void aHealthyDependencyWaitsForTheDockerHealthCheckAndTheHealthIsReported() {
        // Given: db becomes healthy after a second; app depends on db being HEALTHY
        TaskDefinition definition = Fixtures.taskDefinition("health-task-definition.json");
        TaskWorker worker = worker(task(definition, null));

        // When
        TaskStateChange running = syncUntil(worker, status(TaskStatus.RUNNING));

        // Then
        ContainerState db = container(running, "db");
        assertThat(db.healthStatus()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(container(running, "app").lastStatus()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(HealthStatus.ofTask(definition.containers(), Map.of("db", db.healthStatus())))
                .isEqualTo(HealthStatus.HEALTHY);
        assertThat(inspect(db, "{{.State.Health.Status}} {{json .Config.Healthcheck.Test}} {{.Config.Healthcheck.Retries}}"))
                .isEqualTo("healthy [\"CMD-SHELL\",\"test -f /tmp/ready\"] 2");
    }

    @Test
    void aDependencyThatIsUnhealthyBeforeItIsHealthyHoldsItsDependentBackUntilItIsHealthy() {
        // Given: db is slow to become ready: it does not create the file its health check tests
        TaskWorker worker = worker(task(Fixtures.taskDefinition("health-task-definition.json"),
                environment("db", "READY_FILE", "not-yet")));

        // When: its check fails until it is reported UNHEALTHY
        TaskStateChange unhealthy = syncUntil(worker,
                change -> container(change, "db").healthStatus() == HealthStatus.UNHEALTHY);

        // Then: app still waits, and the task has not failed
        assertThat(unhealthy.lastStatus()).isEqualTo(TaskStatus.PENDING);
        assertThat(container(unhealthy, "app").lastStatus()).isEqualTo(ContainerStatus.PENDING);

        // When: db becomes ready
        DockerCli.run("exec", container(unhealthy, "db").runtimeId(), "touch", "/tmp/ready");

        // Then: db turns HEALTHY and app starts
        TaskStateChange running = syncUntil(worker, status(TaskStatus.RUNNING));
        assertThat(container(running, "db").healthStatus()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(container(running, "app").lastStatus()).isEqualTo(ContainerStatus.RUNNING);
    }

    @Test
    void aContainerOverItsMemoryLimitIsKilledAndSaysOutOfMemory() {
        // Given: 100 MiB into tail under a 16 MiB hard limit
        TaskWorker worker = worker(task(Fixtures.taskDefinition("oom-task-definition.json"), null));

        // When
        TaskStateChange stopped = syncUntil(worker, status(TaskStatus.STOPPED));

        // Then
        ContainerState hog = container(stopped, "hog");
        assertThat(hog.exitCode()).isEqualTo(137);
        assertThat(hog.reason()).isEqualTo("OutOfMemoryError: Container killed due to memory usage");
        assertThat(stopped.stopCode()).isEqualTo("EssentialContainerExited");
        assertThat(inspect(hog, "{{.State.OOMKilled}}")).isEqualTo("true");
    }

    @Test
    void dynamicTcpAndUdpHostPortsAreReadBackFromDockerAsNetworkBindings() {
        // Given
        TaskWorker worker = worker(task(Fixtures.taskDefinition("ports-task-definition.json"), null));

        // When
        TaskStateChange running = syncUntil(worker, status(TaskStatus.RUNNING));

        // Then
        ContainerState server = container(running, "server");
        // One binding a port, as ECS reports it: Docker's IPv6 twin (::) of each is left out
        assertThat(server.networkBindings()).satisfiesExactlyInAnyOrder(
                tcp -> {
                    assertThat(tcp.containerPort()).isEqualTo(8080);
                    assertThat(tcp.protocol()).isEqualTo("tcp");
                    assertThat(DockerCli.run("port", server.runtimeId(), "8080/tcp"))
                            .contains("0.0.0.0:" + tcp.hostPort());
                },
                udp -> {
                    assertThat(udp.containerPort()).isEqualTo(5353);
                    assertThat(udp.protocol()).isEqualTo("udp");
                    assertThat(DockerCli.run("port", server.runtimeId(), "5353/udp"))
                            .contains("0.0.0.0:" + udp.hostPort());
                });
    }

    @Test
    void inHostModeAMappingWithoutAHostPortBindsTheContainerPortOnTheHost() throws Exception {
        // Given: a free port of this host, as containerPort only
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        TaskDefinition host = Fixtures.withTaskField(Fixtures.withContainerField(
                Fixtures.taskDefinition("ports-task-definition.json"), "server", "portMappings",
                List.of(Map.of("containerPort", port))), "networkMode", "host");
        host = Fixtures.withContainerField(host, "server", "command", List.of("sh", "-c",
                "trap 'exit 0' TERM; nc -l -p " + port + " -e echo hello & while true; do sleep 1; done"));
        TaskWorker worker = worker(task(host, null));

        // When
        TaskStateChange running = syncUntil(worker, status(TaskStatus.RUNNING));

        // Then
        ContainerState server = container(running, "server");
        assertThat(server.networkBindings()).singleElement().satisfies(binding -> {
            assertThat(binding.containerPort()).isEqualTo(port);
            assertThat(binding.hostPort()).isEqualTo(port);
            assertThat(binding.protocol()).isEqualTo("tcp");
        });
        assertThat(inspect(server, "{{.HostConfig.NetworkMode}}")).isEqualTo("host");
        await().atMost(PATIENCE).untilAsserted(() -> {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                assertThat(new String(socket.getInputStream().readAllBytes()).strip()).isEqualTo("hello");
            }
        });
    }

    @Test
    void containerSettingsReachDocker() {
        // Given: app links to source, takes its volumes, and sets most of what a container definition can;
        // its NET_ADMIN is beyond Docker's default capabilities, which only a host allowing privileged runs
        TaskWorker worker = worker(task(Fixtures.taskDefinition("settings-task-definition.json"), null));
        runtime.enforce(new HostPolicy(false, List.of()));

        // When
        TaskStateChange running;
        try {
            running = syncUntil(worker, status(TaskStatus.RUNNING));
        } finally {
            runtime.enforce(HostPolicy.STRICT);
        }

        // Then
        ContainerState app = container(running, "app");
        assertThat(inspect(app, "{{.Config.User}}|{{.Config.WorkingDir}}|{{.Config.Hostname}}|"
                + "{{.HostConfig.ReadonlyRootfs}}|{{json .HostConfig.Ulimits}}|{{json .HostConfig.ExtraHosts}}|"
                + "{{json .HostConfig.Dns}}|{{json .HostConfig.DnsSearch}}|{{json .HostConfig.CapAdd}}|"
                + "{{json .HostConfig.CapDrop}}|{{.HostConfig.Init}}|{{.HostConfig.ShmSize}}|"
                + "{{json .HostConfig.Tmpfs}}|{{.HostConfig.LogConfig.Type}}|{{index .Config.Labels \"team\"}}|"
                + "{{.HostConfig.IpcMode}}"))
                .isEqualTo("1000:1000|/tmp|app.internal|true|[{\"Hard\":2048,\"Name\":\"nofile\",\"Soft\":1024}]|"
                        + "[\"db.internal:10.0.0.5\"]|[\"10.0.0.2\"]|[\"corp.internal\"]|[\"NET_ADMIN\"]|"
                        + "[\"MKNOD\"]|true|33554432|{\"/scratch\":\"rw,noexec,size=8m\"}|json-file|payments|none");
        String source = inspect(container(running, "source"), "{{.Name}}").substring(1);
        assertThat(inspect(app, "{{json .HostConfig.Links}}")).contains("/" + source + ":/");
        assertThat(inspect(app, "{{json .HostConfig.VolumesFrom}}")).isEqualTo("[\"" + source + ":ro\"]");
        assertThat(inspect(container(running, "source"), "{{range .Mounts}}{{.Name}} {{.Destination}}{{end}}"))
                .endsWith("-cache /cache");
    }

    @Test
    void whatDockerOrTheHostRefusesStopsTheTaskAsFailedToStartWithTheEnginesMessage() {
        // Given
        TaskDefinition sleeper = Fixtures.sleeperTaskDefinition();
        String name = sleeper.containers().get(0).name();
        TaskWorker unknownDriver = worker(task(Fixtures.withContainerField(sleeper, name, "logConfiguration",
                Map.of("logDriver", "carrier-pigeon")), null));
        TaskWorker privileged = worker(task(Fixtures.withContainerField(sleeper, name, "privileged", true), null));
        TaskWorker noBinary = worker(task(Fixtures.withContainerField(sleeper, name, "entryPoint",
                List.of("/no/such/binary")), null));
        TaskWorker sysAdmin = worker(task(Fixtures.withContainerField(sleeper, name, "linuxParameters",
                Map.of("capabilities", Map.of("add", List.of("SYS_ADMIN")))), null));

        // When
        TaskStateChange driver = syncUntil(unknownDriver, status(TaskStatus.STOPPED));
        TaskStateChange refused = syncUntil(privileged, status(TaskStatus.STOPPED));
        TaskStateChange start = syncUntil(noBinary, status(TaskStatus.STOPPED));
        TaskStateChange capability = syncUntil(sysAdmin, status(TaskStatus.STOPPED));

        // Then
        assertThat(List.of(driver, refused, start, capability)).extracting(TaskStateChange::stopCode)
                .containsOnly("TaskFailedToStart");
        assertThat(capability.stoppedReason()).isEqualTo("CannotCreateContainerError: linuxParameters.capabilities.add"
                + " SYS_ADMIN goes beyond Docker's default capabilities; refused while privileged containers are"
                + " disabled on this host (ECS_DISABLE_PRIVILEGED)");
        assertThat(driver.stoppedReason()).startsWith("CannotCreateContainerError: Invalid 'logConfiguration.logDriver'"
                + " carrier-pigeon: this host's Docker engine offers [").contains("json-file");
        assertThat(refused.stoppedReason()).isEqualTo("CannotCreateContainerError: privileged containers are disabled "
                + "on this host (ECS_DISABLE_PRIVILEGED)");
        assertThat(start.stoppedReason()).startsWith("CannotStartContainerError: ").contains("/no/such/binary");
        assertThat(container(start, name).reason()).isEqualTo(start.stoppedReason());
    }

    @Test
    void aRestartPolicyRestartsAContainerThatRanLongEnoughInPlaceAndCountsTheRestart() {
        // Given: flaky exits 1 once /tmp/exit exists; it must run 60 s (the worker's clock) to be restarted
        SettableClock clock = new SettableClock(Instant.parse("2025-01-01T00:00:00Z"));
        TaskWorker worker = new TaskWorker(task(Fixtures.taskDefinition("restart-task-definition.json"), null),
                runtime, reported::add, clock, Duration.ofSeconds(5));
        ContainerState flaky = container(syncUntil(worker, status(TaskStatus.RUNNING)), "flaky");
        assertThat(flaky.restartCount()).isZero();

        // When: it fails after running 61 s, is restarted, and at once fails again (the file is still there)
        clock.advance(Duration.ofSeconds(61));
        DockerCli.run("exec", flaky.runtimeId(), "touch", "/tmp/exit");
        TaskStateChange stopped = syncUntil(worker, status(TaskStatus.STOPPED));

        // Then
        ContainerState last = container(stopped, "flaky");
        assertThat(last.restartCount()).isEqualTo(1);
        assertThat(last.runtimeId()).as("restarted in place").isEqualTo(flaky.runtimeId());
        assertThat(last.exitCode()).isEqualTo(1);
        assertThat(stopped.stopCode()).as("the second exit came too soon to restart again")
                .isEqualTo("EssentialContainerExited");
    }

    @Test
    void aDependencyThatDoesNotMeetItsConditionWithinItsStartTimeoutStopsTheTask() {
        // Given: db never becomes healthy, is never declared unhealthy soon, and has 30 s to be healthy
        TaskDefinition definition = Fixtures.taskDefinition("health-task-definition.json");
        definition = Fixtures.withContainerField(definition, "db", "startTimeout", 30);
        definition = Fixtures.withContainerField(definition, "db", "healthCheck", Map.of(
                "command", List.of("CMD-SHELL", "test -f /tmp/ready"), "interval", 1, "retries", 1000));
        SettableClock clock = new SettableClock(Instant.parse("2025-01-01T00:00:00Z"));
        TaskWorker worker = new TaskWorker(task(definition, environment("db", "READY_FILE", "never")), runtime,
                reported::add, clock, Duration.ofSeconds(5));
        syncUntil(worker, change -> container(change, "db").lastStatus() == ContainerStatus.RUNNING);

        // When: 30 s pass on the worker's clock
        clock.advance(Duration.ofSeconds(30));
        TaskStateChange stopped = syncUntil(worker, status(TaskStatus.STOPPED));

        // Then
        assertThat(stopped.stopCode()).isEqualTo("TaskFailedToStart");
        assertThat(stopped.stoppedReason()).isEqualTo("Container 'app' cannot start: its dependency on 'db' "
                + "(condition HEALTHY) can never be met: 'db' did not reach it within its startTimeout of 30 s");
    }

    @Test
    void thePullBehaviourDecidesWhetherACachedImageIsPulledAndWhetherAFailedPullMayUseIt() {
        // Given: the image is on this host, and no registry can be reached to pull it again
        TaskDefinition sleeper = Fixtures.sleeperTaskDefinition();
        try {
            // When
            runtime.pullBehavior(ImagePullBehavior.ALWAYS);
            TaskStateChange always = syncUntil(worker(task(sleeper, null)), status(TaskStatus.STOPPED));
            runtime.pullBehavior(ImagePullBehavior.DEFAULT);
            TaskStateChange fallback = syncUntil(worker(task(sleeper, null)), status(TaskStatus.RUNNING));
            runtime.pullBehavior(ImagePullBehavior.PREFER_CACHED);
            TaskStateChange cached = syncUntil(worker(task(sleeper, null)), status(TaskStatus.RUNNING));

            // Then
            assertThat(always.stopCode()).isEqualTo("TaskFailedToStart");
            assertThat(always.stoppedReason()).startsWith("CannotPullContainerError: ");
            assertThat(always.pullStartedAt()).isNotNull();
            assertThat(fallback.pullStartedAt()).as("pulled, failed, ran the cached image").isNotNull();
            assertThat(cached.pullStartedAt()).as("not pulled").isNull();
        } finally {
            runtime.pullBehavior(ImagePullBehavior.PREFER_CACHED);
        }
    }

    private static TaskDefinition withVolume(Map<String, Object> volume, String command) {
        TaskDefinition sleeper = Fixtures.sleeperTaskDefinition();
        String name = sleeper.containers().get(0).name();
        TaskDefinition definition = Fixtures.withTaskField(sleeper, "volumes", List.of(volume));
        definition = Fixtures.withContainerField(definition, name, "mountPoints",
                List.of(Map.of("sourceVolume", volume.get("name"), "containerPath", "/data")));
        return Fixtures.withContainerField(definition, name, "command", List.of("sh", "-c",
                command + "; trap 'exit 0' TERM; while true; do sleep 1; done"));
    }

    @Test
    void aHostPathIsMountedOnlyUnderAnAllowedDirectory() throws Exception {
        // Given: this host allows one directory
        java.nio.file.Path allowed = java.nio.file.Files.createTempDirectory("berth-host-volume");
        java.nio.file.Path source = allowed.resolve("web");
        TaskDefinition inside = withVolume(Map.of("name", "data", "host", Map.of("sourcePath", source.toString())),
                "echo written > /data/out");
        TaskDefinition outside = withVolume(Map.of("name", "data", "host", Map.of("sourcePath", "/etc")), "true");
        // a link a task could have planted under the allowed directory
        java.nio.file.Files.createSymbolicLink(allowed.resolve("esc"), java.nio.file.Path.of("/etc"));
        TaskDefinition throughLink = withVolume(Map.of("name", "data", "host",
                Map.of("sourcePath", allowed.resolve("esc").toString())), "true");
        runtime.enforce(new HostPolicy(true, List.of(allowed)));
        try {
            // When
            TaskStateChange running = syncUntil(worker(task(inside, null)), status(TaskStatus.RUNNING));
            TaskStateChange refused = syncUntil(worker(task(outside, null)), status(TaskStatus.STOPPED));
            TaskStateChange linked = syncUntil(worker(task(throughLink, null)), status(TaskStatus.STOPPED));

            // Then
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(source.resolve("out")).hasContent("written"));
            assertThat(running.lastStatus()).isEqualTo(TaskStatus.RUNNING);
            assertThat(refused.stopCode()).isEqualTo("TaskFailedToStart");
            assertThat(refused.stoppedReason()).startsWith("CannotCreateContainerError: host path /etc is not under "
                    + "an allowed host path of this host");
            assertThat(linked.stoppedReason()).startsWith("CannotCreateContainerError: host path "
                    + allowed.resolve("esc") + " resolves to /etc, which is not under an allowed host path");
        } finally {
            runtime.enforce(HostPolicy.STRICT);
        }
    }

    @Test
    void aSharedVolumeIsCreatedOnlyWhenAskedToAutoprovisionAndOutlivesTheTask() {
        // Given: a name without the berth- of task volumes, which the host refuses for a shared one
        String name = "it-shared-" + UUID.randomUUID().toString().substring(0, 8);
        TaskDefinition provisioned = withVolume(Map.of("name", name, "dockerVolumeConfiguration",
                Map.of("scope", "shared", "autoprovision", true, "driver", "local")), "echo kept > /data/out");
        TaskDefinition missing = withVolume(Map.of("name", name + "-missing", "dockerVolumeConfiguration",
                Map.of("scope", "shared")), "true");
        try {
            // When
            TaskStateChange running = syncUntil(worker(task(provisioned, null)), status(TaskStatus.RUNNING));
            TaskStateChange refused = syncUntil(worker(task(missing, null)), status(TaskStatus.STOPPED));

            // Then
            String mounted = inspect(running.containers().get(0), "{{range .Mounts}}{{.Name}}{{end}}");
            assertThat(mounted).isEqualTo(name);
            assertThat(refused.stoppedReason()).isEqualTo("CannotCreateContainerError: Docker volume " + name
                    + "-missing does not exist, and its dockerVolumeConfiguration does not ask to autoprovision it");
            assertThat(DockerCli.words("volume", "ls", "-q", "--filter", "name=" + name + "-missing")).isEmpty();
        } finally {
            DockerCli.run("rm", "-f", DockerCli.run("ps", "-aq", "--filter", "volume=" + name));
            DockerCli.run("volume", "rm", "-f", name);
        }
    }

    @Test
    void aTaskVolumeNeverTakesAVolumeBerthDidNotCreateForTheTaskNorRemovesIt() {
        // Given: a volume someone else made, under the very name the task's own volume "data" gets
        DesiredTask task = task(withVolume(Map.of("name", "data", "dockerVolumeConfiguration",
                Map.of("scope", "task")), "true"), null);
        String foreign = dev.berth.agent.runtime.HostSettings.taskVolumeName(task, "data");
        DockerCli.run("volume", "create", foreign);
        try {
            // When
            TaskStateChange refused = syncUntil(worker(task), status(TaskStatus.STOPPED));

            // Then: the task did not mount it, and the volume is still there
            assertThat(refused.stoppedReason()).isEqualTo("CannotCreateContainerError: Docker volume " + foreign
                    + " exists and is not this task's own: Berth neither mounts it as the task's volume nor removes "
                    + "it");
            assertThat(DockerCli.words("volume", "ls", "-q", "--filter", "name=" + foreign)).containsExactly(foreign);
        } finally {
            DockerCli.run("volume", "rm", "-f", foreign);
        }
    }

    @Test
    void theOnlyContainerOfATaskThatSetsNoMemoryRunsWithinTheTasksMemoryAndCpu() {
        // Given: the sleeper without a memory of its own, in a task of 96 MiB and a quarter of a CPU
        TaskDefinition sleeper = Fixtures.sleeperTaskDefinition();
        TaskDefinition bounded = Fixtures.withTaskField(Fixtures.withTaskField(Fixtures.withContainerField(sleeper,
                sleeper.containers().get(0).name(), "memory", null), "memory", "96"), "cpu", "256");

        // When
        TaskStateChange running = syncUntil(worker(task(bounded, null)), status(TaskStatus.RUNNING));

        // Then
        assertThat(inspect(running.containers().get(0), "{{.HostConfig.Memory}}"))
                .isEqualTo(String.valueOf(96L * 1024 * 1024));
        assertThat(inspect(running.containers().get(0), "{{.HostConfig.NanoCpus}}")).isEqualTo("250000000");
    }

    @Test
    void aTaskVolumeIsRemovedWithTheLastContainerThatMountsIt() throws Exception {
        // Given: both containers of the task mount its volume "shared"
        TaskStateChange running = syncUntil(worker(task(Fixtures.taskDefinition("depends-on-task-definition.json"),
                null)), status(TaskStatus.RUNNING));
        String volume = inspect(container(running, "app"), "{{range .Mounts}}{{.Name}}{{end}}");
        assertThat(DockerCli.run("volume", "inspect", "-f", "{{index .Labels \"dev.berth.task-id\"}}", volume))
                .isEqualTo(running.taskId());

        // When
        runtime.remove(container(running, "init").runtimeId());
        List<String> afterFirst = DockerCli.words("volume", "ls", "-q", "--filter", "name=" + volume);
        runtime.remove(container(running, "app").runtimeId());

        // Then
        assertThat(afterFirst).as("still used by app").containsExactly(volume);
        assertThat(DockerCli.words("volume", "ls", "-q", "--filter", "name=" + volume)).isEmpty();
    }

    @Test
    void aPrivilegedContainerIsCreatedWhereTheHostAllowsIt() {
        // Given
        TaskDefinition sleeper = Fixtures.sleeperTaskDefinition();
        TaskDefinition privileged = Fixtures.withContainerField(sleeper, sleeper.containers().get(0).name(),
                "privileged", true);
        runtime.enforce(new HostPolicy(false, List.of()));
        try {
            // When: a nested engine (as on CI) may not be able to start it; either way Docker gets it privileged
            TaskStateChange settled = syncUntil(worker(task(privileged, null)), change -> change.containers().get(0)
                    .runtimeId() != null && change.lastStatus() != TaskStatus.PENDING);

            // Then
            assertThat(inspect(settled.containers().get(0), "{{.HostConfig.Privileged}}")).isEqualTo("true");
            assertThat(String.valueOf(settled.stoppedReason())).doesNotContain("ECS_DISABLE_PRIVILEGED");
        } finally {
            runtime.enforce(HostPolicy.STRICT);
        }
    }
}
