//! What the words decide over the model's plan. The model reads most requests well, but
//! some words are plain enough to be taken at their word: a bare "stop", "close" that must
//! never open, "off" that must never switch on (nor "off" that says where the fog goes),
//! bad air outside that must be kept out, a seat cooled "down", music "too quiet", "don't",
//! a number said in digits, and the hottest or coldest setting named. Each rule here was
//! written for a plan the model got wrong (the comments name it) and is kept narrow, so
//! that the model's reading stands everywhere else. Last, the words that ask nothing of the
//! car but want a reply (thanks, hello, "what can you do").

use std::borrow::Cow;

use vehicle::{Catalog, Seat};

use super::when::later_said;
use super::{is_level, is_position, seat_word, tidy};
use crate::lm::{Decoded, Function, Kind, Language, Plan, Statement};

/// What the words make of the model's plan.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Settled {
    /// The plan, as the words leave it, is what to do.
    Act,
    /// The plan is to be asked about, not done: the model is unsure of it, or it goes
    /// against the words.
    Ask,
}

/// The rules of this module, with what they need to know of the model and the car.
pub struct WordRules<'a> {
    /// The plan language.
    pub language: &'a Language,
    /// The signal catalog, for the ranges of numbers said.
    pub catalog: &'a Catalog,
    /// The model's confidence threshold: below it the agent asks.
    pub threshold: f32,
}

impl WordRules<'_> {
    /// Applies every rule of this module to the model's plan for `utterance`, in the order
    /// the agent needs them, and says whether to act on the result or ask about it. `card`
    /// is the dashboard card the model was told of; `now` gives a signal's current value (a
    /// position said as closing counts from where the window is), or None where it is not
    /// known.
    pub fn settle(
        &self,
        decoded: &mut Decoded,
        utterance: &str,
        seat: Seat,
        card: &str,
        now: impl Fn(&str) -> Option<f64>,
    ) -> Settled {
        settle(self, decoded, utterance, seat, card, now)
    }

    /// The utterance as the model is to read it: the same words, but without hesitations
    /// (see [`without_hesitations`]) and with "the radio" as the music (see
    /// [`radio_as_music`]).
    pub fn for_the_model(utterance: &str) -> Cow<'_, str> {
        match without_hesitations(utterance) {
            Cow::Borrowed(said) => radio_as_music(said),
            Cow::Owned(said) => Cow::Owned(radio_as_music(&said).into_owned()),
        }
    }
}

fn settle(
    rules: &WordRules,
    decoded: &mut Decoded,
    utterance: &str,
    seat: Seat,
    card: &str,
    now: impl Fn(&str) -> Option<f64>,
) -> Settled {
    let WordRules {
        language,
        catalog,
        threshold,
    } = *rules;
    // A bare "stop" is about what moves, which the agent's `Brake` holds before a turn
    // begins; with nothing on its way it means never mind, whatever the model makes of it
    // (after "open the sunroof" the model read it as pausing the music). With the media
    // card on the dashboard, or the music what the last turn was about (`card`), the music
    // is what "stop" means: after "previous track" the model read it as never mind, and the
    // music played on.
    let stop = says_stop(utterance);
    if stop
        && card == "media"
        && let Ok(pause) = language.parse_plan("set media all PAUSE")
    {
        tracing::debug!(model = %decoded.plan, "stop, about the music: pause it");
        decoded.plan = pause;
        decoded.confidence = 1.0;
        decoded.words.clear();
    } else if stop && !matches!(decoded.plan.statements[..], [Statement::Cancel]) {
        if let Ok(cancel) = language.parse_plan("cancel") {
            tracing::debug!(model = %decoded.plan, "a bare stop means never mind");
            decoded.plan = cancel;
            decoded.confidence = 1.0;
            decoded.words.clear();
        }
    }
    if all_lights_off_as_said(&mut decoded.plan, utterance, language)
        || warmth_as_said(&mut decoded.plan, utterance, language)
    {
        decoded.confidence = 1.0;
        decoded.words.clear();
    }
    trip_as_said(&mut decoded.plan, utterance, language);
    airflow_asked_as_said(&mut decoded.plan, utterance, language);
    automatic_climate_as_said(&mut decoded.plan, utterance, language);
    leaving_as_said(&mut decoded.plan, utterance, language);
    asleep_as_said(&mut decoded.plan, utterance, language);
    rear_warmth_as_said(&mut decoded.plan, utterance, language);
    if units_as_said(&mut decoded.plan, utterance, language)
        || high_beams_as_said(&mut decoded.plan, utterance, language)
        || temperature_asked_bare(&mut decoded.plan, utterance, language)
    {
        decoded.confidence = 1.0;
        decoded.words.clear();
    }
    // Words that ask for nothing now: "turn off the seat heating in ten minutes" (there is
    // no timer, and the model switched it off at once), and "that's better, thanks" after
    // "still cold" (the model read "better" as another step, the wrong way, at 0.70).
    if (later_said(utterance) || only_approves(utterance))
        && acts(&decoded.plan)
        && let Ok(nothing) = language.parse_plan("none")
    {
        tracing::debug!(model = %decoded.plan, "the words ask for nothing now");
        decoded.plan = nothing;
        decoded.confidence = 1.0;
        decoded.words.clear();
    }
    temperature_said_to_the_ac(&mut decoded.plan, utterance, language);
    max_ac_as_said(&mut decoded.plan, utterance, language);
    ambient_percent_as_said(&mut decoded.plan, utterance);
    ambient_color_as_said(&mut decoded.plan, utterance, language);
    if card_as_the_subject(&mut decoded.plan, utterance, card, language, catalog) {
        decoded.confidence = 1.0;
        decoded.words.clear();
    }
    // The model's doubt about a number the words decide is no doubt: "set the temperature
    // to 100" was planned as 16 °C with a probability of 0.27 for the 16.
    let mut decided = hold_to_number_said(&mut decoded.plan, utterance, language, catalog);
    decided.extend(level_named(&mut decoded.plan, utterance, language));
    step_as_said(&mut decoded.plan, utterance, language, seat, &now);
    notches_as_said(&mut decoded.plan, utterance, language, seat, &now);
    // What the words say not to do is not done: the model reads "don't open the window" as
    // "open the window". Said alone it is a no (to a pending question, or to nothing); said
    // beside another request, the plan is asked about rather than trusted. "Warm enough"
    // says not to go further either, and "not warm enough" is asked about if it cools.
    let negation = negation_said(utterance);
    let enough = enough_said(&decoded.plan, utterance);
    if (negation == Negation::Whole || enough == Enough::GoneFurther) && acts(&decoded.plan) {
        if let Ok(no) = language.parse_plan("no") {
            tracing::debug!(model = %decoded.plan, "the words say not to");
            decoded.plan = no;
            decoded.confidence = 1.0;
            decoded.words.clear();
        }
    }
    turned_as_said(&mut decoded.plan, utterance, language, seat, &now);
    // Closing what lets the complaint in is the words' decision, not the model's.
    if complaint_closes(&mut decoded.plan, utterance, language, seat, &now) {
        decoded.confidence = decoded.confidence.max(threshold);
        decoded.words.clear();
    }
    let unsure = decoded.confidence_beside(&decided) < threshold
        || (negation == Negation::Part && acts(&decoded.plan))
        || enough == Enough::GoneBack;
    // Opening what was only asked to be closed (or the reverse) is asked about, not done:
    // the model shipped before 2026-11-24 opened the trunk for "lock the doors and close the
    // trunk".
    if unsure
        || moves_against(&decoded.plan, utterance, language, seat, &now)
        || turns_against(&decoded.plan, utterance, language, seat, &now)
    {
        return Settled::Ask;
    }
    value_missing_asked(&mut decoded.plan, utterance, language);
    off_as_said(&mut decoded.plan, utterance, language);
    extreme_as_said(&mut decoded.plan, utterance);
    not_too_far_as_said(&mut decoded.plan, utterance, language);
    wiper_speed_as_said(&mut decoded.plan, utterance);
    turning_verb_as_said(&mut decoded.plan, utterance);
    defrost_as_said(&mut decoded.plan, utterance);
    fog_outside_as_said(&mut decoded.plan, utterance);
    recirculation_as_said(&mut decoded.plan, utterance);
    vent_as_said(&mut decoded.plan, utterance);
    cool_down_as_said(&mut decoded.plan, utterance);
    volume_as_said(&mut decoded.plan, utterance);
    music_volume_as_said(&mut decoded.plan, utterance);
    seat_the_other_way(&mut decoded.plan, utterance, language, seat, now);
    seat_said_from_the_speaker(&mut decoded.plan, utterance, language, seat);
    side_said_in_the_row(&mut decoded.plan, utterance, language, seat);
    seat_temperature_as_said(&mut decoded.plan, utterance);
    outside_as_said(&mut decoded.plan, utterance);
    speed_limit_as_said(&mut decoded.plan, utterance, language);
    darkness_as_said(&mut decoded.plan, utterance);
    if let Some(left_out) = seats_left_out(utterance, seat)
        && !left_out.alone
    {
        leave_out(&mut decoded.plan, language, seat, &left_out.seats);
    }
    Settled::Act
}

/// The seats a request leaves out, said after "except", "apart from", "other than", "but
/// not" or "not": "open all the windows except mine", "heat every seat but not the driver's".
#[derive(Debug, PartialEq)]
pub(super) struct LeftOut {
    /// The seat words ("driver", "rear_left").
    pub seats: Vec<&'static str>,
    /// Whether that is all the words say ("not the back ones"): a follow-up that takes the
    /// seats out of the last request.
    pub alone: bool,
}

