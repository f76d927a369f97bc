package dev.berth.bench;

import dev.berth.bench.Figure.Verdict;

/** Turns each measurement into its line of the table, with its target and baseline. */
final class Figures {

    static final double PLACEMENT_TARGET = 10_000;
    static final double LATENCY_P99_TARGET_MS = 20;
    static final double STARTUP_TARGET_MS = 5_000;
    /** The scheduler's default session timeout (10 s) plus 5 s, as issue 6 asks. */
    static final double FAILOVER_TARGET_MS = 15_000;

    private Figures() {
    }

    /** (a), measured on {@code a}; {@code cold}, when there was one, is the first pass before it. */
    static Figure placement(PlacementThroughput.Result a, PlacementThroughput.Result cold, BenchSettings s,
            double tenPerTxn, double thousandPerTxn, int baselineFailures) {
        double rate = a.tasksPerSecond();
        String note = String.format("%s%,d tasks answered, %,d read back on berth.tasks, in %.1f s; %,d RunTask calls "
                + "of count 10 from %d concurrent callers; %d calls failed, %d placement failures %s%s%s",
                cold == null ? "" : String.format("second pass; the first, from the scheduler's fresh start: %,.0f /s "
                        + "(%d calls failed); ", cold.tasksPerSecond(), cold.failedCalls()),
                a.tasksAnswered(), a.tasksReadBack(), a.seconds(), a.calls(), s.concurrency(), a.failedCalls(),
                a.placementFailures(), a.failureReasons().isEmpty() ? "" : a.failureReasons(), a.budgetSpent() ? String.format("; STOPPED after the %d s budget, %,d of %,d "
                        + "tasks placed", s.placementBudget().toSeconds(), a.tasksAnswered(), s.tasks()) : "",
                a.firstError().isEmpty() ? "" : "; first error: " + a.firstError());
        return new Figure(String.format("(a) desired tasks acknowledged per second, %,d tasks on %,d instances",
                s.tasks(), s.instances()), String.format("%,.0f /s", rate), "≥ 10,000 /s",
                Figure.atLeast(rate, PLACEMENT_TARGET),
                String.format("raw Kafka, one transactional producer: %,.0f rec/s in transactions of 10; %,.0f rec/s "
                        + "in transactions of 1,000%s", tenPerTxn, thousandPerTxn, baselineFailures == 0 ? ""
                        : String.format(" (%d transactions failed and were redone)", baselineFailures)),
                String.format("%.2f× / %.3f×", rate / tenPerTxn, rate / thousandPerTxn), note);
    }

    static Figure latency(RunTaskLatency.Result b, int instances, int running, double[] commits,
            double meanPlanWaitMillis, int sweeps) {
        double p99 = b.p99();
        String note = String.format("%d sequential RunTask calls of count 1 in %.0f s (20/s pace); %d errors; "
                + "%d answered tasks not read back%s; inside the scheduler a call waited %.1f ms on average for its "
                + "plan's transaction (berth_reconcile_seconds, loop scheduler-plan); meanwhile %d full DescribeContainerInstances "
                + "sweeps ran", b.samples(), b.seconds(), b.errors(), b.unseen(),
                b.firstError().isEmpty() ? "" : "; first error: " + b.firstError(), meanPlanWaitMillis, sweeps);
        Verdict verdict = b.samples() == 0 ? Verdict.VOID : Figure.atMost(p99, LATENCY_P99_TARGET_MS);
        return new Figure(String.format("(b) RunTask latency p50 / p99, %,d instances, %,d running tasks",
                instances, running), String.format("%.1f / %.1f ms", b.p50(), p99), "p99 ≤ 20 ms", verdict,
                String.format("raw Kafka one-record transaction: %.1f / %.1f ms", Percentiles.of(commits, 50),
                        Percentiles.of(commits, 99)),
                String.format("%.1f× / %.1f×", b.p50() / Percentiles.of(commits, 50),
                        p99 / Percentiles.of(commits, 99)), note);
    }

    static Figure connectivity(ConnectivityWatch watch, int instances, HollowAgents agents) {
        int disconnected = watch.disconnected().size();
        Verdict verdict = watch.sweeps() == 0 ? Verdict.VOID
                : disconnected == 0 ? Verdict.MET : Verdict.MISSED;
        return new Figure("(b) instances ever shown disconnected while measuring",
                String.format("%,d of %,d", disconnected, instances), "0", verdict, "", "",
                String.format("%d full DescribeContainerInstances sweeps (%d errors); %,d heartbeats sent, %d sends "
                        + "failed", watch.sweeps(), watch.errors(), agents.heartbeatsSent(), agents.sendFailures()));
    }

    static Figure startup(double readyMillis, double rebuildMillis, double cpuMillis, int tasksInKafka, int runningShown,
            double emptyMillis, TopicReplay.Replay replay) {
        return new Figure(String.format("(c) scheduler start to ready, %,d tasks in Kafka", tasksInKafka),
                String.format("%,.0f ms", readyMillis), "≤ 5,000 ms", Figure.atMost(readyMillis, STARTUP_TARGET_MS),
                String.format("same binary on empty Kafka: %,.0f ms; one consumer replaying and decoding the same "
                        + "%,d records: %,.0f ms", emptyMillis, replay.records(), replay.millis()),
                String.format("%.1f× / %.1f×", readyMillis / emptyMillis, readyMillis / replay.millis()),
                String.format("process spawn to /q/health/ready 200; of which %,.0f ms from the first answer of the "
                        + "probe (JVM and Quarkus up) to ready; %,.0f ms of CPU used by the process until ready; its "
                        + "berth_tasks metric then showed %,d RUNNING", rebuildMillis, cpuMillis, runningShown));
    }

    static Figure failoverTime(FailoverDrill.Result d, int instances) {
        Verdict verdict = Double.isNaN(d.recoveryMillis()) ? Verdict.MISSED
                : Figure.atMost(d.recoveryMillis(), FAILOVER_TARGET_MS);
        return new Figure("(d) kill -9 of the leader (3 replicas): writes succeed again after",
                String.format("%,.0f ms", d.recoveryMillis()), "≤ 15,000 ms (10 s session timeout + 5 s)", verdict,
                "", "", String.format("first RunTask sent after the kill that succeeded, through any replica; "
                        + "%,d hollow instances", instances));
    }

    static Figure failoverSafety(FailoverDrill.Result d) {
        boolean safe = d.lost() == 0 && d.duplicates() == 0;
        return new Figure("(d) acknowledged writes lost / tasks placed twice",
                String.format("%d / %d", d.lost(), d.duplicates()), "0 / 0", safe ? Verdict.MET : Verdict.MISSED, "",
                "", String.format("%,d tokens answered (%,d needed retries), %,d tasks listed, %d tasks of unanswered "
                        + "tokens, %d answered tasks not read back on berth.tasks", d.tokensAnswered(),
                        d.tokensRetried(), d.tasksListed(), d.strangers(), d.unseen()));
    }
}
