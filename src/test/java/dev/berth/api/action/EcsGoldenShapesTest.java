package dev.berth.api.action;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.instance;
import static dev.berth.scheduler.TestRecords.report;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.berth.api.shape.EcsShapes;
import dev.berth.model.Arns;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TaskStateChange;
import dev.berth.scheduler.AppliedWriter;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Golden tests of response shapes: Berth's answers to the main operations carry every field of
 * ECS's documented example responses ({@code src/test/resources/ecs/examples}), at the same
 * place and with the same JSON type. The answers come from the actions themselves over a
 * control plane whose writer acknowledges at once.
 */
class EcsGoldenShapesTest {

    private static final Arns ARNS = new Arns("aws", "us-east-1", "012345678910");

    private final SettableClock clock = new SettableClock(T0);
    private final SchedulerState state = new SchedulerState(clock, Duration.ofDays(365), Duration.ofHours(1),
            Duration.ofDays(365));
    private final ControlPlane plane = new ControlPlane(state, new AppliedWriter(state), ARNS);
    private final EcsShapes shapes = new EcsShapes(ARNS);
    private final ObjectMapper mapper = RecordCodec.newMapper();

    /**
     * Fields of ECS's examples that Berth does not answer, and why. The test fails when one of
     * them is answered after all, so the list stays true.
     */
    private static final Map<String, String> NOT_ANSWERED = Map.of(
            "containerInstances[].versionInfo.agentHash", "Berth's build does not record the commit it was built from",
            "containerInstances[].ec2InstanceId", "Berth's hosts are not EC2 instances (the query language reads "
                    + "their host name under this name)",
            "tasks[].availabilityZone", "Berth's hosts are in no availability zone of AWS",
            "tasks[].capacityProviderName", "Berth has no capacity providers: capacityProviderStrategy is refused");

    EcsGoldenShapesTest() {
        InstanceRegistration registered = instance("i-1", "default", 2048, 4096, T0, 1);
        state.apply(new InstanceRegistration(registered.schemaVersion(), registered.version(),
                registered.instanceId(), registered.cluster(), registered.hostname(), registered.agentVersion(),
                registered.registeredResources(), Map.of("ecs.os-type", "linux", "ecs.cpu-architecture", "x86_64"),
                registered.registeredAt(),
                registered.heartbeatAt(), false, null, "28.2.2", null));
    }

    private <Q> JsonNode answer(SchedulerAction<Q> action, String requestJson) throws Exception {
        Object response = action.handle(plane, shapes, mapper.readValue(requestJson, action.requestType()));
        return mapper.readTree(mapper.writeValueAsString(response));
    }

