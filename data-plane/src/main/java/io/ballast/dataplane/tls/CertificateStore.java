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
    private final List<Consumer<ServerCertificates>> listeners = new CopyOnWriteArrayList<>();

    public ServerCertificates current() {
        return current.get();
    }

    /** Installs {@code next} and tells every listener (on the calling thread). */
    public void swap(ServerCertificates next) {
        ServerCertificates previous = current.getAndSet(next);
        if (previous != next) {
            listeners.forEach(l -> l.accept(next));
        }
    }

    public void onSwap(Consumer<ServerCertificates> listener) {
        listeners.add(listener);
    }
}
