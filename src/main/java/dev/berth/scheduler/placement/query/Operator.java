package dev.berth.scheduler.placement.query;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The comparison operators of the cluster query language, each with its symbol and its word. */
public enum Operator {
    EQUALS("==", "equals"),
    NOT_EQUALS("!=", "not_equals"),
    GREATER_THAN(">", "greater_than"),
    GREATER_THAN_EQUAL(">=", "greater_than_equal"),
    LESS_THAN("<", "less_than"),
    LESS_THAN_EQUAL("<=", "less_than_equal"),
    EXISTS("exists", "exists"),
    NOT_EXISTS("!exists", "not_exists"),
    IN("in", "in"),
    NOT_IN("!in", "not_in"),
    MATCHES("=~", "matches"),
    NOT_MATCHES("!~", "not_matches");

    static final List<Operator> ORDERING = List.of(GREATER_THAN, GREATER_THAN_EQUAL, LESS_THAN, LESS_THAN_EQUAL);

    private final String symbol;
    private final String word;

    Operator(String symbol, String word) {
        this.symbol = symbol;
        this.word = word;
    }

    static Optional<Operator> of(Token token) {
        for (Operator operator : values()) {
            if ((token.is(Token.Kind.SYMBOL) && token.text().equals(operator.symbol))
                    || (token.is(Token.Kind.WORD) && token.text().toLowerCase(Locale.ROOT).equals(operator.word))
                    || (token.is(Token.Kind.WORD) && token.text().equals(operator.symbol))) {
                return Optional.of(operator);
            }
        }
        return Optional.empty();
    }

    /** Whether the operator denies what its positive twin affirms (!=, !exists, !in, !~). */
    boolean isNegative() {
        return this == NOT_EQUALS || this == NOT_EXISTS || this == NOT_IN || this == NOT_MATCHES;
    }

    /** The positive twin of a negative operator; itself otherwise. */
    Operator positive() {
        return switch (this) {
            case NOT_EQUALS -> EQUALS;
            case NOT_EXISTS -> EXISTS;
            case NOT_IN -> IN;
            case NOT_MATCHES -> MATCHES;
            default -> this;
        };
    }

    boolean takesList() {
        return this == IN || this == NOT_IN;
    }

    boolean takesNoArgument() {
        return this == EXISTS || this == NOT_EXISTS;
    }

    public String symbol() {
        return symbol;
    }
}
