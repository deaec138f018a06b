//! What the words say against the model's plan: "close" that must never open, "off" that
//! must never switch on, "don't", "warm enough", a bare "stop", and a plain yes or no.

use super::*;

/// Whether an utterance only says to stop something moving: "stop", "stop it", "stop the
/// window", "that's enough", "wait"; not "stop the music" or "stop the wipers", which are
/// requests like any other.
pub fn says_stop(utterance: &str) -> bool {
    const FILLERS: &[&str] = &[
        "ok", "okay", "hey", "oh", "no", "please", "now", "right", "there",
    ];
    const MOVING: &[&str] = &[
        "it",
        "that",
        "this",
        "the",
        "my",
        "window",
        "windows",
        "sunroof",
        "roof",
        "shade",
        "sunshade",
        "blind",
        "moving",
        "everything",
        "all",
        "stop",
        "halt",
    ];
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).filter(|w| !FILLERS.contains(w)).collect();
    match words.as_slice() {
        ["stop" | "halt", rest @ ..] => rest.len() <= 3 && rest.iter().all(|w| MOVING.contains(w)),
        ["enough"] | ["thats" | "far", "enough"] | ["thats", "far", "enough"] => true,
        ["hold", "it"] | ["freeze"] => true,
        // "Wait!" or "hold on" after a request: hold what moves, or else never mind. The
        // model read them as nothing for the car ("Sorry, that's not something I can do").
        ["wait"] | ["hold", "on"] => true,
        ["wait", "a", "second" | "sec" | "moment" | "minute"] => true,
        _ => false,
    }
}

/// Whether `plan` opens a window, the sunroof, its shade or a trunk when the words only
/// say "close" or "shut", or closes one when they only say "open" (a position counts from
/// where it is now: "close the window halfway" from fully open is closing it).
pub(super) fn moves_against(
    plan: &Plan,
    utterance: &str,
    language: &Language,
    seat: Seat,
    now: impl Fn(&str) -> Option<f64>,
) -> bool {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let said = |options: &[&str]| words.iter().any(|w| options.contains(w));
    // "Open" said of the thing as it is ("with the window open") asks for nothing.
    let (open, close) = (
        open_asked(&words) || said(&["opened"]),
        said(&["close", "closed", "shut"]),
    );
    // "A bit less open" closes.
    if open == close || said(&["less"]) {
        return false;
    }
    plan.statements
        .iter()
        .any(|s| opens(s, language, seat, &now).is_some_and(|opens| opens == close))
}

/// Whether `statement` opens (true) or closes (false) a window, the sunroof, its shade or a
/// trunk, a position counted from where it is `now`; None for anything else, or a position
/// that opens some seats and closes others.
pub(super) fn opens(
    statement: &Statement,
    language: &Language,
    seat: Seat,
    now: impl Fn(&str) -> Option<f64>,
) -> Option<bool> {
    let Statement::Set {
        function,
        zone,
        value,
    } = statement
    else {
        return None;
    };
    if !matches!(
        function.as_str(),
        "window" | "sunroof" | "shade" | "trunk" | "frunk"
    ) {
        return None;
    }
    let f = language.function(function)?;
    match value.as_str() {
        "max" | "on" | "up" => Some(true),
        "0" | "min" | "off" | "down" => Some(false),
        v if v.starts_with('+') => Some(true),
        v if v.starts_with('-') => Some(false),
        v => v.parse::<f64>().ok().and_then(|target| {
            // Every seat the plan names, from where each is now.
            let now: Vec<f64> = f
                .seats(zone, seat_word(seat))
                .iter()
                .filter_map(|s| now(&f.paths[s]))
                .collect();
            if now.iter().all(|n| target > *n) {
                Some(true)
            } else if now.iter().all(|n| target < *n) {
                Some(false)
            } else {
                None
            }
        }),
    }
}

