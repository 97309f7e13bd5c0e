"""sitrep's benchmark on a shared PostgreSQL store (`bench/run.py --store postgres`).

    python3 bench/run.py --store postgres            # 100,000 incidents, 1,000,000 entries, 1,000 open
    python3 bench/run.py --store postgres --quick    # a tenth of that

It starts a throwaway PostgreSQL cluster of its own (initdb in a temporary directory, `trust` on
a Unix socket there, no TCP, fsync and synchronous_commit on), makes a test store (`init
--test-clock`, so that the ledger's clock is accepted) with a city office `cs` and four county
offices `c1`..`c4` under it, and splits the ledger of bench/run.py among the counties (every
fourth incident), each county's share imported by one `sitrep import --office` process, one
county after another; then the same four imports into a second store all at once, as an owner
moving a city's counties in on one day would run them. Then it times each command as a whole
process beside the same work as plain SQL through `psql` (the SQL is in this file), as
bench/run.py does for SQLite: reads as the store's owner and as the city's supervisor
(row-level security), a filing as a county's officer, and 32 officers (8 in each county) filing
at once, straight to the server and, where PgBouncer is installed (`apt-get install pgbouncer`),
through it in session mode, as the README advises for many officers. The cluster is stopped and
removed at the end, also on error. Results go to stdout and bench/out/results-pg.md.
"""

import glob
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import run

COUNTIES = [("c1", "东城区"), ("c2", "西城区"), ("c3", "南山县"), ("c4", "北湖县")]
DAY = "20261101"  # the day of NOW, in the offices' time zone (+08:00)
OFFICERS = 8  # per county, for the concurrent filings


def bin_dir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(initdb)
    sys.exit("PostgreSQL's programs (initdb, pg_ctl, psql) are not installed (apt-get install postgresql)")


