package dev.berth.agent;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

/**
 * Go's duration syntax, which the ECS agent reads its durations with ({@code time.ParseDuration}):
 * an optional sign, then one or more decimal numbers, each with an optional fraction and a
 * unit ({@code ns}, {@code us}, {@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}), such
 * as {@code 300ms}, {@code -1.5h} or {@code 2h45m}; {@code 0} alone needs no unit. Units are
 * case-sensitive. A Go duration is a signed 64-bit count of nanoseconds, so anything beyond
 * about 292 years is refused, as Go refuses it.
 */
final class GoDuration {

    private static final Map<String, Long> NANOS_PER_UNIT = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L,
            "μs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);
    /** Go adds up magnitudes in a uint64 and refuses any beyond 1<<63. */
    private static final BigInteger LIMIT = BigInteger.ONE.shiftLeft(63);

    private final String text;
    private final String numbers;
    private int at;

    private GoDuration(String text, String numbers) {
        this.text = text;
        this.numbers = numbers;
    }

    /**
     * The duration {@code text} names, worked out as Go's {@code time.ParseDuration} does, a
     * fraction through a float64 as in Go (so {@code 0.3333333333333333333h} is 20m); an
     * {@link IllegalArgumentException} where Go returns an error.
     */
    static Duration parse(String text) {
        boolean signed = !text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+');
        boolean negative = signed && text.charAt(0) == '-';
        String numbers = signed ? text.substring(1) : text;
        if (numbers.equals("0")) {
            return Duration.ZERO;
        }
        GoDuration reader = new GoDuration(text, numbers);
        if (numbers.isEmpty()) {
            throw reader.invalid();
        }
        BigInteger total = BigInteger.ZERO;
        while (reader.at < numbers.length()) {
            total = total.add(reader.nextNanos());
            if (total.compareTo(LIMIT) > 0) {
                throw reader.invalid();
            }
        }
        if (!negative && total.equals(LIMIT)) {
            throw reader.invalid();
        }
        return Duration.ofNanos((negative ? total.negate() : total).longValueExact());
    }

    /** The next number and its unit, in nanoseconds. */
    private BigInteger nextNanos() {
        if (numbers.charAt(at) != '.' && !isDigit(numbers.charAt(at))) {
            throw invalid();
        }
        String whole = digits();
        String fraction = "";
        if (at < numbers.length() && numbers.charAt(at) == '.') {
            at++;
            fraction = digits();
        }
        if (whole.isEmpty() && fraction.isEmpty()) {
            throw invalid();
        }
        int unitStart = at;
        while (at < numbers.length() && numbers.charAt(at) != '.' && !isDigit(numbers.charAt(at))) {
            at++;
        }
        Long unit = NANOS_PER_UNIT.get(numbers.substring(unitStart, at));
        if (unit == null) {
            throw invalid();
        }
        BigInteger nanos = (whole.isEmpty() ? BigInteger.ZERO : new BigInteger(whole)).multiply(BigInteger.valueOf(unit))
                .add(BigInteger.valueOf(fractionNanos(fraction, unit)));
        if (nanos.compareTo(LIMIT) > 0) {
            throw invalid();
        }
        return nanos;
    }

    /** Go keeps the digits of a fraction that fit in a uint64, and scales them through a float64. */
    private static long fractionNanos(String digits, long unit) {
        BigInteger kept = BigInteger.ZERO;
        double scale = 1;
        for (int i = 0; i < digits.length(); i++) {
            BigInteger next = kept.multiply(BigInteger.TEN).add(BigInteger.valueOf(digits.charAt(i) - '0'));
            if (next.compareTo(LIMIT) > 0) {
                break;
            }
            kept = next;
            scale *= 10;
        }
        return (long) (kept.doubleValue() * (unit / scale));
    }

    private String digits() {
        int start = at;
        while (at < numbers.length() && isDigit(numbers.charAt(at))) {
            at++;
        }
        return numbers.substring(start, at);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private IllegalArgumentException invalid() {
        return new IllegalArgumentException("\"" + text + "\" is not a Go duration such as 300ms, 1.5h or 2h45m");
    }
}
