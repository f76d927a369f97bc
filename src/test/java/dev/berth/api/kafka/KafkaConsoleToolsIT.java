package dev.berth.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.testing.DockerCli;
import dev.berth.testing.KafkaBrokerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's "run a task and watch its events" with the stock Kafka console producer and
 * consumer, run as the README writes it: its sh block, with sh, from a directory whose
 * {@code bin/kafka-console-*.sh} run the tools' main classes (the {@code kafka-tools} jar, as
 * the distribution's scripts run them) in their own JVMs, against a real broker (its address in
 * place of the README's 127.0.0.1:9092), the scheduler and a real agent on Docker.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = {
        @ResourceArg(name = "roles", value = "scheduler,agent"),
        @ResourceArg(name = "isolated", value = "kafka-events")})
class KafkaConsoleToolsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    /**
     * How long the block may go on once td-events is answered: the end of its wait (the
     * console consumer's idle timeout after the answer) and the RunTask producer's JVM. A wait
     * that ran to a fixed 60 s whatever the answer (as the README's once did) takes longer.
     */
    private static final Duration ENDS_AFTER_THE_ANSWER_WITHIN = Duration.ofSeconds(55);
    private static final Path README = Path.of("README.md");
    private static final String HEADING = "**With the stock Kafka tools: run a task and watch its events.**";
    private static final String README_BROKER = "127.0.0.1:9092";

    @Inject
    SchedulerRole scheduler;

    private final ObjectMapper mapper = new ObjectMapper();

    /** The README's sh block under "run a task and watch its events", as written. */
    private static String readmeBlock() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int heading = lines.indexOf(lines.stream().filter(l -> l.startsWith(HEADING)).findFirst().orElseThrow());
        int start = lines.subList(heading, lines.size()).indexOf("```sh") + heading + 1;
        int end = lines.subList(start, lines.size()).indexOf("```") + start;
        String block = String.join("\n", lines.subList(start, end)) + "\n";
        assertThat(block).as("the README's block").contains(README_BROKER, "td-events|", "run-events|");
        return block;
    }

    /** {@code bin/<script>}, running the tool's main class in a JVM of its own, with this test's classpath. */
    private static void script(Path bin, String script, String mainClass) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path file = bin.resolve(script);
        Files.writeString(file, "#!/bin/sh\nexec '" + java + "' " + mainClass + " \"$@\"\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
    }

    @Test
    void theReadmesBlockRunsATaskAndItsConsoleConsumerWatchesItsEvents() throws Exception {
        // Given: the distribution's two scripts, and the README's block aimed at the test broker
        await().atMost(PATIENCE).until(scheduler::isReady);
        String bootstrap = KafkaBrokerResource.bootstrapServers();
        Path dir = Files.createTempDirectory("berth-console-tools");
        Path bin = Files.createDirectory(dir.resolve("bin"));
        script(bin, "kafka-console-consumer.sh", "org.apache.kafka.tools.consumer.ConsoleConsumer");
        script(bin, "kafka-console-producer.sh", "org.apache.kafka.tools.ConsoleProducer");
        // (the block's background consumer is left running: its pid is kept to stop it at the end)
        Files.writeString(dir.resolve("block.sh"), readmeBlock().replace(README_BROKER, bootstrap)
                + "status=$?\necho $! > events-consumer.pid\nexit $status\n");
        Path printed = dir.resolve("printed.txt");
        ProcessBuilder sh = new ProcessBuilder("sh", "block.sh").directory(dir.toFile())
                .redirectOutput(printed.toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        sh.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        String taskArn = null;
        Process block = null;
        try (RequestTopics topics = new RequestTopics(bootstrap)) {
            // When
            block = sh.start();
            JsonNode registered = await().atMost(PATIENCE).until(() -> topics.responses("td-events"),
                    r -> !r.isEmpty()).get(0);
            boolean ended = block.waitFor(ENDS_AFTER_THE_ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS);

            // Then: the block ended soon after its wait saw td-events' success answer, and went on to the run
            assertThat(registered.path("statusCode").asInt()).as(registered.toString()).isEqualTo(200);
            assertThat(ended).as("the README's block ended within %s of td-events' answer (printed %s, stderr %s)",
                    ENDS_AFTER_THE_ANSWER_WITHIN, Files.readString(printed),
                    Files.readString(dir.resolve("stderr.txt"))).isTrue();
            assertThat(block.exitValue()).as("the block's exit code: its wait matched a success answer").isZero();
            assertThat(Files.readAllLines(printed)).as("the wait printed the answer")
                    .anySatisfy(line -> assertThat(line).startsWith("td-events\t").contains("\"statusCode\":200"));
            JsonNode run = await().atMost(PATIENCE).until(() -> topics.responses("run-events"), r -> !r.isEmpty())
                    .get(0);
            assertThat(run.path("statusCode").asInt()).as(run.toString()).isEqualTo(200);
            // and the console consumer prints the task's events, keyed by its ARN
            taskArn = run.path("body").path("tasks").get(0).path("taskArn").asText();
            String arn = taskArn;
            List<String> statuses = await("the console consumer prints PENDING and RUNNING").atMost(PATIENCE)
                    .until(() -> statuses(printed, arn), s -> s.contains("RUNNING"));
            assertThat(statuses).containsSubsequence("PENDING", "RUNNING");
        } finally {
            stop(block, dir.resolve("events-consumer.pid"));
            if (taskArn != null) {
                try (RequestTopics topics = new RequestTopics(bootstrap)) {
                    topics.request("stop-events", "StopTask", "{\"task\":\"" + taskArn + "\"}");
                    String arn = taskArn;
                    await().atMost(PATIENCE).until(() -> scheduler.state().flatMap(s -> s.task(
                            arn.substring(arn.lastIndexOf('/') + 1))).map(t -> t.isStopped()).orElse(false));
                }
                for (String id : DockerCli.words("ps", "-aq", "--filter", "label=dev.berth.task-arn=" + taskArn)) {
                    DockerCli.run("rm", "-f", id);
                }
            }
        }
    }

    /** Stops the block's shell and tools, and its background consumer (no longer the shell's child). */
    private static void stop(Process block, Path consumerPid) throws IOException, InterruptedException {
        if (block == null) {
            return;
        }
        block.descendants().forEach(ProcessHandle::destroy);
        block.destroy();
        block.waitFor();
        if (Files.exists(consumerPid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(consumerPid).strip())).ifPresent(consumer -> {
                consumer.destroy();
                consumer.onExit().join();
            });
        }
    }

    /** The task statuses of the events the console consumer printed for {@code taskArn}, in order. */
    private List<String> statuses(Path printed, String taskArn) throws IOException {
        List<String> statuses = new ArrayList<>();
        for (String line : Files.readAllLines(printed)) {
            if (line.startsWith(taskArn + "\t")) {
                JsonNode event = mapper.readTree(line.substring(taskArn.length() + 1));
                PublicSchemas.assertMatches("event", event);
                statuses.add(event.path("detail").path("lastStatus").asText());
            }
        }
        return statuses;
    }
}
