//! Words that ask nothing of the car but want a reply: thanks, greetings, goodbyes, "what can
//! you do", and requests for things this car does not have (calls, the way, the weather).

use super::*;

/// Whether the words take leave: "bye", "see you later", "I'm getting out", "I'm leaving the
/// car".
pub(super) fn says_goodbye(words: &[&str]) -> bool {
    let says = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    words
        .iter()
        .any(|w| matches!(*w, "bye" | "goodbye" | "byebye"))
        || says(&["see", "you"])
        || says(&["see", "ya"])
        || says(&["getting", "out"])
        || says(&["get", "out", "here"])
        || says(&["im", "leaving"])
        || says(&["heading", "out"])
}

/// Whether the words ask about the weather ("what's the weather like tomorrow", "is it going
/// to snow tonight"), which the car cannot know offline; "the weather is nice" asks nothing.
pub(super) fn asks_the_weather(words: &[&str]) -> bool {
    const ASKING: &[&str] = &[
        "what", "whats", "how", "hows", "will", "is", "tell", "check", "any", "does", "do",
    ];
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let asks = words.first().is_some_and(|w| ASKING.contains(w));
    let coming = has(&["going", "will", "tomorrow", "tonight", "later"]);
    asks && (has(&["weather", "forecast"])
        || (has(&["rain", "snow", "storm", "sunny", "hail"]) && coming))
}

/// A greeting for the time of day said alone, or before the assistant's name: "good
/// morning", "good evening, cockpit". "Good night" is also a goodbye.
pub(super) fn greeting(words: &[&str]) -> Option<&'static str> {
    let ["good", when, rest @ ..] = words else {
        return None;
    };
    if !rest.iter().all(|w| {
        matches!(
            *w,
            "cockpit"
                | "there"
                | "to"
                | "you"
                | "too"
                | "everyone"
                | "everybody"
                | "all"
                | "again"
                | "guys"
                | "folks"
        )
    }) {
        return None;
    }
    match *when {
        "morning" => Some("Good morning. What can I do for you?"),
        "afternoon" => Some("Good afternoon. What can I do for you?"),
        "evening" => Some("Good evening. What can I do for you?"),
        "night" => Some("Good night."),
        _ => None,
    }
}

/// A greeting before a request ("good morning, I'm cold"): the greeting said back, and the
/// request without it. The model, taught greetings alone, read "good morning, I'm cold" as
/// nothing for the car (0.59).
pub(in crate::agent) fn greeting_before(utterance: &str) -> Option<(&'static str, String)> {
    // Cut off `word` and the punctuation after it, where `text` begins with it as a word.
    fn past<'a>(text: &'a str, word: &str) -> Option<&'a str> {
        let head = text.get(..word.len())?;
        let after = &text[word.len()..];
        (head.eq_ignore_ascii_case(word) && !after.starts_with(char::is_alphanumeric))
            .then(|| after.trim_start_matches([',', '.', '!', ' ']))
    }
    let rest = past(utterance.trim_start(), "good")?;
    let (said, rest) = [
        ("morning", "Good morning."),
        ("afternoon", "Good afternoon."),
        ("evening", "Good evening."),
        ("night", "Good night."),
    ]
    .into_iter()
    .find_map(|(when, said)| Some((said, past(rest, when)?)))?;
    let rest = past(rest, "cockpit").unwrap_or(rest);
    // "Good night, everyone", "good morning to you too": the greeting alone, small talk's.
    let lower = without_apostrophes(rest);
    let greeting_only = words_of(&lower).all(|w| {
        matches!(
            w,
            "to" | "you"
                | "too"
                | "there"
                | "everyone"
                | "everybody"
                | "all"
                | "and"
                | "as"
                | "well"
                | "guys"
                | "folks"
                | "cockpit"
                | "my"
                | "friend"
                | "again"
        )
    });
    (!greeting_only).then(|| (said, rest.to_owned()))
}

