//! Words the agent answers itself, beside the model: "why can't I", "what's open", an
//! overview, "close everything", "sync the temperatures", a complaint, "say that again",
//! "what did you just do", "go back" and "what is it now".

use super::*;

/// The request a "why can't I …?" asks about: "why can't I open the trunk" is "open the
/// trunk", "why won't the trunk open" is "open the trunk". The model read the question as
/// nothing for the car; it is answered with what the rules say of the request now. None for
/// a bare "why not?" (the last refusal's to answer) or where no request follows.
pub(in crate::agent) fn why_not_asked(utterance: &str) -> Option<String> {
    const VERBS: &[&str] = &["open", "close", "lock", "unlock", "start", "stop"];
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let asking = match words.as_slice() {
        ["why", "cant" | "cannot" | "wont" | "dont", _, rest @ ..] => rest,
        ["why", "can", _, "not", rest @ ..]
        | [
            "how",
            "come",
            _,
            "cant" | "cannot" | "wont" | "dont",
            rest @ ..,
        ] => rest,
        _ => return None,
    };
    let who = words.get(2).copied();
    if matches!(who, Some("i" | "you" | "we" | "my")) || words[1] == "can" || words[0] == "how" {
        let request = asking.join(" ");
        return crate::agent::reading::said_as_command(&request).then_some(request);
    }
    // "Why won't the trunk open": the thing, then what it would not do.
    let (verb, thing) = words[2..].split_last()?;
    (words[1] != "dont" && VERBS.contains(verb) && words[2] == "the")
        .then(|| format!("{verb} {}", thing.join(" ")))
}

/// Whether the words place a request in the back seats: "in the back", "the back too",
/// "for the rear", "back seats". Not a thing at the back ("the back window", "the rear
/// defroster", "the trunk at the back"), nor "my back" or "back home".
pub(in crate::agent) fn back_said(utterance: &str) -> bool {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    words.iter().enumerate().any(|(i, w)| {
        let before = i.checked_sub(1).map(|j| words[j]);
        let after = words.get(i + 1).copied();
        matches!(*w, "back" | "rear")
            && matches!(before, Some("the" | "in" | "for" | "and"))
            && !matches!(
                after,
                Some(
                    "window"
                        | "windows"
                        | "windshield"
                        | "windscreen"
                        | "glass"
                        | "defrost"
                        | "defroster"
                        | "defogger"
                        | "door"
                        | "doors"
                        | "light"
                        | "lights"
                        | "trunk"
                        | "of"
                        | "home"
                        | "up"
                        | "wiper"
                )
            )
            || (matches!(*w, "back" | "rear")
                && matches!(after, Some("seat" | "seats" | "row" | "passengers")))
    })
}

/// Whether the words ask how "it" is now, naming nothing: "what is it now", "what's it set
/// to", "how high is it", "where is it at". Just after a turn about a setting, "it" is that
/// setting; the model read the question as nothing for the car.
pub(in crate::agent) fn asks_about_it(utterance: &str) -> bool {
    const ASKING: &[&str] = &[
        "what",
        "whats",
        "how",
        "hows",
        "where",
        "wheres",
        "is",
        "it",
        "its",
        "at",
        "now",
        "set",
        "to",
        "high",
        "low",
        "much",
        "the",
        "level",
        "value",
        "right",
        "currently",
        "open",
        "far",
        "loud",
        "warm",
        "hot",
        "cold",
        "fast",
        "bright",
        "on",
        "so",
    ];
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let asks = words
        .first()
        .is_some_and(|w| matches!(*w, "what" | "whats" | "how" | "hows" | "where" | "wheres"));
    let of_it = words.iter().any(|w| matches!(*w, "it" | "its"));
    asks && of_it && words.len() <= 6 && words.iter().all(|w| ASKING.contains(w))
}

