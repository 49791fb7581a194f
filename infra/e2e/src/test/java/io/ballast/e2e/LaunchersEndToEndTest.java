package io.ballast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The launchers (API.md "High availability of Ballast itself"): they run the packaged jars with their JVM defaults,
 * pass arguments through, honour JAVA_HOME and JAVA_OPTS (after the defaults, so an operator's setting wins).
 */
class LaunchersEndToEndTest {
    /** Any existing jar will do for a JVM that only prints its flags and version. */
    private static final String ANY_JAR = ManagedProcess.ROOT.resolve("data-plane/target/ballast-data-plane.jar").toString();
    private static final Path CONTROL_PLANE = ManagedProcess.ROOT.resolve("control-plane/bin/ballast-control-plane");

    @Test
    void theDataPlaneLauncherPassesArgumentsAndHonoursJavaOptsAfterItsDefaults() throws Exception {
        ManagedProcess help = ManagedProcess.startLauncher("launcher-dp-help", DataPlane.LAUNCHER,
                Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags -Xmx96m"), "--help");
        assertThat(help.awaitExit(Duration.ofSeconds(30))).isTrue();
        assertThat(help.exitValue()).as(help.output()).isZero();
        assertThat(help.output()).contains("usage:").contains("--drain-delay")
                .contains("-XX:MaxDirectMemorySize=67108864").contains("-XX:MaxHeapSize=100663296");

        ManagedProcess bad = ManagedProcess.startLauncher("launcher-dp-bad", DataPlane.LAUNCHER, Map.of(), "--event-loops", "many");
        assertThat(bad.awaitExit(Duration.ofSeconds(30))).isTrue();
        assertThat(bad.exitValue()).as("the JVM's own exit code").isEqualTo(2);
    }

    @Test
    void aMissingJavaHomeOrJarIsReportedNotIgnored() throws Exception {
        ManagedProcess noJava = ManagedProcess.startLauncher("launcher-no-java", DataPlane.LAUNCHER,
                Map.of("JAVA_HOME", "/nonexistent-jdk"), "--help");
        assertThat(noJava.awaitExit(Duration.ofSeconds(30))).isTrue();
        assertThat(noJava.exitValue()).isNotZero();
        assertThat(noJava.output()).contains("/nonexistent-jdk/bin/java");

        ManagedProcess noJar = ManagedProcess.startLauncher("launcher-cp-no-jar", CONTROL_PLANE,
                Map.of("BALLAST_CONTROL_PLANE_JAR", "/nonexistent/quarkus-run.jar"));
        assertThat(noJar.awaitExit(Duration.ofSeconds(30))).isTrue();
        assertThat(noJar.exitValue()).isEqualTo(1);
        assertThat(noJar.output()).contains("/nonexistent/quarkus-run.jar is missing");
    }

    @Test
    void theControlPlaneLauncherRunsTheJvmWithItsDefaults() throws Exception {
        ManagedProcess version = ManagedProcess.startLauncher("launcher-cp-flags", CONTROL_PLANE,
                Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags -version", "BALLAST_CONTROL_PLANE_JAR", ANY_JAR));
        assertThat(version.awaitExit(Duration.ofSeconds(30))).isTrue();
        assertThat(version.output()).contains("-XX:+UseG1GC").contains("-XX:MaxHeapSize=536870912");
    }
}
