//! The agent's replies in words: what the car confirmed (not what was asked), values shown
//! as the dashboard shows them, seats grouped by value, refusals with their reason, what was
//! put back, and the questions asked back.

use super::*;

/// What was put back, named: "the windows and the air conditioning are back as they were"
/// ("it's back as it was" had not said what "it" was).
/// `now` gives a signal's value before it is put back.
pub(super) fn back_as_it_was(
    language: &Language,
    put_back: &[(String, Value)],
    now: impl Fn(&str) -> Option<f64>,
) -> String {
    // Each function with its count of seats, and the first seat's name.
    let mut named: Vec<(&str, usize, &str)> = Vec::new();
    for (path, value) in put_back {
        // Seat heating and ventilation share a signal: the sign of what is undone (or, where
        // that was off, of what it goes back to) says which it was.
        let owners: Vec<&Function> = language
            .functions()
            .filter(|f| f.paths.values().any(|p| p == path))
            .collect();
        let signed = |v: Option<f64>| owners.iter().find(|f| v.is_some_and(|v| v * f.sign > 0.0));
        let owner = signed(now(path))
            .or_else(|| signed(value.as_f64()))
            .or(owners.first());
        let Some(f) = owner else {
            continue;
        };
        let seat = f
            .paths
            .iter()
            .find(|(_, p)| *p == path)
            .map_or("all", |(seat, _)| seat.as_str());
        match named.iter_mut().find(|(n, _, _)| *n == f.name) {
            Some((_, seats, _)) => *seats += 1,
            None => named.push((&f.name, 1, seat)),
        }
    }
    let things: Vec<String> = named
        .iter()
        .map(|(name, seats, seat)| match (*name, seats) {
            ("window", 2..) => "the windows".to_owned(),
            // One seat's: "the window at the rear left".
            (_, 1) => format!("{}{}", label(name), zone_phrase(seat)),
            _ => label(name),
        })
        .collect();
    match things.as_slice() {
        [] => "it's back as it was".into(),
        [one] if verb(named[0].0) == "is" && one != "the windows" => {
            format!("{one} is back as it was")
        }
        [.., last] => {
            let head = things[..things.len() - 1].join(", ");
            let all = if head.is_empty() {
                last.clone()
            } else {
                format!("{head} and {last}")
            };
            format!("{all} are back as they were")
        }
    }
}

/// The units a question asks its answer in besides the car's metric ones: "how many miles
/// can I go", "in mph", "in Fahrenheit".
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Imperial {
    pub(super) miles: bool,
    pub(super) fahrenheit: bool,
}

impl Imperial {
    pub(super) fn said(utterance: &str) -> Imperial {
        let lower = utterance.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
        Imperial {
            miles: has(&["mile", "miles", "mph"]),
            // "In F", "in °F", "degrees F": the letter alone, after the words that give a unit.
            fahrenheit: has(&["fahrenheit", "farenheit"])
                || words
                    .windows(2)
                    .any(|pair| matches!(pair, ["in" | "degrees", "f"])),
        }
    }
}

/// 68.0 → "68", 21.5 → "21.5".
pub(super) fn tidy(n: f64) -> String {
    if (n - n.round()).abs() < 1e-6 {
        format!("{}", n.round() as i64)
    } else {
        format!("{n:.1}")
    }
}

pub(super) fn capital(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What a function is called in a reply.
pub(super) fn label(name: &str) -> String {
    match name {
        "temperature" => "the temperature",
        "fan" => "the fan",
        "airflow" => "the air distribution",
        "ac" => "the air conditioning",
        "recirculation" => "recirculation",
        "defrost_front" => "the windshield defroster",
        "defrost_rear" => "the rear window defroster",
        "seat_heating" => "seat heating",
        "seat_cooling" => "seat ventilation",
        "window" => "the window",
        "sunroof" => "the sunroof",
        "shade" => "the sunshade",
        "lock" => "the door locks",
        "trunk" => "the trunk",
        "frunk" => "the front trunk",
        "dome_light" => "the reading light",
        "ambient_light" => "the ambient light",
        "ambient_brightness" => "the ambient brightness",
        "ambient_color" => "the ambient colour",
        "low_beam" => "the headlights",
        "fog_lights" => "the fog lights",
        "hazards" => "the hazard lights",
        "wipers" => "the wipers",
        "volume" => "the volume",
        "media" => "the music",
        "battery" => "the battery level",
        "range" => "the range",
        "speed" => "the speed",
        "gear" => "the gear",
        "cabin_temperature" => "the cabin temperature",
        "outside_temperature" => "the outside temperature",
        other => other,
    }
    .to_owned()
}

pub(super) fn zone_phrase(seat: &str) -> &'static str {
    match seat {
        "driver" => " on the driver's side",
        "passenger" => " on the passenger side",
        "rear_left" => " at the rear left",
        "rear_right" => " at the rear right",
        _ => "",
    }
}

