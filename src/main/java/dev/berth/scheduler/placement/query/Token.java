package dev.berth.scheduler.placement.query;

/** One lexeme of a cluster query expression, with where it starts (0-based). */
record Token(Kind kind, String text, int start) {

    enum Kind {
        /** A bare word: a subject, a word operator, a connective or an unquoted value. */
        WORD,
        /** A value in single or double quotes, without them. */
        QUOTED,
        /** A symbolic operator: == != > >= < <= =~ !~ && || ! !exists !in. */
        SYMBOL,
        OPEN_PAREN,
        CLOSE_PAREN,
        OPEN_BRACKET,
        CLOSE_BRACKET,
        COMMA,
        END
    }

    boolean is(Kind wanted) {
        return kind == wanted;
    }

    boolean isWord(String word) {
        return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    /** How an error message shows this token. */
    String shown() {
        return kind == Kind.END ? "the end" : "'" + text + "'";
    }
}
