//! What a person types for a rules id is taken as a person means it (DESIGN.md §4): the id, or
//! its label (`--level 分管领导`, `--kind 道路交通`), with `-` and `_` alike and case ignored;
//! an unknown value names the nearest valid one (`did you mean road_traffic (道路交通)?`) and
//! lists the rest.

use super::{Named, Rules};
use crate::i18n::Msg;
use crate::msg;

/// How ids are compared: case and `-`/`_` ignored, spaces dropped.
fn norm(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '-' { '_' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The id of `typed` among `items` (id, label), or a refusal naming the nearest and the rest.
pub fn resolve(typed: &str, items: &[(&str, &str)], what: (&str, &str)) -> Result<String, Msg> {
    let t = norm(typed);
    if let Some((id, _)) = items
        .iter()
        .find(|(id, label)| norm(id) == t || norm(label) == t)
    {
        return Ok((*id).to_owned());
    }
    let shown = |(id, label): &(&str, &str)| {
        if id == label {
            (*id).to_owned()
        } else {
            format!("{id} ({label})")
        }
    };
    // In Chinese the labels, which are accepted as they are.
    let shown_zh = |(_, label): &(&str, &str)| (*label).to_owned();
    // The nearest by edit distance over characters, of ids and labels alike; close enough to be
    // what was meant only if most of it matches.
    let nearest = items
        .iter()
        .map(|item| {
            let d = [item.0, item.1]
                .iter()
                .map(|s| strsim::normalized_levenshtein(&norm(s), &t))
                .fold(0.0, f64::max);
            (d, item)
        })
        .filter(|(d, _)| *d >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, item)| item);
    let (w, w_zh) = what;
    let typed = typed.trim();
    let list = items.iter().map(shown).collect::<Vec<_>>().join(", ");
    let list_zh = items.iter().map(shown_zh).collect::<Vec<_>>().join("、");
    Err(match nearest {
        Some(n) => {
            let (near, near_zh) = (shown(n), shown_zh(n));
            msg!(
                "unknown {w} `{typed}`: did you mean {near}? The {w}s are: {list}",
                "未知的{w_zh}“{typed}”：是否想用“{near_zh}”？可用的{w_zh}：{list_zh}"
            )
        }
        None => msg!(
            "unknown {w} `{typed}`; the {w}s are: {list}",
            "未知的{w_zh}“{typed}”；可用的{w_zh}：{list_zh}"
        ),
    })
}

fn pairs(items: &[Named]) -> Vec<(&str, &str)> {
    items
        .iter()
        .map(|n| (n.id.as_str(), n.label.as_str()))
        .collect()
}

impl Rules {
    /// The kind an officer means by `typed` (id or label).
    pub fn kind_id(&self, typed: &str) -> Result<String, Msg> {
        let items: Vec<(&str, &str)> = self
            .kinds
            .iter()
            .map(|k| (k.id.as_str(), k.label.as_str()))
            .collect();
        resolve(typed, &items, ("kind", "事件类型"))
    }

    pub fn level_id(&self, typed: &str) -> Result<String, Msg> {
        let items: Vec<(&str, &str)> = self
            .levels
            .iter()
            .map(|l| (l.id.as_str(), l.label.as_str()))
            .collect();
        resolve(typed, &items, ("level", "层级"))
    }

    pub fn severity_id(&self, typed: &str) -> Result<String, Msg> {
        let items: Vec<(&str, &str)> = self
            .severities
            .iter()
            .map(|s| (s.id.as_str(), s.label.as_str()))
            .collect();
        resolve(typed, &items, ("severity", "事故等级"))
    }

    pub fn channel_id(&self, typed: &str) -> Result<String, Msg> {
        resolve(typed, &pairs(&self.channels), ("channel", "报送方式"))
    }

    /// A step, by its id or label.
    pub fn step_id(&self, typed: &str) -> Result<String, Msg> {
        let items: Vec<(&str, &str)> = self
            .steps
            .iter()
            .map(|s| (s.id.as_str(), s.label.as_deref().unwrap_or(&s.id)))
            .collect();
        resolve(typed, &items, ("step", "环节"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_labels_and_dashes_all_name_the_same() {
        let r = Rules::builtin();
        for typed in [
            "road_traffic",
            "road-traffic",
            "Road_Traffic",
            "道路交通",
            " 道路交通 ",
        ] {
            assert_eq!(r.kind_id(typed), Ok("road_traffic".to_owned()), "{typed}");
        }
        assert_eq!(r.level_id("分管领导"), Ok("leader_in_charge".to_owned()));
        assert_eq!(
            r.level_id("leader-in-charge"),
            Ok("leader_in_charge".to_owned())
        );
        assert_eq!(r.severity_id("重大"), Ok("major".to_owned()));
        assert_eq!(r.channel_id("书面"), Ok("written".to_owned()));
        assert_eq!(r.channel_id("in_person"), Ok("in-person".to_owned()));
    }

    #[test]
    fn an_unknown_value_names_the_nearest_and_the_rest() {
        let r = Rules::builtin();
        let e = r.kind_id("road_trafic").expect_err("unknown");
        assert!(
            e.en.contains("did you mean road_traffic (道路交通)?"),
            "{}",
            e.en
        );
        assert!(e.zh.contains("是否想用“道路交通”？"), "{}", e.zh);
        let e = r.kind_id("道路交同").expect_err("unknown");
        assert!(e.en.contains("did you mean road_traffic"), "{}", e.en);
        let e = r.kind_id("volcano").expect_err("unknown");
        assert!(!e.en.contains("did you mean"), "{}", e.en);
        assert!(e.en.contains("the kinds are: fire (火灾)"), "{}", e.en);
    }
}
