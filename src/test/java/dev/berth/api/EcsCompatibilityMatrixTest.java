package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.EcsOperations.Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's compatibility matrix is {@link EcsOperations} rendered, so the two cannot drift.
 * Run with {@code -Dberth.write-matrix=true} to rewrite the README's block from the table.
 */
class EcsCompatibilityMatrixTest {

    private static final Path README = Path.of("README.md");
    static final String BEGIN = "<!-- ecs-operations:begin (generated from EcsOperations; "
            + "EcsCompatibilityMatrixTest checks it) -->";
    static final String END = "<!-- ecs-operations:end -->";

    static String render() {
        String rows = EcsOperations.all().stream()
                .map(o -> "| " + o.name() + " | " + o.support().label() + " | " + note(o) + " |")
                .collect(Collectors.joining("\n"));
        return "| operation | Berth | notes |\n|---|---|---|\n" + rows + "\n";
    }

    private static String note(Operation operation) {
        String note = operation.note().replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
        return operation.refusedWith() == null ? note : "`" + operation.refusedWith().name() + "`: " + note;
    }

    @Test
    void theReadmeMatrixIsTheTable() throws IOException {
        // Given
        String readme = Files.readString(README);
        String expected = render();
        if (Boolean.getBoolean("berth.write-matrix")) {
            readme = replaceBlock(readme, expected);
            Files.writeString(README, readme);
        }

        // When
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);

        // Then
        assertThat(begin).as("the README marks the matrix with %s", BEGIN).isNotNegative();
        assertThat(end).as("the README ends the matrix with %s", END).isGreaterThan(begin);
        assertThat(readme.substring(begin + BEGIN.length() + 1, end))
                .as("the README's matrix; rerun with -Dberth.write-matrix=true to regenerate it").isEqualTo(expected);
    }

    @Test
    void everyOperationHasARow() {
        // When
        String matrix = render();

        // Then
        assertThat(matrix.lines().skip(2)).hasSize(EcsOperations.all().size());
        assertThat(EcsOperations.all()).allSatisfy(o -> assertThat(matrix).contains("| " + o.name() + " | "));
    }

    private static String replaceBlock(String readme, String matrix) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            return readme;
        }
        return readme.substring(0, begin + BEGIN.length()) + "\n" + matrix + readme.substring(end);
    }
}
