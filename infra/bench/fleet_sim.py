#!/usr/bin/env python3
"""Driver of fleet-sim.sh (see there): one control plane (embedded PostgreSQL, through its launcher), two real data
planes and FleetSimulator.java's simulated ones; measures commit → every ack and a control-plane restart, samples the
control plane's heap and CPU meanwhile, prints a Markdown table and writes it under infra/bench/results/."""
import argparse, datetime, json, os, platform, signal, statistics, subprocess, sys, threading, time, urllib.error, urllib.request

ADMIN_TOKEN = "bench-admin-token-0123456789"
DP_TOKEN = "bench-dataplane-token-0123456789"
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


args = argparse.ArgumentParser()
args.add_argument("--root"); args.add_argument("--work")
args.add_argument("--data-planes", type=int, default=100)
args.add_argument("--pools", type=int, default=1000); args.add_argument("--backends", type=int, default=10)
args.add_argument("--writes", type=int, default=100)
args.add_argument("--heartbeat-in-flight", choices=["all", "nonzero"], default="nonzero")  # what data planes send since 2026-12-02; "all" is the older form
# A 128 MiB heap (the shipped default then) ran out at 10 000 backends after a few dozen deltas (2026-12-02 14:34); the
# launcher now defaults to 256m. --dp-heap "" runs the real data planes with the launcher's default.
args.add_argument("--dp-heap", default="")
opts = args.parse_args()
# Free ports, not fixed ones: other benchmarks and tests run on the same machine.
CP_PORT = free_port()
REAL = [(free_port(), free_port()) for _ in range(2)]
procs = []
# The whole run is bounded: whatever hangs, the processes are stopped and the run fails.
signal.signal(signal.SIGALRM, lambda *a: sys.exit("fleet-sim: the run took more than 12 minutes; stopped"))
signal.alarm(12 * 60)


def log(msg):
    print("[%s] %s" % (datetime.datetime.now(datetime.timezone.utc).strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)


def start(name, cmd, env=None, **kw):
    out = open(os.path.join(opts.work, name + ".log"), "a")
    p = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=kw.pop("stdout", out), stderr=out, **kw)
    procs.append(p)
    return p


def call(method, path, body=None, base="http://127.0.0.1:%d/api/v1" % CP_PORT, token=ADMIN_TOKEN, timeout=300):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            payload = r.read()
            return r.status, (json.loads(payload) if payload else None)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError:
        return None, None