/// See [`LeftOut`]; None where the words leave no seat out.
pub(super) fn seats_left_out(utterance: &str, seat: Seat) -> Option<LeftOut> {
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
fn zone_named(words: &[&str], speaker: Option<Seat>) -> Option<&'static str> {
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
pub(super) fn leave_out(
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

/// "Set the fan" and "change the ambient colour" say what to change but not to what: the
/// model fills in a value (the fan went to 100 %, the light purple), where the agent should
/// ask, as it does for "set the temperature". Only words that say which setting and where
/// count as saying no value: any other word ("to teal", "to heat", "zero") may be the value,
/// and the model's reading of it stands. Switches ("set the AC") and the music ("change the
/// song" is the next one) are read as they are.
fn value_missing_asked(plan: &mut Plan, utterance: &str, language: &Language) {
    const WHICH_AND_WHERE: &str = "set change adjust modify can could would will you please i \
        want need like the a an my our your me for of in at side s seat seats driver drivers \
        passenger passengers rear back front left right both fan fans blower air airflow flow \
        temperature temp climate heating cooling ventilation window windows sunroof roof shade \
        sunshade wipers wiper volume sound ambient light lights lighting colour color mood \
        accent brightness distribution vents speed";
    // "On my side" says where; "set the fan on" says what.
    const A_PLACE: &str = "my the both your our passenger driver rear front left right";
    let listed = |list: &str, word: &str| list.split_whitespace().any(|w| w == word);
    let [
        Statement::Set {
            function,
            zone,
            value,
        },
    ] = plan.statements.as_slice()
    else {
        return;
    };
    let Some(f) = language.function(function) else {
        return;
    };
    let relative = matches!(value.as_str(), "up" | "down") || value.starts_with(['+', '-']);
    if f.kind == Kind::Switch || f.name == "media" || relative {
        return;
    }
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    if !words
        .iter()
        .any(|w| matches!(*w, "set" | "change" | "adjust"))
    {
        return;
    }
    let says_no_value = words.iter().enumerate().all(|(i, w)| {
        listed(WHICH_AND_WHERE, w)
            || (*w == "on" && words.get(i + 1).is_some_and(|next| listed(A_PLACE, next)))
    });
    if !says_no_value {
        return;
    }
    if let Ok(ask) = language.parse_plan(&format!("ask {function} {zone}")) {
        tracing::debug!(model = %plan, "the words give no value: asked");
        *plan = ask;
    }
}

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

/// The words of lower-cased text: its runs of letters and digits.
pub(super) fn words_of(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The (function, value) of each statement of `plan` that sets something.
fn settings(plan: &Plan) -> impl Iterator<Item = (&str, &str)> {
    plan.statements.iter().filter_map(|s| match s {
        Statement::Set {
            function, value, ..
        } => Some((function.as_str(), value.as_str())),
        _ => None,
    })
}

/// The same, with the value to change.
fn settings_mut(plan: &mut Plan) -> impl Iterator<Item = (&str, &mut String)> {
    plan.statements.iter_mut().filter_map(|s| match s {
        Statement::Set {
            function, value, ..
        } => Some((function.as_str(), value)),
        _ => None,
    })
}

/// Whether `plan` changes anything on the car.
fn acts(plan: &Plan) -> bool {
    settings(plan).next().is_some()
}

/// Whether `plan` opens a window, the sunroof, its shade or a trunk when the words only
/// say "close" or "shut", or closes one when they only say "open" (a position counts from
/// where it is now: "close the window halfway" from fully open is closing it).
fn moves_against(
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
fn opens(
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
fn open_asked(words: &[&str]) -> bool {
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
fn complaint_closes(
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
fn off_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
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
enum Negation {
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
fn negation_said(utterance: &str) -> Negation {
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
fn turns_against(
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
fn turned_as_said(
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

/// How many numbers the words say in digits and how many absolute values of numeric settings
/// `plan` has: "make it 20 degrees in the back and 22 in the front" says two, and the model,
/// sure of itself, planned one (the front at 20).
pub(super) fn numbers_said_and_planned(
    plan: &Plan,
    utterance: &str,
    language: &Language,
) -> (usize, usize) {
    let said = numbers_said(&utterance.to_lowercase()).len();
    (said, numbers_planned(plan, language))
}

/// How many absolute values of numeric settings `plan` has.
fn numbers_planned(plan: &Plan, language: &Language) -> usize {
    plan.statements
        .iter()
        .filter(|s| match s {
            Statement::Set {
                function, value, ..
            } => {
                language
                    .function(function)
                    .is_some_and(|f| matches!(f.kind, Kind::Celsius | Kind::Percent))
                    && !matches!(
                        value.as_str(),
                        "up" | "down" | "on" | "off" | "mute" | "unmute"
                    )
                    && !value.starts_with(['+', '-'])
            }
            _ => false,
        })
        .count()
}

/// How many levels or speeds a small number said for `f` counts in, where it has them.
fn counted_in(f: &Function) -> Option<f64> {
    f.levels.or(f.speeds).map(f64::from)
}

/// Whether the words say not to do something, in whole or in part.
pub(super) fn says_not_to(utterance: &str) -> bool {
    negation_said(utterance) != Negation::None
}

/// What the words say of "enough", against the plan.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Enough {
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
fn enough_said(plan: &Plan, utterance: &str) -> Enough {
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

/// The far end of the temperature the words name, when they name one: "max heat", "heat on
/// full", "the warmest setting" are the highest; "max cooling", "the coldest setting" the
/// lowest.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Extreme {
    Hottest,
    Coldest,
}

fn extreme_said(words: &[&str]) -> Option<Extreme> {
    const HIGH: &[&str] = &["max", "maximum", "full", "highest", "top"];
    // Nouns of a setting, not adjectives of how someone feels: in "I'm hot, max AC" the
    // "hot" is why, not what.
    const HEAT: &[&str] = &["heat", "heating", "heater", "warmth"];
    const COLD: &[&str] = &["cold", "cool", "cooling", "ac", "aircon"];
    // The extreme must say which setting it is: "max heat", "heat on max", "heat to the max";
    // in "I'm cold, max fan" the "max" is the fan's.
    let names = |setting: &[&str]| {
        (0..words.len()).any(|i| {
            let at = |j: usize, options: &[&str]| words.get(j).is_some_and(|w| options.contains(w));
            (at(i, HIGH) && at(i + 1, setting))
                || (at(i, setting)
                    && at(i + 1, &["on", "to", "at"])
                    && (at(i + 2, HIGH) || (at(i + 2, &["the"]) && at(i + 3, HIGH))))
        })
    };
    let hottest = words.iter().any(|w| ["warmest", "hottest"].contains(w)) || names(HEAT);
    let coldest = words.iter().any(|w| ["coldest", "coolest"].contains(w)) || names(COLD);
    match (hottest, coldest) {
        (true, false) => Some(Extreme::Hottest),
        (false, true) => Some(Extreme::Coldest),
        _ => None,
    }
}

/// Sets the temperature to the end the words name. The model shipped on 2026-11-24 set
/// 16 °C for "max heat" and for "warmest setting" (and 28 °C for "maximum heat"), and only
/// a degree up for "I'm cold, max heat": the words of one extreme are plain enough to
/// overrule it. Numbers said
/// have their own rule ([`hold_to_number_said`]) and the seats their own heating.
fn extreme_as_said(plan: &mut Plan, utterance: &str) {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    if words
        .iter()
        .any(|w| w.starts_with("seat") || w.chars().any(|c| c.is_ascii_digit()))
    {
        return;
    }
    let Some(extreme) = extreme_said(&words) else {
        return;
    };
    let said = match extreme {
        Extreme::Hottest => "max",
        Extreme::Coldest => "min",
    };
    for (function, value) in settings_mut(plan) {
        if function == "temperature" && value != said {
            tracing::debug!(model = %value, "the words name the {said} temperature");
            *value = said.into();
        }
    }
}

/// "But not all the way", "not too much": a window or the sunroof goes part of the way
/// (halfway open, or closed to the vent gap), a seat's heating to its first level, anything
/// else a step rather than to its end. The model opened the sunroof fully for "open the
/// sunroof but not all the way" and turned the seat heating down for "heat my seat but not too
/// much".
fn not_too_far_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
    const FAR: &[&[&str]] = &[
        &["all", "the", "way"],
        &["the", "whole", "way"],
        &["fully"],
        &["completely"],
        &["entirely"],
        &["to", "the", "max"],
        &["too", "much"],
        &["too", "far"],
        &["too", "high"],
        &["too", "hot"],
        &["too", "warm"],
        &["too", "strong"],
        &["too", "loud"],
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let said = (0..words.len())
        .any(|i| words[i] == "not" && FAR.iter().any(|far| words[i + 1..].starts_with(far)));
    // Said of the request ("…, but not too much"), not of how things are ("it's not too hot").
    let of_the_request =
        lower.starts_with("not ") || lower.contains("but not ") || lower.contains(", not ");
    if !said || !of_the_request {
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
        let part = match (value.as_str(), f.levels) {
            ("max", _) if is_position(f) => "50".to_owned(),
            ("0", _) if is_position(f) => VENT_POSITION.to_owned(),
            // The first level, said as its percentage (min would be "as low as it goes").
            ("max" | "on" | "down" | "off", Some(levels)) if levels > 0 => {
                tidy((100.0 / f64::from(levels)).floor())
            }
            ("max", _) if f.relative && matches!(f.kind, Kind::Celsius | Kind::Percent) => {
                "up".to_owned()
            }
            _ => continue,
        };
        tracing::debug!(%function, model = %value, "the words say not all the way");
        *value = part;
    }
}

/// The way a verb turns the knob it names, said as a verb ("dim the ambient light a bit",
/// "please brighten it", "soften the music"): the model shipped on 2026-11-24 raised the
/// ambient brightness for "dim" (75 %), and the one of 2026-12-06 lowered it for "brighten",
/// set it to 20 % for "lighten", unmuted for "soften the music" and turned the volume down for
/// "amplify the music" (all verbs it rarely or never saw). "It's a bit dim" and "too dim"
/// describe, and are left to the model, as is a value said with a number ("dim it to 30").
fn turning_verb_as_said(plan: &mut Plan, utterance: &str) {
    const BEFORE_THE_VERB: &[&str] = &["please", "you", "and", "then", "just", "now", "to"];
    // The verb, the knob it turns, and whether up.
    const VERBS: &[(&str, &str, bool)] = &[
        ("dim", "ambient_brightness", false),
        ("darken", "ambient_brightness", false),
        ("brighten", "ambient_brightness", true),
        ("lighten", "ambient_brightness", true),
        ("soften", "volume", false),
        ("quieten", "volume", false),
        ("amplify", "volume", true),
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    if says_a_number(&words) {
        return;
    }
    let said = words.iter().enumerate().find_map(|(i, w)| {
        let as_verb = i == 0 || BEFORE_THE_VERB.contains(&words[i - 1]);
        VERBS
            .iter()
            .find(|(verb, ..)| verb == w && as_verb)
            .map(|&(_, knob, up)| (knob, up))
    });
    let Some((knob, up)) = said else {
        return;
    };
    for (function, value) in settings_mut(plan) {
        let raises = value == "up" || value == "max" || value.starts_with('+');
        let lowers = value == "down" || value == "min" || value.starts_with('-');
        if function == knob && !(if up { raises } else { lowers }) {
            let way = if up { "up" } else { "down" };
            tracing::debug!(model = %value, "the verb turns {knob} {way}");
            *value = way.into();
        }
    }
}

/// The wipers' slowest or fastest speed, when the words name one and the plan wipes at a
/// speed: the model shipped on 2026-11-24 set them fast for "turn the wipers to the lowest
/// speed". The interval and the rain sensor are not speeds, and are left as planned, as are
/// plans with another knob the extreme may be about.
fn wiper_speed_as_said(plan: &mut Plan, utterance: &str) {
    const SLOWEST: &[&str] = &["slowest", "lowest", "minimum", "min"];
    const FASTEST: &[&str] = &["fastest", "highest", "maximum", "max", "top", "full"];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let said = match (has(SLOWEST), has(FASTEST)) {
        (true, false) => "SLOW",
        (false, true) => "FAST",
        _ => return,
    };
    // "Wipers on and the fan to full": the extreme may be another knob's.
    let other_knob = settings(plan).any(|(f, _)| {
        [
            "fan",
            "volume",
            "ambient_brightness",
            "temperature",
            "seat_heating",
            "seat_cooling",
            "window",
            "sunroof",
            "shade",
        ]
        .contains(&f)
    });
    if other_knob {
        return;
    }
    for (function, value) in settings_mut(plan) {
        if function == "wipers"
            && ["SLOW", "MEDIUM", "FAST"].contains(&value.as_str())
            && value != said
        {
            tracing::debug!(model = %value, "the words name the wipers' {said} speed");
            *value = said.into();
        }
    }
}

/// Switches on the defroster that the words ask to clear the glass with. "Off" also says
/// where the fog goes: the model shipped on 2026-11-24 switched the defroster off for "get the
/// fog off the windshield" and "clear the condensation off the front". Only that shape counts:
/// something on the glass, then "off", then the glass ("turn off the windshield heater" names
/// no fog).
fn defrost_as_said(plan: &mut Plan, utterance: &str) {
    const ON_THE_GLASS: &[&str] = &[
        "fog",
        "mist",
        "condensation",
        "frost",
        "ice",
        "snow",
        "steam",
        "dew",
    ];
    const GLASS: &[&str] = &[
        "windshield",
        "windscreen",
        "front",
        "glass",
        "window",
        "windows",
        "back",
        "rear",
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let clears = words.iter().enumerate().any(|(i, w)| {
        let glass = words[i + 1..]
            .iter()
            .find(|w| !["the", "my", "of", "our"].contains(w));
        *w == "off"
            && words[..i].iter().any(|w| ON_THE_GLASS.contains(w))
            && glass.is_some_and(|g| GLASS.contains(g))
    });
    if !clears {
        return;
    }
    for (function, value) in settings_mut(plan) {
        if function.starts_with("defrost") && value == "off" {
            tracing::debug!("the words clear the glass: {function} on");
            *value = "on".into();
        }
    }
}

/// Fog on the road is for the fog lights, not the defroster: the model shipped on 2026-12-06
/// switched the windshield defroster on for "it's foggy outside", "the fog is really thick out
/// there" and "thick fog ahead". Where the words say fog outside or ahead, name no glass, and
/// the plan only switches the front defroster on, the fog lights are switched on instead.
/// "It's foggy" alone is left to the model: it may be the glass.
fn fog_outside_as_said(plan: &mut Plan, utterance: &str) {
    const OUTSIDE: &[&str] = &[
        "outside",
        "ahead",
        "road",
        "thick",
        "dense",
        "visibility",
        "highway",
        "street",
    ];
    const GLASS: &[&str] = &[
        "windshield",
        "windscreen",
        "glass",
        "window",
        "windows",
        "mirror",
        "mirrors",
        "inside",
        "misted",
        "fogging",
        "fogged",
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let fog = has(&["fog", "foggy"]);
    let outside = has(OUTSIDE) || words.windows(2).any(|pair| pair == ["out", "there"]);
    let only_defrost = matches!(
        plan.statements.as_slice(),
        [Statement::Set { function, value, .. }] if function == "defrost_front" && value == "on"
    );
    if fog && outside && !has(GLASS) && only_defrost {
        tracing::debug!("fog on the road: the fog lights");
        plan.statements = vec![Statement::Set {
            function: "fog_lights".into(),
            zone: "all".into(),
            value: "on".into(),
        }];
    }
}

/// Moves a percentage by the step said ("up by 10"), from where it is. The model never saw a
/// percentage said as a step: the one shipped on 2026-11-24 set the volume *to* 10 for "turn
/// the volume up by 10" and for "lower the volume by 10", and the fan to 20 % for "turn the
/// fan up by 20 percent" (fresh requests of 2026-11-26). Temperatures said so ("raise it by 2
/// degrees") it reads right, but not every one: the model shipped on 2026-12-06 set 20 °C for
/// "turn the temperature down by 20 degrees" and one degree up for "by 1.5 degrees". A step
/// the plan language has no word for (`+15`, `+1.5`) is counted from the car's value, where
/// every seat the statement covers has the same; a temperature beyond its range is its end.
fn step_as_said(
    plan: &mut Plan,
    utterance: &str,
    language: &Language,
    seat: Seat,
    now: impl Fn(&str) -> Option<f64>,
) {
    const UP: &[&str] = &[
        "up", "increase", "raise", "higher", "louder", "more", "boost", "bump", "faster",
        "stronger", "brighter", "warmer", "hotter",
    ];
    const DOWN: &[&str] = &[
        "down", "decrease", "lower", "reduce", "quieter", "softer", "less", "drop", "cut",
        "slower", "weaker", "dimmer", "dim", "cooler", "colder",
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    // Decimals kept whole ("by 1.5 degrees").
    let with_decimals: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '.'))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    let by = with_decimals
        .windows(2)
        .find_map(|pair| (pair[0] == "by").then(|| step_number(pair[1])).flatten());
    let (step, counted) = match (by, step_counted(&lower)) {
        (Some(step), _) => (step, false),
        (None, Some(step)) => (step, true),
        (None, None) => return,
    };
    let Some(sign) = direction_said(&words, UP, DOWN) else {
        return;
    };
    let fahrenheit = words.contains(&"fahrenheit");
    for statement in &mut plan.statements {
        let Statement::Set {
            function,
            zone,
            value,
        } = statement
        else {
            continue;
        };
        let Some(f) = language.function(function) else {
            continue;
        };
        // The step taken as the value ("by 20" as "to 20"); for the temperature also another
        // step than the one said ("up by 1.5 degrees" planned as one degree up).
        let numeric = matches!(f.kind, Kind::Percent | Kind::Celsius);
        let as_the_value = value.parse::<f64>().ok() == Some(step);
        // "Up by 3 degrees Fahrenheit" is a step of 1.5 °C, in the temperature's half degrees
        // (the model stepped 3 °C).
        let step = match f.kind {
            Kind::Celsius if fahrenheit => ((step * 5.0 / 9.0) * 2.0).round().max(1.0) / 2.0,
            _ => step,
        };
        let planned_step = match value.as_str() {
            "up" | "down" => Some(f.step),
            v if v.starts_with(['+', '-']) => v[1..].parse::<f64>().ok(),
            _ => None,
        };
        let another_step =
            (counted || matches!(f.kind, Kind::Celsius)) && planned_step.is_some_and(|p| p != step);
        let as_the_value = as_the_value || (fahrenheit && another_step);
        if !numeric || !(as_the_value || another_step) {
            continue;
        }
        let relative = signed(sign, step);
        if f.values().contains(&relative) {
            tracing::debug!("the words move {function} by {relative}");
            *value = relative;
            continue;
        }
        if let Some(level) = one_level_now(f, zone, seat, &now) {
            let moved = match f.kind {
                // Half degrees are the temperature's own steps; beyond its range, its end
                // ("down by 20 degrees" had been set to 20 °C).
                Kind::Celsius => {
                    let t = tidy(((level + sign * step) * 2.0).round() / 2.0);
                    match f.values().contains(&t) {
                        true => t,
                        false if sign > 0.0 => "max".to_owned(),
                        false => "min".to_owned(),
                    }
                }
                _ => tidy((level + sign * step).clamp(0.0, 100.0).round()),
            };
            if f.values().contains(&moved) {
                tracing::debug!("the words move {function} by {step} from {level}: {moved}");
                *value = moved;
            }
        }
    }
}

/// A number said of "it" with a card open on the dashboard is the card's setting, where it
/// cannot be a temperature: with the fan's card open, "set it to 3" is the fan. The model
/// shipped on 2026-11-24 read "set it to 3" and "set it to 5" as the coldest temperature with
/// the fan's, the volume's or the seat heating's card open (sure of it, 0.60 to 0.88). Only
/// where the words name nothing but the number (and "level", "speed", "percent"), the plan
/// sets the temperature alone, and the number is beyond its range (nor 60 to 84, which may
/// be Fahrenheit): "make it 22" with the fan's card open stays the temperature, as the
/// training data has it. The number itself is then the other rules' to read
/// (`hold_to_number_said`: the fan's third speed, the seat's second level). Returns whether
/// the plan was changed.
fn card_as_the_subject(
    plan: &mut Plan,
    utterance: &str,
    card: &str,
    language: &Language,
    catalog: &Catalog,
) -> bool {
    const NAMELESS: &[&str] = &[
        "set", "it", "to", "make", "put", "turn", "please", "the", "at", "on", "level", "speed",
        "percent", "per", "cent", "a", "that", "this", "can", "you", "could", "ok", "okay", "now",
        "just", "let", "lets", "us", "go", "with", "change", "number",
    ];
    let Some(on_card) = language
        .function(card)
        .filter(|f| matches!(f.kind, Kind::Percent))
    else {
        return false;
    };
    let lower = without_apostrophes(utterance);
    let nameless = words_of(&lower).all(|w| NAMELESS.contains(&w) || step_number(w).is_some());
    let numbers = numbers_said(&utterance.to_lowercase());
    let [said] = numbers[..] else {
        return false;
    };
    let [
        Statement::Set {
            function,
            zone,
            value,
        },
    ] = plan.statements.as_mut_slice()
    else {
        return false;
    };
    let Some(f) = language
        .function(function)
        .filter(|f| matches!(f.kind, Kind::Celsius))
    else {
        return false;
    };
    let Some(meta) = f.paths.values().next().and_then(|path| catalog.get(path)) else {
        return false;
    };
    let (min, max) = (meta.min().unwrap_or(16.0), meta.max().unwrap_or(28.0));
    let a_temperature = (min..=max).contains(&said.value) || (60.0..=84.0).contains(&said.value);
    if !nameless || a_temperature || said.value > 100.0 {
        return false;
    }
    tracing::debug!(model = %function, "a number said of it: the {card} card's");
    if !on_card.zone_words().contains(&zone.as_str()) {
        *zone = if on_card.is_zoned() { "my" } else { "all" }.into();
    }
    *function = on_card.name.clone();
    // The model's min or max for the temperature is put right by the number.
    if !on_card.values().contains(value) {
        *value = "max".into();
    }
    true
}

/// A step said of "it" with a card open on the dashboard is the card's: with the seat
/// heating's card open, "turn it down" is the seat heating (the model shipped on 2026-11-24
/// turned the volume down, 0.69) and "make it warmer" too (it warmed the cabin). Only where
/// the words name nothing but the step and "it" (or "that"), the plan steps something else
/// up or down, that is not what the last turn was about (`last`: "turn it down a notch"
/// after the volume went up is the volume, as the held-out examples have it), and the
/// card's setting goes up and down; warmer or cooler only of the seat heating's card (with
/// the volume's open, "make it warmer" is still the cabin). Returns whether the plan was
/// changed.
pub(super) fn step_said_of_the_card(
    plan: &mut Plan,
    utterance: &str,
    card: &str,
    last: Option<&str>,
    language: &Language,
) -> bool {
    const STEP_WORDS: &[&str] = &[
        "turn", "it", "up", "down", "make", "a", "bit", "little", "please", "higher", "lower",
        "more", "less", "that", "this", "can", "you", "could", "just", "notch", "tad", "slightly",
        "bring", "put", "increase", "decrease", "raise", "reduce", "one", "step", "level", "ok",
        "okay", "now", "the", "bit", "some", "much", "too", "way",
    ];
    const WARMTH: &[&str] = &["warmer", "hotter", "cooler", "colder"];
    let Some(on_card) = language
        .function(card)
        .filter(|f| f.relative && matches!(f.kind, Kind::Percent))
    else {
        return false;
    };
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let warmth = words.iter().any(|w| WARMTH.contains(w));
    let nameless = words
        .iter()
        .all(|w| STEP_WORDS.contains(w) || WARMTH.contains(w));
    let of_it = words.iter().any(|w| matches!(*w, "it" | "that" | "this"));
    if !nameless || !of_it || (warmth && card != "seat_heating") {
        return false;
    }
    let [
        Statement::Set {
            function,
            zone,
            value,
        },
    ] = plan.statements.as_mut_slice()
    else {
        return false;
    };
    if *function == on_card.name
        || Some(function.as_str()) == last
        || !matches!(value.as_str(), "up" | "down")
    {
        return false;
    }
    tracing::debug!(model = %function, "a step said of it: the {card} card's");
    // "All" of the volume is not everyone's seat: the speaker's card is theirs.
    let zoned = language.function(function).is_some_and(Function::is_zoned);
    if !zoned || !on_card.zone_words().contains(&zone.as_str()) {
        *zone = if on_card.is_zoned() { "my" } else { "all" }.into();
    }
    *function = on_card.name.clone();
    true
}

/// A step said as an amount with its unit and "more" or "less" ("ten percent more", "2 degrees
/// less") or as "another" amount ("another 10 percent"). The model shipped on 2026-11-24 set
/// the window *to* 10 % for "open it ten percent more" with it half open, and a whole step
/// down for "10 percent less". Without a unit the amount may count speeds or levels ("two
/// more"), and is left to the model.
fn step_counted(lower: &str) -> Option<f64> {
    const UNITS: &[&str] = &["percent", "degrees", "degree"];
    const MORE_OR_LESS: &[&str] = &[
        "more", "less", "further", "extra", "higher", "lower", "louder", "quieter", "warmer",
        "cooler", "hotter", "colder",
    ];
    let tokens: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '%'))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    (0..tokens.len()).find_map(|i| {
        let (amount, next) = match tokens[i].strip_suffix('%') {
            Some(number) => (step_number(number)?, i + 1),
            None => {
                let amount = step_number(tokens[i])?;
                let unit = match tokens.get(i + 1..i + 3) {
                    Some(["per", "cent"]) => 2,
                    _ => usize::from(tokens.get(i + 1).is_some_and(|w| UNITS.contains(w))),
                };
                if unit == 0 {
                    return None;
                }
                // "3 degrees Fahrenheit warmer"
                let scale = tokens
                    .get(i + 1 + unit)
                    .is_some_and(|w| matches!(*w, "fahrenheit" | "celsius"));
                (amount, i + 1 + unit + usize::from(scale))
            }
        };
        let another = i > 0 && matches!(tokens[i - 1], "another" | "further" | "extra");
        let more = tokens.get(next).is_some_and(|w| MORE_OR_LESS.contains(w));
        (another || more).then_some(amount)
    })
}

/// Moves a knob by the notches said ("volume up two notches", "temperature up half a
/// degree"), a notch being the function's step. The model shipped on 2026-11-24 never saw
/// notches counted: it muted the volume for "volume up two notches", turned the fan down
/// one step for "fan down two notches", and raised the temperature a whole degree for "up
/// half a degree". Only where the plan moves one function (in any zones); the move is the
/// plan language's `+N` where it has one, else counted from the car's value where every
/// seat the statement covers has the same.
fn notches_as_said(
    plan: &mut Plan,
    utterance: &str,
    language: &Language,
    seat: Seat,
    now: impl Fn(&str) -> Option<f64>,
) {
    const UP: &[&str] = &[
        "up", "increase", "raise", "higher", "louder", "more", "warmer", "hotter", "faster",
        "stronger", "brighter",
    ];
    const DOWN: &[&str] = &[
        "down", "decrease", "lower", "reduce", "quieter", "softer", "less", "cooler", "colder",
        "slower", "weaker", "dimmer",
    ];
    const NOTCHES: &[&str] = &[
        "notch", "notches", "step", "steps", "click", "clicks", "level", "levels", "bar", "bars",
        "tick", "ticks",
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    // "half a degree" is half a step of the temperature; "two notches" two steps of anything.
    let half_degree = lower.contains("half a degree");
    let counted = words
        .iter()
        .copied()
        .filter(|w| *w != "of")
        .collect::<Vec<_>>()
        .windows(2)
        .find_map(|pair| {
            let count = match pair[0] {
                "a" | "one" => Some(1.0),
                "couple" => Some(2.0),
                n => step_number(n).filter(|n| (1.0..=10.0).contains(n)),
            };
            count.filter(|_| NOTCHES.contains(&pair[1]))
        });
    let steps = match (half_degree, counted) {
        (true, None) => 0.5,
        (false, Some(n)) => n,
        _ => return,
    };
    let Some(sign) = direction_said(&words, UP, DOWN) else {
        return;
    };
    let moved: Vec<(usize, &str)> = plan
        .statements
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Statement::Set {
                function, value, ..
            } if !matches!(value.as_str(), "on" | "off" | "mute" | "unmute") => {
                let f = language.function(function)?;
                (f.relative && (!half_degree || matches!(f.kind, Kind::Celsius)))
                    .then_some((i, function.as_str()))
            }
            _ => None,
        })
        .collect();
    let Some(&(_, first)) = moved.first() else {
        return;
    };
    if moved.iter().any(|(_, f)| *f != first) {
        return;
    }
    let moved: Vec<usize> = moved.into_iter().map(|(i, _)| i).collect();
    for i in moved {
        let Statement::Set {
            function,
            zone,
            value,
        } = &mut plan.statements[i]
        else {
            continue;
        };
        let Some(f) = language.function(function) else {
            continue;
        };
        // One notch is what "up" and "down" already mean.
        let one_step = if sign > 0.0 { "up" } else { "down" };
        if steps == 1.0 && value == one_step {
            continue;
        }
        let by = steps * f.step;
        let relative = signed(sign, by);
        if f.values().contains(&relative) {
            if *value != relative {
                tracing::debug!(model = %value, "the words move {function} by {relative}");
                *value = relative;
            }
            continue;
        }
        let Some(level) = one_level_now(f, zone, seat, &now) else {
            continue;
        };
        let target = level + sign * by;
        let word = match f.kind {
            // Half degrees are the temperature's own steps.
            Kind::Celsius => tidy((target * 2.0).round() / 2.0),
            _ => tidy(target.clamp(0.0, 100.0).round()),
        };
        if f.values().contains(&word) {
            tracing::debug!(model = %value, "the words move {function} {by} from {level}: {word}");
            *value = word;
        } else if matches!(f.kind, Kind::Celsius) {
            // Beyond the range: its end, which the reply names as the limit.
            *value = if sign > 0.0 { "max" } else { "min" }.into();
        }
    }
}

/// Which way the words move a setting: 1 up, -1 down, `None` for neither or both.
fn direction_said(words: &[&str], up: &[&str], down: &[&str]) -> Option<f64> {
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    match (has(up), has(down)) {
        (true, false) => Some(1.0),
        (false, true) => Some(-1.0),
        _ => None,
    }
}

/// A step as the plan language writes it: `+10`, `-20`.
fn signed(sign: f64, amount: f64) -> String {
    format!("{}{}", if sign > 0.0 { "+" } else { "-" }, tidy(amount))
}

/// The car's value of the function for the seats `zone` covers, where they all have the
/// same (a level: cooling counts up from 0 like heating).
fn one_level_now(
    f: &Function,
    zone: &str,
    seat: Seat,
    now: impl Fn(&str) -> Option<f64>,
) -> Option<f64> {
    let levels: Vec<f64> = f
        .seats(zone, seat_word(seat))
        .iter()
        .filter_map(|s| now(f.paths.get(s)?))
        .map(|v| (v * f.sign).max(0.0))
        .collect();
    let &level = levels.first()?;
    levels.iter().all(|l| *l == level).then_some(level)
}

/// Whether the words say a number, in digits or as a word up to fifty.
fn says_a_number(words: &[&str]) -> bool {
    words
        .iter()
        .any(|w| w.parse::<f64>().is_ok() || step_number(w).is_some())
}

/// A step said after "by": in digits, or a number word up to fifty.
pub(super) fn step_number(word: &str) -> Option<f64> {
    const WORDS: &[(&str, f64)] = &[
        ("one", 1.0),
        ("two", 2.0),
        ("three", 3.0),
        ("four", 4.0),
        ("five", 5.0),
        ("six", 6.0),
        ("seven", 7.0),
        ("eight", 8.0),
        ("nine", 9.0),
        ("ten", 10.0),
        ("fifteen", 15.0),
        ("twenty", 20.0),
        ("thirty", 30.0),
        ("forty", 40.0),
        ("fifty", 50.0),
    ];
    word.parse::<f64>()
        .ok()
        .or_else(|| WORDS.iter().find(|(w, _)| *w == word).map(|(_, n)| *n))
}

/// A level named for a function that has levels ("seat heating on low") is that level: low
/// the first, high the top, medium the middle. The training data names levels by word only
/// for the fan (low 20 %, high 80 %), and the model shipped on 2026-11-24 carried those over
/// to the seats ("seat ventilation on high" cooled at 80 %), or read "on low" as turning them
/// down, which from off did nothing ("seat heating on low", "passenger seat cooling low").
/// One level named decides every statement of a function with levels, unless the plan
/// switches it off; as many named as there are such statements decide them in order
/// ("driver high and passenger low"); a level described or complained of ("the seat
/// heating is low", "too low"), or beside another knob a level word may be about (the fan,
/// the volume), is left to the model. Returns the statements whose value the
/// words decided.
fn level_named(plan: &mut Plan, utterance: &str, language: &Language) -> Vec<usize> {
    const COMPLAINT: &[&str] = &[
        "too", "so", "very", "quite", "pretty", "bit", "little", "is", "s", "are", "feels", "seems",
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let named: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| matches!(**w, "low" | "medium" | "mid" | "high"))
        .map(|(i, w)| (i > 0 && COMPLAINT.contains(&words[i - 1]), *w))
        .map(|(complaint, w)| if complaint { "" } else { w })
        .collect();
    // A level word may be about another knob of the same request ("heat my seat and put the
    // fan on high").
    let other_knob = settings(plan)
        .any(|(f, _)| matches!(f, "fan" | "volume" | "ambient_brightness" | "temperature"));
    if named.contains(&"") || other_knob {
        return Vec::new();
    }
    // The statements a level can decide: of a function with levels, not switched off.
    let leveled: Vec<(usize, u32)> = plan
        .statements
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Statement::Set {
                function, value, ..
            } if value != "off" => {
                let levels = language.function(function)?.levels?;
                (levels >= 2).then_some((i, levels))
            }
            _ => None,
        })
        .collect();
    // One level for all of them, or one each, in the order said.
    let names: Vec<&str> = match named[..] {
        [one] => vec![one; leveled.len()],
        _ if named.len() == leveled.len() => named,
        _ => return Vec::new(),
    };
    let mut decided = Vec::new();
    for ((i, levels), name) in leveled.into_iter().zip(names) {
        let Statement::Set {
            function, value, ..
        } = &mut plan.statements[i]
        else {
            continue;
        };
        let level = match name {
            "low" => 1,
            "high" => levels,
            _ => levels.div_ceil(2),
        };
        let word = if level == levels {
            "max".to_owned()
        } else {
            tidy((f64::from(level) * 100.0 / f64::from(levels)).floor())
        };
        let accepts = language
            .function(function)
            .is_some_and(|f| f.values().contains(&word));
        if !accepts {
            continue;
        }
        if *value != word {
            tracing::debug!(model = %value, said = name, "a level named: {word}");
            *value = word;
        }
        decided.push(i);
    }
    decided
}

/// Where a window or the sunroof stands when vented: the dashboard's Vent button, and what the
/// model was taught for "crack the window open".
const VENT_POSITION: &str = "20";

/// Vents a window or the sunroof that the words say to vent or tilt: the model shipped on
/// 2026-12-06 opened the sunroof fully for "vent the sunroof" and "put the sunroof in vent
/// position", and closed it for "tilt the sunroof". A position said with a number or as
/// how far ("tilt the sunroof open halfway") stands.
fn vent_as_said(plan: &mut Plan, utterance: &str) {
    const VENT: &[&str] = &["vent", "venting", "tilt", "tilted", "tilting"];
    const HOW_FAR: &[&str] = &[
        "half", "halfway", "quarter", "fully", "full", "wide", "percent",
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let has_number = says_a_number(&words)
        || words.iter().any(|w| HOW_FAR.contains(w))
        || words
            .windows(3)
            .any(|w| w == ["all", "the", "way"] || w == ["the", "whole", "way"]);
    // "Close the window and vent to the windshield": a vent of the air, not of the window.
    let closes = words.iter().any(|w| ["close", "shut"].contains(w));
    let air = settings(plan).any(|(f, _)| matches!(f, "airflow" | "fan"));
    if has_number || closes || air || !words.iter().any(|w| VENT.contains(w)) {
        return;
    }
    for (function, value) in settings_mut(plan) {
        if matches!(function, "window" | "sunroof") && value != VENT_POSITION {
            tracing::debug!(model = %value, "the words vent the {function}");
            *value = VENT_POSITION.into();
        }
    }
}

/// Keeps the outside air out when the words say it is bad or ask to shut it out.
/// Recirculation on means the inside air: the model shipped on 2026-11-24 reads any mention
/// of the outside as fresh air and switched recirculation off for "it smells bad outside",
/// "the air outside stinks", "stop letting outside air in", "close the air intake" and "stop
/// taking air from outside". Air
/// that smells in here, or words that ask for fresh air, leave the plan alone.
fn recirculation_as_said(plan: &mut Plan, utterance: &str) {
    const BAD: &[&str] = &[
        "smell",
        "smells",
        "smelly",
        "stink",
        "stinks",
        "stinky",
        "fumes",
        "exhaust",
        "smoke",
        "smoky",
        "smog",
        "pollution",
        "dust",
        "dusty",
        "pollen",
        "diesel",
    ];
    const OUT_THERE: &[&str] = &[
        "outside", "out", "truck", "bus", "lorry", "ahead", "front", "tunnel", "road", "exhaust",
        "fumes", "diesel", "smog",
    ];
    const SHUT: &[&str] = &["stop", "close", "block", "shut", "keep", "no"];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    if has(&["fresh", "inside", "cabin", "here"]) {
        return;
    }
    let outside_air = [
        "outside air",
        "outdoor air",
        "air from outside",
        "air from the outside",
        "air intake",
    ]
    .iter()
    .any(|said| lower.contains(said));
    let keeps_out = (has(BAD) && has(OUT_THERE)) || (outside_air && has(SHUT));
    if !keeps_out {
        return;
    }
    for (function, value) in settings_mut(plan) {
        if function == "recirculation" && value == "off" {
            tracing::debug!("the words keep the outside air out: recirculation on");
            *value = "on".into();
        }
    }
}

/// The seat a phrase places from the one who spoke: "next to me" (the neighbour's seat or
/// zone, but a window next to me is my own), "behind me", "in front of me". The model does not
/// read them from the seat: it took "next to me" as the front passenger from every seat and
/// "behind me" as the rear left from the passenger's, as its data taught it (the hand-written
/// lines were written from the driver's seat and drawn with random seats). Only for a plan
/// about one zoned function, and only where that function has the seat.
fn seat_said_from_the_speaker(plan: &mut Plan, utterance: &str, language: &Language, seat: Seat) {
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

/// A window or seat named by its side alone ("the right window", "the seat on the left") is
/// the one in the speaker's row: from the front, the right window is the passenger's. The
/// model shipped on 2026-11-24 took "close the right window" and "heat the right seat" for the
/// rear right from the driver's seat. Said in the plural ("the windows on the right") the
/// side's zone is meant, and a row named ("the rear right window") is the model's to read.
fn side_said_in_the_row(plan: &mut Plan, utterance: &str, language: &Language, seat: Seat) {
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

/// "Turn off all the lights" is every light the car has a switch for, inside ("all the
/// lights inside": the dome and ambient lights) or out as well: the model planned the
/// headlights and the hazard lights, sure of neither (0.00), and asked. The hazard lights are
/// a warning to others, not a light to see by: they are switched off only by name. Switching
/// every light on is not read so (the fog lights and the dome light while driving). Whether
/// the plan was replaced.
fn all_lights_off_as_said(plan: &mut Plan, utterance: &str, language: &Language) -> bool {
    const LIGHTS: &[&str] = &["dome_light", "ambient_light", "low_beam", "fog_lights"];
    const INSIDE: &[&str] = &["dome_light", "ambient_light"];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let all = has(&["all", "every", "everything"]) && has(&["lights", "light"]);
    // "Out" only as the lights go out: "foggy out, all the lights please" wants them on.
    let out = words
        .windows(2)
        .any(|pair| matches!(pair, ["turn" | "put" | "lights" | "light", "out"]));
    if !all || !(has(&["off", "kill"]) || out) || has(&["on"]) {
        return false;
    }
    let only_lights = settings(plan).all(|(f, _)| LIGHTS.contains(&f) || f == "hazards");
    if !only_lights {
        return false;
    }
    let lights = if has(&["inside", "interior", "cabin"]) {
        INSIDE
    } else {
        LIGHTS
    };
    let text: Vec<String> = lights
        .iter()
        .filter(|f| language.function(f).is_some())
        .map(|f| format!("set {f} all off"))
        .collect();
    let Ok(off) = language.parse_plan(&text.join(" ; ")) else {
        return false;
    };
    tracing::debug!(model = %plan, "the words switch every light off");
    *plan = off;
    true
}

/// A temperature asked about outside is the outside sensor's: the model answered "what's the
/// temperature outside in F" from the cabin's and "what's the outside temperature in
/// fahrenheit" from the driver's setting.
fn outside_as_said(plan: &mut Plan, utterance: &str) {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let outside = words
        .iter()
        .any(|w| matches!(*w, "outside" | "outdoors" | "outdoor" | "exterior"))
        || words.windows(2).any(|pair| pair == ["out", "there"]);
    if !outside {
        return;
    }
    if let [Statement::Answer { query, zone }] = plan.statements.as_mut_slice()
        && matches!(query.as_str(), "temperature" | "cabin_temperature")
    {
        tracing::debug!(model = %query, "the words ask about the outside");
        *query = "outside_temperature".into();
        *zone = "all".into();
    }
}

/// The lights the model takes "cabin" for: "warm the cabin" switched the reading light on.
const LIGHTS: &[&str] = &[
    "dome_light",
    "ambient_light",
    "ambient_brightness",
    "ambient_color",
    "low_beam",
    "fog_lights",
];

/// Warmth asked of the cabin is the temperature: the model, which knows "cabin" best from
/// "cabin light", switched the reading light on for "warm the cabin" (at 0.44) and "warm up
/// the cabin" (at 0.94). Where the words say warmer or cooler, name no light, and the plan
/// sets only lights, the plan is the whole car's temperature a step that way; true then.
fn warmth_as_said(plan: &mut Plan, utterance: &str, language: &Language) -> bool {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    let up = has(&["warm", "warmer", "hotter", "heat"]);
    let down = has(&["cool", "cooler", "colder", "chill"]);
    let names_a_light = has(&[
        "light",
        "lights",
        "lighting",
        "lamp",
        "lamps",
        "ambient",
        "bright",
        "brighter",
        "dark",
        "darker",
        "dim",
        "headlights",
        "beam",
        "beams",
        "white",
        "colour",
        "color",
    ]);
    let only_lights = !plan.statements.is_empty()
        && plan.statements.iter().all(
            |s| matches!(s, Statement::Set { function, .. } if LIGHTS.contains(&function.as_str())),
        );
    if up == down || names_a_light || !only_lights {
        return false;
    }
    let way = if up { "up" } else { "down" };
    let Ok(temperature) = language.parse_plan(&format!("set temperature all {way}")) else {
        return false;
    };
    tracing::debug!(model = %plan, "warmth asked of the cabin is the temperature");
    *plan = temperature;
    true
}

/// "Darken the cabin" makes it darker: the model switched the reading light on. A light the
/// plan switches on, where the words say darker and not brighter, is switched off instead.
/// (A brightness turned up stays: "the ambient light is too dim" asks for more.)
fn darkness_as_said(plan: &mut Plan, utterance: &str) {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    if !has(&["darken", "darker", "dim", "dimmer", "darkness"])
        || has(&["brighten", "brighter", "bright", "on", "up", "more"])
    {
        return;
    }
    for statement in &mut plan.statements {
        if let Statement::Set {
            function, value, ..
        } = statement
            && LIGHTS.contains(&function.as_str())
        {
            let switch = !matches!(function.as_str(), "ambient_brightness" | "ambient_color");
            if switch && value == "on" {
                tracing::debug!(%function, "darker is not on");
                *value = "off".to_owned();
            }
        }
    }
}

/// "Where is the air blowing" asks the air distribution: the model answered with the fan
/// ("what direction is the air blowing") or read nothing ("where's the air going"). A question
/// about where or which way the air goes, answered with nothing or the fan, is asked of the
/// air distribution, where the model placed it (the speaker's seat by default).
fn airflow_asked_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let has = |w: &str| words.contains(&w);
    let where_to = has("where") || has("wheres") || has("direction") || has("which");
    let asks = words.first().is_some_and(|w| {
        matches!(
            *w,
            "where" | "wheres" | "what" | "whats" | "which" | "in" | "tell"
        )
    });
    if !(has("air") && where_to && asks) {
        return;
    }
    let zone = match plan.statements.as_slice() {
        [] => "my".to_owned(),
        [Statement::Answer { query, zone }] if query == "fan" => zone.clone(),
        [Statement::Nothing] => "my".to_owned(),
        _ => return,
    };
    if let Ok(airflow) = language.parse_plan(&format!("answer airflow {zone}")) {
        tracing::debug!(model = %plan, "where the air goes is the air distribution");
        *plan = airflow;
    }
}

/// Whether the words ask about the trip ("how long until we get there", "what's our ETA",
/// "how far is it"): the car does not know where it is going. Not "how far can we go", which
/// is the range.
fn asks_about_the_trip(utterance: &str) -> bool {
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
fn trip_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
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

/// Whether the words ask for an automatic climate or fan ("put the fan on auto", "climate on
/// automatic"), which this car does not have. Automatic wipers, headlights or AC are not
/// this: the wipers have a rain sensor, and the others the model reads as on.
fn asks_for_automatic_climate(utterance: &str) -> bool {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    has(&["auto", "automatic", "automatically"])
        && has(&[
            "climate",
            "fan",
            "blower",
            "hvac",
            "temperature",
            "heater",
            "heating",
        ])
        && !has(&["wiper", "wipers", "headlights", "lights", "beams"])
}

/// There is no automatic climate: the model set the cabin to 16 °C for "set the climate to
/// auto" and the fan to its top for "put the fan on auto". A plan that sets the climate is
/// nothing instead, and `small_talk` says what can be asked.
fn automatic_climate_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
    // "Automatic climate control" was the AC and the fan switched on.
    let lower = utterance.to_lowercase();
    let whole_climate = words_of(&lower).any(|w| matches!(w, "climate" | "hvac"));
    let climate = plan.statements.iter().all(|s| match s {
        Statement::Set { function, .. } => match function.as_str() {
            "temperature" | "fan" | "airflow" => true,
            "ac" | "recirculation" => whole_climate,
            _ => false,
        },
        _ => false,
    });
    if asks_for_automatic_climate(utterance)
        && climate
        && let Ok(nothing) = language.parse_plan("none")
    {
        tracing::debug!(model = %plan, "there is no automatic climate");
        *plan = nothing;
    }
}

/// The speed limit is not the speed: the car does not know it, and the model answered "what's
/// the speed limit" with the car's speed.
fn speed_limit_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
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

/// "How warm is it in the back" is the cabin's one sensor, and what the back is set to as
/// well; "what's the temperature set to in the back" is the setting alone. The model answered
/// both from the sensor, which says nothing of the back.
fn seat_temperature_as_said(plan: &mut Plan, utterance: &str) {
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
fn seat_the_other_way(
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

/// "Turn up the music" is the volume, wherever it comes in a request. Alone the model reads
/// it so, but the one shipped on 2026-11-24 played the music for "open my window and turn
/// up the music" and paused it for "close the sunroof, turn the music down and lock the
/// doors". Only "up" or "down" said right beside the music counts ("turn up the music",
/// "turn the music down", "music up"), and only where the plan sets no volume of its own.
fn music_volume_as_said(plan: &mut Plan, utterance: &str) {
    const MUSIC: &[&str] = &["music", "tunes", "song", "sound", "stereo", "audio"];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let way = |word: &str| matches!(word, "up" | "down").then(|| word.to_owned());
    let wanted = words.iter().enumerate().find_map(|(i, w)| {
        if !MUSIC.contains(w) {
            return None;
        }
        let after = words.get(i + 1).and_then(|w| way(w));
        let before = (i >= 2 && words[i - 1] == "the")
            .then(|| way(words[i - 2]))
            .flatten();
        after.or(before)
    });
    let Some(wanted) = wanted else {
        return;
    };
    if settings(plan).any(|(function, _)| function == "volume") {
        return;
    }
    let played = if wanted == "up" { "PLAY" } else { "PAUSE" };
    for statement in &mut plan.statements {
        if let Statement::Set {
            function,
            zone,
            value,
        } = statement
            && function == "media"
            && value == played
        {
            tracing::debug!(model = %value, "the words turn the music {wanted}");
            *function = "volume".into();
            *zone = "all".into();
            *value = wanted;
            return;
        }
    }
}

/// Turns the volume the way the words say it is wrong: the model shipped on 2026-11-24 muted
/// the music for "the music is too quiet" and "the radio is too quiet", reading the quiet as
/// what was wanted. Only a plain complaint about the sound itself counts ("the music is too
/// quiet", "too loud"): "turn it up, the engine is too loud" wants it louder, and "I can't
/// hear" is left to the model, as people say it of the music and of themselves over it.
fn volume_as_said(plan: &mut Plan, utterance: &str) {
    const TOO_QUIET: &[&[&str]] = &[
        &["too", "quiet"],
        &["too", "soft"],
        &["too", "low"],
        &["so", "quiet"],
        &["not", "loud", "enough"],
    ];
    const TOO_LOUD: &[&[&str]] = &[
        &["too", "loud"],
        &["so", "loud"],
        &["too", "high"],
        &["not", "quiet", "enough"],
    ];
    // What the complaint may be about: the sound, or "it" with nothing else named.
    const SOUND: &[&str] = &[
        "music", "radio", "volume", "song", "sound", "stereo", "speakers", "audio", "track",
        "podcast", "it", "this", "that", "s",
    ];
    let lower = utterance.to_lowercase().replace('\u{2019}', "'");
    let words: Vec<&str> = words_of(&lower).collect();
    // Whether one of `phrases` is said of the sound: at the start, or with a word of the
    // sound among the three before it.
    let said = |phrases: &[&[&str]]| {
        phrases.iter().any(|phrase| {
            words.windows(phrase.len()).enumerate().any(|(i, w)| {
                w == *phrase
                    && (i == 0
                        || words[i.saturating_sub(3)..i]
                            .iter()
                            .any(|b| SOUND.contains(b)))
            })
        })
    };
    let wanted = match (said(TOO_QUIET), said(TOO_LOUD)) {
        (true, false) => "up",
        (false, true) => "down",
        _ => return,
    };
    for (function, value) in settings_mut(plan) {
        if function != "volume" {
            continue;
        }
        let goes_up = matches!(value.as_str(), "up" | "max" | "unmute") || value.starts_with('+');
        let goes_down = matches!(value.as_str(), "down" | "min" | "mute" | "off" | "0")
            || value.starts_with('-');
        if (wanted == "up" && goes_down) || (wanted == "down" && goes_up) {
            tracing::debug!(model = %value, "the words say which way the volume goes: {wanted}");
            *value = wanted.into();
        }
    }
}

/// The words without "uh" and "um" after the first word, and without the first of a small
/// word said twice as the speaker starts again ("open the, the sunroof"). The model was
/// taught hesitations at the start of a request only, and those stay; the one shipped on
/// 2026-11-24 read "Uh, open the, uh, the sunroof." as opening the trunk and the sunroof,
/// and "open the, the sunroof" as opening a window too. Only small words count as said
/// twice: "bye bye" and "testing testing" stay.
fn without_hesitations(utterance: &str) -> Cow<'_, str> {
    const HESITATIONS: &[&str] = &["uh", "uhh", "um", "umm", "uhm", "erm", "er", "err"];
    const SMALL: &[&str] = &[
        "the", "a", "an", "my", "to", "it", "i", "on", "of", "and", "in", "at", "your", "this",
    ];
    let bare = |token: &str| {
        token
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let tokens: Vec<&str> = utterance.split_whitespace().collect();
    // Those before the first word stay: the model was taught them there.
    let first = tokens
        .iter()
        .position(|t| !HESITATIONS.contains(&bare(t).as_str()))
        .unwrap_or(tokens.len());
    let kept: Vec<&str> = tokens[..first]
        .iter()
        .chain(
            tokens[first..]
                .iter()
                .filter(|t| !HESITATIONS.contains(&bare(t).as_str())),
        )
        .copied()
        .collect();
    let mut words: Vec<&str> = Vec::with_capacity(kept.len());
    for (i, token) in kept.iter().enumerate() {
        let again = kept
            .get(i + 1)
            .is_some_and(|next| bare(next) == bare(token) && SMALL.contains(&bare(token).as_str()));
        if !again {
            words.push(token);
        }
    }
    if words.len() == tokens.len() {
        return Cow::Borrowed(utterance);
    }
    let out = words.join(" ");
    tracing::debug!(model_reads = %out, "hesitations left out");
    Cow::Owned(out)
}

/// The request a "why can't I …?" asks about: "why can't I open the trunk" is "open the
/// trunk", "why won't the trunk open" is "open the trunk". The model read the question as
/// nothing for the car; it is answered with what the rules say of the request now. None for
/// a bare "why not?" (the last refusal's to answer) or where no request follows.
pub(super) fn why_not_asked(utterance: &str) -> Option<String> {
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
        return super::reading::said_as_command(&request).then_some(request);
    }
    // "Why won't the trunk open": the thing, then what it would not do.
    let (verb, thing) = words[2..].split_last()?;
    (words[1] != "dont" && VERBS.contains(verb) && words[2] == "the")
        .then(|| format!("{verb} {}", thing.join(" ")))
}

/// A request changed within the words that say it, as `changed_while_said` reads it.
#[derive(Debug, PartialEq)]
pub(super) enum ChangedWhileSaid {
    /// "Open the window, never mind": nothing is asked.
    TakenBack,
    /// "Close the sunroof, no wait, the windows": what is meant, said whole ("close the
    /// windows").
    Meant(String),
}

/// A request taken back or corrected before it was finished: "turn on the AC, scratch that",
/// "open the window, just kidding" (nothing); "close the sunroof, no wait, the windows",
/// "set it to 22, I mean 23", "turn on the AC, sorry, the fan" (the corrected request). The
/// model did the first request ("open the window, never mind" opened it, 0.58) or both
/// ("close the sunroof, no wait, the windows" closed the sunroof too). Only where a command
/// comes before the change of mind: "no, the other one" corrects the last turn.
pub(super) fn changed_while_said(utterance: &str) -> Option<ChangedWhileSaid> {
    // Words that take back what came before them, said after a command.
    const TAKING_BACK: &[&[&str]] = &[
        &["never", "mind"],
        &["nevermind"],
        &["forget", "it"],
        &["forget", "that"],
        &["scratch", "that"],
        &["cancel", "that"],
        &["just", "kidding"],
        &["kidding"],
        &["just", "joking"],
        &["don't", "do", "it"],
        &["don't"],
        &["leave", "it"],
    ];
    // Words that put something else in place of what came before them.
    const CHANGING: &[&[&str]] = &[
        &["no", "wait"],
        &["i", "mean"],
        &["i", "meant"],
        &["or", "rather"],
        &["make", "that"],
        &["sorry"],
        &["wait"],
        &["actually"],
        &["oops"],
        &["no"],
    ];
    const FILLERS: &[&str] = &["um", "uh", "er", "oh", "well", "like", "so"];
    let said = utterance.trim();
    // ASCII lowering keeps every byte where it was, so a place found in it cuts `said`.
    let lower = said.to_ascii_lowercase();
    // Each word with where it starts and ends, and whether a clause mark comes before it.
    let mut spans: Vec<(usize, usize, bool)> = Vec::new();
    let mut marked = false;
    let mut start = None;
    for (i, c) in lower.char_indices().chain([(lower.len(), ' ')]) {
        let in_word = c.is_alphanumeric() || c == '\'';
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                spans.push((from, i, marked));
                marked = false;
                start = None;
            }
            _ => {}
        }
        if !in_word && matches!(c, ',' | '.' | ';' | '!' | '?' | '-') && start.is_none() {
            marked = true;
        }
    }
    let words: Vec<&str> = spans.iter().map(|&(a, b, _)| &lower[a..b]).collect();
    let at = |i: usize, phrase: &[&str]| words.get(i..i + phrase.len()) == Some(phrase);
    // The first change of mind that follows a command.
    for i in 1..words.len() {
        let before = said[..spans[i].0].trim_end_matches(|c: char| !c.is_alphanumeric());
        if !super::reading::said_as_command(before) {
            continue;
        }
        // Past every word that only changes the mind ("no, wait, sorry, um").
        let mut j = i;
        let mut changing = false;
        while j < words.len() {
            if FILLERS.contains(&words[j]) {
                j += 1;
                continue;
            }
            let Some(phrase) = CHANGING.iter().find(|p| at(j, p)) else {
                break;
            };
            // "No" and "wait" alone are a change of mind only as a clause of their own:
            // "no, the fan", not "there's no need".
            let own_clause = phrase.len() > 1
                || !matches!(phrase[0], "no" | "wait")
                || spans[j].2
                || spans.get(j + 1).is_none_or(|s| s.2);
            if !own_clause {
                break;
            }
            changing = true;
            j += phrase.len();
        }
        let rest = &words[j..];
        let taken_back = TAKING_BACK.iter().any(|p| {
            rest == *p
                || (rest.len() == p.len() + 1
                    && rest[..p.len()] == **p
                    && rest[p.len()] == "please")
        });
        if taken_back {
            return Some(ChangedWhileSaid::TakenBack);
        }
        if !changing || rest.is_empty() {
            continue;
        }
        // "Make it halfway", "turn it off": "it" is the thing before, which the words
        // without it would not know. The model reads the whole.
        if rest
            .iter()
            .any(|w| matches!(*w, "it" | "them" | "that" | "one" | "those" | "this"))
        {
            return None;
        }
        let meant = said[spans[j].0..].trim_end_matches(['.', '!', ',', ';']);
        if rest.len() > 1 && super::reading::said_as_command(meant) {
            return Some(ChangedWhileSaid::Meant(meant.to_owned()));
        }
        return in_place_of(before, meant, &words[..i], rest).map(ChangedWhileSaid::Meant);
    }
    None
}

/// `before` with `meant` in place of what it corrects: a number for its last number ("set it
/// to 22" … "23"), a thing for its thing ("close the sunroof" … "the windows", "turn the AC
/// on" … "the fan"). None where neither fits.
fn in_place_of(
    before: &str,
    meant: &str,
    before_words: &[&str],
    meant_words: &[&str],
) -> Option<String> {
    const THINGS: &[&str] = &[
        "the", "my", "all", "both", "a", "an", "his", "her", "their", "our",
    ];
    let is_number =
        |w: &str| w.chars().all(|c| c.is_ascii_digit() || c == '.') || super::is_number_word(w);
    let first = meant_words.first()?;
    if is_number(first) {
        // The number said in place of the last one, and its unit kept.
        let at = before_words.iter().rposition(|w| is_number(w))?;
        let words: Vec<&str> = before.split_whitespace().collect();
        if words.len() != before_words.len() {
            return None;
        }
        let number: Vec<&str> = meant_words
            .iter()
            .copied()
            .take_while(|w| is_number(w) || *w == "and" || *w == "a" || *w == "half")
            .collect();
        let mut out: Vec<String> = words[..at].iter().map(|w| (*w).to_owned()).collect();
        out.push(number.join(" "));
        out.extend(words[at + 1..].iter().map(|w| (*w).to_owned()));
        return Some(out.join(" "));
    }
    // "Turn the volume up, no, down": the other way.
    const WAYS: &[&str] = &["up", "down", "on", "off"];
    if let [way] = meant_words
        && WAYS.contains(way)
    {
        let at = before_words.iter().rposition(|w| WAYS.contains(w))?;
        let mut words: Vec<&str> = before.split_whitespace().collect();
        if words.len() != before_words.len() {
            return None;
        }
        words[at] = way;
        return Some(words.join(" "));
    }
    if !THINGS.contains(first) {
        return None;
    }
    let thing = before_words.iter().position(|w| THINGS.contains(w))?;
    let words: Vec<&str> = before.split_whitespace().collect();
    if words.len() != before_words.len() || thing == 0 {
        return None;
    }
    let mut out = words[..thing].join(" ");
    out.push(' ');
    // Mid-sentence now: "Close the sunroof. No, wait. The windows."
    let mut letters = meant.chars();
    out.extend(letters.next().map(|c| c.to_ascii_lowercase()));
    out.push_str(letters.as_str());
    // "Turn the AC on" … "the fan": the fan on.
    if let Some(last) = before_words
        .last()
        .filter(|w| matches!(**w, "on" | "off" | "up" | "down"))
        && !meant_words.contains(last)
    {
        out.push(' ');
        out.push_str(last);
    }
    Some(out)
}

/// "Of" that Whisper writes for "off" after a verb of switching, put right before anything
/// reads the words: "turn of the AC" (the model shipped on 2026-11-24 switched the AC on, at
/// 0.50) and "switch the lights of". Only where "off" is the one reading: "of" straight after
/// the verb said as a request (not "a turn of phrase", "the turn of the year"), or "of" last
/// after such a verb ("turn the fan of").
pub(super) fn off_as_heard(utterance: &str) -> Cow<'_, str> {
    const VERBS: &[&str] = &["turn", "switch", "shut", "turned", "switched"];
    const NOUN_BEFORE: &[&str] = &[
        "a", "the", "this", "that", "every", "each", "next", "sharp", "left", "right", "u", "your",
        "my", "his", "her", "our", "their", "first", "last",
    ];
    let bare = |token: &str| {
        token
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let tokens: Vec<&str> = utterance.split_whitespace().collect();
    let words: Vec<String> = tokens.iter().map(|t| bare(t)).collect();
    let is_verb = |i: usize| {
        VERBS.contains(&words[i].as_str())
            && (i == 0 || !NOUN_BEFORE.contains(&words[i - 1].as_str()))
    };
    let meant_off: Vec<usize> = (0..words.len())
        .filter(|&i| words[i] == "of")
        .filter(|&i| {
            let after_verb = i > 0 && is_verb(i - 1);
            let last_after_verb = i + 1 == words.len() && (0..i).any(is_verb);
            after_verb || last_after_verb
        })
        .collect();
    if meant_off.is_empty() {
        return Cow::Borrowed(utterance);
    }
    let out = tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            if meant_off.contains(&i) {
                token.replacen("of", "off", 1).replacen("Of", "Off", 1)
            } else {
                (*token).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    tracing::debug!(read_as = %out, "'of' heard for 'off'");
    Cow::Owned(out)
}

/// "The radio" as the music. The car's sound comes from its one media player, but the model
/// shipped on 2026-11-24 was taught "play the radio" and "turn on the radio" as things it
/// cannot do (it has no tuner) and learnt the word as a sign of nothing to do: it planned
/// nothing for "turn up the radio" and "turn off the radio", and switched the AC off for
/// "radio off". Read as "the music", each is what the model knows. Words about stations and
/// tuning ("switch to the radio", "change the radio station") or about what was heard on
/// the radio are left as they are: the car cannot do those.
fn radio_as_music(utterance: &str) -> Cow<'_, str> {
    const TUNING: &[&str] = &[
        "station",
        "stations",
        "tune",
        "tuned",
        "tuning",
        "fm",
        "am",
        "channel",
        "channels",
        "frequency",
        "broadcast",
        "dab",
        "satellite",
        "news",
        "traffic",
        "talk",
        "show",
        "dj",
        "heard",
        "said",
        "says",
        "saw",
        "to",
    ];
    const RADIO: &str = "radio";
    // ASCII lower case keeps every byte where it was, so a match's place is the original's.
    let lower = utterance.to_ascii_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    if !words.contains(&RADIO) || words.iter().any(|w| TUNING.contains(w)) {
        return Cow::Borrowed(utterance);
    }
    let not_in_a_word = |c: Option<char>| !c.is_some_and(char::is_alphanumeric);
    let mut out = String::with_capacity(utterance.len());
    let mut from = 0;
    for (at, _) in lower.match_indices(RADIO) {
        let end = at + RADIO.len();
        if not_in_a_word(lower[..at].chars().next_back())
            && not_in_a_word(lower[end..].chars().next())
        {
            out.push_str(&utterance[from..at]);
            out.push_str("music");
            from = end;
        }
    }
    out.push_str(&utterance[from..]);
    tracing::debug!(model_reads = %out, "the radio is the music");
    Cow::Owned(out)
}

/// Whether the words take leave: "bye", "see you later", "I'm getting out", "I'm leaving the
/// car".
fn says_goodbye(words: &[&str]) -> bool {
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

/// Words of the climate: where they are said, a climate plan may be what was asked.
const CLIMATE_WORDS: &[&str] = &[
    "temperature",
    "temp",
    "heat",
    "heating",
    "heater",
    "warm",
    "warmer",
    "cold",
    "colder",
    "cool",
    "cooler",
    "hot",
    "freezing",
    "chilly",
    "ac",
    "air",
    "fan",
    "seat",
    "degrees",
    "stuffy",
];

/// Leaving the car asks nothing of the climate: the model shipped on 2026-12-06 set 22 °C for
/// "I'm getting out". A plan that only sets the climate, for words that take leave and name
/// nothing of it, is nothing (and `small_talk` says goodbye); "I'm getting out, unlock the
/// doors" stands.
fn leaving_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
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

/// Whether the words place a request in the back seats: "in the back", "the back too",
/// "for the rear", "back seats". Not a thing at the back ("the back window", "the rear
/// defroster", "the trunk at the back"), nor "my back" or "back home".
pub(super) fn back_said(utterance: &str) -> bool {
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
pub(super) fn asks_about_it(utterance: &str) -> bool {
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
/// did you change?". The model read them as nothing for the car.
pub(super) fn asks_what_was_done(utterance: &str) -> bool {
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
    ) && words.len() <= 6
        && !words
            .iter()
            .any(|w| matches!(*w, "say" | "said" | "yesterday" | "today"))
}

/// Whether the words are "go back" alone ("go back please", "can you go back"): after a
/// change, undoing it; the model read it as the previous track.
pub(super) fn go_back_alone(utterance: &str) -> bool {
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
pub(super) fn asks_to_repeat(utterance: &str) -> bool {
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
fn verb_alone(words: &[&str]) -> Option<&'static str> {
    match verb_said_alone(words)? {
        "open" => Some("What should I open?"),
        "close" => Some("What should I close?"),
        "turn on" => Some("What should I turn on?"),
        _ => Some("What should I turn off?"),
    }
}

/// The verb of [`verb_alone`], as the next answer is read with it: "open", "close", "turn
/// on", "turn off".
fn verb_said_alone(words: &[&str]) -> Option<&'static str> {
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
pub(super) fn with_the_verb_asked(utterance: &str, asked_about: &str) -> Option<String> {
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
pub(super) fn verb_asked_about(utterance: &str) -> Option<&'static str> {
    let lower = without_apostrophes(utterance);
    verb_said_alone(&words_of(&lower).collect::<Vec<_>>())
}

/// Whether the words ask to show other units ("switch to Fahrenheit", "change the display to
/// miles"), which the dashboard's settings decide, not the assistant: it answers in the units
/// a question is asked in.
fn units_asked(words: &[&str]) -> bool {
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let units = has(&[
        "fahrenheit",
        "celsius",
        "centigrade",
        "metric",
        "imperial",
        "miles",
        "kilometers",
        "kilometres",
        "units",
    ]);
    let change = has(&["switch", "change", "use", "show", "display", "convert"]);
    let number = words
        .iter()
        .any(|w| w.chars().any(|c| c.is_ascii_digit()) || super::is_number_word(w));
    units && change && !number && !has(&["temperature", "range", "speed", "outside"])
}

/// "Switch to Fahrenheit": the model set the coldest temperature, in Fahrenheit (0.42). A
/// plan for words that ask for other units and say no number is nothing, and `small_talk`
/// says why. Returns whether the plan was changed.
fn units_as_said(plan: &mut Plan, utterance: &str, language: &Language) -> bool {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    if units_asked(&words)
        && acts(plan)
        && let Ok(nothing) = language.parse_plan("none")
    {
        tracing::debug!(model = %plan, "other units asked for: nothing to set");
        *plan = nothing;
        return true;
    }
    false
}

/// "What's the temperature?", with no place said: the cabin's, and what the speaker's side is
/// set to. The model shipped on 2026-11-24 answered with the temperature outside (0.62). Only
/// where it answered a temperature: the words alone are the question.
fn temperature_asked_bare(plan: &mut Plan, utterance: &str, language: &Language) -> bool {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower)
        .filter(|w| !matches!(*w, "hey" | "cockpit" | "so" | "um" | "uh" | "now" | "right"))
        .collect();
    let bare = matches!(
        words.as_slice(),
        ["whats" | "hows", "the", "temperature" | "temp"]
            | ["what" | "how", "is", "the", "temperature" | "temp"]
    );
    let answered_a_temperature = matches!(
        plan.statements.as_slice(),
        [Statement::Answer { query, .. }] if query.ends_with("temperature")
    );
    if bare
        && answered_a_temperature
        && let Ok(both) =
            language.parse_plan("answer cabin_temperature all ; answer temperature my")
    {
        tracing::debug!(model = %plan, "the temperature asked with no place: the cabin's");
        *plan = both;
        return true;
    }
    false
}

/// Someone in the back too cold or too hot: the back's temperature a step that way. The model
/// shipped on 2026-11-24 planned nothing for "grandma is freezing in the back" and "the kids in
/// the back say they're cold" (it knows "the kids in the back are cold"), and cooled the
/// driver's side for "it's boiling back there". Only where the model planned nothing or a
/// temperature step elsewhere, the words place it in the back ("in the back", "back there",
/// "in the rear"; not "my back", nor "back home") and say one of cold or hot, and name nothing
/// else of the car.
fn rear_warmth_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
    const COLD: &[&str] = &["cold", "freezing", "chilly", "frozen", "shivering", "icy"];
    const HOT: &[&str] = &[
        "hot",
        "boiling",
        "sweating",
        "roasting",
        "overheating",
        "baking",
    ];
    const OTHER_THINGS: &[&str] = &[
        "window", "windows", "seat", "seats", "fan", "air", "ac", "heater", "heating", "home",
        "outside", "house", "office", "music", "door", "doors", "trunk", "blanket", "jacket",
    ];
    let stepped_elsewhere = matches!(
        plan.statements.as_slice(),
        [Statement::Set { function, zone, value }]
            if function == "temperature" && zone != "rear" && matches!(value.as_str(), "up" | "down")
    );
    if !matches!(plan.statements.as_slice(), [Statement::Nothing]) && !stepped_elsewhere {
        return;
    }
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let says = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let in_the_back = says(&["in", "the", "back"])
        || says(&["back", "there"])
        || says(&["in", "the", "rear"])
        || says(&["back", "seat"]);
    // "Is it cold in the back?" asks; the model answers that.
    let asks = words.first().is_some_and(|w| {
        matches!(
            *w,
            "is" | "are" | "how" | "hows" | "what" | "whats" | "does" | "do" | "did"
        )
    });
    if !in_the_back || asks || has(OTHER_THINGS) || has(&["not", "isnt", "arent", "dont"]) {
        return;
    }
    let step = match (has(COLD), has(HOT)) {
        (true, false) => "up",
        (false, true) => "down",
        _ => return,
    };
    if let Ok(stepped) = language.parse_plan(&format!("set temperature rear {step}")) {
        tracing::debug!(
            "someone in the back is too {}",
            if step == "up" { "cold" } else { "hot" }
        );
        *plan = stepped;
    }
}

/// Someone asleep wants the music down, not the temperature changed: the model shipped on
/// 2026-12-06 warmed the back for "the kids are asleep in the back" and cooled the passenger
/// side for "my wife is sleeping". Where the words say someone sleeps, name nothing of the
/// climate, and the plan only changes the temperature, it is the volume a step down.
fn asleep_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let asleep = words
        .iter()
        .any(|w| matches!(*w, "asleep" | "sleeping" | "napping" | "dozed"));
    let temperature_only = !plan.statements.is_empty()
        && plan
            .statements
            .iter()
            .all(|s| matches!(s, Statement::Set { function, .. } if function == "temperature"));
    if asleep
        && temperature_only
        && !words.iter().any(|w| CLIMATE_WORDS.contains(w))
        && let Ok(quieter) = language.parse_plan("set volume all down")
    {
        tracing::debug!(model = %plan, "someone asleep: the music down");
        *plan = quieter;
    }
}

/// Whether the words ask about the weather ("what's the weather like tomorrow", "is it going
/// to snow tonight"), which the car cannot know offline; "the weather is nice" asks nothing.
fn asks_the_weather(words: &[&str]) -> bool {
    const ASKING: &[&str] = &[
        "what", "whats", "how", "hows", "will", "is", "tell", "check", "any", "does", "do",
    ];
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let asks = words.first().is_some_and(|w| ASKING.contains(w));
    let coming = has(&["going", "will", "tomorrow", "tonight", "later"]);
    asks && (has(&["weather", "forecast"])
        || (has(&["rain", "snow", "storm", "sunny", "hail"]) && coming))
}

/// Whether the words ask what of the car is open, naming nothing in particular: "is anything
/// open", "did I leave something open", "is everything closed", "what's still open", "is the
/// car shut". "Are the windows closed" names what it asks about and is the model's.
pub(super) fn asks_what_is_open(utterance: &str) -> bool {
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
pub(super) enum Overview {
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
pub(super) fn overview_asked(utterance: &str) -> Option<Overview> {
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
pub(super) enum Everything {
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
pub(super) fn everything_asked(utterance: &str) -> Option<Everything> {
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
pub(super) struct Sync {
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
pub(super) fn sync_asked(utterance: &str, seat: Seat) -> Option<Sync> {
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
pub(super) enum Complaint {
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
pub(super) fn complained_of(utterance: &str) -> Option<Complaint> {
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
pub(super) fn step_for_complaint(function: &str, complaint: Complaint) -> bool {
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
pub(super) fn switched_it(utterance: &str) -> Option<bool> {
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
pub(super) fn limits_asked(utterance: &str) -> bool {
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

/// A greeting for the time of day said alone, or before the assistant's name: "good
/// morning", "good evening, cockpit". "Good night" is also a goodbye.
fn greeting(words: &[&str]) -> Option<&'static str> {
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
pub(super) fn greeting_before(utterance: &str) -> Option<(&'static str, String)> {
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
fn not_in_this_car(words: &[&str]) -> Option<&'static str> {
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

/// Whether the words name the high beams ("high beams", "full beam", "the brights"), which
/// this car leaves to the driver's stalk.
fn high_beams_named(words: &[&str]) -> bool {
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    (has(&["high", "full", "main"]) && has(&["beam", "beams"])) || has(&["brights", "highbeams"])
}

/// "High beams on": the model switched the low beams on (0.79), which is not what was asked;
/// its training data has "turn on the high beams" as nothing. A plan of the low beams for
/// words that name the high beams is nothing, and `small_talk` says why.
fn high_beams_as_said(plan: &mut Plan, utterance: &str, language: &Language) -> bool {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let low_beams = settings(plan).any(|(f, _)| f == "low_beam");
    if high_beams_named(&words)
        && low_beams
        && !words
            .iter()
            .any(|w| matches!(*w, "low" | "dipped" | "headlights"))
        && let Ok(nothing) = language.parse_plan("none")
    {
        tracing::debug!(model = %plan, "the high beams named: not the low beams");
        *plan = nothing;
        return true;
    }
    false
}

/// Whether the words ask who or what the assistant is ("who are you", "what's your name",
/// "are you a robot").
fn asks_who_i_am(words: &[&str]) -> bool {
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
fn asks_what_is_playing(words: &[&str]) -> bool {
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
fn asks_to_call(words: &[&str]) -> bool {
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
fn asks_the_way(words: &[&str]) -> bool {
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

/// "Max AC" is the air conditioning's button for cooling as hard as it can: the coldest
/// setting and the fan at its top, with the AC on. The model shipped on 2026-11-24 only
/// switched the AC on for "max AC", "AC on full" and "AC all the way up". Where the plan only
/// switches the AC on and the words say the most of it, the speaker's side gets the rest.
fn max_ac_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
    let lower = without_apostrophes(utterance);
    let words: Vec<&str> = words_of(&lower).collect();
    let says = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    let only_ac_on = matches!(
        &plan.statements[..],
        [Statement::Set { function, value, .. }] if function == "ac" && value == "on"
    );
    let ac_named = words.iter().any(|w| matches!(*w, "ac" | "aircon"))
        || says(&["air", "conditioning"])
        || says(&["air", "con"]);
    let most = words
        .iter()
        .any(|w| matches!(*w, "max" | "maximum" | "full" | "blast"))
        || says(&["all", "the", "way", "up"]);
    if !only_ac_on || !ac_named || !most {
        return;
    }
    let Ok(rest) = language.parse_plan("set temperature my min ; set fan my max") else {
        return;
    };
    tracing::debug!("max AC: the coldest setting and the fan at the top");
    plan.statements.extend(rest.statements);
}

/// A temperature said to the air conditioning is the temperature: the model shipped on
/// 2026-12-06 switched the AC on and dropped the number for "set the AC to 19", "put the air
/// on 18" and "AC to 68". Where the plan switches the AC on, sets no number, and the words say
/// one number as a setting that is a temperature (16 to 28, or 60 to 84 in Fahrenheit), the
/// speaker's side is set to it as well.
fn temperature_said_to_the_ac(plan: &mut Plan, utterance: &str, language: &Language) {
    let numbers = numbers_said(&utterance.to_lowercase());
    let [said] = numbers[..] else {
        return;
    };
    let ac_on = settings(plan).any(|(f, v)| f == "ac" && v == "on");
    if !ac_on || !said.setting || said.percent || numbers_planned(plan, language) > 0 {
        return;
    }
    let value = said.value;
    let word = if (16.0..=28.0).contains(&value) && (value * 2.0).fract() == 0.0 {
        tidy(value)
    } else if (60.0..=84.0).contains(&value) && value.fract() == 0.0 {
        format!("{}f", tidy(value))
    } else {
        return;
    };
    tracing::debug!(%word, "a temperature said to the air conditioning");
    plan.statements.push(Statement::Set {
        function: "temperature".into(),
        zone: "my".into(),
        value: word,
    });
}

/// A percentage said beside the ambient light is its brightness: the model shipped on
/// 2026-12-06 set the fan to 30 % for "set ambient lighting to red and 30 percent". Where the
/// plan sets the ambient light and the fan or the volume to a number, and the words name
/// neither of those, the number is the ambient brightness.
fn ambient_percent_as_said(plan: &mut Plan, utterance: &str) {
    const OTHER_KNOBS: &[&str] = &[
        "fan", "blower", "air", "airflow", "volume", "music", "sound", "radio", "loud", "louder",
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let ambient = settings(plan).any(|(f, _)| f.starts_with("ambient_"));
    if !ambient || words.iter().any(|w| OTHER_KNOBS.contains(w)) {
        return;
    }
    for statement in &mut plan.statements {
        if let Statement::Set {
            function,
            zone,
            value,
        } = statement
            && matches!(function.as_str(), "fan" | "volume")
            && value.parse::<f64>().is_ok()
        {
            tracing::debug!(model = %function, "a percentage beside the ambient light");
            *function = "ambient_brightness".into();
            *zone = "all".into();
        }
    }
}

/// A colour named beside the ambient light is its colour: the model shipped on 2026-12-06 set
/// only the brightness for "ambient lights green at 60 percent". Where the plan sets the
/// ambient light but no colour, and the words name one colour the light has ("warm white"
/// as one), it is set too.
fn ambient_color_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let ambient = settings(plan).any(|(f, _)| f.starts_with("ambient_"));
    let colored = settings(plan).any(|(f, _)| f == "ambient_color");
    let off = settings(plan).any(|(f, v)| f == "ambient_light" && v == "off");
    if !ambient || colored || off {
        return;
    }
    // A colour complained of ("it's too red") is not one asked for.
    let described = |i: usize| {
        i > 0
            && matches!(
                words[i - 1],
                "too" | "so" | "very" | "not" | "no" | "than" | "bit"
            )
    };
    let warm_white = words.windows(2).any(|pair| pair == ["warm", "white"]);
    let named: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|&(i, w)| {
            language.color(w).is_some() && !described(i) && !(warm_white && *w == "white")
        })
        .map(|(_, w)| *w)
        .chain(warm_white.then_some("warm_white"))
        .collect();
    let [color] = named[..] else {
        return;
    };
    tracing::debug!(%color, "a colour named beside the ambient light");
    plan.statements.push(Statement::Set {
        function: "ambient_color".into(),
        zone: "all".into(),
        value: color.into(),
    });
}

/// "Cool my seat down" asks for more seat cooling, not less. The model shipped on
/// 2026-11-24 read the "down" as less ventilation and switched it off for "cool my seat
/// down", "cool down my seat" and "cool the passenger seat down". Only "cool" or "chill" said
/// as a verb counts: in "the seat is too cool, turn it down" the words ask for less.
fn cool_down_as_said(plan: &mut Plan, utterance: &str) {
    const DESCRIBING: &[&str] = &[
        "too", "so", "very", "is", "s", "are", "quite", "really", "pretty", "getting", "feels",
        "feel", "bit", "little", "nice", "enough", "stay", "stays", "keep", "keeps",
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let cools_down = words.iter().enumerate().any(|(i, w)| {
        matches!(*w, "cool" | "chill")
            && words[i + 1..].contains(&"down")
            && (i == 0 || !DESCRIBING.contains(&words[i - 1]))
    });
    if !cools_down {
        return;
    }
    for (function, value) in settings_mut(plan) {
        if function == "seat_cooling" && value == "down" {
            tracing::debug!("the words cool the seat down: more cooling");
            *value = "up".into();
        }
    }
}

/// The reply to words that ask nothing of the car but still want an answer: thanks, a
/// greeting, or what the assistant can do. Anything else gets the plain "not something I can
/// do in the car".
pub(super) fn small_talk(utterance: &str) -> Option<&'static str> {
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

/// Lower-cased, with "that's" as "thats".
pub(super) fn without_apostrophes(utterance: &str) -> String {
    utterance.to_lowercase().replace(['\'', '\u{2019}'], "")
}

/// Whether `utterance` only says that what was done is right ("that's better, thanks").
fn only_approves(utterance: &str) -> bool {
    let lower = without_apostrophes(utterance);
    approves(&words_of(&lower).collect::<Vec<_>>())
}

/// Whether the words only say that what was done is right: "that's good", "perfect", "much
/// better". (The model plans nothing for them, and "that's not something I can do" was the
/// reply.)
fn approves(words: &[&str]) -> bool {
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

/// A number said in digits, and what the words around it make of it.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Said {
    value: f64,
    /// "30 percent", "30 %".
    percent: bool,
    /// Said as a setting ("to 3", "at 3", "level 3", "fan 3", "3 percent"), not as a count or
    /// a place ("all 4 windows", "row 2").
    setting: bool,
}

/// The numbers said in digits, leaving out those that measure something else: "for 5
/// minutes", "in 2 km", "2 inches". A number stuck to letters counts only with a degree
/// sign's letter ("22c", "72f"). Whisper and typists write halves in words: "22 point 5",
/// "18 point five", "16 and a half", "23 a half" are 22.5, 18.5, 16.5 and 23.5.
fn numbers_said(lower: &str) -> Vec<Said> {
    const NOT_A_SETTING: &str = "minute minutes min mins second seconds sec secs hour hours km \
        kilometers kilometres mile miles mph meter meters metre metres inch inches cm feet foot \
        o am pm times day days people kids";
    const BEFORE_A_SETTING: &str = "to at on level setting speed fan blower volume";
    const DIGITS: [&str; 10] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    const AFTER_A_NUMBER: &str = "point and a half hundred eleven twelve thirteen fourteen \
        fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy \
        eighty ninety full max maximum min minimum high low medium top bottom";
    const KNOBS: &str = "fan blower volume speed level setting heating heater heaters cooling";
    const SMALL: [&str; 10] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    let listed = |list: &str, word: &str| list.split_whitespace().any(|w| w == word);
    let spaced = lower.replace('%', " percent ");
    let words: Vec<&str> = spaced
        .split(|c: char| !(c.is_alphanumeric() || c == '.'))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    let word_at = |k: usize| words.get(k).copied().unwrap_or("");
    let mut numbers = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let (word, before) = (words[k], k.checked_sub(1).map_or("", |b| words[b]));
        k += 1;
        let digits = word
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(word.len());
        let Ok(mut value) = word[..digits].parse::<f64>() else {
            // A number word alone counts where it is said as a setting ("the fan to four":
            // the model shipped on 2026-12-06 set the fan to its top for it). Not one of
            // several ("one hundred", "nine point five"), which the model reads well, nor a
            // "two" that is Whisper's "to" ("fan two full", "volume two twenty").
            let next = word_at(k);
            let alone = !(SMALL.contains(&next)
                || AFTER_A_NUMBER.split_whitespace().any(|w| w == next)
                || next.starts_with(|c: char| c.is_ascii_digit()));
            // "At one" is a setting only right after the knob ("the fan at three"): "close
            // the windows at one" is a time.
            let knob_before = k.checked_sub(3).map_or("", |b| words[b]);
            let as_a_setting = words.len() == 1
                || (listed(BEFORE_A_SETTING, before)
                    && (before != "at" || listed(KNOBS, knob_before)));
            if let Some(n) = SMALL.iter().position(|w| *w == word).filter(|_| alone)
                && as_a_setting
                && !listed(NOT_A_SETTING, next)
            {
                numbers.push(Said {
                    value: (n + 1) as f64,
                    percent: matches!(next, "percent" | "per" | "pc"),
                    setting: true,
                });
            }
            continue;
        };
        // The fraction said after it, in words, and the words it took.
        let tenth = |w: &str| {
            DIGITS
                .iter()
                .position(|d| *d == w)
                .map(|d| d as f64)
                .or_else(|| w.parse::<u8>().ok().filter(|d| *d < 10).map(f64::from))
        };
        match (word_at(k), word_at(k + 1), word_at(k + 2)) {
            ("point", d, _) if tenth(d).is_some() => {
                value += tenth(d).unwrap_or(0.0) / 10.0;
                k += 2;
            }
            ("and", "a", "half") => {
                value += 0.5;
                k += 3;
            }
            ("a", "half", _) => {
                value += 0.5;
                k += 2;
            }
            ("and", "half", _) => {
                value += 0.5;
                k += 2;
            }
            _ => {}
        }
        let next = word_at(k);
        if !matches!(&word[digits..], "" | "c" | "f") || listed(NOT_A_SETTING, next) {
            continue;
        }
        let percent = matches!(next, "percent" | "per" | "pc");
        // A number said alone answers a question for a value ("How strong should the fan
        // be?" … "3"): the model set the fan to its top.
        let only_word = words.len() == 1;
        numbers.push(Said {
            value,
            percent,
            setting: percent || only_word || listed(BEFORE_A_SETTING, before),
        });
    }
    numbers
}

/// Makes a plan's absolute values agree with the numbers said in digits, in order, and
/// returns the indices of the statements whose value the words decided.
///
/// The model writes a number it never saw in training by its pieces: "set the temperature
/// to 100" became `min` (16 °C), "200" became 20, "driver to 20 and passenger to 24" set both
/// to 20, and "the temperature to 22 and the fan to 3" set the fan to 90 %. A temperature
/// beyond the range means its limit (the reply says "as high as it goes"); one inside it is
/// the value; 60 to 84 may be Fahrenheit, as the model reads it. A percentage said as a
/// setting is that percentage ("the volume to 10" is 10 % in the public sample's labels), or
/// a level where the function counts in levels or speeds (the functions file's `levels` and
/// `speeds`: "seat heating to 2" is 66 %, "to 5" its top level, "the fan to 3" 60 %) and the
/// words do not say "percent"; beyond 100 it is the limit.
fn hold_to_number_said(
    plan: &mut Plan,
    utterance: &str,
    language: &Language,
    catalog: &Catalog,
) -> Vec<usize> {
    let lower = utterance.to_lowercase();
    let numbers = numbers_said(&lower);
    let fahrenheit_said = lower.contains("fahrenheit");
    // The plan's absolute values of numeric functions, with the function and its range.
    let mut absolute: Vec<(usize, &Function, (f64, f64), &mut String)> = plan
        .statements
        .iter_mut()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Statement::Set {
                function, value, ..
            } if !matches!(
                value.as_str(),
                "up" | "down" | "on" | "off" | "mute" | "unmute"
            ) && !value.starts_with(['+', '-']) =>
            {
                let f = language.function(function)?;
                let meta = catalog.get(f.paths.values().next()?)?;
                let range = (meta.min().unwrap_or(0.0), meta.max().unwrap_or(100.0));
                matches!(f.kind, Kind::Celsius | Kind::Percent).then_some((i, f, range, value))
            }
            _ => None,
        })
        .collect();
    let expected = |f: &Function, (min, max): (f64, f64), value: &str, said: Said| {
        let fahrenheit = fahrenheit_said || value.ends_with('f');
        let may_be_fahrenheit = (60.0..=84.0).contains(&said.value);
        let celsius = if fahrenheit {
            (said.value - 32.0) * 5.0 / 9.0
        } else {
            said.value
        };
        let word = match f.kind {
            // The functions file spells whole Fahrenheit degrees as `70f`: "70 degrees
            // Fahrenheit" had become `72f`, 22 °C where 70 °F is 21.
            Kind::Celsius if may_be_fahrenheit && fahrenheit && said.value.fract() == 0.0 => {
                format!("{}f", tidy(said.value))
            }
            Kind::Celsius if may_be_fahrenheit && fahrenheit => return None,
            Kind::Celsius if celsius > max => "max".to_owned(),
            Kind::Celsius if celsius < min => "min".to_owned(),
            Kind::Celsius if fahrenheit => return None,
            Kind::Celsius => tidy(said.value),
            Kind::Percent if said.value > 100.0 => "max".to_owned(),
            // "Seat heating to 5" with three levels is its top level, not 5 %: a small whole
            // number is a level (or a speed of the fan), and one beyond them their limit.
            Kind::Percent
                if said.setting
                    && !said.percent
                    && said.value.fract() == 0.0
                    && said.value <= 10.0
                    && counted_in(f).is_some_and(|levels| said.value > levels) =>
            {
                "max".to_owned()
            }
            Kind::Percent if said.setting => {
                let literal = said.value.round();
                let level = counted_in(f)
                    .filter(|levels| {
                        !said.percent
                            && said.value.fract() == 0.0
                            && (1.0..=*levels).contains(&said.value)
                    })
                    .map(|levels| (said.value * 100.0 / levels).floor());
                // The model's max is the top level and its min the lowest ("fan on 1"). A
                // small number is never a percentage where it can be a level: no one means
                // the fan at 3 %.
                let model = match value {
                    "max" => Some(100.0),
                    "min" if said.value == 1.0 => Some(level.unwrap_or(literal)),
                    v => v.parse::<f64>().ok(),
                };
                if model.is_some_and(|m| Some(m) == level || (m == literal && level.is_none())) {
                    return Some(value.to_owned());
                }
                tidy(level.unwrap_or(literal))
            }
            _ => return None,
        };
        // "Set it to 72" read as 72 °F is a fair reading.
        let read_as_fahrenheit = may_be_fahrenheit && value == format!("{}f", tidy(said.value));
        (!read_as_fahrenheit && f.values().contains(&word)).then_some(word)
    };
    // Paired in order only when there is one number for each: "close the windows and set
    // 22" has a window value that was not said.
    if absolute.len() != numbers.len() {
        return Vec::new();
    }
    let mut decided = Vec::new();
    for ((i, f, range, value), said) in absolute.iter_mut().zip(numbers) {
        if let Some(word) = expected(f, *range, value, said) {
            if **value != word {
                tracing::debug!(said = said.value, model = %value, %word, "the number said decides {}", f.name);
                **value = word;
            }
            decided.push(*i);
        }
    }
    decided
}

#[cfg(test)]
mod tests {
    use super::*;

    fn language() -> Language {
        Language::reference(&vehicle::reference::catalog()).expect("built-in functions file")
    }

    fn plan(text: &str) -> Plan {
        language().parse_plan(text).expect("a valid plan")
    }

    /// What `rule` leaves of the model's plan for the words said, as a test reads it:
    /// `settled(model, said)`.
    fn settled_by<'a>(rule: impl Fn(&mut Plan, &str) + 'a) -> impl Fn(&str, &str) -> String + 'a {
        move |model, said| {
            let mut plan = plan(model);
            rule(&mut plan, said);
            plan.to_string()
        }
    }

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
    fn a_turning_verb_turns_its_knob_its_way() {
        let settled = settled_by(|plan, said| {
            turning_verb_as_said(plan, said);
        });
        // What the model shipped on 2026-11-24 planned for these words.
        assert_eq!(
            settled(
                "set ambient_brightness all up",
                "dim the ambient light a bit"
            ),
            "set ambient_brightness all down"
        );
        assert_eq!(
            settled("set ambient_brightness all +20", "could you please dim it"),
            "set ambient_brightness all down"
        );
        // Said of how it is, dim asks for more light.
        assert_eq!(
            settled("set ambient_brightness all up", "it's a bit dim in here"),
            "set ambient_brightness all up"
        );
        assert_eq!(
            settled(
                "set ambient_brightness all 30",
                "dim the ambient light to 30"
            ),
            "set ambient_brightness all 30"
        );
        // What the model shipped on 2026-12-06 planned for these words.
        assert_eq!(
            settled(
                "set ambient_brightness all down",
                "brighten the ambient light"
            ),
            "set ambient_brightness all up"
        );
        assert_eq!(
            settled("set ambient_brightness all 20", "lighten the ambient light"),
            "set ambient_brightness all up"
        );
        assert_eq!(
            settled("set volume all unmute", "soften the music"),
            "set volume all down"
        );
        assert_eq!(
            settled("set volume all down", "amplify the music"),
            "set volume all up"
        );
        // Already the verb's way, the plan's own step stands; other knobs are not the verb's.
        assert_eq!(
            settled("set volume all -20", "please soften the music"),
            "set volume all -20"
        );
        assert_eq!(
            settled(
                "set dome_light all off ; set ambient_brightness all max",
                "dim the lights"
            ),
            "set dome_light all off ; set ambient_brightness all down"
        );
    }

    #[test]
    fn a_setting_named_without_a_value_is_asked_about() {
        let language = language();
        let settled = settled_by(|plan, said| {
            value_missing_asked(plan, said, &language);
        });
        // What the model shipped on 2026-11-24 planned for these words.
        assert_eq!(settled("set fan my max", "set the fan"), "ask fan my");
        assert_eq!(
            settled("set ambient_color all purple", "change the ambient colour"),
            "ask ambient_color all"
        );
        assert_eq!(
            settled(
                "set fan passenger on",
                "change the fan on the passenger side"
            ),
            "ask fan passenger"
        );
        // A value said, however it is said, is kept.
        for (model, said) in [
            ("set fan my on", "set the fan on"),
            (
                "set ambient_color all cyan",
                "change the mood lighting to teal",
            ),
            ("set volume all 0", "could you set the volume to zero"),
            ("set seat_heating rear on", "Set the rear seats to heat."),
            ("set fan my 50", "set the fan to medium"),
            (
                "set ambient_color all red",
                "change the ambient light to red",
            ),
            ("set temperature my 22", "set the temperature to twenty two"),
            ("set fan my up", "adjust the fan"),
            ("set ac all on", "set the AC"),
            ("set media all SKIP_FORWARD", "change the song"),
            ("set fan my max", "turn the fan all the way"),
        ] {
            assert_eq!(settled(model, said), model, "{said:?}");
        }
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
    fn the_hottest_or_coldest_setting_named_is_where_the_temperature_goes() {
        let settled = settled_by(|plan, said| {
            extreme_as_said(plan, said);
        });
        // What the model shipped on 2026-11-24 planned for these words.
        assert_eq!(
            settled("set temperature my min", "max heat"),
            "set temperature my max"
        );
        assert_eq!(
            settled("set temperature my min", "warmest setting"),
            "set temperature my max"
        );
        assert_eq!(
            settled("set temperature my down", "put the heat to the max"),
            "set temperature my max"
        );
        assert_eq!(
            settled("set temperature all +2", "max cooling everywhere"),
            "set temperature all min"
        );
        assert_eq!(
            settled("set temperature my up", "I'm cold, max heat"),
            "set temperature my max"
        );
        // Words that are not a setting's extreme, or name both ends, leave the plan alone.
        for (model, said) in [
            (
                "set temperature my up ; set fan my max",
                "I'm cold, max fan",
            ),
            ("set temperature my min ; set ac all on", "I'm hot, max AC"),
            ("set temperature my up", "max heat, no more max cold air"),
            ("set seat_heating my min", "max heat on my seat"),
            ("set temperature my 18", "max heat to 18"),
        ] {
            assert_eq!(settled(model, said), model, "{said}");
        }
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
    fn fog_taken_off_the_glass_switches_the_defroster_on() {
        let settled = settled_by(|plan, said| {
            defrost_as_said(plan, said);
        });
        // What the model shipped on 2026-11-24 planned for these words.
        for said in [
            "get the fog off the windshield",
            "can you clear the condensation off the front",
            "take the ice off of the back window",
        ] {
            assert!(
                settled("set defrost_front all off", said).ends_with("on"),
                "{said}"
            );
        }
        for said in [
            "turn off the windshield heater",
            "the fog is gone, switch the defroster off",
            "turn the defroster off",
        ] {
            assert_eq!(
                settled("set defrost_front all off", said),
                "set defrost_front all off",
                "{said}"
            );
        }
    }

    #[test]
    fn of_heard_after_a_verb_of_switching_is_off() {
        for (said, meant) in [
            ("turn of the AC", "turn off the AC"),
            (
                "Can you switch of the lights, please?",
                "Can you switch off the lights, please?",
            ),
            ("turn the fan of.", "turn the fan off."),
            (
                "Of the heater? No, turn of the fan",
                "Of the heater? No, turn off the fan",
            ),
        ] {
            assert_eq!(off_as_heard(said), meant, "{said}");
        }
        for said in [
            "what a turn of events",
            "at the turn of the year",
            "turn off the AC",
            "turn on some of the lights",
            "I'm tired of this",
        ] {
            assert!(
                matches!(off_as_heard(said), Cow::Borrowed(s) if s == said),
                "{said}"
            );
        }
    }

    #[test]
    fn hesitations_and_restarts_are_not_read() {
        for (said, read) in [
            ("Uh, open the, uh, the sunroof.", "Uh, open the sunroof."),
            ("open the, the sunroof", "open the sunroof"),
            ("turn on the um AC", "turn on the AC"),
            ("close my, my window please", "close my window please"),
        ] {
            assert_eq!(WordRules::for_the_model(said), read, "{said}");
        }
        for said in [
            "bye bye",
            "testing testing",
            "uh",
            "um, uh",
            "um turn it up",
            "open the window",
        ] {
            assert!(
                matches!(WordRules::for_the_model(said), Cow::Borrowed(s) if s == said),
                "{said}"
            );
        }
    }

    #[test]
    fn the_music_turned_up_or_down_is_the_volume() {
        let settled = |planned: &str, said: &str| {
            let mut plan = plan(planned);
            music_volume_as_said(&mut plan, said);
            plan.to_string()
        };
        // What the model shipped on 2026-11-24 planned for these words.
        assert_eq!(
            settled(
                "set window my max ; set media all PLAY",
                "open my window and turn up the music"
            ),
            "set window my max ; set volume all up"
        );
        assert_eq!(
            settled(
                "set sunroof all 0 ; set media all PAUSE ; set lock all on",
                "close the sunroof, turn the music down and lock the doors"
            ),
            "set sunroof all 0 ; set volume all down ; set lock all on"
        );
        // Playing, pausing, or a volume of the plan's own are left as planned.
        for (planned, said) in [
            ("set media all PLAY", "put the music on"),
            ("set media all PAUSE", "turn the music off"),
            (
                "set media all PLAY ; set volume all 30",
                "music up to 30 and play it",
            ),
            ("set media all PAUSE", "stop the music, I'm upset"),
        ] {
            assert_eq!(settled(planned, said), planned, "{said}");
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
    fn fog_on_the_road_is_for_the_fog_lights() {
        let settled = settled_by(|plan, said| {
            fog_outside_as_said(plan, said);
        });
        // What the model shipped on 2026-12-06 planned for these.
        for said in [
            "it's foggy outside",
            "the fog is really thick out there",
            "thick fog ahead",
        ] {
            assert_eq!(
                settled("set defrost_front all on", said),
                "set fog_lights all on",
                "{said}"
            );
        }
        for (model, said) in [
            ("set defrost_front all on", "it's foggy"),
            (
                "set defrost_front all on",
                "the windshield is foggy outside",
            ),
            ("set defrost_front all on", "it's foggy inside and out"),
            (
                "set defrost_front all on ; set defrost_rear all on",
                "the windows are foggy",
            ),
            ("set fog_lights all off", "the fog outside is gone"),
        ] {
            assert_eq!(settled(model, said), model, "{said}");
        }
    }

    #[test]
    fn a_step_said_moves_from_where_it_is() {
        let language = language();
        // The car with every percentage at 40.
        let settled = |planned: &str, said: &str| {
            let mut plan = plan(planned);
            step_as_said(&mut plan, said, &language, Seat::Driver, |_: &str| {
                Some(40.0)
            });
            plan.to_string()
        };
        // What the model shipped on 2026-11-24 planned for these words.
        assert_eq!(
            settled("set volume all 10", "Turn the volume up by 10."),
            "set volume all +10"
        );
        assert_eq!(
            settled("set volume all 10", "lower the volume by 10"),
            "set volume all -10"
        );
        assert_eq!(
            settled("set fan my 20", "turn the fan up by 20 percent"),
            "set fan my +20"
        );
        assert_eq!(
            settled("set volume all 15", "volume up by 15%"),
            "set volume all 55"
        );
        assert_eq!(
            settled("set volume all 20", "turn it down by twenty"),
            "set volume all -20"
        );
        // A number that is no step, or a step with no direction, is left as planned.
        for (planned, said) in [
            ("set volume all 10", "set the volume to 10"),
            ("set volume all 10", "by the way, volume to 10"),
            ("set volume all 10", "change the volume by 10"),
            (
                "set temperature my +2",
                "raise the temperature by 2 degrees",
            ),
        ] {
            assert_eq!(settled(planned, said), planned, "{said}");
        }
        // A temperature "by" a step the model took as the value (the model shipped on
        // 2026-12-06 set 20 °C for the first), from 21 °C.
        let at_21 = |planned: &str, said: &str| {
            let mut plan = plan(planned);
            step_as_said(&mut plan, said, &language, Seat::Driver, |_: &str| {
                Some(21.0)
            });
            plan.to_string()
        };
        assert_eq!(
            at_21(
                "set temperature my 20",
                "turn the temperature down by 20 degrees"
            ),
            "set temperature my min"
        );
        assert_eq!(
            at_21("set temperature my 20", "raise the temperature by 20"),
            "set temperature my max"
        );
        assert_eq!(
            at_21(
                "set temperature my +1",
                "raise the temperature by 1.5 degrees"
            ),
            "set temperature my 22.5"
        );
        assert_eq!(
            at_21("set temperature my up", "warmer by 2 degrees"),
            "set temperature my +2"
        );
        // Only a step the model took as the value: a value it planned otherwise stands.
        assert_eq!(
            at_21(
                "set temperature my 18",
                "turn the temperature down by 20 degrees"
            ),
            "set temperature my 18"
        );
    }

    #[test]
    fn the_wipers_slowest_or_fastest_speed_named_is_that_speed() {
        let settled = settled_by(|plan, said| {
            wiper_speed_as_said(plan, said);
        });
        // What the model shipped on 2026-11-24 planned for these words.
        assert_eq!(
            settled("set wipers all FAST", "turn the wipers to the lowest speed"),
            "set wipers all SLOW"
        );
        assert_eq!(
            settled("set wipers all MEDIUM", "wipers at maximum"),
            "set wipers all FAST"
        );
        // Not a speed, or both ends, or no wipers: left as planned.
        for (model, said) in [
            ("set wipers all INTERVAL", "wipers on the lowest interval"),
            (
                "set wipers all OFF",
                "wipers off, the rain is at its lowest",
            ),
            ("set wipers all SLOW", "not the fastest, the slowest"),
            ("set fan my max", "fan to the max"),
            (
                "set wipers all MEDIUM ; set fan my max",
                "turn on the wipers then set the fan to full",
            ),
        ] {
            assert_eq!(settled(model, said), model, "{said}");
        }
    }

    #[test]
    fn notches_said_move_by_that_many_steps() {
        let language = language();
        // The car as it starts: 21 °C, the fan at 30 %, the seats off, the volume at 40 %.
        let now = |path: &str| {
            Some(if path.contains("Temperature") {
                21.0
            } else if path.contains("Fan") {
                30.0
            } else if path.contains("Seat") {
                0.0
            } else {
                40.0
            })
        };
        let settled = |planned: &str, said: &str| {
            let mut plan = plan(planned);
            notches_as_said(&mut plan, said, &language, Seat::Driver, now);
            plan.to_string()
        };
        // What the model shipped on 2026-11-24 planned for these words.
        assert_eq!(
            settled("set volume all 0", "volume up two notches"),
            "set volume all +20"
        );
        assert_eq!(
            settled("set fan my down", "fan down two notches"),
            "set fan my -40"
        );
        assert_eq!(
            settled("set temperature my +1", "temperature up half a degree"),
            "set temperature my 21.5"
        );
        assert_eq!(
            settled("set volume all up", "turn it up a couple of clicks"),
            "set volume all +20"
        );
        assert_eq!(
            settled("set seat_heating my up", "seat heating up two levels"),
            "set seat_heating my 66"
        );
        // Right already, or not a count of notches, or two knobs: left as planned.
        for (planned, said) in [
            ("set volume all up", "volume up a notch"),
            ("set temperature my -2", "make it two degrees cooler"),
            ("set volume all 20", "set the volume to level 2"),
            (
                "set volume all up ; set fan my down",
                "volume up two notches and the fan down",
            ),
            ("set temperature my 22", "half a degree from where it is"),
        ] {
            assert_eq!(settled(planned, said), planned, "{said}");
        }
    }

    #[test]
    fn not_all_the_way_is_part_of_the_way() {
        let language = language();
        let settled = settled_by(|plan, said| {
            not_too_far_as_said(plan, said, &language);
        });
        // What the model shipped on 2026-11-24 planned for the first two.
        assert_eq!(
            settled(
                "set sunroof all max",
                "open the sunroof but not all the way"
            ),
            "set sunroof all 50"
        );
        assert_eq!(
            settled("set seat_heating my down", "heat my seat but not too much"),
            "set seat_heating my 33"
        );
        assert_eq!(
            settled("set window all 0", "close them but not completely"),
            "set window all 20"
        );
        assert_eq!(
            settled("set temperature my max", "warmer, but not to the max"),
            "set temperature my up"
        );
        for (model, said) in [
            ("set sunroof all max", "open the sunroof all the way"),
            ("set window my 50", "open my window but not fully"),
            ("set seat_heating my on", "heat my seat, it's not too hot"),
        ] {
            assert_eq!(settled(model, said), model, "{said}");
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
    fn all_the_lights_off_is_every_light_but_the_hazard_lights() {
        let language = language();
        let settled = settled_by(|plan, said| {
            all_lights_off_as_said(plan, said, &language);
        });
        // What the model shipped on 2026-11-24 planned for the first, at 0.00.
        assert_eq!(
            settled(
                "set low_beam all off ; set hazards all off",
                "turn off all the lights"
            ),
            "set dome_light all off ; set ambient_light all off ; set low_beam all off ; \
             set fog_lights all off"
        );
        assert_eq!(
            settled("set dome_light all off", "switch all the lights inside off"),
            "set dome_light all off ; set ambient_light all off"
        );
        for (model, said) in [
            ("set low_beam all on", "turn on all the lights"),
            ("set dome_light all off", "turn off the light"),
            ("set hazards all off", "turn off the hazard lights"),
            (
                "set window all 0 ; set dome_light all off",
                "close all the windows and turn off the light",
            ),
        ] {
            assert_eq!(settled(model, said), model, "{said}");
        }
    }

    #[test]
    fn the_cabin_warmed_is_the_temperature_darkened_is_the_lights_off_and_the_trip_unknown() {
        let language = language();
        let settled = settled_by(|plan, said| {
            warmth_as_said(plan, said, &language);
            darkness_as_said(plan, said);
            trip_as_said(plan, said, &language);
            airflow_asked_as_said(plan, said, &language);
            automatic_climate_as_said(plan, said, &language);
            leaving_as_said(plan, said, &language);
            asleep_as_said(plan, said, &language);
        });
        // What the model shipped on 2026-11-24 planned for these.
        for (model, said, settled_to) in [
            (
                "set dome_light all on",
                "warm the cabin",
                "set temperature all up",
            ),
            (
                "set dome_light all on",
                "warm up the cabin",
                "set temperature all up",
            ),
            (
                "set dome_light all on",
                "darken the cabin",
                "set dome_light all off",
            ),
            ("answer range all", "how long until we get there", "none"),
            ("answer window my", "how far is it open", "answer window my"),
            ("answer range all", "what's our ETA", "none"),
            ("set fan my max", "put the fan on auto", "none"),
            ("set temperature my up", "I'm getting out", "none"),
            (
                "set lock all off",
                "I'm getting out, unlock the doors",
                "set lock all off",
            ),
            (
                "set temperature my up",
                "I'm getting out, it's cold",
                "set temperature my up",
            ),
            (
                "set temperature rear up",
                "the kids are asleep in the back",
                "set volume all down",
            ),
            (
                "set temperature passenger down",
                "my wife is sleeping",
                "set volume all down",
            ),
            (
                "set temperature rear down",
                "the kids are asleep, it's too hot for them",
                "set temperature rear down",
            ),
            ("set temperature my min", "set the climate to auto", "none"),
            ("set fan my min", "automatic fan please", "none"),
            (
                "set ac all on ; set fan my on",
                "turn on automatic climate control",
                "none",
            ),
            ("set ac all on", "AC on auto", "set ac all on"),
            (
                "set wipers all RAIN_SENSOR",
                "wipers on automatic",
                "set wipers all RAIN_SENSOR",
            ),
            (
                "set low_beam all on",
                "headlights on auto",
                "set low_beam all on",
            ),
            // Left as they are.
            (
                "set ambient_brightness all down",
                "dim the lights",
                "set ambient_brightness all down",
            ),
            (
                "set dome_light all on",
                "turn on the cabin light",
                "set dome_light all on",
            ),
            (
                "set dome_light all on",
                "it's dark, put the light on",
                "set dome_light all on",
            ),
            (
                "set ambient_light all on",
                "warm white ambient light",
                "set ambient_light all on",
            ),
            ("answer range all", "how far can we go", "answer range all"),
            (
                "answer fan my",
                "what direction is the air blowing",
                "answer airflow my",
            ),
            ("none", "where's the air going", "answer airflow my"),
            (
                "answer fan my",
                "how strong is the air blowing",
                "answer fan my",
            ),
            (
                "set temperature my up",
                "warm up the cabin",
                "set temperature my up",
            ),
        ] {
            assert_eq!(settled(model, said), settled_to, "{said}");
        }
        // "How far" of a window is no trip (the trip's reply had answered it).
        assert!(!asks_about_the_trip("how far is it open"));
        assert!(asks_about_the_trip("how far is it to the hotel"));
        assert_eq!(
            small_talk("when will we arrive"),
            Some("I don't know where we're going: the car doesn't tell me the route.")
        );
    }

    #[test]
    fn the_outside_and_the_speed_limit_are_what_is_asked_about() {
        let language = language();
        let settled = settled_by(|plan, said| {
            outside_as_said(plan, said);
            speed_limit_as_said(plan, said, &language);
        });
        // What the model shipped on 2026-11-24 planned for these.
        assert_eq!(
            settled(
                "answer cabin_temperature all",
                "what's the temperature outside in F"
            ),
            "answer outside_temperature all"
        );
        assert_eq!(
            settled(
                "answer temperature my",
                "what's the outside temperature in fahrenheit"
            ),
            "answer outside_temperature all"
        );
        assert_eq!(
            settled("answer speed all", "what's the speed limit"),
            "none"
        );
        assert_eq!(
            small_talk("what's the speed limit here"),
            Some("I don't know the speed limit here: the car doesn't tell me.")
        );
        for (model, said) in [
            ("answer cabin_temperature all", "how warm is it inside"),
            ("answer speed all", "how fast are we going"),
            ("set temperature my down", "it's hot outside, cool it down"),
        ] {
            assert_eq!(settled(model, said), model, "{said}");
        }
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
    fn vented_is_the_vent_position() {
        let settled = settled_by(|plan, said| {
            vent_as_said(plan, said);
        });
        // What the model shipped on 2026-12-06 planned for these words.
        assert_eq!(
            settled("set sunroof all max", "vent the sunroof"),
            "set sunroof all 20"
        );
        assert_eq!(
            settled("set sunroof all 0", "tilt the sunroof"),
            "set sunroof all 20"
        );
        // A number said stands, and the air vents are not a window.
        assert_eq!(
            settled("set window my 30", "vent my window 30 percent"),
            "set window my 30"
        );
        assert_eq!(
            settled("set sunroof all 50", "tilt the sunroof open halfway"),
            "set sunroof all 50"
        );
        assert_eq!(
            settled("set sunroof all max", "tilt the sunroof all the way"),
            "set sunroof all max"
        );
        assert_eq!(
            settled("set window all 0", "tilt all the windows"),
            "set window all 20"
        );
        for (planned, said) in [
            (
                "set airflow my UP ; set window my 0",
                "close my window, vent to the windshield",
            ),
            ("set sunroof all 0", "close the sunroof, it's tilted"),
        ] {
            assert_eq!(settled(planned, said), planned, "{said}");
        }
    }

    #[test]
    fn bad_air_outside_is_kept_out() {
        let settled = |said: &str| {
            let mut plan = plan("set recirculation all off");
            recirculation_as_said(&mut plan, said);
            plan.to_string()
        };
        // What the model shipped on 2026-11-24 planned `recirculation off` for.
        for said in [
            "it smells bad outside",
            "the air outside stinks",
            "stop letting outside air in",
            "close the air intake",
            "it smells like exhaust out there",
            "shut off the outside air",
            // And on 2026-11-26: fresh requests, never in the training data.
            "stop taking air from outside",
            "block the air from the outside",
        ] {
            assert_eq!(settled(said), "set recirculation all on", "{said}");
        }
        for said in [
            "it smells in here, get some fresh air",
            "outside air please",
            "switch to fresh air",
            "let the outside air in",
            "the smell inside is awful",
            "take air from outside",
        ] {
            assert_eq!(settled(said), "set recirculation all off", "{said}");
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
    fn the_volume_goes_the_way_the_words_complain_of() {
        let settled = |planned: &str, said: &str| {
            let mut plan = plan(planned);
            volume_as_said(&mut plan, said);
            plan.to_string()
        };
        // The model shipped on 2026-11-24 muted the music for the first two.
        for said in [
            "the music is too quiet",
            "the radio is too quiet",
            "it's not loud enough",
            "the volume is way too low",
        ] {
            assert_eq!(
                settled("set volume all mute", said),
                "set volume all up",
                "{said}"
            );
        }
        assert_eq!(
            settled("set volume all max", "that's too loud"),
            "set volume all down"
        );
        // What goes the way the words say stands, and other functions are not touched.
        assert_eq!(
            settled("set volume all 20", "too loud, set it to 20"),
            "set volume all 20"
        );
        assert_eq!(
            settled("set volume all down", "the music is too loud"),
            "set volume all down"
        );
        assert_eq!(
            settled("set fan my down", "the fan is too loud"),
            "set fan my down"
        );
        assert_eq!(
            settled(
                "set volume all up",
                "turn it up a bit, the engine is too loud"
            ),
            "set volume all up"
        );
        assert_eq!(
            settled(
                "set volume all up",
                "it's too quiet in here, the music is too loud"
            ),
            "set volume all up"
        );
    }

    #[test]
    fn the_radio_is_read_as_the_music() {
        for (said, read) in [
            ("turn up the radio", "turn up the music"),
            ("Radio off.", "music off."),
            ("the radio's too quiet", "the music's too quiet"),
            ("I can't hear the RADIO", "I can't hear the music"),
        ] {
            assert_eq!(radio_as_music(said), read, "{said}");
        }
        for said in [
            "switch to the radio",
            "change the radio station",
            "tune the radio to 98.1",
            "I heard it on the radio",
            "the radios in this car are great",
            "open the window",
        ] {
            assert_eq!(radio_as_music(said), said);
        }
    }

    #[test]
    fn a_seat_cooled_down_is_cooled_more() {
        let settled = |said: &str| {
            let mut plan = plan("set seat_cooling my down");
            cool_down_as_said(&mut plan, said);
            plan.to_string()
        };
        // What the model shipped on 2026-11-24 planned `seat_cooling down` for.
        for said in [
            "cool my seat down",
            "cool down my seat",
            "can you cool my seat down a bit",
            "please chill the seat down",
        ] {
            assert_eq!(settled(said), "set seat_cooling my up", "{said}");
        }
        for said in [
            "turn my seat cooling down",
            "the seat is too cool, turn it down",
            "seat ventilation down",
            "it's getting cool, turn the seat fan down",
        ] {
            assert_eq!(settled(said), "set seat_cooling my down", "{said}");
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
    fn a_temperature_said_to_the_ac_is_the_temperature() {
        let language = language();
        let settled = settled_by(|plan, said| {
            temperature_said_to_the_ac(plan, said, &language);
        });
        // What the model shipped on 2026-12-06 planned for these.
        for (said, settled_to) in [
            ("set the AC to 19", "set ac all on ; set temperature my 19"),
            ("put the air on 18", "set ac all on ; set temperature my 18"),
            ("AC to 68", "set ac all on ; set temperature my 68f"),
            ("AC at 21.5", "set ac all on ; set temperature my 21.5"),
            // Not a temperature, not a setting, or the AC left off.
            ("set the AC to 50 percent", "set ac all on"),
            ("AC on for 20 minutes", "set ac all on"),
            ("set the AC to 3", "set ac all on"),
            ("turn on the AC", "set ac all on"),
        ] {
            assert_eq!(settled("set ac all on", said), settled_to, "{said}");
        }
        assert_eq!(
            settled("set ac all off", "AC off at 20"),
            "set ac all off",
            "off"
        );
        // A number the plan already has is the other rules'.
        assert_eq!(
            settled("set ac all on ; set fan my 30", "AC on and the fan to 30"),
            "set ac all on ; set fan my 30"
        );
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
    fn the_high_beams_are_not_the_low_beams() {
        let language = language();
        let settled = settled_by(|plan, said| {
            high_beams_as_said(plan, said, &language);
        });
        // What the model shipped on 2026-11-24 planned for the first.
        for said in ["high beams on", "turn on the brights", "full beam please"] {
            assert_eq!(settled("set low_beam all on", said), "none", "{said}");
            assert!(
                small_talk(said).is_some_and(|r| r.contains("high beams")),
                "{said}"
            );
        }
        assert_eq!(
            settled(
                "set low_beam all on",
                "turn on the headlights, not the high beams"
            ),
            "set low_beam all on"
        );
        assert_eq!(
            settled("set low_beam all on", "turn on the lights"),
            "set low_beam all on"
        );
    }

    #[test]
    fn the_temperature_asked_with_no_place_is_the_cabins_and_the_setting() {
        let language = language();
        let settled = settled_by(|plan, said| {
            temperature_asked_bare(plan, said, &language);
        });
        // What the model shipped on 2026-11-24 planned for the first.
        for said in [
            "what's the temperature",
            "What is the temperature?",
            "hey, how's the temp",
            "what is the temp",
        ] {
            assert_eq!(
                settled("answer outside_temperature all", said),
                "answer cabin_temperature all ; answer temperature my",
                "{said}"
            );
        }
        for said in [
            "what's the temperature outside",
            "what's the temperature set to",
        ] {
            assert_eq!(
                settled("answer outside_temperature all", said),
                "answer outside_temperature all",
                "{said}"
            );
        }
        assert_eq!(
            settled("set temperature my up", "what's the temperature"),
            "set temperature my up"
        );
    }

    #[test]
    fn other_units_asked_for_set_nothing() {
        let language = language();
        let settled = settled_by(|plan, said| {
            units_as_said(plan, said, &language);
        });
        // What the model shipped on 2026-11-24 planned for the first.
        for said in [
            "switch to fahrenheit",
            "change the display to miles",
            "use celsius",
        ] {
            assert_eq!(settled("set temperature my 61f", said), "none", "{said}");
            assert!(
                small_talk(said).is_some_and(|r| r.contains("units")),
                "{said}"
            );
        }
        for said in [
            "set it to 72 fahrenheit",
            "what's the temperature in fahrenheit",
            "show me the range in miles",
        ] {
            assert_eq!(
                settled("set temperature my 72f", said),
                "set temperature my 72f",
                "{said}"
            );
        }
    }

    #[test]
    fn a_step_said_in_fahrenheit_is_its_share_of_celsius() {
        let language = language();
        let at_21 = |_: &str| Some(21.0);
        let settled =
            settled_by(|plan, said| step_as_said(plan, said, &language, Seat::Driver, at_21));
        // What the model shipped on 2026-11-24 planned for the first: 3 °C.
        assert_eq!(
            settled(
                "set temperature my +3",
                "warm it up by 3 degrees fahrenheit"
            ),
            "set temperature my 22.5"
        );
        assert_eq!(
            settled("set temperature my +2", "2 degrees fahrenheit cooler"),
            "set temperature my -1"
        );
        assert_eq!(
            settled("set temperature my +3", "warm it up by 3 degrees"),
            "set temperature my +3"
        );
    }

    #[test]
    fn an_amount_more_or_less_is_a_step_of_it() {
        for (said, step) in [
            ("open it ten percent more", Some(10.0)),
            ("10% less", Some(10.0)),
            ("turn it up another 20 percent", Some(20.0)),
            ("a further 10 percent please", Some(10.0)),
            ("two degrees warmer", Some(2.0)),
            ("5 per cent more", Some(5.0)),
            // No unit: speeds or levels, perhaps; a value, not a step.
            ("two more", None),
            ("set it to 20 percent", None),
            ("open the window 30 percent", None),
        ] {
            assert_eq!(step_counted(said), step, "{said}");
        }
        let language = language();
        let half_open = |_: &str| Some(50.0);
        let settled =
            settled_by(|plan, said| step_as_said(plan, said, &language, Seat::Driver, half_open));
        // What the model shipped on 2026-11-24 planned for these, the window half open.
        assert_eq!(
            settled("set window my 10", "open it ten percent more"),
            "set window my +10"
        );
        assert_eq!(
            settled("set window my down", "10 percent less"),
            "set window my -10"
        );
        assert_eq!(
            settled("set volume all 15", "turn it up another 15 percent"),
            "set volume all 65"
        );
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
    fn a_request_changed_while_said_is_taken_back_or_read_as_corrected() {
        use ChangedWhileSaid::*;
        let meant = |said: &str| Some(Meant(said.to_owned()));
        for (said, changed) in [
            ("open the window, never mind", Some(TakenBack)),
            ("open the window never mind", Some(TakenBack)),
            ("turn on the AC, scratch that.", Some(TakenBack)),
            ("open the window... actually forget it", Some(TakenBack)),
            ("open the window, just kidding", Some(TakenBack)),
            (
                "close the sunroof, no wait, the windows",
                meant("close the windows"),
            ),
            (
                "Close the sunroof. No, wait. The windows.",
                meant("Close the windows"),
            ),
            ("turn the AC on, sorry, the fan", meant("turn the fan on")),
            (
                "turn on the AC, I mean turn on the fan",
                meant("turn on the fan"),
            ),
            (
                "set the temperature to 22, I mean 23",
                meant("set the temperature to 23"),
            ),
            (
                "set it to 22 degrees, no, make that 23",
                meant("set it to 23 degrees"),
            ),
            (
                "turn the volume up, no, down",
                meant("turn the volume down"),
            ),
            ("switch on the AC. Sorry, off.", meant("switch off the AC")),
            // "It" is what came before: the whole is the model's to read.
            ("open the window, actually make it halfway", None),
            ("open the window, no need", None),
            ("turn on the AC and no music", None),
            ("no, the other one", None),
            ("there's no need to open the window, never mind", None),
            ("Stop kicking my seat, please.", None),
            ("open the window, sorry", None),
        ] {
            assert_eq!(changed_while_said(said), changed, "{said}");
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
        ] {
            assert!(asks_what_was_done(asks), "{asks}");
        }
        for other in [
            "what did you say",
            "what did you do yesterday",
            "what can you do",
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

    #[test]
    fn a_number_said_of_it_is_the_open_cards() {
        let language = language();
        let catalog = vehicle::reference::catalog();
        let on = |card: &'static str| {
            let (language, catalog) = (&language, &catalog);
            settled_by(move |plan, said| {
                if card_as_the_subject(plan, said, card, language, catalog) {
                    hold_to_number_said(plan, said, language, catalog);
                }
            })
        };
        // What the model shipped on 2026-11-24 planned for these.
        assert_eq!(
            on("fan")("set temperature my min", "set it to 3"),
            "set fan my 60"
        );
        assert_eq!(
            on("volume")("set temperature my min", "set it to 5"),
            "set volume all 5"
        );
        assert_eq!(
            on("seat_heating")("set temperature my min", "set it to 2"),
            "set seat_heating my 66"
        );
        // Something named, a temperature, a step, no number, or no card: the plan stands.
        for (card, planned, said) in [
            ("fan", "set temperature my 22", "set the temperature to 22"),
            ("fan", "set temperature my 22", "make it 22"),
            ("fan", "set temperature my 72f", "set it to 72"),
            ("fan", "set temperature my min", "set the temperature to 5"),
            ("temperature", "set temperature my min", "set it to 5"),
            ("fan", "set volume all 30", "volume 30"),
            ("fan", "set temperature my up", "warmer"),
            ("fan", "set window my 0", "close it"),
            ("none", "set temperature my min", "set it to 3"),
            ("media", "set temperature my min", "set it to 3"),
        ] {
            assert_eq!(on(card)(planned, said), planned, "{card}: {said}");
        }
    }

    #[test]
    fn a_step_said_of_it_is_the_open_cards() {
        let language = language();
        let on = |card: &'static str| {
            let language = &language;
            settled_by(move |plan, said| {
                step_said_of_the_card(plan, said, card, None, language);
            })
        };
        // What the model shipped on 2026-11-24 planned for these.
        for (planned, said, meant) in [
            (
                "set volume all down",
                "turn it down",
                "set seat_heating my down",
            ),
            (
                "set temperature my up",
                "make it warmer",
                "set seat_heating my up",
            ),
            (
                "set temperature my down",
                "make it a bit cooler",
                "set seat_heating my down",
            ),
        ] {
            assert_eq!(on("seat_heating")(planned, said), meant, "{said}");
        }
        assert_eq!(
            on("fan")("set volume all up", "turn it up a bit"),
            "set fan my up"
        );
        // Something named, warmth of another card, a value, or no card: the plan stands.
        for (card, planned, said) in [
            (
                "seat_heating",
                "set temperature my up",
                "make the cabin warmer",
            ),
            ("volume", "set temperature my up", "make it warmer"),
            ("fan", "set temperature my 22", "make it 22"),
            ("fan", "set volume all up", "turn up the music"),
            ("none", "set volume all down", "turn it down"),
            ("media", "set volume all down", "turn it down"),
            ("seat_heating", "set volume all up", "a bit more"),
        ] {
            assert_eq!(on(card)(planned, said), planned, "{card}: {said}");
        }
        // The last turn's subject is what "it" means beside the card.
        let mut after_the_volume = plan("set volume all down");
        step_said_of_the_card(
            &mut after_the_volume,
            "turn it down a notch",
            "seat_heating",
            Some("volume"),
            &language,
        );
        assert_eq!(after_the_volume.to_string(), "set volume all down");
    }

    #[test]
    fn someone_too_cold_or_hot_in_the_back_is_the_backs_temperature() {
        let language = language();
        let settled = settled_by(|plan, said| rear_warmth_as_said(plan, said, &language));
        // What the model shipped on 2026-11-24 planned for these.
        for (said, step) in [
            ("grandma is freezing in the back", "up"),
            ("the kids in the back say they're cold", "up"),
            ("it's boiling back there", "down"),
        ] {
            assert_eq!(
                settled("none", said),
                format!("set temperature rear {step}"),
                "{said}"
            );
        }
        for said in [
            "my back is cold",
            "it's cold back home",
            "the kids in the back are fighting",
            "is it cold in the back",
            "the kids in the back aren't cold",
        ] {
            assert_eq!(settled("none", said), "none", "{said}");
        }
        // A step of the temperature elsewhere is moved to the back (the model cooled the
        // driver's side for the first); a plan of another kind stands.
        assert_eq!(
            settled("set temperature my down", "it's boiling back there"),
            "set temperature rear down"
        );
        assert_eq!(
            settled("set seat_heating rear on", "it's cold in the back seat"),
            "set seat_heating rear on"
        );
    }

    #[test]
    fn max_ac_cools_as_hard_as_it_can() {
        let language = language();
        let settled = settled_by(|plan, said| max_ac_as_said(plan, said, &language));
        // What the model shipped on 2026-11-24 planned for these.
        for said in [
            "max AC",
            "AC on full",
            "turn the air conditioning all the way up",
        ] {
            assert_eq!(
                settled("set ac all on", said),
                "set ac all on ; set temperature my min ; set fan my max",
                "{said}"
            );
        }
        // The AC alone, or more than the AC planned: the plan stands.
        assert_eq!(settled("set ac all on", "turn on the AC"), "set ac all on");
        assert_eq!(
            settled(
                "set ac all on ; set recirculation all on",
                "max cool, AC on and recirculation on"
            ),
            "set ac all on ; set recirculation all on"
        );
        assert_eq!(settled("set fan my max", "fan on max"), "set fan my max");
    }

    #[test]
    fn a_percentage_beside_the_ambient_light_is_its_brightness() {
        let settled = settled_by(|plan, said| {
            ambient_percent_as_said(plan, said);
        });
        // What the model shipped on 2026-12-06 planned for the first.
        assert_eq!(
            settled(
                "set ambient_color all red ; set fan my 30",
                "set ambient lighting to red and 30 percent"
            ),
            "set ambient_color all red ; set ambient_brightness all 30"
        );
        assert_eq!(
            settled(
                "set ambient_color all red ; set fan my 30",
                "ambient light red and the fan at 30 percent"
            ),
            "set ambient_color all red ; set fan my 30"
        );
        assert_eq!(
            settled("set fan my 30", "fan to 30 percent"),
            "set fan my 30"
        );
        // And a colour named beside it is its colour.
        let language = language();
        let colored = |model: &str, said: &str| {
            let mut plan = plan(model);
            ambient_color_as_said(&mut plan, said, &language);
            plan.to_string()
        };
        assert_eq!(
            colored(
                "set ambient_brightness all 60",
                "ambient lights green at 60 percent"
            ),
            "set ambient_brightness all 60 ; set ambient_color all green"
        );
        assert_eq!(
            colored("set ambient_light all on", "ambient light on in warm white"),
            "set ambient_light all on ; set ambient_color all warm_white"
        );
        for (model, said) in [
            (
                "set ambient_light all on ; set ambient_color all blue",
                "ambient light on, blue",
            ),
            ("set ambient_light all on", "ambient light on, red or blue"),
            ("set low_beam all on", "turn on the lights, the red car"),
            (
                "set ambient_brightness all down",
                "dim the ambient light, it's too red",
            ),
            (
                "set ambient_light all off",
                "turn the red ambient light off",
            ),
        ] {
            assert_eq!(colored(model, said), model, "{said}");
        }
    }

    #[test]
    fn a_number_said_as_a_setting_decides_the_value() {
        let language = language();
        let catalog = vehicle::reference::catalog();
        let held = |text: &str, said: &str| {
            let mut plan = plan(text);
            let decided = hold_to_number_said(&mut plan, said, &language, &catalog);
            (plan.to_string(), decided)
        };
        // What the model shipped on 2026-11-24 planned for these words.
        assert_eq!(
            held(
                "set temperature my 22 ; set fan my 90",
                "set the temperature to 22 and the fan to 3"
            ),
            ("set temperature my 22 ; set fan my 60".into(), vec![0, 1])
        );
        // The fan counts in five speeds: a small number is one of them, even where the
        // model read it as a percentage; one beyond them is the top speed.
        assert_eq!(
            held("set fan my max", "set the fan to 3"),
            ("set fan my 60".into(), vec![0])
        );
        assert_eq!(
            held("set fan my 3", "set the fan at 3"),
            ("set fan my 60".into(), vec![0])
        );
        // A number alone answers "How strong should the fan be?" (the model set the top).
        assert_eq!(
            held("set fan my max", "3"),
            ("set fan my 60".into(), vec![0])
        );
        assert_eq!(
            held("set fan my max", "Three."),
            ("set fan my 60".into(), vec![0])
        );
        assert_eq!(
            held("set fan my 3", "fan to 3 percent"),
            ("set fan my 3".into(), vec![0])
        );
        assert_eq!(
            held("set fan my 7", "fan to 7"),
            ("set fan my max".into(), vec![0])
        );
        assert_eq!(
            held("set fan my 30", "fan to 30"),
            ("set fan my 30".into(), vec![0])
        );
        // A number word alone, said as a setting, is a number; "two" before a value is "to".
        assert_eq!(
            held("set fan passenger 100", "set the passenger fan to four"),
            ("set fan passenger 80".into(), vec![0])
        );
        for (text, said) in [
            ("set fan my max", "set fan two full"),
            ("set volume all 20", "set the volume two twenty"),
            (
                "set ambient_brightness all 100",
                "accent lights at one hundred percent",
            ),
            ("set window my 0", "close one window"),
            ("set window all 0", "close the windows at one"),
        ] {
            assert_eq!(held(text, said), (text.into(), vec![]), "{said}");
        }
        assert_eq!(
            held("set fan my min", "fan on 1"),
            ("set fan my min".into(), vec![0])
        );
        assert_eq!(
            held("set seat_heating my 100", "seat heating to 3 percent"),
            ("set seat_heating my 3".into(), vec![0])
        );
        assert_eq!(
            held("set seat_heating my 66", "seat heating to level 2"),
            ("set seat_heating my 66".into(), vec![0])
        );
        assert_eq!(
            held("set seat_heating my max", "put my seat heater on 3"),
            ("set seat_heating my max".into(), vec![0])
        );
        // Beyond its three levels, its top one (the model planned 5 %); 50 is a percentage.
        assert_eq!(
            held("set seat_heating my 5", "set the seat heating to 5"),
            ("set seat_heating my max".into(), vec![0])
        );
        assert_eq!(
            held("set seat_heating my 50", "set the seat heating to 50"),
            ("set seat_heating my 50".into(), vec![0])
        );
        assert_eq!(
            held("set volume all 70", "turn the volume to 7"),
            ("set volume all 7".into(), vec![0])
        );
        assert_eq!(
            held("set temperature my min", "set the temperature to 100"),
            ("set temperature my max".into(), vec![0])
        );
        // Fahrenheit said is Fahrenheit kept: 70 °F is 21 °C, where the model's 72f is 22.
        assert_eq!(
            held("set temperature my 72f", "set 70 degrees fahrenheit"),
            ("set temperature my 70f".into(), vec![0])
        );
        assert_eq!(
            held("set temperature my 68f", "make it 68 fahrenheit"),
            ("set temperature my 68f".into(), vec![])
        );
        // Numbers that count or measure something else are not settings.
        for (text, said) in [
            ("set window all max", "open all 4 windows"),
            ("set window my max", "open the window for 5 minutes"),
            ("set window all 0", "close the 2 back windows"),
            ("set fan my up", "fan up by 20"),
        ] {
            assert_eq!(held(text, said), (text.into(), vec![]), "{said}");
        }
        // One number for two values pairs nothing.
        assert_eq!(
            held(
                "set window all 0 ; set temperature my 22",
                "close the windows and set 22"
            )
            .1,
            Vec::<usize>::new()
        );
    }

    #[test]
    fn the_rules_that_change_a_plan_agree_with_every_label() {
        // The held-out examples the shipped model was measured on and the hand-written
        // families it was taught from: wherever a rule decides a value, the labeller wrote the
        // same one, and no request the labeller wrote a change for is held back as a "don't",
        // so a rule never spoils a plan the model got right.
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        // Each with the seat that speaks: the driver's, but where a family fixes another. (The
        // held-out examples of the shipped model drew seat-relative phrases with random seats
        // and labels written from the driver's; the rules read them from the driver's too.)
        let mut labelled: Vec<(String, String, Seat, String)> = Vec::new();
        for file in ["test_families.jsonl", "test_random.jsonl"] {
            let path = format!("{root}/assets/model/eval/{file}");
            let text = std::fs::read_to_string(&path).expect("the shipped held-out examples");
            for line in text.lines() {
                let example: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
                let (Some(said), Some(label)) =
                    (example["utterance"].as_str(), example["plan"].as_str())
                else {
                    panic!("{path}: an example without utterance or plan: {line}");
                };
                // The card the example was drawn with: a rule that reads the card must agree
                // with follow-ups drawn beside one ("a bit more" after the fan, with the
                // sunroof's card open, is the fan's).
                let card = example["context"]["card"].as_str().unwrap_or("none");
                labelled.push((said.into(), label.into(), Seat::Driver, card.into()));
            }
        }
        let families = std::fs::read_dir(format!("{root}/training/data")).expect("training data");
        for entry in families {
            let path = entry.expect("a readable folder").path();
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a readable data file");
            let (mut label, mut seat, mut card) = (None, Seat::Driver, String::from("none"));
            for line in text.lines().map(str::trim) {
                if let Some(header) = line.strip_prefix("##") {
                    let parts: Vec<&str> = header.split('|').map(str::trim).collect();
                    label = parts.get(1).map(|plan| (*plan).to_owned());
                    seat = parts
                        .get(2)
                        .and_then(|context| {
                            context.split(',').find_map(|pair| {
                                let (key, value) = pair.split_once('=')?;
                                (key.trim() == "seat").then(|| value.trim().parse().ok())?
                            })
                        })
                        .unwrap_or(Seat::Driver);
                    card = parts
                        .get(2)
                        .and_then(|context| {
                            context.split(',').find_map(|pair| {
                                let (key, value) = pair.split_once('=')?;
                                (key.trim() == "card").then(|| value.trim().to_owned())
                            })
                        })
                        .unwrap_or_else(|| "none".into());
                } else if let Some(label) = label.as_ref().filter(|_| !line.starts_with('#')) {
                    if !line.is_empty() {
                        labelled.push((line.into(), label.clone(), seat, card.clone()));
                    }
                }
            }
        }
        let language = language();
        let catalog = vehicle::reference::catalog();
        let (mut fired, mut extremes, mut disagree) = (0, 0, Vec::new());
        for (said, label, seat, card) in &labelled {
            let mut held = plan(label);
            card_as_the_subject(&mut held, said, card, &language, &catalog);
            temperature_said_to_the_ac(&mut held, said, &language);
            max_ac_as_said(&mut held, said, &language);
            ambient_percent_as_said(&mut held, said);
            ambient_color_as_said(&mut held, said, &language);
            if !hold_to_number_said(&mut held, said, &language, &catalog).is_empty() {
                fired += 1;
            }
            level_named(&mut held, said, &language);
            // The car as it starts: the volume at 40 %, the fan at 30 %.
            step_as_said(&mut held, said, &language, Seat::Driver, |_: &str| {
                Some(40.0)
            });
            notches_as_said(&mut held, said, &language, Seat::Driver, |_: &str| {
                Some(40.0)
            });
            off_as_said(&mut held, said, &language);
            let lower = said.to_lowercase();
            let words: Vec<&str> = words_of(&lower).collect();
            if extreme_said(&words).is_some() && label.contains("temperature") {
                extremes += 1;
            }
            extreme_as_said(&mut held, said);
            wiper_speed_as_said(&mut held, said);
            turning_verb_as_said(&mut held, said);
            defrost_as_said(&mut held, said);
            fog_outside_as_said(&mut held, said);
            recirculation_as_said(&mut held, said);
            vent_as_said(&mut held, said);
            seat_said_from_the_speaker(&mut held, said, &language, *seat);
            side_said_in_the_row(&mut held, said, &language, *seat);
            cool_down_as_said(&mut held, said);
            volume_as_said(&mut held, said);
            music_volume_as_said(&mut held, said);
            all_lights_off_as_said(&mut held, said, &language);
            not_too_far_as_said(&mut held, said, &language);
            seat_temperature_as_said(&mut held, said);
            outside_as_said(&mut held, said);
            speed_limit_as_said(&mut held, said, &language);
            warmth_as_said(&mut held, said, &language);
            darkness_as_said(&mut held, said);
            trip_as_said(&mut held, said, &language);
            automatic_climate_as_said(&mut held, said, &language);
            leaving_as_said(&mut held, said, &language);
            asleep_as_said(&mut held, said, &language);
            rear_warmth_as_said(&mut held, said, &language);
            units_as_said(&mut held, said, &language);
            high_beams_as_said(&mut held, said, &language);
            temperature_asked_bare(&mut held, said, &language);
            airflow_asked_as_said(&mut held, said, &language);
            if let Some(left_out) = seats_left_out(said, *seat)
                && !left_out.alone
            {
                leave_out(&mut held, &language, *seat, &left_out.seats);
            }
            match changed_while_said(said) {
                Some(ChangedWhileSaid::TakenBack) if acts(&held) => disagree.push(format!(
                    "{said:?}: label {label}, but the words take it back"
                )),
                _ => {}
            }
            if later_said(said) && acts(&held) {
                disagree.push(format!(
                    "{said:?}: label {label}, but the words ask for later"
                ));
            }
            if only_approves(said) && acts(&held) {
                disagree.push(format!(
                    "{said:?}: label {label}, but the words only approve"
                ));
            }
            let start = |path: &str| catalog.get(path)?.default().as_f64();
            turned_as_said(&mut held, said, &language, Seat::Driver, start);
            complaint_closes(&mut held, said, &language, Seat::Driver, start);
            if turns_against(&held, said, &language, Seat::Driver, start) {
                disagree.push(format!(
                    "{said:?}: label {label}, but the words turn it the other way"
                ));
            }
            if acts(&held)
                && (negation_said(said) != Negation::None
                    || enough_said(&held, said) != Enough::Fine)
            {
                disagree.push(format!("{said:?}: label {label}, but the words say not to"));
            }
            if held.to_string() != plan(label).to_string() {
                disagree.push(format!("{said:?}: label {label}, rule {held}"));
            }
        }
        eprintln!(
            "{} labels: numbers said decided {fired}, extremes named {extremes}",
            labelled.len()
        );
        assert!(labelled.len() > 9_000, "{} labels", labelled.len());
        assert!(fired > 100, "the rule should fire on numbers said: {fired}");
        assert!(
            extremes > 10,
            "the rule should fire on extremes named: {extremes}"
        );
        assert!(disagree.is_empty(), "{}", disagree.join("\n"));
    }

    #[test]
    fn a_level_named_for_the_seats_is_that_level() {
        let settled = |model: &str, said: &str| {
            let mut plan = plan(model);
            let decided = level_named(&mut plan, said, &language());
            (plan.to_string(), decided)
        };
        // What the model shipped on 2026-11-24 planned for these words.
        assert_eq!(
            settled("set seat_heating my down", "seat heating on low"),
            ("set seat_heating my 33".into(), vec![0])
        );
        assert_eq!(
            settled(
                "set seat_cooling passenger down",
                "passenger seat cooling low"
            )
            .0,
            "set seat_cooling passenger 33"
        );
        assert_eq!(
            settled("set seat_heating my 20", "turn the seat heating to low").0,
            "set seat_heating my 33"
        );
        assert_eq!(
            settled("set seat_cooling my 80", "seat ventilation on high").0,
            "set seat_cooling my max"
        );
        assert_eq!(
            settled(
                "set seat_heating front 20",
                "heated seats low for both of us"
            )
            .0,
            "set seat_heating front 33"
        );
        // Already right: decided all the same, so the model's doubt about it is set aside.
        assert_eq!(
            settled("set seat_heating my on", "set my seat heater to medium"),
            ("set seat_heating my 66".into(), vec![0])
        );
        assert_eq!(
            settled("set seat_heating my max", "heat my seat on high"),
            ("set seat_heating my max".into(), vec![0])
        );
        // One each, in order.
        assert_eq!(
            settled(
                "set seat_heating driver max ; set seat_heating passenger 20",
                "driver seat heat high and passenger seat heat low",
            ),
            (
                "set seat_heating driver max ; set seat_heating passenger 33".into(),
                vec![0, 1]
            )
        );
        // Only functions with levels; a level for each or one for all; not a complaint;
        // not "off".
        for (model, said) in [
            ("set fan my 20", "turn the fan on low"),
            (
                "set seat_heating my 33 ; set fan my 80",
                "seat heating low and the fan high",
            ),
            ("set seat_heating my up", "my seat heating is too low"),
            (
                "set seat_heating my on ; set fan my 80",
                "heat my seat and put the fan on high",
            ),
            (
                "set seat_heating driver max ; set seat_heating passenger 20",
                "driver high, passenger low, rear medium",
            ),
            (
                "set seat_heating my up",
                "the seat heating is low, turn it up",
            ),
            (
                "set seat_heating my off",
                "the battery is low, seat heating off",
            ),
        ] {
            assert_eq!(settled(model, said).0, model, "{said}");
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
