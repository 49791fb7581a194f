package io.ballast.controlplane.certificate;

import io.ballast.controlplane.revision.PublishedSnapshot;
import io.ballast.controlplane.revision.RevisionQueries;
import io.ballast.model.Certificate;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.tls.PemChain;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code ballast_certificate_expiry_timestamp_seconds{name}}: when the leaf of each certificate in the newest
 * revision expires (Unix seconds), so an alert can compare it with {@code time()}. Updated at once after a commit
 * on this instance and every 30 s from the database (that is how a write through another instance arrives, and
 * how the first value is set). The timer fires on the event loop and hands the read to a worker. Thread-safe.
 */
@ApplicationScoped
public class CertificateExpiryMetrics {
    private static final Logger LOG = Logger.getLogger(CertificateExpiryMetrics.class);
    private static final long EVERY_MILLIS = 30_000;

    private final Vertx vertx;
    private final RevisionQueries revisions;
    private final MultiGauge gauge;
    private long timerId = -1;

    CertificateExpiryMetrics(Vertx vertx, RevisionQueries revisions, MeterRegistry registry) {
        this.vertx = vertx;
        this.revisions = revisions;
        this.gauge = MultiGauge.builder("ballast.certificate.expiry.timestamp.seconds")
                .description("When each certificate's leaf expires (Unix time)").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        vertx.executeBlocking(() -> {
            refresh();
            return null;
        }, false);
        timerId = vertx.setPeriodic(EVERY_MILLIS, id -> vertx.executeBlocking(() -> {
            refresh();
            return null;
        }, false));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) PublishedSnapshot snapshot) {
        show(snapshot.config());
    }

    private void refresh() {
        try {
            revisions.latestConfig().ifPresent(p -> show(p.config()));
        } catch (RuntimeException e) {
            // The database may be down; the gauge keeps its last values until the next round.
            LOG.debugf("Certificate expiry metrics not refreshed: %s", e.getMessage());
        }
    }

    private void show(ConfigSnapshot config) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Certificate c : config.certificates()) {
            try {
                double notAfter = PemChain.parse(c.certificate()).get(0).getNotAfter().toInstant().getEpochSecond();
                rows.add(MultiGauge.Row.of(Tags.of("name", c.name()), notAfter));
            } catch (IllegalArgumentException e) {
                LOG.debugf("Certificate %s has no parsable leaf: %s", c.name(), e.getMessage());
            }
        }
        gauge.register(rows, true);
    }
}
