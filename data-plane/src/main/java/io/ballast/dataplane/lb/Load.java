package io.ballast.dataplane.lb;

/** Compares the weighted load {@code (inFlight + 1) / weight} of two endpoints without dividing. */
final class Load {
    private Load() {
    }

    /** Negative when {@code a} is less loaded than {@code b}, zero when equal. */
    static int compare(Endpoint a, Endpoint b) {
        // (ia+1)/wa < (ib+1)/wb  <=>  (ia+1)*wb < (ib+1)*wa, weights being positive.
        long left = (a.inFlight() + 1L) * Math.max(1, b.weight());
        long right = (b.inFlight() + 1L) * Math.max(1, a.weight());
        return Long.compare(left, right);
    }
}
