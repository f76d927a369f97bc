package dev.berth.bench;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of a sample. */
final class Percentiles {

    private Percentiles() {
    }

    static double of(double[] sorted, double percentile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double[] sorted(Collection<Double> sample) {
        double[] values = sample.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(values);
        return values;
    }
}
