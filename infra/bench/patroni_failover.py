#!/usr/bin/python3
"""PostgreSQL primary failover under Patroni, with Ballast on top (run by patroni-failover.sh).

One etcd, two PostgreSQL 15 nodes under Patroni (synchronous_mode), two control planes (the
packaged jar) on a multi-host BALLAST_DB_URL, one data plane with steady traffic, and a steady
stream of configuration writes through both control planes. Each round SIGKILLs the primary's
postmaster and measures the write outage; afterwards it checks that every write that answered 2xx
is present, that no write was recorded twice and revision numbers are 1..N without duplicates,
that the data plane converged on the newest revision, and that no proxied request failed.
Everything lives in one temporary directory on loopback ports chosen free; it is removed, and every
process started here is stopped, also on failure.
"""
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = pathlib.Path(__file__).resolve().parents[2]
CP_JAR = ROOT / "control-plane/target/quarkus-app/quarkus-run.jar"
DP_JAR = ROOT / "data-plane/target/ballast-data-plane.jar"
PATRONI_TEMPLATE = ROOT / "infra/deploy/patroni/patroni.yml"
POST_BOOTSTRAP = ROOT / "infra/deploy/patroni/create-ballast-database.sh"
TTL, LOOP_WAIT, RETRY_TIMEOUT = 10, 2, 4
ROUNDS = int(os.environ.get("ROUNDS", "3"))
ADMIN = "bench-admin-token-0123456789"
DP_TOKEN = "bench-dataplane-token-0123456789"
SECRETS = {"SUPERUSER_PASSWORD": "bench-super", "REPLICATION_PASSWORD": "bench-repl", "BALLAST_DB_PASSWORD": "bench-ballast"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message):
    print(time.strftime("%H:%M:%S ") + message, flush=True)


def http(method, url, body=None, token=ADMIN, timeout=40):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except (urllib.error.URLError, OSError) as e:
        return 0, str(e)


def children_of(pid):
    """The pids of the direct children of pid (from /proc; empty when it has none or is gone)."""
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return found


def wait_for(what, check, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.25)
    raise AssertionError("timed out waiting for " + what)


class Processes:
    """Everything started here, stopped in reverse order (SIGTERM, then SIGKILL) by its own pid."""

    def __init__(self, logs):
        self.logs = logs
        self.started = []

    def start(self, name, command, env=None, user=None):
        out = open(self.logs / (name + ".log"), "ab")
        full_env = dict(os.environ, **(env or {}))
        if user:
            command = ["runuser", "-u", user, "--", "env"] + [k + "=" + v for k, v in (env or {}).items()] + command
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=full_env, start_new_session=True)
        self.started.append((name, process))
        return process

    def stop(self, process, grace=20):
        if process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def stop_all(self):
        for _, process in reversed(self.started):
            try:
                self.stop(process)
            except (ProcessLookupError, PermissionError):
                pass


