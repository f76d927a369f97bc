package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.RuntimeError;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An engine that accepts connections and never answers: every call times out, and the calls
 * that still wait hold no more threads than the bound; past it a call fails at once. And an
 * engine that answers from a script ({@link ScriptedDockerEngine}), for what Docker says
 * inside a streamed answer.
 */
class HungDockerEngineTest {

    private static final int MAX_CALLS = 2;

    private final List<Socket> accepted = new ArrayList<>();
    private ServerSocket engine;
    private ScriptedDockerEngine scripted;
    private DockerContainerRuntime runtime;

    @AfterEach
    void close() throws IOException {
        if (runtime != null) {
            runtime.close();
        }
        for (Socket socket : accepted) {
            socket.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (scripted != null) {
            scripted.close();
        }
    }

    private void startHungEngine() throws IOException {
        engine = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!engine.isClosed()) {
                try {
                    Socket socket = engine.accept();
                    synchronized (accepted) {
                        accepted.add(socket);
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }, "hung-engine");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The live call threads in {@code group}: other runtimes in this JVM (an agent's) are not counted. */
    private static long callThreads(ThreadGroup group) {
        Thread[] threads = new Thread[group.activeCount() + 16];
        int n = group.enumerate(threads);
        long count = 0;
        for (int i = 0; i < n; i++) {
            if (threads[i].getName().startsWith("berth-docker-call-") && threads[i].isAlive()) {
                count++;
            }
        }
        return count;
    }

    @Test
    void callsToAHungEngineTimeOutAndHoldNoMoreThreadsThanTheBound() throws Exception {
        // Given
        startHungEngine();
        runtime = DockerContainerRuntime.connect("tcp://127.0.0.1:" + engine.getLocalPort(), Duration.ofMillis(200),
                Duration.ofSeconds(1), MAX_CALLS);
        // The pool's threads join the group of the thread that submits to it.
        ThreadGroup callers = new ThreadGroup("hung-engine-callers");

        // When: more calls than the bound, one after the other, each timing out
        List<ContainerRuntimeException> failures = new ArrayList<>();
        Thread caller = new Thread(callers, () -> {
            for (int i = 0; i < MAX_CALLS + 3; i++) {
                failures.add(catchThrowableOfType(runtime::engineVersion, ContainerRuntimeException.class));
            }
        }, "hung-engine-caller");
        caller.start();
        caller.join();

        // Then
        assertThat(failures).extracting(ContainerRuntimeException::error)
                .containsOnly(RuntimeError.DockerTimeoutError);
        assertThat(failures.get(MAX_CALLS + 2).reason()).contains(MAX_CALLS + " Docker calls already wait");
        assertThat(failures.get(0).unanswered()).as("sent, not answered").isTrue();
        assertThat(failures.get(MAX_CALLS + 2).unanswered()).as("never sent").isFalse();
        assertThat(callThreads(callers)).isGreaterThan(0).isLessThanOrEqualTo(MAX_CALLS);
    }

    @Test
    void aStartTheEngineDoesNotAnswerInTimeFailsAsEcsNamesIt() throws Exception {
        // Given
        startHungEngine();
        runtime = DockerContainerRuntime.connect("tcp://127.0.0.1:" + engine.getLocalPort(), Duration.ofMillis(200),
                Duration.ofSeconds(1), MAX_CALLS);
        runtime.startTimeout(Duration.ofMillis(300));

        // When
        ContainerRuntimeException failure = catchThrowableOfType(() -> runtime.start("c1"),
                ContainerRuntimeException.class);

        // Then
        assertThat(failure.reason())
                .isEqualTo("DockerTimeoutError: Could not transition to started; timed out after waiting 300ms");
        assertThat(failure.unanswered()).isTrue();
        assertThat(ContainerRuntimeException.timedOut("started", Duration.ofMinutes(3)).reason())
                .isEqualTo("DockerTimeoutError: Could not transition to started; timed out after waiting 3m0s");
        assertThat(ContainerRuntimeException.timedOut("started", Duration.ofSeconds(90)).reason())
                .endsWith("1m30s");
    }

    @Test
    void startsBeyondTheParallelismWaitTheirTurnWhileAStopGoesToTheEngineAtOnce() throws Exception {
        // Given: one start at a time, and a start the engine holds
        startHungEngine();
        runtime = DockerContainerRuntime.connect("tcp://127.0.0.1:" + engine.getLocalPort(), Duration.ofSeconds(30),
                Duration.ofSeconds(30), 8);
        runtime.startParallelism(1);
        Thread held = caller(() -> runtime.start("c1"), "start-c1");
        await().until(() -> accepted() == 1);

        // When: a second start, then a stop
        Thread waiting = caller(() -> runtime.start("c2"), "start-c2");
        await().until(() -> waiting.getState() == Thread.State.WAITING);
        Thread stop = caller(() -> runtime.stop("c3", Duration.ZERO), "stop-c3");

        // Then: the stop reaches the engine, the second start does not
        await().until(() -> accepted() == 2);
        assertThat(waiting.getState()).isEqualTo(Thread.State.WAITING);
        assertThat(accepted()).isEqualTo(2);
        for (Thread thread : List.of(held, waiting, stop)) {
            thread.interrupt();
        }
    }

    private interface EngineCall {
        void run() throws ContainerRuntimeException;
    }

    private static Thread caller(EngineCall call, String name) {
        Thread thread = new Thread(() -> {
            try {
                call.run();
            } catch (ContainerRuntimeException e) {
                // the engine never answers; interrupted at the end of the test
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private int accepted() {
        synchronized (accepted) {
            return accepted.size();
        }
    }

    @Test
    void aCallAfterTheRuntimeClosedSaysTheAgentIsStoppingNotThatTheEngineIsBusy() throws Exception {
        // Given: the agent stopping, its runtime closed
        startHungEngine();
        runtime = DockerContainerRuntime.connect("tcp://127.0.0.1:" + engine.getLocalPort(), Duration.ofMillis(200),
                Duration.ofSeconds(1), MAX_CALLS);
        runtime.close();

        // When
        ContainerRuntimeException failure = catchThrowableOfType(() -> runtime.inspect("berth-task"),
                ContainerRuntimeException.class);

        // Then: nothing was sent, so nothing about the container is known
        assertThat(failure.reason()).contains("inspect").contains("not sent, the agent is stopping")
                .doesNotContain("already wait");
        assertThat(failure.inconclusive()).isTrue();
    }

    @Test
    void aPullOfAnImageNameDockerRefusesFailsTheTaskWithoutAskingTheEngine() throws Exception {
        // Given
        startHungEngine();
        runtime = DockerContainerRuntime.connect("tcp://127.0.0.1:" + engine.getLocalPort(), Duration.ofMillis(200),
                Duration.ofSeconds(1), MAX_CALLS);

        // When: a repository name with capitals, which no registry takes
        ContainerRuntimeException failure = catchThrowableOfType(
                () -> runtime.pull("registry.example.com/Team/app:1"), ContainerRuntimeException.class);

        // Then: a retry would fail the same way, so the failure is the task's
        assertThat(failure.error()).isEqualTo(RuntimeError.CannotPullContainerError);
        assertThat(failure.inconclusive()).isFalse();
        assertThat(failure.reason()).contains("registry.example.com/Team/app:1").contains("Team");
        synchronized (accepted) {
            assertThat(accepted).isEmpty();
        }
    }

    @Test
    void aPullTheEngineReportsFailedInItsProgressStreamFailsWithTheEnginesMessage() throws Exception {
        // Given: Docker has answered 200 and then reports the failure in the stream
        String message = "write /var/lib/docker/tmp/GetImageBlob1: no space left on device";
        scripted = ScriptedDockerEngine.answering(200, "{\"status\":\"Pulling from acme/app\",\"id\":\"1\"}",
                "{\"errorDetail\":{\"message\":\"" + message + "\"},\"error\":\"" + message + "\"}");
        runtime = DockerContainerRuntime.connect(scripted.host(), Duration.ofSeconds(5), Duration.ofSeconds(5),
                MAX_CALLS);

        // When
        ContainerRuntimeException failure = catchThrowableOfType(() -> runtime.pull("acme/app:1"),
                ContainerRuntimeException.class);

        // Then
        assertThat(failure).as("the pull must fail").isNotNull();
        assertThat(failure.reason()).isEqualTo("CannotPullContainerError: " + message);
        assertThat(failure.inconclusive()).isFalse();
    }

    @Test
    void aPullNotSentBecauseEveryCallThreadWaitsIsInconclusiveNotAFailedPull() throws Exception {
        // Given: every call thread held by a call the hung engine never answers (a deadline of
        // 1 s, which is also the connection's: a loaded machine must not free a thread by
        // failing to connect in time)
        startHungEngine();
        runtime = DockerContainerRuntime.connect("tcp://127.0.0.1:" + engine.getLocalPort(), Duration.ofSeconds(1),
                Duration.ofSeconds(1), MAX_CALLS);
        ContainerRuntimeException busy = null;
        for (int i = 0; i < MAX_CALLS + 3; i++) {
            busy = catchThrowableOfType(runtime::engineVersion, ContainerRuntimeException.class);
        }
        assertThat(busy.reason()).contains("already wait");

        // When
        ContainerRuntimeException failure = catchThrowableOfType(() -> runtime.pull("busybox:latest"),
                ContainerRuntimeException.class);

        // Then: nothing was asked of the engine, so the task tries again at the next sync
        assertThat(failure.reason()).contains("pull busybox:latest").contains("already wait");
        assertThat(failure.inconclusive()).isTrue();
        assertThat(failure.unanswered()).isFalse();
    }

    @Test
    void aPullTheEngineDoesNotFinishInTimeFailsThePull() throws Exception {
        // Given
        startHungEngine();
        runtime = DockerContainerRuntime.connect("tcp://127.0.0.1:" + engine.getLocalPort(), Duration.ofMillis(200),
                Duration.ofMillis(300), MAX_CALLS);

        // When
        ContainerRuntimeException failure = catchThrowableOfType(() -> runtime.pull("busybox:latest"),
                ContainerRuntimeException.class);

        // Then
        assertThat(failure.error()).isEqualTo(RuntimeError.CannotPullContainerError);
        assertThat(failure.inconclusive()).isFalse();
        assertThat(failure.reason()).contains("busybox:latest").contains("did not answer within");
    }

    @Test
    void aPullThatMakesNoProgressFailsAfterTheInactivityTimeoutLongBeforeThePullTimeout() throws Exception {
        // Given: an engine that never answers, a pull timeout of a minute, an inactivity timeout of 300 ms
        startHungEngine();
        runtime = DockerContainerRuntime.connect("tcp://127.0.0.1:" + engine.getLocalPort(), Duration.ofSeconds(5),
                Duration.ofMinutes(1), MAX_CALLS);
        runtime.pullInactivityTimeout(Duration.ofMillis(300));

        // When
        ContainerRuntimeException failure = catchThrowableOfType(() -> runtime.pull("busybox:latest"),
                ContainerRuntimeException.class);

        // Then
        assertThat(failure.error()).isEqualTo(RuntimeError.CannotPullContainerError);
        assertThat(failure.inconclusive()).isFalse();
        assertThat(failure.reason()).isEqualTo("CannotPullContainerError: busybox:latest: the pull made no progress "
                + "for 300ms (ECS_IMAGE_PULL_INACTIVITY_TIMEOUT)");
    }

    @Test
    void aSlowPullThatKeepsMakingProgressIsNotCutByTheInactivityTimeout() throws Exception {
        // Given: an engine that streams a progress line every 100 ms for a second and a half
        try (ServerSocket trickling = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread engineThread = new Thread(() -> trickle(trickling, 15, Duration.ofMillis(100)), "trickling-engine");
            engineThread.setDaemon(true);
            engineThread.start();
            runtime = DockerContainerRuntime.connect("tcp://127.0.0.1:" + trickling.getLocalPort(),
                    Duration.ofSeconds(5), Duration.ofMinutes(1), MAX_CALLS);
            runtime.pullInactivityTimeout(Duration.ofMillis(400));

            // When
            ContainerRuntimeException failure = catchThrowableOfType(() -> runtime.pull("acme/app:1"),
                    ContainerRuntimeException.class);

            // Then
            assertThat(failure).as("a pull that makes progress is not stalled").isNull();
        }
    }

    /** Answers one pull with {@code lines} progress lines, {@code every} apart, then ends the stream. */
    private static void trickle(ServerSocket socket, int lines, Duration every) {
        try (Socket connection = socket.accept()) {
            java.io.InputStream in = connection.getInputStream();
            // the request head ends with an empty line
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            java.io.OutputStream out = connection.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            // Paced by a scheduler, one line each period, as a slow registry's progress comes.
            java.util.concurrent.ScheduledExecutorService pace =
                    java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            java.util.concurrent.CountDownLatch sent = new java.util.concurrent.CountDownLatch(lines);
            pace.scheduleAtFixedRate(() -> {
                try {
                    out.write(("{\"status\":\"Downloading\",\"id\":\"layer\",\"progress\":\""
                            + sent.getCount() + "\"}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.flush();
                    sent.countDown();
                } catch (IOException e) {
                    while (sent.getCount() > 0) {
                        sent.countDown();
                    }
                }
            }, 0, every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            sent.await();
            pace.shutdownNow();
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aPullInterruptedBecauseTheAgentStopsIsInconclusiveNotAFailedPull() throws Exception {
        // Given: a pull the engine works on for longer than the agent's shutdown grace
        startHungEngine();
        runtime = DockerContainerRuntime.connect("tcp://127.0.0.1:" + engine.getLocalPort(), Duration.ofSeconds(5),
                Duration.ofMinutes(5), MAX_CALLS);
        java.util.concurrent.atomic.AtomicReference<ContainerRuntimeException> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread worker = new Thread(() -> failure.set(catchThrowableOfType(() -> runtime.pull("busybox:latest"),
                ContainerRuntimeException.class)), "task-worker");
        worker.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (accepted) {
                return !accepted.isEmpty();
            }
        });

        // When: the agent's shutdown interrupts the task's thread
        worker.interrupt();
        worker.join(10_000);

        // Then: nothing is known of the pull, so no task may be failed for it
        assertThat(failure.get()).isNotNull();
        assertThat(failure.get().inconclusive()).isTrue();
        assertThat(failure.get().reason()).contains("pull busybox:latest").contains("the agent is stopping");
    }
}