/// What to say to a request for something this car does not let the assistant do, named
/// ("fold the mirrors", "recline my seat", "open the door"), in place of "that's not something I
/// can do": what it cannot, and where there is one, what it can instead. Only a request
/// (the first word, past "please" and "can you", a verb) counts: "the back door is open" asks
/// for nothing.
pub(super) fn not_in_this_car(words: &[&str]) -> Option<&'static str> {
    const POLITE: &[&str] = &[
        "please", "can", "could", "would", "will", "you", "hey", "cockpit", "just", "now", "ok",
        "okay", "so", "and",
    ];
    const VERBS: &[&str] = &[
        "open", "close", "turn", "switch", "start", "stop", "fold", "unfold", "move", "adjust",
        "recline", "put", "set", "change", "activate", "engage", "enable", "disable", "sound",
        "honk", "flash", "heat", "warm", "tune", "slide", "push", "lift", "raise", "lower", "give",
        "use", "make",
    ];
    // Said noun first as often as not: "high beams on".
    if high_beams_named(words) {
        return Some("I can switch the low beams only; the high beams stay with you.");
    }
    let start = words
        .iter()
        .position(|w| !POLITE.contains(w))
        .unwrap_or(words.len());
    let verb = words.get(start).copied()?;
    if !VERBS.contains(&verb) {
        return None;
    }
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let says = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    let climate = has(&[
        "heating",
        "heater",
        "heated",
        "cooling",
        "cooled",
        "ventilation",
        "ventilated",
        "warm",
        "warmer",
        "heat",
        "cool",
    ]);
    if has(&["mirror", "mirrors"]) {
        Some("This car doesn't let me move the mirrors.")
    } else if has(&["massage"]) {
        Some("These seats have no massage. I can heat or cool them.")
    } else if has(&["seat", "seats"]) && !climate && verb != "turn" && verb != "switch" {
        Some("I can't move the seats. I can heat or cool them.")
    } else if says(&["steering", "wheel"]) {
        Some("This car doesn't let me control the steering wheel.")
    } else if has(&["door", "doors"]) && verb == "open" {
        Some("I can unlock the doors, but not open them.")
    } else if has(&["engine", "motor", "ignition"]) || (verb == "start" && has(&["car"])) {
        Some("I can't start or stop the car.")
    } else if has(&["cruise", "autopilot", "lane", "autopark"]) {
        Some("The driving stays with you: I can't work cruise control or driver assistance.")
    } else if (has(&["charge", "charging"]) && has(&["port", "flap", "door", "lid"]))
        || says(&["gas", "cap"])
        || says(&["fuel", "door"])
    {
        Some("I can't open the charging port.")
    } else if has(&["station", "stations", "fm", "am", "tuner"]) || verb == "tune" {
        Some("The music player has no radio tuner. I can play, pause and skip, and set the volume.")
    } else if has(&["horn"]) || verb == "honk" {
        Some("I can't sound the horn.")
    } else {
        None
    }
}

/// Whether the words ask who or what the assistant is ("who are you", "what's your name",
/// "are you a robot").
pub(super) fn asks_who_i_am(words: &[&str]) -> bool {
    let says = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    words.len() <= 6
        && (says(&["who", "are", "you"])
            || says(&["what", "are", "you"]) && words.last() == Some(&"you")
            || says(&["your", "name"])
            || says(&["are", "you", "a", "robot"])
            || says(&["are", "you", "human"])
            || says(&["are", "you", "real"]))
}

/// Whether the words ask which song is playing ("what song is this", "who sings this"):
/// the music player tells the car whether it plays, not what.
pub(super) fn asks_what_is_playing(words: &[&str]) -> bool {
    let says = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    let asks = words
        .first()
        .is_some_and(|w| matches!(*w, "what" | "whats" | "who" | "whos" | "which"));
    asks && (says(&["song", "is", "this"])
        || says(&["this", "song"])
        || says(&["song", "is", "playing"])
        || says(&["song", "is", "that"])
        || says(&["sings", "this"])
        || says(&["singing", "this"])
        || says(&["is", "this", "song"])
        || says(&["whats", "playing"])
        || says(&["what", "is", "playing"])
        || says(&["this", "track"]))
}

/// Whether the words ask for a phone call or a message ("call mom", "text John I'm late"),
/// which a car's cabin controls cannot do.
pub(super) fn asks_to_call(words: &[&str]) -> bool {
    let says = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    let start = words
        .iter()
        .position(|w| !matches!(*w, "please" | "can" | "could" | "you" | "hey" | "cockpit"))
        .unwrap_or(words.len());
    matches!(
        words.get(start).copied(),
        Some("call" | "phone" | "dial" | "ring" | "text" | "message")
    ) && words
        .get(start + 1)
        .is_some_and(|w| !matches!(*w, "it" | "that" | "this" | "off"))
        || says(&["make", "a", "call"])
        || says(&["send", "a", "message"])
        || says(&["send", "a", "text"])
}