/// A value as a person says it.
pub(super) fn show(language: &Language, f: &Function, value: &Value) -> String {
    match (&f.kind, value) {
        (Kind::Celsius, v) => format!("{} °C", v.as_f64().map(tidy).unwrap_or_default()),
        (Kind::Percent, v) => {
            let n = v.as_f64().unwrap_or(0.0) * f.sign;
            match f.name.as_str() {
                "window" | "sunroof" | "shade" if n == 0.0 => "closed".into(),
                "window" | "sunroof" | "shade" if n >= 100.0 => "fully open".into(),
                "window" | "sunroof" | "shade" => format!("{} % open", tidy(n)),
                "volume" if n <= 0.0 => "muted".into(),
                _ if n <= 0.0 => "off".into(),
                // As the knob and the dashboard count it: 66 % of the seat heating is level 2.
                _ if f.levels.is_some() => {
                    let levels = f64::from(f.levels.unwrap_or(1));
                    format!(
                        "at level {}",
                        (n * levels / 100.0).ceil().clamp(1.0, levels)
                    )
                }
                _ => format!("{} %", tidy(n)),
            }
        }
        (Kind::Switch, Value::Bool(b)) => match (f.name.as_str(), b) {
            ("lock", true) => "locked".into(),
            ("lock", false) => "unlocked".into(),
            ("trunk" | "frunk", true) => "open".into(),
            ("trunk" | "frunk", false) => "closed".into(),
            (_, true) => "on".into(),
            (_, false) => "off".into(),
        },
        // Said as a driver would say them, not as the catalog spells them.
        (Kind::Choice(_), Value::String(s)) if f.name == "wipers" => match s.as_str() {
            "OFF" => "off".into(),
            "INTERVAL" => "on intermittent".into(),
            "RAIN_SENSOR" => "on automatic (rain sensor)".into(),
            other => format!("on {}", other.to_lowercase()),
        },
        (Kind::Choice(_), Value::String(s)) if f.name == "airflow" => match s.as_str() {
            "UP" => "at the windshield".into(),
            "DOWN" => "at the feet".into(),
            _ => "at the face".into(),
        },
        (Kind::Choice(_), Value::String(s)) => language
            .color_name(s)
            .map_or_else(|| s.to_lowercase(), String::from)
            .replace('_', " "),
        (_, v) => v.to_string(),
    }
}

/// Whether the car confirmed the value it already had before the turn: "a bit more" of a
/// window that is fully open.
pub(super) fn was_already(before: &BTreeMap<String, Value>, outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Confirmed { path, value, .. } if before.get(path) == Some(value))
}

/// "The window is now fully open." said of a window that was: "… is already fully open."
pub(super) fn already(reply: &str) -> String {
    if reply.contains(" now ") {
        return reply.replacen(" now ", " already ", 1);
    }
    // "The doors are locked." says no "now"; it was said alike whether they had been.
    [" are ", " is "]
        .iter()
        .find(|verb| reply.contains(**verb))
        .map(|verb| reply.replacen(verb, &format!("{}already ", verb), 1))
        .unwrap_or_else(|| reply.to_owned())
}

/// "is" or "are" for a function's label.
pub(super) fn verb(function: &str) -> &'static str {
    match function {
        "wipers" | "fog_lights" | "low_beam" | "hazards" | "lock" => "are",
        _ => "is",
    }
}

