//! The seats the words name: from the speaker's seat ("my side", "the seat behind me"), a
//! side in the speaker's row, seats left out ("except mine"), and a seat's heating said the
//! other way.

use super::*;

/// The seats a request leaves out, said after "except", "apart from", "other than", "but
/// not" or "not": "open all the windows except mine", "heat every seat but not the driver's".
#[derive(Debug, PartialEq)]
pub(in crate::agent) struct LeftOut {
    /// The seat words ("driver", "rear_left").
    pub seats: Vec<&'static str>,
    /// Whether that is all the words say ("not the back ones"): a follow-up that takes the
    /// seats out of the last request.
    pub alone: bool,
}

/// See [`LeftOut`]; None where the words leave no seat out.
pub(in crate::agent) fn seats_left_out(utterance: &str, seat: Seat) -> Option<LeftOut> {
    const AROUND: &[&str] = &[
        "the", "ones", "one", "side", "sides", "seat", "seats", "window", "windows", "please",
        "for", "of", "in", "row", "no", "not", "just", "but", "those", "them",
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let (at, len) = (0..words.len()).find_map(|i| match &words[i..] {
        ["except" | "excluding" | "bar" | "but", ..] => Some((i, 1)),
        ["apart" | "other", "from" | "than", ..] => Some((i, 2)),
        ["not", ..] => Some((i, 1)),
        _ => None,
    })?;
    // The words of the seats left out run to the end, or to the next request ("and").
    let after = &words[at + len..];
    let end = after
        .iter()
        .position(|w| *w == "and")
        .unwrap_or(after.len());
    let named = &after[..end];
    let seats = match zone_named(named, Some(seat))? {
        "rear" => vec!["rear_left", "rear_right"],
        "front" => vec!["driver", "passenger"],
        one => vec![one],
    };
    // Every word of the part left out names a seat or goes with one: "not so loud for the
    // driver" is no seat left out.
    const SEAT_WORDS: &[&str] = &[
        "mine",
        "me",
        "my",
        "myself",
        "back",
        "rear",
        "backseat",
        "left",
        "right",
        "front",
        "passenger",
        "passenger's",
        "passengers",
        "driver",
        "driver's",
        "drivers",
    ];
    if !named
        .iter()
        .all(|w| SEAT_WORDS.contains(w) || AROUND.contains(w))
    {
        return None;
    }
    let alone = words[..at]
        .iter()
        .all(|w| matches!(*w, "no" | "but" | "and" | "just" | "oh" | "wait" | "sorry"))
        && end == after.len();
    Some(LeftOut { seats, alone })
}

/// The zone the words name, where they name one: "the back", "rear left", "the passenger's",
/// "the front"; with `speaker`, "mine" or "me" is the speaker's seat.
pub(super) fn zone_named(words: &[&str], speaker: Option<Seat>) -> Option<&'static str> {
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    if let Some(seat) = speaker
        && has(&["mine", "me", "my", "myself"])
    {
        return Some(super::seat_word(seat));
    }
    if has(&["back", "rear", "backseat", "behind"]) {
        return Some(match (has(&["left"]), has(&["right"])) {
            (true, false) => "rear_left",
            (false, true) => "rear_right",
            _ => "rear",
        });
    }
    if has(&["passenger", "passenger's", "passengers"]) {
        Some("passenger")
    } else if has(&["driver", "driver's", "drivers"]) {
        Some("driver")
    } else if has(&["front"]) {
        Some("front")
    } else {
        None
    }
}

