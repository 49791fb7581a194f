package io.ballast.dataplane;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The build's version and this machine's host name, as reported to the control plane. */
public final class Version {
    private Version() {
    }

    /** {@code Implementation-Version} of the jar manifest, or {@code dev} when run from classes. */
    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The host name; may ask the resolver, so call it at start-up, not on an event loop. */
    public static String hostname() {
        String env = System.getenv("HOSTNAME");
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return env != null && !env.isBlank() ? env : "localhost";
        }
    }
}