/// The reply for a change the car confirmed (or did not).
pub(super) fn confirmation(
    language: &Language,
    f: &Function,
    seat: &str,
    outcome: &Outcome,
    several: bool,
    imperial: Imperial,
) -> String {
    let what = subject_phrase(f, seat, several);
    match outcome {
        Outcome::Confirmed { value, .. } => match (f.name.as_str(), value) {
            ("media", Value::String(s)) => match s.as_str() {
                "PLAY" => "Playing.".into(),
                "PAUSE" => "Paused.".into(),
                "SKIP_FORWARD" => "Next track.".into(),
                _ => "Previous track.".into(),
            },
            ("lock", Value::Bool(true)) => "The doors are locked.".into(),
            ("lock", Value::Bool(false)) => "The doors are unlocked.".into(),
            _ => format!(
                "{what} {} now {}.",
                verb(&f.name),
                state_text(language, f, value, imperial)
            ),
        },
        Outcome::Clamped { value, .. } => {
            format!(
                "{what} {} at the limit, {}.",
                verb(&f.name),
                show(language, f, value)
            )
        }
        Outcome::Superseded {
            reported: Some(value),
            stopped: true,
            ..
        } if is_position(f) => stopped(language, f, seat, value, several),
        // A later request (a touch, say) sent it elsewhere on its way.
        Outcome::Superseded {
            reported: Some(value),
            ..
        } => format!(
            "{what} {} {} when a later request changed it.",
            if verb(&f.name) == "are" {
                "were"
            } else {
                "was"
            },
            show(language, f, value)
        ),
        Outcome::Superseded { commanded, .. } => format!(
            "I asked for {} to be {}, but a later request replaced it.",
            label(&f.name),
            show(language, f, commanded)
        ),
        Outcome::NotConfirmed { commanded, .. } => format!(
            "I asked for {} to be {}, but the car has not confirmed it.",
            label(&f.name),
            show(language, f, commanded)
        ),
        Outcome::Failed { message, .. } => format!("I couldn't reach the car: {message}."),
        Outcome::Refused { reason, .. } => refusal(f, reason, None),
    }
}

/// What a reply is about: "The fan", "The window on the driver's side" (the seat said when the
/// function has seats or the reply names several things).
pub(super) fn subject_phrase(f: &Function, seat: &str, several: bool) -> String {
    let zone = if several || f.is_zoned() {
        zone_phrase(seat)
    } else {
        ""
    };
    format!("{}{zone}", capital(&label(&f.name)))
}

/// The reply for a position stopped on its way.
pub(super) fn stopped(
    language: &Language,
    f: &Function,
    seat: &str,
    value: &Value,
    several: bool,
) -> String {
    let what = subject_phrase(f, seat, several);
    format!("{what} {}.", stopped_at(&show(language, f, value)))
}

/// "stopped at 40 % open"; a position stopped at an end is said as it is.
pub(super) fn stopped_at(shown: &str) -> String {
    if shown.contains('%') {
        format!("stopped at {shown}")
    } else {
        format!("stopped, {shown}")
    }
}

/// The model's unsure plan as a question back: "to turn the air conditioning on".
pub(super) fn guess(plan: &crate::lm::Plan) -> Option<String> {
    let phrases: Vec<String> = plan
        .statements
        .iter()
        .filter_map(|s| match s {
            Statement::Set {
                function,
                value,
                zone,
            } => {
                // Where, as the confirmation would say it: "the temperature in the back",
                // "all the windows".
                let what = match (function.as_str(), zone.as_str()) {
                    ("window", "all") => "all the windows".to_owned(),
                    ("window", "front" | "rear" | "left" | "right") => "the windows".to_owned(),
                    _ => label(function),
                };
                let place = match zone.as_str() {
                    "front" => " in the front",
                    "rear" => " in the back",
                    "left" => " on the left",
                    "right" => " on the right",
                    seat => zone_phrase(seat),
                };
                let what = format!("{what}{place}");
                Some(match (function.as_str(), value.as_str()) {
                    ("lock", "on") => "to lock the doors".into(),
                    ("lock", "off") => "to unlock the doors".into(),
                    ("trunk" | "frunk", "on") => format!("to open {what}"),
                    ("trunk" | "frunk", "off") => format!("to close {what}"),
                    ("window" | "sunroof" | "shade", "max") => format!("to open {what} fully"),
                    ("window" | "sunroof" | "shade", "0") => format!("to close {what}"),
                    (_, "on" | "off" | "up" | "down") => format!("to turn {value} {what}"),
                    (_, "max") => format!("to turn {what} all the way up"),
                    (_, "min") => format!("to turn {what} all the way down"),
                    (_, "mute" | "unmute") => format!("to {value} the sound"),
                    (_, v) if v.ends_with('f') => {
                        format!("to set {what} to {} °F", v.trim_end_matches('f'))
                    }
                    ("temperature", v) => format!("to set {what} to {v} °C"),
                    (_, v) if v.starts_with(['+', '-']) => format!("to change {what} by {v}"),
                    (_, v) if v.parse::<f64>().is_ok() => format!("to set {what} to {v} %"),
                    (_, v) => format!("to set {what} to {}", v.to_lowercase().replace('_', " ")),
                })
            }
            Statement::Answer { query, .. } => Some(format!("to tell you {}", label(query))),
            _ => None,
        })
        .collect();
    // The model, unsure, may write one setting twice ("turn seat heating on and to turn
    // seat heating on"): it is asked about once.
    let mut unique: Vec<String> = Vec::with_capacity(phrases.len());
    for phrase in phrases {
        if !unique.contains(&phrase) {
            unique.push(phrase);
        }
    }
    match unique.split_last() {
        None => None,
        Some((only, [])) => Some(only.clone()),
        Some((last, rest)) => Some(format!("{} and {last}", rest.join(", "))),
    }
}

