package io.ballast.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests in {@code infra/deploy/kubernetes} (no cluster here): parsed into the
 * typed fabric8 model, they must agree with each other (ports, probes, selectors, Secret keys, the
 * drain timing) and with the applications' own settings; the image Dockerfiles must start the
 * launchers with the ports the manifests use; and yamllint (Debian) must accept every deploy file.
 */
class KubernetesManifestsTest {
    private static final Path DEPLOY = ManagedProcess.ROOT.resolve("infra/deploy");
    private static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static List<HasMetadata> resources;

    @BeforeAll
    static void parse() throws IOException {
        String kustomization = Files.readString(KUBERNETES.resolve("kustomization.yaml"));
        resources = new ArrayList<>();
        Matcher listed = Pattern.compile("(?m)^  - (\\S+\\.yaml)$").matcher(kustomization);
        while (listed.find()) {
            String file = Files.readString(KUBERNETES.resolve(listed.group(1)));
            for (String document : file.split("(?m)^---$")) {
                if (!document.strip().isEmpty() && !document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                    try (InputStream in = new java.io.ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8))) {
                        resources.add(YAML.unmarshal(in));
                    }
                }
            }
        }
        try (var files = Files.list(KUBERNETES)) {
            long manifests = files.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).count();
            assertThat(listed.reset().results().count()).as("every manifest is listed in kustomization.yaml").isEqualTo(manifests);
        }
    }

    @Test
    void theControlPlaneRunsTwiceWithHealthProbesOnItsPortAndItsSecretsFromSecrets() throws IOException {
        Deployment cp = one(Deployment.class, "ballast-control-plane");
        assertThat(cp.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        Container c = cp.getSpec().getTemplate().getSpec().getContainers().get(0);
        int port = Integer.parseInt(applicationProperty("quarkus.http.port"));
        assertThat(containerPort(c, "http")).as("the control plane's quarkus.http.port").isEqualTo(port);
        assertThat(env(c, "QUARKUS_HTTP_PORT").getValue()).isEqualTo(Integer.toString(port));
        assertProbe(c, c.getReadinessProbe(), "/q/health/ready", port);
        assertProbe(c, c.getLivenessProbe(), "/q/health/live", port);
        assertProbe(c, c.getStartupProbe(), "/q/health/started", port);
        for (String secretEnv : List.of("BALLAST_ADMIN_TOKEN", "BALLAST_DATAPLANE_TOKEN", "BALLAST_DB_PASSWORD", "BALLAST_DB_USER")) {
            assertThat(env(c, secretEnv).getValue()).as(secretEnv + " has no literal value").isNull();
            assertThat(env(c, secretEnv).getValueFrom().getSecretKeyRef()).as(secretEnv + " comes from a Secret").isNotNull();
        }
        assertSecretKeysExist(c);
        assertSelectorsMatch(cp, "ballast-control-plane");
        assertThat(one(PodDisruptionBudget.class, "ballast-control-plane").getSpec().getMinAvailable().getIntVal())
                .as("one replica may be disrupted at a time").isEqualTo(cp.getSpec().getReplicas() - 1);
    }

    @Test
    void theControlPlaneUsesTheReadWriteServiceOfTheCloudNativePgClusterWithItsGeneratedCredentials() {
        GenericKubernetesResource cluster = resources.stream()
                .filter(r -> r instanceof GenericKubernetesResource && "Cluster".equals(r.getKind()))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        assertThat(cluster.getApiVersion()).isEqualTo("postgresql.cnpg.io/v1");
        Map<String, Object> spec = cluster.get("spec");
        assertThat(((Number) spec.get("instances")).intValue()).isEqualTo(3);
        assertThat(((Number) spec.get("minSyncReplicas")).intValue()).as("commits wait for a replica").isGreaterThanOrEqualTo(1);
        Map<String, Object> initdb = cluster.get("spec", "bootstrap", "initdb");
        String name = cluster.getMetadata().getName();

        Container c = one(Deployment.class, "ballast-control-plane").getSpec().getTemplate().getSpec().getContainers().get(0);
        URI db = URI.create(env(c, "BALLAST_DB_URL").getValue().substring("jdbc:".length()));
        assertThat(db.getHost()).as("CloudNativePG's read-write Service").isEqualTo(name + "-rw");
        assertThat(db.getPort()).isEqualTo(5432);
        assertThat(db.getPath()).isEqualTo("/" + initdb.get("database"));
        assertThat(db.getQuery()).contains("targetServerType=primary");
        // CloudNativePG writes the owner's credentials to the Secret <cluster>-app (keys username, password).
        SecretKeySelector user = env(c, "BALLAST_DB_USER").getValueFrom().getSecretKeyRef();
        SecretKeySelector password = env(c, "BALLAST_DB_PASSWORD").getValueFrom().getSecretKeyRef();
        assertThat(user.getName()).isEqualTo(name + "-app");
        assertThat(user.getKey()).isEqualTo("username");
        assertThat(password.getName()).isEqualTo(name + "-app");
        assertThat(password.getKey()).isEqualTo("password");
    }

    @Test
    void dataPlanesSpreadOverNodesProbeReadyAndDrainWithinTheirGracePeriod() throws IOException {
        Deployment dp = one(Deployment.class, "ballast-data-plane");
        var pod = dp.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
                .singleElement().satisfies(term -> {
                    assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                    assertThat(term.getLabelSelector().getMatchLabels()).isEqualTo(dp.getSpec().getSelector().getMatchLabels());
                });

        int proxyPort = listenPort(env(c, "BALLAST_LISTEN").getValue());
        int adminPort = listenPort(env(c, "BALLAST_ADMIN_LISTEN").getValue());
        assertThat(env(c, "BALLAST_ADMIN_LISTEN").getValue()).as("the kubelet probes from outside the pod").startsWith("0.0.0.0:");
        assertThat(containerPort(c, "proxy")).isEqualTo(proxyPort);
        assertThat(containerPort(c, "admin")).isEqualTo(adminPort);
        assertProbe(c, c.getReadinessProbe(), "/ready", adminPort);
        assertProbe(c, c.getLivenessProbe(), "/live", adminPort);

        long preStop = c.getLifecycle().getPreStop().getSleep().getSeconds();
        Duration drain = duration(env(c, "BALLAST_DRAIN_DELAY").getValue());
        Duration grace = duration(env(c, "BALLAST_SHUTDOWN_GRACE").getValue());
        assertThat(drain).as("API.md default").isEqualTo(Duration.ofSeconds(5));
        assertThat(grace).as("API.md default").isEqualTo(Duration.ofSeconds(30));
        long needed = preStop + drain.toSeconds() + grace.toSeconds();
        assertThat(pod.getTerminationGracePeriodSeconds()).as("preStop + drain delay + shutdown grace, plus a margin")
                .isBetween(needed + 1, needed + 15);

        // Data planes reach the control planes through their Service, with the token the control plane was given.
        URI cp = URI.create(env(c, "BALLAST_CP_URLS").getValue());
        Service cpService = one(Service.class, cp.getHost());
        assertThat(cpService.getSpec().getPorts()).extracting(ServicePort::getPort).contains(cp.getPort());
        Container cpContainer = one(Deployment.class, "ballast-control-plane").getSpec().getTemplate().getSpec().getContainers().get(0);
        SecretKeySelector given = env(cpContainer, "BALLAST_DATAPLANE_TOKEN").getValueFrom().getSecretKeyRef();
        SecretKeySelector used = env(c, "BALLAST_DP_TOKEN").getValueFrom().getSecretKeyRef();
        assertThat(used.getName()).isEqualTo(given.getName());
        assertThat(used.getKey()).isEqualTo(given.getKey());
        assertSecretKeysExist(c);

        Service lb = one(Service.class, "ballast-data-plane");
        assertThat(lb.getSpec().getType()).isEqualTo("LoadBalancer");
        assertSelectorsMatch(dp, "ballast-data-plane");
        assertThat(lb.getSpec().getPorts()).extracting(p -> resolve(c, p.getTargetPort())).containsOnly(proxyPort);
        PodDisruptionBudget pdb = one(PodDisruptionBudget.class, "ballast-data-plane");
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(dp.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void theImagesStartTheLaunchersOnAJreAndExposeThePortsTheManifestsUse() throws IOException {
        Container cp = one(Deployment.class, "ballast-control-plane").getSpec().getTemplate().getSpec().getContainers().get(0);
        Container dp = one(Deployment.class, "ballast-data-plane").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertDockerfile("control-plane", "control-plane/bin/ballast-control-plane", "control-plane/target/quarkus-app/",
                cp.getPorts().stream().map(ContainerPort::getContainerPort).toList());
        assertDockerfile("data-plane", "data-plane/bin/ballast-data-plane", "data-plane/target/ballast-data-plane.jar",
                dp.getPorts().stream().map(ContainerPort::getContainerPort).toList());
    }

    @Test
    void yamllintAcceptsEveryDeployFile() throws Exception {
        Process lint = new ProcessBuilder("yamllint", "--strict", "-c", DEPLOY.resolve(".yamllint.yaml").toString(),
                KUBERNETES.toString(), DEPLOY.resolve("patroni").toString())
                .redirectErrorStream(true).start();
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(lint.exitValue()).as(output).isZero();
    }

    private static void assertDockerfile(String image, String launcher, String artifact, List<Integer> ports) throws IOException {
        String dockerfile = Files.readString(DEPLOY.resolve("docker/" + image + ".Dockerfile"));
        assertThat(dockerfile).containsPattern("(?m)^FROM eclipse-temurin:17-jre\\b");
        assertThat(dockerfile).containsPattern("(?m)^COPY .*\\b" + Pattern.quote(artifact) + " ");
        assertThat(dockerfile).containsPattern("(?m)^COPY .*\\b" + Pattern.quote(launcher) + " /opt/ballast/" + Pattern.quote(launcher) + "$");
        assertThat(dockerfile).containsPattern("(?m)^ENTRYPOINT \\[\"/opt/ballast/" + Pattern.quote(launcher) + "\"\\]$");
        Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(dockerfile);
        assertThat(expose.find()).isTrue();
        assertThat(List.of(expose.group(1).trim().split("\\s+"))).map(Integer::parseInt).containsExactlyInAnyOrderElementsOf(ports);
        assertThat(dockerfile).containsPattern("(?m)^USER 10001$");
    }

    private static void assertProbe(Container c, Probe probe, String path, int port) {
        assertThat(probe).as(path + " probe").isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(resolve(c, probe.getHttpGet().getPort())).as(path + " probe port").isEqualTo(port);
    }

    private static void assertSelectorsMatch(Deployment deployment, String serviceName) {
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(podLabels).as("Service " + serviceName + " selects these pods")
                .containsAllEntriesOf(one(Service.class, serviceName).getSpec().getSelector());
    }

    private static void assertSecretKeysExist(Container c) {
        for (EnvVar e : c.getEnv()) {
            SecretKeySelector ref = e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef();
            if (ref == null || ref.getName().equals("ballast-db-app")) {
                continue; // ballast-db-app is generated by CloudNativePG, checked above
            }
            Secret secret = one(Secret.class, ref.getName());
            assertThat(secret.getStringData()).as(e.getName() + " -> " + ref.getName() + "/" + ref.getKey()).containsKey(ref.getKey());
        }
    }

    private static int resolve(Container c, IntOrString port) {
        return port.getIntVal() != null ? port.getIntVal() : containerPort(c, port.getStrVal());
    }

    private static int containerPort(Container c, String name) {
        return c.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name)).getContainerPort();
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> name.equals(e.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
    }

    private static <T extends HasMetadata> T one(Class<T> type, String name) {
        return resources.stream().filter(type::isInstance).map(type::cast)
                .filter(r -> name.equals(r.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    private static int listenPort(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** The data plane's duration syntax as used here: a number and s. */
    private static Duration duration(String text) {
        assertThat(text).matches("\\d+s");
        return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
    }

    private static String applicationProperty(String key) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(ManagedProcess.ROOT.resolve("control-plane/src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties.getProperty(key);
    }
}
