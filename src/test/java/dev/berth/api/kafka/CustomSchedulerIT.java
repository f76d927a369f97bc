package dev.berth.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.agent.AgentConfig;
import dev.berth.agent.AgentRole;
import dev.berth.protocol.KafkaSettings;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.testing.DockerCli;
import dev.berth.testing.KafkaBrokerResource;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A custom scheduler in the style of Blox, written only against Berth's public topics with the
 * plain Kafka client: it reads berth.events, keeps one task running on every container
 * instance that has the attribute {@code blox=worker}, and sends StartTask requests to
 * berth.requests. Against a real broker, the scheduler, and two agents on the real Docker
 * engine (one in the application, one started here).
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = {
        @ResourceArg(name = "roles", value = "scheduler,agent"),
        @ResourceArg(name = "isolated", value = "custom-scheduler")})
class CustomSchedulerIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String LOOP = "trap 'exit 0' TERM; while true; do sleep 1; done";

    @Inject
    SchedulerRole scheduler;

    private AgentRole secondAgent;
    private RequestTopics topics;
    private Blox blox;
    private Thread bloxThread;

    @BeforeEach
    void start() throws IOException {
        await().atMost(PATIENCE).until(scheduler::isReady);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of(
                        "berth.agent.cluster", "default",
                        "berth.agent.docker-host",
                        System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"),
                        "berth.agent.introspection-port", "0",
                        "berth.agent.task-metadata-port", "0",
                        "berth.kafka.bootstrap-servers", KafkaBrokerResource.bootstrapServers(),
                        "berth.kafka.retry-backoff", "100ms",
                        "berth.kafka.retry-backoff-max", "1s"), "custom-scheduler-it", 300))
                .withMapping(AgentConfig.class)
                .withMapping(KafkaSettings.class)
                .build();
        secondAgent = new AgentRole(config.getConfigMapping(AgentConfig.class),
                config.getConfigMapping(KafkaSettings.class), Files.createTempDirectory("berth-second-agent").toString());
        secondAgent.start();
        topics = new RequestTopics(KafkaBrokerResource.bootstrapServers());
    }

    @AfterEach
    void stop() throws Exception {
        if (blox != null) {
            blox.running = false;
            bloxThread.join(Duration.ofSeconds(10).toMillis());
        }
        List<String> instanceIds = new ArrayList<>();
        for (JsonNode arn : call("ListContainerInstances", "{}").path("containerInstanceArns")) {
            instanceIds.add(arn.asText().substring(arn.asText().lastIndexOf('/') + 1));
        }
        for (JsonNode task : call("ListTasks", "{\"startedBy\":\"blox\"}").path("taskArns")) {
            call("StopTask", "{\"task\":\"" + task.asText() + "\"}");
        }
        await().atMost(PATIENCE).until(() -> call("ListTasks", "{\"startedBy\":\"blox\",\"desiredStatus\":\"RUNNING\"}")
                .path("taskArns").isEmpty());
        secondAgent.stop();
        topics.close();
        for (String instanceId : instanceIds) {
            DockerCli.removeContainersOfInstance(instanceId);
        }
    }

    private JsonNode call(String operation, String body) {
        String id = "it-" + UUID.randomUUID();
        topics.request(id, operation, body);
        JsonNode response = await().atMost(PATIENCE).until(() -> topics.responses(id), r -> !r.isEmpty()).get(0);
        assertThat(response.path("statusCode").asInt()).as(operation + ": " + response).isEqualTo(200);
        return response.path("body");
    }

    /** The instances each running blox task is on, by instance ARN, as DescribeTasks shows them. */
    private Map<String, Integer> runningBloxTasks() {
        Map<String, Integer> perInstance = new HashMap<>();
        JsonNode arns = call("ListTasks", "{\"startedBy\":\"blox\",\"desiredStatus\":\"RUNNING\"}").path("taskArns");
        if (arns.isEmpty()) {
            return perInstance;
        }
        for (JsonNode task : call("DescribeTasks", "{\"tasks\":" + arns + "}").path("tasks")) {
            if (task.path("lastStatus").asText().equals("RUNNING")) {
                perInstance.merge(task.path("containerInstanceArn").asText(), 1, Integer::sum);
            }
        }
        return perInstance;
    }

    @Test
    void keepsOneTaskOnEachInstanceWithTheAttribute() {
        // Given: two agents, a task definition, and the custom scheduler watching berth.events
        List<String> instances = await("both agents register").atMost(PATIENCE).until(() -> {
            List<String> arns = new ArrayList<>();
            call("ListContainerInstances", "{}").path("containerInstanceArns").forEach(a -> arns.add(a.asText()));
            return arns;
        }, arns -> arns.size() == 2);
        call("RegisterTaskDefinition", "{\"family\":\"blox\",\"containerDefinitions\":[{\"name\":\"worker\",\"image\":"
                + "\"berth-test/busybox:latest\",\"memory\":32,\"cpu\":16,\"command\":[\"sh\",\"-c\",\"" + LOOP + "\"]}]}");
        blox = new Blox(KafkaBrokerResource.bootstrapServers());
        bloxThread = new Thread(blox, "blox");
        bloxThread.start();
        String first = instances.get(0);
        String second = instances.get(1);

        // When: only the first instance has the attribute
        call("PutAttributes", "{\"attributes\":[{\"name\":\"blox\",\"value\":\"worker\",\"targetId\":\"" + first + "\"}]}");

        // Then: one task runs there, and none on the other
        await("a task on the attributed instance").atMost(PATIENCE).until(this::runningBloxTasks,
                m -> m.equals(Map.of(first, 1)));

        // When: the second instance gets the attribute too
        call("PutAttributes", "{\"attributes\":[{\"name\":\"blox\",\"value\":\"worker\",\"targetId\":\"" + second + "\"}]}");

        // Then: one task on each
        await("a task on each").atMost(PATIENCE).until(this::runningBloxTasks, m -> m.equals(Map.of(first, 1,
                second, 1)));

        // When: the first instance's task is stopped behind the custom scheduler's back
        String stopped = call("ListTasks", "{\"startedBy\":\"blox\",\"containerInstance\":\"" + first + "\"}")
                .path("taskArns").get(0).asText();
        call("StopTask", "{\"task\":\"" + stopped + "\",\"reason\":\"chaos\"}");

        // Then: the custom scheduler saw it stop on berth.events and started another one there
        await("a replacement on the first instance").atMost(PATIENCE).until(() -> {
            Map<String, Integer> running = runningBloxTasks();
            JsonNode now = call("ListTasks", "{\"startedBy\":\"blox\",\"containerInstance\":\"" + first
                    + "\",\"desiredStatus\":\"RUNNING\"}").path("taskArns");
            return running.equals(Map.of(first, 1, second, 1)) && now.size() == 1
                    && !now.get(0).asText().equals(stopped);
        });
        assertThat(blox.startTasksSent).as("StartTask requests: two first tasks and one replacement").hasSize(3);
        // (the stopped task's container may still be exiting when its replacement runs)
        await("two blox containers running in Docker").atMost(PATIENCE).until(
                () -> DockerCli.words("ps", "-q", "--filter", "label=dev.berth.task-definition=blox:1"),
                ids -> ids.size() == 2);
    }

    /**
     * The custom scheduler: plain Kafka client, public topics only. It folds berth.events into
     * what each instance has and runs, and for every ACTIVE instance with {@code blox=worker}
     * and no live blox task, sends one StartTask whose request id names the instance and how
     * many blox tasks it has had (so a repeat acts once).
     */
    private static final class Blox implements Runnable {
        private final ObjectMapper mapper = new ObjectMapper();
        private final KafkaConsumer<String, String> events;
        private final KafkaProducer<String, String> requests;
        private final Map<String, Map<String, String>> attributes = new HashMap<>();
        private final Map<String, String> instanceStatus = new HashMap<>();
        /** Each blox task's instance and whether it is still live (not STOPPED, not desired STOPPED). */
        private final Map<String, String> taskInstance = new HashMap<>();
        private final Set<String> liveTasks = new HashSet<>();
        private final Map<String, String> requested = new HashMap<>();
        final List<String> startTasksSent = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean running = true;

        Blox(String bootstrap) {
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            events = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
            List<TopicPartition> partitions = events.partitionsFor("berth.events").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            events.assign(partitions);
            events.seekToBeginning(partitions);
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            requests = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }

        @Override
        public void run() {
            try {
                while (running) {
                    for (ConsumerRecord<String, String> record : events.poll(Duration.ofMillis(200))) {
                        fold(mapper.readTree(record.value()));
                    }
                    decide();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } finally {
                events.close(Duration.ZERO);
                requests.close(Duration.ZERO);
            }
        }

        private void fold(JsonNode event) {
            JsonNode detail = event.path("detail");
            switch (event.path("detail-type").asText()) {
                case "ECS Container Instance State Change" -> {
                    String arn = detail.path("containerInstanceArn").asText();
                    Map<String, String> attrs = new HashMap<>();
                    detail.path("attributes").forEach(a -> attrs.put(a.path("name").asText(), a.path("value").asText()));
                    attributes.put(arn, attrs);
                    instanceStatus.put(arn, detail.path("status").asText());
                }
                case "ECS Task State Change" -> {
                    if (!detail.path("startedBy").asText().equals("blox")) {
                        return;
                    }
                    String arn = detail.path("taskArn").asText();
                    taskInstance.put(arn, detail.path("containerInstanceArn").asText());
                    if (detail.path("lastStatus").asText().equals("STOPPED")
                            || detail.path("desiredStatus").asText().equals("STOPPED")) {
                        liveTasks.remove(arn);
                    } else {
                        liveTasks.add(arn);
                    }
                }
                default -> {
                }
            }
        }

        private void decide() {
            for (Map.Entry<String, Map<String, String>> instance : attributes.entrySet()) {
                String arn = instance.getKey();
                if (!"worker".equals(instance.getValue().get("blox")) || !"ACTIVE".equals(instanceStatus.get(arn))) {
                    continue;
                }
                boolean live = liveTasks.stream().anyMatch(t -> arn.equals(taskInstance.get(t)));
                long had = taskInstance.values().stream().filter(arn::equals).count();
                String id = "blox-" + arn.substring(arn.lastIndexOf('/') + 1) + "-" + had;
                if (live || id.equals(requested.get(arn))) {
                    continue;
                }
                requests.send(new ProducerRecord<>("berth.requests", id, "{\"operation\":\"StartTask\",\"request\":"
                        + "{\"taskDefinition\":\"blox\",\"containerInstances\":[\"" + arn + "\"],\"startedBy\":\"blox\"}}"));
                requests.flush();
                requested.put(arn, id);
                startTasksSent.add(id);
            }
        }
    }
}