/// Whether the words ask for something to open: "open" as a verb, not said after the thing
/// it describes ("with the window open", "the sunroof is open", "left open").
pub(super) fn open_asked(words: &[&str]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        *w == "open"
            && !matches!(
                i.checked_sub(1).map(|j| words[j]),
                Some(
                    "window"
                        | "windows"
                        | "sunroof"
                        | "roof"
                        | "trunk"
                        | "is"
                        | "are"
                        | "s"
                        | "left"
                        | "still"
                        | "wide"
                        | "was"
                        | "were"
                        | "been"
                )
            )
    })
}

/// A complaint of what comes in through an opening closes it, never opens it more: "it's
/// noisy with the window open" had the closed window set to 20 % (the model, taught to
/// close it partway, did not know it was closed). Only where the words complain (noise,
/// wind, cold, rain, dust) and ask for no opening: "open" said as a state ("with the window
/// open", "the sunroof is open") is no request. Returns whether the words decide the plan.
pub(super) fn complaint_closes(
    plan: &mut Plan,
    utterance: &str,
    language: &Language,
    seat: Seat,
    now: impl Fn(&str) -> Option<f64>,
) -> bool {
    const COMPLAINTS: &[&str] = &[
        "noisy",
        "noise",
        "loud",
        "windy",
        "drafty",
        "draft",
        "draughty",
        "draught",
        "cold",
        "freezing",
        "chilly",
        "raining",
        "rain",
        "wet",
        "dusty",
        "dust",
        "whistling",
    ];
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let complains = words.iter().any(|w| COMPLAINTS.contains(w));
    let asks_to_open = open_asked(&words)
        || words
            .iter()
            .any(|w| matches!(*w, "crack" | "lower" | "roll"));
    if !complains || asks_to_open {
        return false;
    }
    let mut changed = false;
    for statement in &mut plan.statements {
        if opens(statement, language, seat, &now) == Some(true)
            && let Statement::Set {
                function, value, ..
            } = statement
            && function != "trunk"
            && function != "frunk"
        {
            tracing::debug!(model = %value, "a complaint of the {function}: closed");
            *value = "0".into();
            changed = true;
        }
    }
    // The words decide a plan that only closes what lets the complaint in, where the rule
    // made it so or the words name it ("the wind noise with the sunroof open": the model
    // closed the sunroof, at 0.34).
    let named = words.iter().any(|w| {
        matches!(
            *w,
            "window" | "windows" | "sunroof" | "roof" | "moonroof" | "shade" | "blind"
        )
    });
    let only_closes = !plan.statements.is_empty()
        && plan.statements.iter().all(|s| {
            opens(s, language, seat, &now) == Some(false)
                && matches!(s, Statement::Set { function, .. }
                    if matches!(function.as_str(), "window" | "sunroof" | "shade"))
        });
    only_closes && (changed || named)
}

