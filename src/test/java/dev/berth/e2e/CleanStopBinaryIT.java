package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ServerException;

/**
 * A clean stop (SIGTERM, as systemd and Kubernetes send) of a scheduler that is taking writes:
 * every write it made is answered to its caller. Each caller sends until a call is refused. A write whose answer is lost looks failed to
 * the caller, whose SDK sends it again, and RegisterTaskDefinition, or RunTask without a
 * clientToken, then acts twice.
 */
class CleanStopBinaryIT {

    private static final int CALLERS = 8;

    @Test
    void aSchedulerStoppedUnderWritesAnswersEveryWriteItMade() throws Exception {
        // Given: a scheduler (with its embedded broker) and callers registering revisions of one
        // family without pause, each call sent once
        List<String> ports = BerthProcess.embeddedKafkaOnFreePorts();
        Map<String, String> roles = Map.of("BERTH_ROLES", "kafka,scheduler");
        BerthProcess first = BerthProcess.start("clean-stop-before", roles, ports);
        Set<Integer> answered = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean stopped = new AtomicBoolean();
        CountDownLatch writing = new CountDownLatch(100);
        List<Thread> callers = new ArrayList<>();
        try {
            try (EcsClient ecs = first.ecs()) {
                await("the scheduler is ready").atMost(Duration.ofMinutes(3)).failFast("Berth exited", first::assertRunning)
                        .ignoreExceptions()
                        .until(() -> ecs.listClusters().clusterArns() != null);
            }
            for (int i = 0; i < CALLERS; i++) {
                Thread caller = new Thread(() -> {
                    try (EcsClient once = first.ecsWithoutRetries()) {
                        while (!stopped.get()) {
                            try {
                                answered.add(once.registerTaskDefinition(r -> r.family("clean-stop")
                                        .containerDefinitions(ContainerDefinition.builder().name("main")
                                                .image("berth-test/busybox:latest").memory(16).build()))
                                        .taskDefinition().revision());
                                writing.countDown();
                            } catch (SdkClientException | ServerException e) {
                                // No connection, or the scheduler answered it is going: nothing acknowledged,
                                // and this caller goes elsewhere (here: stops).
                                refused.incrementAndGet();
                                return;
                            }
                        }
                    }
                }, "clean-stop-caller-" + i);
                caller.start();
                callers.add(caller);
            }
            assertThat(writing.await(3, java.util.concurrent.TimeUnit.MINUTES)).as("100 writes answered").isTrue();

            // When: it is asked to stop while the callers go on
            first.terminate();
            assertThat(first.awaitExit(Duration.ofMinutes(1))).as("the scheduler stopped").isTrue();
            stopped.set(true);
            for (Thread caller : callers) {
                caller.join(Duration.ofMinutes(2).toMillis());
            }

            // Then: started again on the same data, it holds exactly the revisions its callers
            // were given, from 1 up
            try (BerthProcess second = BerthProcess.start("clean-stop-after", first.dataDir(), first.apiPort(), roles,
                    ports); EcsClient ecs = second.ecs()) {
                int latest = await("the restarted scheduler answers").atMost(Duration.ofMinutes(3))
                        .failFast("Berth exited", second::assertRunning).ignoreExceptions()
                        .until(() -> ecs.describeTaskDefinition(r -> r.taskDefinition("clean-stop")).taskDefinition()
                                .revision(), revision -> revision != null);
                List<Integer> unanswered = new ArrayList<>();
                for (int revision = 1; revision <= latest; revision++) {
                    if (!answered.contains(revision)) {
                        unanswered.add(revision);
                    }
                }
                assertThat(unanswered).as("revisions registered whose callers got no answer (%d answered, %d calls"
                        + " refused)", answered.size(), refused.get()).isEmpty();
                assertThat(answered).hasSize(latest);
            }
        } finally {
            stopped.set(true);
            first.kill();
        }
    }
}
