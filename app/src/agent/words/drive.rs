//! The drive as the words say it: the trip, the speed limit, and leaving the car.

use super::*;

/// Whether the words ask about the trip ("how long until we get there", "what's our ETA",
/// "how far is it"): the car does not know where it is going. Not "how far can we go", which
/// is the range.
pub(super) fn asks_about_the_trip(utterance: &str) -> bool {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let says = |phrase: &str| {
        let phrase: Vec<&str> = phrase.split(' ').collect();
        words.windows(phrase.len()).any(|w| w == phrase.as_slice())
    };
    let range = words
        .iter()
        .any(|w| matches!(*w, "can" | "range" | "battery" | "charge" | "left"));
    // "How far is it open" asks about a window.
    let opening = words.iter().any(|w| {
        matches!(
            *w,
            "open" | "opened" | "closed" | "down" | "up" | "window" | "sunroof" | "shade"
        )
    });
    words.contains(&"eta")
        || says("how long until")
        || says("how long till")
        || says("how long to")
        || says("how long before we")
        || says("how much longer")
        || says("are we there yet")
        || says("when will we")
        || says("when do we get")
        || says("when do we arrive")
        || says("what time will we")
        || (says("how far")
            && !range
            && !opening
            && (says("is it") || says("away") || says("to go")))
}

/// The trip is not known: a plan that answers about the car ("how long until we get there"
/// was answered with the range) is nothing, and `small_talk` says why.
pub(super) fn trip_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
    let answers = plan
        .statements
        .iter()
        .all(|s| matches!(s, Statement::Answer { .. }));
    if asks_about_the_trip(utterance)
        && answers
        && let Ok(nothing) = language.parse_plan("none")
    {
        tracing::debug!(model = %plan, "the trip is not known");
        *plan = nothing;
    }
}

/// The speed limit is not the speed: the car does not know it, and the model answered "what's
/// the speed limit" with the car's speed.
pub(super) fn speed_limit_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let limit = words.windows(2).any(|pair| pair == ["speed", "limit"]);
    let speed = matches!(
        plan.statements.as_slice(),
        [Statement::Answer { query, .. }] if query == "speed"
    );
    if limit
        && speed
        && let Ok(nothing) = language.parse_plan("none")
    {
        tracing::debug!("the speed limit is not known");
        *plan = nothing;
    }
}

/// Leaving the car asks nothing of the climate: the model shipped on 2026-12-06 set 22 °C for
/// "I'm getting out". A plan that only sets the climate, for words that take leave and name
/// nothing of it, is nothing (and `small_talk` says goodbye); "I'm getting out, unlock the
/// doors" stands.
pub(super) fn leaving_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let climate_only = !plan.statements.is_empty()
        && plan.statements.iter().all(|s| {
            matches!(s, Statement::Set { function, .. } if matches!(function.as_str(),
                "temperature" | "fan" | "airflow" | "seat_heating" | "seat_cooling" | "ac"))
        });
    if says_goodbye(&words)
        && climate_only
        && !words.iter().any(|w| CLIMATE_WORDS.contains(w))
        && let Ok(nothing) = language.parse_plan("none")
    {
        tracing::debug!(model = %plan, "leaving asks nothing of the climate");
        *plan = nothing;
    }
}
