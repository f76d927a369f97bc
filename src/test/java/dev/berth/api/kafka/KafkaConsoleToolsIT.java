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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's "run a task and watch its events" with the stock Kafka console producer and
 * consumer: their main classes (the {@code kafka-tools} jar, as {@code bin/kafka-console-*.sh}
 * run them) in their own JVMs, with the README's arguments and the README's request lines,
 * against a real broker, the scheduler and a real agent on Docker.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = {
        @ResourceArg(name = "roles", value = "scheduler,agent"),
        @ResourceArg(name = "isolated", value = "kafka-events")})
class KafkaConsoleToolsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Path README = Path.of("README.md");

    @Inject
    SchedulerRole scheduler;

    private final ObjectMapper mapper = new ObjectMapper();

    /** The lines the README pipes into the console producer under "run a task and watch its events". */
    private static List<String> readmeRequestLines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(README)) { // in the README's order: the registration first
            if (line.startsWith("td-events|") || line.startsWith("run-events|")) {
                lines.add(line);
            }
        }
        assertThat(lines).as("the README's request lines").hasSize(2);
        return lines;
    }

    private static Process tool(String mainClass, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(Files.createTempFile("berth-console-tool", ".err").toFile()).start();
    }

    @Test
    void theConsoleProducerRunsATaskAndTheConsoleConsumerWatchesItsEvents() throws Exception {
        // Given
        await().atMost(PATIENCE).until(scheduler::isReady);
        String bootstrap = KafkaBrokerResource.bootstrapServers();
        Path watched = Files.createTempFile("berth-events", ".txt");
        Process consumer = tool("org.apache.kafka.tools.consumer.ConsoleConsumer", watched, "--bootstrap-server",
                bootstrap, "--topic", "berth.events", "--isolation-level", "read_committed", "--from-beginning",
                "--property", "print.key=true");
        String taskArn = null;
        try (RequestTopics topics = new RequestTopics(bootstrap)) {
            // When: the README's requests go through the console producer, the run once the registration is answered
            List<String> lines = readmeRequestLines();
            produce(bootstrap, lines.get(0));
            JsonNode registered = await().atMost(PATIENCE).until(() -> topics.responses("td-events"),
                    r -> !r.isEmpty()).get(0);
            assertThat(registered.path("statusCode").asInt()).as(registered.toString()).isEqualTo(200);
            produce(bootstrap, lines.get(1));

            // Then: RunTask is answered, and the console consumer prints the task's events, keyed by its ARN
            JsonNode run = await().atMost(PATIENCE).until(() -> topics.responses("run-events"), r -> !r.isEmpty())
                    .get(0);
            assertThat(run.path("statusCode").asInt()).as(run.toString()).isEqualTo(200);
            taskArn = run.path("body").path("tasks").get(0).path("taskArn").asText();
            String arn = taskArn;
            List<String> statuses = await("the console consumer prints PENDING and RUNNING").atMost(PATIENCE)
                    .until(() -> statuses(watched, arn), s -> s.contains("RUNNING"));
            assertThat(statuses).containsSubsequence("PENDING", "RUNNING");
        } finally {
            consumer.destroy();
            consumer.waitFor();
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

    /** Sends one README line through the console producer, as the README's command does. */
    private static void produce(String bootstrap, String line) throws Exception {
        Process producer = tool("org.apache.kafka.tools.ConsoleProducer", Files.createTempFile("berth-producer",
                ".out"), "--bootstrap-server", bootstrap, "--topic", "berth.requests", "--property",
                "parse.key=true", "--property", "key.separator=|");
        producer.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        producer.getOutputStream().close();
        assertThat(producer.waitFor()).as("the console producer's exit code").isZero();
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
