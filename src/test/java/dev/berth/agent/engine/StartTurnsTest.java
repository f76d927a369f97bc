package dev.berth.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartTurnsTest {

    private final List<String> woken = new ArrayList<>();

    private StartTurns turns(int limit) {
        StartTurns turns = StartTurns.of(limit);
        turns.wakeWith(woken::add);
        return turns;
    }

    @Test
    void tasksBeyondTheLimitWaitInLineAndAreWokenInTheOrderTheyAsked() {
        // Given
        StartTurns turns = turns(2);
        assertThat(turns.take("a")).isTrue();
        assertThat(turns.take("b")).isTrue();

        // When
        boolean c = turns.take("c");
        boolean d = turns.take("d");
        turns.giveBack("a");
        turns.giveBack("b");

        // Then
        assertThat(c).isFalse();
        assertThat(d).isFalse();
        assertThat(woken).containsExactly("c", "d");
        assertThat(turns.take("c")).isTrue();
        assertThat(turns.take("d")).isTrue();
        assertThat(turns.waiting()).isZero();
    }

    @Test
    void aTurnGivenBackGoesToTheFirstInLineNotToATaskThatComesLater() {
        // Given: b waits for the only turn
        StartTurns turns = turns(1);
        turns.take("a");
        turns.take("b");

        // When: a gives it back, and c asks before b has run
        turns.giveBack("a");
        boolean c = turns.take("c");

        // Then
        assertThat(c).isFalse();
        assertThat(turns.take("b")).isTrue();
        assertThat(woken).containsExactly("b");
    }

    @Test
    void aTaskAsksAgainWithoutTakingASecondTurnOrASecondPlaceInLine() {
        // Given
        StartTurns turns = turns(1);
        turns.take("a");

        // When
        boolean again = turns.take("a");
        turns.take("b");
        turns.take("b");

        // Then
        assertThat(again).isTrue();
        assertThat(turns.holding()).isEqualTo(1);
        assertThat(turns.waiting()).isEqualTo(1);
    }

    @Test
    void aTaskThatLeavesGivesItsTurnToTheNextAndLeavesTheLine() {
        // Given: a holds the turn, b and c wait
        StartTurns turns = turns(1);
        turns.take("a");
        turns.take("b");
        turns.take("c");

        // When: b is stopped while it waits, then a stops
        turns.leave("b");
        turns.leave("a");

        // Then: c has the turn
        assertThat(woken).containsExactly("c");
        assertThat(turns.take("c")).isTrue();
        assertThat(turns.waiting()).isZero();
    }

    @Test
    void givingBackATurnNotHeldChangesNothing() {
        // Given
        StartTurns turns = turns(1);
        turns.take("a");
        turns.take("b");

        // When
        turns.giveBack("b");
        turns.giveBack("z");

        // Then
        assertThat(woken).isEmpty();
        assertThat(turns.holding()).isEqualTo(1);
    }

    @Test
    void theLimitIsAtLeastOne() {
        assertThatThrownBy(() -> StartTurns.of(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
