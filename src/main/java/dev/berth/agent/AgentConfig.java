package dev.berth.agent;

import dev.berth.agent.runtime.ImagePullBehavior;
import dev.berth.protocol.AtLeastOne;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code agent} role's configuration. The ECS agent's variable names are accepted too
 * ({@code ECS_CLUSTER}, {@code ECS_RESERVED_MEMORY}, {@code ECS_RESERVED_PORTS},
 * {@code ECS_CONTAINER_STOP_TIMEOUT}, {@code ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION},
 * {@code ECS_CONTAINER_START_TIMEOUT}, {@code ECS_DISABLE_PRIVILEGED}, {@code ECS_IMAGE_PULL_BEHAVIOR},
 * {@code ECS_RESERVED_PORTS_UDP}, {@code ECS_INSTANCE_ATTRIBUTES}, {@code ECS_LOGLEVEL},
 * {@code ECS_DISABLE_IMAGE_CLEANUP}, {@code ECS_IMAGE_CLEANUP_INTERVAL}, {@code ECS_IMAGE_MINIMUM_CLEANUP_AGE},
 * {@code ECS_NUM_IMAGES_DELETE_PER_CYCLE}, {@code ECS_IMAGE_PULL_TIMEOUT},
 * {@code ECS_IMAGE_PULL_INACTIVITY_TIMEOUT}):
 * application.properties maps them onto these properties, so an {@code ecs.config} moves over
 * unchanged; {@link AgentEnvFile} reads such a file. One set to nothing is not set, as in the ECS
 * agent ({@link EcsUnsetValues}). Their durations take Go's syntax as well
 * as Berth's ({@link EcsDurationConverter}), their yes-or-no values Go's forms
 * ({@link EcsBooleanConverter}).
 */
@ConfigMapping(prefix = "berth.agent")
public interface AgentConfig {

    /** The cluster this container instance joins (env {@code ECS_CLUSTER}). */
    @WithDefault("default")
    String cluster();

    /**
     * Memory in MiB kept back for the host and its daemons: registered memory is the
     * host's total minus this (env {@code ECS_RESERVED_MEMORY}). Not negative.
     */
    @WithDefault("0")
    @WithConverter(NonNegativeCountConverter.class)
    int reservedMemory();

    /**
     * Host ports no task may bind: SSH, the Docker API and the agent's own ports (env
     * {@code ECS_RESERVED_PORTS}, ECS's defaults), as a JSON array or a comma list of ports
     * from 1 to 65535 ({@link ReservedPorts}). The agent adds every port its process listens on
     * ({@link AgentRole#reservedPorts}).
     */
    @WithDefault("22,2375,2376,51678,51679")
    @WithConverter(ReservedPorts.Tcp.class)
    ReservedPorts reservedPorts();

    /**
     * Whether the TCP ports this process listens on are reserved from tasks as well
     * ({@link AgentRole#reservedPorts}): they are when the agent shares the host's network, as
     * under systemd. In a pod of its own network (the Helm chart without {@code hostNetwork})
     * its ports are not the host's, and the chart sets this to false.
     */
    @WithDefault("true")
    boolean reserveProcessPorts();

    /**
     * UDP host ports no task may bind (env {@code ECS_RESERVED_PORTS_UDP}), in the same forms
     * ({@link ReservedPorts}); none by default, as in ECS.
     */
    Optional<@WithConverter(ReservedPorts.Udp.class) ReservedPorts> reservedPortsUdp();

    /**
     * Custom attributes registered with the host's own (env {@code ECS_INSTANCE_ATTRIBUTES}):
     * a JSON object of strings, e.g. {@code {"stack": "prod"}}. None by default.
     */
    Optional<@WithConverter(InstanceAttributes.Parser.class) InstanceAttributes> instanceAttributes();

