#!/usr/bin/env python3
"""Two sitrep binaries on the same ledger, in one run: what a change costs or saves.

    python3 bench/compare.py BASELINE_BINARY [--quick] [--runs N]

Builds this checkout's release binary, imports the ledger of bench/run.py with each binary into a
database of its own (a binary may not read a newer schema), then times each command as a whole
process, the two binaries' runs interleaved so that the machine's noise falls on both alike, and
prints the medians and their ratio. A baseline is made with, e.g.:

    git worktree add /tmp/base <commit> && cargo build --release --manifest-path /tmp/base/Cargo.toml
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402


def interleaved(runs, argv_a, argv_b):
    """Medians of `runs` runs of each, alternating A and B."""
    ta, tb = [], []
    for i in range(runs):
        ta.append(run.timed(argv_a(i))[0])
        tb.append(run.timed(argv_b(i))[0])
    return statistics.median(ta), statistics.median(tb)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("baseline")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    scale = 10 if args.quick else 1
    n_inc, n_ent, n_open = 100_000 // scale, 1_000_000 // scale, 1_000
    os.makedirs(run.OUT, exist_ok=True)
    run.sh(["cargo", "build", "--release", "--locked", "-q"], cwd=run.ROOT)
    jsonl = run.ledger(f"ledger-{n_inc}.jsonl", n_inc, n_ent, n_open)
    # Away from the checkout, so neither binary reads its ./reporting-rules.toml: both run on
    # their built-in rules.
    os.chdir(run.OUT)
    bins = {"baseline": os.path.abspath(args.baseline), "this": run.SITREP}
    dbs = {k: os.path.join(run.OUT, f"compare-{k}-{n_inc}.db") for k in bins}
    imports = {}
    for k, b in bins.items():
        run.fresh(dbs[k])
        with open(jsonl, "rb") as f:
            imports[k] = run.timed([b, "--db", dbs[k], "import", "-"], stdin=f)[0]
    listed = json.loads(subprocess.run([run.SITREP, "--db", dbs["this"], "list", "--open", "--limit", "1",
                                        "--format", "json"], check=True, capture_output=True, text=True,
                                       env=run.ENV).stdout)
    show_id = listed[0]["id"]
    cases = [
        ("check", lambda k: lambda _i: [bins[k], "--db", dbs[k], "check", "--format", "json"]),
        ("digest (one day)", lambda k: lambda _i: [bins[k], "--db", dbs[k], "digest", "--date", "2026-10-28",
                                                   "--format", "json"]),
        ("show", lambda k: lambda _i: [bins[k], "--db", dbs[k], "show", show_id, "--format", "json"]),
        ("list --open", lambda k: lambda _i: [bins[k], "--db", dbs[k], "list", "--open", "--format", "json"]),
        ("verify", lambda k: lambda _i: [bins[k], "--db", dbs[k], "verify"]),
        ("file", lambda k: lambda i: [bins[k], "--db", dbs[k], "file", "--title", f"对比{i}", "--kind", "gas",
                                      "--occurred", "30m ago", "--location", "基准路1号", "--unit", "基准单位",
                                      "--facts", "燃气泄漏", "--measures", "已疏散"]),
        ("escalate", lambda k: lambda _i: [bins[k], "--db", dbs[k], "escalate", show_id, "--level", "city"]),
    ]
    lines = [f"ledger: {n_inc:,} incidents, {n_ent:,} entries, {n_open:,} open; {args.runs} runs each, interleaved",
             "", "| command | baseline median | this median | this / baseline |", "|---|---:|---:|---:|",
             f"| import | {imports['baseline'] * 1000:,.0f} ms | {imports['this'] * 1000:,.0f} ms | "
             f"{imports['this'] / imports['baseline']:.2f}x |"]
    for name, argv in cases:
        runs = max(3, args.runs // 3) if name == "verify" else args.runs
        a, b = interleaved(runs, argv("baseline"), argv("this"))
        lines.append(f"| {name} | {a * 1000:,.1f} ms | {b * 1000:,.1f} ms | {b / a:.2f}x |")
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(run.OUT, "compare.md"), "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