def wait_until(what, check, seconds, every=0.1, fatal=True):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    if fatal:
        sys.exit("timed out after %d s waiting for %s" % (seconds, what))
    log("timed out after %d s waiting for %s; going on" % (seconds, what))
    return None


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class CpSampler(threading.Thread):
    """Every second: the control plane's heap in use (jstat -gc, streaming, so no JVM starts per sample) and the CPU
    of its JVM plus its embedded PostgreSQL (every descendant process), from /proc/<pid>/stat."""

    def __init__(self):
        super().__init__(daemon=True)
        self.pid = None
        self.samples = []  # (time, heap_used_mib, heap_capacity_mib, cpu_ticks_total)
        self.heap = (float("nan"), float("nan"))
        self.jstat = None
        self.lock = threading.Lock()

    def follow(self, pid):
        with self.lock:
            self.pid = pid
            if self.jstat and self.jstat.poll() is None:
                self.jstat.terminate()
            self.jstat = subprocess.Popen(["jstat", "-gc", str(pid), "1000"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                          text=True)
            threading.Thread(target=self.read_jstat, args=(self.jstat,), daemon=True).start()

    def read_jstat(self, p):
        header = None
        for line in p.stdout:
            cols = line.split()
            if not cols:
                continue
            if cols[0] == "S0C":
                header = cols
                continue
            if header and len(cols) == len(header):
                v = dict(zip(header, (float(c) for c in cols)))
                used = v["S0U"] + v["S1U"] + v["EU"] + v["OU"]
                cap = v["S0C"] + v["S1C"] + v["EC"] + v["OC"]
                self.heap = (used / 1024, cap / 1024)

    @staticmethod
    def ticks(pid):
        """CPU ticks of pid and every descendant alive now."""
        children, stat = {}, {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open("/proc/%s/stat" % d) as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    stat[int(d)] = int(fields[11]) + int(fields[12])
                    children.setdefault(int(fields[1]), []).append(int(d))
                except (OSError, IndexError, ValueError):
                    pass
        total, todo = 0, [pid]
        while todo:
            p = todo.pop()
            total += stat.get(p, 0)
            todo.extend(children.get(p, []))
        return total

    def run(self):
        while True:
            pid = self.pid
            if pid:
                self.samples.append((time.monotonic(), self.heap[0], self.heap[1], self.ticks(pid), pid))
            time.sleep(1)

    def during(self, t0, t1):
        """Peak and mean heap in use, heap capacity at the peak, and CPU (% of one core: mean and peak second)."""
        s = [x for x in self.samples if t0 <= x[0] <= t1 and x[1] == x[1]]
        heap_peak = max((x[1] for x in s), default=float("nan"))
        heap_mean = statistics.mean([x[1] for x in s]) if s else float("nan")
        cap = max((x[2] for x in s), default=float("nan"))
        rates = []
        cpu_ticks, cpu_secs = 0, 0
        for a, b in zip(s, s[1:]):
            if a[4] == b[4] and b[3] >= a[3]:
                rates.append((b[3] - a[3]) / TICK / (b[0] - a[0]) * 100)
                cpu_ticks += b[3] - a[3]
                cpu_secs += b[0] - a[0]
        cpu_mean = cpu_ticks / TICK / cpu_secs * 100 if cpu_secs else float("nan")
        return heap_peak, heap_mean, cap, cpu_mean, max(rates, default=float("nan"))


def start_cp():
    p = start("control-plane", [os.path.join(opts.root, "control-plane/bin/ballast-control-plane")], {
        "QUARKUS_HTTP_PORT": str(CP_PORT), "BALLAST_HTTPS": "off", "BALLAST_DATA_DIR": os.path.join(opts.work, "cp"),
        "BALLAST_ADMIN_TOKEN": ADMIN_TOKEN, "BALLAST_DATAPLANE_TOKEN": DP_TOKEN})
    sampler.follow(p.pid)
    return p


def cp_ready():
    return call("GET", "/q/health/ready", base="http://127.0.0.1:%d" % CP_PORT, token=None, timeout=5)[0] == 200


def real_applied(i):
    s = call("GET", "/status", base="http://127.0.0.1:%d" % REAL[i][1], token=None, timeout=5)[1]
    return s.get("appliedRevision") if isinstance(s, dict) else None


def latest_revision():
    return call("GET", "/revisions?limit=1")[1]["items"][0]["number"]


registry_seen = {"synced": 0}


def fleet_synced(expected):
    """From the control plane's registry: whether `expected` nodes are connected and SYNCED (the count seen is kept)."""
    status, body = call("GET", "/dataplanes", timeout=30)
    items = body.get("items", body) if isinstance(body, dict) else (body if isinstance(body, list) else [])
    n = sum(1 for d in items if isinstance(d, dict) and d.get("connected") and d.get("syncState") == "SYNCED")
    registry_seen["synced"] = n
    return n >= expected


def dp_exits():
    """How the real data planes that exited went (the last line of their log), for the table."""
    out = []
    for i in range(2):
        p = real_procs[i] if i < len(real_procs) else None
        if p is not None and p.poll() is not None:
            with open(os.path.join(opts.work, "dp-%d.log" % i)) as f:
                last = (f.read().strip().splitlines() or ["?"])[-1][:120]
            out.append("dp-%d exited %s: %s" % (i, p.returncode, last))
    return (": " + "; ".join(out)) if out else ""


real_procs = []
sampler = CpSampler()
sampler.start()
sim = None
try:
    cp = start_cp()
    wait_until("control plane", cp_ready, 180, every=0.5)
    log("control plane ready; loading %d pools × %d backends with one PUT /config..." % (opts.pools, opts.backends))
    config = {"pools": [{"name": "bulk-%04d" % k, "backends": [{"name": "b%d" % j, "host": "127.0.0.1", "port": 20000 + j}
                                                               for j in range(opts.backends)]} for k in range(opts.pools)]}
    t0 = time.monotonic()
    status, body = call("PUT", "/config", config, timeout=300)
    if status not in (200, 201):
        sys.exit("PUT /config answered %s: %s" % (status, str(body)[:500]))
    load_s = time.monotonic() - t0
    first = latest_revision()
    for i, (port, admin) in enumerate(REAL):
        real_procs.append(start("dp-%d" % i, [os.path.join(opts.root, "data-plane/bin/ballast-data-plane")], {
            "BALLAST_CP_URLS": "http://127.0.0.1:%d" % CP_PORT, "BALLAST_DP_TOKEN": DP_TOKEN,
            "BALLAST_NODE_ID": "real-dp-%d" % i, "BALLAST_LISTEN": "127.0.0.1:%d" % port,
            "BALLAST_ADMIN_LISTEN": "127.0.0.1:%d" % admin, "BALLAST_ACCESS_LOG": "off",
            "BALLAST_CACHE_DIR": os.path.join(opts.work, "cache-%d" % i), "BALLAST_EVENT_LOOPS": "1", "BALLAST_HEAP": opts.dp_heap}))
    for i in range(2):
        wait_until("real data plane %d at revision %d" % (i, first), lambda i=i: (real_applied(i) or 0) >= first, 180, every=0.5)
    log("2 real data planes serve revision %d; starting %d simulated ones..." % (first, opts.data_planes))
    sim = start("simulator", ["java", "-XX:+UseSerialGC", os.path.join(opts.root, "infra/bench/FleetSimulator.java"),
                              "--cp", "http://127.0.0.1:%d" % CP_PORT, "--dp-token", DP_TOKEN, "--admin-token", ADMIN_TOKEN,
                              "--data-planes", str(opts.data_planes), "--heartbeat-in-flight", opts.heartbeat_in_flight,
                              "--real-admin", ",".join("http://127.0.0.1:%d" % a for _, a in REAL)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(command):
        sim.stdin.write(command + "\n")
        sim.stdin.flush()
        line = sim.stdout.readline()
        if not line:
            sys.exit("the simulator exited (see %s/simulator.log)" % opts.work)
        answer = json.loads(line)
        if "error" in answer:
            sys.exit("simulator: " + answer["error"])
        return answer

    t_connect = time.monotonic()
    synced = ask("sync 180")
    if not synced["ok"]:
        sys.exit("the simulated data planes did not all sync: %s" % synced)
    connect_s = time.monotonic() - t_connect
    wait_until("%d nodes SYNCED in GET /dataplanes" % (opts.data_planes + 2), lambda: fleet_synced(opts.data_planes + 2), 60, every=0.5,
               fatal=False)
    synced_before = registry_seen["synced"]
    log("all %d nodes synced; %d single-backend writes..." % (opts.data_planes + 2, opts.writes))

    # a. commit → every ack.
    ta0 = time.monotonic()
    answers = ask("writes %d bulk-0000" % opts.writes)["items"]
    ta1 = time.monotonic()
    refused = [w for w in answers if "failed" in w]
    writes = [w for w in answers if "failed" not in w]
    # A write not acked everywhere within 30 s counts as 30 s (the wait's bound): a p99 must not drop it.
    unacked = sum(1 for w in writes if w["simLastAckMs"] is None or w["realLastMs"] is None)
    for w in writes:
        for key in ("simLastAckMs", "realLastMs"):
            if w[key] is None:
                w[key] = 30000
        if w["simFromSentMs"] is None:
            w["simFromSentMs"] = 30000 + w["restMs"]
    sim_ms = [w["simLastAckMs"] for w in writes]
    sent_ms = [w["simFromSentMs"] for w in writes]
    all_ms = [max(w["simLastAckMs"], w["realLastMs"]) for w in writes]
    cp_ms = [w["cpMaxLatencyMs"] for w in writes if w["cpMaxLatencyMs"] is not None]
    rest_ms = [w["restMs"] for w in writes]
    cp_full = sum(1 for w in writes if w["cpAcked"] >= opts.data_planes + 2)
    real_gone = max((w["realGone"] for w in writes), default=0)

    # b. control-plane restart (SIGTERM, as a deploy does: it closes the sockets; then the same command again).
    time.sleep(3)
    log("restarting the control plane...")
    mark = ask("mark")
    tb0 = time.monotonic()
    stop_epoch = time.time()
    cp.terminate()
    cp.wait(timeout=60)
    stopped_epoch = time.time()
    cp = start_cp()
    wait_until("control plane after the restart", cp_ready, 180, every=0.1)
    ready_epoch = time.time()
    resync = ask("resync 240")
    real_epoch = None
    registry_ok = wait_until("%d nodes SYNCED after the restart" % (opts.data_planes + 2), lambda: fleet_synced(opts.data_planes + 2),
                             60, every=0.2, fatal=False)
    registry_epoch = time.time()
    synced_after = registry_seen["synced"]
    tb1 = time.monotonic()
    if not resync["ok"]:
        sys.exit("not every simulated data plane resynced after the restart: %s" % resync)
    all_acked_epoch = mark["epochMs"] / 1000 + resync["lastAckMs"] / 1000
    first_open_epoch = mark["epochMs"] / 1000 + resync["firstOpenMs"] / 1000
    heap_a = sampler.during(ta0, ta1)
    heap_b = sampler.during(tb0, tb1)
    load_before = os.getloadavg()

    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    machine = "%s, %d CPUs, %s" % (platform.node(), os.cpu_count(), platform.platform())
    n = opts.data_planes
    table = f"""### Fleet simulator ({date}, {machine})

Load average during the run (1/5/15 min at its end): {load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f}.
The machine is shared with other helpers' builds and tests: these numbers come from a loaded 2-core machine
and are not the proof of the goals; the simulator's JVM shares the same cores as the control plane.

| measure | value | goal |
|---|---|---|
| fleet | {n} simulated data planes (one JVM, one WebSocket each) + 2 real ones (BALLAST_HEAP={opts.dp_heap or 'the launcher default, 256m'}); heartbeat in-flight counts: {opts.heartbeat_in_flight} | 100 + 2 |
| real data planes that exited during the writes (then no longer waited for) | {real_gone}{dp_exits()} | 0 |
| nodes connected and SYNCED in GET /dataplanes before the writes (60 s at most) | {synced_before} of {n + 2} | |
| config | {opts.pools} pools × {opts.backends} backends, loaded with one PUT /config in {load_s:.1f} s | 1 000 × 10 |
| simulator started → all simulated data planes connected and synced (includes compiling FleetSimulator.java) | {connect_s:.1f} s | |
| writes refused (REST answer ≥ 300, e.g. 503 database unavailable; each tried again) / not acked by every node within 30 s (counted as 30 s) | {len(refused)} ({", ".join(sorted(set(str(w["failed"]) for w in refused))) or "none"}) / {unacked} | 0 / 0 |
| single backend writes, REST round trip p50 / p99 | {statistics.median(rest_ms):.0f} / {percentile(rest_ms, 99):.0f} ms | |
| write sent → last of {n} simulated acks (simulator clock), p50 / p99 / max ({len(writes)} writes) | {statistics.median(sent_ms):.0f} / {percentile(sent_ms, 99):.0f} / {max(sent_ms):.0f} ms | p99 < 1 000 ms |
| commit returned (REST answer) → last of {n} simulated acks, p50 / p99 / max (negative: every ack came before the answer) | {statistics.median(sim_ms):.0f} / {percentile(sim_ms, 99):.0f} / {max(sim_ms):.0f} ms | p99 < 1 000 ms |
| commit returned → last of {n + 2} (simulated acks, real data planes' /status polled every 2 ms), p50 / p99 / max | {statistics.median(all_ms):.0f} / {percentile(all_ms, 99):.0f} / {max(all_ms):.0f} ms | |
| control plane's own view (GET /revisions/n: commit → last node's ack), p50 / p99 / max; writes with all {n + 2} acked there | {statistics.median(cp_ms):.0f} / {percentile(cp_ms, 99):.0f} / {max(cp_ms):.0f} ms; {cp_full} of {len(writes)} | |
| control plane during the writes: heap in use peak / mean (capacity); CPU mean / peak second (JVM + PostgreSQL) | {heap_a[0]:.0f} / {heap_a[1]:.0f} MiB ({heap_a[2]:.0f}); {heap_a[3]:.0f} % / {heap_a[4]:.0f} % of a core | |
| restart: SIGTERM → stopped; → started again and ready | {stopped_epoch - stop_epoch:.1f} s; {ready_epoch - stopped_epoch:.1f} s | |
| restart: control plane ready → first simulated reconnect → all {n} reconnected and acked revision {resync['revision']} | {first_open_epoch - ready_epoch:+.1f} s → {all_acked_epoch - ready_epoch:.1f} s | < 10 s |
| restart: SIGTERM → all {n} simulated resynced; → all {n + 2} SYNCED in GET /dataplanes (polled, 60 s at most) | {resync['lastAckMs'] / 1000:.1f} s; {f"{registry_epoch - stop_epoch:.1f} s" if registry_ok else f"not within 60 s: {synced_after} SYNCED"} | |
| reconnects: attempts (refused while down) / successful opens | {resync['attempts']} ({resync['failedAttempts']}) / {resync['opens']} | |
| connections per second at the peak (successful opens, any 1 s window) / attempts per second at the peak | {resync['peakOpensPerSecond']} / {resync['peakAttemptsPerSecond']} | no herd |
| successful opens per 500 ms from the first one | {resync['opensPer500ms']} | |
| control plane during the restart (new JVM): heap in use peak / mean (capacity); CPU mean / peak second | {heap_b[0]:.0f} / {heap_b[1]:.0f} MiB ({heap_b[2]:.0f}); {heap_b[3]:.0f} % / {heap_b[4]:.0f} % of a core | |

How it is measured: `infra/bench/fleet-sim.sh` (FleetSimulator.java drives the writes, so commit and acks share its
clock; an ack is timed when the simulator sends it, right after the frame is received and decoded). The simulator
trusts the announced hash instead of recomputing it, and sends heartbeats every 5 s shaped like a real data plane's
(in-flight 0 for every backend with `--heartbeat-in-flight all`, as data planes before 2026-12-02 sent them, or only non-zero ones with `nonzero`, the default and what they send now; the counters; no latency histogram, no probes, no health in its hello: it probes
nothing). Reconnects follow the data plane's backoff: 200 ms doubling to 4 s, equal jitter (half fixed, half random),
reset on a successful open. The control plane is restarted with SIGTERM (a deploy), which closes every socket.
"""
    print(table)
    os.makedirs(os.path.join(opts.root, "infra/bench/results"), exist_ok=True)
    result = os.path.join(opts.root, "infra/bench/results",
                          "fleet-sim-%s.md" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M"))
    with open(result, "w") as f:
        f.write(table)
    with open(os.path.join(opts.work, "writes.json"), "w") as f:
        json.dump({"writes": writes, "resync": resync}, f)
    log("written to " + result)
finally:
    if sim and sim.poll() is None:
        try:
            sim.stdin.write("quit\n")
            sim.stdin.flush()
        except OSError:
            pass
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
    if sampler.jstat and sampler.jstat.poll() is None:
        sampler.jstat.terminate()
    # A control plane killed after its 30 s leaves its embedded PostgreSQL running: stop the one of this run's
    # data directory (fast shutdown), found by that directory, nothing else.
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/cmdline" % d, "rb") as f:
                    cmd = f.read().split(b"\0")
            except OSError:
                continue
            if cmd and cmd[0].endswith(b"/postgres") and any(a.startswith(opts.work.encode()) for a in cmd):
                os.kill(int(d), signal.SIGINT)
