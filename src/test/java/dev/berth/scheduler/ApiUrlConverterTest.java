package dev.berth.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The advertised URL other replicas forward writes to: scheme, host and port, nothing else. */
class ApiUrlConverterTest {

    private final ApiUrlConverter converter = new ApiUrlConverter();

    @Test
    void takesSchemeHostAndPortAndDropsATrailingSlash() {
        assertThat(converter.convert("http://sched-1:8080")).isEqualTo("http://sched-1:8080");
        assertThat(converter.convert(" http://sched-1:8080/ ")).isEqualTo("http://sched-1:8080");
        assertThat(converter.convert("HTTPS://10.0.0.5")).isEqualTo("https://10.0.0.5");
        assertThat(converter.convert("http://fd00::1:8080")).as("a pod's IPv6 address, as the chart writes it")
                .isEqualTo("http://[fd00::1]:8080");
        assertThat(converter.convert("http://[fd00::1]:8080/")).isEqualTo("http://[fd00::1]:8080");
    }

    @Test
    void refusesWhatAForwardedWriteCouldNotBeSentToNamingTheSetting() {
        for (String bad : new String[] {"sched-1:8080", "10.0.0.5:8080", "ftp://sched-1", "http://sched-1:8080/api",
                "http://sched-1:8080/?a=b", "http://"}) {
            assertThatThrownBy(() -> converter.convert(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("BERTH_SCHEDULER_ADVERTISED_URL");
        }
    }
}
