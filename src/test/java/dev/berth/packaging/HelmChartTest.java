package dev.berth.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Helm chart, rendered by a real helm (helm-java bundles it): it lints, it renders with
 * the default and with production-like values, the schema refuses bad values, and the
 * objects it renders run Berth the way the design says.
 */
class HelmChartTest {

    private static final Path CHART = Paths.get("helm", "berth");
    private static final Path PACKAGING = Paths.get("src", "test", "resources", "packaging");
    private static final Path PRODUCTION = PACKAGING.resolve("values-production.yaml");
    private static final String RELEASE = "berth";
    private static final int MANAGEMENT_PORT = 9000;
    private static final String KUBERNETES = "1.31.0";

    @Test
    void theChartLintsCleanInStrictMode() {
        // When
        LintResult lint = new Helm(CHART).lint().strict().call();

        // Then
        assertThat(lint.getMessages()).noneMatch(message -> message.contains("[ERROR]") || message.contains("[WARNING]"));
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    @Test
    void theDefaultsRenderOneHardenedSchedulerOnPlaintextKafka() throws IOException {
        // When
        RenderedChart chart = render(template());

        // Then
        Deployment deployment = chart.only(Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        Container scheduler = onlyContainer(deployment.getSpec().getTemplate().getSpec());
        assertHealthProbes(scheduler);
        assertNonRoot(deployment.getSpec().getTemplate().getSpec(), scheduler);
        assertThat(env(scheduler)).containsEntry("BERTH_ROLES", "scheduler")
                .containsEntry("QUARKUS_HTTP_HOST", "0.0.0.0")
                .containsEntry("BERTH_API_ALLOW_UNSIGNED_REMOTE", "false")
                .containsEntry("BERTH_SCHEDULER_ADVERTISED_URL", "http://$(POD_IP):8080")
                .containsEntry("BERTH_SCHEDULER_SESSION_TIMEOUT", "10s");
        assertThat(scheduler.getCommand()).startsWith("java").endsWith("-jar", "/opt/berth/quarkus-app/quarkus-run.jar");
        Map<String, String> config = configOf(chart, scheduler);
        assertThat(config)
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                .containsEntry("BERTH_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")
                .containsEntry("BERTH_KAFKA_PARTITIONS", "6")
                .containsEntry("BERTH_KAFKA_REPLICATION_FACTOR", "1")
                .containsEntry("QUARKUS_HTTP_PORT", "8080")
                .containsEntry("QUARKUS_MANAGEMENT_PORT", "9000")
                .doesNotContainKey("BERTH_KAFKA_SASL_MECHANISM");
        assertThat(secretEnv(scheduler)).isEmpty();
        Service service = chart.only(Service.class);
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort)
                .containsExactly(tuple("http", 8080), tuple("metrics", MANAGEMENT_PORT));
        assertThat(chart.all(PodDisruptionBudget.class)).as("one replica: a PDB would block every drain").isEmpty();
        assertThat(chart.all(DaemonSet.class)).as("the agent is off by default").isEmpty();
        assertThat(chart.all(Secret.class)).as("nothing secret to keep").isEmpty();
        assertThat(chart.all(GenericKubernetesResource.class)).as("no ServiceMonitor by default").isEmpty();
    }

    @Test
    void productionValuesRenderThreeSchedulersOnSaslSslAndAnAgentOnEveryNode() throws IOException {
        // When
        RenderedChart chart = render(template().withValuesFile(PRODUCTION));

        // Then the schedulers
        Deployment deployment = chart.only(Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container scheduler = onlyContainer(pod);
        assertHealthProbes(scheduler);
        assertNonRoot(pod, scheduler);
        assertThat(scheduler.getResources().getLimits()).containsKey("memory");
        assertThat(env(scheduler)).containsEntry("BERTH_ROLES", "scheduler")
                .containsEntry("BERTH_SCHEDULER_REGION", "eu-west-1")
                .containsEntry("BERTH_SCHEDULER_ACCOUNT", "123456789012");
        assertThat(configOf(chart, scheduler))
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS",
                        "kafka-0.kafka.kafka.svc:9093,kafka-1.kafka.kafka.svc:9093,kafka-2.kafka.kafka.svc:9093")
                .containsEntry("BERTH_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("BERTH_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("BERTH_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/berth/kafka-truststore/ca.p12")
                .containsEntry("BERTH_KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12")
                .containsEntry("BERTH_KAFKA_PARTITIONS", "12")
                .containsEntry("BERTH_KAFKA_REPLICATION_FACTOR", "3")
                .containsEntry("BERTH_LOG_JSON", "true");
        assertThat(secretEnv(scheduler))
                .containsEntry("BERTH_KAFKA_SASL_JAAS_CONFIG", "berth-credentials/kafka-sasl-jaas-config")
                .containsEntry("BERTH_KAFKA_SSL_TRUSTSTORE_PASSWORD", "berth-credentials/kafka-truststore-password")
                .containsEntry("BERTH_API_ACCESS_KEY_ID", "berth-credentials/api-access-key-id")
                .containsEntry("BERTH_API_SECRET_ACCESS_KEY", "berth-credentials/api-secret-access-key");
        assertThat(scheduler.getEnv()).noneMatch(variable -> variable.getValue() != null && variable.getValue().contains("password"));
        assertThat(mountPath(scheduler, "kafka-truststore")).isEqualTo("/etc/berth/kafka-truststore");
        assertThat(volume(pod, "kafka-truststore").getSecret().getSecretName()).isEqualTo("kafka-cluster-ca");
        assertThat(chart.all(Secret.class)).as("existingSecret: the chart makes none").isEmpty();
        // their disruption budget
        PodDisruptionBudget budget = chart.only(PodDisruptionBudget.class);
        assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getSelector().getMatchLabels())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        // their metrics
        GenericKubernetesResource monitor = chart.only(GenericKubernetesResource.class);
        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
        // and the agents
        DaemonSet daemonSet = chart.only(DaemonSet.class);
        PodSpec agentPod = daemonSet.getSpec().getTemplate().getSpec();
        Container agent = onlyContainer(agentPod);
        assertThat(agentPod.getHostNetwork()).isTrue();
        assertThat(agentPod.getTerminationGracePeriodSeconds()).as("longer than the 15 s flush").isGreaterThan(15);
        assertThat(env(agent)).containsEntry("BERTH_ROLES", "agent")
                .containsEntry("ECS_CLUSTER", "production")
                .containsEntry("ECS_RESERVED_MEMORY", "1024")
                .containsEntry("DOCKER_HOST", "unix:///var/run/docker.sock")
                .containsEntry("BERTH_AGENT_RESERVE_PROCESS_PORTS", "true")
                .containsEntry("QUARKUS_HTTP_HOST_ENABLED", "false")
                .containsEntry("MALLOC_ARENA_MAX", "2")
                .containsEntry("BERTH_DATA_DIR", "/var/lib/berth");
        // the ARNs of the agents' container instances in the API's region and account
        assertThat(env(agent)).containsEntry("BERTH_AGENT_ARN_REGION", "eu-west-1")
                .containsEntry("BERTH_AGENT_ARN_ACCOUNT", "123456789012");
        // the JVM options the systemd unit ships and the agent benchmark measures, but for the one an older Java refuses
        assertThat(agent.getCommand()).containsAll(agentUnitJvmOptions().stream()
                .filter(option -> !option.startsWith("-XX:TrimNativeHeapInterval")).toList());
        assertThat(secretEnv(agent)).containsEntry("BERTH_KAFKA_SASL_JAAS_CONFIG", "berth-credentials/kafka-sasl-jaas-config")
                .doesNotContainKey("BERTH_API_SECRET_ACCESS_KEY");
        assertThat(volume(agentPod, "docker-socket").getHostPath().getPath()).isEqualTo("/var/run/docker.sock");
        assertThat(volume(agentPod, "docker-socket").getHostPath().getType()).isEqualTo("Socket");
        assertThat(mountPath(agent, "docker-socket")).isEqualTo("/var/run/docker.sock");
        assertThat(volume(agentPod, "data").getHostPath().getPath()).isEqualTo("/var/lib/berth");
        // the node's machine id, not the image's
        assertThat(volume(agentPod, "machine-id").getHostPath().getPath()).isEqualTo("/etc/machine-id");
        assertThat(volume(agentPod, "machine-id").getHostPath().getType()).isEqualTo("File");
        assertThat(env(agent)).containsEntry("BERTH_AGENT_MACHINE_ID_FILE", mountPath(agent, "machine-id"));
        // Docker's data root at its own path, so that the image cleanup can measure its disk
        assertThat(volume(agentPod, "docker-root").getHostPath().getPath()).isEqualTo("/var/lib/docker");
        assertThat(mountPath(agent, "docker-root")).isEqualTo("/var/lib/docker");
        assertHealthProbes(agent);
        SecurityContext agentSecurity = agent.getSecurityContext();
        assertThat(agentSecurity.getRunAsUser()).as("root for the Docker socket").isZero();
        assertThat(agentSecurity.getPrivileged()).isFalse();
        assertThat(agentSecurity.getAllowPrivilegeEscalation()).isFalse();
        assertThat(agentSecurity.getCapabilities().getDrop()).containsExactly("ALL");
    }

    @Test
    void anAgentOnItsPodsNetworkReservesNoneOfItsOwnPortsOnTheNode() throws IOException {
        // When
        RenderedChart chart = render(template().set("agent.enabled", "true"));

        // Then
        PodSpec agentPod = chart.only(DaemonSet.class).getSpec().getTemplate().getSpec();
        assertThat(agentPod.getHostNetwork()).isFalse();
        // and without a machine id file: no check, never the image's own machine id
        PodSpec unchecked = render(template().set("agent.enabled", "true").set("agent.machineIdFile", ""))
                .only(DaemonSet.class).getSpec().getTemplate().getSpec();
        assertThat(unchecked.getVolumes()).noneMatch(v -> v.getName().equals("machine-id"));
        assertThat(env(onlyContainer(unchecked))).containsEntry("BERTH_AGENT_MACHINE_ID_FILE", "/dev/null");
        assertThat(env(onlyContainer(agentPod))).containsEntry("BERTH_AGENT_RESERVE_PROCESS_PORTS", "false");
    }

    @Test
    void theHostPathsTasksMayMountAreMountedForTheAgentAtTheirOwnPathSoItResolvesThemAsTheNodeDoes()
            throws IOException {
        // When
        RenderedChart chart = render(template().set("agent.enabled", "true")
                .set("agent.hostPathsAllowed[0]", "/srv/berth").set("agent.hostPathsAllowed[1]", "/var/log/apps"));

        // Then
        PodSpec agentPod = chart.only(DaemonSet.class).getSpec().getTemplate().getSpec();
        Container agent = onlyContainer(agentPod);
        assertThat(env(agent)).containsEntry("BERTH_AGENT_HOST_PATHS_ALLOWED", "/srv/berth,/var/log/apps");
        assertThat(List.of("host-path-0", "host-path-1")).extracting(name -> volume(agentPod, name).getHostPath())
                .extracting("path", "type").containsExactly(tuple("/srv/berth", "Directory"),
                        tuple("/var/log/apps", "Directory"));
        assertThat(agent.getVolumeMounts()).filteredOn(mount -> mount.getName().startsWith("host-path-"))
                .extracting(VolumeMount::getMountPath, VolumeMount::getReadOnly, VolumeMount::getMountPropagation)
                .containsExactly(tuple("/srv/berth", true, "HostToContainer"),
                        tuple("/var/log/apps", true, "HostToContainer"));
        // and by default none: every host path is refused
        Container strict = onlyContainer(render(template().set("agent.enabled", "true")).only(DaemonSet.class)
                .getSpec().getTemplate().getSpec());
        assertThat(env(strict)).doesNotContainKey("BERTH_AGENT_HOST_PATHS_ALLOWED");
    }

    @Test
    void theChartMakesTheCredentialsSecretWhenThereIsNoExistingOne() throws IOException {
        // When
        RenderedChart chart = render(template()
                .set("kafka.sasl.enabled", "true")
                .set("kafka.sasl.mechanism", "PLAIN")
                .set("kafka.sasl.jaasConfig", "org.apache.kafka.common.security.plain.PlainLoginModule required;"));

        // Then
        Secret secret = chart.only(Secret.class);
        assertThat(secret.getStringData()).containsOnlyKeys("kafka-sasl-jaas-config");
        Container scheduler = onlyContainer(chart.only(Deployment.class).getSpec().getTemplate().getSpec());
        assertThat(secretEnv(scheduler)).containsEntry("BERTH_KAFKA_SASL_JAAS_CONFIG",
                secret.getMetadata().getName() + "/kafka-sasl-jaas-config");
        assertThat(configOf(chart, scheduler)).containsEntry("BERTH_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    }

    @Test
    void agentsLogInToKafkaAsTheirOwnPrincipalWhenAsked() throws IOException {
        // When
        RenderedChart chart = render(template()
                .set("agent.enabled", "true")
                .set("kafka.sasl.enabled", "true")
                .set("kafka.sasl.jaasConfig", "scheduler-login")
                .set("kafka.sasl.agentOwnPrincipal", "true")
                .set("kafka.sasl.agentJaasConfig", "agent-login"));

        // Then the Secret holds both logins, the scheduler uses its own and the agents theirs
        Secret secret = chart.only(Secret.class);
        assertThat(secret.getStringData()).containsEntry("kafka-sasl-jaas-config", "scheduler-login")
                .containsEntry("kafka-sasl-agent-jaas-config", "agent-login");
        String name = secret.getMetadata().getName();
        Container scheduler = onlyContainer(chart.only(Deployment.class).getSpec().getTemplate().getSpec());
        assertThat(secretEnv(scheduler)).containsEntry("BERTH_KAFKA_SASL_JAAS_CONFIG", name + "/kafka-sasl-jaas-config");
        Container agent = onlyContainer(chart.only(DaemonSet.class).getSpec().getTemplate().getSpec());
        assertThat(secretEnv(agent)).containsEntry("BERTH_KAFKA_SASL_JAAS_CONFIG",
                name + "/kafka-sasl-agent-jaas-config");
        // and without the agents' login the chart refuses to render
        assertThatThrownBy(() -> template().set("agent.enabled", "true").set("kafka.sasl.enabled", "true")
                .set("kafka.sasl.jaasConfig", "scheduler-login").set("kafka.sasl.agentOwnPrincipal", "true").call())
                .hasMessageContaining("kafka.sasl.agentJaasConfig is required");
    }

    @Test
    void saslWithoutCredentialsIsRefused() {
        // When / Then
        assertThatThrownBy(() -> template().set("kafka.sasl.enabled", "true").call())
                .hasMessageContaining("kafka.sasl.jaasConfig is required");
    }

    @ParameterizedTest
    @CsvSource({
        "values-invalid-types.yaml, '/kafka/bootstrapServers'",
        "values-invalid-types.yaml, '/replicaCount'",
        "values-invalid-enum.yaml, '/kafka/sasl/mechanism'",
        "values-invalid-typo.yaml, 'bootstrapServer'"
    })
    void theSchemaRefusesValuesThatBreakIt(String valuesFile, String offence) {
        // When / Then
        assertThatThrownBy(() -> template().withValuesFile(PACKAGING.resolve(valuesFile)).call())
                .hasMessageContaining("schema")
                .hasMessageContaining(offence);
    }

    @Test
    void theSchemaRequiresTheBootstrapServers() {
        // When / Then
        assertThatThrownBy(() -> template().set("kafka.bootstrapServers", "").call())
                .hasMessageContaining("schema")
                .hasMessageContaining("/kafka/bootstrapServers");
    }

    /** helm template as for a current cluster: helm-java otherwise assumes Kubernetes 1.20. */
    private static TemplateCommand template() {
        return new Helm(CHART).template().withName(RELEASE).withNamespace("berth").withKubeVersion(KUBERNETES);
    }

    private static RenderedChart render(TemplateCommand template) throws IOException {
        return RenderedChart.parse(template.call());
    }

    private static Container onlyContainer(PodSpec pod) {
        assertThat(pod.getContainers()).hasSize(1);
        return pod.getContainers().get(0);
    }

    /** The -X options of berth-agent.service's ExecStart. */
    private static List<String> agentUnitJvmOptions() throws IOException {
        String execStart = UnitFile.read(java.nio.file.Path.of("systemd/berth-agent.service")).value("Service",
                "ExecStart");
        List<String> options = java.util.Arrays.stream(execStart.split("\\s+"))
                .filter(word -> word.startsWith("-X")).toList();
        assertThat(options).contains("-XX:+UseSerialGC", "-Xmx64m");
        return options;
    }

    private static void assertHealthProbes(Container container) {
        int management = container.getPorts().stream()
                .filter(port -> "management".equals(port.getName()))
                .findFirst().orElseThrow().getContainerPort();
        assertThat(management).isEqualTo(MANAGEMENT_PORT);
        assertProbe(container.getLivenessProbe(), "/q/health/live");
        assertProbe(container.getReadinessProbe(), "/q/health/ready");
        assertProbe(container.getStartupProbe(), "/q/health/live");
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
    }

    private static void assertNonRoot(PodSpec pod, Container container) {
        SecurityContext security = container.getSecurityContext();
        assertThat(security.getRunAsNonRoot()).isTrue();
        assertThat(security.getRunAsUser()).isEqualTo(10001L);
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(mountPath(container, "tmp")).isEqualTo("/tmp");
        assertThat(mountPath(container, "data")).isEqualTo("/var/lib/berth");
        assertThat(volume(pod, "tmp").getEmptyDir()).isNotNull();
        assertThat(volume(pod, "data").getEmptyDir()).isNotNull();
    }

    /** The plain values of the container's env. */
    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().filter(variable -> variable.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    /** The container's env from Secrets, as secret/key. */
    private static Map<String, String> secretEnv(Container container) {
        return container.getEnv().stream()
                .filter(variable -> variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null)
                .collect(Collectors.toMap(EnvVar::getName, variable -> {
                    SecretKeySelector ref = variable.getValueFrom().getSecretKeyRef();
                    return ref.getName() + "/" + ref.getKey();
                }));
    }

    /** The data of the ConfigMap the container takes its environment from. */
    private static Map<String, String> configOf(RenderedChart chart, Container container) {
        assertThat(container.getEnvFrom()).hasSize(1);
        String name = container.getEnvFrom().get(0).getConfigMapRef().getName();
        return chart.all(ConfigMap.class).stream()
                .filter(map -> map.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + name + " in " + chart.kinds()))
                .getData();
    }

    private static String mountPath(Container container, String volume) {
        return container.getVolumeMounts().stream().filter(mount -> mount.getName().equals(volume))
                .map(VolumeMount::getMountPath).findFirst()
                .orElseThrow(() -> new AssertionError("no mount of " + volume + " in " + container.getName()));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(volume -> volume.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
