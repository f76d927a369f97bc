package dev.berth.scheduler.placement.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.model.Resources;
import dev.berth.scheduler.placement.Candidate;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterQueryTest {

    /** A g2.2xlarge in us-east-1a, agent 1.14.4, registered 2018-02-01, running one task of service:production. */
    private static final Candidate G2_IN_1A = new Candidate("i-1", "default", true, new Resources(1024, 1024, Set.of()),
            Set.of(), Map.of("ecs.instance-type", "g2.2xlarge", "ecs.availability-zone", "us-east-1a", "rack", "12"),
            "i-abcd1234", "1.14.4", Instant.parse("2018-02-01T10:00:00Z"), 1, Map.of("service:production", 1));

    /** A t2.small in us-east-1d, disconnected, agent 1.20.0, registered 2019-01-01, running database tasks. */
    private static final Candidate T2_IN_1D = new Candidate("i-2", "default", false, new Resources(1024, 1024, Set.of()),
            Set.of(), Map.of("ecs.instance-type", "t2.small", "ecs.availability-zone", "us-east-1d", "rack", "9"),
            "i-wxyx7890", "1.20.0", Instant.parse("2019-01-01T00:00:00Z"), 3, Map.of("database", 2, "batch", 1));

    private static boolean selects(String expression, Candidate candidate) {
        return ClusterQuery.parse(expression).test(candidate);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        // The examples of the ECS developer guide, "Cluster query language".
        "attribute:ecs.instance-type == t2.small                                                   ; false ; true",
        "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]                               ; true  ; false",
        "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d     ; true  ; false",
        "task:group == service:production                                                          ; true  ; false",
        "not(task:group == database)                                                               ; true  ; false",
        "runningTasksCount == 1                                                                    ; true  ; false",
        "agentVersion < 1.14.5                                                                     ; true  ; false",
        "registeredAt < 2018-02-13                                                                 ; true  ; false",
        "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']                                             ; true  ; true",
        // The word spellings of the operators and connectives.
        "attribute:ecs.instance-type equals t2.small                                              ; false ; true",
        "attribute:ecs.instance-type not_equals t2.small                                          ; true  ; false",
        "attribute:ecs.availability-zone not_in [us-east-1a]                                      ; false ; true",
        "attribute:ecs.availability-zone !in [us-east-1a]                                         ; false ; true",
        "attribute:ecs.instance-type matches t2.*                                                 ; false ; true",
        "attribute:ecs.instance-type not_matches t2.*                                             ; true  ; false",
        "attribute:ecs.instance-type !~ t2.*                                                      ; true  ; false",
        "runningTasksCount greater_than 1                                                         ; false ; true",
        "runningTasksCount greater_than_equal 1                                                   ; true  ; true",
        "runningTasksCount less_than 3                                                            ; true  ; false",
        "runningTasksCount less_than_equal 3                                                      ; true  ; true",
        "runningTasksCount != 3                                                                   ; true  ; false",
        "attribute:ecs.instance-type == t2.small && agentConnected == false                       ; false ; true",
        "attribute:ecs.instance-type == t2.small || runningTasksCount == 1                        ; true  ; true",
        "! agentConnected == true                                                                 ; false ; true",
        "!(agentConnected == true)                                                                ; false ; true",
        "agentConnected != true                                                                   ; false ; true",
        "agentConnected in [true]                                                                 ; true  ; false",
        // exists, on attributes and task groups.
        "attribute:rack exists                                                                    ; true  ; true",
        "attribute:gpu exists                                                                     ; false ; false",
        "attribute:gpu !exists                                                                    ; true  ; true",
        "attribute:gpu not_exists                                                                 ; true  ; true",
        "task:group exists                                                                        ; true  ; true",
        "task:group in [batch, nightly]                                                           ; false ; true",
        "task:group =~ service:.*                                                                 ; true  ; false",
        "task:group != database                                                                   ; true  ; false",
        // An instance without the attribute satisfies only !exists, and not(...) of the others.
        "attribute:gpu == yes                                                                     ; false ; false",
        "attribute:gpu != yes                                                                     ; false ; false",
        "attribute:gpu not_in [yes, no]                                                           ; false ; false",
        "attribute:gpu !in [yes]                                                                  ; false ; false",
        "attribute:gpu !~ yes                                                                     ; false ; false",
        "attribute:gpu not_matches .*                                                             ; false ; false",
        "attribute:gpu =~ .*                                                                      ; false ; false",
        "not(attribute:gpu == yes)                                                                ; true  ; true",
        // Ordering: attributes numerically when both sides are numbers; versions part by part.
        "attribute:rack > 10                                                                      ; true  ; false",
        "agentVersion >= 1.14.4                                                                   ; true  ; true",
        "agentVersion == 1.20                                                                     ; false ; true",
        "agentVersion > 1.9.0                                                                     ; true  ; true",
        // The date formats ECS documents.
        "registeredAt > 2018-02-01T09:59:59+00:00                                                 ; true  ; true",
        "registeredAt == 2018-02-01T10:00:00Z                                                     ; true  ; false",
        "registeredAt <= 2018-02-01T10:00:00                                                      ; true  ; false",
        "registeredAt >= 2019-01-01                                                               ; false ; true",
        // Patterns match the whole value, as java.util.regex's matches().
        "attribute:ecs.instance-type =~ 2xlarge                                                   ; false ; false",
        "attribute:ecs.instance-type =~ '(g2|p3)\\..*'                                            ; true  ; false",
        // Precedence: not binds tightest, then and, then or; parentheses override.
        "(runningTasksCount == 1 or runningTasksCount == 3) and agentConnected == true            ; true  ; false",
        "runningTasksCount == 1 or runningTasksCount == 3 and agentConnected == true              ; true  ; false",
        "not runningTasksCount == 1 and agentConnected == false                                   ; false ; true",
        "runningTasksCount<2                                                                      ; true  ; false",
    })
    void selectsAsTheEcsDocumentationSays(String expression, boolean selectsG2, boolean selectsT2) {
        // Given two instances that differ in everything the language can ask

        // When
        boolean first = selects(expression.trim(), G2_IN_1A);
        boolean second = selects(expression.trim(), T2_IN_1D);

        // Then
        assertThat(first).as("selects the g2 instance").isEqualTo(selectsG2);
        assertThat(second).as("selects the t2 instance").isEqualTo(selectsT2);
    }

    /** Three instances: stack prod with a database task, stack dev with a web task, and one with neither. */
    private static final Candidate PROD = new Candidate("i-p", "default", true, new Resources(1024, 1024, Set.of()),
            Set.of(), Map.of("stack", "prod"), "i-p", "1.20.0", Instant.parse("2019-01-01T00:00:00Z"), 1,
            Map.of("database", 1));
    private static final Candidate DEV = new Candidate("i-d", "default", true, new Resources(1024, 1024, Set.of()),
            Set.of(), Map.of("stack", "dev"), "i-d", "1.20.0", Instant.parse("2019-01-01T00:00:00Z"), 1,
            Map.of("service:web", 1));
    private static final Candidate BARE = new Candidate("i-b", "default", true, new Resources(1024, 1024, Set.of()),
            Set.of(), Map.of(), "i-b", "1.20.0", Instant.parse("2019-01-01T00:00:00Z"), 0, Map.of());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        // ECS: "attribute:stack != prod" lists the instances with the attribute stack unless it is prod.
        "attribute:stack != prod                 ; false ; true  ; false",
        "attribute:stack not_in [prod, qa]       ; false ; true  ; false",
        "attribute:stack !~ 'p.*'                ; false ; true  ; false",
        "attribute:stack !exists                 ; false ; false ; true",
        "not(attribute:stack == prod)            ; false ; true  ; true",
        // task:group is there when the instance runs a task of some group.
        "task:group != database                  ; false ; true  ; false",
        "task:group !in [database]               ; false ; true  ; false",
        "task:group !~ 'data.*'                  ; false ; true  ; false",
        "task:group !exists                      ; false ; false ; true",
        "not(task:group == database)             ; false ; true  ; true",
    })
    void aNegativeOperatorSelectsOnlyInstancesThatHaveTheSubject(String expression, boolean selectsProd,
            boolean selectsDev, boolean selectsBare) {
        // Given an instance with the subject's value, one with another value, and one without it

        // When
        boolean prod = selects(expression.trim(), PROD);
        boolean dev = selects(expression.trim(), DEV);
        boolean bare = selects(expression.trim(), BARE);

        // Then
        assertThat(prod).as("selects the instance with the value").isEqualTo(selectsProd);
        assertThat(dev).as("selects the instance with another value").isEqualTo(selectsDev);
        assertThat(bare).as("selects the instance without the subject").isEqualTo(selectsBare);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "''                                              | 1  | the expression is empty",
        "memory > 10                                     | 1  | expected a subject",
        "attribute: == x                                 | 1  | expected a subject",
        "runningTasksCount                               | 18 | expected an operator after runningTasksCount, found the end",
        "runningTasksCount ~~ 1                          | 19 | expected an operator",
        "runningTasksCount =~ 1                          | 19 | runningTasksCount does not take the operator '=~'",
        "agentVersion in [1.0]                           | 14 | agentVersion does not take the operator 'in'",
        "task:group > x                                  | 12 | task:group does not take the operator '>'",
        "runningTasksCount == many                       | 22 | runningTasksCount takes a whole number",
        "registeredAt < yesterday                        | 16 | registeredAt takes a date",
        "agentVersion < latest                           | 16 | agentVersion takes a version",
        "agentConnected == maybe                         | 19 | agentConnected takes true or false",
        "attribute:x ==                                  | 15 | expected a value after the operator, found the end",
        "attribute:x =~ '('                              | 16 | not a Java regular expression",
        "attribute:x in a, b                             | 16 | expected '[' to open the list of values",
        "attribute:x in [a, b                            | 21 | expected ',' or ']', found the end",
        "(attribute:x == a                               | 18 | expected ')', found the end",
        "attribute:x == a attribute:y == b               | 18 | expected 'and', 'or' or the end",
        "attribute:x == a and                            | 21 | expected a subject",
        "attribute:x == 'a                               | 16 | the quote is never closed",
        "attribute:x = a                                 | 13 | unknown operator '='",
        "attribute:x == a & attribute:y == b             | 18 | unknown operator '&'",
    })
    void aBadExpressionIsRefusedWithThePositionOfTheProblem(String expression, int position, String problem) {
        // Given an expression that is not valid

        // When / Then
        assertThatThrownBy(() -> ClusterQuery.parse(expression.trim()))
                .isInstanceOfSatisfying(QuerySyntaxException.class, e -> assertThat(e.position()).isEqualTo(position))
                .hasMessageContaining(problem)
                .hasMessageContaining("at character " + position);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a guard against the hang this test is about, not a measure
    void aPatternThatBacktracksWithoutEndOnAValueIsNoMatchInsteadOfAHang() {
        // Given: a value on which (a+)+b backtracks through 2^40 ways before it fails
        Candidate longRun = new Candidate("i-3", "default", true, new Resources(1024, 1024, Set.of()), Set.of(),
                Map.of("run", "a".repeat(40)), "i-3", "1.14.4", Instant.parse("2018-02-01T10:00:00Z"), 0, Map.of());

        // When / Then: no match, and the patterns that finish still answer
        assertThat(selects("attribute:run =~ '(a+)+b'", longRun)).isFalse();
        assertThat(selects("attribute:run =~ '(a+)+'", longRun)).isTrue();
        assertThat(selects("attribute:run =~ 'a{40}'", longRun)).isTrue();
        assertThat(selects("attribute:run =~ '(a+)+b'", G2_IN_1A)).isFalse();
    }

    @Test
    void nestingIsBoundedAndAnsweredWithANamedError() {
        // Given
        String deep = "(".repeat(500) + "runningTasksCount == 1" + ")".repeat(500);

        // When / Then
        assertThatThrownBy(() -> ClusterQuery.parse(deep)).isInstanceOf(QuerySyntaxException.class)
                .hasMessageContaining("nests deeper than");
    }

    @Test
    void anyInputParsesOrGetsANamedErrorNeverAnotherException() {
        // Given: random strings over the language's own alphabet, seeded
        String[] pieces = {"attribute:a", "task:group", "runningTasksCount", "agentVersion", "registeredAt",
            "agentConnected", "ec2InstanceId", "==", "!=", ">", "<=", "=~", "!~", "in", "!in", "exists", "!exists",
            "and", "or", "not", "&&", "||", "!", "(", ")", "[", "]", ",", "'", "\"", "x", "1", "1.2.3", "2018-02-13",
            "true", ".*", "(a", "=", "&", "|", " "};
        Random random = new Random(7);
        int parsed = 0;

        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int p = 0; p < length; p++) {
                text.append(pieces[random.nextInt(pieces.length)]).append(random.nextBoolean() ? " " : "");
            }

            // When
            try {
                Expression expression = ClusterQuery.parse(text.toString());
                expression.test(G2_IN_1A);
                parsed++;
            } catch (QuerySyntaxException expected) {
                // Then: the only failure is the named one, with a position inside the text (or just past it)
                assertThat(expected.position()).isBetween(1, text.length() + 1);
            }
        }
        assertThat(parsed).as("some random expressions are valid").isPositive();
    }
}
