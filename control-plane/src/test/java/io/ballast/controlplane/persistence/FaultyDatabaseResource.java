package io.ballast.controlplane.persistence;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.util.Map;

/**
 * A real PostgreSQL that the control plane reaches only through a {@link FaultProxy}, so a test can
 * break its connections as a failover would. The test gets the proxy in a field marked
 * {@link InjectFaultProxy}; it also knows the direct URL, around the faults.
 */
public class FaultyDatabaseResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedPostgres postgres;
    private FaultProxy proxy;

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface InjectFaultProxy {
    }

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().start();
            proxy = new FaultProxy(postgres.getPort(), postgres.getJdbcUrl("postgres", "postgres"));
            // prepareThreshold=0: every statement's text is sent, so the proxy can tell a config write's COMMIT.
            String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?prepareThreshold=0";
            return Map.of(
                    "quarkus.datasource.jdbc.url", viaProxy,
                    "quarkus.datasource.username", "postgres",
                    "ballast.data-dir", Files.createTempDirectory("ballast-cp-faulty").toString(),
                    "ballast.admin-token", EmbeddedPostgresResource.ADMIN_TOKEN,
                    "ballast.dataplane-token", EmbeddedPostgresResource.DATAPLANE_TOKEN,
                    // Short enough that a test sees the 503 quickly, long enough to outlast a cut.
                    "ballast.db.retry.timeout", "8s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(proxy, new TestInjector.AnnotatedAndMatchesType(InjectFaultProxy.class, FaultProxy.class));
    }

    @Override
    public void stop() {
        try {
            if (proxy != null) {
                proxy.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
