package io.ballast.dataplane.address;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Resolves a host name to its addresses; blocking (the gate calls it on a worker thread). The system one
 * is {@link InetAddress#getAllByName}, which honours the JVM's DNS cache; tests give a scripted one to play
 * a DNS server that answers with a forbidden address.
 */
@FunctionalInterface
public interface Resolver {
    Resolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
