package io.ballast.dataplane;

import io.ballast.dataplane.lifecycle.ShutdownHook;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.settings.SettingsException;
import io.ballast.dataplane.settings.SettingsParser;
import io.ballast.dataplane.tls.ControlPlaneTrust;
import io.ballast.dataplane.tls.TlsSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar ballast-data-plane.jar}: reads the settings (exit code 2 when one is wrong), starts the
 * data plane (exit code 1 when it cannot, e.g. a port is taken), and drains it on SIGTERM or Ctrl-C (through
 * a shutdown hook) or on {@code POST /drain}, then exits.
 */
public final class DataPlaneMain {
    private static final long START_TIMEOUT_SECONDS = 60;

    private DataPlaneMain() {
    }

    public static void main(String[] args) {
        // One line per record; must be set before the first logger is created.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n");
        }
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(SettingsParser.usage());
            return;
        }
        DataPlaneSettings settings;
        TlsSettings tls;
        ControlPlaneTrust cpTrust;
        try {
            SettingsParser parser = new SettingsParser(System.getenv(), Version.hostname(), Path.of(System.getProperty("user.home")),
                    Runtime.getRuntime().availableProcessors());
            settings = parser.parse(args);
            tls = TlsSettings.fromEnvironment(parser.values(args));
            cpTrust = ControlPlaneTrust.fromValues(parser.values(args), settings.controlPlaneUrls());
        } catch (SettingsException | IllegalArgumentException e) {
            System.err.println("ballast-data-plane: " + e.getMessage());
            System.exit(2);
            return;
        }
        DataPlane dataPlane;
        try {
            dataPlane = DataPlane.start(settings, tls, cpTrust).await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("ballast-data-plane: could not start: " + e);
            System.exit(1);
            return;
        }
        // SIGTERM / Ctrl-C run the drain inside a shutdown hook (the JVM waits for it); a drain started by
        // POST /drain ends the process itself once it has run.
        ShutdownHook.install(dataPlane.drainer(), settings.proxy().shutdownGrace());
        dataPlane.drainer().finished().onComplete(ar -> {
            Thread exit = new Thread(() -> System.exit(ar.succeeded() ? 0 : 1), "ballast-exit");
            exit.setDaemon(true);
            exit.start();
        });
    }
}
