#!/usr/bin/env python3
"""Driver of propagation.sh (see there): starts a control plane, data planes and an nginx backend
on loopback, measures, prints a Markdown table and writes it under infra/bench/results/."""
import argparse, datetime, json, os, platform, re, statistics, subprocess, sys, time, urllib.request, urllib.error

ADMIN_TOKEN = "bench-admin-token-0123456789"
DP_TOKEN = "bench-dataplane-token-0123456789"
CP_PORT, BACKEND_PORT = 18200, 18220
DP_PORTS, ADMIN_PORTS = [18201, 18202, 18203], [18211, 18212, 18213]

args = argparse.ArgumentParser()
args.add_argument("--root"); args.add_argument("--work"); args.add_argument("--changes", type=int, default=100)
opts = args.parse_args()
procs = []


def start(name, cmd, env):
    log = open(os.path.join(opts.work, name + ".log"), "w")
    p = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    procs.append(p)
    return p


def call(method, path, body=None, base="http://127.0.0.1:%d/api/v1" % CP_PORT, token=ADMIN_TOKEN, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError:
        return None, None


def wait_until(what, check, seconds=120, every=0.005):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    sys.exit("timed out waiting for " + what)


def must(status_body, expected=201):
    status, body = status_body
    if status != expected:
        sys.exit("unexpected answer %s: %s" % (status, body))
    return body


def latest_revision():
    return must(call("GET", "/revisions?limit=1"), 200)["items"][0]["number"]


def dp_status(i):
    return call("GET", "/status", base="http://127.0.0.1:%d" % ADMIN_PORTS[i], token=None, timeout=5)[1]


def applied(i):
    s = dp_status(i)
    return s.get("appliedRevision") if isinstance(s, dict) else None


def rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def start_dp(i):
    return start("dp-%d" % i, ["java", "-jar", os.path.join(opts.root, "data-plane/target/ballast-data-plane.jar")], {
        "BALLAST_CP_URLS": "http://127.0.0.1:%d" % CP_PORT, "BALLAST_DP_TOKEN": DP_TOKEN,
        "BALLAST_NODE_ID": "bench-dp-%d" % i, "BALLAST_LISTEN": "127.0.0.1:%d" % DP_PORTS[i],
        "BALLAST_ADMIN_LISTEN": "127.0.0.1:%d" % ADMIN_PORTS[i],
        "BALLAST_CACHE_DIR": os.path.join(opts.work, "cache-%d" % i), "BALLAST_EVENT_LOOPS": "1"})


def heap_after_gc_mib(pid):
    """Live heap after a full GC (jcmd): what holding the config costs, unlike RSS, which keeps
    whatever the heap once grew to."""
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, check=False)
    info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, check=False).stdout
    used = re.search(r"used (\d+)K", info)
    return int(used.group(1)) / 1024 if used else float("nan")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