/// Whether the words ask for a place or the way there ("navigate to the airport", "find a
/// charging station", "how do I get to Main Street"): the car has no map for the assistant.
pub(super) fn asks_the_way(words: &[&str]) -> bool {
    let says = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    let place = words.iter().any(|w| {
        matches!(
            *w,
            "station" | "charger" | "chargers" | "restaurant" | "hotel" | "parking" | "hospital"
        )
    });
    words
        .iter()
        .any(|w| matches!(*w, "navigate" | "directions"))
        || says(&["take", "me", "to"])
        || says(&["how", "do", "i", "get", "to"])
        || says(&["route", "to"])
        || (place
            && words
                .iter()
                .any(|w| matches!(*w, "find" | "nearest" | "closest")))
}

/// The reply to words that ask nothing of the car but still want an answer: thanks, a
/// greeting, or what the assistant can do. Anything else gets the plain "not something I can
/// do in the car".
pub(in crate::agent) fn small_talk(utterance: &str) -> Option<&'static str> {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let has = |w: &str| words.contains(&w);
    let says = |phrase: &str| lower.contains(phrase);
    if says("what can you do")
        || says("what can i say")
        || says("what can i ask")
        || words == ["help"]
    {
        Some(
            "I can set the climate, the seats, the windows, the sunroof, the locks and trunks, \
             the lights, the wipers and the music, and tell you about the car. Try \"I'm cold\" \
             or \"open my window halfway\".",
        )
    } else if says_goodbye(&words) {
        Some("See you soon.")
    } else if asks_the_weather(&words) {
        Some("I can't check the weather: I work without the internet.")
    } else if later_said(utterance) {
        Some(
            "I can't tell when that will be: ask me then, or give me a time, such as \"in ten minutes\".",
        )
    } else if asks_about_the_trip(utterance) {
        Some("I don't know where we're going: the car doesn't tell me the route.")
    } else if asks_for_automatic_climate(utterance) {
        Some(
            "This car has no automatic climate: tell me a temperature, or how strong the fan \
             should be.",
        )
    } else if says("speed limit") {
        Some("I don't know the speed limit here: the car doesn't tell me.")
    } else if let Some(what) = verb_alone(&words) {
        Some(what)
    } else if units_asked(&words) {
        Some(
            "I can't change the units the dashboard shows. Ask me in Fahrenheit or miles, and \
             I'll answer in them.",
        )
    } else if let Some(lacking) = not_in_this_car(&words) {
        Some(lacking)
    } else if asks_who_i_am(&words) {
        Some("I'm cockpit, this car's assistant. I run in the car itself, without the internet.")
    } else if asks_what_is_playing(&words) {
        Some("I can't tell what's playing: the music player doesn't tell me.")
    } else if asks_to_call(&words) {
        Some("I can't make calls or send messages: I only work the car's controls.")
    } else if matches!(
        words.as_slice(),
        ["where", "are", "we", ..] | ["where", "am", "i", ..] | ["whats", "our", "location"]
    ) && words.len() <= 5
    {
        Some("I don't know where we are: the car doesn't tell me its position.")
    } else if asks_the_way(&words) {
        Some("I can't find places or give directions: I have no map and no internet.")
    } else if has("thanks") || has("thank") || (has("cheers") && words.len() <= 3) {
        Some("You're welcome.")
    } else if words.len() <= 3
        && words
            .first()
            .is_some_and(|w| ["hi", "hello", "hey"].contains(w))
    {
        Some("Hi. What can I do for you?")
    } else if let Some(greeting) = greeting(&words) {
        Some(greeting)
    } else if approves(&words) {
        Some("Good.")
    } else if yes_or_no(utterance).is_some() {
        // A yes or no to nothing asked (the question was answered, dropped or forgotten).
        Some("Okay.")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_greeting_before_a_request_is_said_back_and_cut_off() {
        assert_eq!(
            greeting_before("Good morning, I'm cold."),
            Some(("Good morning.", "I'm cold.".to_owned()))
        );
        assert_eq!(
            greeting_before("good evening cockpit open the sunroof"),
            Some(("Good evening.", "open the sunroof".to_owned()))
        );
        for alone in [
            "good morning",
            "Good night!",
            "good mornings are nice",
            "good job",
            "good night everyone",
            "good morning to you too",
        ] {
            assert_eq!(greeting_before(alone), None, "{alone}");
        }
    }

    #[test]
    fn thanks_greetings_and_help_get_their_own_reply() {
        // "See you later" is no request for later.
        for goodbye in [
            "bye",
            "see you later",
            "I'm getting out",
            "okay, I'm leaving",
        ] {
            assert_eq!(small_talk(goodbye), Some("See you soon."), "{goodbye}");
        }
        for weather in [
            "what's the weather like tomorrow",
            "is it going to snow tonight",
            "will it rain later",
            "what's the forecast",
        ] {
            assert_eq!(
                small_talk(weather),
                Some("I can't check the weather: I work without the internet."),
                "{weather}"
            );
        }
        assert_eq!(small_talk("Thanks!"), Some("You're welcome."));
        assert_eq!(small_talk("thank you so much"), Some("You're welcome."));
        assert_eq!(small_talk("hey there"), Some("Hi. What can I do for you?"));
        assert_eq!(
            small_talk("Good morning, cockpit."),
            Some("Good morning. What can I do for you?")
        );
        assert_eq!(small_talk("good night"), Some("Good night."));
        assert_eq!(
            small_talk("good morning to you too"),
            Some("Good morning. What can I do for you?")
        );
        assert_eq!(small_talk("open"), Some("What should I open?"));
        assert_eq!(
            small_talk("turn off please"),
            Some("What should I turn off?")
        );
        assert_eq!(
            with_the_verb_asked("the AC", "turn off").as_deref(),
            Some("turn off the AC")
        );
        assert_eq!(with_the_verb_asked("never mind", "turn off"), None);
        assert_eq!(with_the_verb_asked("open the sunroof", "close"), None);
        assert_eq!(small_talk("good morning, it's freezing in here"), None);
        assert_eq!(small_talk("good morning, I'm cold"), None);
        for who in [
            "who are you",
            "what's your name",
            "are you a robot?",
            "what are you",
        ] {
            assert!(
                small_talk(who).is_some_and(|r| r.starts_with("I'm cockpit")),
                "{who}"
            );
        }
        for song in [
            "what song is this",
            "who sings this",
            "what's playing right now",
        ] {
            assert!(
                small_talk(song).is_some_and(|r| r.contains("playing")),
                "{song}"
            );
        }
        for call in ["call mom", "can you text John that I'm late", "make a call"] {
            assert!(
                small_talk(call).is_some_and(|r| r.contains("calls")),
                "{call}"
            );
        }
        assert!(small_talk("where are we").is_some_and(|r| r.contains("position")));
        for way in [
            "navigate to the airport",
            "find a charging station",
            "how do I get to Main Street",
            "take me to the nearest hotel",
        ] {
            assert!(
                small_talk(way).is_some_and(|r| r.contains("directions")),
                "{way}"
            );
        }
        for (said, reply) in [
            ("fold the mirrors", "mirrors"),
            ("can you recline my seat", "move the seats"),
            ("turn on the massage", "massage"),
            ("turn on the heated steering wheel", "steering wheel"),
            ("open the driver door", "unlock the doors"),
            ("start the car", "start or stop"),
            ("turn on cruise control", "cruise control"),
            ("open the charge port", "charging port"),
            ("change the radio station", "radio tuner"),
            ("put the high beams on", "high beams"),
        ] {
            assert!(
                small_talk(said).is_some_and(|r| r.contains(reply)),
                "{said}: {:?}",
                small_talk(said)
            );
        }
        for not_asked in [
            "the back door is open",
            "I love this car's mirrors",
            "turn on my seat heating",
            "heat my seat",
        ] {
            assert_eq!(
                not_in_this_car(&words_of(not_asked).collect::<Vec<_>>()),
                None,
                "{not_asked}"
            );
        }
        // Not about the car or about calls and places: the usual reply.
        for other in ["call it a day", "what are you doing", "I'm at the station"] {
            assert_eq!(small_talk(other), None, "{other}");
        }
        assert!(small_talk("What can you do?").is_some_and(|r| r.contains("windows")));
        for approval in [
            "that's good",
            "Perfect.",
            "ok that's much better",
            "yeah, all good",
        ] {
            assert_eq!(small_talk(approval), Some("Good."), "{approval}");
        }
        // The model took "better" for one more step down after "still cold".
        for approval in ["that's better, thanks", "Oh that's much better, thank you."] {
            assert!(only_approves(approval), "{approval}");
        }
        for request in ["better make it warmer", "that's good, now open the window"] {
            assert!(!only_approves(request), "{request}");
        }
        assert_eq!(small_talk("yes please"), Some("Okay."));
        assert_eq!(small_talk("nope"), Some("Okay."));
        for other in [
            "tell me a joke",
            "hey can you feed the cat",
            "cheers to the weekend party",
            "the weather is nice today",
        ] {
            assert_eq!(small_talk(other), None, "{other}");
        }
    }
}
