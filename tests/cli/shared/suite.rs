//! The storage suite (`store_suite`) against the PostgreSQL backend: each case on a new test
//! store with one office, through the seam as its officer, as the file and memory backends run
//! it.

use std::collections::HashMap;

use sitrep::rules::{DEFAULT_TEXT, Rules};
use sitrep::store::pg::conninfo::PgEnv;
use sitrep::store::{Location, Store};

/// The name the suite's entries are made in, which must be the login's on a shared store.
const OFFICER: &str = "值班员";
use crate::pg::cluster::cluster;

#[test]
fn postgresql() {
    let Some(c) = cluster() else { return };
    c.create_login(OFFICER);
    let env = PgEnv::from_env(&HashMap::new(), None);
    crate::store_suite::run("postgresql", &mut || {
        let db = c.fresh_db();
        let owner = Location::parse(&c.url(&db, c.superuser()), &env);
        let (mut store, existed) = Store::create_shared(&owner, true).expect("init");
        assert!(!existed);
        let rules = Rules::builtin();
        let pg = store.postgres().expect("a shared store");
        pg.offices()
            .add(&sitrep::store::pg::OfficeAdd {
                code: "t",
                name: "测试单位",
                parent: None,
                rules_hash: &rules.hash,
                rules_text: DEFAULT_TEXT,
                now: 0,
            })
            .expect("office");
        pg.offices().grant("t", OFFICER, false).expect("grant");
        drop(store);
        let officer = Location::parse(&c.url(&db, OFFICER), &env);
        Store::open(&officer).expect("opens as the officer")
    });
}
