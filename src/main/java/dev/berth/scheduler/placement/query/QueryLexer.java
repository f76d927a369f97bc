package dev.berth.scheduler.placement.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a cluster query expression into {@link Token}s. A bare word runs until whitespace, a
 * bracket, a parenthesis, a comma, a quote or one of {@code = ! < >}, so that
 * {@code runningTasksCount<10} reads as three tokens; {@code &&} and {@code ||} must stand apart
 * from their neighbours (a bare regular expression may contain {@code |}). Quotes (single or
 * double) take everything up to the matching quote, which is how a value holds a parenthesis.
 */
final class QueryLexer {

    private static final String[] SYMBOLS = {"==", "=~", "!=", "!~", ">=", "<=", "&&", "||", ">", "<", "!"};
    private static final String WORD_STOPS = "()[],'\"=!<>";

    private final String text;
    private int index;

    private QueryLexer(String text) {
        this.text = text;
    }

    static List<Token> tokens(String text) {
        return new QueryLexer(text).all();
    }

    private List<Token> all() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            while (index < text.length() && Character.isWhitespace(text.charAt(index))) {
                index++;
            }
            if (index >= text.length()) {
                tokens.add(new Token(Token.Kind.END, "", text.length()));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private Token next() {
        int start = index;
        char c = text.charAt(index);
        switch (c) {
            case '(' -> { index++; return new Token(Token.Kind.OPEN_PAREN, "(", start); }
            case ')' -> { index++; return new Token(Token.Kind.CLOSE_PAREN, ")", start); }
            case '[' -> { index++; return new Token(Token.Kind.OPEN_BRACKET, "[", start); }
            case ']' -> { index++; return new Token(Token.Kind.CLOSE_BRACKET, "]", start); }
            case ',' -> { index++; return new Token(Token.Kind.COMMA, ",", start); }
            case '\'', '"' -> { return quoted(c); }
            default -> {
                return "=!<>&|".indexOf(c) >= 0 ? symbol() : word();
            }
        }
    }

    private Token quoted(char quote) {
        int start = index;
        int end = text.indexOf(quote, start + 1);
        if (end < 0) {
            throw new QuerySyntaxException(text, start, "the quote is never closed");
        }
        index = end + 1;
        return new Token(Token.Kind.QUOTED, text.substring(start + 1, end), start);
    }

    private Token symbol() {
        int start = index;
        for (String word : new String[] {"!exists", "!in"}) {
            if (text.startsWith(word, start) && endsWord(start + word.length())) {
                index = start + word.length();
                return new Token(Token.Kind.SYMBOL, word, start);
            }
        }
        for (String symbol : SYMBOLS) {
            if (text.startsWith(symbol, start)) {
                index = start + symbol.length();
                return new Token(Token.Kind.SYMBOL, symbol, start);
            }
        }
        throw new QuerySyntaxException(text, start, "unknown operator '" + text.charAt(start) + "'");
    }

    private boolean endsWord(int at) {
        return at >= text.length() || Character.isWhitespace(text.charAt(at)) || WORD_STOPS.indexOf(text.charAt(at)) >= 0;
    }

    private Token word() {
        int start = index;
        while (index < text.length() && !endsWord(index)) {
            index++;
        }
        return new Token(Token.Kind.WORD, text.substring(start, index), start);
    }
}
