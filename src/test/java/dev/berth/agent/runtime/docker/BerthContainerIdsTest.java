package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BerthContainerIdsTest {

    @Test
    void keepsTheIdsItWasToldUntilRemoved() {
        // Given
        BerthContainerIds ids = new BerthContainerIds(10);

        // When
        ids.add("a");
        ids.add("b");
        ids.remove("a");

        // Then
        assertThat(ids.contains("a")).isFalse();
        assertThat(ids.contains("b")).isTrue();
        assertThat(ids.contains("c")).isFalse();
    }

    @Test
    void atItsBoundLetsGoOfTheIdUsedLeastRecently() {
        // Given
        BerthContainerIds ids = new BerthContainerIds(2);
        ids.add("a");
        ids.add("b");
        ids.contains("a");

        // When
        ids.add("c");

        // Then
        assertThat(ids.contains("a")).isTrue();
        assertThat(ids.contains("b")).as("least recently used").isFalse();
        assertThat(ids.contains("c")).isTrue();
    }
}
