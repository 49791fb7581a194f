package io.ballast.controlplane.revision;

import jakarta.enterprise.context.RequestScoped;

/**
 * The revision in effect after this request's configuration write: the one it recorded, or the
 * latest one when the write changed nothing. Read by the REST layer to answer
 * {@code X-Ballast-Revision} and to wait for the fleet to converge. Null when the request wrote nothing.
 */
@RequestScoped
public class WriteOutcome {
    private Long revision;

    public Long revision() {
        return revision;
    }

    void revision(long number) {
        this.revision = number;
    }
}
