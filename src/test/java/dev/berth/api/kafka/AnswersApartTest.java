package dev.berth.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The answers kept for requests that acted apart from them: by request, bounded. */
class AnswersApartTest {

    private final AnswersApart answers = new AnswersApart();

    @Test
    void answersOnlyTheSameRequestUntilForgotten() {
        // Given
        answers.keep("kafka-request/r-1", "hash", "{\"revision\":1}");

        // Then
        assertThat(answers.answer("kafka-request/r-1", "hash")).contains("{\"revision\":1}");
        assertThat(answers.answer("kafka-request/r-1", "other")).isEmpty();
        assertThat(answers.answer("kafka-request/r-2", "hash")).isEmpty();

        // When
        answers.forget("kafka-request/r-1");

        // Then
        assertThat(answers.answer("kafka-request/r-1", "hash")).isEmpty();
    }

    @Test
    void forgetsTheOldestPastItsBounds() {
        // When: one answer more than it keeps
        for (int n = 0; n <= AnswersApart.MAX_ANSWERS; n++) {
            answers.keep("kafka-request/r-" + n, "hash", "{}");
        }

        // Then
        assertThat(answers.answer("kafka-request/r-0", "hash")).isEmpty();
        assertThat(answers.answer("kafka-request/r-1", "hash")).isPresent();

        // When: answers larger than all it keeps together
        String large = "x".repeat((int) (AnswersApart.MAX_CHARS / 2));
        answers.keep("kafka-request/big-1", "hash", large);
        answers.keep("kafka-request/big-2", "hash", large);

        // Then: the oldest went first, until the newest fits
        assertThat(answers.answer("kafka-request/r-1", "hash")).isEmpty();
        assertThat(answers.answer("kafka-request/big-2", "hash")).isPresent();
    }
}