/// Switches off what the words only switch off. The model reads a second thing after "and"
/// with the first one's verb less well than the thing itself: "turn off the fog lights and the
/// hazards" became `hazards on`, "turn off the AC and the fan" `fan up`. When the words say
/// "off" and nothing that turns or sets anything up, no switch, level or wiper setting in the
/// plan is turned on or up; each becomes off. Locks and trunks are not switched ("off" does not unlock), and
/// positions have their own rule ([`moves_against`]).
pub(super) fn off_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
    const OFF: &[&str] = &["off", "disable", "deactivate"];
    // Besides the words that switch on or turn up, the verbs of a second request ("turn off
    // the hazards and heat my seat") and those that take something off a surface ("get the
    // fog off the windshield", where "off" is no switch).
    const UP: &[&str] = &[
        "on", "up", "start", "enable", "activate", "set", "higher", "more", "increase", "warmer",
        "hotter", "cooler", "colder", "louder", "faster", "max", "maximum", "full", "boost",
        "blast", "open", "play", "lock", "heat", "warm", "cool", "defrost", "defog", "demist",
        "clear", "get", "keep", "wipe", "dry",
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let said = |options: &[&str]| words.iter().any(|w| options.contains(w));
    if !said(OFF) || said(UP) || lower.chars().any(|c| c.is_ascii_digit()) {
        return;
    }
    for statement in &mut plan.statements {
        let Statement::Set {
            function, value, ..
        } = statement
        else {
            continue;
        };
        let Some(f) = language.function(function) else {
            continue;
        };
        // Recirculation is off when the outside air is on: "shut off the outside air" wants
        // it on, so only words that name it switch it off.
        if f.name == "recirculation" && !words.iter().any(|w| w.starts_with("recirc")) {
            continue;
        }
        let switch =
            f.kind == Kind::Switch && !matches!(f.name.as_str(), "lock" | "trunk" | "frunk");
        let turned_up = match value.as_str() {
            "on" | "up" | "max" => true,
            v if v.starts_with('+') => true,
            v => is_level(f) && v.parse::<f64>().is_ok_and(|n| n > 0.0),
        };
        // A choice with an off among its values (the wipers) is switched on by any other.
        let choice_on = matches!(&f.kind, Kind::Choice(names) if names.iter().any(|n| n == "OFF"))
            && value.as_str() != "OFF";
        if (switch || is_level(f)) && turned_up {
            tracing::debug!(model = %value, "the words only say off: {function} off");
            *value = "off".into();
        } else if choice_on {
            tracing::debug!(model = %value, "the words only say off: {function} OFF");
            *value = "OFF".into();
        }
    }
}

/// Where the words tell the car not to do something.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Negation {
    /// No "don't", or one that asks for something after all ("don't forget to lock up",
    /// "don't let the fumes in", "don't you think it's cold").
    None,
    /// The request is what not to do: "don't open the window", "no, don't unlock".
    Whole,
    /// One part of the request is: "open the window but don't open the sunroof".
    Part,
}

/// Whether the words say not to do something, and whether that is all they say. The model
/// shipped on 2026-11-24 reads "don't" as if it were not there: "don't open the window"
/// opened it, "do not turn on the hazards" turned them on and "don't unlock" unlocked the
/// doors.
pub(super) fn negation_said(utterance: &str) -> Negation {
    const FILLERS: &[&str] = &[
        "no", "nope", "please", "oh", "hey", "ok", "okay", "and", "but", "wait", "car", "um", "uh",
        "actually", "so", "just", "hmm", "stop", ",", "you", "theres", "there", "is",
    ];
    const BOUNDARIES: &[&str] = &[",", "but", "and", "then", "just"];
    // What may follow a "don't" that still asks for something, or says nothing to the car.
    const ASKING: &[&str] = &["forget", "let", "you", "mind", "worry"];
    let lower = without_apostrophes(utterance);
    // Words, with the clause marks kept as words of their own.
    let tokens: Vec<&str> = lower
        .split_inclusive(|c: char| !c.is_alphanumeric())
        .flat_map(|piece| {
            let word = piece.trim_end_matches(|c: char| !c.is_alphanumeric());
            let mark = &piece[word.len()..];
            let mark = [",", ";", ".", "!", "?"]
                .into_iter()
                .find(|m| mark.contains(m))
                .map(|_| ",");
            [Some(word).filter(|w| !w.is_empty()), mark]
        })
        .flatten()
        .collect();
    // "Leave the windows as they are", "keep it where it is": nothing is to change (the
    // model shipped on 2026-12-06 closed the windows for the first).
    let words: Vec<&str> = tokens.iter().copied().filter(|t| *t != ",").collect();
    let first = words.iter().position(|w| !FILLERS.contains(w));
    let as_it_is = [
        &["alone"][..],
        &["as", "is"],
        &["as", "it", "is"],
        &["as", "they", "are"],
        &["where", "it", "is"],
        &["where", "they", "are"],
        &["like", "that"],
        &["the", "way", "it", "is"],
        &["the", "way", "they", "are"],
    ];
    if first.is_some_and(|f| matches!(words[f], "leave" | "keep"))
        && as_it_is.iter().any(|end| words.ends_with(end))
    {
        return Negation::Whole;
    }
    for i in 0..tokens.len() {
        let after = match tokens[i] {
            "dont" | "never" => i + 1,
            "do" if tokens.get(i + 1) == Some(&"not") => i + 2,
            // "No need to open the window" (the model opened it); "no need for the wipers"
            // asks them off.
            "no" if tokens.get(i + 1) == Some(&"need") && tokens.get(i + 2) == Some(&"to") => i + 3,
            _ => continue,
        };
        // "You don't need the fog lights" asks them off, as "you don't need to" does not.
        if tokens.get(after) == Some(&"need") && tokens.get(after + 1) != Some(&"to") {
            continue;
        }
        if tokens.get(after).is_some_and(|w| ASKING.contains(w)) {
            continue;
        }
        let before = &tokens[..i];
        if before.iter().all(|w| FILLERS.contains(w)) {
            return Negation::Whole;
        }
        if before.last().is_some_and(|w| BOUNDARIES.contains(w)) {
            return Negation::Part;
        }
    }
    Negation::None
}