/// Takes `left_out` out of the plan's zoned statements that cover them and other seats too:
/// "set window all max" without the rear is the driver's and the passenger's. Whether it
/// changed the plan.
pub(in crate::agent) fn leave_out(
    plan: &mut Plan,
    language: &Language,
    seat: Seat,
    left_out: &[&str],
) -> bool {
    let mut changed = false;
    let mut statements = Vec::with_capacity(plan.statements.len());
    for statement in std::mem::take(&mut plan.statements) {
        let (name, zone) = match &statement {
            Statement::Set { function, zone, .. } => (function, zone),
            Statement::Answer { query, zone } => (query, zone),
            _ => {
                statements.push(statement);
                continue;
            }
        };
        let speaker = super::seat_word(seat);
        let (seats, every) = match language.function(name) {
            Some(f) if f.is_zoned() => (f.seats(zone, speaker), f.seats("all", speaker)),
            _ => (Vec::new(), Vec::new()),
        };
        let kept = |seats: &[String]| -> Vec<String> {
            seats
                .iter()
                .filter(|s| !left_out.contains(&s.as_str()))
                .cloned()
                .collect()
        };
        // The model may have planned just the seats left out ("open all the windows but not
        // the rear ones" was `set window rear max`): the rest are meant.
        let kept = match kept(&seats) {
            none if none.is_empty() => kept(&every),
            some => some,
        };
        if kept.is_empty() || kept == seats {
            statements.push(statement);
            continue;
        }
        tracing::debug!(?statement, ?left_out, "the words leave seats out");
        changed = true;
        for s in kept {
            let mut one = statement.clone();
            if let Statement::Set { zone, .. } | Statement::Answer { zone, .. } = &mut one {
                *zone = s;
            }
            statements.push(one);
        }
    }
    plan.statements = statements;
    changed
}

/// The seat a phrase places from the one who spoke: "next to me" (the neighbour's seat or
/// zone, but a window next to me is my own), "behind me", "in front of me". The model does not
/// read them from the seat: it took "next to me" as the front passenger from every seat and
/// "behind me" as the rear left from the passenger's, as its data taught it (the hand-written
/// lines were written from the driver's seat and drawn with random seats). Only for a plan
/// about one zoned function, and only where that function has the seat.
pub(super) fn seat_said_from_the_speaker(
    plan: &mut Plan,
    utterance: &str,
    language: &Language,
    seat: Seat,
) {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let has = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    let beside = has(&["next", "to", "me"]) || has(&["beside", "me"]) || has(&["by", "me"]);
    let behind = has(&["behind", "me"]);
    let ahead = has(&["in", "front", "of", "me"]);
    if usize::from(beside) + usize::from(behind) + usize::from(ahead) != 1 {
        return;
    }
    let zoned: Vec<&Function> = plan
        .statements
        .iter()
        .filter_map(|s| match s {
            Statement::Set { function, .. }
            | Statement::Answer {
                query: function, ..
            }
            | Statement::Ask { function, .. } => language.function(function),
            _ => None,
        })
        .filter(|f| f.is_zoned())
        .collect();
    let [f] = zoned.as_slice() else {
        return;
    };
    let target = match (seat, beside, behind) {
        // A window, a door's, is beside the seat it belongs to.
        (_, true, _) if f.name == "window" => Some(seat),
        (Seat::Driver, true, _) => Some(Seat::Passenger),
        (Seat::Passenger, true, _) => Some(Seat::Driver),
        (Seat::RearLeft, true, _) => Some(Seat::RearRight),
        (Seat::RearRight, true, _) => Some(Seat::RearLeft),
        (Seat::Driver, _, true) => Some(Seat::RearLeft),
        (Seat::Passenger, _, true) => Some(Seat::RearRight),
        (Seat::RearLeft, false, false) => Some(Seat::Driver),
        (Seat::RearRight, false, false) => Some(Seat::Passenger),
        _ => None,
    };
    let Some(target) = target.map(seat_word).filter(|t| f.paths.contains_key(*t)) else {
        return;
    };
    let name = f.name.clone();
    for statement in &mut plan.statements {
        if let Statement::Set { function, zone, .. }
        | Statement::Answer {
            query: function,
            zone,
        }
        | Statement::Ask { function, zone } = statement
            && *function == name
            && zone != target
        {
            tracing::debug!(model = %zone, "the words place the {name} at the {target} seat");
            *zone = target.to_owned();
        }
    }
}

