package io.aksheadroom.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Just enough PromQL for the checks: the operands of an alert condition, and Grafana's variables filled in. */
final class PromQl {

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final List<String> COMPARISONS = List.of("==", "!=", ">=", "<=", ">", "<");
    private static final List<String> SET_OPERATORS = List.of("and", "or", "unless");
    private static final List<String> MODIFIERS = List.of("bool", "on", "ignoring", "group_left", "group_right");

    private PromQl() {
    }

    /**
     * The operands of the comparisons and set operators at the top level of {@code expr}, number literals left out:
     * {@code a / b < 0.2 and on (x) c > 0} gives {@code a / b} and {@code c}. An alert expression returns nothing
     * while its condition does not hold; its operands must still return data, or the rule can never fire.
     */
    static List<String> operands(String expr) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        int i = 0;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = endOfString(expr, i);
                continue;
            }
            if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (depth == 0) {
                int length = operatorAt(expr, i);
                if (length > 0) {
                    parts.add(expr.substring(start, i));
                    i = skipModifiers(expr, i + length);
                    start = i;
                    continue;
                }
            }
            i++;
        }
        parts.add(expr.substring(start));
        return parts.stream().map(String::strip).filter(part -> !part.isEmpty() && !NUMBER.matcher(part).matches())
                .toList();
    }

    /** {@code expr} with Grafana's variables ({@code $name}, {@code ${name}}, {@code [[name]]}) replaced by values. */
    static String substitute(String expr, Map<String, String> values) {
        String result = expr;
        for (Map.Entry<String, String> value : values.entrySet()) {
            String name = value.getKey();
            result = result.replace("${" + name + "}", value.getValue()).replace("[[" + name + "]]", value.getValue())
                    .replaceAll("\\$" + Pattern.quote(name) + "(?![A-Za-z0-9_])",
                            java.util.regex.Matcher.quoteReplacement(value.getValue()));
        }
        return result;
    }

    private static int operatorAt(String expr, int i) {
        for (String op : COMPARISONS) {
            // =~ and !~ only occur inside label matchers, at depth > 0.
            if (expr.startsWith(op, i)) {
                return op.length();
            }
        }
        for (String word : SET_OPERATORS) {
            if (isWordAt(expr, i, word)) {
                return word.length();
            }
        }
        return 0;
    }

    private static int skipModifiers(String expr, int i) {
        int at = skipSpace(expr, i);
        boolean skipped = true;
        while (skipped) {
            skipped = false;
            for (String word : MODIFIERS) {
                if (isWordAt(expr, at, word)) {
                    at = skipSpace(expr, at + word.length());
                    if (!word.equals("bool") && at < expr.length() && expr.charAt(at) == '(') {
                        at = skipSpace(expr, expr.indexOf(')', at) + 1);
                    }
                    skipped = true;
                }
            }
        }
        return at;
    }

    private static boolean isWordAt(String expr, int i, String word) {
        return expr.startsWith(word, i) && (i == 0 || !isNameChar(expr.charAt(i - 1)))
                && (i + word.length() == expr.length() || !isNameChar(expr.charAt(i + word.length())));
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }

    private static int skipSpace(String expr, int i) {
        while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int endOfString(String expr, int i) {
        char quote = expr.charAt(i);
        int j = i + 1;
        while (j < expr.length() && expr.charAt(j) != quote) {
            j += expr.charAt(j) == '\\' && quote != '`' ? 2 : 1;
        }
        return j + 1;
    }
}
