use super::*;

#[test]
fn builtin_rules_are_valid() {
    let r = Rules::builtin();
    assert_eq!(r.severities.len(), 4);
}
