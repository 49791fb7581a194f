package io.ballast.dataplane.routing;

import io.ballast.model.RouteActions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A header value with {@code ${…}} variables, split once into literal and variable parts. A value without
 * variables renders as itself (no allocation). What a variable stands for comes from the client (its Host, its
 * request id), so control characters in it are dropped: a rendered value can never carry CR or LF. Immutable
 * and thread-safe.
 */
final class HeaderTemplate {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-z_]+)}");

    private final String constant;
    private final String[] literals;
    private final int[] variables;

    private HeaderTemplate(String constant, String[] literals, int[] variables) {
        this.constant = constant;
        this.literals = literals;
        this.variables = variables;
    }

    /** {@code value} was validated: every variable is one of {@link RouteActions#VARIABLES}. */
    static HeaderTemplate of(String value) {
        Matcher m = VARIABLE.matcher(value);
        List<String> literals = new ArrayList<>();
        List<Integer> variables = new ArrayList<>();
        int from = 0;
        while (m.find()) {
            literals.add(value.substring(from, m.start()));
            variables.add(RouteActions.VARIABLES.indexOf(m.group(1)));
            from = m.end();
        }
        if (variables.isEmpty()) {
            return new HeaderTemplate(value, null, null);
        }
        literals.add(value.substring(from));
        return new HeaderTemplate(null, literals.toArray(String[]::new), variables.stream().mapToInt(Integer::intValue).toArray());
    }

    String render(RequestVars vars) {
        if (constant != null) {
            return constant;
        }
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < variables.length; i++) {
            sb.append(literals[i]);
            appendClean(sb, switch (variables[i]) {
                case 0 -> vars.clientIp();
                case 1 -> vars.requestId();
                case 2 -> vars.host();
                default -> vars.scheme();
            });
        }
        return sb.append(literals[variables.length]).toString();
    }

    private static void appendClean(StringBuilder sb, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != 0x7f) {
                sb.append(c);
            }
        }
    }
}
