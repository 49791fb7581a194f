package io.ballast.dataplane.tls;

import java.util.concurrent.atomic.AtomicReference;

/** The backend TLS in force, swapped whole when a snapshot is applied; read per new backend connection. Thread-safe. */
public final class BackendTlsStore {
    private final AtomicReference<BackendTlsContexts> current = new AtomicReference<>(BackendTlsContexts.NONE);

    public BackendTlsContexts current() {
        return current.get();
    }

    public void swap(BackendTlsContexts next) {
        current.set(next);
    }
}
