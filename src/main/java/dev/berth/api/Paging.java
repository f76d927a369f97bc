package dev.berth.api;

import dev.berth.scheduler.EcsException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * ECS list pagination: {@code maxResults} (1..100, 100 by default) and an opaque
 * {@code nextToken}. The token is the sort key of the last item returned, not an offset, so
 * paging stays right while items are added or removed between calls: the next page starts
 * after that key, wherever it now is, and nothing is returned twice or skipped over.
 */
public record Paging<T>(List<T> items, String nextToken) {

    public static final int MAX_RESULTS = 100;
    private static final String VERSION = "1:";

    /** A list sorted by the items themselves, ascending (names, and ARNs that sort as their names). */
    public static Paging<String> of(List<String> all, Integer maxResults, String nextToken) {
        return of(all, Function.identity(), false, maxResults, nextToken);
    }

    /**
     * @param all        the whole list, sorted by {@code key} (descending when {@code descending})
     * @param key        the item's sort key: unique, and in the list's order
     */
    public static <T> Paging<T> of(List<T> all, Function<T, String> key, boolean descending, Integer maxResults,
            String nextToken) {
        int size = maxResults == null ? MAX_RESULTS : maxResults;
        if (size < 1 || size > MAX_RESULTS) {
            throw EcsException.invalidParameter("Invalid 'maxResults': must be between 1 and " + MAX_RESULTS + ".");
        }
        int from = 0;
        if (nextToken != null && !nextToken.isEmpty()) {
            String after = decode(nextToken);
            while (from < all.size() && !isAfter(key.apply(all.get(from)), after, descending)) {
                from++;
            }
        }
        int to = Math.min(all.size(), from + size);
        String next = to < all.size() && to > from ? encode(key.apply(all.get(to - 1))) : null;
        return new Paging<>(List.copyOf(all.subList(from, to)), next);
    }

    private static boolean isAfter(String itemKey, String cursor, boolean descending) {
        int order = itemKey.compareTo(cursor);
        return descending ? order < 0 : order > 0;
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((VERSION + key).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(VERSION)) {
                return text.substring(VERSION.length());
            }
        } catch (IllegalArgumentException e) {
            // falls through: not a token this API gave out
        }
        throw EcsException.invalidParameter("Invalid 'nextToken': pass the nextToken of the previous answer as it came.");
    }
}