/// Whether the words ask what the assistant last changed: "what did you just do?", "what
/// did you change?", and "which one?" or "which window did you open?" just after it (the
/// reply names the seat). The model read them as nothing for the car.
pub(in crate::agent) fn asks_what_was_done(utterance: &str) -> bool {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower)
        .filter(|w| {
            !matches!(
                *w,
                "just" | "exactly" | "hey" | "cockpit" | "sorry" | "wait"
            )
        })
        .collect();
    matches!(
        words.as_slice(),
        ["what", "did", "you", "do" | "change", ..]
            | ["what", "have", "you", "done" | "changed", ..]
            | ["what", "did", "that", "do"]
            | ["what", "changed"]
            | ["which", _]
            | ["which", _, "did", "you", ..]
    ) && words.len() <= 6
        && !words
            .iter()
            .any(|w| matches!(*w, "say" | "said" | "yesterday" | "today"))
}

/// Whether the words are "go back" alone ("go back please", "can you go back"): after a
/// change, undoing it; the model read it as the previous track.
pub(in crate::agent) fn go_back_alone(utterance: &str) -> bool {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower)
        .filter(|w| {
            !matches!(
                *w,
                "please" | "can" | "you" | "could" | "just" | "ok" | "okay"
            )
        })
        .collect();
    matches!(
        words.as_slice(),
        ["go", "back"] | ["change", "it", "back"] | ["put", "it", "back"] | ["set", "it", "back"]
    )
}

/// Whether the words ask the assistant to say its last reply again: "repeat that", "say that
/// again", "what did you say", "come again?", "pardon?". "Repeat this song" is no such thing.
pub(in crate::agent) fn asks_to_repeat(utterance: &str) -> bool {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let says = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    let music = words.iter().any(|w| {
        matches!(
            *w,
            "song" | "track" | "music" | "album" | "playlist" | "tune" | "radio"
        )
    });
    let asked = says(&["repeat", "that"])
        || says(&["repeat", "yourself"])
        || says(&["repeat", "it"])
        || says(&["say", "that", "again"])
        || says(&["say", "it", "again"])
        || says(&["what", "did", "you", "say"])
        || says(&["what", "did", "you", "just", "say"])
        || says(&["come", "again"])
        || matches!(
            words.as_slice(),
            ["pardon"] | ["sorry", "what"] | ["repeat"]
        );
    asked && !music && words.len() <= 7
}

/// A verb said alone ("open", "turn off please"): what it is for is asked. (The model planned
/// nothing, and the reply had been "not something I can do".)
pub(super) fn verb_alone(words: &[&str]) -> Option<&'static str> {
    match verb_said_alone(words)? {
        "open" => Some("What should I open?"),
        "close" => Some("What should I close?"),
        "turn on" => Some("What should I turn on?"),
        _ => Some("What should I turn off?"),
    }
}

/// The verb of [`verb_alone`], as the next answer is read with it: "open", "close", "turn
/// on", "turn off".
pub(super) fn verb_said_alone(words: &[&str]) -> Option<&'static str> {
    let said: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !matches!(*w, "please" | "can" | "you" | "could" | "hey" | "cockpit"))
        .collect();
    match said.as_slice() {
        ["open"] | ["open", "up"] => Some("open"),
        ["close"] | ["shut"] => Some("close"),
        ["turn" | "switch", "on"] => Some("turn on"),
        ["turn" | "switch", "off"] => Some("turn off"),
        _ => None,
    }
}

/// The answer to "What should I open?" read with the verb asked about: "the AC" after "turn
/// off" is "turn off the AC" (the model, reading "the AC" alone, switched it on, and opened
/// the window for "my window" after "close"). None where the answer says a verb of its own.
pub(in crate::agent) fn with_the_verb_asked(utterance: &str, asked_about: &str) -> Option<String> {
    const VERBS: &[&str] = &[
        "open", "close", "shut", "turn", "switch", "set", "put", "make", "raise", "lower", "lock",
        "unlock", "start", "stop", "play", "pause", "never", "cancel", "no", "nothing", "nope",
    ];
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    (!words.is_empty() && !words.iter().any(|w| VERBS.contains(w)))
        .then(|| format!("{asked_about} {utterance}"))
}

