package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.testing.DockerCli;
import dev.berth.testing.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.SchedulingStrategy;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.waiters.EcsWaiter;

/**
 * Services end to end, as an operator drives them with the AWS SDK and its own waiters: a
 * packaged scheduler and two packaged agents (two container instances on this host's one
 * Docker engine) against a real broker. A REPLICA service converges, replaces a container
 * killed under it, rolls to a new revision, rolls back from one whose image cannot be pulled
 * (circuit breaker), and moves off a drained instance; a DAEMON service runs one task on each
 * instance; deleting them stops every task.
 */
class ServicesBinaryIT {

    private static final String CLUSTER = "services";
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @Test
    void servicesConvergeHealRollAndDrainThroughTheSdkWaiters() throws Exception {
        try (TestKafka kafka = TestKafka.start();
                BerthProcess scheduler = BerthProcess.start("services-scheduler",
                        Map.of("BERTH_ROLES", "scheduler", "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
                        List.of());
                BerthProcess first = agent("services-agent-1", kafka);
                BerthProcess second = agent("services-agent-2", kafka);
                EcsClient ecs = scheduler.ecs();
                EcsWaiter waiter = EcsWaiter.builder().client(ecs).overrideConfiguration(c -> c.maxAttempts(180)
                        .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofSeconds(1)))).build()) {
            try {
                // Given a cluster with two connected instances and a task definition
                await("the scheduler answers").atMost(PATIENCE).ignoreExceptions()
                        .until(() -> ecs.createCluster(r -> r.clusterName(CLUSTER)).cluster() != null);
                await("both agents register").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                        .ignoreExceptions().until(() -> ecs.listContainerInstances(r -> r.cluster(CLUSTER))
                                .containerInstanceArns().size() == 2);
                register(ecs, "one");

                // When a REPLICA service of three is created
                ecs.createService(r -> r.cluster(CLUSTER).serviceName("web").taskDefinition("services-web")
                        .desiredCount(3).clientToken("create-web"));
                Service web = stable(waiter, "web");

                // Then three tasks run, found through the service, and the deployment completes (the
                // scheduler's next pass after the tasks run marks it, as ECS's does, a moment after
                // the waiter may already see them running)
                assertThat(web.runningCount()).isEqualTo(3);
                await("the deployment completes").atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                        .until(() -> describe(ecs, "web").deployments(), d -> d.size() == 1
                                && "COMPLETED".equals(d.get(0).rolloutStateAsString()));
                List<Task> tasks = serviceTasks(ecs, "web");
                assertThat(tasks).hasSize(3).allSatisfy(t -> assertThat(t.group()).isEqualTo("service:web"));

                // When one of its containers is killed under it
                Task victim = tasks.get(0);
                DockerCli.run("kill", victim.containers().get(0).runtimeId());

                // Then the service replaces it and is stable again
                await("the killed task is replaced").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                        .until(() -> serviceTasks(ecs, "web"), now -> now.size() == 3
                                && now.stream().noneMatch(t -> t.taskArn().equals(victim.taskArn()))
                                && now.stream().allMatch(t -> "RUNNING".equals(t.lastStatus())));
                Task stopped = ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(victim.taskArn())).tasks().get(0);
                assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
                assertThat(stopped.stopCodeAsString()).isEqualTo("EssentialContainerExited");

                // When it rolls to a new revision
                register(ecs, "two");
                ecs.updateService(r -> r.cluster(CLUSTER).service("web").taskDefinition("services-web:2"));
                web = await("the rollout completes").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                        .until(() -> describe(ecs, "web"), s -> s.deployments().size() == 1
                                && s.taskDefinition().endsWith("services-web:2") && s.runningCount() == 3);

                // Then only revision 2 runs
                assertThat(web.deployments().get(0).rolloutStateAsString()).isEqualTo("COMPLETED");
                assertThat(serviceTasks(ecs, "web")).hasSize(3)
                        .allSatisfy(t -> assertThat(t.taskDefinitionArn()).endsWith("services-web:2"));

                // When a rollout to an image that cannot be pulled trips the circuit breaker
                ecs.registerTaskDefinition(r -> r.family("services-web").containerDefinitions(ContainerDefinition
                        .builder().name("main").image("berth-test/no-such-image:latest").memory(16).build()));
                ecs.updateService(r -> r.cluster(CLUSTER).service("web").taskDefinition("services-web:3")
                        .deploymentConfiguration(c -> c.deploymentCircuitBreaker(b -> b.enable(true).rollback(true))));
                web = await("the circuit breaker rolls back").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                        .until(() -> describe(ecs, "web"), s -> s.taskDefinition().endsWith("services-web:2")
                                && s.deployments().size() == 1 && s.events().stream()
                                        .anyMatch(e -> e.message().endsWith("deployment failed: tasks failed to start.")));

                // Then revision 2 kept running all along, and the failed rollout is gone
                assertThat(web.deployments().get(0).taskDefinition()).endsWith("services-web:2");
                assertThat(web.events()).anySatisfy(e -> assertThat(e.message()).contains("rolling back to deployment"));
                assertThat(serviceTasks(ecs, "web")).filteredOn(t -> "RUNNING".equals(t.lastStatus()))
                        .hasSizeGreaterThanOrEqualTo(3)
                        .allSatisfy(t -> assertThat(t.taskDefinitionArn()).endsWith("services-web:2"));

                // When the instance with most of its tasks is drained
                String drained = serviceTasks(ecs, "web").stream().map(Task::containerInstanceArn)
                        .collect(Collectors.groupingBy(arn -> arn, Collectors.counting())).entrySet().stream()
                        .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                ecs.updateContainerInstancesState(r -> r.cluster(CLUSTER).containerInstances(drained)
                        .status("DRAINING"));

                // Then its tasks move to the other instance
                await("the drained instance's tasks move").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                        .until(() -> serviceTasks(ecs, "web"), now -> now.size() == 3
                                && now.stream().allMatch(t -> "RUNNING".equals(t.lastStatus())
                                        && !t.containerInstanceArn().equals(drained)));
                ecs.updateContainerInstancesState(r -> r.cluster(CLUSTER).containerInstances(drained)
                        .status("ACTIVE"));

                // When a DAEMON service is created
                ecs.createService(r -> r.cluster(CLUSTER).serviceName("daemon").taskDefinition("services-web:2")
                        .schedulingStrategy(SchedulingStrategy.DAEMON));
                Service daemon = stable(waiter, "daemon");

                // Then it runs one task on each instance
                assertThat(daemon.desiredCount()).isEqualTo(2);
                Set<String> hosts = serviceTasks(ecs, "daemon").stream().map(Task::containerInstanceArn)
                        .collect(Collectors.toSet());
                assertThat(hosts).hasSize(2);

                // When both are deleted
                ecs.deleteService(r -> r.cluster(CLUSTER).service("web").force(true));
                ecs.deleteService(r -> r.cluster(CLUSTER).service("daemon"));
                // (the waiter succeeds once any of the services it is given is INACTIVE: one each)
                for (String service : List.of("web", "daemon")) {
                    WaiterResponse<DescribeServicesResponse> inactive = waiter.waitUntilServicesInactive(
                            r -> r.cluster(CLUSTER).services(service));
                    assertThat(inactive.matched().response()).hasValueSatisfying(resp -> assertThat(resp.services())
                            .singleElement().satisfies(s -> assertThat(s.status()).isEqualTo("INACTIVE")));
                }

                // Then every task has stopped
                assertThat(ecs.listTasks(r -> r.cluster(CLUSTER)).taskArns()).isEmpty();
                assertThat(ecs.listServices(r -> r.cluster(CLUSTER)).serviceArns()).isEmpty();
            } finally {
                // The scheduler first, so that no service starts another task meanwhile, then the agents.
                scheduler.close();
                first.close();
                second.close();
                DockerCli.removeContainersOfInstance(first.instanceId());
                DockerCli.removeContainersOfInstance(second.instanceId());
            }
        }
    }

    private static BerthProcess agent(String name, TestKafka kafka) throws Exception {
        return BerthProcess.start(name, Map.of("BERTH_ROLES", "agent", "KAFKA_BOOTSTRAP_SERVERS",
                kafka.bootstrapServers(), "ECS_CLUSTER", CLUSTER), List.of());
    }

    private static void register(EcsClient ecs, String version) {
        ecs.registerTaskDefinition(r -> r.family("services-web").containerDefinitions(ContainerDefinition.builder()
                .name("main").image("berth-test/busybox:latest").memory(16)
                .environment(e -> e.name("VERSION").value(version))
                .command("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done").build()));
    }

    private static Service stable(EcsWaiter waiter, String service) {
        WaiterResponse<DescribeServicesResponse> response = waiter.waitUntilServicesStable(
                r -> r.cluster(CLUSTER).services(service));
        return response.matched().response().orElseThrow().services().get(0);
    }

    private static Service describe(EcsClient ecs, String service) {
        return ecs.describeServices(r -> r.cluster(CLUSTER).services(service)).services().get(0);
    }

    private static List<Task> serviceTasks(EcsClient ecs, String service) {
        List<String> arns = ecs.listTasks(r -> r.cluster(CLUSTER).serviceName(service)).taskArns();
        return arns.isEmpty() ? List.of() : ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(arns)).tasks();
    }
}
