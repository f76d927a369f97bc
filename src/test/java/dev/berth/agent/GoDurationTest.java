package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's time.ParseDuration, as the ECS agent reads its durations; the cases are Go's own tests'. */
class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "+0, 0",
        "-0, 0",
        "5s, 5000000000",
        "30s, 30000000000",
        "1478s, 1478000000000",
        "-5s, -5000000000",
        "+5s, 5000000000",
        "5.0s, 5000000000",
        "5.6s, 5600000000",
        "5.s, 5000000000",
        ".5s, 500000000",
        "1.004s, 1004000000",
        "100.00100s, 100001000000",
        "10ns, 10",
        "11us, 11000",
        "12µs, 12000",
        "12μs, 12000",
        "13ms, 13000000",
        "14s, 14000000000",
        "15m, 900000000000",
        "16h, 57600000000000",
        "3h30m, 12600000000000",
        "10.5s4m, 250500000000",
        "-2m3.4s, -123400000000",
        "1h2m3s4ms5us6ns, 3723004005006",
        "39h9m14.425s, 140954425000000",
        "1.5h, 5400000000000",
        "1s500ms, 1500000000",
        "300ms, 300000000",
        "-1.5h, -5400000000000",
        "2h45m, 9900000000000",
        "52763797000ns, 52763797000",
        "0.3333333333333333333h, 1200000000000",
        "9007199254740993ns, 9007199254740993",
        "9223372036854775807ns, 9223372036854775807",
        "9223372036854775.807us, 9223372036854775807",
        "-9223372036854775808ns, -9223372036854775808",
        "0.100000000000000000000h, 360000000000",
        "0.830103483285477580700h, 2988372539827"
    })
    void readsWhatGoReads(String text, long nanos) {
        // When
        Duration duration = GoDuration.parse(text);

        // Then
        assertThat(duration).as(text).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "3", "-", "s", ".", "-.", ".s", "+.s", "1d", "1H", "1.5 h", " 1s", "1s ", "1sec",
        "PT30S", "3000000h", "9223372036854775808ns", "9223372036854775.808us", "-9223372036854775809ns",
        "+-1s", "1s-2s"})
    void refusesWhatGoRefuses(String text) {
        // When
        Throwable failure = catchThrowable(() -> GoDuration.parse(text));

        // Then
        assertThat(failure).as(text).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure.getMessage()).contains("\"" + text + "\"").contains("1.5h");
    }

    @ParameterizedTest
    @ValueSource(strings = {"30s", "1h30m", "1.5h", "300ms", "-1s", "0"})
    void berthsConverterReadsGoDurationsAsGoDoes(String text) {
        // When / Then
        assertThat(EcsDurationConverter.parse(text)).isEqualTo(GoDuration.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"PT30S, 30", "PT1H30M, 5400", "45, 45", "2d, 172800", "90M, 5400", "1H, 3600", " 30s , 30"})
    void berthsConverterStillReadsQuarkussForms(String text, long seconds) {
        // When / Then
        assertThat(EcsDurationConverter.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1 minute", "1.5d", "an hour", "h1", "1w"})
    void berthsConverterRefusesWhatNeitherReads(String text) {
        // When
        Throwable failure = catchThrowable(() -> EcsDurationConverter.parse(text));

        // Then
        assertThat(failure).as(text).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure.getMessage()).contains(text).contains("1h30m").contains("PT30S");
    }

    @Test
    void anEmptyValueIsNoValue() {
        // When / Then
        assertThat(List.of("", "  ")).allSatisfy(text -> assertThat(EcsDurationConverter.parse(text)).isNull());
    }
}