    /**
     * The root log level as the ECS agent names it (env {@code ECS_LOGLEVEL}, or
     * {@code BERTH_AGENT_LOG_LEVEL}, which wins: debug, info, warn, error, crit, or none for OFF),
     * given to Quarkus as {@code quarkus.log.level} from whichever source sets it: the
     * environment, the env file, a system property ({@link EcsLogLevel}). Read here so that a
     * value that is not a level stops start-up. Unset: Quarkus's INFO.
     */
    Optional<@WithConverter(EcsLogLevel.Parser.class) String> logLevel();

    /** How often the instance registration is re-sent as a heartbeat. */
    @WithDefault("10s")
    Duration heartbeatInterval();

    /**
     * How long a container gets between SIGTERM and SIGKILL when it has no
     * {@code stopTimeout} of its own (env {@code ECS_CONTAINER_STOP_TIMEOUT}). Below 1 s it is
     * 1 s, and zero is the default, as in the ECS agent ({@link EcsDurationFloor}).
     */
    @WithDefault("30s")
    @WithConverter(EcsDurationFloor.StopTimeout.class)
    Duration stopTimeout();

    /**
     * The longest Docker may take to start a container (env
     * {@code ECS_CONTAINER_START_TIMEOUT}, the ECS agent's default on Linux). A container still
     * not started then is stopped with {@code DockerTimeoutError}, and the task with it
     * ({@code TaskFailedToStart}) when the container is essential; one that started all the
     * same is kept. Below 45 s it is 45 s, and zero is the default, as in the ECS agent
     * ({@link EcsDurationFloor}).
     */
    @WithDefault("3m")
    @WithConverter(EcsDurationFloor.StartTimeout.class)
    Duration containerStartTimeout();

    /**
     * How long a stopped task's containers are kept, for {@code docker logs} and
     * {@code docker inspect}, before they are removed (env
     * {@code ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION}, the ECS agent's default). Counted from
     * when the containers exited. Exited containers of this instance that no task claims any
     * more (the scheduler has forgotten their task) are removed after the same wait. Below 1 s,
     * zero included, it is the default, as in the ECS agent ({@link EcsDurationFloor}).
     */
    @WithDefault("3h")
    @WithConverter(EcsDurationFloor.TaskCleanupWait.class)
    Duration taskCleanupWait();

    /**
     * How often every task is compared with what Docker reports, even without an event. A
     * random 0-20% is added to each period so that hosts do not resync in step.
     */
    @WithDefault("30s")
    Duration resyncInterval();

    /**
     * Whether task definitions asking for {@code privileged: true} are refused on this host
     * (env {@code ECS_DISABLE_PRIVILEGED}). Unlike the ECS agent, Berth refuses them unless
     * this is set to false: a privileged container owns the host. While true, so are the
     * settings that own it as surely: {@code linuxParameters.capabilities.add} beyond Docker's
     * default set ({@code ALL}, {@code SYS_ADMIN}, ...), {@code dockerSecurityOptions} that lift
     * confinement ({@code apparmor}, {@code systempaths} unconfined, any {@code seccomp},
     * {@code label} disable or {@code type:spc_t}, {@code writable-cgroups}), and {@code pidMode}
     * or {@code ipcMode} host ({@link dev.berth.agent.runtime.HostPolicy}). Only the forms of
     * Go's {@code strconv.ParseBool} are taken ({@link EcsBooleanConverter}).
     */
    @WithDefault("true")
    @WithConverter(EcsBooleanConverter.class)
    boolean disablePrivileged();

    /**
     * The file that names this machine (env {@code BERTH_AGENT_MACHINE_ID_FILE}): systemd's
     * {@code /etc/machine-id}. The agent records it beside its instance id; a data directory
     * recorded on another machine (a copy, as a disk image cloned from another host carries)
     * is moved aside and this host registers as a new container instance. A file that is
     * missing or names no machine turns the check off.
     */
    @WithDefault("/etc/machine-id")
    Path machineIdFile();

