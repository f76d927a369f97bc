package dev.berth.api.action;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.shape.EcsShapes;
import dev.berth.model.Arns;
import dev.berth.model.TaskDefinition;
import dev.berth.protocol.RecordCodec;
import dev.berth.scheduler.AppliedWriter;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The list operations as ECS pages and filters them, driven through the actions with ECS JSON. */
class ListingActionsTest {

    private static final Arns ARNS = new Arns("aws", "us-east-1", "012345678910");

    private final SchedulerState state = new SchedulerState(new SettableClock(T0), Duration.ofDays(365),
            Duration.ofHours(1));
    private final ControlPlane plane = new ControlPlane(state, new AppliedWriter(state), ARNS);
    private final EcsShapes shapes = new EcsShapes(ARNS);
    private final ObjectMapper mapper = RecordCodec.newMapper();

    ListingActionsTest() throws Exception {
        state.apply(instance("i-1", "default", 4096, 8192, T0, 1));
        plane.taskDefinitions().register(mapper.readValue("{\"family\":\"sleep\",\"containerDefinitions\":[{\"name\":"
                + "\"sleep\",\"image\":\"busybox\",\"cpu\":10,\"memory\":10}]}", TaskDefinition.class));
    }

    private <Q> JsonNode answer(SchedulerAction<Q> action, String requestJson) throws Exception {
        Object response = action.handle(plane, shapes, mapper.readValue(requestJson, action.requestType()));
        return mapper.readTree(mapper.writeValueAsString(response));
    }

    @Test
    void listServicesAnswersTenAPageUnlessAskedSoThatAPageGoesWholeToDescribeServices() throws Exception {
        // Given
        for (int i = 0; i < 11; i++) {
            answer(new CreateServiceAction(null), "{\"serviceName\":\"s-" + i + "\",\"taskDefinition\":\"sleep\","
                    + "\"desiredCount\":0}");
        }

        // When
        JsonNode page = answer(new ListServicesAction(null), "{}");

        // Then
        assertThat(page.path("serviceArns")).hasSize(10);
        assertThat(page.path("nextToken").isTextual()).isTrue();
        List<String> arns = new ArrayList<>();
        page.path("serviceArns").forEach(arn -> arns.add("\"" + arn.asText() + "\""));
        assertThatCode(() -> answer(new DescribeServicesAction(null), "{\"services\":" + arns + "}"))
                .doesNotThrowAnyException();
        assertThat(answer(new ListServicesAction(null), "{\"maxResults\":100}").path("serviceArns")).hasSize(11);
    }

    @Test
    void listTasksOfAServiceLeavesOutAStandaloneTaskRunInItsGroup() throws Exception {
        // Given: a service's task, and a task RunTask put in the service's group
        answer(new CreateServiceAction(null), "{\"serviceName\":\"web\",\"taskDefinition\":\"sleep\","
                + "\"desiredCount\":1}");
        plane.serviceScheduler().reconcile();
        String standalone = answer(new RunTaskAction(null), "{\"taskDefinition\":\"sleep\",\"group\":\"service:web\"}")
                .path("tasks").get(0).path("taskArn").asText();

        // When
        JsonNode listed = answer(new ListTasksAction(null), "{\"serviceName\":\"web\"}");

        // Then: the service's task only, as DescribeServices counts it
        assertThat(listed.path("taskArns")).hasSize(1);
        assertThat(listed.path("taskArns").get(0).asText()).isNotEqualTo(standalone);
    }

    @Test
    void describeClustersCountsTheServicesThatAreDraining() throws Exception {
        // Given: a service deleted while its task still runs
        answer(new CreateServiceAction(null), "{\"serviceName\":\"web\",\"taskDefinition\":\"sleep\","
                + "\"desiredCount\":1}");
        plane.serviceScheduler().reconcile();
        answer(new DeleteServiceAction(null), "{\"service\":\"web\",\"force\":true}");

        // When
        JsonNode clusters = answer(new DescribeClustersAction(null), "{\"include\":[\"STATISTICS\"]}");

        // Then
        JsonNode statistics = clusters.path("clusters").get(0).path("statistics");
        List<String> draining = new ArrayList<>();
        statistics.forEach(s -> {
            if (s.path("name").asText().equals("drainingEC2ServiceCount")) {
                draining.add(s.path("value").asText());
            }
        });
        assertThat(draining).containsExactly("1");
    }
}