/// A value as an answer says it after "is": "at 30 %", "40 % open", "72 °F (22 °C)" when
/// asked in Fahrenheit.
pub(super) fn state_text(
    language: &Language,
    f: &Function,
    value: &Value,
    imperial: Imperial,
) -> String {
    let shown = show(language, f, value);
    match (&f.kind, value.as_f64()) {
        (Kind::Celsius, Some(c)) if imperial.fahrenheit => {
            format!("{} °F ({shown})", fahrenheit(c))
        }
        _ if shown.ends_with('%') => format!("at {shown}"),
        _ => shown,
    }
}

/// A temperature in whole degrees Fahrenheit: 22 → "72".
pub(super) fn fahrenheit(celsius: f64) -> String {
    tidy((celsius * 9.0 / 5.0 + 32.0).round())
}

/// The answer about a function on the seats asked about, each with its value said as
/// [`state_text`] does: "The window at the rear left is closed.", "All windows are closed.",
/// "Seat heating is at level 2 on the passenger side and off elsewhere."
pub(super) fn seats_answer(f: &Function, shown: &[(&str, String)]) -> String {
    let what = capital(&label(&f.name));
    // A temperature set is not the one measured ("it's 24 °C in the cabin"): said so.
    let is = match f.name.as_str() {
        "temperature" => "is set to",
        name => verb(name),
    };
    match shown {
        [] => format!("I don't know {} right now.", label(&f.name)),
        [(seat, value)] => format!("{what}{} {is} {value}.", zone_phrase(seat)),
        [(_, first), ..] if shown.iter().all(|(_, v)| v == first) => {
            let seats: Vec<&str> = shown.iter().map(|(s, _)| *s).collect();
            let said = together(f, &seats, first, false).replacen(" now ", " ", 1);
            said.replacen(&format!(" {} ", verb(&f.name)), &format!(" {is} "), 1)
        }
        _ => {
            // Each value once, with the seats that have it; the value most seats share goes
            // last, where it can be "elsewhere".
            let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
            for (seat, value) in shown {
                match groups.iter_mut().find(|(v, _)| v == value) {
                    Some((_, seats)) => seats.push(seat),
                    None => groups.push((value, vec![seat])),
                }
            }
            groups.sort_by_key(|(_, seats)| seats.len());
            let last = groups.len() - 1;
            let parts: Vec<String> = groups
                .iter()
                .enumerate()
                .map(|(i, (value, seats))| {
                    let scope = match seats.as_slice() {
                        [one] => zone_phrase(one).trim_start().to_owned(),
                        several if i == last && several.len() > 2 => "elsewhere".to_owned(),
                        several => seats_scope(several),
                    };
                    format!("{value} {scope}")
                })
                .collect();
            let (tail, head) = parts.split_last().unwrap_or((&parts[0], &[]));
            format!("{what} {is} {} and {tail}.", head.join(", "))
        }
    }
}

