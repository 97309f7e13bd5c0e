//! Test fixtures: incidents built entry by entry at fixed instants (tests only).

use chrono::{DateTime, Duration};

use super::model::{
    Body, Cause, CauseStatus, Changes, Entry, Escalation, Figures, Header, Instant, Report,
};
use crate::rules::Rules;

/// 2026-03-10 14:00 in Shanghai: the known time of fixture incidents.
pub fn t0() -> Instant {
    DateTime::parse_from_rfc3339("2026-03-10T14:00:00+08:00")
        .expect("valid")
        .to_utc()
}

/// `t0` plus minutes.
pub fn m(minutes: i64) -> Instant {
    t0() + Duration::minutes(minutes)
}

/// `t0` plus seconds.
pub fn s(seconds: i64) -> Instant {
    t0() + Duration::seconds(seconds)
}

/// An incident under construction.
pub struct Builder {
    pub entries: Vec<Entry>,
}

pub fn figures(list: &[(&str, i64)]) -> Figures {
    list.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

impl Builder {
    /// An incident that occurred 5 minutes before t0, known at t0, filed at t0 with measures.
    pub fn new(rules: &Rules, kind: &str) -> Builder {
        Builder::filed_at(rules, kind, t0(), true, &[])
    }

    pub fn filed_at(
        rules: &Rules,
        kind: &str,
        at: Instant,
        measures: bool,
        figs: &[(&str, i64)],
    ) -> Builder {
        let body = Body::Initial {
            header: Header {
                title: "化工厂储罐泄漏".into(),
                kind: kind.into(),
                occurred: t0() - Duration::minutes(5),
                known: t0(),
                location: "开发区".into(),
                unit: "区应急局".into(),
                source: None,
                accident_unit: None,
            },
            report: Report {
                text: "储罐泄漏".into(),
                measures: measures.then(|| "疏散".into()),
                figures: figures(figs),
                cause: None,
            },
            severity: None,
            rules: rules.hash.clone(),
        };
        let mut b = Builder {
            entries: Vec::new(),
        };
        b.push(at, body);
        b
    }

    pub fn push(&mut self, at: Instant, body: Body) -> &mut Self {
        let n = u32::try_from(self.entries.len() + 1).expect("small");
        self.entries.push(Entry {
            n,
            at,
            recorded: at,
            by: "值班员".into(),
            os_user: "duty".into(),
            imported: false,
            simulated: true,
            hash: format!("h{n}"),
            body,
        });
        self
    }

    pub fn escalate(&mut self, at: Instant, level: &str, channel: &str) -> &mut Self {
        self.escalate_with(at, level, channel, None)
    }

    pub fn escalate_with(
        &mut self,
        at: Instant,
        level: &str,
        channel: &str,
        reason: Option<&str>,
    ) -> &mut Self {
        self.push(
            at,
            Body::Escalation {
                escalation: Escalation {
                    level: level.into(),
                    channel: channel.into(),
                    contact: None,
                    reason: reason.map(Into::into),
                    signed_by: None,
                },
            },
        )
    }

    pub fn followup(&mut self, at: Instant, figs: &[(&str, i64)]) -> &mut Self {
        self.push(
            at,
            Body::Followup {
                report: Report {
                    text: "处置中".into(),
                    measures: None,
                    figures: figures(figs),
                    cause: None,
                },
                severity: None,
            },
        )
    }

    /// A follow-up that declares a severity.
    pub fn declare(&mut self, at: Instant, severity: &str) -> &mut Self {
        self.push(
            at,
            Body::Followup {
                report: Report {
                    text: "认定".into(),
                    ..Report::default()
                },
                severity: Some(severity.into()),
            },
        )
    }

    pub fn close(&mut self, at: Instant) -> &mut Self {
        self.close_with(at, None)
    }

    pub fn close_with(&mut self, at: Instant, cause: Option<CauseStatus>) -> &mut Self {
        self.push(
            at,
            Body::Final {
                report: Report {
                    text: "处置完毕".into(),
                    measures: Some("善后".into()),
                    figures: Figures::new(),
                    cause: cause.map(|status| Cause {
                        text: "阀门老化".into(),
                        status,
                    }),
                },
            },
        )
    }

    pub fn correct(&mut self, at: Instant, n: u32, changes: Changes) -> &mut Self {
        self.push(
            at,
            Body::Correction {
                corrects: n,
                reason: "记错".into(),
                changes,
            },
        )
    }
}