/// The verb the agent asks about after `utterance`, where it is a verb alone.
pub(in crate::agent) fn verb_asked_about(utterance: &str) -> Option<&'static str> {
    let lower = without_apostrophes(utterance);
    verb_said_alone(&words_of(&lower).collect::<Vec<_>>())
}

/// The dashboard's theme the words ask for: dark (true) for "dark mode", "night mode" or "the
/// dark theme", light (false) for "light mode", "day mode" or "the light theme". The model
/// knows only the car's functions, and switched the reading light on for "dark mode please".
/// "Light" of the car's lights ("the ambient lights' mode") is not the theme.
pub(in crate::agent) fn theme_asked(utterance: &str) -> Option<bool> {
    const LIGHTS: &[&str] = &[
        "lights", "ambient", "reading", "dome", "fog", "head", "interior",
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    if words.iter().any(|w| LIGHTS.contains(w)) {
        return None;
    }
    let asked = words.windows(2).find_map(|pair| match pair {
        ["dark" | "night", "mode" | "theme"] => Some(true),
        ["light" | "day" | "daytime" | "bright", "mode" | "theme"] => Some(false),
        _ => None,
    })?;
    // "Is it in dark mode?" asks nothing to change, and "don't" says not to.
    let question = matches!(words.first(), Some(&("is" | "are" | "what" | "which")));
    (!question && !says_not_to(utterance)).then_some(asked)
}

/// Whether the words ask what of the car is open, naming nothing in particular: "is anything
/// open", "did I leave something open", "is everything closed", "what's still open", "is the
/// car shut". "Are the windows closed" names what it asks about and is the model's.
pub(in crate::agent) fn asks_what_is_open(utterance: &str) -> bool {
    const NAMED: &[&str] = &[
        "window",
        "windows",
        "sunroof",
        "roof",
        "trunk",
        "boot",
        "frunk",
        "tailgate",
        "door",
        "doors",
        "shade",
        "sunshade",
        "hood",
        "bonnet",
        "light",
        "lights",
        "app",
        "shop",
        "store",
        "station",
        "restaurant",
    ];
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let state = has(&["open", "opened", "closed", "shut", "secure", "secured"]);
    let whole = has(&["anything", "everything", "something", "car"]);
    let asks = words.first().is_some_and(|w| {
        matches!(
            *w,
            "is" | "are" | "did" | "have" | "has" | "whats" | "what" | "anything" | "everything"
        )
    });
    let what_open = matches!(words.first(), Some(&("what" | "whats"))) && has(&["open", "opened"]);
    asks && state && (whole || what_open) && !has(NAMED) && words.len() <= 8
}

/// An overview asked for, naming nothing in particular (see [`overview_asked`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(in crate::agent) enum Overview {
    /// "How's the climate?": the cabin and outside, and the climate's settings.
    Climate,
    /// "What's switched on?": everything that is on.
    On,
    /// "Give me a status report": charge and range, what is open, the locks.
    Car,
}

/// Whether the words ask for an overview: "how's the climate", "what are the climate
/// settings", "what's on", "what's switched on", "status report", "how's the car". The
/// model answered "how's the climate" with the temperature outside, "what's the status of
/// the car" with the battery alone, and "what's on" and "status report" with nothing.
pub(in crate::agent) fn overview_asked(utterance: &str) -> Option<Overview> {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let says = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    if words.len() > 8 {
        return None;
    }
    let asks = words.first().is_some_and(|w| {
        matches!(
            *w,
            "what"
                | "whats"
                | "how"
                | "hows"
                | "give"
                | "tell"
                | "show"
                | "is"
                | "are"
                | "status"
                | "car"
                | "climate"
        )
    });
    if !asks {
        return None;
    }
    if has(&["climate", "hvac"]) && !has(&["automatic", "auto", "control", "off", "on"])
        || says(&["climate", "settings"])
    {
        return Some(Overview::Climate);
    }
    let on_asked = matches!(
        words.as_slice(),
        ["whats", "on"] | ["what", "is", "on"] | ["whats", "on", "right", "now"]
    ) || (has(&["what", "whats", "anything", "everything"])
        && (says(&["switched", "on"]) || says(&["turned", "on"]) || has(&["running"])));
    if on_asked && !has(&["music", "radio", "playing", "song", "tv"]) {
        return Some(Overview::On);
    }
    if (has(&["status", "report", "overview", "update"]) && !has(&["weather", "traffic"]))
        || matches!(
            words.as_slice(),
            ["hows", "the", "car"] | ["how", "is", "the", "car"] | ["hows", "the", "car", "doing"]
        )
    {
        return Some(Overview::Car);
    }
    None
}

