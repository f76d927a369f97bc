package dev.berth.scheduler.placement.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** How the query language reads and orders values: dates, agent versions, numbers and strings. */
final class QueryValues {

    private QueryValues() {
    }

    /**
     * A {@code registeredAt} argument in one of the forms ECS documents: 2018-06-18T22:28:28+00:00,
     * 2018-06-18T22:28:28Z, 2018-06-18T22:28:28 (UTC) or 2018-06-18 (midnight UTC); null if none.
     */
    static Instant date(String text) {
        try {
            if (text.length() == "2018-06-18".length()) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(text).toInstant();
            }
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Whether the text reads as an agent version: numbers separated by dots, such as 1.14.5. */
    static boolean isVersion(String text) {
        return text.matches("\\d+(\\.\\d+)*");
    }

    /** Orders versions part by part, numerically; a missing part counts as 0 (1.14 == 1.14.0). */
    static int compareVersions(String left, String right) {
        String[] a = left.split("\\.");
        String[] b = right.split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int order = new BigDecimal(part(a, i)).compareTo(new BigDecimal(part(b, i)));
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }

    private static String part(String[] parts, int i) {
        if (i >= parts.length) {
            return "0";
        }
        String digits = parts[i].replaceAll("\\D.*$", "");
        return digits.isEmpty() ? "0" : digits;
    }

    /** Attribute values: numerically when both read as numbers, else as strings. */
    static int compareAttributes(String left, String right) {
        BigDecimal a = number(left);
        BigDecimal b = number(right);
        return a != null && b != null ? a.compareTo(b) : left.compareTo(right);
    }

    private static BigDecimal number(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
