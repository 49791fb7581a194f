package io.ballast.dataplane.tls;

import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import javax.net.ssl.SSLException;

/**
 * What a TLS listener puts first on every accepted connection: an SNI gate that refuses names no certificate
 * covers with {@code unrecognized_name}, then the TLS engine of one shared {@link SslContext}. Thread-safe.
 */
public final class TlsAcceptor {
    private static final System.Logger LOG = System.getLogger(TlsAcceptor.class.getName());
    private final CertificateStore store;
    private final SslContext context;
    private final SessionTickets tickets;

    private TlsAcceptor(CertificateStore store, SslContext context, SessionTickets tickets) {
        this.store = store;
        this.context = context;
        this.tickets = tickets;
    }

    /**
     * An acceptor serving the certificates of {@code store} as it is at each handshake, issuing and accepting the
     * fleet's session tickets ({@code tickets}).
     */
    public static TlsAcceptor of(CertificateStore store, TlsSettings settings, SessionTickets tickets) throws SSLException {
        LOG.log(System.Logger.Level.INFO, TlsContexts.openSslAvailable()
                ? "TLS engine: BoringSSL through netty-tcnative (" + io.netty.handler.ssl.OpenSsl.versionString() + "), " + settings.protocols()
                : "TLS engine: the JDK's (netty-tcnative did not load: " + io.netty.handler.ssl.OpenSsl.unavailabilityCause() + "), "
                        + settings.protocols());
        SslContext context = TlsContexts.server(store, settings);
        tickets.register(context);
        return new TlsAcceptor(store, context, tickets);
    }

    /**
     * Frees the native context once the listener is closed (BoringSSL contexts are reference-counted, see
     * {@link TlsContexts}); connections still open keep it alive through their engines until they close.
     */
    public void release() {
        tickets.unregister(context);
        io.netty.util.ReferenceCountUtil.release(context);
    }

    /** The handler for a new connection; it closes a connection whose ClientHello does not come within the timeout. */
    public ChannelHandler newHandler(long handshakeTimeoutMillis) {
        return new SniGate(store, context, handshakeTimeoutMillis);
    }

    public SslContext context() {
        return context;
    }
}
