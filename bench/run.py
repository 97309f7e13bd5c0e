#!/usr/bin/env python3
"""sitrep's benchmark: a city's scale, measured as whole processes beside plain SQL.

    python3 bench/run.py            # 100,000 incidents, 1,000,000 entries, 1,000 open; and 10x history
    python3 bench/run.py --quick    # a tenth of that, to try the script
    python3 bench/run.py --no-10x   # skip the ten-times-history database
    python3 bench/run.py --store postgres [--quick]   # the same on a shared PostgreSQL store (bench/pg.py)

It builds sitrep (release), generates a realistic ledger (bench/generate.py), imports it, then
times each command as a whole process several times and reports the median, the peak resident
memory (from wait4), and the same work done as plain SQL through the sqlite3 shell on the same
file (the SQL is in this script), with the ratio. A second database with ten times the history
and the same 1,000 open incidents gives the ratio of `check` times. Results go to stdout and to
bench/out/results.md. Needs python3 and the sqlite3 shell (installed with apt-get if missing).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
SITREP = os.path.join(os.path.abspath(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))), "release",
                      "sitrep")
NOW = "2026-11-01T12:00:00+08:00"
NOW_S = 1793505600  # NOW as Unix seconds
ENV = dict(os.environ, SITREP_NOW=NOW, LANG="C", NO_COLOR="1")
ENV.pop("RUST_BACKTRACE", None)


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(argv, stdin=None, env=None):
    """Runs argv as a process; returns (seconds, peak RSS in KiB, exit code)."""
    start = time.perf_counter()
    p = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or ENV)
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - start
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        sys.exit(f"{' '.join(argv)} failed ({code}):\n{err}")
    return elapsed, usage.ru_maxrss, code


def median_of(runs, argv_fn, stdin_fn=None):
    times, peaks = [], []
    for i in range(runs):
        stdin = stdin_fn(i) if stdin_fn else None
        t, m, _ = timed(argv_fn(i), stdin=stdin)
        if stdin:
            stdin.close()
        times.append(t)
        peaks.append(m)
    return statistics.median(times), max(peaks)


def sqlite3_shell():
    path = shutil.which("sqlite3")
    if path:
        return path
    print("installing the sqlite3 shell (apt-get install sqlite3)…", file=sys.stderr)
    sh(["apt-get", "install", "-y", "-q", "sqlite3"], stdout=subprocess.DEVNULL)
    return shutil.which("sqlite3")


def ledger(name, incidents, entries, open_):
    path = os.path.join(OUT, name)
    if not os.path.exists(path):
        print(f"generating {name}: {incidents} incidents, {entries} entries, {open_} open…", file=sys.stderr)
        with open(path + ".tmp", "w") as f:
            sh([sys.executable, os.path.join(ROOT, "bench", "generate.py"), str(incidents), str(entries), str(open_)],
               stdout=f)
        os.rename(path + ".tmp", path)
    return path


def fresh(db):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)


def import_db(jsonl, db):
    fresh(db)
    with open(jsonl, "rb") as f:
        t, m, _ = timed([SITREP, "--db", db, "import", "-"], stdin=f)
    return t, m


def count(sqlite, db, sql):
    return int(subprocess.run([sqlite, db, sql], check=True, capture_output=True, text=True).stdout.strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-10x", action="store_true")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--filings", type=int, default=10, help="per filer, of the 32 concurrent ones (postgres)")
    ap.add_argument("--no-build", action="store_true", help="use the release binary as built")
    args = ap.parse_args()
    if args.store == "postgres":
        import pg
        pg.main(args)
        return
    scale = 10 if args.quick else 1
    n_inc, n_ent, n_open = 100_000 // scale, 1_000_000 // scale, 1_000

    os.makedirs(OUT, exist_ok=True)
    if not args.no_build:
        sh(["cargo", "build", "--release", "--locked", "-q"], cwd=ROOT)
    # Away from the checkout, so sitrep runs on its built-in rules, not ./reporting-rules.toml.
    os.chdir(OUT)
    sqlite = sqlite3_shell()
    print(f"machine: {os.cpu_count()} cores; sqlite3 shell {subprocess.run([sqlite, '--version'], capture_output=True, text=True).stdout.split()[0]}",
          file=sys.stderr)

    main_jsonl = ledger(f"ledger-{n_inc}.jsonl", n_inc, n_ent, n_open)
    db = os.path.join(OUT, f"main-{n_inc}.db")
    rows = []

    # import: several fresh databases, the median kept; the last one is the one measured below.
    import_runs = [import_db(main_jsonl, db) for _ in range(3 if not args.quick else 3)]
    t_import = statistics.median(r[0] for r in import_runs)
    m_import = max(r[1] for r in import_runs)
    entries = count(sqlite, db, "SELECT COUNT(*) FROM entries")
    incidents = count(sqlite, db, "SELECT COUNT(*) FROM incidents")
    open_now = count(sqlite, db, "SELECT COUNT(*) FROM incidents WHERE closed IS NULL")
    size_mb = os.path.getsize(db) / 2**20

    # The same import as plain SQL: copy the stored rows into a fresh file with the same schema
    # (triggers, indexes) in one transaction.
    schema = subprocess.run([sqlite, db, ".schema"], check=True, capture_output=True, text=True).stdout
    plain = os.path.join(OUT, "plain-import.db")

    def sql_import(_i):
        fresh(plain)
        script = os.path.join(OUT, "plain-import.sql")
        with open(script, "w") as f:
            f.write("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-131072;\n" + schema +
                    f"\nATTACH '{db}' AS src; BEGIN IMMEDIATE;"
                    " INSERT INTO rules SELECT * FROM src.rules;"
                    " INSERT INTO incidents SELECT * FROM src.incidents;"
                    " INSERT INTO entries SELECT * FROM src.entries ORDER BY seq; COMMIT;\n")
        return [sqlite, plain, f".read {script}"]

    t_sql_import, _ = median_of(3, sql_import)
    rows.append(("import", t_import, m_import, t_sql_import, f"{entries / t_import:,.0f} entries/s"))

    # Pick what `show` and `digest` read: an open incident, and a recent duty day.
    listed = json.loads(subprocess.run([SITREP, "--db", db, "list", "--open", "--limit", "1", "--format", "json"],
                                       check=True, capture_output=True, text=True, env=ENV).stdout)
    show_id = listed[0]["id"]
    day = "2026-10-28"
    day_from, day_to = 1793145600, 1793232000  # 2026-10-28 08:00 +08:00 to the next 08:00
    t24 = NOW_S - 86400

    def sql(q):
        return lambda _i: [sqlite, "-readonly", db, ".output /dev/null", q]

    cases = [
        ("check", [SITREP, "--db", db, "check", "--format", "json"],
         "SELECT * FROM incidents WHERE closed IS NULL AND filed <= {now} UNION ALL SELECT * FROM incidents "
         "WHERE closed IS NOT NULL AND closed >= {t24} AND filed <= {now}; SELECT e.* FROM entries e WHERE e.incident IN "
         "(SELECT id FROM incidents WHERE closed IS NULL AND filed <= {now} UNION ALL SELECT id FROM incidents "
         "WHERE closed IS NOT NULL AND closed >= {t24} AND filed <= {now}) ORDER BY e.incident, e.n; SELECT text FROM rules;"),
        ("digest (one day)", [SITREP, "--db", db, "digest", "--date", day, "--format", "json"],
         "SELECT e.* FROM entries e WHERE e.incident IN (SELECT incident FROM entries WHERE at >= {dfrom} AND at < {dto} "
         "UNION SELECT id FROM incidents WHERE closed IS NULL AND filed < {dto} UNION SELECT id FROM incidents "
         "WHERE closed >= {dto} AND filed < {dto}) ORDER BY e.incident, e.n; SELECT text FROM rules;"),
        ("show", [SITREP, "--db", db, "show", show_id, "--format", "json"],
         "SELECT * FROM incidents WHERE id = '{show}'; SELECT * FROM entries WHERE incident = '{show}' ORDER BY n; "
         "SELECT text FROM rules;"),
        ("list --open", [SITREP, "--db", db, "list", "--open", "--format", "json"],
         "SELECT * FROM incidents WHERE closed IS NULL ORDER BY filed DESC, id DESC;"),
        ("verify", [SITREP, "--db", db, "verify"],
         "PRAGMA integrity_check; SELECT COUNT(sha3(prev || body, 256)) FROM entries;"),
    ]
    subst = dict(now=NOW_S, t24=t24, dfrom=day_from, dto=day_to, show=show_id)
    for name, argv, q in cases:
        runs = 3 if name == "verify" else args.runs
        t, m = median_of(runs, lambda _i, a=argv: a)
        ts, _ = median_of(runs, sql(q.format(**subst)))
        rows.append((name, t, m, ts, ""))

    # Ten times the history, the same 1,000 open incidents: the ratio of check times.
    ratio_line = "10x history: skipped (--no-10x)"
    if not args.no_10x:
        big_jsonl = ledger(f"ledger-{n_inc * 10}.jsonl", n_inc * 10, n_ent * 10, n_open)
        big = os.path.join(OUT, f"big-{n_inc * 10}.db")
        t_big_import, _ = import_db(big_jsonl, big)
        base_check, _ = median_of(args.runs, lambda _i: [SITREP, "--db", db, "check", "--format", "json"])
        big_check, big_mem = median_of(args.runs, lambda _i: [SITREP, "--db", big, "check", "--format", "json"])
        big_entries = count(sqlite, big, "SELECT COUNT(*) FROM entries")
        ratio_line = (f"10x history ({big_entries:,} entries, import {t_big_import:.1f} s): check {big_check * 1000:.1f} ms"
                      f" vs {base_check * 1000:.1f} ms = {big_check / base_check:.2f}x (target < 1.5x), peak {big_mem / 1024:.1f} MiB")

    # file: each run files a new incident (synchronous=FULL); then the same inserts as plain SQL.
    def file_argv(i):
        return [SITREP, "--db", db, "file", "--title", f"基准测试事件{i}", "--kind", "gas", "--occurred", "30m ago",
                "--location", "基准路1号", "--unit", "基准单位", "--facts", "燃气泄漏", "--measures", "已疏散"]

    t_file, m_file = median_of(args.runs, file_argv)

    def sql_file(i):
        iid = f"29990101-{i + 1:03d}"
        q = ("PRAGMA busy_timeout=30000; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; BEGIN IMMEDIATE;"
             f" INSERT INTO incidents (id, day, number, rules, title, kind, severity, occurred, known, filed, closed,"
             f" location, unit, figures, last_at) VALUES ('{iid}', '29990101', {i + 1}, (SELECT hash FROM rules LIMIT 1),"
             f" '基准', 'gas', 'general', {NOW_S}, {NOW_S}, {NOW_S}, NULL, '基准路', '基准单位', '{{}}', {NOW_S});"
             " INSERT INTO entries (seq, incident, n, type, at, recorded, by, os_user, imported, simulated, body, prev, hash)"
             f" VALUES ((SELECT MAX(seq) + 1 FROM entries), '{iid}', 1, 'initial', {NOW_S}, {NOW_S}, 'b', 'b', 0, 0,"
             " '{\"type\":\"initial\"}', (SELECT hash FROM entries ORDER BY seq DESC LIMIT 1), hex(randomblob(32)));"
             " COMMIT;")
        return [sqlite, db, q]

    t_sql_file, _ = median_of(args.runs, sql_file)
    rows.append(("file", t_file, m_file, t_sql_file, "synchronous=FULL"))

    lines = [
        f"database: {incidents:,} incidents, {entries:,} entries, {open_now:,} open; {size_mb:,.0f} MiB",
        "",
        "| command | sitrep median | peak RSS | plain SQL median | ratio | note |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, t, m, ts, note in rows:
        lines.append(f"| {name} | {t * 1000:,.1f} ms | {m / 1024:.1f} MiB | {ts * 1000:,.1f} ms | {t / ts:.2f}x | {note} |")
    lines += ["", ratio_line]
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
