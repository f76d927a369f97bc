package dev.berth.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one container start's time went, from the engine's own timestamps: the moment the start
 * was asked for (a desired record written, or a create call made), the container's
 * {@code Created} and {@code State.StartedAt} as Docker recorded them, the moment the result
 * was known to its author (the agent's RUNNING record's CreateTime; for a plain create+start,
 * the start call's return) and the moment this benchmark read it. All on this host's clock;
 * a record's CreateTime has millisecond precision.
 */
record StartTimeline(Instant asked, Instant created, Instant startedAt, Instant known, Instant read) {

    /** The four spans, in milliseconds: asked → Created, Created → StartedAt, StartedAt → known, known → read. */
    double[] spans() {
        return new double[] {millis(asked, created), millis(created, startedAt), millis(startedAt, known),
                millis(known, read)};
    }

    /** The p50 of each span over the sample, as "a / b / c / d ms". */
    static String medians(List<StartTimeline> sample) {
        List<String> parts = new ArrayList<>();
        for (int span = 0; span < 4; span++) {
            List<Double> values = new ArrayList<>();
            for (StartTimeline t : sample) {
                values.add(t.spans()[span]);
            }
            parts.add(String.format("%.0f", Percentiles.of(Percentiles.sorted(values), 50)));
        }
        return String.join(" / ", parts) + " ms";
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }
}
