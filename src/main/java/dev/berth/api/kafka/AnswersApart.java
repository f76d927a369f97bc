package dev.berth.api.kafka;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The answers of requests whose plans committed without them (split off before a wait, or
 * past the writer's hold) and whose own transaction then failed: the record is read again,
 * its marker says that it acted, and this replica still knows what it answered. Kept until
 * the answer commits, by request marker and request hash. Bounded by {@link #MAX_ANSWERS}
 * and {@link #MAX_CHARS}; past either, the oldest is forgotten, and its record, read again,
 * is answered that it acted and its answer was lost, as on another replica. Thread-safe.
 */
final class AnswersApart {

    /** Answers kept at most: each is a request that acted and whose answer failed, so few are. */
    static final int MAX_ANSWERS = 1_024;
    /** Characters of answers kept at most (16 Mi): a response may take up to 512 KiB. */
    static final long MAX_CHARS = 16L * 1024 * 1024;

    private record Kept(String requestHash, String response) {
    }

    private final Map<String, Kept> answers = new LinkedHashMap<>();
    private long chars;

    /** Keeps the answer of the request with this marker until {@link #forget}. */
    synchronized void keep(String marker, String requestHash, String response) {
        forget(marker);
        answers.put(marker, new Kept(requestHash, response));
        chars += response.length();
        Iterator<Kept> oldest = answers.values().iterator();
        while (answers.size() > MAX_ANSWERS || chars > MAX_CHARS) {
            chars -= oldest.next().response().length();
            oldest.remove();
        }
    }

    /** The answer kept for the request with this marker and hash. */
    synchronized Optional<String> answer(String marker, String requestHash) {
        Kept kept = answers.get(marker);
        return kept != null && kept.requestHash().equals(requestHash) ? Optional.of(kept.response())
                : Optional.empty();
    }

    /** The request's answer is committed, or its plans were not: nothing to keep. */
    synchronized void forget(String marker) {
        Kept kept = answers.remove(marker);
        if (kept != null) {
            chars -= kept.response().length();
        }
    }
}