/// "Their", "his" or "her" seat after another seat was named: "set the passenger to 24 and
/// turn on their seat heating" is the passenger's seat heating. The model, taught seats
/// without a name as "my", heated the driver's seat (and, reading the part alone, named the
/// driver). Only where the words name one seat, and for a function that has it.
pub(in crate::agent) fn their_seat_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    if !words.iter().any(|w| matches!(*w, "their" | "his" | "her")) {
        return;
    }
    let said = |seat: &str| match seat {
        "rear_left" => words
            .windows(2)
            .any(|w| w == ["rear", "left"] || w == ["back", "left"]),
        "rear_right" => words
            .windows(2)
            .any(|w| w == ["rear", "right"] || w == ["back", "right"]),
        seat => words.iter().any(|w| w.trim_end_matches('s') == seat),
    };
    let named: Vec<&str> = ["driver", "passenger", "rear_left", "rear_right"]
        .into_iter()
        .filter(|seat| said(seat))
        .collect();
    let [theirs] = named[..] else {
        return;
    };
    for statement in &mut plan.statements {
        if let Statement::Set { function, zone, .. } = statement
            && (zone == "my" || (zone != theirs && zone != "all" && !said(zone)))
            && language
                .function(function)
                .is_some_and(|f| f.paths.contains_key(theirs))
        {
            tracing::debug!(model = %zone, "their seat: the {theirs}'s {function}");
            *zone = theirs.to_owned();
        }
    }
}

/// A window or seat named by its side alone ("the right window", "the seat on the left") is
/// the one in the speaker's row: from the front, the right window is the passenger's. The
/// model shipped on 2026-11-24 took "close the right window" and "heat the right seat" for the
/// rear right from the driver's seat. Said in the plural ("the windows on the right") the
/// side's zone is meant, and a row named ("the rear right window") is the model's to read.
pub(super) fn side_said_in_the_row(
    plan: &mut Plan,
    utterance: &str,
    language: &Language,
    seat: Seat,
) {
    const ROWS: &[&str] = &[
        "front",
        "rear",
        "back",
        "behind",
        "row",
        "second",
        "driver",
        "drivers",
        "passenger",
        "passengers",
        "windows",
        "seats",
        "both",
        "all",
    ];
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    if words.iter().any(|w| ROWS.contains(w)) {
        return;
    }
    // The side word before its noun ("right window", "right hand side window") or after it
    // ("the window on the right").
    let side_of = |noun: &str| {
        let place = words.iter().position(|w| *w == noun)?;
        let before = words[place.saturating_sub(3)..place]
            .iter()
            .rev()
            .find(|w| !matches!(**w, "hand" | "side"));
        let after = match words.get(place + 1..place + 4) {
            Some(["on", "the", side]) => Some(side),
            _ => None,
        };
        before
            .into_iter()
            .chain(after)
            .find(|w| matches!(**w, "left" | "right"))
            .copied()
    };
    let front = matches!(seat, Seat::Driver | Seat::Passenger);
    let (function_names, side): (&[&str], _) = if let Some(side) = side_of("window") {
        (&["window"], side)
    } else if let Some(side) = side_of("seat") {
        (&["seat_heating", "seat_cooling"], side)
    } else {
        return;
    };
    let target = match (front, side) {
        (true, "left") => Seat::Driver,
        (true, _) => Seat::Passenger,
        (false, "left") => Seat::RearLeft,
        (false, _) => Seat::RearRight,
    };
    let target = seat_word(target);
    for statement in &mut plan.statements {
        if let Statement::Set { function, zone, .. }
        | Statement::Answer {
            query: function,
            zone,
        }
        | Statement::Ask { function, zone } = statement
            && function_names.contains(&function.as_str())
            && language
                .function(function)
                .is_some_and(|f| f.paths.contains_key(target))
            && zone != target
        {
            tracing::debug!(model = %zone, "the {side} {function} in the speaker's row: {target}");
            *zone = target.to_owned();
        }
    }
}

