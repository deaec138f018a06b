//! What the last turn makes of this one: a follow-up that names no seat stays where the
//! last request was ("a bit warmer"), a thing added ("and the fog lights") is done as the
//! last request did, a correction ("no, the passenger's") replaces it, a seat added to a
//! request for the whole car, and a question that names no seat asks where the last one was.

use super::*;

/// The function a plan of one `set`, `ask` or `answer` is about: what "it" means in the next
/// turn. A question counts: after "what's the fan at", the model read "turn it down" as the
/// volume. (A sensor asked about is no card, and the caller leaves it out.)
pub(super) fn subject(plan: &crate::lm::Plan) -> Option<&str> {
    subject_and_zone(plan).map(|(function, _)| function)
}

/// The function and zone of a plan of one `set`, `ask` or `answer`.
pub(super) fn subject_and_zone(plan: &crate::lm::Plan) -> Option<(&str, &str)> {
    match plan.statements.as_slice() {
        [
            Statement::Set { function, zone, .. }
            | Statement::Ask { function, zone }
            | Statement::Answer {
                query: function,
                zone,
            },
        ] => Some((function, zone)),
        _ => None,
    }
}

/// `plan` with "my" in its `set`s written as the seat that spoke: "no, the other one" after
/// the passenger's "open my window" is the driver's window, which "set window my max" does
/// not tell.
pub(super) fn with_seats_named(
    plan: &crate::lm::Plan,
    language: &Language,
    seat: Seat,
) -> crate::lm::Plan {
    let mut plan = plan.clone();
    for statement in &mut plan.statements {
        if let Statement::Set { function, zone, .. } = statement {
            let named = language
                .function(function)
                .is_some_and(|f| f.zone_words().contains(&seat_word(seat)));
            if zone == "my" && named {
                *zone = seat_word(seat).into();
            }
        }
    }
    plan
}

/// The answer to a question back about one of a few values ("Which speed?" … "automatic"):
/// the plan that sets the value the words name. The model read a lone "interval" or
/// "automatic" as a temperature.
pub(super) fn answers_the_question(
    last: &crate::lm::Plan,
    utterance: &str,
    language: &Language,
) -> Option<crate::lm::Plan> {
    let [Statement::Ask { function, zone }] = last.statements.as_slice() else {
        return None;
    };
    let f = language.function(function)?;
    let Kind::Choice(values) = &f.kind else {
        return None;
    };
    let lower = utterance.to_lowercase();
    let value_of = |word: &str| -> Option<String> {
        let value = match (f.name.as_str(), word) {
            ("wipers", "slow" | "low") => "SLOW",
            ("wipers", "medium" | "normal") => "MEDIUM",
            ("wipers", "fast" | "high" | "quick") => "FAST",
            ("wipers", "interval" | "intermittent") => "INTERVAL",
            ("wipers", "auto" | "automatic" | "rain" | "sensor") => "RAIN_SENSOR",
            ("wipers", "off") => "OFF",
            ("airflow", "windshield" | "windscreen" | "screen" | "glass") => "UP",
            ("airflow", "face" | "middle" | "vents") => "MIDDLE",
            ("airflow", "feet" | "floor" | "legs") => "DOWN",
            ("ambient_color", colour) if language.color(colour).is_some() => colour,
            _ => return None,
        };
        values.iter().any(|v| v == value).then(|| value.to_owned())
    };
    let mut named: Vec<String> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(value_of)
        .collect();
    named.dedup();
    let [value] = named.as_slice() else {
        return None;
    };
    language
        .parse_plan(&format!("set {function} {zone} {value}"))
        .ok()
}

/// Whether `utterance` is only a follow-up, naming no seat and no setting: "a bit warmer",
/// "more", "turn it up", "make it 24". Anything else ("I'm still cold", "the fan too") is left
/// as the model reads it.
pub(super) fn is_bare_follow_up(utterance: &str) -> bool {
    const FOLLOW_UP_WORDS: &str = "a bit little lot tad slightly more less even further again \
        still please warmer cooler colder hotter louder quieter softer brighter dimmer darker \
        higher lower faster slower wider up down it that them those make turn go some much just \
        and ok okay now one another notch notches step steps degree degrees percent by to than \
        way all too the same fully completely halfway max open close raise increase decrease \
        reduce set put keep going";
    let lower = utterance.to_lowercase();
    let mut words = words_in(&lower).peekable();
    words.peek().is_some()
        && words.all(|w| {
            FOLLOW_UP_WORDS.split_whitespace().any(|f| f == w)
                || w.parse::<f64>().is_ok()
                || is_number_word(w)
        })
}

