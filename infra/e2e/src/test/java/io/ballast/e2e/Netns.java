package io.ballast.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A small network made of namespaces for one test: a switch namespace holding a bridge, and host namespaces each
 * joined to it by a veth pair (eth0, 10.X.0.N/24). Nothing is created in the root namespace, so the test's traffic
 * stays inside. {@link #close} kills every process left in the namespaces and deletes them, also after a failure.
 * Needs root and {@code ip netns}; {@link #create} fails with a clear message when they are missing.
 */
final class Netns implements AutoCloseable {
    private final String prefix = "bh" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    private final int subnet = ThreadLocalRandom.current().nextInt(16, 250);
    private final List<String> namespaces = new ArrayList<>();

    private Netns() {
    }

    /** Creates the switch and one host namespace per name; host i (from 1) gets address {@link #address}(i). */
    static Netns create(String... hosts) {
        Netns net = new Netns();
        try {
            String probe = run(List.of("ip", "netns", "add", net.prefix + "-sw"), true);
            net.namespaces.add(net.prefix + "-sw");
            if (probe != null) {
                throw new AssertionError("network namespaces are not available here (this test needs root and `ip netns`): " + probe);
            }
            net.ip("-n", net.sw(), "link", "add", "br0", "type", "bridge");
            net.ip("-n", net.sw(), "link", "set", "br0", "up");
            for (int i = 0; i < hosts.length; i++) {
                String ns = net.ns(hosts[i]);
                net.ip("netns", "add", ns);
                net.namespaces.add(ns);
                net.ip("-n", net.sw(), "link", "add", "p" + i, "type", "veth", "peer", "name", "eth0", "netns", ns);
                net.ip("-n", net.sw(), "link", "set", "p" + i, "master", "br0", "up");
                net.ip("-n", ns, "link", "set", "lo", "up");
                net.ip("-n", ns, "addr", "add", net.address(i + 1) + "/24", "dev", "eth0");
                net.ip("-n", ns, "link", "set", "eth0", "up");
            }
            return net;
        } catch (RuntimeException | AssertionError e) {
            net.close();
            throw e;
        }
    }

    String ns(String host) {
        return prefix + "-" + host;
    }

    private String sw() {
        return prefix + "-sw";
    }

    String address(int host) {
        return "10." + subnet + ".0." + host;
    }

    /** Runs {@code ip ARGS}; fails with its output when it exits non-zero. */
    void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        String error = run(command, true);
        if (error != null) {
            throw new IllegalStateException(String.join(" ", command) + ": " + error);
        }
    }

    /** The output of a command run inside {@code host}'s namespace (null when it failed three times). */
    String output(String host, String... command) {
        for (int attempt = 0; attempt < 2; attempt++) {
            String out = outputOnce(host, command);
            if (out != null) {
                return out;
            }
        }
        return outputOnce(host, command);
    }

    private String outputOnce(String host, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns(host)));
        full.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** True when {@code address} is configured on eth0 of {@code host}. */
    boolean holds(String host, String address) {
        String out = output(host, "ip", "-4", "-o", "addr", "show", "dev", "eth0");
        return out != null && out.contains(" " + address + "/");
    }

    /** True when something listens on TCP {@code port} in {@code host}. */
    boolean listening(String host, int port) {
        String out = output(host, "ss", "-Hltn", "sport = :" + port);
        return out == null || !out.isBlank(); // unknown counts as listening: never claim a stop not seen
    }

    /** Starts a long-running process inside {@code host}'s namespace; its output goes to the e2e logs. */
    ManagedProcess start(String name, String host, Map<String, String> env, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns(host)));
        full.addAll(List.of(command));
        return ManagedProcess.startCommand(name, full, env);
    }

    @Override
    public void close() {
        for (String ns : namespaces) {
            // Whatever is still running in there (keepalived's children included) goes with it.
            String pids = pidsIn(ns);
            for (String pid : pids.split("\\s+")) {
                if (!pid.isBlank()) {
                    run(List.of("kill", "-9", pid.trim()), false);
                }
            }
        }
        for (String ns : namespaces) {
            run(List.of("ip", "netns", "del", ns), false);
        }
        namespaces.clear();
    }

    private static String pidsIn(String ns) {
        try {
            Process p = new ProcessBuilder("ip", "netns", "pids", ns).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Runs a short command; null on success, else its output (or the exception). */
    private static String run(List<String> command, boolean capture) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            return p.exitValue() == 0 ? null : (capture ? out.trim() : "exit " + p.exitValue());
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    static Path testClasses() {
        try {
            return Path.of(Netns.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