    /**
     * Absolute host directories under which a task volume's {@code host.sourcePath} may be
     * mounted (env {@code BERTH_AGENT_HOST_PATHS_ALLOWED}, a comma list). Empty, the default,
     * refuses every host path: a bind mount reaches past the container. Paths are compared
     * with symlinks resolved, as the agent sees the host's files, and Docker gets the resolved
     * path; a directory the agent cannot find (under the unit's {@code PrivateTmp} or
     * {@code ProtectHome}, or not mounted into its pod) allows nothing.
     */
    Optional<List<Path>> hostPathsAllowed();

    /** The Docker engine (env {@code DOCKER_HOST}): a unix socket or tcp address. */
    @WithDefault("unix:///var/run/docker.sock")
    String dockerHost();

    /**
     * The longest any single Docker call may take before it fails with
     * {@code DockerTimeoutError}. Stops get their stop timeout on top; pulls get
     * {@link #pullTimeout()}.
     */
    @WithDefault("30s")
    Duration dockerCallTimeout();

    /**
     * When images are pulled (env {@code ECS_IMAGE_PULL_BEHAVIOR}): {@code default},
     * {@code always}, {@code once} or {@code prefer-cached}. Unlike the ECS agent
     * ({@code default}), Berth pulls only missing images unless told otherwise, so hosts
     * without a registry run what they have.
     */
    @WithDefault("prefer-cached")
    ImagePullBehavior imagePullBehavior();

    /**
     * Whether images are never removed by the agent (env {@code ECS_DISABLE_IMAGE_CLEANUP}).
     * Otherwise unused images that this instance's tasks named are removed by age and by
     * disk use ({@code dev.berth.agent.images}). Only the forms of Go's
     * {@code strconv.ParseBool} are taken ({@link EcsBooleanConverter}).
     */
    @WithDefault("false")
    @WithConverter(EcsBooleanConverter.class)
    boolean imageCleanupDisabled();

    /**
     * How often image cleanup runs, with a random 0-20% added (env
     * {@code ECS_IMAGE_CLEANUP_INTERVAL}, the ECS agent's default). Unlike the ECS agent, any
     * period longer than zero is taken.
     */
    @WithDefault("30m")
    @WithConverter(PositiveDurationConverter.class)
    Duration imageCleanupInterval();

    /**
     * How long an image must have gone unused by any task or container before cleanup may
     * remove it (env {@code ECS_IMAGE_MINIMUM_CLEANUP_AGE}, the ECS agent's default).
     */
    @WithDefault("1h")
    @WithConverter(EcsDurationConverter.class)
    Duration imageMinimumCleanupAge();

    /** The most images one cleanup cycle removes by age (env {@code ECS_NUM_IMAGES_DELETE_PER_CYCLE}). */
    @WithDefault("5")
    @WithConverter(AtLeastOne.Int.class)
    int imagesDeletedPerCycle();

    /**
     * Use of the filesystem holding Docker's images, in percent, at which a cleanup cycle
     * removes more eligible images than {@link #imagesDeletedPerCycle()}, least recently used
     * first, until use is at or below {@link #imageDiskLowWatermark()}.
     */
    @WithDefault("85")
    @WithConverter(PercentConverter.class)
    int imageDiskHighWatermark();

    /** See {@link #imageDiskHighWatermark()}; not above it. */
    @WithDefault("80")
    @WithConverter(PercentConverter.class)
    int imageDiskLowWatermark();

    /**
     * The longest an image pull may take before the task fails with CannotPullContainerError (env
     * {@code ECS_IMAGE_PULL_TIMEOUT}, the ECS agent's default). Zero is the default, as in the ECS
     * agent; negative stops start-up ({@link PullTimeoutConverter}). A pull that stalls fails
     * sooner, by {@link #pullInactivityTimeout()}.
     */
    @WithDefault("2h")
    @WithConverter(PullTimeoutConverter.class)
    Duration pullTimeout();

    /**
     * How long an image pull may go without progress (no line from Docker's progress stream)
     * before it fails with CannotPullContainerError (env {@code ECS_IMAGE_PULL_INACTIVITY_TIMEOUT},
     * the ECS agent's default). Zero is the default; negative stops start-up.
     */
    @WithDefault("1m")
    @WithConverter(PullTimeoutConverter.Inactivity.class)
    Duration pullInactivityTimeout();