class Cluster:
    """A throwaway cluster: `trust` on a Unix socket in a temporary directory."""

    def __init__(self, settings):
        self.bin = bin_dir()
        self.root = tempfile.mkdtemp(prefix="sitrep-pgbench-", dir="/tmp")
        os.chmod(self.root, 0o777)  # initdb and postgres run as the postgres user when we are root
        self.data = os.path.join(self.root, "data")
        self.sock = os.path.join(self.root, "sock")
        os.mkdir(self.sock)
        os.chmod(self.sock, 0o777)
        self.log = os.path.join(self.root, "log")
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.settings = settings
        self.port = 5432
        self.started = False

    def start(self):
        run.sh(self.as_pg + [os.path.join(self.bin, "initdb"), "-D", self.data, "-U", "postgres", "--auth=trust",
                             "-E", "UTF8", "--locale=C"], stdout=subprocess.DEVNULL)
        opts = f"-k {self.sock} -c listen_addresses=" + "".join(f" -c {k}={v}" for k, v in self.settings.items())
        run.sh(self.as_pg + [os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-l", self.log, "-o", opts, "-w",
                             "start"], stdout=subprocess.DEVNULL)
        self.started = True

    def stop(self):
        if self.started:
            subprocess.run(self.as_pg + [os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "fast", "-w",
                                         "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, db, user="postgres"):
        return f"host={self.sock} dbname={db} user={user}"

    def psql_argv(self, db, user="postgres"):
        return [os.path.join(self.bin, "psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", self.url(db, user)]

    def psql(self, db, sql, user="postgres", stdin=None):
        """Runs SQL (a script on stdin when `sql` is None); returns stdout."""
        argv = self.psql_argv(db, user) + (["-c", sql] if sql is not None else ["-f", "-"])
        return subprocess.run(argv, input=stdin, check=True, capture_output=True, text=True).stdout.strip()

    def value(self, db, sql):
        return int(self.psql(db, sql))


def sitrep(url, *args):
    return [run.SITREP, "--db", url, *args]


def make_store(c, db):
    """A test store with the city office and its four counties; returns the owner's URL."""
    c.psql("postgres", f"CREATE DATABASE {db}")
    url = c.url(db)
    run.sh(sitrep(url, "init", "--test-clock"), env=run.ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run.sh(sitrep(url, "office", "add", "cs", "--name", "市总值班室"), env=run.ENV, stdout=subprocess.DEVNULL,
           stderr=subprocess.DEVNULL)
    for code, name in COUNTIES:
        run.sh(sitrep(url, "office", "add", code, "--name", name, "--parent", "cs"), env=run.ENV,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return url


def split(jsonl):
    """Every fourth incident to each county, a file each: [(office, path)]."""
    base = jsonl[:-len(".jsonl")]
    done = base + ".counties"
    chunks = [(code, f"{base}.{code}.jsonl") for code, _ in COUNTIES]
    if not os.path.exists(done):
        files = {code: open(path, "w") for code, path in chunks}
        with open(jsonl) as f:
            for k, line in enumerate(f):
                files[COUNTIES[k % len(COUNTIES)][0]].write(line)
        for f in files.values():
            f.close()
        open(done, "w").close()
    return chunks


def chunk_entries(path):
    with open(path) as f:
        return sum(len(json.loads(line)["entries"]) for line in f)


# What the trigger gets for each stored entry: the row sitrep sends with it (seq, prev and hash
# left for the trigger to set, the incident's row as its projection, open until its final report).
EXPORT = """COPY (SELECT e.office, 0, e.incident, e.n, e.type, e.at, e.recorded, e.by, e.os_user, e.imported,
  e.simulated, e.body, '', '', json_build_object('rules', i.rules, 'title', i.title, 'kind', i.kind,
  'severity', i.severity, 'occurred', i.occurred, 'known', i.known, 'filed', i.filed,
  'closed', CASE WHEN EXISTS (SELECT 1 FROM sitrep.entries f WHERE f.incident = e.incident
                               AND f.type = 'final' AND f.n <= e.n) THEN i.closed END,
  'location', i.location, 'unit', i.unit, 'figures', i.figures, 'last_at', i.last_at)::text
  FROM sitrep.entries e JOIN sitrep.incidents i ON i.id = e.incident
  WHERE e.office = '{office}'
  ORDER BY e.seq) TO STDOUT"""
COLUMNS = "office, seq, incident, n, type, at, recorded, by, os_user, imported, simulated, body, prev, hash, projection"


def plain_chunk_files(c, db, chunks):
    """Each import chunk's rows as the trigger receives them, in COPY's text format."""
    out = []
    for office, path in chunks:
        dest = path[:-len(".jsonl")] + ".copy"
        with open(dest, "w") as f:
            subprocess.run(c.psql_argv(db) + ["-c", EXPORT.format(office=office)], check=True, stdout=f)
        out.append(dest)
    return out


def quoted(s):
    return "'" + s.replace("'", "''") + "'"


def file_sql(office, login, title, rules):
    """The transaction `sitrep file` makes for an officer, as one psql script."""
    body = json.dumps({"header": {"title": title, "kind": "gas", "occurred": run.NOW_S - 1800, "known": run.NOW_S,
                                  "location": "基准路1号", "unit": "基准单位"},
                       "report": {"text": "燃气泄漏", "measures": "已疏散"}, "rules": rules},
                      ensure_ascii=False, separators=(",", ":"))
    projection = json.dumps({"rules": rules, "title": title, "kind": "gas", "severity": "general",
                             "occurred": run.NOW_S - 1800, "known": run.NOW_S, "filed": run.NOW_S, "closed": None,
                             "location": "基准路1号", "unit": "基准单位", "figures": "{}", "last_at": run.NOW_S},
                            ensure_ascii=False, separators=(",", ":"))
    return (f"BEGIN;\nSELECT sitrep.next_number('{office}', '{DAY}') AS num \\gset\n"
            f"SELECT '{office}-{DAY}-' || CASE WHEN :num < 1000 THEN lpad(:num::text, 3, '0') ELSE :num::text END AS id \\gset\n"
            f"SELECT sitrep.lock_office('{office}');\n"
            f"SELECT * FROM sitrep.incidents WHERE id = :'id';\n"
            f"SELECT 1 FROM sitrep.rules WHERE hash = '{rules}';\n"
            f"INSERT INTO sitrep.entries ({COLUMNS}) VALUES ('{office}', 0, :'id', 1, 'initial', {run.NOW_S}, "
            f"{run.NOW_S}, '{login}', 'unknown', false, true, {quoted(body)}, '', '', {quoted(projection)}) "
            f"RETURNING recorded, hash;\nCOMMIT;\n")


def file_argv(url, title):
    return sitrep(url, "file", "--title", title, "--kind", "gas", "--occurred", "30m ago", "--location", "基准路1号",
                  "--unit", "基准单位", "--facts", "燃气泄漏", "--measures", "已疏散")


def officer_env(login):
    return dict(run.ENV, SITREP_USER=login)


def concurrent(jobs):
    """Runs each job's list of (argv, stdin text, env) all at once, a job to a `sh` that runs its
    steps one after another (so the harness's own cost is a shell's fork, not Python's, which
    would take a core from the processes measured on a machine of two); each job's env is its
    first step's. Returns (wall seconds, acknowledged, failures)."""
    work = tempfile.mkdtemp(prefix="sitrep-jobs-", dir=run.OUT)
    procs = []
    for k, steps in enumerate(jobs):
        lines = []
        for i, (argv, stdin, _env) in enumerate(steps):
            cmd = " ".join(shlex.quote(a) for a in argv)
            if stdin is not None:
                path = os.path.join(work, f"{k}-{i}.in")
                with open(path, "w") as f:
                    f.write(stdin)
                cmd += " < " + shlex.quote(path)
            err = shlex.quote(os.path.join(work, f"{k}-{i}.err"))
            lines.append(f"if {cmd} >/dev/null 2>{err}; then echo ok; else echo \"failed $? {i}\"; fi")
        script = os.path.join(work, f"{k}.sh")
        with open(script, "w") as f:
            f.write("read go\n" + "\n".join(lines) + "\n")
        procs.append(subprocess.Popen(["sh", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                      env=steps[0][2]))
    start = time.perf_counter()
    for p in procs:  # all are waiting at `read go`
        p.stdin.write("go\n")
        p.stdin.flush()
    outs = [p.communicate()[0] for p in procs]
    wall = time.perf_counter() - start
    acked, failures = 0, []
    for k, out in enumerate(outs):
        for line in out.splitlines():
            if line == "ok":
                acked += 1
            else:
                _, code, i = line.split()
                with open(os.path.join(work, f"{k}-{i}.err")) as f:
                    failures.append(f"{' '.join(jobs[k][int(i)][0][:4])}… ({code}): {f.read().strip()[-300:]}")
    shutil.rmtree(work, ignore_errors=True)
    return wall, acked, failures


def filers(c, db, officers, per, rules, port, label, rounds=3):
    """32 officers filing at once through `port` (the server's, or PgBouncer's), then the same
    transactions through psql, `rounds` times each, alternating; returns the table's row, with
    the median round of each (the machine is shared: one round can be half as fast as the next)."""
    def url(lg):
        return f"host={c.sock} port={port} dbname={db} user={lg}"

    psql = [os.path.join(c.bin, "psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null", "-f", "-"]
    mine, theirs, all_failures, lost = [], [], [], 0
    for r in range(rounds):
        before = c.value(db, "SELECT count(*) FROM sitrep.incidents")
        jobs = [[(file_argv(url(lg), f"并发事件{port}-{r}-{lg}-{j}"), None, officer_env(lg)) for j in range(per)]
                for _code, lg in officers]
        wall, acked, failures = concurrent(jobs)
        stored = c.value(db, "SELECT count(*) FROM sitrep.incidents") - before
        all_failures += failures
        lost += acked - stored
        if failures or stored != acked:
            print(f"concurrent filings: {len(failures)} failed, {acked} acknowledged, {stored} stored",
                  file=sys.stderr)
            for f in failures[:5]:
                print("  " + f, file=sys.stderr)
        mine.append(acked / wall)
        pjobs = [[(psql + ["-d", url(lg)], file_sql(code, lg, f"并发SQL{port}-{r}-{lg}-{j}", rules), None)
                  for j in range(per)] for code, lg in officers]
        pwall, packed, _ = concurrent(pjobs)
        theirs.append(packed / pwall)
    rate, prate = statistics.median(mine), statistics.median(theirs)
    rounds_text = ", ".join(f"{x:,.0f}" for x in mine)
    return (f"{label} ({len(officers)}×{per}, median of {rounds}), wall per filing", 1 / rate, None, 1 / prate,
            f"{rate:,.0f} filings/s (rounds: {rounds_text}), {len(all_failures)} failed, {lost} acknowledged but "
            f"not stored; psql {prate:,.0f}/s", rate >= 200 and not all_failures and lost == 0,
            "≥ 200 filings/s, none lost")


class Bouncer:
    """PgBouncer in session mode in front of the cluster, on its socket directory: a pool per
    login (each keeps its own identity, which row-level security reads), its default reset
    (`DISCARD ALL`) between two clients. (A reset that keeps the server's cached plans measured
    the same, within the noise, once opening a store took two statements.)"""

    PORT = 6432

    def __init__(self, c, logins, reset="DISCARD ALL"):
        self.c = c
        self.reset = reset
        self.program = shutil.which("pgbouncer") or next(iter(glob.glob("/usr/sbin/pgbouncer")), None)
        self.logins = logins
        self.ini = os.path.join(c.root, "pgbouncer.ini")
        self.pid = os.path.join(c.root, "pgbouncer.pid")
        self.started = False

    def start(self):
        users = os.path.join(self.c.root, "pgbouncer-users.txt")
        with open(users, "w") as f:
            f.writelines(f'"{lg}" ""\n' for lg in self.logins)
        with open(self.ini, "w") as f:
            f.write(f"[databases]\n* = host={self.c.sock} port={self.c.port}\n[pgbouncer]\nlisten_addr =\n"
                    f"unix_socket_dir = {self.c.sock}\nlisten_port = {self.PORT}\nauth_type = trust\n"
                    f"auth_file = {users}\npool_mode = session\nmax_client_conn = 400\ndefault_pool_size = 4\n"
                    f"server_reset_query = {self.reset}\nlogfile = {self.c.root}/pgbouncer.log\n"
                    f"pidfile = {self.pid}\n")
        os.chmod(users, 0o644)
        os.chmod(self.ini, 0o644)
        run.sh(self.c.as_pg + [self.program, "-d", self.ini], stdout=subprocess.DEVNULL)
        self.started = True
        for _ in range(100):
            if os.path.exists(os.path.join(self.c.sock, f".s.PGSQL.{self.PORT}")) and os.path.exists(self.pid):
                with open(self.pid) as f:
                    print(f"  PgBouncer {f.read().strip()}: server_reset_query = {self.reset}", file=sys.stderr)
                return
            time.sleep(0.05)
        sys.exit("PgBouncer did not start: see " + os.path.join(self.c.root, "pgbouncer.log"))

    def stop(self):
        if self.started and os.path.exists(self.pid):
            with open(self.pid) as f:
                subprocess.run(["kill", f.read().strip()])
            sock = os.path.join(self.c.sock, f".s.PGSQL.{self.PORT}")
            for _ in range(100):  # gone before the next one starts
                if not os.path.exists(sock) and not os.path.exists(self.pid):
                    break
                time.sleep(0.05)


def bench(c, args, n_inc, n_ent, n_open):
    rows = []
    jsonl = run.ledger(f"ledger-{n_inc}.jsonl", n_inc, n_ent, n_open)
    chunks = split(jsonl)
    db = "bench"
    url = make_store(c, db)

    # import: each county's share by a process of its own, one after another; the rate is all
    # the entries over the sum of the processes' times.
    t_import, m_import, imported = 0.0, 0, 0
    for k, (office, path) in enumerate(chunks):
        t, m, _ = run.timed(sitrep(url, "import", "--office", office, path))
        t_import += t
        m_import = max(m_import, m)
        imported += chunk_entries(path)
        print(f"  import {k + 1}/{len(chunks)} ({office}): {t:.1f} s", file=sys.stderr)
    # The same four imports into a store of their own, all at once: the owner moving a city's
    # counties in (each county's chain is its own, so none waits for another).
    par_url = make_store(c, "par")
    t_par, _, par_fail = concurrent([[(sitrep(par_url, "import", "--office", office, path), None, run.ENV)]
                                     for office, path in chunks])
    par_entries = c.value("par", "SELECT count(*) FROM sitrep.entries")
    c.psql("postgres", "DROP DATABASE par")
    print(f"  import, 4 at once: {t_par:.1f} s, {par_entries:,} entries", file=sys.stderr)
    c.psql(db, "VACUUM ANALYZE")
    entries = c.value(db, "SELECT count(*) FROM sitrep.entries")
    incidents = c.value(db, "SELECT count(*) FROM sitrep.incidents")
    open_now = c.value(db, "SELECT count(*) FROM sitrep.incidents WHERE closed IS NULL")
    size_mb = c.value(db, f"SELECT pg_database_size('{db}')") / 2**20
    if entries != imported:
        sys.exit(f"imported {imported} entries, the store holds {entries}")

    # The same import as plain SQL: the rows sitrep sent, COPYed through psql into a fresh store
    # (the same schema, trigger and offices), a psql process and a transaction per county. On
    # the full data only the first county (a rate is compared, not a total: the trigger's row
    # by row is slow).
    plain_chunks = chunks if args.quick else chunks[:1]
    copies = plain_chunk_files(c, db, plain_chunks)
    rules_copy = c.psql(db, "COPY sitrep.rules TO STDOUT")
    make_store(c, "plain")
    c.psql("plain", None, stdin="CREATE TEMP TABLE r (LIKE sitrep.rules);\nCOPY r FROM STDIN;\n" + rules_copy +
           "\n\\.\nINSERT INTO sitrep.rules SELECT * FROM r ON CONFLICT DO NOTHING;\n")
    t_plain, n_plain = 0.0, 0
    for (office, path), copy in zip(plain_chunks, copies):
        script = os.path.join(run.OUT, "plain-import.sql")
        with open(script, "w") as f:
            f.write(f"BEGIN;\n\\copy sitrep.entries ({COLUMNS}) FROM '{copy}'\nCOMMIT;\n")
        t, _, _ = run.timed(c.psql_argv("plain") + ["-f", script])
        t_plain += t
        n_plain += chunk_entries(path)
    rate, plain_rate = entries / t_import, n_plain / t_plain
    rows.append((f"import ({len(chunks)} processes, one after another, summed)", t_import, m_import,
                 t_plain * entries / n_plain, f"{rate:,.0f} entries/s; psql {plain_rate:,.0f}/s", rate >= 50_000,
                 "≥ 50,000 entries/s"))
    par_rate = par_entries / t_par
    ok = not par_fail and par_entries == entries
    rows.append((f"import ({len(chunks)} counties at once, wall)", t_par, None, t_plain * entries / n_plain,
                 f"{par_rate:,.0f} entries/s" + ("" if ok else f"; {len(par_fail)} FAILED, {par_entries} stored"),
                 par_rate >= 50_000 and ok, "≥ 50,000 entries/s"))
    c.psql("postgres", "DROP DATABASE plain")
    # What the imports wrote goes to disk now, not while the reads and filings are timed.
    c.psql(db, "CHECKPOINT")

    # Logins: the city's supervisor, and eight officers in each county.
    c.psql(db, 'CREATE ROLE city1 LOGIN')
    run.sh(sitrep(url, "office", "grant", "cs", "city1", "--supervisor"), env=run.ENV, stdout=subprocess.DEVNULL,
           stderr=subprocess.DEVNULL)
    officers = [(code, f"{code}o{k}") for k in range(1, OFFICERS + 1) for code, _ in COUNTIES]
    for code, login in officers:
        c.psql(db, f'CREATE ROLE "{login}" LOGIN')
        run.sh(sitrep(url, "office", "grant", code, login), env=run.ENV, stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL)
    city = c.url(db, "city1")

    listed = json.loads(subprocess.run(sitrep(url, "list", "--open", "--limit", "1", "--format", "json"),
                                       check=True, capture_output=True, text=True, env=run.ENV).stdout)
    show_id = listed[0]["id"]
    rules = c.psql(db, "SELECT hash FROM sitrep.office_rules WHERE office = 'c1' ORDER BY version DESC LIMIT 1")
    t24 = run.NOW_S - 86400
    day_from, day_to = 1793145600, 1793232000  # 2026-10-28 08:00 +08:00 to the next 08:00
    row = "id, title, kind, severity, occurred, known, filed, closed, location, unit, figures, rules, last_at"
    entry = "n, at, recorded, by, os_user, imported, simulated, hash, body, incident, type"
    check_ids = (f"SELECT id FROM sitrep.incidents WHERE closed IS NULL UNION ALL SELECT id FROM sitrep.incidents "
                 f"WHERE closed >= {t24} UNION ALL SELECT incident FROM sitrep.entries WHERE at >= {t24} AND type = 'final'")
    window_ids = (f"SELECT incident FROM sitrep.entries WHERE at >= {day_from} AND at < {day_to} UNION ALL SELECT id "
                  f"FROM sitrep.incidents WHERE closed IS NULL AND filed < {day_to} UNION ALL SELECT id FROM "
                  f"sitrep.incidents WHERE closed >= {day_to} AND filed < {day_to}")
    ro = "START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;"

    def scope_sql(ids):
        return (f"{ro} SELECT hash, text FROM sitrep.rules ORDER BY hash; SELECT {row} FROM sitrep.incidents WHERE id "
                f"IN ({ids}) ORDER BY filed, id; SELECT {entry} FROM sitrep.entries WHERE incident IN ({ids}) "
                f"ORDER BY incident, n; COMMIT;")

    check_sql = scope_sql(check_ids)
    cases = [
        ("check (owner)", sitrep(url, "check", "--format", "json"), check_sql, "postgres", 0.150, "< 150 ms"),
        ("check (city supervisor)", sitrep(city, "check", "--format", "json"), check_sql, "city1", 0.150, "< 150 ms"),
        ("digest (one day)", sitrep(url, "digest", "--date", "2026-10-28", "--format", "json"), scope_sql(window_ids),
         "postgres", None, ""),
        ("show", sitrep(url, "show", show_id, "--format", "json"),
         f"{ro} SELECT {row} FROM sitrep.incidents WHERE id = '{show_id}'; SELECT {entry} FROM sitrep.entries WHERE "
         f"incident = '{show_id}' ORDER BY n; SELECT text FROM sitrep.rules WHERE hash = '{rules}'; COMMIT;",
         "postgres", 0.025, "< 25 ms"),
        ("list --open", sitrep(url, "list", "--open", "--format", "json"),
         f"{ro} SELECT {row} FROM sitrep.incidents WHERE closed IS NULL ORDER BY filed DESC, id DESC; COMMIT;",
         "postgres", None, ""),
        ("verify", sitrep(url, "verify"),
         f"{ro} SELECT count(sitrep.entry_hash(prev, seq, incident, n, type, at, recorded, by, os_user, imported, "
         f"simulated, body) = hash) FROM sitrep.entries; COMMIT;", "postgres", None, ""),
    ]
    for name, argv, q, user, target, label in cases:
        runs = 3 if name == "verify" else args.runs
        t, m = run.median_of(runs, lambda _i, a=argv: a)
        ts, _ = run.median_of(runs, lambda _i, u=user, q=q: c.psql_argv(db, u) + ["-o", "/dev/null", "-c", q])
        rows.append((name, t, m, ts, "", None if target is None else t < target, label))

    # file: one officer of c1 files a new incident, a process each time; then the same
    # transaction through psql as that officer.
    login = "c1o1"
    off_url = c.url(db, login)

    def file_one(i):
        return file_argv(off_url, f"基准测试事件{i}")

    times, peaks = [], []
    for i in range(args.runs):
        t, m, _ = run.timed(file_one(i), env=officer_env(login))
        times.append(t)
        peaks.append(m)
    t_file, m_file = statistics.median(times), max(peaks)
    plain_times = []
    for i in range(args.runs):
        start = time.perf_counter()
        subprocess.run(c.psql_argv(db, login) + ["-o", "/dev/null", "-f", "-"], check=True,
                       input=file_sql("c1", login, f"基准SQL{i}", rules), text=True)
        plain_times.append(time.perf_counter() - start)
    rows.append(("file", t_file, m_file, statistics.median(plain_times), "synchronous_commit=on",
                 t_file < 0.025, "< 25 ms"))

    # 32 officers at once, 8 in each county, each filing `per` incidents one process after another:
    # straight to the server, then through PgBouncer where it is installed.
    per = args.filings
    rows.append(filers(c, db, officers, per, rules, c.port, "32 filers"))
    bouncer = Bouncer(c, ["postgres", "city1"] + [lg for _code, lg in officers])
    if bouncer.program:
        try:
            bouncer.start()
            rows.append(filers(c, db, officers, per, rules, Bouncer.PORT, "32 filers through PgBouncer (session)"))
        finally:
            bouncer.stop()
    else:
        print("PgBouncer is not installed (apt-get install pgbouncer): the pooled filings are left out",
              file=sys.stderr)

    # The machine's ceiling for a process and a connection per filing: 32 psql processes at once,
    # each connecting and running `SELECT 1`, the same number of times.
    cjobs = [[(c.psql_argv(db, lg) + ["-o", "/dev/null", "-c", "SELECT 1"], None, None) for _j in range(per)]
             for _code, lg in officers]
    cwall, cacked, _ = concurrent(cjobs)
    ceiling = f"connection ceiling: 32 psql processes at once, each connecting for one `SELECT 1`: {cacked / cwall:,.0f}/s"

    # The chains still verify after all that.
    check = subprocess.run(sitrep(url, "verify"), capture_output=True, text=True, env=run.ENV)
    verified = "verify after the filings: " + ("ok" if check.returncode == 0 else f"FAILED ({check.returncode}): "
                                                + check.stdout.strip()[-300:])
    return rows, (incidents, entries, open_now, size_mb, len(chunks)), [ceiling, verified]


def main(args):
    scale = 10 if args.quick else 1
    n_inc, n_ent, n_open = 100_000 // scale, 1_000_000 // scale, 1_000
    os.makedirs(run.OUT, exist_ok=True)
    if not args.no_build:
        run.sh(["cargo", "build", "--release", "--locked", "-q"], cwd=run.ROOT)
    os.chdir(run.OUT)  # away from the checkout: sitrep's built-in rules
    settings = {"fsync": "on", "synchronous_commit": "on", "shared_buffers": "512MB", "max_connections": "100"}
    c = Cluster(settings)
    try:
        c.start()
        version = c.psql("postgres", "SHOW server_version")
        print(f"machine: {os.cpu_count()} cores; PostgreSQL {version}; "
              + ", ".join(f"{k}={v}" for k, v in settings.items()), file=sys.stderr)
        rows, (incidents, entries, open_now, size_mb, n_chunks), verified = bench(c, args, n_inc, n_ent, n_open)
    finally:
        c.stop()
    lines = [
        f"PostgreSQL {version}, " + ", ".join(f"{k}={v}" for k, v in settings.items()),
        f"database: {incidents:,} incidents, {entries:,} entries, {open_now:,} open, in 4 county offices "
        f"(imported by {n_chunks} processes); {size_mb:,.0f} MiB",
        "",
        "| command | sitrep median | peak RSS | plain SQL median | ratio | note | target |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for name, t, m, ts, note, ok, label in rows:
        mem = "" if m is None else f"{m / 1024:.1f} MiB"
        mark = "" if ok is None else (" ✓" if ok else " ✗")
        lines.append(f"| {name} | {t * 1000:,.1f} ms | {mem} | {ts * 1000:,.1f} ms | {t / ts:.2f}x | {note} | "
                     f"{label}{mark} |")
    lines += [""] + verified
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(run.OUT, "results-pg.md"), "w") as f:
        f.write(text + "\n")
