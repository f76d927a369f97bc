package dev.berth.agent.introspection;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller's address, as the ECS agent limits its task metadata endpoint
 * (40 requests a second steady, bursts of 60, per caller IP): one container polling in a loop
 * gets 429s, and the endpoint's few threads stay free for the others. The buckets of at most
 * {@link #MAX_CALLERS} callers are kept, the least recently seen dropped first (a dropped
 * caller starts again with a full bucket).
 */
public final class CallerRate {

    /** The ECS agent's defaults (ECS_TASK_METADATA_RPS_LIMIT: "40,60"). */
    public static final CallerRate ECS_DEFAULT = new CallerRate(40, 60, System::nanoTime);
    static final int MAX_CALLERS = 1024;
    private static final double NANOS_PER_SECOND = 1e9;

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanos;
    private final Map<InetAddress, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
            return size() > MAX_CALLERS;
        }
    };

    CallerRate(double perSecond, int burst, LongSupplier nanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanos = nanos;
    }

    /** Whether {@code caller} may make a request now; takes one token when it may. */
    public synchronized boolean allow(InetAddress caller) {
        long now = nanos.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(caller, c -> new Bucket(burst, now));
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / NANOS_PER_SECOND * perSecond);
        bucket.at = now;
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }

    /** The answer to a caller past its rate, as JSON. */
    String refusal() {
        return "{\"Error\":\"Too many requests from this address: at most " + (long) perSecond + " a second, in "
                + "bursts of " + burst + ". Retry shortly.\"}";
    }

    private static final class Bucket {
        private double tokens;
        private long at;

        private Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