    /**
     * The most task workers that act at the same time. Each task with work gets a thread of
     * its own, so one task's slow pull or stop never delays another task's stop; a thread
     * idle for 3 s ends. Beyond the bound a task waits for a free thread (up to 4096 tasks
     * wait; past that, for the next resync). Docker calls get
     * twice as many threads (a call that timed out may still hold one until the engine
     * answers); at that bound a call fails at once as a Docker timeout. At least 1.
     */
    @WithDefault("64")
    @WithConverter(AtLeastOne.Int.class)
    int workerThreads();

    /**
     * The most container creates and starts asked of Docker at once. An engine makes containers
     * fastest a few at a time (creates copy image layers, starts set up network namespaces, and
     * they contend), so a burst of tasks gets its containers sooner with a small bound than all
     * at once. It bounds the tasks that create and start containers at once, and the creates
     * and starts asked of Docker. Tasks beyond it wait in line, in the order they came, without
     * holding a task thread, and calls beyond it before their deadline starts. Stops, inspects
     * and removes never wait for it, and image pulls are outside it. At least 1.
     */
    @WithDefault("4")
    @WithConverter(AtLeastOne.Int.class)
    int containerStartParallelism();

    /**
     * The most tasks whose latest state change waits for Kafka, buffered in memory and under
     * {@code <data dir>/agent/state-changes} (one change per task: a newer one replaces it).
     * At the bound a task's change waits in its worker and is offered again at its next sync,
     * so a final STOPPED is delayed, never lost. At least 1.
     */
    @WithDefault("4096")
    @WithConverter(AtLeastOne.Int.class)
    int stateChangeBuffer();

    /**
     * How long the agent must have acted on its tasks, and a container must have been seen
     * claimed by no task, before the orphan sweep stops or removes that container. The sweep
     * is also off while the Kafka cluster id, or the partition count or topic id of
     * berth.tasks, differs from the one recorded in {@code <data dir>/agent/kafka-layout.properties}.
     */
    @WithDefault("5m")
    Duration orphanGracePeriod();

    /**
     * The ECS API endpoint the agent names in its hints, e.g. the {@code aws ecs
     * create-cluster --endpoint-url} command it logs when its cluster does not exist. The
     * agent never calls it.
     */
    @WithDefault("http://127.0.0.1:8080")
    String apiEndpoint();

    /**
     * Port of the introspection API ({@code /v1/metadata}, {@code /v1/tasks}) on 127.0.0.1
     * only, the ECS agent's 51678 by default. 0 picks a free port; -1 turns it off. A port
     * that is taken costs a WARN line, not the agent.
     */
    @WithDefault("51678")
    int introspectionPort();

    /**
     * Port of the task metadata endpoint (v4), which containers find in
     * {@code ECS_CONTAINER_METADATA_URI_V4}: the ECS agent's 51679, among the reserved ports.
     * 0 picks a free port; -1 turns it off (containers are then not told of it).
     */
    @WithDefault("51679")
    int taskMetadataPort();

    /**
     * The address the task metadata endpoint listens on and containers call. By default the
     * gateway of Docker's {@code bridge} network (172.17.0.1 on most hosts): the host as
     * bridge-mode containers reach it, and a local address for host-mode ones.
     */
    Optional<String> taskMetadataAddress();

    /**
     * The partition of the container instance ARN this agent reports; must match the
     * scheduler's {@code berth.scheduler.arn-partition}.
     */
    @WithDefault("aws")
    String arnPartition();

    /** The region of the container instance ARN; must match the scheduler's {@code berth.scheduler.region}. */
    @WithDefault("us-east-1")
    String arnRegion();

    /** The account of the container instance ARN; must match the scheduler's {@code berth.scheduler.account}. */
    @WithDefault("000000000000")
    String arnAccount();
}
