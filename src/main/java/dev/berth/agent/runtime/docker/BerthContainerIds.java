package dev.berth.agent.runtime.docker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of containers known to carry the Berth labels. Sound to keep because Docker never
 * changes a container's labels and never gives an id twice. Bounded: past {@code bound} ids
 * the one used least recently is let go, and asking about it again costs one inspect.
 */
final class BerthContainerIds {

    /** More containers than a host runs at once, so a running task's ids are never let go. */
    static final int DEFAULT_BOUND = 8192;

    private final Map<String, Boolean> ids;

    BerthContainerIds(int bound) {
        this.ids = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > bound;
            }
        };
    }

    synchronized void add(String id) {
        ids.put(id, Boolean.TRUE);
    }

    synchronized boolean contains(String id) {
        return ids.get(id) != null;
    }

    synchronized void remove(String id) {
        ids.remove(id);
    }
}