/// What "everything" is asked to do, as `everything_asked` reads it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(in crate::agent) enum Everything {
    /// "Close everything": whatever is open.
    Close,
    /// "Turn everything off": asked back with what is on, until the answer names it.
    TurnOff,
    /// "Open everything", "turn it all on": asked back, as a verb alone is.
    Open,
    TurnOn,
}

/// Whether the words ask to do something to everything at once: "close everything", "shut
/// it all", "close whatever is open", "turn everything off", "switch it all off", "open
/// everything". The model closed the windows alone for "close everything", switched the AC
/// and the driver's fan off for "turn everything off" (0.66), and did nothing for "switch it
/// all off". Only where nothing else is named: "turn off all the lights" is the lights'.
pub(in crate::agent) fn everything_asked(utterance: &str) -> Option<Everything> {
    const ALLOWED: &[&str] = &[
        "close",
        "shut",
        "open",
        "turn",
        "switch",
        "off",
        "on",
        "up",
        "down",
        "everything",
        "it",
        "all",
        "of",
        "them",
        "the",
        "lot",
        "that",
        "thats",
        "is",
        "are",
        "whatever",
        "anything",
        "please",
        "can",
        "could",
        "you",
        "hey",
        "cockpit",
        "just",
        "now",
        "for",
        "me",
        "ok",
        "okay",
        "and",
        "stuff",
    ];
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let says = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    if words.len() > 9 || !words.iter().all(|w| ALLOWED.contains(w)) {
        return None;
    }
    let whole = has(&["everything", "lot", "whatever", "anything", "stuff"])
        || says(&["it", "all"])
        || says(&["all", "of", "it"])
        || says(&["all", "of", "them"]);
    if !whole {
        return None;
    }
    let switch = has(&["turn", "switch"]);
    if has(&["close"]) || has(&["shut"]) && !has(&["down", "off"]) {
        Some(Everything::Close)
    } else if switch && has(&["off"]) || has(&["shut"]) {
        Some(Everything::TurnOff)
    } else if switch && has(&["on"]) {
        Some(Everything::TurnOn)
    } else if has(&["open"]) && !has(&["is", "are", "thats", "that"]) {
        Some(Everything::Open)
    } else {
        None
    }
}

/// Which temperatures to make alike, as `sync_asked` reads it: the seat whose setting the
/// others take, and whether everyone takes it or only the speaker.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(in crate::agent) struct Sync {
    pub from: Seat,
    pub everyone: bool,
    /// "Make it the same as mine": what the last turn was about takes it.
    pub it: bool,
}

