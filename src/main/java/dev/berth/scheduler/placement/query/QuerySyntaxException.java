package dev.berth.scheduler.placement.query;

import dev.berth.scheduler.placement.PlacementInputException;

/**
 * A cluster query expression that cannot be parsed, or that uses an operator or argument its
 * subject does not take. {@link #position()} is the 1-based character where the problem is.
 */
public final class QuerySyntaxException extends PlacementInputException {

    private final int position;

    QuerySyntaxException(String expression, int index, String problem) {
        super("Invalid expression '" + expression + "': " + problem + " at character " + (index + 1) + ".");
        this.position = index + 1;
    }

    /** 1-based character of {@code expression} where the problem is. */
    public int position() {
        return position;
    }
}
