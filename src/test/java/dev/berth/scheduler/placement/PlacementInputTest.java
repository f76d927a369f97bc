package dev.berth.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.scheduler.placement.query.QuerySyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlacementInputTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "null", value = {
        "binpack, memory,                        Binpack[resource=MEMORY]",
        "binpack, CPU,                           Binpack[resource=CPU]",
        "spread, instanceId,                     Spread[attribute=null]",
        "spread, host,                           Spread[attribute=null]",
        "spread, attribute:ecs.availability-zone, Spread[attribute=ecs.availability-zone]",
        "random, null,                           Random[]",
        "random, memory,                         Random[]",
    })
    void readsTheStrategiesEcsTakes(String type, String field, String expected) {
        // When
        Strategy strategy = Strategy.of(type, field, "placementStrategy[0]");

        // Then
        assertThat(strategy).hasToString(expected);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "null", value = {
        "pack, memory,       Invalid 'placementStrategy[0].type': pack is not a placement strategy",
        "null, memory,       Invalid 'placementStrategy[0].type': null is not a placement strategy",
        "binpack, disk,      Invalid 'placementStrategy[0].field': binpack takes cpu or memory, not disk",
        "binpack, null,      Invalid 'placementStrategy[0].field': binpack takes cpu or memory, not null",
        "spread, null,       Invalid 'placementStrategy[0].field': spread needs a field",
        "spread, attribute:, Invalid 'placementStrategy[0].field': spread takes instanceId, host or attribute",
        "spread, zone,       Invalid 'placementStrategy[0].field': spread takes instanceId, host or attribute",
    })
    void refusesWhatEcsRefusesNamingTheParameter(String type, String field, String message) {
        assertThatThrownBy(() -> Strategy.of(type, field, "placementStrategy[0]"))
                .isInstanceOf(PlacementInputException.class).hasMessageStartingWith(message);
    }

    @Test
    void readsBothConstraintTypes() {
        // When
        Constraint distinct = Constraint.of("distinctInstance", null, "placementConstraints[0]");
        Constraint member = Constraint.of("memberOf", "attribute:ecs.instance-type =~ t2.*", "placementConstraints[1]");

        // Then
        assertThat(distinct).isInstanceOf(Constraint.DistinctInstance.class);
        assertThat(member).isInstanceOfSatisfying(Constraint.MemberOf.class,
                m -> assertThat(m.expression()).isEqualTo("attribute:ecs.instance-type =~ t2.*"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "null", value = {
        "distinctInstance, runningTasksCount == 0, Invalid 'placementConstraints[2].expression': distinctInstance "
                + "expression should not be specified.",
        "distinctInstance, '',                     Invalid 'placementConstraints[2].expression': distinctInstance "
                + "expression should not be specified.",
        "memberOf, '',                             Invalid 'placementConstraints[2].expression': a memberOf "
                + "constraint needs an expression.",
        "memberOf, null,                           Invalid 'placementConstraints[2].expression': a memberOf "
                + "constraint needs an expression.",
        "sameZone, null,                           Invalid 'placementConstraints[2].type': sameZone is not a "
                + "placement constraint; use distinctInstance or memberOf.",
    })
    void refusesAConstraintEcsRefusesNamingTheParameter(String type, String expression, String message) {
        assertThatThrownBy(() -> Constraint.of(type, expression, "placementConstraints[2]"))
                .isInstanceOf(PlacementInputException.class).hasMessage(message);
    }

    @Test
    void aTaskDefinitionTakesMemberOfOnlyAsEcsDoes() {
        assertThat(PlacementOptions.ofTaskDefinition(java.util.List.of(new dev.berth.model.PlacementConstraint("memberOf",
                "attribute:role == web")))).hasSize(1);
        assertThatThrownBy(() -> PlacementOptions.ofTaskDefinition(java.util.List.of(new dev.berth.model.PlacementConstraint("memberOf",
                "attribute:role == web"), new dev.berth.model.PlacementConstraint("distinctInstance", null))))
                .isInstanceOf(PlacementInputException.class)
                .hasMessageStartingWith("Invalid 'placementConstraints[1].type': a task definition takes memberOf");
    }

    @Test
    void refusesAnExpressionLongerThanEcsAllows() {
        // Given
        String expression = "attribute:a == " + "x".repeat(Constraint.MAX_EXPRESSION_LENGTH);

        // When / Then
        assertThatThrownBy(() -> Constraint.of("memberOf", expression, "placementConstraints[0]"))
                .isInstanceOf(PlacementInputException.class).hasMessageContaining("longer than 2000 characters");
    }

    @Test
    void aBadExpressionNamesWhereItIsWrong() {
        assertThatThrownBy(() -> Constraint.of("memberOf", "attribute:a == b or", "placementConstraints[0]"))
                .isInstanceOfSatisfying(QuerySyntaxException.class, e -> assertThat(e.position()).isEqualTo(20));
    }
}
