//! What the tests of the word rules share: the plan language, and a rule run on a plan.

use super::*;

pub(super) fn language() -> Language {
    Language::reference(&vehicle::reference::catalog()).expect("built-in functions file")
}

pub(super) fn plan(text: &str) -> Plan {
    language().parse_plan(text).expect("a valid plan")
}

/// What `rule` leaves of the model's plan for the words said, as a test reads it:
/// `settled(model, said)`.
pub(super) fn settled_by<'a>(
    rule: impl Fn(&mut Plan, &str) + 'a,
) -> impl Fn(&str, &str) -> String + 'a {
    move |model, said| {
        let mut plan = plan(model);
        rule(&mut plan, said);
        plan.to_string()
    }
}
