package dev.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sweeps DescribeContainerInstances over every instance of the cluster (by instance id, which
 * the API takes as well as an ARN), again and again while a figure is measured, and remembers
 * every instance ever shown {@code agentConnected=false} and every instance missing from an
 * answer.
 */
final class ConnectivityWatch implements Runnable {

    private static final int PAGE = 100;

    private final EcsApi api;
    private final String cluster;
    private final List<String> instances;
    private final Set<String> disconnected = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sweeps = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private volatile boolean running = true;

    ConnectivityWatch(EcsApi api, String cluster, List<String> instances) {
        this.api = api;
        this.cluster = cluster;
        this.instances = instances;
    }

    @Override
    public void run() {
        while (running) {
            for (int from = 0; running && from < instances.size(); from += PAGE) {
                describe(instances.subList(from, Math.min(instances.size(), from + PAGE)));
            }
            if (running) {
                sweeps.incrementAndGet();
            }
        }
    }

    private void describe(List<String> page) {
        ObjectNode request = EcsApi.body().put("cluster", cluster);
        page.forEach(request.putArray("containerInstances")::add);
        try {
            JsonNode answer = api.call("DescribeContainerInstances", request);
            for (JsonNode instance : answer.path("containerInstances")) {
                if (!instance.path("agentConnected").asBoolean(false)) {
                    disconnected.add(instance.path("containerInstanceArn").asText());
                }
            }
            answer.path("failures").forEach(f -> disconnected.add(f.path("arn").asText()));
        } catch (EcsCallException e) {
            errors.incrementAndGet();
        }
    }

    void stop() {
        running = false;
    }

    /** Complete sweeps over every instance. */
    int sweeps() {
        return sweeps.get();
    }

    /** Instances ever shown disconnected or missing. */
    Set<String> disconnected() {
        return Set.copyOf(disconnected);
    }

    int errors() {
        return errors.get();
    }
}
