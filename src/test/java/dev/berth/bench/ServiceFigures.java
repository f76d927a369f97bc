package dev.berth.bench;

import dev.berth.bench.Figure.Verdict;
import java.time.Duration;

/** Turns the services benchmark's measurements into lines of the table, with their targets and baselines. */
final class ServiceFigures {

    static final double DAEMON_PLACED_TARGET_MS = 1_000;
    static final double DAEMON_RUNNING_TARGET_MS = 3_000;

    private ServiceFigures() {
    }

    static Figure daemonCommitted(int instances, double committedMs, Duration budget, double answeredMs,
            double baselineMs, long firstSentMs, long lastSentMs) {
        boolean done = !Double.isNaN(committedMs);
        return new Figure(String.format("(a) DAEMON over %,d instances: every task acknowledged on berth.tasks",
                instances), done ? String.format("%,.0f ms", committedMs) : String.format(
                        "not committed within the %d s budget", budget.toSeconds()), "≤ 1,000 ms",
                done ? Figure.atMost(committedMs, DAEMON_PLACED_TARGET_MS) : Verdict.MISSED,
                String.format("raw Kafka, one transactional producer, the same %,d desired-task records in "
                        + "transactions of 1,000: %,.0f ms", instances, baselineMs),
                done ? String.format("%.1f×", committedMs / baselineMs) : "-",
                String.format("from sending CreateService until the last stable offsets (read_committed) of "
                        + "berth.tasks are past all %,d tasks of the service: their transaction committed; "
                        + "CreateService answered after %,.0f ms; the scheduler sent the first and last of them at "
                        + "+%,d and +%,d ms (their Kafka CreateTime)", instances, answeredMs, firstSentMs,
                        lastSentMs));
    }

    static Figure daemonRead(int instances, double placedMs, int placed, Duration budget, double committedMs) {
        boolean done = !Double.isNaN(placedMs);
        return new Figure(String.format("(a) DAEMON over %,d instances: every task read by a consumer", instances),
                done ? String.format("%,.0f ms", placedMs) : stopped(budget, placed, instances), "no bound",
                done ? Verdict.REPORTED : Verdict.MISSED, "", "",
                String.format("from sending CreateService until a plain read_committed consumer of berth.tasks and "
                        + "berth.task-events (in the benchmark's JVM, with the broker and the hollow agents, which "
                        + "read the same records and report them RUNNING meanwhile) has read all %,d; %s", instances,
                        Double.isNaN(committedMs) ? "their commit was not seen"
                                : String.format("%,.0f ms after their commit", placedMs - committedMs)));
    }

    static Figure daemonRunning(int instances, double runningMs, int running, Duration budget, double reportedMs,
            int reported, Duration poll) {
        boolean done = !Double.isNaN(runningMs);
        boolean agentsDone = !Double.isNaN(reportedMs);
        return new Figure(String.format("(a) DAEMON over %,d instances: runningCount %,d in DescribeServices",
                instances, instances),
                done ? String.format("%,.0f ms", runningMs) : stopped(budget, running, instances), "≤ 3,000 ms",
                done ? Figure.atMost(runningMs, DAEMON_RUNNING_TARGET_MS) : Verdict.MISSED,
                agentsDone ? String.format("the hollow agents' RUNNING reports all on berth.task-events: %,.0f ms",
                        reportedMs) : String.format("the hollow agents reported %,d RUNNING within the budget",
                        reported),
                done && agentsDone ? String.format("%.2f×", runningMs / reportedMs) : "-",
                String.format("from sending CreateService; DescribeServices polled every %d ms", poll.toMillis()));
    }

    static Figure rollout(int replicas, int instances, double rolloutMs, Duration budget, double createMs,
            ServiceBenchmark.RolloutWatch rollout) {
        boolean done = !Double.isNaN(rolloutMs);
        ServiceStatus last = rollout.last();
        return new Figure(String.format("(b) REPLICA of %,d tasks on %,d instances rolled to a new revision: "
                + "UpdateService to rolloutState COMPLETED", replicas, instances),
                done ? String.format("%,.1f s", rolloutMs / 1_000) : String.format("STOPPED after the %d s budget",
                        budget.toSeconds()), "time to COMPLETED", done ? Verdict.REPORTED : Verdict.MISSED,
                Double.isNaN(createMs) ? "the same service's creation did not reach steady state within the budget"
                        : String.format("the same service's CreateService to COMPLETED with %,d running: %,.1f s",
                        replicas, createMs / 1_000),
                done && !Double.isNaN(createMs) ? String.format("%.2f×", rolloutMs / createMs) : "-",
                String.format("PRIMARY deployment on the new revision COMPLETED and runningCount ≥ desiredCount; "
                        + "%d DescribeServices polls, each %d ms after the last answer; last seen: %s", rollout.polls(),
                        rollout.pollMillis(), last == null ? "nothing" : String.format(
                                "running %,d, pending %,d, %d deployments, %s", last.runningCount(),
                                last.pendingCount(), last.deployments(), last.primaryRolloutState())));
    }

    static Figure rolloutPeak(int replicas, int maximumPercent, int highest, ServiceBenchmark.RolloutWatch rollout,
            boolean completed) {
        int limit = replicas * maximumPercent / 100;
        return new Figure("(b) highest count of the service's tasks at once during the rollout",
                String.format("%,d (%.0f%%)", highest, 100.0 * highest / replicas),
                String.format("≤ %,d (maximumPercent %d)", limit, maximumPercent),
                Figure.atMost(highest, limit), "", "",
                String.format("tasks on berth.tasks not yet reported STOPPED on berth.task-events, checked after "
                        + "every record; lowest runningCount in DescribeServices meanwhile: %,d (minimumHealthyPercent "
                        + "100: ≥ %,d)%s", rollout.lowestRunning(), replicas,
                        completed ? "" : "; the rollout did not complete, so this covers only its part"));
    }

    private static String stopped(Duration budget, int done, int of) {
        return String.format("STOPPED after the %d s budget: %,d of %,d", budget.toSeconds(), done, of);
    }
}
