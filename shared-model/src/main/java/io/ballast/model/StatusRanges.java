package io.ballast.model;

/** Parses status lists such as {@code 200-399} or {@code 200,204,300-302}. */
public final class StatusRanges {
    private StatusRanges() {
    }

    /** True when the text is a well-formed list of statuses and ranges between 100 and 599. */
    public static boolean isValid(String ranges) {
        if (ranges == null || ranges.isBlank()) {
            return false;
        }
        for (String part : ranges.split(",")) {
            int[] bounds = bounds(part.trim());
            if (bounds == null || bounds[0] < 100 || bounds[1] > 599 || bounds[0] > bounds[1]) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code status} is inside one of the ranges; false for a malformed list. */
    public static boolean contains(String ranges, int status) {
        for (String part : ranges.split(",")) {
            int[] bounds = bounds(part.trim());
            if (bounds != null && status >= bounds[0] && status <= bounds[1]) {
                return true;
            }
        }
        return false;
    }

    private static int[] bounds(String part) {
        try {
            int dash = part.indexOf('-');
            if (dash < 0) {
                int single = Integer.parseInt(part);
                return new int[] {single, single};
            }
            return new int[] {Integer.parseInt(part.substring(0, dash).trim()), Integer.parseInt(part.substring(dash + 1).trim())};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
