package io.ballast.dataplane.address;

/** A host resolved (or is spelled as) an address the policy forbids; the message says which and why. */
public final class AddressForbiddenException extends RuntimeException {
    /** The reason code health reports carry ({@code unhealthy:AddressForbidden}) and access logs may use. */
    public static final String REASON = "AddressForbidden";

    public AddressForbiddenException(String message) {
        super(message, null, false, false);
    }
}
