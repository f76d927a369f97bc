package dev.berth.model;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Task-level cpu and memory as ECS accepts them: strings in CPU units or vCPU
 * ({@code "256"}, {@code "1 vCPU"}) and in MiB or GB ({@code "512"}, {@code "1 GB"}).
 */
public final class TaskSize {

    private static final int UNITS_PER_VCPU = 1024;
    private static final int MIB_PER_GB = 1024;

    private TaskSize() {
    }

    /** CPU units, empty when not set; throws {@link IllegalArgumentException} when not a size. */
    public static OptionalInt cpuUnits(String value) {
        return parse(value, "vcpu", UNITS_PER_VCPU);
    }

    /** MiB, empty when not set; throws {@link IllegalArgumentException} when not a size. */
    public static OptionalInt memoryMiB(String value) {
        return parse(value, "gb", MIB_PER_GB);
    }

    private static OptionalInt parse(String value, String bigUnit, int factor) {
        if (value == null || value.isBlank()) {
            return OptionalInt.empty();
        }
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith(bigUnit)) {
                BigDecimal amount = new BigDecimal(text.substring(0, text.length() - bigUnit.length()).trim());
                return positive(amount.multiply(BigDecimal.valueOf(factor)).intValueExact());
            }
            return positive(Integer.parseInt(text));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("not a size: " + value, e);
        }
    }

    private static OptionalInt positive(int amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("not a positive size: " + amount);
        }
        return OptionalInt.of(amount);
    }
}