/// Whether `plan` turns a setting down when the words only say "up" (or the reverse): the
/// model read "turn it up to 11" as the temperature at its lowest. Kept to one setting of a
/// level or temperature; a window's way is [`moves_against`]'s. "Turn the AC up" and "turn
/// up the air" are left to the model: said of cooling, up may mean colder.
pub(super) fn turns_against(
    plan: &Plan,
    utterance: &str,
    language: &Language,
    seat: Seat,
    now: impl Fn(&str) -> Option<f64>,
) -> bool {
    // "Up" and "down" say a way only after what is turned: "burning up", "ease up" and
    // "calm down" are no request to turn anything, and comparatives ("warmer than I like")
    // describe rather than ask.
    const TURNED: &[&str] = &[
        "turn",
        "crank",
        "pump",
        "bump",
        "jack",
        "knock",
        "dial",
        "bring",
        "it",
        "that",
        "this",
        "volume",
        "music",
        "sound",
        "fan",
        "heat",
        "temperature",
        "temp",
        "brightness",
    ];
    const UNCLEAR: &[&str] = &[
        "shut",
        "ac",
        "aircon",
        "air",
        "conditioning",
        "conditioner",
        "cooling",
        "cool",
        "cold",
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    if words.iter().any(|w| UNCLEAR.contains(w)) {
        return false;
    }
    let (mut up, mut down) = (false, false);
    for (i, word) in words.iter().enumerate() {
        let turned = i > 0 && TURNED.contains(&words[i - 1]);
        match *word {
            "raise" | "increase" => up = true,
            "decrease" | "reduce" => down = true,
            "up" if turned => up = true,
            "down" if turned => down = true,
            _ => {}
        }
    }
    let said = match (up, down) {
        (true, false) => 1.0,
        (false, true) => -1.0,
        _ => return false,
    };
    let [
        Statement::Set {
            function,
            zone,
            value,
        },
    ] = plan.statements.as_slice()
    else {
        return false;
    };
    let Some(f) = language.function(function) else {
        return false;
    };
    if !matches!(f.kind, Kind::Celsius | Kind::Percent) || is_position(f) {
        return false;
    }
    let planned = match value.as_str() {
        "max" | "up" => 1.0,
        "min" | "down" => -1.0,
        v if v.starts_with('+') => 1.0,
        v if v.starts_with('-') => -1.0,
        v => {
            let (Ok(target), Some(level)) = (v.parse::<f64>(), one_level_now(f, zone, seat, &now))
            else {
                return false;
            };
            if target == level {
                return false;
            }
            (target - level).signum()
        }
    };
    planned == -said
}

/// Turns a step the other way where the words turn it one way and name what they turn: the
/// model shipped on 2026-12-06 turned the volume down for "turn up the volume a little bit"
/// and "turn the volume up a little bit" (and, sure of it, was asked about). Only a step (up,
/// down, +N, -N) of the one setting [`turns_against`] finds against the words, and only
/// where the words name that setting; anything else against the words is still asked about.
/// Whether it turned the step.
pub(super) fn turned_as_said(
    plan: &mut Plan,
    utterance: &str,
    language: &Language,
    seat: Seat,
    now: impl Fn(&str) -> Option<f64>,
) -> bool {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    if !turns_against(plan, utterance, language, seat, now) {
        return false;
    }
    let [
        Statement::Set {
            function, value, ..
        },
    ] = plan.statements.as_mut_slice()
    else {
        return false;
    };
    let names: &[&str] = match function.as_str() {
        "volume" => &["volume", "music", "sound"],
        "fan" => &["fan", "blower"],
        "temperature" => &["temperature", "temp", "heat"],
        "ambient_brightness" => &["brightness"],
        _ => &[],
    };
    if !words.iter().any(|w| names.contains(w)) {
        return false;
    }
    let turned = match value.as_str() {
        "up" => "down".to_owned(),
        "down" => "up".to_owned(),
        v if v.starts_with('+') => v.replacen('+', "-", 1),
        v if v.starts_with('-') => v.replacen('-', "+", 1),
        _ => return false,
    };
    tracing::debug!(%function, model = %value, "the words turn it the other way");
    *value = turned;
    true
}

/// A plain yes (true) or no (false) said in answer to a question: "yes", "yeah, do it",
/// "sure", "go ahead", "no thanks", "nope". The model was taught yes and no after an unlock
/// and after a question for a value only, and read "yes" after "did you want me to turn the
/// defrosters on?" as nothing.
pub fn yes_or_no(utterance: &str) -> Option<bool> {
    const YES: &[&str] = &[
        "yes",
        "yeah",
        "yep",
        "yup",
        "sure",
        "ok",
        "okay",
        "correct",
        "right",
        "exactly",
        "absolutely",
        "definitely",
        "affirmative",
        "ahead",
        "course",
        "do",
        "please",
    ];
    const NO: &[&str] = &["no", "nope", "nah", "not", "dont", "negative"];
    const AROUND: &[&str] = &[
        "it", "that", "thats", "go", "of", "thanks", "thank", "you", "really", "need", "oh",
        "actually", "wait", "oops", "sorry", "well", "um", "uh",
    ];
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    if words.is_empty()
        || words.len() > 5
        || !words
            .iter()
            .all(|w| YES.contains(w) || NO.contains(w) || AROUND.contains(w))
    {
        return None;
    }
    match (
        words
            .iter()
            .any(|w| YES.contains(w) && *w != "please" && *w != "do"),
        words.iter().any(|w| NO.contains(w)),
    ) {
        (_, true) => Some(false),
        (true, false) => Some(true),
        // "Please", "do it", "please do".
        (false, false) => words
            .iter()
            .any(|w| *w == "please" || *w == "do")
            .then_some(true),
    }
}

/// Whether the words say not to do something, in whole or in part.
pub(in crate::agent) fn says_not_to(utterance: &str) -> bool {
    negation_said(utterance) != Negation::None
}

/// What the words say of "enough", against the plan.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Enough {
    /// Nothing, or nothing the plan goes against.
    Fine,
    /// "It's warm enough" (cold, loud enough), and the plan goes further that way.
    GoneFurther,
    /// "It's not warm enough", and the plan goes back the other way.
    GoneBack,
}