/// Makes "more" or "less" after a value set a step that way: the model, taught follow-ups
/// only after steps ("warmer" … "more"), repeated the last value for "a bit more" after "set
/// the fan to 60 percent", which did nothing. Only where the plan is the last one again, a
/// number set, and the words say which way and no number. Whether it did.
pub(super) fn more_of_the_same(
    plan: &mut crate::lm::Plan,
    last: &crate::lm::Plan,
    utterance: &str,
) -> bool {
    const MORE: &[&str] = &["more", "further", "higher", "up", "again"];
    const LESS: &[&str] = &["less", "lower", "down", "back"];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_in(&lower).collect();
    let said = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let numbered = words
        .iter()
        .any(|w| w.parse::<f64>().is_ok() || (is_number_word(w) && *w != "half"));
    let up = match (said(MORE), said(LESS)) {
        (true, false) => "up",
        (false, true) => "down",
        _ => return false,
    };
    let repeats = plan.to_string() == last.to_string()
        && plan
            .statements
            .iter()
            .all(|s| matches!(s, Statement::Set { value, .. } if value.parse::<f64>().is_ok()));
    if numbered || !repeats {
        return false;
    }
    for statement in &mut plan.statements {
        if let Statement::Set { value, .. } = statement {
            tracing::debug!(model = %value, "more of the same is a step");
            *value = up.to_owned();
        }
    }
    true
}

/// Moves the plan's settings made for "my" seat to the zone the last plan gave the same
/// function, where that was another zone ("passenger", "rear", "all").
pub(super) fn keep_the_last_zone(plan: &mut crate::lm::Plan, last: &crate::lm::Plan) {
    for statement in &mut plan.statements {
        let Statement::Set { function, zone, .. } = statement else {
            continue;
        };
        if zone == "my"
            && let Some(last_zone) = last_zone(last, function)
        {
            tracing::debug!(%function, from = %zone, to = %last_zone, "a follow-up keeps the last zone");
            *zone = last_zone.to_owned();
        }
    }
}

/// What a setting does, said of things of one family: locks lock or unlock, the trunks,
/// windows, sunroof and sunshade open or close, the rest switch on or off.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Family {
    Locking,
    Opening,
    Switching,
}

/// The family of a function, by what its values do.
pub(super) fn family(f: &Function) -> Option<Family> {
    match f.name.as_str() {
        "lock" => Some(Family::Locking),
        "trunk" | "frunk" | "window" | "sunroof" | "shade" => Some(Family::Opening),
        // Off is mute for the volume, which has words of its own.
        "volume" => None,
        _ => {
            let values = f.values();
            (values.iter().any(|v| v == "on") && values.iter().any(|v| v == "off"))
                .then_some(Family::Switching)
        }
    }
}

/// What switches `f` on and off: `f` itself where it is a switch, or else the switch beside
/// it in the catalog ("turn it on" after the ambient light's colour or brightness is the
/// ambient light: they are signals of one light), or else `f` where it has on and off of its
/// own (the seat heating's on is a level). None where nothing does.
pub(super) fn switch_of<'a>(f: &'a Function, language: &'a Language) -> Option<&'a Function> {
    if f.kind == Kind::Switch {
        return Some(f);
    }
    let parent = |path: &str| path.rsplit_once('.').map(|(parent, _)| parent.to_owned());
    let parents: Vec<String> = f.paths.values().filter_map(|p| parent(p)).collect();
    language
        .functions()
        .find(|g| {
            g.kind == Kind::Switch
                && g.paths
                    .values()
                    .any(|p| parent(p).is_some_and(|p| parents.contains(&p)))
        })
        .or((family(f) == Some(Family::Switching)).then_some(f))
}

/// Whether a value of `f` does its family's thing (locks, opens, switches on) or undoes it;
/// None for a value in between (a window halfway).
pub(super) fn does(f: &Function, value: &str) -> Option<bool> {
    match (family(f)?, value) {
        (Family::Opening, "max" | "100") if is_position(f) => Some(true),
        (Family::Opening, "0") if is_position(f) => Some(false),
        (Family::Opening, _) if is_position(f) => None,
        (_, "on") => Some(true),
        (_, "off") => Some(false),
        _ => None,
    }
}

