//! Through PgBouncer in session mode, as the README advises where many officers file at once:
//! every command works as straight to the server, each officer is still their own login to
//! PostgreSQL (pools are per login: the recorded `by`, row-level security), and a login's
//! backend serving one command after another carries nothing from one to the next.

use super::env::Shared;
use crate::env::Run;
use crate::pg::bouncer::Bouncer;

const A: &str = "甲县值班员";
const B: &str = "乙县值班员";
const CITY: &str = "市带班领导";

fn run_at(s: &Shared<'_>, url: &str, login: &str, args: &[&str]) -> Run {
    let o = s
        .env
        .std_cmd(args)
        .env("SITREP_DB", url)
        .env("SITREP_USER", login)
        .output()
        .expect("runs");
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

#[test]
fn officers_file_through_pgbouncer_each_as_themselves_and_the_city_sees_both() {
    let Some(s) = Shared::city() else {
        return;
    };
    s.grant("ca", A, false);
    s.grant("cb", B, false);
    s.grant("cs", CITY, true);
    let owner = s.owner().to_owned();
    let Some(pool) = Bouncer::start(s.cluster, &[&owner, A, B, CITY]) else {
        return;
    };
    let ok = |login: &str, args: &[&str]| {
        let r = run_at(&s, &pool.url(&s.db, login), login, args);
        assert_eq!(r.code, 0, "{args:?} as {login}: {}", r.stderr);
        r.stdout
    };
    let file = |login: &str, title: &str| {
        let args =
            crate::env::file_args(&["--title", title, "--occurred", "14:05", "--known", "14:10"]);
        ok(login, &args).lines().next().expect("an id").to_owned()
    };

    // One after another, so the pool hands the same server backends to different clients.
    let a1 = file(A, "化工园区储罐泄漏");
    let b1 = file(B, "国道塌方");
    let a2 = file(A, "居民楼火灾");
    ok(
        A,
        &[
            "escalate",
            &a1,
            "--level",
            "leader_in_charge",
            "--contact",
            "王副县长",
        ],
    );
    assert!(a1.starts_with("ca-") && a1.ends_with("-001"), "{a1}");
    assert!(a2.ends_with("-002"), "{a2}");
    assert!(b1.starts_with("cb-") && b1.ends_with("-001"), "{b1}");
    assert_eq!(
        s.owner_sql(
            "SELECT string_agg(DISTINCT office || ':' || \"by\", ' ' ORDER BY office || ':' || \"by\") \
             FROM sitrep.entries"
        ),
        format!("ca:{A} cb:{B}")
    );

    // Row-level security sees the client's login, not whoever used the backend before.
    let listed = ok(B, &["list"]);
    assert!(listed.contains(&b1) && !listed.contains(&a1), "{listed}");
    let r = run_at(&s, &pool.url(&s.db, B), B, &["show", &a1]);
    assert_ne!(r.code, 0, "{B} read {a1} through the pool");
    let check = run_at(&s, &pool.url(&s.db, CITY), CITY, &["check", "--all"]);
    assert!(
        check.stdout.contains(&a1) && check.stdout.contains(&b1),
        "{}",
        check.stdout
    );

    // Eight at once through the pool, four in each county: all stored, numbered without gaps.
    let handles: Vec<_> = (0..8)
        .map(|k| {
            let login = if k % 2 == 0 { A } else { B };
            let mut c = s.env.std_cmd(&crate::env::file_args(&[
                "--title",
                &format!("并发{k}"),
                "--occurred",
                "14:05",
                "--known",
                "14:10",
            ]));
            c.env("SITREP_DB", pool.url(&s.db, login))
                .env("SITREP_USER", login);
            std::thread::spawn(move || c.output().expect("runs"))
        })
        .collect();
    for h in handles {
        let o = h.join().expect("joins");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(
        s.owner_sql(
            "SELECT string_agg(office || ':' || n, ' ' ORDER BY office) FROM \
             (SELECT office, count(*) AS n, max(number) AS top FROM sitrep.incidents \
              GROUP BY office HAVING count(*) = max(number)) x"
        ),
        "ca:6 cb:5"
    );
    let verified = ok(&owner, &["verify"]);
    assert!(verified.trim_end().ends_with("ok"), "{verified}");

    // It all went through PgBouncer: without it, its address answers nothing.
    let url = pool.url(&s.db, A);
    drop(pool);
    let r = run_at(&s, &url, A, &["list"]);
    assert_ne!(r.code, 0, "{}", r.stdout);
    assert!(r.stderr.contains("cannot connect"), "{}", r.stderr);
}
