#!/usr/bin/env python3
"""Driver of fleet.sh (see there): starts a control plane with its embedded PostgreSQL and one data
plane on loopback, measures what writes cost at 1 000 pools / 10 000 backends, prints a Markdown
table and writes it under infra/bench/results/."""
import argparse, datetime, json, os, platform, statistics, subprocess, sys, time, urllib.request, urllib.error

ADMIN_TOKEN = "bench-admin-token-0123456789"
DP_TOKEN = "bench-dataplane-token-0123456789"


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Free ports, not fixed ones: other benchmarks and tests run on the same machine.
CP_PORT, DP_PORT, ADMIN_PORT = free_port(), free_port(), free_port()

args = argparse.ArgumentParser()
args.add_argument("--root"); args.add_argument("--work")
args.add_argument("--pools", type=int, default=1000); args.add_argument("--backends", type=int, default=10)
args.add_argument("--writes", type=int, default=100)
opts = args.parse_args()
procs = []


def start(name, cmd, env):
    log = open(os.path.join(opts.work, name + ".log"), "w")
    p = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    procs.append(p)
    return p


def call(method, path, body=None, base="http://127.0.0.1:%d/api/v1" % CP_PORT, token=ADMIN_TOKEN, timeout=300, raw=None,
         content="application/json"):
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    req = urllib.request.Request(base + path, data=data, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", content)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
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


def wait_until(what, check, seconds=300, every=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    sys.exit("timed out waiting for " + what)


def latest_revision():
    return must(call("GET", "/revisions?limit=1"))["items"][0]["number"]


def applied():
    s = call("GET", "/status", base="http://127.0.0.1:%d" % ADMIN_PORT, token=None, timeout=5)[1]
    return s.get("appliedRevision") if isinstance(s, dict) else None


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(fn):
    t0 = time.monotonic()
    result = fn()
    return (time.monotonic() - t0) * 1000, result


def pool_body(k, port_base=20000):
    return {"name": "bulk-%04d" % k, "backends": [{"name": "b%d" % j, "host": "127.0.0.1", "port": port_base + j}
                                                  for j in range(opts.backends)]}


try:
    cp = start("control-plane", [os.path.join(opts.root, "control-plane/bin/ballast-control-plane")], {
        "QUARKUS_HTTP_PORT": str(CP_PORT), "BALLAST_HTTPS": "off", "BALLAST_DATA_DIR": os.path.join(opts.work, "cp"),
        "BALLAST_ADMIN_TOKEN": ADMIN_TOKEN, "BALLAST_DATAPLANE_TOKEN": DP_TOKEN})
    wait_until("control plane", lambda: call("GET", "/q/health/ready", base="http://127.0.0.1:%d" % CP_PORT, token=None)[0] == 200,
               seconds=180, every=0.5)
    dp = start("data-plane", [os.path.join(opts.root, "data-plane/bin/ballast-data-plane")], {
        "BALLAST_CP_URLS": "http://127.0.0.1:%d" % CP_PORT, "BALLAST_DP_TOKEN": DP_TOKEN,
        "BALLAST_NODE_ID": "bench-dp", "BALLAST_LISTEN": "127.0.0.1:%d" % DP_PORT,
        "BALLAST_ADMIN_LISTEN": "127.0.0.1:%d" % ADMIN_PORT, "BALLAST_ACCESS_LOG": "off",
        "BALLAST_CACHE_DIR": os.path.join(opts.work, "cache"), "BALLAST_EVENT_LOOPS": "1"})
    first = latest_revision()
    wait_until("data plane", lambda: applied() == first, every=0.2)

    # 1. bulk load: one REST write per pool, each a revision.
    print("bulk load: %d pools of %d backends, one POST each..." % (opts.pools, opts.backends), file=sys.stderr)
    load = []
    t_load = time.monotonic()
    for k in range(opts.pools):
        ms, _ = timed(lambda k=k: must(call("POST", "/pools", pool_body(k))))
        load.append(ms)
    load_seconds = time.monotonic() - t_load
    big = latest_revision()
    ms_to_ack, _ = timed(lambda: wait_until("bulk config applied", lambda: applied() == big, every=0.2))

    # 2. single backend writes on the full config.
    print("single writes: %d backend writes..." % opts.writes, file=sys.stderr)
    single = []
    for k in range(opts.writes):
        if k % 2 == 0:
            ms, _ = timed(lambda: must(call("POST", "/pools/bulk-0000/backends", {"name": "extra", "host": "127.0.0.1", "port": 30000})))
        else:
            ms, _ = timed(lambda: must(call("DELETE", "/pools/bulk-0000/backends/extra")))
        single.append(ms)
    after_single = latest_revision()
    wait_until("single writes applied", lambda: applied() == after_single, every=0.2)

    # 3. declarative apply of the whole config: one backend changed, then every pool changed.
    exported = must(call("GET", "/config"))
    pools = exported["pools"]
    backends = sum(len(p.get("backends", [])) for p in pools)
    exported["pools"][0]["backends"][0]["weight"] = 7
    one_ms, _ = timed(lambda: must(call("PUT", "/config", exported)))
    for p in exported["pools"]:
        p["description"] = "applied whole"
    all_ms, _ = timed(lambda: must(call("PUT", "/config", exported)))
    same_ms, _ = timed(lambda: must(call("PUT", "/config", exported)))
    final = latest_revision()
    wait_until("declarative applies served", lambda: applied() == final, every=0.2)

    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    machine = "%s, %d CPUs, %s, load average %.1f" % (platform.node(), os.cpu_count(), platform.platform(), os.getloadavg()[0])
    table = f"""### Write cost at scale ({date}, {machine})

| measure | value | goal |
|---|---|---|
| config | {len(pools)} pools, {backends} backends, one data plane connected | 1 000 / 10 000 |
| bulk load: {opts.pools} pools × {opts.backends} backends, one REST write (and revision) each | {load_seconds:.1f} s | < 60 s |
| same, per write p50 / p99 / last 100 p50 | {statistics.median(load):.0f} / {percentile(load, 99):.0f} / {statistics.median(load[-100:]):.0f} ms | |
| single backend write (add / delete), REST round trip, p50 ({len(single)} writes) | {statistics.median(single):.0f} ms | < 50 ms |
| same, p99 | {percentile(single, 99):.0f} ms | < 100 ms |
| declarative apply of the whole config (PUT /config), one backend changed | {one_ms:.0f} ms | < 5 000 ms |
| declarative apply of the whole config, every pool changed | {all_ms:.0f} ms | < 5 000 ms |
| declarative apply of the whole config, nothing changed | {same_ms:.0f} ms | |
| bulk load done → data plane serving the last revision | {ms_to_ack:.0f} ms | |
"""
    print(table)
    os.makedirs(os.path.join(opts.root, "infra/bench/results"), exist_ok=True)
    result = os.path.join(opts.root, "infra/bench/results",
                          "fleet-%s.md" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M"))
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