/// What became of a plan that only adds a thing to the last request.
#[derive(Debug, PartialEq)]
pub(super) enum Added {
    /// The plan does to the thing what the last one did (it may have been changed to).
    AsLast,
    /// The thing is of another family than the last request's ("lock the doors" … "and the
    /// trunk"): what to do with it is not said.
    Unsaid,
}

/// Sets what the plan does to the things it adds to what the last plan did to its own, where
/// the last plan did one thing alike to all: the model read "and the fog lights" after "turn
/// off the headlights" as turning them on, "and the recirculation" after "turn on the AC" as
/// turning it off, and "and the windows" after "open the trunk" as closing them. None where
/// the last plan did no one thing.
pub(super) fn as_the_last_did(
    plan: &mut crate::lm::Plan,
    last: &crate::lm::Plan,
    language: &Language,
) -> Option<Added> {
    let mut done = last.statements.iter().filter_map(|s| match s {
        Statement::Set {
            function, value, ..
        } => {
            let f = language.function(function)?;
            Some((family(f)?, does(f, value)?))
        }
        _ => None,
    });
    let first = done.next()?;
    if done.any(|other| other != first) {
        return None;
    }
    let (last_family, yes) = first;
    // Every setting of the plan is a thing of the last one's family, or nothing is said of
    // the plan (it may be about something else altogether, for the model to decide).
    let families: Vec<Option<Family>> = plan
        .statements
        .iter()
        .filter_map(|s| match s {
            Statement::Set { function, .. } => Some(language.function(function).and_then(family)),
            _ => None,
        })
        .collect();
    if families.is_empty() || families.iter().any(|f| f.is_none()) {
        return None;
    }
    if families.iter().any(|f| *f != Some(last_family)) {
        return Some(Added::Unsaid);
    }
    for statement in &mut plan.statements {
        if let Statement::Set {
            function, value, ..
        } = statement
            && let Some(f) = language.function(function)
        {
            let wanted = match (is_position(f), yes) {
                (true, true) => "max",
                (true, false) => "0",
                (false, true) => "on",
                (false, false) => "off",
            };
            if value != wanted {
                tracing::debug!(%function, model = %value, "an added thing is done as the last one was");
                *value = wanted.to_owned();
            }
        }
    }
    Some(Added::AsLast)
}

/// The functions a plan sets, as the language has them.
pub(super) fn set_functions<'a>(
    plan: &'a crate::lm::Plan,
    language: &'a Language,
) -> impl Iterator<Item = &'a Function> {
    plan.statements.iter().filter_map(|s| match s {
        Statement::Set { function, .. } => language.function(function),
        _ => None,
    })
}

/// The switches that were already where they were asked to be, where two or more were and
/// all alike (on, or off), and the one sentence that says so: "The reading light, the ambient
/// light and the headlights are already off."
pub(super) fn already_switched(
    changes: &[Change],
    outcomes: &[Outcome],
    before: &BTreeMap<String, Value>,
) -> (Vec<usize>, Option<String>) {
    let already: Vec<usize> = (0..changes.len())
        .filter(|&i| {
            family(&changes[i].function) == Some(Family::Switching)
                && matches!(changes[i].value, Value::Bool(_))
                && was_already(before, &outcomes[i])
        })
        .collect();
    let [first, .., _] = already[..] else {
        return (Vec::new(), None);
    };
    if already
        .iter()
        .any(|&i| changes[i].value != changes[first].value)
    {
        return (Vec::new(), None);
    }
    let mut names: Vec<String> = already
        .iter()
        .map(|&i| label(&changes[i].function.name))
        .collect();
    let last = names.pop().unwrap_or_default();
    let on = changes[first].value == Value::Bool(true);
    let sentence = format!(
        "{} and {last} are already {}.",
        capital(&names.join(", ")),
        if on { "on" } else { "off" }
    );
    (already, Some(sentence))
}

/// Whether the plan sets something and only functions that have no seats (the air
/// conditioning, the lights, the locks).
pub(super) fn sets_only_for_the_whole_car(plan: &crate::lm::Plan, language: &Language) -> bool {
    let sets = plan
        .statements
        .iter()
        .filter(|s| matches!(s, Statement::Set { .. }))
        .count();
    let unzoned = set_functions(plan, language)
        .filter(|f| !f.is_zoned())
        .count();
    sets > 0 && unzoned == sets && sets == plan.statements.len()
}