/// Whether the words say a setting has gone far enough ("it's warm enough", "that's loud
/// enough") or not far enough ("it's not warm enough"), and the plan moves it the wrong way.
/// The model shipped on 2026-11-24 never saw "enough" said so: it set 28 °C for "warm enough
/// now thanks" and turned the temperature down for "it's not warm enough".
pub(super) fn enough_said(plan: &Plan, utterance: &str) -> Enough {
    const NOT: &[&str] = &[
        "not", "isnt", "arent", "wasnt", "dont", "doesnt", "aint", "never", "hardly",
    ];
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let enough = |what: &[&str]| {
        words
            .windows(2)
            .any(|pair| pair[1] == "enough" && what.contains(&pair[0]))
    };
    let (warm, cold, loud) = (
        enough(&["warm", "hot", "toasty", "heat"]),
        enough(&["cold", "cool", "chilly"]),
        enough(&["loud"]),
    );
    // Whether the plan moves a function the words say is (not) enough further that way, or
    // back the other way.
    let mut further = false;
    let mut back = false;
    for (function, value) in settings(plan) {
        let up = matches!(value, "up" | "max" | "on") || value.starts_with('+');
        let down = matches!(value, "down" | "min" | "off") || value.starts_with('-');
        let (warmer, cooler) = match function {
            "temperature" | "seat_heating" => (up, down),
            "seat_cooling" => (down, up),
            _ => (false, false),
        };
        further |= warm && warmer || cold && cooler || function == "volume" && loud && up;
        back |= warm && cooler || cold && warmer || function == "volume" && loud && down;
    }
    match (words.iter().any(|w| NOT.contains(w)), further, back) {
        (false, true, _) => Enough::GoneFurther,
        (true, _, true) => Enough::GoneBack,
        _ => Enough::Fine,
    }
}