try:
    with open(os.path.join(opts.work, "nginx.conf"), "w") as f:
        f.write("""worker_processes 1; daemon off; pid %s/nginx.pid; error_log %s/nginx-error.log warn;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:%d; location / { return 200 "ok"; } } }
""" % (opts.work, opts.work, BACKEND_PORT))
    start("nginx", ["nginx", "-c", os.path.join(opts.work, "nginx.conf"), "-e", os.path.join(opts.work, "nginx-error.log")], {})
    cp = start("control-plane", ["java", "-jar", os.path.join(opts.root, "control-plane/target/quarkus-app/quarkus-run.jar")], {
        "QUARKUS_HTTP_PORT": str(CP_PORT), "BALLAST_HTTPS": "off", "BALLAST_DATA_DIR": os.path.join(opts.work, "cp"),
        "BALLAST_ADMIN_TOKEN": ADMIN_TOKEN, "BALLAST_DATAPLANE_TOKEN": DP_TOKEN})
    wait_until("control plane", lambda: call("GET", "/q/health/ready", base="http://127.0.0.1:%d" % CP_PORT, token=None)[0] == 200,
               seconds=180, every=0.5)
    must(call("POST", "/pools", {"name": "live", "backends": [{"name": "nginx", "host": "127.0.0.1", "port": BACKEND_PORT}]}))
    must(call("POST", "/routes", {"name": "live", "pool": "live"}))
    dps = [start_dp(i) for i in range(3)]
    first = latest_revision()
    for i in range(3):
        wait_until("data plane %d" % i, lambda i=i: applied(i) == first, every=0.1)

    # 1. propagation: one change at a time, each waited for on all three nodes.
    print("propagation: %d changes to 3 data planes..." % opts.changes, file=sys.stderr)
    latencies, client = [], []
    for k in range(opts.changes):
        t0 = time.monotonic()
        if k % 2 == 0:
            must(call("POST", "/pools/live/backends", {"name": "extra", "host": "127.0.0.1", "port": BACKEND_PORT + 1}))
        else:
            must(call("DELETE", "/pools/live/backends/extra"), 204)
        n = latest_revision()

        def all_acked(n=n):
            body = call("GET", "/revisions/%d" % n)[1]
            nodes = [p for p in body.get("propagation", []) if p["status"] == "ACKED"] if isinstance(body, dict) else []
            return nodes if len(nodes) == 3 else None
        acked = wait_until("revision %d on 3 nodes" % n, all_acked, seconds=30)
        client.append((time.monotonic() - t0) * 1000)
        latencies.append(max(p["latencyMs"] for p in acked))

    # 2. scale: one data plane serving traffic, 1 000 pools and 10 000 backends.
    for p in dps[1:]:
        p.terminate()
    rss_small = rss_mib(dps[0].pid)
    heap_small = heap_after_gc_mib(dps[0].pid)
    print("scale: loading 998 pools of 10 backends...", file=sys.stderr)
    load_start = time.monotonic()
    for k in range(998):
        must(call("POST", "/pools", {"name": "bulk-%04d" % k, "backends": [
            {"name": "b%d" % j, "host": "127.0.0.1", "port": 20000 + j} for j in range(10)]}))
    load_seconds = time.monotonic() - load_start
    wait_until("bulk config applied", lambda: applied(0) == latest_revision(), seconds=300, every=0.5)
    time.sleep(5)
    wrk = subprocess.Popen(["wrk", "-t1", "-c16", "-d20s", "http://127.0.0.1:%d/" % DP_PORTS[0]],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(5)
    # The live pool has 1 backend and 998 bulk pools 10 each: 19 more make 1 000 pools, 10 000 backends.
    final_pool = {"name": "bulk-final", "backends": [{"name": "b%d" % j, "host": "127.0.0.1", "port": 21000 + j} for j in range(19)]}
    t0 = time.monotonic()
    must(call("POST", "/pools", final_pool))
    commit_ms = (time.monotonic() - t0) * 1000
    big = latest_revision()
    wait_until("big revision applied", lambda: applied(0) == big, seconds=60)
    end_to_end_ms = (time.monotonic() - t0) * 1000
    detail = must(call("GET", "/revisions/%d" % big), 200)
    pools = len(detail["snapshot"]["pools"])
    backends = sum(len(p.get("backends", [])) for p in detail["snapshot"]["pools"])
    ack = wait_until("ack recorded", lambda: [p for p in must(call("GET", "/revisions/%d" % big), 200)["propagation"]
                                              if p["status"] == "ACKED"], seconds=30)
    commit_to_ack_ms = ack[0]["latencyMs"]
    out, _ = wrk.communicate(timeout=60)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = int(re.search(r"Non-2xx or 3xx responses: (\d+)", out).group(1)) if "Non-2xx" in out else 0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors = sum(int(x) for x in errors.groups()) if errors else 0
    rss_big = rss_mib(dps[0].pid)
    heap_big = heap_after_gc_mib(dps[0].pid)
    classpath = os.path.join(opts.root, "shared-model/target/classes") + ":" + open(os.path.join(opts.work, "classpath")).read().strip()
    build = subprocess.run(["java", "-cp", classpath, os.path.join(opts.root, "infra/bench/BuildAndHash.java")],
                           input=json.dumps(detail["snapshot"]), capture_output=True, text=True, check=True).stdout.split()
    build_ms = float(build[0])

    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    machine = "%s, %d CPUs, %s" % (platform.node(), os.cpu_count(), platform.platform())
    table = f"""### Config propagation ({date}, {machine})

| measure | value | goal |
|---|---|---|
| propagation, commit → last of 3 acks, p50 ({len(latencies)} changes) | {statistics.median(latencies):.0f} ms | |
| propagation, commit → last of 3 acks, p99 | {percentile(latencies, 99):.0f} ms | < 100 ms |
| same, seen by the client (write sent → 3 acks visible in the API), p50 / p99 | {statistics.median(client):.0f} / {percentile(client, 99):.0f} ms | |
| scale config | {pools} pools, {backends} backends | 1 000 / 10 000 |
| commit the change (REST round trip: validate, build, hash, store) | {commit_ms:.0f} ms | |
| build and hash the snapshot alone (warm, median) | {build_ms:.0f} ms | |
| commit → data plane ack (push, parse, validate, build, swap, cache) | {commit_to_ack_ms} ms | |
| end to end (write sent → data plane serves it) | {end_to_end_ms:.0f} ms | < 1 000 ms |
| requests during the swap (wrk, 16 connections, 20 s) / failed | {total} / {non2xx + socket_errors} | 0 failed |
| data plane live heap after a full GC, small config → 10 000 backends | {heap_small:.0f} → {heap_big:.0f} MiB | |
| data plane resident memory (default JVM heap settings), small config → 10 000 backends | {rss_small:.0f} → {rss_big:.0f} MiB | |
| bulk load of 998 pools × 10 backends through the REST API (998 revisions) | {load_seconds:.0f} s | |
"""
    print(table)
    os.makedirs(os.path.join(opts.root, "infra/bench/results"), exist_ok=True)
    result = os.path.join(opts.root, "infra/bench/results", "propagation-%s.md" % datetime.date.today().isoformat())
    with open(result, "w") as f:
        f.write(table)
    print("written to " + result, file=sys.stderr)
finally:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