class Backend(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        body = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Traffic(threading.Thread):
    """Sequential GETs through the data plane; every answer but a 200 is a failure."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url, self.ok, self.failures, self.running = url, 0, [], True

    def run(self):
        while self.running:
            status, body = http("GET", self.url, token=None, timeout=10)
            if status == 200:
                self.ok += 1
            else:
                self.failures.append((time.time(), status, body[:200]))
            time.sleep(0.01)


class Writes(threading.Thread):
    """A steady stream of pool creations, alternating between the control planes; each answer recorded."""

    def __init__(self, control_planes, prefix):
        super().__init__(daemon=True)
        self.control_planes, self.prefix, self.running = control_planes, prefix, True
        self.done = []  # (name, status, started, finished)

    def run(self):
        i = 0
        while self.running:
            name = "%s-%d" % (self.prefix, i)
            cp = self.control_planes[i % len(self.control_planes)]
            started = time.time()
            status, _ = http("POST", cp + "/api/v1/pools", {"name": name})
            self.done.append((name, status, started, time.time()))
            i += 1
            time.sleep(0.1)


class Cluster:
    def __init__(self, tmp, procs):
        self.tmp, self.procs = tmp, procs
        self.as_root = os.geteuid() == 0
        self.user = "postgres" if self.as_root else None
        self.nodes = {}

    def start(self):
        tmp, procs = self.tmp, self.procs
        etcd_client, etcd_peer = free_port(), free_port()
        self.etcd = "127.0.0.1:%d" % etcd_client
        procs.start("etcd", ["etcd", "--name", "bench", "--data-dir", str(tmp / "etcd"),
                             "--listen-client-urls", "http://" + self.etcd, "--advertise-client-urls", "http://" + self.etcd,
                             "--listen-peer-urls", "http://127.0.0.1:%d" % etcd_peer,
                             "--initial-advertise-peer-urls", "http://127.0.0.1:%d" % etcd_peer,
                             "--initial-cluster", "bench=http://127.0.0.1:%d" % etcd_peer])
        wait_for("etcd", lambda: http("GET", "http://%s/health" % self.etcd, token=None)[0] == 200, 30)
        log("etcd up")
        for name in ("pg1", "pg2"):
            self.nodes[name] = {"pg": free_port(), "rest": free_port(), "dir": tmp / name}
        for name, node in self.nodes.items():
            self.start_node(name, node)
            if name == "pg1":
                wait_for("pg1 primary", lambda: self.primary() == "pg1", 90)
                log("pg1 bootstrapped as primary")
        wait_for("pg2 streaming as sync standby", self.healthy, 120)

    def start_node(self, name, node):
        node["dir"].mkdir(mode=0o700)
        (node["dir"] / "sock").mkdir()
        values = dict(SECRETS, NODE_NAME=name, PG_ADDRESS="127.0.0.1", PG_PORT=str(node["pg"]), REST_PORT=str(node["rest"]),
                      ETCD_HOSTS=self.etcd, DATA_DIR=str(node["dir"] / "data"), SOCKET_DIR=str(node["dir"] / "sock"),
                      PGPASS=str(node["dir"] / "pgpass"), TTL=str(TTL), LOOP_WAIT=str(LOOP_WAIT),
                      RETRY_TIMEOUT=str(RETRY_TIMEOUT), POST_BOOTSTRAP=str(POST_BOOTSTRAP))
        config = PATRONI_TEMPLATE.read_text()
        for key, value in values.items():
            config = config.replace("${%s}" % key, value)
        path = node["dir"] / "patroni.yml"
        path.write_text(config)
        if self.as_root:
            shutil.chown(node["dir"], "postgres", "postgres")
            shutil.chown(node["dir"] / "sock", "postgres", "postgres")
            shutil.chown(path, "postgres", "postgres")
        env = {"BALLAST_DB_PASSWORD": SECRETS["BALLAST_DB_PASSWORD"], "PATH": os.environ["PATH"]}
        node["process"] = self.procs.start("patroni-" + name, ["/usr/bin/patroni", str(path)], env=env, user=self.user)

    def members(self):
        status, body = http("GET", "http://127.0.0.1:%d/cluster" % self.nodes["pg1"]["rest"], token=None, timeout=3)
        if status != 200:
            status, body = http("GET", "http://127.0.0.1:%d/cluster" % self.nodes["pg2"]["rest"], token=None, timeout=3)
        return json.loads(body)["members"] if status == 200 else []

    def primary(self):
        for m in self.members():
            if m["role"] in ("leader", "master", "primary") and m["state"] == "running":
                return m["name"]
        return None

    def healthy(self):
        roles = {m["name"]: (m["role"], m["state"]) for m in self.members()}
        return (len(roles) == 2 and any(r == "sync_standby" and s in ("running", "streaming") for r, s in roles.values())
                and self.primary() is not None)

    def kill_primary_postmaster(self):
        name = self.primary()
        pid = int((self.nodes[name]["dir"] / "data" / "postmaster.pid").read_text().split()[0])
        self.orphans = children_of(pid)
        os.kill(pid, signal.SIGKILL)
        return name, pid

    def reap_orphans(self):
        """Kills what the killed postmaster left behind, as systemd does with a crashed unit's cgroup.

        Backends notice their postmaster's death and exit by themselves, but one busy on a loaded machine
        can hold the shared memory for minutes, and until it goes the old primary cannot restart and rejoin
        (\"pre-existing shared memory block is still in use\")."""
        for pid in getattr(self, "orphans", []):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.orphans = []

    def kill_leftover_postmasters(self):
        """A postmaster that outlived its Patroni (it runs in a session of its own) is killed by its pid."""
        for node in self.nodes.values():
            pid_file = node["dir"] / "data" / "postmaster.pid"
            try:
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
            except (OSError, ValueError, IndexError):
                pass

    def jdbc_url(self):
        hosts = ",".join("127.0.0.1:%d" % n["pg"] for n in self.nodes.values())
        return ("jdbc:postgresql://%s/ballast?targetServerType=primary&hostRecheckSeconds=2&connectTimeout=3"
                "&socketTimeout=30&tcpKeepAlive=true" % hosts)

    def psql(self, sql):
        name = self.primary()
        out = subprocess.run(["psql", "-At", "-h", "127.0.0.1", "-p", str(self.nodes[name]["pg"]), "-U", "ballast", "ballast",
                              "-c", sql], capture_output=True, text=True, check=True,
                             env=dict(os.environ, PGPASSWORD=SECRETS["BALLAST_DB_PASSWORD"]))
        return out.stdout.split()


def start_control_plane(procs, tmp, name, cluster):
    """Starts it; returns its URL and a check for its readiness (both start side by side)."""
    port = free_port()
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    procs.start(name, [java, "-Xmx384m", "-jar", str(CP_JAR)], env={
        "QUARKUS_HTTP_PORT": str(port), "BALLAST_HTTPS": "off", "BALLAST_DATA_DIR": str(tmp / name), "BALLAST_DB_URL": cluster.jdbc_url(),
        "BALLAST_DB_USER": "ballast", "BALLAST_DB_PASSWORD": SECRETS["BALLAST_DB_PASSWORD"],
        "BALLAST_ADMIN_TOKEN": ADMIN, "BALLAST_DATAPLANE_TOKEN": DP_TOKEN})
    url = "http://127.0.0.1:%d" % port
    return url, lambda: http("GET", url + "/q/health/ready", token=None)[0] == 200


def latest_revision(cp):
    status, body = http("GET", cp + "/api/v1/revisions?limit=1")
    return json.loads(body)["items"][0]["number"] if status == 200 else None


def main():
    # A SIGTERM (a test's timeout) unwinds through the cleanup below like any failure.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    for jar in (CP_JAR, DP_JAR):
        if not jar.is_file():
            sys.exit("%s is missing: build first (mvn -B package -DskipTests)" % jar)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="ballast-patroni-"))
    os.chmod(tmp, 0o755)
    logs = tmp / "logs"
    logs.mkdir()
    procs = Processes(logs)
    backend = None
    cluster = None
    results = []
    try:
        cluster = Cluster(tmp, procs)
        cluster.start()
        log("Patroni cluster up: primary %s" % cluster.primary())
        # One after the other: two control planes booting at once on an empty database race to
        # create the configured tokens, and the loser exits (a known TokenBootstrap issue).
        cps = []
        for i in (1, 2):
            url, ready = start_control_plane(procs, tmp, "cp-%d" % i, cluster)
            wait_for("cp-%d ready" % i, ready, 150)
            cps.append(url)
        backend = ThreadingHTTPServer(("127.0.0.1", 0), Backend)
        threading.Thread(target=backend.serve_forever, daemon=True).start()
        status, body = http("POST", cps[0] + "/api/v1/pools", {
            "name": "web", "backends": [{"host": "127.0.0.1", "port": backend.server_address[1]}],
            "healthCheck": {"path": "/", "interval": "1s"}})
        assert status == 201, body
        status, body = http("POST", cps[0] + "/api/v1/routes", {"name": "web", "pool": "web"})
        assert status == 201, body
        proxy_port, admin_port = free_port(), free_port()
        java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
        procs.start("dp-1", [java, "-Xmx256m", "-jar", str(DP_JAR)], env={
            "BALLAST_CP_URLS": ",".join(cps), "BALLAST_DP_TOKEN": DP_TOKEN, "BALLAST_NODE_ID": "bench-dp-1",
            "BALLAST_LISTEN": "127.0.0.1:%d" % proxy_port, "BALLAST_ADMIN_LISTEN": "127.0.0.1:%d" % admin_port,
            "BALLAST_CACHE_DIR": str(tmp / "dp-1"), "BALLAST_EVENT_LOOPS": "1"})
        proxy = "http://127.0.0.1:%d/" % proxy_port
        wait_for("data plane serving", lambda: http("GET", proxy, token=None, timeout=2)[0] == 200, 60)
        traffic = Traffic(proxy)
        traffic.start()
        all_writes = []
        for round_no in range(1, ROUNDS + 1):
            wait_for("both nodes healthy (sync standby streaming)", cluster.healthy, 180)
            writes = Writes(cps, "round%d" % round_no)
            writes.start()
            time.sleep(3)
            killed_at = time.time()
            name, pid = cluster.kill_primary_postmaster()
            log("round %d: SIGKILL postmaster %d of primary %s" % (round_no, pid, name))
            wait_for("a write that completes after the kill",
                     lambda: any(s // 100 == 2 and f > killed_at for _, s, _, f in list(writes.done)), TTL + 60)
            resumed = min(f for _, s, _, f in list(writes.done) if s // 100 == 2 and f > killed_at)
            time.sleep(3)
            cluster.reap_orphans()
            writes.running = False
            writes.join(60)
            outage = resumed - killed_at
            completions = sorted(f for _, s, _, f in writes.done if s // 100 == 2)
            gap = max(b - a for a, b in zip(completions, completions[1:]))
            failed = [(n, s) for n, s, _, _ in writes.done if s // 100 != 2]
            new_primary = cluster.primary()
            log("round %d: new primary %s; writes resumed %.1f s after the kill; longest gap between successful writes "
                "%.1f s; %d writes, %d not 2xx %s" % (round_no, new_primary, outage, gap, len(writes.done), len(failed),
                                                     sorted(set(s for _, s in failed))))
            results.append({"round": round_no, "killed": name, "promoted": new_primary, "outage_s": round(outage, 1),
                            "gap_s": round(gap, 1), "writes": len(writes.done), "not_2xx": len(failed)})
            assert outage <= TTL + 10, "writes resumed after %.1f s, more than ttl + 10 s" % outage
            all_writes += writes.done

        # Every 2xx write is there, recorded once; revision numbers are 1..N with no duplicate.
        wait_for("both nodes healthy", cluster.healthy, 180)
        numbers = [int(n) for n in cluster.psql("SELECT number FROM revisions ORDER BY number")]
        assert numbers == list(range(1, len(numbers) + 1)), "revision numbers are not 1..N: %s" % numbers
        counts = {}
        for line in cluster.psql("SELECT replace(message, ' ', '_') FROM revisions WHERE message LIKE 'create pool round%'"):
            counts[line] = counts.get(line, 0) + 1
        for name, status, _, _ in all_writes:
            recorded = counts.get("create_pool_" + name, 0)
            if status // 100 == 2:
                assert recorded == 1, "2xx write %s recorded %d times" % (name, recorded)
                assert http("GET", cps[1] + "/api/v1/pools/" + name)[0] == 200, "2xx write %s is missing" % name
            else:
                assert recorded <= 1, "write %s recorded %d times" % (name, recorded)
        newest = latest_revision(cps[0])
        wait_for("data plane on revision %s" % newest,
                 lambda: json.loads(http("GET", "http://127.0.0.1:%d/status" % admin_port, token=None)[1])
                 ["appliedRevision"] == newest, 30)
        traffic.running = False
        traffic.join(15)
        assert not traffic.failures, "proxied requests failed: %s" % traffic.failures[:5]
        log("checks passed: %d writes (%d answered 2xx, each present once), revisions 1..%d, data plane on %d, "
            "%d proxied requests, none failed" % (len(all_writes), sum(1 for w in all_writes if w[1] // 100 == 2),
                                                 len(numbers), newest, traffic.ok))
        print(json.dumps({"rounds": results, "proxied_ok": traffic.ok, "proxied_failed": len(traffic.failures),
                          "revisions": len(numbers), "ttl": TTL, "loop_wait": LOOP_WAIT}))
    except BaseException:
        keep = pathlib.Path(tempfile.mkdtemp(prefix="ballast-patroni-logs-"))
        shutil.copytree(logs, keep / "logs", dirs_exist_ok=True)
        log("FAILED; logs kept in %s" % keep)
        raise
    finally:
        if backend:
            backend.shutdown()
        procs.stop_all()
        if cluster:
            cluster.kill_leftover_postmasters()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
