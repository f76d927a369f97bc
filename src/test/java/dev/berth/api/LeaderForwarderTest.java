package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where a follower sends a write: the leader's URL with the path its caller sent and signed. */
class LeaderForwarderTest {

    @Test
    void aForwardedWriteKeepsThePathItsCallerSigned() {
        assertThat(LeaderForwarder.target("http://sched-1:8080/", "/", null)).isEqualTo("http://sched-1:8080/");
        assertThat(LeaderForwarder.target("http://sched-1:8080", "/", null)).isEqualTo("http://sched-1:8080/");
        assertThat(LeaderForwarder.target("http://sched-1:8080", "/", "x=1")).isEqualTo("http://sched-1:8080/?x=1");
    }
}
