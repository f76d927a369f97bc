package dev.berth.agent.introspection;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Each caller's own bucket: a burst, then the steady rate, whatever the others do. */
class CallerRateTest {

    private final AtomicLong nanos = new AtomicLong();
    private final CallerRate rate = new CallerRate(40, 60, nanos::get);

    @Test
    void aCallerGetsItsBurstThenTheSteadyRateAndOthersAreNotHeldBack() throws Exception {
        // Given
        InetAddress busy = InetAddress.getByName("172.17.0.2");
        InetAddress quiet = InetAddress.getByName("172.17.0.3");

        // When: the busy caller makes 61 requests at once
        int allowed = 0;
        for (int i = 0; i < 61; i++) {
            allowed += rate.allow(busy) ? 1 : 0;
        }

        // Then: 60 pass, the quiet caller still gets through, and the busy one gets 40 more a second later
        assertThat(allowed).isEqualTo(60);
        assertThat(rate.allow(quiet)).isTrue();
        nanos.addAndGet(1_000_000_000L);
        int later = 0;
        for (int i = 0; i < 50; i++) {
            later += rate.allow(busy) ? 1 : 0;
        }
        assertThat(later).isEqualTo(40);
    }
}