/// Whether `utterance` names seats and nothing else: "and the passenger side too", "the back
/// as well", "for the driver".
pub(super) fn only_names_a_seat(utterance: &str) -> bool {
    const AROUND: &str = "and the too also as well side sides seat seats one ones for please \
        plus what about how in at on of";
    const SEATS: &str = "passenger passenger's passengers driver driver's drivers rear back \
        backseat left right front everyone everybody";
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_in(&lower)
        .filter(|w| !AROUND.split_whitespace().any(|a| a == *w))
        .collect();
    !words.is_empty()
        && words
            .iter()
            .all(|w| SEATS.split_whitespace().any(|s| s == *w))
}

/// Whether the plan sets things, none of which the last plan set: "no, the sunroof" after
/// "open my window", rather than "no, the other one".
pub(super) fn names_other_things(plan: &crate::lm::Plan, last: &crate::lm::Plan) -> bool {
    let sets = |p: &crate::lm::Plan| -> Vec<String> {
        p.statements
            .iter()
            .filter_map(|s| match s {
                Statement::Set { function, .. } => Some(function.clone()),
                _ => None,
            })
            .collect()
    };
    let (now, before) = (sets(plan), sets(last));
    !now.is_empty() && !before.is_empty() && now.iter().all(|f| !before.contains(f))
}

/// Whether every thing the plan sets is of the one family of the things the last plan set.
pub(super) fn of_the_last_family(
    plan: &crate::lm::Plan,
    last: &crate::lm::Plan,
    language: &Language,
) -> bool {
    let mut families = set_functions(last, language).map(family);
    let Some(Some(first)) = families.next() else {
        return false;
    };
    families.all(|f| f == Some(first))
        && set_functions(plan, language).all(|f| family(f) == Some(first))
}

/// Turns the plan's settings into questions where the last request was a question: "and the
/// sunroof?" after "are the windows closed" asks about the sunroof, which the model opened.
/// Whether it did.
pub(super) fn asked_as_the_last_did(plan: &mut crate::lm::Plan, last: &crate::lm::Plan) -> bool {
    let asked = !last.statements.is_empty()
        && last
            .statements
            .iter()
            .all(|s| matches!(s, Statement::Answer { .. }));
    if !asked {
        return false;
    }
    let mut turned = false;
    for statement in &mut plan.statements {
        if let Statement::Set { function, zone, .. } = statement {
            tracing::debug!(%function, "an added thing is asked about as the last one was");
            *statement = Statement::Answer {
                query: std::mem::take(function),
                zone: std::mem::take(zone),
            };
            turned = true;
        }
    }
    turned
}

/// The temperature sensor a follow-up to a temperature question asks about where it names
/// only a place: "and inside?", "in here?" or "what about outside" after "how cold is it
/// outside" or "what's the temperature in here".
pub(super) fn temperature_asked_elsewhere(
    utterance: &str,
    last: &crate::lm::Plan,
) -> Option<&'static str> {
    const FOLLOWING: &str = "and what about how is it it's its the car cabin here there in out";
    let about_temperature = !last.statements.is_empty()
        && last.statements.iter().all(|s| {
            matches!(s, Statement::Answer { query, .. }
                if matches!(query.as_str(), "temperature" | "cabin_temperature" | "outside_temperature"))
        });
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_in(&lower).collect();
    let has = |w: &str| words.contains(&w);
    let outside = has("outside") || has("outdoors") || words.ends_with(&["out", "there"]);
    let inside = has("inside") || words.ends_with(&["in", "here"]) || has("cabin");
    let only_a_place = words.iter().all(|w| {
        matches!(*w, "outside" | "outdoors" | "inside")
            || FOLLOWING.split_whitespace().any(|f| f == *w)
    });
    if !about_temperature || !only_a_place || outside == inside {
        return None;
    }
    Some(if outside {
        "outside_temperature"
    } else {
        "cabin_temperature"
    })
}