/// Whether `utterance` only says that what was done is right ("that's better, thanks").
pub(super) fn only_approves(utterance: &str) -> bool {
    let lower = without_apostrophes(utterance);
    approves(&words_of(&lower).collect::<Vec<_>>())
}

/// Whether the words only say that what was done is right: "that's good", "perfect", "much
/// better". (The model plans nothing for them, and "that's not something I can do" was the
/// reply.)
pub(super) fn approves(words: &[&str]) -> bool {
    const APPROVING: &[&str] = &[
        "good",
        "better",
        "great",
        "perfect",
        "fine",
        "nice",
        "lovely",
        "awesome",
        "excellent",
        "works",
    ];
    const AROUND: &[&str] = &[
        "ok", "okay", "yeah", "yes", "thats", "that", "is", "its", "much", "very", "now", "really",
        "so", "oh", "ah", "all", "just", "right", "thanks", "thank", "you", "cheers",
    ];
    words.len() <= 6
        && words.iter().any(|w| APPROVING.contains(w))
        && words
            .iter()
            .all(|w| APPROVING.contains(w) || AROUND.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::words::testing::*;

    #[test]
    fn a_complaint_of_an_opening_closes_it_never_opens_it() {
        let language = language();
        let closed = |_: &str| Some(0.0);
        let settled = settled_by(|plan, said| {
            complaint_closes(plan, said, &language, Seat::Driver, closed);
        });
        // What the model shipped on 2026-11-24 planned for the first, the window closed.
        assert_eq!(
            settled("set window my 20", "it's noisy with the window open"),
            "set window my 0"
        );
        assert_eq!(
            settled("set sunroof all max", "it's so windy, the sunroof is open"),
            "set sunroof all 0"
        );
        for (planned, said) in [
            ("set window my 20", "it's cold, but crack the window anyway"),
            ("set window my max", "open the window, it's loud in here"),
            ("set window my 0", "it's too noisy"),
            ("set window all max", "let the wind in"),
            (
                "set trunk all on",
                "it's raining, I need the umbrella from the trunk",
            ),
        ] {
            assert_eq!(settled(planned, said), planned, "{said}");
        }
    }

    #[test]
    fn what_the_words_only_close_is_never_opened() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let open_window = |path: &str| path.contains("Window").then_some(100.0);
        let against = |text: &str, said: &str| {
            moves_against(&plan(text), said, &language, Seat::Driver, open_window)
        };
        // What the model shipped before 2026-11-24 planned for these words, sure of it.
        assert!(against(
            "set lock all on ; set trunk all on",
            "lock the doors and close the trunk"
        ));
        assert!(against("set sunroof all max", "shut the sunroof"));
        assert!(against("set window my 0", "open my window"));
        assert!(!against(
            "set lock all on ; set trunk all off",
            "lock the doors and close the trunk"
        ));
        // Closing part of the way is closing, from where the window is (fully open here).
        assert!(!against("set window my 50", "close the window halfway"));
        // Words that say both leave it to the model.
        assert!(!against(
            "set trunk all on ; set window all 0",
            "open the trunk and close the windows"
        ));
    }

    #[test]
    fn what_the_words_only_turn_up_is_never_turned_down() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        // The car as it starts: 21 °C, the volume at 40 %.
        let start = |path: &str| {
            if path.contains("Temperature") {
                Some(21.0)
            } else if path.contains("Volume") {
                Some(40.0)
            } else {
                None
            }
        };
        let against = |text: &str, said: &str| {
            turns_against(&plan(text), said, &language, Seat::Driver, start)
        };
        // What the model shipped on 2026-11-24 planned for these words.
        assert!(against("set temperature my min", "turn it up to 11"));
        assert!(against("set temperature my 18", "turn the heat up to 18"));
        assert!(against("set volume all 60", "turn the volume down to 60"));
        assert!(against("set volume all -10", "volume up please"));
        assert!(!against("set volume all 60", "turn the volume up to 60"));
        assert!(!against("set temperature my 21", "turn it down to 21"));
        // Up said of cooling may mean colder; "shut up" is quiet.
        assert!(!against("set temperature my down", "turn the AC up"));
        assert!(!against("set volume all 0", "shut up"));
        // Up and down said of no knob, and comparatives, describe rather than ask.
        assert!(!against("set temperature my down", "I'm burning up"));
        assert!(!against("set fan my down", "ease up on the fan"));
        assert!(!against(
            "set temperature my down",
            "it's warmer than I like"
        ));
        // Words that say both, or a window's way, are left to others.
        assert!(!against(
            "set temperature my down",
            "up the fan and down the heat"
        ));
        assert!(!against("set window my 0", "put the window up"));
    }

    #[test]
    fn what_the_words_say_not_to_do_is_not_done() {
        for whole in [
            "don't open the window",
            "Don't unlock.",
            "do not turn on the hazards",
            "no, don't do that",
            "No don't",
            "please don't close the sunroof",
            "never open the trunk while we drive",
            "okay but don’t make it colder",
            // Found on 2026-12-07: the model opened the window and closed the windows.
            "no need to open the window",
            "there's no need to open the window",
            "you don't have to open the window",
            "leave the windows as they are",
            "leave the sunroof alone",
            "keep the temperature where it is",
        ] {
            assert_eq!(negation_said(whole), Negation::Whole, "{whole}");
        }
        for part in [
            "open the window but don't open the sunroof",
            "turn on the AC, do not open the windows",
            "close the windows and never unlock the doors",
        ] {
            assert_eq!(negation_said(part), Negation::Part, "{part}");
        }
        for asking in [
            "don't forget to lock the doors",
            "don't let the fumes in",
            "it's a bit cold in here, don't you think",
            "never mind",
            "I don't need the fog lights anymore",
            "I don't like this song",
            "mom never goes skiing",
            "turn on do not disturb",
            "open the window",
            "leave the AC on",
            "keep the windows closed",
            "I need some fresh air",
            "no, I need more air",
            "no need for the wipers anymore",
            "you don't need the fog lights on",
        ] {
            assert_eq!(negation_said(asking), Negation::None, "{asking}");
        }
    }

    #[test]
    fn a_step_against_the_words_that_name_the_setting_is_turned() {
        let language = language();
        let settled = |model: &str, said: &str| {
            let mut plan = plan(model);
            let turned = turned_as_said(&mut plan, said, &language, Seat::Driver, |_: &str| {
                Some(40.0)
            });
            (plan.to_string(), turned)
        };
        // What the model shipped on 2026-12-06 planned for these.
        for (model, said, turned) in [
            (
                "set volume all down",
                "turn up the volume a little bit",
                "set volume all up",
            ),
            (
                "set volume all down",
                "turn the volume up a little bit",
                "set volume all up",
            ),
            (
                "set fan my +20",
                "turn the fan down by 20",
                "set fan my -20",
            ),
        ] {
            assert_eq!(settled(model, said), (turned.to_owned(), true), "{said}");
        }
        // Not named, not a step, or not against the words: left (and asked about, where
        // against them).
        for (model, said) in [
            ("set volume all down", "turn it up a little bit"),
            ("set volume all 10", "turn the volume up"),
            ("set volume all up", "turn the volume up"),
            ("set temperature my down", "turn up the AC"),
        ] {
            assert_eq!(settled(model, said), (model.to_owned(), false), "{said}");
        }
    }

    #[test]
    fn enough_is_not_gone_past_nor_not_enough_gone_back_on() {
        let enough = |model: &str, said: &str| enough_said(&plan(model), said);
        // What the model shipped on 2026-11-24 planned for these words.
        assert_eq!(
            enough("set temperature my max", "warm enough now thanks"),
            Enough::GoneFurther
        );
        assert_eq!(
            enough("set volume all up", "that's loud enough"),
            Enough::GoneFurther
        );
        assert_eq!(
            enough("set temperature my down", "it's not warm enough"),
            Enough::GoneBack
        );
        assert_eq!(
            enough("set temperature my down", "it's cold enough in here"),
            Enough::GoneFurther
        );
        // Coming back from it, or going on when it is not enough, is the model's to read.
        for (model, said) in [
            ("set temperature my down", "it's warm enough"),
            ("set seat_heating my off", "my seat is warm enough"),
            ("set temperature my up", "it's not warm enough"),
            (
                "set temperature my up",
                "the heat isn't enough, more heat please",
            ),
            ("set fan my up", "still not enough"),
            ("set volume all down", "that's loud enough"),
        ] {
            assert_eq!(enough(model, said), Enough::Fine, "{said}");
        }
    }

    #[test]
    fn stop_is_told_from_a_request_that_stops_something() {
        for stop in [
            "Stop!",
            "stop it",
            "Stop, stop.",
            "okay stop the window",
            "stop the sunroof please",
            "That's enough.",
            "hold it",
            "no, wait!",
            "wait, no",
            "hold on",
            "wait a second",
        ] {
            assert!(says_stop(stop), "{stop}");
        }
        for request in [
            "stop the music",
            "stop the wipers",
            "stop playing",
            "open the window",
            "don't stop",
            "stop the window from rattling when we drive",
            "wait for me to close the door",
            "hold on to the music",
        ] {
            assert!(!says_stop(request), "{request}");
        }
    }

    #[test]
    fn a_plain_yes_or_no_is_told_from_other_words() {
        for yes in [
            "yes",
            "Yeah, do it.",
            "sure",
            "go ahead",
            "yes please",
            "please do",
            "ok",
        ] {
            assert_eq!(yes_or_no(yes), Some(true), "{yes}");
        }
        for no in [
            "no",
            "nope",
            "no thanks",
            "no, don't",
            "not really",
            "yes, no",
        ] {
            assert_eq!(yes_or_no(no), Some(false), "{no}");
        }
        for other in [
            "yes, open the window",
            "no, the other one",
            "sure is cold",
            "",
            "it",
        ] {
            assert_eq!(yes_or_no(other), None, "{other}");
        }
    }
}