/// "Sync the temperature", "passenger: sync with the driver", "make mine the same as the
/// driver's": the climate's sync, which dual-zone cars have as a button. The model shipped on
/// 2026-11-24 set the driver's side to 16 °C for the passenger's "sync the temperature with
/// the driver", and asked "To how many degrees?" for "sync the temperature". The seat named
/// after "with", "as" or "to" gives the setting (the driver's where none is named); the
/// speaker takes it, or everyone where the speaker is that seat or says "everyone" or "all".
pub(in crate::agent) fn sync_asked(utterance: &str, seat: Seat) -> Option<Sync> {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let sync = has(&[
        "sync",
        "synced",
        "synchronize",
        "synchronise",
        "synchronized",
    ]);
    let alike = has(&["same", "match"]);
    let climate = has(&[
        "temperature",
        "temperatures",
        "temp",
        "climate",
        "heat",
        "zones",
    ]);
    let named = words.iter().enumerate().find_map(|(i, w)| {
        let after = i > 0 && matches!(words[i - 1], "with" | "as" | "to" | "the");
        let named = match *w {
            "driver" | "drivers" => Seat::Driver,
            "passenger" | "passengers" => Seat::Passenger,
            // "The same as mine": the speaker's.
            "mine" | "me" => seat,
            _ => return None,
        };
        after.then_some(named)
    });
    if !(sync && (climate || named.is_some()) || alike && named.is_some() && words.len() <= 12) {
        return None;
    }
    // A setting of the window, the fan or the seat named is another matter.
    if has(&[
        "window", "windows", "fan", "seat", "volume", "music", "lights",
    ]) {
        return None;
    }
    let from = named.unwrap_or(Seat::Driver);
    let everyone = from == seat || has(&["everyone", "everybody", "all", "zones", "temperatures"]);
    let it = words.iter().any(|w| matches!(*w, "it" | "that" | "theirs"));
    Some(Sync { from, everyone, it })
}

/// What "too …" complains of, said naming nothing (see [`complained_of`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(in crate::agent) enum Complaint {
    Hot,
    Cold,
    Loud,
    Windy,
}

/// "That's too hot", "too loud now", "it's too windy": a complaint that names nothing, which
/// is about what the last turn changed where that can be the cause. The model shipped on
/// 2026-11-24 read them alone: it turned the cabin's temperature down for "that's too hot"
/// after "set my seat heating to high", the volume down for "that's too loud" after "set the
/// fan to max", and set the wipers for "it's too windy" after "open my window".
pub(in crate::agent) fn complained_of(utterance: &str) -> Option<Complaint> {
    const AROUND: &[&str] = &[
        "that", "thats", "its", "it", "is", "too", "way", "much", "now", "a", "bit", "little",
        "oh", "ok", "okay", "getting", "really", "very", "ouch", "kind", "of", "hmm", "actually",
        "wow", "so", "already", "in", "here",
    ];
    const KINDS: &[(Complaint, &[&str])] = &[
        (
            Complaint::Hot,
            &["hot", "warm", "burning", "toasty", "scorching"],
        ),
        (
            Complaint::Cold,
            &["cold", "chilly", "cool", "icy", "freezing"],
        ),
        (Complaint::Loud, &["loud", "noisy"]),
        (
            Complaint::Windy,
            &["windy", "drafty", "draughty", "breezy", "strong"],
        ),
    ];
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let kind_of = |w: &str| {
        KINDS
            .iter()
            .find(|(_, said)| said.contains(&w))
            .map(|(k, _)| *k)
    };
    let only = words
        .iter()
        .all(|w| AROUND.contains(w) || kind_of(w).is_some());
    if !only || !words.contains(&"too") {
        return None;
    }
    let mut kinds: Vec<Complaint> = words.iter().filter_map(|w| kind_of(w)).collect();
    kinds.dedup();
    match kinds[..] {
        [one] => Some(one),
        _ => None,
    }
}

/// What a complaint right after a turn about `function` asks of it: a step down, where the
/// function can be what is complained of.
pub(in crate::agent) fn step_for_complaint(function: &str, complaint: Complaint) -> bool {
    matches!(
        (function, complaint),
        ("seat_heating", Complaint::Hot)
            | ("seat_cooling", Complaint::Cold)
            | ("fan", Complaint::Loud | Complaint::Windy)
            | (
                "window" | "sunroof",
                Complaint::Loud | Complaint::Windy | Complaint::Cold
            )
    )
}

