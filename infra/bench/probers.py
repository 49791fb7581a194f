#!/usr/bin/env python3
"""Driver of probers.sh (see there): counts the health checks each backend answers per check interval with N data
planes, for several healthCheck.probers settings and with the control plane gone; prints a Markdown table and
writes it under infra/bench/results/."""
import argparse, datetime, http.server, json, os, platform, socketserver, subprocess, sys, threading, time
import urllib.error, urllib.request

ADMIN_TOKEN = "bench-admin-token-0123456789"
DP_TOKEN = "bench-dataplane-token-0123456789"


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


args = argparse.ArgumentParser()
args.add_argument("--root"); args.add_argument("--work")
args.add_argument("--dataplanes", type=int, default=10); args.add_argument("--backends", type=int, default=10)
args.add_argument("--window", type=int, default=30)
opts = args.parse_args()
CP_PORT = free_port()
INTERVAL_S = 1.0
procs = []
counts = {}
lock = threading.Lock()


class Counting(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        port = self.server.server_address[1]
        if self.path == "/healthz":
            with lock:
                counts[port] = counts.get(port, 0) + 1
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a data plane stopped (the last phase ends by stopping them all) or its probe timed out

    def log_message(self, *a):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def start(name, cmd, env):
    log = open(os.path.join(opts.work, name + ".log"), "w")
    p = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    procs.append(p)
    return p


def call(method, path, body=None, base="http://127.0.0.1:%d/api/v1" % CP_PORT, token=ADMIN_TOKEN, content="application/json"):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", content)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            payload = r.read()
            return r.status, (json.loads(payload) if payload else None)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError:
        return None, None


def must(status_body, expected=(200, 201, 204)):
    status, body = status_body
    if status not in expected:
        sys.exit("unexpected answer %s: %s" % (status, str(body)[:500]))
    return body


def wait_until(what, check, seconds=300, every=0.5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    sys.exit("timed out waiting for " + what)


def measure(label, settle):
    """Probes per backend per interval over the window, after `settle` seconds for assignments to arrive."""
    print("%s: settling %d s, then counting for %d s..." % (label, settle, opts.window), file=sys.stderr)
    time.sleep(settle)
    with lock:
        before = dict(counts)
    t0 = time.monotonic()
    time.sleep(opts.window)
    elapsed = time.monotonic() - t0
    with lock:
        after = dict(counts)
    intervals = elapsed / INTERVAL_S
    per = sorted((after.get(p, 0) - before.get(p, 0)) / intervals for p in ports)
    return label, sum(per) / len(per), per[0], per[-1]


def status(admin_port):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/status" % admin_port, timeout=5) as r:
            return json.loads(r.read())
    except OSError:
        return None


def all_healthy(admin_port):
    s = status(admin_port)
    if not s:
        return False
    for pool in s.get("pools", []):
        if pool["name"] == "probed":
            return len(pool["backends"]) == opts.backends and all(b["health"] == "healthy" for b in pool["backends"])
    return False


ports = []
try:
    for _ in range(opts.backends):
        server = Server(("127.0.0.1", 0), Counting)
        ports.append(server.server_address[1])
        threading.Thread(target=server.serve_forever, daemon=True).start()
    cp = start("control-plane", [os.path.join(opts.root, "control-plane/bin/ballast-control-plane")], {
        "QUARKUS_HTTP_PORT": str(CP_PORT), "BALLAST_HTTPS": "off", "BALLAST_DATA_DIR": os.path.join(opts.work, "cp"),
        "BALLAST_ADMIN_TOKEN": ADMIN_TOKEN, "BALLAST_DATAPLANE_TOKEN": DP_TOKEN})
    wait_until("control plane", lambda: call("GET", "/q/health/ready", base="http://127.0.0.1:%d" % CP_PORT, token=None)[0] == 200,
               seconds=180)
    must(call("POST", "/pools", {"name": "probed", "healthCheck": {"path": "/healthz", "interval": "1s", "probers": opts.dataplanes},
                                 "backends": [{"name": "b%d" % i, "host": "127.0.0.1", "port": p} for i, p in enumerate(ports)]}))
    admins = []
    for i in range(opts.dataplanes):
        admin = free_port()
        admins.append(admin)
        start("dp-%d" % i, [os.path.join(opts.root, "data-plane/bin/ballast-data-plane")], {
            "BALLAST_CP_URLS": "http://127.0.0.1:%d" % CP_PORT, "BALLAST_DP_TOKEN": DP_TOKEN,
            "BALLAST_NODE_ID": "bench-dp-%d" % i, "BALLAST_LISTEN": "127.0.0.1:%d" % free_port(),
            "BALLAST_ADMIN_LISTEN": "127.0.0.1:%d" % admin, "BALLAST_ACCESS_LOG": "off",
            "BALLAST_CACHE_DIR": os.path.join(opts.work, "cache-%d" % i), "BALLAST_EVENT_LOOPS": "1"})
    for admin in admins:
        wait_until("data plane on admin port %d" % admin, lambda admin=admin: all_healthy(admin), seconds=300)
    rows = [measure("probers: %d (every data plane probes every backend, as before)" % opts.dataplanes, 5)]
    patch = lambda n: must(call("PATCH", "/pools/probed", {"healthCheck": {"probers": n}}, content="application/merge-patch+json"))
    patch(None)
    rows.append(measure("probers unset (default: 3 in a fleet of more than 5)", 10))
    patch(1)
    rows.append(measure("probers: 1", 10))
    healthy_everywhere = all(all_healthy(a) for a in admins)
    cp.terminate()
    cp.wait(timeout=60)
    rows.append(measure("probers: 1, control plane stopped (fallback: each data plane probes everything)", 5))
    healthy_after = all(all_healthy(a) for a in admins)

    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    machine = "%s, %d cores, load average before %.1f" % (platform.machine(), os.cpu_count(), os.getloadavg()[0])
    table = "### Probe load per backend, %d data planes, %d backends, 1 s check interval (%s, %s)\n\n" % (
        opts.dataplanes, opts.backends, date, machine)
    table += "| setting | probes per backend per interval, mean | min | max |\n|---|---|---|---|\n"
    for label, mean, lo, hi in rows:
        table += "| %s | %.2f | %.2f | %.2f |\n" % (label, mean, lo, hi)
    table += ("\nCounted at the backends (one Python HTTP server per backend counting `/healthz`), over %d s per row "
              "after the settling time; a check interval has up to 10 %% jitter, so a full prober set counts slightly "
              "under its number. Every backend healthy on every data plane with probers: 1: %s; after the control "
              "plane stopped: %s.\n" % (opts.window, healthy_everywhere, healthy_after))
    print(table)
    os.makedirs(os.path.join(opts.root, "infra/bench/results"), exist_ok=True)
    result = os.path.join(opts.root, "infra/bench/results",
                          "probers-%s.md" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M"))
    with open(result, "w") as f:
        f.write(table)
    print("written to " + result, file=sys.stderr)
finally:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