/// Whether `utterance` only adds a thing to the last request ("and the fog lights", "the
/// recirculation too", "also the rear defroster") without saying what to do with it.
pub(super) fn only_adds_a_thing(utterance: &str) -> bool {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_in(&lower).collect();
    let adds = matches!(words.first(), Some(&("and" | "also" | "plus")))
        || matches!(words.last(), Some(&("too" | "also")))
        || words.ends_with(&["as", "well"]);
    adds && !words.iter().any(|w| says_what_to_do(w))
}

/// Whether `utterance`, a correction, only names the thing meant ("no, the sunroof", "I
/// meant the hazard lights") without saying what to do with it.
pub(super) fn only_names_a_thing(utterance: &str) -> bool {
    const CORRECTING: &str = "no nope nah not sorry oops i meant mean actually wrong one instead";
    let lower = utterance.to_lowercase();
    let mut words = words_in(&lower)
        .filter(|w| !CORRECTING.split_whitespace().any(|c| c == *w))
        .peekable();
    words.peek().is_some() && !words.any(says_what_to_do)
}

/// Whether a word says what to do with a thing ("off", "open", "warmer", "50", "don't").
pub(super) fn says_what_to_do(word: &str) -> bool {
    const SAYS_WHAT: &str = "on off open close closed shut up down lock locked unlock unlocked \
        start stop play pause more less warmer cooler louder quieter brighter dimmer max min \
        full half halfway fully turn switch set put make not no don't dont never so much loud \
        quiet hot cold warm bright dark fast slow";
    SAYS_WHAT.split_whitespace().any(|s| s == word)
        || word.parse::<f64>().is_ok()
        || is_number_word(word)
}

/// Moves the plan's questions about "my" seat to the zone where the last plan set the same
/// function, where that was another zone.
pub(super) fn ask_about_the_last_zone(plan: &mut crate::lm::Plan, last: &crate::lm::Plan) {
    for statement in &mut plan.statements {
        let Statement::Answer { query, zone } = statement else {
            continue;
        };
        if zone == "my"
            && let Some(last_zone) = last_zone(last, query)
        {
            tracing::debug!(%query, from = %zone, to = %last_zone, "a question asks where the last request was");
            *zone = last_zone.to_owned();
        }
    }
}

/// Asks about every seat where the question names the thing in the plural and no seat ("what
/// are the temperatures set to"): the model asked about the speaker's alone.
pub(super) fn ask_about_every_seat_when_plural(plan: &mut crate::lm::Plan, utterance: &str) {
    const PLURALS: &[(&str, &[&str])] = &[
        ("temperature", &["temperatures"]),
        ("window", &["windows"]),
        ("fan", &["fans"]),
        ("seat_heating", &["seats", "heaters"]),
        ("seat_cooling", &["seats"]),
        ("airflow", &["vents"]),
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for statement in &mut plan.statements {
        // Whichever seat the model took: after "set the passenger side to 24" it asked about
        // the passenger's alone.
        if let Statement::Answer { query, zone } = statement
            && zone != "all"
            && PLURALS
                .iter()
                .any(|(f, plural)| f == query && words.iter().any(|w| plural.contains(w)))
        {
            tracing::debug!(%query, "a question in the plural asks about every seat");
            *zone = "all".into();
        }
    }
}

/// The one zone other than "my" where `last` set `function`, if it set it once.
pub(super) fn last_zone<'a>(last: &'a crate::lm::Plan, function: &str) -> Option<&'a str> {
    let mut zones = last.statements.iter().filter_map(|s| match s {
        Statement::Set {
            function: f, zone, ..
        } if f == function => Some(zone.as_str()),
        _ => None,
    });
    match (zones.next(), zones.next()) {
        (Some(zone), None) if zone != "my" => Some(zone),
        _ => None,
    }
}

/// Whether `utterance` says nothing about whose seat or which side: no "my", "passenger",
/// "rear", "left", "all" and the like.
pub(super) fn names_no_seat(utterance: &str) -> bool {
    const SEAT_WORDS: &str = "my mine me i i'm im driver driver's drivers passenger \
        passenger's passengers rear back backseat front left right both all every everywhere \
        everyone side sides";
    let lower = utterance.to_lowercase();
    !words_in(&lower).any(|w| SEAT_WORDS.split_whitespace().any(|s| s == w))
}

