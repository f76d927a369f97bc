package dev.berth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The CPU time a process's threads have used, summed by kind of thread (the JIT compilers,
 * the garbage collector, Berth's readers...), from Linux's {@code /proc/<pid>/task/<tid>/stat}.
 * Threads that have already ended are not counted. For the benchmark's log: where a start's
 * CPU went.
 */
final class ThreadCpu {

    private static final double TICKS_PER_SECOND = 100.0;

    private ThreadCpu() {
    }

    /** "kind ms, kind ms, ...", the largest first; empty when /proc cannot be read. */
    static String byKind(long pid) {
        return format(snapshot(pid));
    }

    /** The CPU each kind of thread has used so far, in milliseconds; empty when /proc cannot be read. */
    static Map<String, Double> snapshot(long pid) {
        Map<String, Double> millis = new TreeMap<>();
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            threads.forEach(thread -> {
                try {
                    String stat = Files.readString(thread.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // fields[11] and [12] are utime and stime (the 14th and 15th of the line)
                    double used = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / TICKS_PER_SECOND;
                    millis.merge(kind(name), used, Double::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return Map.of();
        }
        return millis;
    }

    /** What each kind of thread used since {@code before} ({@link #snapshot}), formatted as {@link #byKind}. */
    static String since(long pid, Map<String, Double> before) {
        Map<String, Double> used = new TreeMap<>(snapshot(pid));
        before.forEach((kind, millis) -> used.computeIfPresent(kind, (k, now) -> now - millis));
        return format(used);
    }

    private static String format(Map<String, Double> millis) {
        return millis.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format("%s %,.0f ms", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** Linux keeps 15 characters of a thread's name: numbers are dropped so pools add up. */
    private static String kind(String name) {
        return name.replaceAll("[0-9]+", "#");
    }
}
