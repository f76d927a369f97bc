package dev.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.e2e.BerthProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figure (d): clients run RunTask through every replica, as behind a load balancer without
 * health checks, each with a fresh clientToken (also its startedBy) and retrying the same token
 * on any error, until it is answered. The leader is killed with SIGKILL in the middle. Then:
 * how long no write succeeded, whether every answered task is in DescribeTasks, and whether
 * any token placed more than one task.
 */
final class FailoverDrill {

    /** What the drill saw. */
    record Result(double recoveryMillis, int tokensAnswered, int tokensRetried, int lost, int duplicates,
            int strangers, int unseen, int tasksListed) {
    }

    private static final Duration RETRY_PAUSE = Duration.ofMillis(100);
    private static final Duration TOKEN_PATIENCE = Duration.ofSeconds(90);

    private final List<BerthProcess> replicas;
    private final List<EcsApi> apis;
    private final HollowAgents agents;
    private final String cluster;
    private final Map<String, String> answered = new ConcurrentHashMap<>();
    private final AtomicInteger retried = new AtomicInteger();
    private final AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong recoveredAt = new AtomicLong(Long.MAX_VALUE);
    private volatile boolean running = true;

    FailoverDrill(List<BerthProcess> replicas, HollowAgents agents, String cluster) {
        this.replicas = replicas;
        this.apis = replicas.stream().map(SchedulerLauncher::api).toList();
        this.agents = agents;
        this.cluster = cluster;
    }

    Result run(int leader, int clients, Duration before, Duration after) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int first = c;
            workers.add(pool.submit(() -> {
                runTasks(first);
                return null;
            }));
        }
        BenchWait.pace(before);
        killedAt.set(System.nanoTime());
        replicas.get(leader).kill();
        BenchWait.until(TOKEN_PATIENCE, Duration.ofMillis(50), () -> recoveredAt.get() != Long.MAX_VALUE);
        BenchWait.pace(after);
        running = false;
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        double recovery = recoveredAt.get() == Long.MAX_VALUE ? Double.NaN
                : (recoveredAt.get() - killedAt.get()) / 1e6;
        return verify(apis.get((leader + 1) % apis.size()), recovery);
    }

    private void runTasks(int first) throws InterruptedException {
        int replica = first;
        while (running) {
            String token = UUID.randomUUID().toString();
            ObjectNode request = BenchCluster.runTask(cluster, 1).put("clientToken", token).put("startedBy", token);
            long deadline = System.nanoTime() + TOKEN_PATIENCE.toNanos();
            boolean retry = false;
            while (System.nanoTime() < deadline) {
                long sent = System.nanoTime();
                try {
                    JsonNode answer = apis.get(replica % apis.size()).call("RunTask", request);
                    if (sent > killedAt.get()) {
                        recoveredAt.accumulateAndGet(System.nanoTime(), Math::min);
                    }
                    answer.path("tasks").forEach(t -> answered.put(token, t.path("taskArn").asText()));
                    break;
                } catch (EcsCallException e) {
                    retry = true;
                    replica++;
                    BenchWait.pace(RETRY_PAUSE);
                }
            }
            if (retry) {
                retried.incrementAndGet();
            }
        }
    }

    private Result verify(EcsApi survivor, double recovery) throws Exception {
        List<String> answeredArns = new ArrayList<>(answered.values());
        Map<String, JsonNode> described = describe(survivor, answeredArns);
        int lost = (int) answeredArns.stream().filter(arn -> !described.containsKey(arn)).count();
        List<String> listed = survivor.listAll("ListTasks", EcsApi.body().put("cluster", cluster).put("maxResults", 100),
                "taskArns");
        Map<String, Integer> perToken = new HashMap<>();
        for (JsonNode task : describe(survivor, listed).values()) {
            perToken.merge(task.path("startedBy").asText(), 1, Integer::sum);
        }
        int duplicates = perToken.values().stream().mapToInt(n -> n - 1).sum();
        int strangers = (int) perToken.keySet().stream().filter(t -> !answered.containsKey(t)).count();
        int unseen = agents.unseen(answeredArns.stream().map(BenchCluster::taskId).toList()).size();
        return new Result(recovery, answered.size(), retried.get(), lost, duplicates, strangers, unseen,
                listed.size());
    }

    private Map<String, JsonNode> describe(EcsApi api, List<String> arns) throws EcsCallException {
        Map<String, JsonNode> found = new HashMap<>();
        for (int from = 0; from < arns.size(); from += 100) {
            ObjectNode request = EcsApi.body().put("cluster", cluster);
            arns.subList(from, Math.min(arns.size(), from + 100)).forEach(request.putArray("tasks")::add);
            for (JsonNode task : api.call("DescribeTasks", request).path("tasks")) {
                found.put(task.path("taskArn").asText(), task);
            }
        }
        return found;
    }
}