/// "Turn it off", "switch them back on": a switch said of what was just talked about,
/// naming nothing. Some(true) for on, Some(false) for off. The model shipped on 2026-11-24
/// planned nothing for "turn it off" after "turn on the AC", the recirculation, the rear
/// defroster, the fog lights or the headlights (those without a dashboard card of their own to
/// stand for "it"), and for "actually no, turn it off".
pub(in crate::agent) fn switched_it(utterance: &str) -> Option<bool> {
    const AROUND: &[&str] = &[
        "turn", "switch", "shut", "put", "back", "again", "please", "now", "actually", "no",
        "wait", "oh", "ok", "okay", "just", "and", "can", "you", "could", "sorry", "oops", "too",
        "instead", "then", "right", "away",
    ];
    const IT: &[&str] = &["it", "them", "that", "those", "this"];
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let only_these = words
        .iter()
        .all(|w| AROUND.contains(w) || IT.contains(w) || matches!(*w, "on" | "off"));
    let verb = words
        .iter()
        .any(|w| matches!(*w, "turn" | "switch" | "shut" | "put"));
    let it = words.iter().any(|w| IT.contains(w));
    let (on, off) = (words.contains(&"on"), words.contains(&"off"));
    if !only_these || !verb || !it || on == off {
        return None;
    }
    Some(on)
}