/// "How warm is it in the back" is the cabin's one sensor, and what the back is set to as
/// well; "what's the temperature set to in the back" is the setting alone. The model answered
/// both from the sensor, which says nothing of the back.
pub(super) fn seat_temperature_as_said(plan: &mut Plan, utterance: &str) {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let Some(zone) = zone_named(&words, None) else {
        return;
    };
    let setting = words
        .iter()
        .any(|w| matches!(*w, "set" | "setting" | "settings"));
    let at = plan.statements.iter().position(|s| {
        matches!(s, Statement::Answer { query, zone } if query == "cabin_temperature" && zone == "all")
    });
    let Some(at) = at else {
        return;
    };
    let asked = Statement::Answer {
        query: "temperature".into(),
        zone: zone.into(),
    };
    if plan.statements.contains(&asked) {
        return;
    }
    tracing::debug!(%zone, setting, "the words ask about a seat's temperature");
    if setting {
        plan.statements[at] = asked;
    } else {
        plan.statements.insert(at + 1, asked);
    }
}

/// Cools a seat that is too hot while its heating is already off, and heats one that is too
/// cold while it is not ventilated. The model does not see the seats: for "my seat is too
/// hot" it plans `seat_heating my off`, right when the heating is on and nothing at all
/// when it is off, which is how the car starts. Only a complaint counts; words that name the
/// heating or the ventilation ("turn the seat heater off, it's too hot") are done as said.
pub(super) fn seat_the_other_way(
    plan: &mut Plan,
    utterance: &str,
    language: &Language,
    seat: Seat,
    now: impl Fn(&str) -> Option<f64>,
) {
    const HOT: &[&str] = &[
        "hot", "warm", "sweaty", "sweating", "sweat", "burning", "boiling", "roasting", "baking",
    ];
    const COLD: &[&str] = &["cold", "freezing", "chilly", "icy", "frozen", "cool"];
    const NAMED: &[&str] = &[
        "heat",
        "heating",
        "heater",
        "heated",
        "warmer",
        "cooling",
        "cooler",
        "cooled",
        "ventilation",
        "ventilate",
        "ventilated",
        "vent",
        "vents",
        "fan",
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    if has(NAMED) {
        return;
    }
    for statement in &mut plan.statements {
        let Statement::Set {
            function,
            zone,
            value,
        } = statement
        else {
            continue;
        };
        // From the function planned to the one the complaint asks for, and whether a seat's
        // HeatingCooling value now rules the planned one out.
        let (other, idle): (&str, fn(f64) -> bool) = match function.as_str() {
            "seat_heating" if has(HOT) && !has(COLD) => ("seat_cooling", |v| v <= 0.0),
            "seat_cooling" if has(COLD) && !has(HOT) => ("seat_heating", |v| v >= 0.0),
            _ => continue,
        };
        if !matches!(value.as_str(), "off" | "down" | "min") {
            continue;
        }
        let Some(f) = language.function(function) else {
            continue;
        };
        let seats = f.seats(zone, seat_word(seat));
        let all_idle = !seats.is_empty()
            && seats
                .iter()
                .all(|s| f.paths.get(s).and_then(|p| now(p)).is_some_and(idle));
        if all_idle {
            tracing::debug!(model = %function, "the seat is idle: {other} on");
            *function = other.into();
            *value = "on".into();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::words::testing::*;

    #[test]
    fn their_seat_is_the_one_named_before() {
        let language = language();
        let settled = settled_by(|plan, said| their_seat_as_said(plan, said, &language));
        // What the model shipped on 2026-12-06 planned for the first.
        assert_eq!(
            settled(
                "set temperature passenger 24 ; set seat_heating my on",
                "set the passenger to 24 and turn on their seat heating"
            ),
            "set temperature passenger 24 ; set seat_heating passenger on"
        );
        // Read a part at a time, the second part named the driver, whom the words do not.
        assert_eq!(
            settled(
                "set temperature passenger 24 ; set seat_heating driver on",
                "set the passenger to 24 and turn on their seat heating"
            ),
            "set temperature passenger 24 ; set seat_heating passenger on"
        );
        for (planned, said) in [
            (
                "set temperature passenger 24 ; set seat_heating my on",
                "set the passenger to 24 and turn on my seat heating",
            ),
            (
                "set seat_heating my on",
                "my wife is cold, turn on her seat heating",
            ),
            (
                "set temperature passenger 24 ; set temperature rear_left 20 ; set seat_heating my on",
                "passenger 24, rear left 20 and their seat heating",
            ),
            (
                "set temperature passenger 24 ; set seat_heating all on",
                "set the passenger to 24 and turn on all their seat heating",
            ),
        ] {
            assert_eq!(settled(planned, said), planned, "{said}");
        }
    }

    #[test]
    fn seats_left_out_are_taken_out_of_the_plan() {
        let language = language();
        let left_out = |said: &str| seats_left_out(said, Seat::Driver);
        assert_eq!(
            left_out("open all the windows except mine"),
            Some(LeftOut {
                seats: vec!["driver"],
                alone: false
            })
        );
        assert_eq!(
            left_out("not the back ones"),
            Some(LeftOut {
                seats: vec!["rear_left", "rear_right"],
                alone: true
            })
        );
        assert_eq!(
            left_out("heat every seat but not the passenger's"),
            Some(LeftOut {
                seats: vec!["passenger"],
                alone: false
            })
        );
        for none in [
            "open the window but only halfway",
            "open the sunroof but not all the way",
            "turn it down, not so loud",
            "why is it not warm in the back",
            "open the trunk",
        ] {
            assert_eq!(left_out(none), None, "{none}");
        }
        let left = |model: &str, out: &[&str]| {
            let mut plan = plan(model);
            leave_out(&mut plan, &language, Seat::Driver, out);
            plan.to_string()
        };
        assert_eq!(
            left("set window all max", &["rear_left", "rear_right"]),
            "set window driver max ; set window passenger max"
        );
        // The model planned the seats left out ("everywhere except the back" was `rear`).
        assert_eq!(
            left("set temperature rear 24", &["rear_left", "rear_right"]),
            "set temperature driver 24 ; set temperature passenger 24"
        );
        // What has no seats, or no seat left out, is as planned.
        assert_eq!(
            left(
                "set sunroof all max ; set window passenger max",
                &["driver"]
            ),
            "set sunroof all max ; set window passenger max"
        );
    }

    #[test]
    fn a_seats_temperature_asked_about_is_the_one_it_is_set_to() {
        let settled = |said: &str| {
            let mut planned = plan("answer cabin_temperature all");
            seat_temperature_as_said(&mut planned, said);
            planned.to_string()
        };
        // What the model shipped on 2026-12-06 planned for each of these.
        assert_eq!(
            settled("how hot is it in the back"),
            "answer cabin_temperature all ; answer temperature rear"
        );
        assert_eq!(
            settled("what's the temperature set to in the back"),
            "answer temperature rear"
        );
        assert_eq!(
            settled("is it cold in the back right"),
            "answer cabin_temperature all ; answer temperature rear_right"
        );
        assert_eq!(
            settled("what's the temperature on the passenger side"),
            "answer cabin_temperature all ; answer temperature passenger"
        );
        for cabin in [
            "how cold is it in here",
            "what's the temperature in the car",
        ] {
            assert_eq!(settled(cabin), "answer cabin_temperature all", "{cabin}");
        }
        let mut planned = plan("answer outside_temperature all");
        seat_temperature_as_said(&mut planned, "how cold is it outside the back door");
        assert_eq!(planned.to_string(), "answer outside_temperature all");
    }

    #[test]
    fn a_seat_said_from_the_speaker_is_found_from_the_speakers_seat() {
        let language = language();
        let settled = |model: &str, said: &str, seat: Seat| {
            let mut plan = plan(model);
            seat_said_from_the_speaker(&mut plan, said, &language, seat);
            plan.to_string()
        };
        // What the model shipped on 2026-12-06 planned for these words, from every seat.
        let said = "the person next to me is cold";
        let planned = "set temperature passenger up";
        assert_eq!(settled(planned, said, Seat::Driver), planned);
        assert_eq!(
            settled(planned, said, Seat::Passenger),
            "set temperature driver up"
        );
        assert_eq!(
            settled(planned, said, Seat::RearLeft),
            "set temperature rear_right up"
        );
        assert_eq!(
            settled(
                "set window rear_left max",
                "open the window behind me",
                Seat::Passenger
            ),
            "set window rear_right max"
        );
        assert_eq!(
            settled(
                "set window passenger max",
                "open the window next to me",
                Seat::RearRight
            ),
            "set window rear_right max"
        );
        assert_eq!(
            settled(
                "set window front max",
                "open the window in front of me",
                Seat::RearLeft
            ),
            "set window driver max"
        );
        // Nothing behind the back seats; two zoned things, or none, are the model's to place.
        for (planned, said, seat) in [
            (
                "set window rear_left max",
                "open the window behind me",
                Seat::RearRight,
            ),
            (
                "set seat_heating passenger on ; set window my max",
                "heat the seat next to me and open my window",
                Seat::RearLeft,
            ),
            (
                "set defrost_front all on",
                "the window in front of me is fogged",
                Seat::Driver,
            ),
        ] {
            assert_eq!(settled(planned, said, seat), planned, "{said}");
        }
    }

    #[test]
    fn a_seat_too_hot_with_its_heating_off_is_cooled() {
        let language = language();
        // The car with every seat's HeatingCooling at `level`.
        let settled = |said: &str, planned: &str, level: f64| {
            let mut plan = plan(planned);
            let now = |path: &str| path.contains("HeatingCooling").then_some(level);
            seat_the_other_way(&mut plan, said, &language, Seat::Driver, now);
            plan.to_string()
        };
        let hot = "my seat is too hot";
        assert_eq!(
            settled(hot, "set seat_heating my off", 0.0),
            "set seat_cooling my on"
        );
        assert_eq!(
            settled(hot, "set seat_heating my off", 66.0),
            "set seat_heating my off"
        );
        assert_eq!(
            settled(
                "the passenger seat is way too warm",
                "set seat_heating passenger down",
                0.0
            ),
            "set seat_cooling passenger on"
        );
        assert_eq!(
            settled(
                "turn the seat heater off, it's too hot",
                "set seat_heating my off",
                0.0
            ),
            "set seat_heating my off"
        );
        let cold = "my seat is freezing";
        assert_eq!(
            settled(cold, "set seat_cooling my off", 0.0),
            "set seat_heating my on"
        );
        assert_eq!(
            settled(cold, "set seat_cooling my off", -66.0),
            "set seat_cooling my off"
        );
        // Where the seat is not known, the plan stands.
        let mut unknown = plan("set seat_heating my off");
        seat_the_other_way(&mut unknown, hot, &language, Seat::Driver, |_| None);
        assert_eq!(unknown.to_string(), "set seat_heating my off");
    }

    #[test]
    fn a_side_alone_is_in_the_speakers_row() {
        let language = language();
        let from = |seat: Seat| {
            let language = &language;
            settled_by(move |plan, said| side_said_in_the_row(plan, said, language, seat))
        };
        // What the model shipped on 2026-11-24 planned for the first two.
        let driver = from(Seat::Driver);
        assert_eq!(
            driver("set window rear_right 0", "close the right window"),
            "set window passenger 0"
        );
        assert_eq!(
            driver("set seat_heating rear_right on", "heat the right seat"),
            "set seat_heating passenger on"
        );
        assert_eq!(
            driver("set window right max", "open the window on the right"),
            "set window passenger max"
        );
        assert_eq!(
            driver(
                "set window rear_right 50",
                "open the right hand side window halfway"
            ),
            "set window passenger 50"
        );
        let rear_left = from(Seat::RearLeft);
        assert_eq!(
            rear_left("set window rear_right max", "open the right window"),
            "set window rear_right max"
        );
        assert_eq!(
            rear_left("set window driver max", "open the left window"),
            "set window rear_left max"
        );
        // A row named, several meant, or "right" that is no side: the plan stands.
        for (planned, said) in [
            ("set window rear_right max", "open the rear right window"),
            ("set window right max", "open the windows on the right"),
            ("set window all max", "open all the windows on the right"),
            ("set window my max", "open the window right now"),
            ("set window my 0", "close the window all right"),
            (
                "set window passenger 0",
                "close the passenger window on the right",
            ),
        ] {
            assert_eq!(driver(planned, said), planned, "{said}");
        }
    }
}