/// Whether `utterance` corrects the last request ("no, the other one", "I meant the
/// passenger side", "wrong one") rather than adding to it ("and the passenger side too").
/// The plan cannot tell them apart: both are the last turn's plan on another seat.
pub(super) fn corrects_last_turn(utterance: &str) -> bool {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_in(&lower).collect();
    let has = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    let adds = ["too", "also", "both"].iter().any(|w| words.contains(w)) || has(&["as", "well"]);
    if adds {
        return false;
    }
    matches!(
        words.first(),
        Some(&("no" | "nope" | "nah" | "not" | "wrong" | "actually"))
    ) || has(&["i", "meant"])
        || has(&["i", "mean"])
        || has(&["other", "one"])
        || words.contains(&"instead")
        // "Open the window" … "the passenger one" picks which window was meant.
        || (words.first() == Some(&"the") && words.last() == Some(&"one"))
}

/// A correction without what it says is not meant: "not mine, the passenger's" is "no, the
/// passenger's", "not the window but the sunroof" is "no, the sunroof". Only where the part
/// dropped points at a thing ("mine", "that one", "the window"): "not so loud, please" stays.
pub(super) fn what_is_meant(utterance: &str) -> Cow<'_, str> {
    const POINTING: &str = "mine me my that this it the those these his hers her";
    let said = utterance.trim();
    // ASCII lowering keeps every byte where it was, so a place found in it cuts `said`.
    let lower = said.to_ascii_lowercase();
    if !lower.starts_with("not ") {
        return Cow::Borrowed(utterance);
    }
    // Whisper may end the first part as a sentence: "Not mine. The passenger's."
    let cut = [(",", 1), (";", 1), (". ", 2), (" but ", 5)]
        .iter()
        .filter_map(|(mark, len)| lower.find(mark).map(|at| (at, at + len)))
        .min();
    let Some((end, start)) = cut else {
        return Cow::Borrowed(utterance);
    };
    let not_meant: Vec<&str> = lower[4..end].split_whitespace().collect();
    let meant = said[start..].trim();
    let points = not_meant
        .iter()
        .any(|w| POINTING.split_whitespace().any(|p| p == *w));
    if not_meant.is_empty() || not_meant.len() > 4 || !points || meant.is_empty() {
        return Cow::Borrowed(utterance);
    }
    Cow::Owned(format!("no, {meant}"))
}