/// Whether the words ask how far a setting goes: "how high can the temperature go", "what's
/// the lowest the fan goes", "how many levels does the seat heater have", "is that the
/// highest?". "Can it go any higher" is left out: it is said as a request as often as not.
pub(in crate::agent) fn limits_asked(utterance: &str) -> bool {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let says = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let extreme = has(&[
        "highest",
        "lowest",
        "maximum",
        "minimum",
        "max",
        "min",
        "warmest",
        "coldest",
        "hottest",
        "coolest",
        "loudest",
        "quietest",
        "strongest",
        "weakest",
        "top",
    ]);
    let asks = words.first().is_some_and(|w| {
        matches!(
            *w,
            "what" | "whats" | "is" | "hows" | "how" | "which" | "tell" | "does" | "do"
        )
    });
    let how_far = words.first() == Some(&"how")
        && has(&["high", "low", "hot", "cold", "warm", "cool", "loud", "far"])
        && (has(&["can", "does", "will"]) && has(&["go", "get", "set", "be", "turn", "make"]));
    let how_many = says(&["how", "many"]) && has(&["levels", "speeds", "settings", "steps"]);
    let as_far = says(&["as", "high", "as"]) || says(&["as", "low", "as"]);
    let asked_of_it = asks && (extreme || as_far) && words.len() <= 9;
    // "What's the max temperature outside today": the weather, not a setting.
    let elsewhere = has(&["outside", "today", "tomorrow", "forecast", "speed", "range"]);
    (how_far || how_many || asked_of_it) && !elsewhere
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dashboard_theme_is_asked_as_a_mode_or_theme() {
        for (said, dark) in [
            ("dark mode please", true),
            ("switch to night mode", true),
            ("use the dark theme", true),
            ("Light mode.", false),
            ("put the screen in day mode", false),
            ("change the theme to light mode", false),
        ] {
            assert_eq!(theme_asked(said), Some(dark), "{said}");
        }
        for said in [
            "set the ambient lights to party mode",
            "it's dark",
            "turn on the light",
            "is it in dark mode",
            "don't switch to night mode",
            "sport mode",
            "put the reading light in night mode",
        ] {
            assert_eq!(theme_asked(said), None, "{said}");
        }
    }

    #[test]
    fn what_is_open_is_asked_of_the_whole_car() {
        for asked in [
            "is anything open?",
            "Did I leave anything open?",
            "is everything closed",
            "what's still open",
            "is the car all shut",
            "what is open",
        ] {
            assert!(asks_what_is_open(asked), "{asked}");
        }
        for other in [
            "are the windows closed",
            "is the trunk open",
            "open everything",
            "is anything open around here, like a shop",
            "what's the car's range",
            "close everything",
        ] {
            assert!(!asks_what_is_open(other), "{other}");
        }
    }

    #[test]
    fn why_not_asks_about_the_request_that_follows() {
        for (said, request) in [
            ("why can't I open the trunk", "open the trunk"),
            ("Why won't you unlock the doors?", "unlock the doors"),
            ("why won't the trunk open", "open the trunk"),
            ("why can I not open the frunk", "open the frunk"),
            (
                "how come I can't turn on the hazards",
                "turn on the hazards",
            ),
            ("how come you won't open the trunk", "open the trunk"),
        ] {
            assert_eq!(why_not_asked(said).as_deref(), Some(request), "{said}");
        }
        for other in [
            "why not",
            "why",
            "why can't I sleep",
            "why is it so cold",
            "why don't the kids sleep",
        ] {
            assert_eq!(why_not_asked(other), None, "{other}");
        }
    }

    #[test]
    fn the_back_is_said_as_a_place_not_as_a_thing_there() {
        for back in [
            "and the back too",
            "set the fan in the back to 3",
            "heat the back seats",
            "the rear as well",
            "for the rear passengers",
        ] {
            assert!(back_said(back), "{back}");
        }
        for other in [
            "turn on the back window defroster",
            "my back hurts",
            "open the rear window",
            "go back",
            "we're going back home",
        ] {
            assert!(!back_said(other), "{other}");
        }
    }

    #[test]
    fn how_it_is_now_is_asked_of_it_alone() {
        for asks in [
            "what is it now",
            "what's it set to?",
            "how high is it",
            "where is it at",
        ] {
            assert!(asks_about_it(asks), "{asks}");
        }
        for other in [
            "what is it",
            "what time is it",
            "how cold is it outside",
            "what is the fan at",
        ] {
            assert_eq!(asks_about_it(other), other == "what is it", "{other}");
        }
    }

    #[test]
    fn what_was_done_and_go_back_are_read_alone() {
        for asks in [
            "what did you just do?",
            "What did you change",
            "what have you changed",
            "which one?",
            "Which window did you open?",
        ] {
            assert!(asks_what_was_done(asks), "{asks}");
        }
        for other in [
            "what did you say",
            "what did you do yesterday",
            "what can you do",
            "which windows are open",
            "which",
        ] {
            assert!(!asks_what_was_done(other), "{other}");
        }
        for back in ["go back", "can you go back please", "put it back"] {
            assert!(go_back_alone(back), "{back}");
        }
        for other in ["go back a song", "go back to the previous track", "go"] {
            assert!(!go_back_alone(other), "{other}");
        }
    }

    #[test]
    fn everything_is_asked_to_close_or_turn_off_only_where_nothing_is_named() {
        for (said, everything) in [
            ("close everything", Everything::Close),
            ("shut it all", Everything::Close),
            ("close whatever is open", Everything::Close),
            (
                "can you close everything that's open please",
                Everything::Close,
            ),
            ("turn everything off", Everything::TurnOff),
            ("switch it all off", Everything::TurnOff),
            ("shut everything down", Everything::TurnOff),
            ("turn off all of it", Everything::TurnOff),
            ("turn it all on", Everything::TurnOn),
            ("open everything", Everything::Open),
        ] {
            assert_eq!(everything_asked(said), Some(everything), "{said}");
        }
        for other in [
            "turn off all the lights",
            "close all the windows",
            "turn it off",
            "shut up",
            "is everything closed",
            "is anything open",
            "what's on",
            "everything is fine",
        ] {
            assert_eq!(everything_asked(other), None, "{other}");
        }
    }

    #[test]
    fn an_overview_is_asked_of_the_climate_what_is_on_or_the_car() {
        for (said, overview) in [
            ("how's the climate", Overview::Climate),
            ("what are the climate settings", Overview::Climate),
            ("what's on", Overview::On),
            ("what is switched on right now", Overview::On),
            ("is anything running", Overview::On),
            ("give me a status report", Overview::Car),
            ("how's the car doing", Overview::Car),
            ("car status", Overview::Car),
        ] {
            assert_eq!(overview_asked(said), Some(overview), "{said}");
        }
        for other in [
            "turn on the climate",
            "what's on the radio",
            "is the AC on",
            "turn the climate off",
            "how's the weather",
            "what's the traffic update",
        ] {
            assert_eq!(overview_asked(other), None, "{other}");
        }
    }

    #[test]
    fn the_temperatures_are_synced_to_the_seat_named() {
        let driver_for_all = Some(Sync {
            from: Seat::Driver,
            everyone: true,
            it: false,
        });
        assert_eq!(
            sync_asked("sync the temperature", Seat::Driver),
            driver_for_all
        );
        assert_eq!(
            sync_asked("sync all zones", Seat::Passenger),
            driver_for_all
        );
        assert_eq!(
            sync_asked("sync the temperature with the driver", Seat::Passenger),
            Some(Sync {
                from: Seat::Driver,
                everyone: false,
                it: false
            })
        );
        // The speaker's setting for the seat the last turn was about (the agent's to know).
        assert_eq!(
            sync_asked("make it the same as mine", Seat::Driver),
            Some(Sync {
                from: Seat::Driver,
                everyone: true,
                it: true
            })
        );
        assert_eq!(
            sync_asked("make mine the same as the passenger", Seat::RearLeft),
            Some(Sync {
                from: Seat::Passenger,
                everyone: false,
                it: false
            })
        );
        for other in [
            "sync my phone",
            "the same again",
            "match the fan to the driver",
            "is the music in sync",
        ] {
            assert_eq!(sync_asked(other, Seat::Driver), None, "{other}");
        }
    }

    #[test]
    fn the_last_reply_is_asked_again() {
        for again in [
            "repeat that",
            "sorry, what did you say?",
            "can you say that again",
            "come again?",
            "pardon",
        ] {
            assert!(asks_to_repeat(again), "{again}");
        }
        for other in [
            "repeat this song",
            "play that song again",
            "say hello",
            "what",
        ] {
            assert!(!asks_to_repeat(other), "{other}");
        }
    }

    #[test]
    fn a_complaint_names_nothing() {
        assert_eq!(complained_of("that's too hot"), Some(Complaint::Hot));
        assert_eq!(
            complained_of("oh it's way too warm now"),
            Some(Complaint::Hot)
        );
        assert_eq!(complained_of("too cold"), Some(Complaint::Cold));
        assert_eq!(complained_of("that's too loud"), Some(Complaint::Loud));
        assert_eq!(
            complained_of("it's too windy in here"),
            Some(Complaint::Windy)
        );
        for other in [
            "my seat is too hot",
            "it's hot",
            "too hot and too cold",
            "the cabin is too hot",
            "the music is too loud",
        ] {
            assert_eq!(complained_of(other), None, "{other}");
        }
    }

    #[test]
    fn a_switch_said_of_it_names_nothing_else() {
        for (said, on) in [
            ("turn it off", false),
            ("actually no, turn it off", false),
            ("switch them back on", true),
            ("shut it off please", false),
            ("can you turn that on again", true),
        ] {
            assert_eq!(switched_it(said), Some(on), "{said}");
        }
        for other in [
            "turn off the AC",
            "turn it up",
            "turn it on and off",
            "it's off",
            "turn the fan off",
            "off",
        ] {
            assert_eq!(switched_it(other), None, "{other}");
        }
    }

    #[test]
    fn how_far_a_setting_goes_is_asked() {
        for asked in [
            "how high can the temperature go",
            "what's the lowest the fan goes",
            "how many levels does the seat heater have",
            "is that the highest?",
            "is that as high as it goes",
            "what's the maximum volume",
            "how cold can you make it",
        ] {
            assert!(limits_asked(asked), "{asked}");
        }
        for other in [
            "set the temperature to the highest",
            "max heat",
            "can it go any higher",
            "turn the fan to the lowest",
            "how high is the temperature",
            "what's the max temperature outside today",
            "how fast can this car go",
        ] {
            assert!(!limits_asked(other), "{other}");
        }
    }
}
