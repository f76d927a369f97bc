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
 * after that key, wherever it now is, and nothing is returned twice or skipped over. It
 * names the operation that gave it out: another operation refuses it, as ECS does, rather
 * than answer an empty page or start again from the first.
 */
public record Paging<T>(List<T> items, String nextToken) {

    public static final int MAX_RESULTS = 100;
    private static final String VERSION = "2:";
    private static final char AFTER_OPERATION = '\u0000';

    /** A list sorted by the items themselves, ascending (names, and ARNs that sort as their names). */
    public static Paging<String> of(String operation, List<String> all, Integer maxResults, String nextToken) {
        return of(operation, all, Function.identity(), false, maxResults, nextToken);
    }

    /**
     * @param operation  the ECS operation that pages: its tokens are for it alone
     * @param all        the whole list, sorted by {@code key} (descending when {@code descending})
     * @param key        the item's sort key: unique, and in the list's order
     */
    public static <T> Paging<T> of(String operation, List<T> all, Function<T, String> key, boolean descending,
            Integer maxResults, String nextToken) {
        int size = maxResults == null ? MAX_RESULTS : maxResults;
        if (size < 1 || size > MAX_RESULTS) {
            throw EcsException.invalidParameter("Invalid 'maxResults': must be between 1 and " + MAX_RESULTS + ".");
        }
        int from = 0;
        if (nextToken != null && !nextToken.isEmpty()) {
            String after = decode(operation, nextToken);
            while (from < all.size() && !isAfter(key.apply(all.get(from)), after, descending)) {
                from++;
            }
        }
        int to = Math.min(all.size(), from + size);
        String next = to < all.size() && to > from ? encode(operation, key.apply(all.get(to - 1))) : null;
        return new Paging<>(List.copyOf(all.subList(from, to)), next);
    }

    private static boolean isAfter(String itemKey, String cursor, boolean descending) {
        int order = itemKey.compareTo(cursor);
        return descending ? order < 0 : order > 0;
    }

    private static String encode(String operation, String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((VERSION + operation + AFTER_OPERATION + key)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String operation, String token) {
        String prefix = VERSION + operation + AFTER_OPERATION;
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(prefix)) {
                return text.substring(prefix.length());
            }
        } catch (IllegalArgumentException e) {
            // falls through: not a token this API gave out
        }
        throw EcsException.invalidParameter("Invalid 'nextToken': it is not one that " + operation + " gave out; "
                + "pass the nextToken of the previous " + operation + " answer as it came.");
    }
}
