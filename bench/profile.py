#!/usr/bin/env python3
"""Profiles one rzmq perf pair with Java Flight Recorder and prints where the time and the garbage go.

    bench/profile.py thr64 [--count N] [--transport tcp|ipc] [--curve] [--pekko]
    bench/profile.py lat64 ...

Runs rzmq's local and remote roles (samples jar, built by bench/run.sh or `mvn -pl samples -am package`)
with `-XX:StartFlightRecording` (settings=profile, Java sampled every 2 ms) through ../shared/bench/pairs.py's run_pair, once
with COUNT messages and once with COUNT/10, and prints for each side: the top frames of
jdk.ExecutionSample (self time, and inclusive time of rzmq / Pekko methods), the threads that were
sampled, the allocation by class and by allocating rzmq / Pekko method from jdk.ObjectAllocationSample,
and bytes allocated per message: (allocated at COUNT - allocated at COUNT/10) / (0.9 * COUNT), so the
start-up of the JVM and the actor system cancels out. The tables are marginal the same way: samples
(and sampled allocation) of the COUNT run minus those of the COUNT/10 run. Recordings stay in target/bench/jfr/.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
from bench import TESTS, load_pairs  # noqa: E402  (bench.py beside this file)

OWN = ("io.rzmq.", "org.apache.pekko.")
LAMBDA = re.compile(r"\$\$Lambda\$\d+(\+0x[0-9a-f]+)?(\.\d+)?")


def events(jfr, kinds):
    out = subprocess.run(["jfr", "print", "--json", "--events", ",".join(kinds), jfr],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]


def frame_name(f):
    m = f["method"]
    # Lambda classes carry a per-run number and address: drop them so both runs name a frame alike.
    return LAMBDA.sub("$$Lambda", f'{m["type"]["name"]}.{m["name"]}'.replace("/", "."))


def frames(ev):
    st = ev["values"].get("stackTrace") or {}
    return [frame_name(f) for f in st.get("frames", [])]


def analyse(jfr, count, top):
    samples = events(jfr, ["jdk.ExecutionSample"])
    self_time, incl, threads = collections.Counter(), collections.Counter(), collections.Counter()
    for ev in samples:
        fs = frames(ev)
        if not fs:
            continue
        self_time[fs[0]] += 1
        for name in set(fs):
            if name.startswith(OWN):
                incl[name] += 1
        t = ev["values"].get("sampledThread") or {}
        threads[t.get("javaName") or t.get("osName") or "?"] += 1
    allocs = events(jfr, ["jdk.ObjectAllocationSample"])
    by_class, by_site, total = collections.Counter(), collections.Counter(), 0
    for ev in allocs:
        w = ev["values"].get("weight", 0)
        total += w
        cls = (ev["values"].get("objectClass") or {}).get("name", "?")
        by_class[cls] += w
        site = next((f for f in frames(ev) if f.startswith(OWN)), "(JDK / other)")
        by_site[site] += w
    gcs = events(jfr, ["jdk.GarbageCollection"])
    return {"samples": len(samples), "self": self_time, "incl": incl, "threads": threads, "alloc_total": total,
            "by_class": by_class, "by_site": by_site, "gcs": len(gcs)}


def marginal(big, small, top):
    """What the extra 0.9 * COUNT messages cost: counters of the big run minus those of the small one."""
    r = {"samples": big["samples"] - small["samples"], "gcs": big["gcs"] - small["gcs"],
         "alloc_total": big["alloc_total"] - small["alloc_total"]}
    for k in ("self", "incl", "threads", "by_class", "by_site"):
        diff = big[k].copy()
        diff.subtract(small[k])
        r[k] = [(name, c) for name, c in diff.most_common(top if k != "threads" else 8) if c > 0]
    r["n"] = max(1, r["samples"])
    return r


def show(side, r, bytes_per_msg):
    n = r["n"]
    print(f"\n### {side}: {r['samples']} execution samples, {r['gcs']} GCs, "
          f"{r['alloc_total'] / 1e6:.0f} MB allocated (sampled estimate) in the marginal messages, "
          f"{bytes_per_msg:.0f} bytes per message (marginal, see --help)")
    print("\nThreads sampled (share of samples): " + ", ".join(f"{t} {c * 100 / n:.0f}%" for t, c in r["threads"]))
    print("\n| self % | top frame |\n|---|---|")
    for name, c in r["self"]:
        print(f"| {c * 100 / n:.1f} | `{name}` |")
    print("\n| inclusive % | rzmq / Pekko method on the stack |\n|---|---|")
    for name, c in r["incl"]:
        print(f"| {c * 100 / n:.1f} | `{name}` |")
    tot = max(1, r["alloc_total"])
    print("\n| alloc % | class allocated |\n|---|---|")
    for name, w in r["by_class"]:
        print(f"| {w * 100 / tot:.1f} | `{name}` |")
    print("\n| alloc % | first rzmq / Pekko frame allocating |\n|---|---|")
    for name, w in r["by_site"]:
        print(f"| {w * 100 / tot:.1f} | `{name}` |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("test", choices=["thr64", "lat64", "thr1k", "thr64k"])
    ap.add_argument("--count", type=int, default=None, help="messages (default: bench.py's full-run count)")
    ap.add_argument("--transport", default="tcp", choices=["tcp", "ipc"])
    ap.add_argument("--curve", action="store_true")
    ap.add_argument("--pekko", action="store_true", help="rzmq.tcp-io = pekko")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "bench"))
    a = ap.parse_args()
    kind, size, count = TESTS[a.test]
    count = a.count or count
    run_pair = load_pairs(os.path.join(a.peers, "pairs.py"))["run_pair"]
    jar = os.path.join(ROOT, "samples", "target", "rzmq-samples.jar")
    out = os.path.join(ROOT, "target", "bench", "jfr")
    os.makedirs(out, exist_ok=True)
    results = {}
    for n in (count // 10, count):
        cmds = {}
        for side in ("local", "remote"):
            f = os.path.join(out, f"{a.test}-{a.transport}-{side}-{n}.jfr")
            if os.path.exists(f):
                os.remove(f)
            cmds[side] = (["java", f"-XX:StartFlightRecording=filename={f},settings=profile,dumponexit=true,jdk.ExecutionSample#period=2ms"]
                          + (["-Drzmq.tcp-io=pekko"] if a.pekko else []) + ["-jar", jar])
            results[(side, n)] = f
        v, text = run_pair(cmds["local"], cmds["remote"], kind, size, n, a.transport, ("curve",) if a.curve else ())
        print(f"{a.test} {a.transport} count {n}: {v} {'msg/s' if kind == 'thr' else 'us'}"
              + ("" if v is not None else f" FAILED: {text}"), flush=True)
        if v is None:
            sys.exit(1)
    for side in ("local", "remote"):
        small, big = (analyse(results[(side, n)], n, a.top) for n in (count // 10, count))
        r = marginal(big, small, a.top)
        per_msg = r["alloc_total"] / (count - count // 10)
        role = {"thr": ("PULL", "PUSH"), "lat": ("REP", "REQ")}[kind][0 if side == "local" else 1]
        show(f"{side} ({role}), {a.test} {a.transport}, {count} vs {count // 10} messages", r, per_msg)


if __name__ == "__main__":
    main()