/// Where several seats are: "in the back", "on the left", or each named.
pub(super) fn seats_scope(seats: &[&str]) -> String {
    let mut sorted: Vec<&str> = seats.to_vec();
    sorted.sort_unstable();
    match sorted.as_slice() {
        ["driver", "passenger", "rear_left", "rear_right"] => "everywhere".to_owned(),
        ["driver", "passenger"] => "in the front".to_owned(),
        ["rear_left", "rear_right"] => "in the back".to_owned(),
        ["driver", "rear_left"] => "on the left".to_owned(),
        ["passenger", "rear_right"] => "on the right".to_owned(),
        _ => {
            let named: Vec<&str> = seats.iter().map(|s| zone_phrase(s).trim_start()).collect();
            match named.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("{} and {last}", rest.join(", "))
                }
                _ => named.join(""),
            }
        }
    }
}

/// One sentence for a function confirmed at the same value on several seats.
/// `stopped`: they stopped there on their way (see [`stopped_at`]).
pub(super) fn together(f: &Function, seats: &[&str], value: &str, stopped: bool) -> String {
    let scope = seats_scope(seats);
    let plural = match f.name.as_str() {
        "window" => Some("The windows"),
        "fan" => Some("The fans"),
        "airflow" => Some("The vents"),
        _ => None,
    };
    let state = if stopped {
        stopped_at(value)
    } else {
        format!("are now {value}")
    };
    match plural {
        Some(noun) if scope == "everywhere" => format!(
            "All {} {state}.",
            noun.trim_start_matches("The ").to_lowercase()
        ),
        Some(noun) => format!("{noun} {scope} {state}."),
        None if stopped => format!("{} {scope} {state}.", capital(&label(&f.name))),
        None => format!(
            "{} {} now {value} {scope}.",
            capital(&label(&f.name)),
            verb(&f.name)
        ),
    }
}

/// Why a change was refused, as said to the person who asked: what was refused is said as
/// asked ("open the trunk") where the `value` asked for is known.
pub(super) fn refusal(f: &Function, reason: &PolicyError, value: Option<&Value>) -> String {
    let what = label(&f.name);
    let change = match (f.name.as_str(), value) {
        ("trunk" | "frunk", Some(Value::Bool(true))) => "open",
        ("trunk" | "frunk", Some(Value::Bool(false))) => "close",
        _ => "change",
    };
    match reason {
        // Only unlocking waits for a standstill: locking is never refused.
        PolicyError::CarMoving { .. } if f.name == "lock" => {
            "I can't unlock the doors while the car is moving.".into()
        }
        PolicyError::SpeedUnknown { .. } if f.name == "lock" => {
            "I can't unlock the doors: I don't know that the car is standing still.".into()
        }
        PolicyError::CarMoving { .. } => {
            format!("I can't {change} {what} while the car is moving.")
        }
        PolicyError::SpeedUnknown { .. } => {
            format!("I can't {change} {what}: I don't know that the car is standing still.")
        }
        PolicyError::DriverOnly { .. } => format!("Only the driver can change {what}."),
        other => format!("I can't change {what}: {other}."),
    }
}

/// The rule behind a refusal, said when asked why: "For safety, the trunk opens only while
/// the car stands still, and we're doing 50 km/h."
pub(super) fn because(f: &Function, reason: &PolicyError, value: Option<&Value>) -> String {
    let what = label(&f.name);
    let does = match (f.name.as_str(), value) {
        ("trunk" | "frunk", Some(Value::Bool(true))) => "opens",
        ("trunk" | "frunk", Some(Value::Bool(false))) => "closes",
        ("lock", _) => "unlock",
        _ => "changes",
    };
    let standing = if f.name == "lock" {
        "For safety, the doors unlock only while the car stands still".to_owned()
    } else {
        format!("For safety, {what} {does} only while the car stands still")
    };
    match reason {
        PolicyError::CarMoving { speed_kmh, .. } => {
            format!("{standing}, and we're doing {} km/h.", speed_kmh.round())
        }
        PolicyError::SpeedUnknown { .. } => {
            format!("{standing}, and I can't tell that it does: the car isn't reporting its speed.")
        }
        PolicyError::DriverOnly { .. } => {
            let (bear, them) = match verb(&f.name) {
                "are" => ("bear", "them"),
                _ => ("bears", "it"),
            };
            format!(
                "{} {bear} on driving, so only the driver may change {them}.",
                capital(&what)
            )
        }
        other => format!("{}.", capital(&other.to_string())),
    }
}

