package dev.berth.api;

import dev.berth.scheduler.EcsException;
import java.util.List;

/**
 * ECS list pagination: {@code maxResults} (1..100, 100 by default) and an opaque
 * {@code nextToken}, here the offset of the next item.
 */
public record Paging<T>(List<T> items, String nextToken) {

    public static final int MAX_RESULTS = 100;

    public static <T> Paging<T> of(List<T> all, Integer maxResults, String nextToken) {
        int size = maxResults == null ? MAX_RESULTS : maxResults;
        if (size < 1 || size > MAX_RESULTS) {
            throw EcsException.invalidParameter("Invalid 'maxResults': must be between 1 and " + MAX_RESULTS + ".");
        }
        int from;
        try {
            from = nextToken == null || nextToken.isEmpty() ? 0 : Integer.parseInt(nextToken);
        } catch (NumberFormatException e) {
            throw EcsException.invalidParameter("Invalid 'nextToken'.");
        }
        if (from < 0 || from > all.size()) {
            throw EcsException.invalidParameter("Invalid 'nextToken'.");
        }
        int to = Math.min(all.size(), from + size);
        return new Paging<>(List.copyOf(all.subList(from, to)), to < all.size() ? String.valueOf(to) : null);
    }
}