/// Whether `utterance` only asks why ("why not?", "why can't you", "how come").
pub(super) fn asks_why(utterance: &str) -> bool {
    const WHY: &str = "why not can't cant cannot won't wont you i is that it how come what's \
        whats the reason oh but so didn't didnt did work doesn't doesnt";
    let lower = utterance.to_lowercase().replace('\u{2019}', "'");
    let words: Vec<&str> = words_in(&lower).collect();
    let asks = words.contains(&"why") || lower.contains("how come") || words.contains(&"reason");
    asks && words
        .iter()
        .all(|w| WHY.split_whitespace().any(|y| y == *w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thing_added_to_the_last_request_is_done_as_it_did() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let plan = |text: &str| language.parse_plan(text).expect("a plan");
        let added = |last: &str, model: &str| {
            let mut planned = plan(model);
            let added = as_the_last_did(&mut planned, &plan(last), &language);
            (planned.to_string(), added)
        };
        // What the model shipped on 2026-12-06 planned for "and the fog lights", "and the
        // recirculation" and "and the windows" after these.
        assert_eq!(
            added("set low_beam all off", "set fog_lights all on"),
            ("set fog_lights all off".into(), Some(Added::AsLast))
        );
        assert_eq!(
            added("set ac all on", "set recirculation all off"),
            ("set recirculation all on".into(), Some(Added::AsLast))
        );
        assert_eq!(
            added("set trunk all on", "set window all 0"),
            ("set window all max".into(), Some(Added::AsLast))
        );
        // Locked is not open: what to do with the trunk after locking is not said.
        assert_eq!(
            added("set lock all on", "set trunk all on"),
            ("set trunk all on".into(), Some(Added::Unsaid))
        );
        // A last request that did not one thing alike, or a plan about something else, is
        // the model's to read.
        assert_eq!(
            added("set window my 50", "set sunroof all 50"),
            ("set sunroof all 50".into(), None)
        );
        assert_eq!(
            added("set ac all on", "set temperature passenger up"),
            ("set temperature passenger up".into(), None)
        );
    }

    #[test]
    fn a_thing_added_to_a_question_is_asked_about() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let plan = |text: &str| language.parse_plan(text).expect("a plan");
        // What the model shipped on 2026-12-06 planned for "and the sunroof" after "are the
        // windows closed".
        let mut planned = plan("set sunroof all max");
        assert!(asked_as_the_last_did(
            &mut planned,
            &plan("answer window all")
        ));
        assert_eq!(planned.to_string(), "answer sunroof all");
        let mut planned = plan("set sunroof all max");
        assert!(!asked_as_the_last_did(
            &mut planned,
            &plan("set window all max")
        ));
        assert_eq!(planned.to_string(), "set sunroof all max");
    }

    #[test]
    fn more_or_less_after_a_value_set_is_a_step() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let plan = |text: &str| language.parse_plan(text).expect("a plan");
        let last = plan("set fan my 60");
        // What the model shipped on 2026-12-06 planned for these after "set the fan to 60
        // percent".
        for (said, stepped) in [
            ("a bit more", "set fan my up"),
            ("more", "set fan my up"),
            ("a little less", "set fan my down"),
            ("go back down a bit", "set fan my down"),
        ] {
            let mut planned = plan("set fan my 60");
            assert!(more_of_the_same(&mut planned, &last, said), "{said}");
            assert_eq!(planned.to_string(), stepped, "{said}");
        }
        // A number said, no way said, or another plan: left as it is.
        for (model, said) in [
            ("set fan my 60", "make it 60"),
            ("set fan my 60", "the same"),
            ("set fan my 60", "more or less"),
            ("set fan my 80", "a bit more"),
            ("set fan my up", "a bit more"),
        ] {
            let mut planned = plan(model);
            assert!(!more_of_the_same(&mut planned, &last, said), "{said}");
            assert_eq!(planned.to_string(), model, "{said}");
        }
    }

    #[test]
    fn a_temperature_asked_about_elsewhere_is_that_place_s_sensor() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let plan = |text: &str| language.parse_plan(text).expect("a plan");
        let outside = plan("answer outside_temperature all");
        let inside = plan("answer cabin_temperature all");
        let setting = plan("answer temperature my");
        // The model shipped on 2026-12-06 answered these with the recirculation, or with the
        // driver's setting ("and in here").
        for (said, last, asked) in [
            ("and inside?", &outside, "cabin_temperature"),
            ("and in here", &outside, "cabin_temperature"),
            ("what about in the cabin", &outside, "cabin_temperature"),
            ("and outside", &inside, "outside_temperature"),
            ("how about out there?", &setting, "outside_temperature"),
        ] {
            assert_eq!(
                temperature_asked_elsewhere(said, last),
                Some(asked),
                "{said}"
            );
        }
        // Not after another question, nor where something else is said.
        for (said, last) in [
            ("and outside", &plan("answer window all")),
            ("and outside", &plan("set temperature my up")),
            ("and use the air from outside", &inside),
            ("and in the back", &setting),
        ] {
            assert_eq!(temperature_asked_elsewhere(said, last), None, "{said}");
        }
    }

    #[test]
    fn a_request_that_only_adds_a_thing_is_told() {
        for adds in [
            "and the fog lights",
            "the recirculation too",
            "also the rear defroster",
            "And the windows as well.",
            "and the windows",
        ] {
            assert!(only_adds_a_thing(adds), "{adds}");
        }
        for says in [
            "and turn on the fog lights",
            "and set the fan to 50",
            "the windows too, halfway",
            "and close the windows",
            "and not the sunroof",
            "open the trunk",
        ] {
            assert!(!only_adds_a_thing(says), "{says}");
        }
    }

    #[test]
    fn a_question_in_the_plural_asks_about_every_seat() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let asked = |model: &str, said: &str| {
            let mut plan = language.parse_plan(model).expect("a plan");
            ask_about_every_seat_when_plural(&mut plan, said);
            plan.to_string()
        };
        // What the model shipped on 2026-12-06 planned for the first.
        assert_eq!(
            asked("answer temperature my", "what are the temperatures set to"),
            "answer temperature all"
        );
        // And for the second after "set the passenger temperature to 24".
        assert_eq!(
            asked(
                "answer temperature passenger",
                "what are the temperatures set to"
            ),
            "answer temperature all"
        );
        assert_eq!(
            asked("answer temperature my", "what is the temperature set to"),
            "answer temperature my"
        );
        assert_eq!(
            asked("answer seat_heating my", "are the seats heated"),
            "answer seat_heating all"
        );
    }

    #[test]
    fn a_question_names_a_seat_or_not() {
        for none in ["is the seat heating on", "Is it open?", "what's the fan at"] {
            assert!(names_no_seat(none), "{none}");
        }
        for some in [
            "is my seat warm",
            "are the rear windows open",
            "is it on everywhere",
        ] {
            assert!(!names_no_seat(some), "{some}");
        }
    }

    #[test]
    fn a_correction_is_told_from_an_addition() {
        for correction in [
            "no, the other one",
            "No the other side.",
            "not that one, the other one",
            "I meant the passenger side",
            "wrong one",
            "the rear instead",
            "the passenger one",
            "not mine, the passenger's",
        ] {
            assert!(corrects_last_turn(correction), "{correction}");
        }
        for addition in [
            "and the passenger side too",
            "the other side as well",
            "also the rear",
            "open the other window",
            "now the passenger side",
            "nothing",
            "the passenger one too",
            "and the back one",
        ] {
            assert!(!corrects_last_turn(addition), "{addition}");
        }
    }

    #[test]
    fn what_a_correction_says_is_not_meant_is_left_out() {
        for (said, meant) in [
            ("not mine, the passenger's", "no, the passenger's"),
            ("Not my window, the sunroof.", "no, the sunroof."),
            ("not the window but the sunroof", "no, the sunroof"),
            ("not that one; the rear left", "no, the rear left"),
            ("Not mine. The passenger's.", "no, The passenger's."),
        ] {
            assert_eq!(what_is_meant(said), meant, "{said}");
        }
        for kept in [
            "not so loud, please",
            "not mine",
            "not mine,",
            "no, the passenger's",
            "not the front left window of the car, the back",
        ] {
            assert!(
                matches!(what_is_meant(kept), Cow::Borrowed(k) if k == kept),
                "{kept}"
            );
        }
    }

    #[test]
    fn why_is_asked_only_of_itself() {
        for why in [
            "why not?",
            "Why?",
            "why can't you",
            "How come?",
            "what's the reason",
        ] {
            assert!(asks_why(why), "{why}");
        }
        for other in [
            "why is it so cold",
            "open the trunk",
            "why not open the window",
        ] {
            assert!(!asks_why(other), "{other}");
        }
    }

    #[test]
    fn a_seat_added_to_a_request_for_the_whole_car_is_told() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let plan = |text: &str| language.parse_plan(text).expect("a plan");
        for seat in [
            "and the passenger side too",
            "the back as well",
            "for everyone",
        ] {
            assert!(only_names_a_seat(seat), "{seat}");
        }
        for other in [
            "and the fan too",
            "the passenger window too",
            "and",
            "warmer",
        ] {
            assert!(!only_names_a_seat(other), "{other}");
        }
        let whole = |text: &str| sets_only_for_the_whole_car(&plan(text), &language);
        assert!(whole("set ac all on"));
        assert!(whole("set ac all on ; set recirculation all on"));
        assert!(!whole("set ac all on ; set temperature my 20"));
        assert!(!whole("answer ac all"));
        assert!(!whole("set fan my up"));
    }

    #[test]
    fn a_correction_that_names_another_thing_replaces_the_last_one() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let plan = |text: &str| language.parse_plan(text).expect("a plan");
        for names in [
            "no, the sunroof",
            "I meant the hazard lights",
            "wrong one, the trunk",
        ] {
            assert!(only_names_a_thing(names), "{names}");
        }
        for says in ["no, close the sunroof", "no, not so loud", "no, 22", "no"] {
            assert!(!only_names_a_thing(says), "{says}");
        }
        let other = |model: &str, last: &str| names_other_things(&plan(model), &plan(last));
        assert!(other("set sunroof all 0", "set window my max"));
        assert!(!other("set window passenger max", "set window my max"));
        assert!(!other(
            "set sunroof all 0 ; set window my 0",
            "set window my max"
        ));
        assert!(!other("answer sunroof all", "set window my max"));
        let kin =
            |model: &str, last: &str| of_the_last_family(&plan(model), &plan(last), &language);
        assert!(kin("set hazards all on", "set fog_lights all on"));
        assert!(kin(
            "set sunroof all max",
            "set window my max ; set trunk all on"
        ));
        assert!(!kin("set volume all down", "set window my max"));
        assert!(!kin("set trunk all on", "set lock all on"));
    }
}