/// "In 10 minutes", "in a minute", "in 30 seconds", "in an hour".
pub(super) fn in_words(wait: Duration) -> String {
    let seconds = wait.as_secs_f64().round();
    let (n, unit) = if seconds < 60.0 {
        (seconds, "second")
    } else if seconds < 3600.0 {
        (seconds / 60.0, "minute")
    } else {
        (seconds / 3600.0, "hour")
    };
    match (tidy((n * 10.0).round() / 10.0), unit) {
        (one, "hour") if one == "1" => "in an hour".into(),
        (one, unit) if one == "1" => format!("in a {unit}"),
        (n, unit) => format!("in {n} {unit}s"),
    }
}

/// What waits, as a reply: "In 8 minutes I'll close all the windows."
pub(super) fn waiting_said(waiting: &[Waiting]) -> String {
    if waiting.is_empty() {
        return "You haven't asked me for anything later.".into();
    }
    let said: Vec<String> = waiting
        .iter()
        .map(|w| format!("{} I'll {}.", capital(&w.when()), w.what))
        .collect();
    said.join(" ")
}

/// The reply for requests called off.
pub(super) fn called_off(off: &[Scheduled]) -> String {
    match off {
        [one] if !one.put_back.is_empty() => "Okay, I'll leave it as it is.".into(),
        _ => {
            let whats: Vec<&str> = off.iter().map(|s| s.what.as_str()).collect();
            match whats.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("Okay, I won't {} or {last}.", rest.join(", "))
                }
                _ => format!("Okay, I won't {}.", whats.join("")),
            }
        }
    }
}

/// What putting back `changed` (what a request for a while changed) does, after "I'll": "put
/// back the window on the passenger side".
pub(super) fn putting_back(changes: &[Change], changed: &[(String, Value)]) -> String {
    let mut things: Vec<String> = Vec::new();
    for change in changes {
        if !changed.iter().any(|(path, _)| *path == change.path) {
            continue;
        }
        let f = &change.function;
        let zone = if f.is_zoned() {
            zone_phrase(&change.seat)
        } else {
            ""
        };
        let thing = format!("{}{zone}", label(&f.name));
        if !things.contains(&thing) {
            things.push(thing);
        }
    }
    format!("put back {}", things.join(" and "))
}

/// The question before unlocking.
pub(super) fn unlock_question(held: &[Change]) -> String {
    match held {
        [one] if one.seat != "all" => format!(
            "Unlock the door{}? Say yes to confirm.",
            zone_phrase(&one.seat)
        ),
        _ => "Unlock the doors? Say yes to confirm.".into(),
    }
}

