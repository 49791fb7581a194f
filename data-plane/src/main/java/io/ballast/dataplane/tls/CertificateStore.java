package io.ballast.dataplane.tls;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The server certificates in force, swapped whole when a snapshot is applied. Engines read
 * {@link #current()} on each handshake or listen for swaps (e.g. to rebuild an SNI mapping).
 * Thread-safe.
 */
public final class CertificateStore {
    private final AtomicReference<ServerCertificates> current = new AtomicReference<>(ServerCertificates.NONE);
    /** The set before the last swap: a handshake that chose its alias just before a swap still finds its certificate. */
    private volatile ServerCertificates previous = ServerCertificates.NONE;
    private final List<Consumer<ServerCertificates>> listeners = new CopyOnWriteArrayList<>();

    public ServerCertificates current() {
        return current.get();
    }

    /** Installs {@code next} and tells every listener (on the calling thread). */
    public void swap(ServerCertificates next) {
        ServerCertificates before = current.getAndSet(next);
        previous = before;
        if (before != next) {
            listeners.forEach(l -> l.accept(next));
        }
    }

    /** The certificate of {@code alias} in the current set, else in the previous one; null when in neither. */
    public ServerCertificate byAlias(String alias) {
        ServerCertificate c = current.get().byAlias(alias);
        return c != null ? c : previous.byAlias(alias);
    }

    public void onSwap(Consumer<ServerCertificates> listener) {
        listeners.add(listener);
    }
}
