package dev.berth.scheduler.placement.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The ECS cluster query language: a hand-written recursive-descent parser over
 * {@link QueryLexer}'s tokens. Grammar, lowest precedence first:
 *
 * <pre>
 * expression := or END
 * or         := and { ("or" | "||") and }
 * and        := unary { ("and" | "&amp;&amp;") unary }
 * unary      := ("not" | "!") unary | "(" or ")" | comparison
 * comparison := subject operator [ value | "[" value { "," value } "]" ]
 * </pre>
 *
 * A comparison itself holds no parentheses, as ECS says; quote a value that needs one. Every
 * error is a {@link QuerySyntaxException} naming the character where it is.
 */
public final class ClusterQuery {

    /** Deeper nesting than any real expression; bounds the parser's recursion. */
    private static final int MAX_DEPTH = 64;

    private final String text;
    private final List<Token> tokens;
    private int next;
    private int depth;

    private ClusterQuery(String text) {
        this.text = text;
        this.tokens = QueryLexer.tokens(text);
    }

    /** Parses {@code text}; throws {@link QuerySyntaxException} when it is not a valid expression. */
    public static Expression parse(String text) {
        if (text == null || text.isBlank()) {
            throw new QuerySyntaxException(text == null ? "" : text, 0, "the expression is empty");
        }
        ClusterQuery parser = new ClusterQuery(text);
        Expression expression = parser.or();
        Token end = parser.peek();
        if (!end.is(Token.Kind.END)) {
            throw parser.error(end, "expected 'and', 'or' or the end, found " + end.shown());
        }
        return expression;
    }

    private Expression or() {
        Expression left = and();
        while (peek().isWord("or") || peek().isSymbol("||")) {
            next++;
            left = new Expression.Or(left, and());
        }
        return left;
    }

    private Expression and() {
        Expression left = unary();
        while (peek().isWord("and") || peek().isSymbol("&&")) {
            next++;
            left = new Expression.And(left, unary());
        }
        return left;
    }

    private Expression unary() {
        Token token = peek();
        if (++depth > MAX_DEPTH) {
            throw error(token, "the expression nests deeper than " + MAX_DEPTH + " levels");
        }
        try {
            if (token.isWord("not") || token.isSymbol("!")) {
                next++;
                return new Expression.Not(unary());
            }
            if (token.is(Token.Kind.OPEN_PAREN)) {
                next++;
                Expression inner = or();
                expect(Token.Kind.CLOSE_PAREN, "')'");
                return inner;
            }
            return comparison();
        } finally {
            depth--;
        }
    }

    private Expression comparison() {
        Token subjectToken = take();
        Subject subject = subjectToken.is(Token.Kind.WORD) ? Subject.of(subjectToken.text()) : null;
        if (subject == null) {
            throw error(subjectToken, "expected a subject (attribute:<name>, agentConnected, agentVersion, "
                    + "ec2InstanceId, registeredAt, runningTasksCount or task:group), found " + subjectToken.shown());
        }
        Token operatorToken = take();
        Operator operator = Operator.of(operatorToken).orElseThrow(
                () -> error(operatorToken, "expected an operator after " + subject + ", found " + operatorToken.shown()));
        if (!subject.accepts(operator)) {
            throw error(operatorToken, subject + " does not take the operator " + operatorToken.shown());
        }
        List<Object> values = new ArrayList<>();
        Pattern pattern = null;
        if (operator.takesList()) {
            values.addAll(list(subject));
        } else if (!operator.takesNoArgument()) {
            Token value = take();
            if (operator.positive() == Operator.MATCHES) {
                pattern = pattern(value);
            } else {
                values.add(value(subject, value));
            }
        }
        return new Expression.Comparison(subject, operator, values, pattern);
    }

    private List<Object> list(Subject subject) {
        expect(Token.Kind.OPEN_BRACKET, "'[' to open the list of values");
        List<Object> values = new ArrayList<>();
        values.add(value(subject, take()));
        while (peek().is(Token.Kind.COMMA)) {
            next++;
            values.add(value(subject, take()));
        }
        expect(Token.Kind.CLOSE_BRACKET, "',' or ']'");
        return values;
    }

    private Object value(Subject subject, Token token) {
        if (!token.is(Token.Kind.WORD) && !token.is(Token.Kind.QUOTED)) {
            throw error(token, "expected a value after the operator, found " + token.shown());
        }
        String value = token.text();
        return switch (subject.kind()) {
            case RUNNING_TASKS_COUNT -> count(token);
            case REGISTERED_AT -> date(token);
            case AGENT_VERSION -> {
                if (!QueryValues.isVersion(value)) {
                    throw error(token, "agentVersion takes a version such as 1.14.5, not " + token.shown());
                }
                yield value;
            }
            case AGENT_CONNECTED -> {
                String flag = value.toLowerCase(Locale.ROOT);
                if (!flag.equals("true") && !flag.equals("false")) {
                    throw error(token, "agentConnected takes true or false, not " + token.shown());
                }
                yield flag;
            }
            default -> value;
        };
    }

    private Long count(Token token) {
        try {
            return Long.parseLong(token.text());
        } catch (NumberFormatException e) {
            throw error(token, "runningTasksCount takes a whole number, not " + token.shown());
        }
    }

    private Instant date(Token token) {
        Instant date = QueryValues.date(token.text());
        if (date == null) {
            throw error(token, "registeredAt takes a date such as 2018-06-18 or 2018-06-18T22:28:28Z, not "
                    + token.shown());
        }
        return date;
    }

    private Pattern pattern(Token token) {
        if (!token.is(Token.Kind.WORD) && !token.is(Token.Kind.QUOTED)) {
            throw error(token, "expected a pattern after the operator, found " + token.shown());
        }
        try {
            return Pattern.compile(token.text());
        } catch (PatternSyntaxException e) {
            throw error(token, "not a Java regular expression (" + e.getDescription() + ")");
        }
    }

    private void expect(Token.Kind kind, String what) {
        Token token = take();
        if (!token.is(kind)) {
            throw error(token, "expected " + what + ", found " + token.shown());
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token token = tokens.get(next);
        if (!token.is(Token.Kind.END)) {
            next++;
        }
        return token;
    }

    private QuerySyntaxException error(Token token, String problem) {
        return new QuerySyntaxException(text, token.start(), problem);
    }
}