pub(super) fn ask_back(function: &str) -> String {
    match function {
        "temperature" => "To how many degrees?".into(),
        "fan" => "How strong should the fan be?".into(),
        "volume" => "How loud?".into(),
        "window" | "sunroof" | "shade" => format!("How far should I open {}?", label(function)),
        "seat_heating" | "seat_cooling" => "Which level: 1, 2 or 3?".into(),
        "ambient_color" => "Which colour?".into(),
        "ambient_brightness" => "How bright?".into(),
        "wipers" => "Which speed: interval, slow, medium, fast or automatic?".into(),
        "airflow" => "Where should the air go: the windshield, the face or the feet?".into(),
        other => format!("What should I set {} to?", label(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::tests::plan;

    #[test]
    fn an_unsure_plan_becomes_a_question() {
        assert_eq!(
            guess(&plan("set ac all on")).as_deref(),
            Some("to turn on the air conditioning")
        );
        assert_eq!(
            guess(&plan("set window all 0 ; set temperature my 21.5")).as_deref(),
            Some("to close all the windows and to set the temperature to 21.5 °C")
        );
        assert_eq!(
            guess(&plan("set lock all on ; set trunk all on")).as_deref(),
            Some("to lock the doors and to open the trunk")
        );
        assert_eq!(
            guess(&plan(
                "set seat_heating my on ; set seat_heating all on ; set defrost_rear all on"
            ))
            .as_deref(),
            Some("to turn on seat heating and to turn on the rear window defroster"),
            "a setting the model wrote twice is asked about once"
        );
        assert_eq!(
            guess(&plan("set ac all on ; set fan my max ; set window all 0")).as_deref(),
            Some(
                "to turn on the air conditioning, to turn the fan all the way up and to close all the windows"
            )
        );
        assert_eq!(
            guess(&plan("set temperature rear up ; set window passenger max")).as_deref(),
            Some(
                "to turn up the temperature in the back and to open the window on the passenger side fully"
            )
        );
        assert_eq!(guess(&plan("none")), None);
    }

    #[test]
    fn what_is_put_back_is_named() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let back = |put_back: &[(&str, Value)], now: Option<f64>| {
            let put_back: Vec<(String, Value)> = put_back
                .iter()
                .map(|(p, v)| (format!("Vehicle.Cabin.{p}"), v.clone()))
                .collect();
            back_as_it_was(&language, &put_back, |_| now)
        };
        assert_eq!(
            back(
                &[("HVAC.IsAirConditioningActive", Value::Bool(false))],
                None
            ),
            "the air conditioning is back as it was"
        );
        assert_eq!(
            back(
                &[
                    ("Door.Row1.DriverSide.Window.Position", Value::Int(0)),
                    ("Door.Row1.PassengerSide.Window.Position", Value::Int(0)),
                    ("HVAC.IsAirConditioningActive", Value::Bool(false)),
                ],
                None
            ),
            "the windows and the air conditioning are back as they were"
        );
        // Heating and ventilation share the seat's signal: what is undone tells them apart.
        let seat = [("Seat.Row1.DriverSide.HeatingCooling", Value::Int(0))];
        assert_eq!(
            back(&seat, Some(-66.0)),
            "seat ventilation on the driver's side is back as it was"
        );
        assert_eq!(
            back(&seat, Some(66.0)),
            "seat heating on the driver's side is back as it was"
        );
    }

    #[test]
    fn a_value_the_car_already_had_is_said_as_already() {
        assert_eq!(
            already("The window on the driver's side is now closed."),
            "The window on the driver's side is already closed."
        );
        // "Lock the doors" with the doors locked had been answered "The doors are locked."
        assert_eq!(
            already("The doors are locked."),
            "The doors are already locked."
        );
        assert_eq!(already("Paused."), "Paused.");
    }

    #[test]
    fn seats_confirmed_alike_make_one_sentence() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let window = language.function("window").expect("window");
        let all = ["driver", "passenger", "rear_left", "rear_right"];
        assert_eq!(
            together(window, &all, "closed", false),
            "All windows are now closed."
        );
        let temperature = language.function("temperature").expect("temperature");
        assert_eq!(
            together(temperature, &["passenger", "driver"], "19 °C", false),
            "The temperature is now 19 °C in the front."
        );
    }

    #[test]
    fn an_answer_about_several_seats_groups_them_by_value() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let heating = language.function("seat_heating").expect("seat heating");
        let answer = |shown: &[(&str, &str)]| {
            let shown: Vec<(&str, String)> =
                shown.iter().map(|(s, v)| (*s, (*v).to_owned())).collect();
            seats_answer(heating, &shown)
        };
        assert_eq!(
            answer(&[("rear_left", "off")]),
            "Seat heating at the rear left is off."
        );
        assert_eq!(
            answer(&[("driver", "off"), ("passenger", "off")]),
            "Seat heating is off in the front."
        );
        assert_eq!(
            answer(&[
                ("driver", "off"),
                ("passenger", "at level 2"),
                ("rear_left", "off"),
                ("rear_right", "off")
            ]),
            "Seat heating is at level 2 on the passenger side and off elsewhere."
        );
        assert_eq!(
            answer(&[
                ("driver", "at level 1"),
                ("passenger", "at level 2"),
                ("rear_left", "off"),
                ("rear_right", "at level 1")
            ]),
            "Seat heating is at level 2 on the passenger side, off at the rear left and at \
             level 1 on the driver's side and at the rear right."
        );
    }

    #[test]
    fn miles_and_fahrenheit_are_told_by_their_words() {
        for fahrenheit in [
            "what's the temperature outside in F",
            "in °F please",
            "70 degrees F",
        ] {
            assert!(Imperial::said(fahrenheit).fahrenheit, "{fahrenheit}");
        }
        for celsius in ["what's the temperature", "turn the fan up for me", "22 c"] {
            assert!(!Imperial::said(celsius).fahrenheit, "{celsius}");
        }
        assert!(Imperial::said("how far in miles").miles);
    }
}
