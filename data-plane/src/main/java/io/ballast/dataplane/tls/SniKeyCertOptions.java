package io.ballast.dataplane.tls;

import io.netty.handler.ssl.util.SimpleKeyManagerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import java.security.KeyStore;
import java.util.function.Function;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.ManagerFactoryParameters;

/**
 * Vert.x key options backed by one {@link SniKeyManager} (Vert.x's own {@code KeyCertOptions.wrap}
 * needs SLF4J, which the data plane does not ship). No per-name mapper: the key manager chooses by SNI.
 */
final class SniKeyCertOptions implements KeyCertOptions {
    private final SniKeyManager keyManager;

    SniKeyCertOptions(SniKeyManager keyManager) {
        this.keyManager = keyManager;
    }

    @Override
    public KeyCertOptions copy() {
        return this;
    }

    @Override
    public KeyManagerFactory getKeyManagerFactory(Vertx vertx) {
        return new SimpleKeyManagerFactory() {
            @Override
            protected void engineInit(KeyStore keyStore, char[] password) {
            }

            @Override
            protected void engineInit(ManagerFactoryParameters parameters) {
            }

            @Override
            protected KeyManager[] engineGetKeyManagers() {
                return new KeyManager[] {keyManager};
            }
        };
    }

    @Override
    public Function<String, KeyManagerFactory> keyManagerFactoryMapper(Vertx vertx) {
        return null;
    }
}
