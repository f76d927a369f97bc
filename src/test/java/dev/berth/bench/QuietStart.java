package dev.berth.bench;

import dev.berth.e2e.BerthProcess;
import java.time.Duration;

/**
 * A measure starts on a quiet machine: the scheduler's process and the benchmark's JVM (the
 * broker, the hollow agents) together using less than {@link #QUIET_CORES} cores over a second.
 * Measured right after the phase before, a measure shares the two cores with the JIT compilers
 * still working through what that phase made hot, which a broker and a scheduler that have run
 * for a while are done with.
 */
final class QuietStart {

    static final double QUIET_CORES = 0.3;
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final Duration WINDOW = Duration.ofSeconds(1);

    private QuietStart() {
    }

    /** Waits, at most two minutes, until the machine is quiet; logs how long it took, and whether it never was. */
    static void await(BerthProcess scheduler, String measure) throws InterruptedException {
        long self = ProcessHandle.current().pid();
        long start = System.nanoTime();
        double cores;
        do {
            long schedulerFrom = scheduler.cpuMillis();
            long benchFrom = AgentProbe.cpuMillis(self);
            long from = System.nanoTime();
            BenchWait.pace(WINDOW);
            cores = (scheduler.cpuMillis() - schedulerFrom + AgentProbe.cpuMillis(self) - benchFrom)
                    / ((System.nanoTime() - from) / 1e6);
        } while (cores >= QUIET_CORES && System.nanoTime() - start < PATIENCE.toNanos());
        ControlPlaneBenchmark.log("before %s: the scheduler and this JVM used %.2f cores over the last second, %d ms "
                + "after waiting began%s", measure, cores, (System.nanoTime() - start) / 1_000_000,
                cores >= QUIET_CORES ? " (never quiet: measured anyway)" : "");
    }
}