    private JsonNode example(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/ecs/examples/" + name)) {
            return mapper.readTree(in);
        }
    }

    /** Every field of the example, as a path ({@code tasks[].containers[].name}), with its JSON type. */
    private static Map<String, JsonNodeType> fields(JsonNode node) {
        Map<String, JsonNodeType> fields = new TreeMap<>();
        collect(node, "", fields);
        return fields;
    }

    private static void collect(JsonNode node, String path, Map<String, JsonNodeType> fields) {
        if (!path.isEmpty()) {
            fields.put(path, node.getNodeType());
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                collect(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), fields);
            }
        } else if (node.isArray()) {
            node.forEach(element -> collect(element, path + "[]", fields));
        }
    }

    private void assertHasTheShapeOf(JsonNode answer, String exampleName) throws Exception {
        Map<String, JsonNodeType> ecs = fields(example(exampleName));
        Map<String, JsonNodeType> berth = fields(answer);
        List<String> differences = new ArrayList<>();
        ecs.forEach((path, type) -> {
            if (NOT_ANSWERED.containsKey(path)) {
                assertThat(berth).as("%s is answered now: take it off NOT_ANSWERED", path).doesNotContainKey(path);
            } else if (!berth.containsKey(path)) {
                differences.add(path + " is missing");
            } else if (berth.get(path) != type) {
                differences.add(path + " is " + berth.get(path) + ", ECS answers " + type);
            }
        });
        assertThat(differences).as("fields of ECS's %s that Berth answers otherwise, in %s", exampleName, answer)
                .isEmpty();
    }

    private void registerSleep360() {
        plane.taskDefinitions().register(mapperRead("{\"family\":\"sleep360\",\"containerDefinitions\":[{\"name\":"
                + "\"sleep\",\"image\":\"busybox\",\"cpu\":10,\"memory\":10,\"command\":[\"sleep\",\"360\"],"
                + "\"essential\":true}]}"));
    }

    private dev.berth.model.TaskDefinition mapperRead(String json) {
        try {
            return mapper.readValue(json, dev.berth.model.TaskDefinition.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void describeClusters() throws Exception {
        assertHasTheShapeOf(answer(new DescribeClustersAction(null), "{\"clusters\":[\"default\"]}"),
                "describe-clusters.json");
    }

    @Test
    void registerTaskDefinition() throws Exception {
        assertHasTheShapeOf(answer(new RegisterTaskDefinitionAction(null), "{\"family\":\"sleep360\","
                + "\"containerDefinitions\":[{\"name\":\"sleep\",\"image\":\"busybox\",\"cpu\":10,\"memory\":10,"
                + "\"command\":[\"sleep\",\"360\"],\"essential\":true}]}"), "register-task-definition.json");
    }

    @Test
    void runTask() throws Exception {
        registerSleep360();
        assertHasTheShapeOf(answer(new RunTaskAction(null), "{\"taskDefinition\":\"sleep360\",\"count\":1,"
                + "\"overrides\":{\"containerOverrides\":[{\"name\":\"sleep\"}]}}"), "run-task.json");
    }

    @Test
    void describeTasks() throws Exception {
        plane.taskDefinitions().register(mapperRead("{\"family\":\"console-sample-app-static\",\"containerDefinitions\""
                + ":[{\"name\":\"web\",\"image\":\"busybox\",\"memory\":64,\"portMappings\":[{\"containerPort\":80,"
                + "\"hostPort\":8080}]}]}"));
        JsonNode run = answer(new RunTaskAction(null), "{\"taskDefinition\":\"console-sample-app-static\","
                + "\"startedBy\":\"ecs-svc/9223370608528463088\",\"overrides\":{\"containerOverrides\":[{\"name\":"
                + "\"web\"}]}}");
        String taskId = run.get("tasks").get(0).get("taskArn").asText().replaceAll(".*/", "");
        TaskStateChange running = report(taskId, "i-1", TaskStatus.RUNNING, 2);
        state.apply(new TaskStateChange(running.schemaVersion(), running.version(), running.taskId(),
                running.cluster(), running.instanceId(), running.lastStatus(), running.containers(), null, null,
                T0.plusSeconds(1), T0.plusSeconds(3), running.startedAt(), null, null, running.reportedAt()));

        assertHasTheShapeOf(answer(new DescribeTasksAction(null), "{\"tasks\":[\"" + taskId + "\"]}"),
                "describe-tasks.json");
    }

    @Test
    void describeContainerInstances() throws Exception {
        registerSleep360();
        answer(new RunTaskAction(null), "{\"taskDefinition\":\"sleep360\"}");
        assertHasTheShapeOf(answer(new DescribeContainerInstancesAction(null), "{\"containerInstances\":[\"i-1\"]}"),
                "describe-container-instances.json");
    }

    @Test
    void describeTaskDefinition() throws Exception {
        answer(new RegisterTaskDefinitionAction(null), ("{\"family\":\"web-and-db\",\"containerDefinitions\":["
                + "{\"name\":\"web\",\"image\":\"busybox\",\"cpu\":10,\"memory\":500,\"links\":[\"db\"],"
                + "\"portMappings\":[{\"containerPort\":80,\"hostPort\":80}]},"
                + "{\"name\":\"db\",\"image\":\"busybox\",\"cpu\":10,\"memory\":500,"
                + "\"environment\":[{\"name\":\"DB_PASSWORD\",\"value\":\"example\"}]}]}"));
        assertHasTheShapeOf(answer(new DescribeTaskDefinitionAction(null), "{\"taskDefinition\":\"web-and-db:1\"}"),
                "describe-task-definition.json");
    }

    @Test
    void createService() throws Exception {
        registerSleep360();
        assertHasTheShapeOf(answer(new CreateServiceAction(null), "{\"serviceName\":\"ecs-simple-service\","
                + "\"taskDefinition\":\"sleep360:1\",\"desiredCount\":1}"), "create-service.json");
    }

    @Test
    void describeServices() throws Exception {
        registerSleep360();
        answer(new CreateServiceAction(null), "{\"serviceName\":\"ecs-demo\",\"taskDefinition\":\"sleep360\","
                + "\"desiredCount\":1}");
        plane.serviceScheduler().reconcile();
        assertHasTheShapeOf(answer(new DescribeServicesAction(null), "{\"services\":[\"ecs-demo\"]}"),
                "describe-services.json");
    }
}
