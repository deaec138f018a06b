//! Requests kept for a set time from now ("close the windows in five minutes"), what to put
//! back after a while ("open my window for five minutes"), reminders and timers; and the words
//! about them: what waits ("what's scheduled?"), what to call off ("don't close the windows
//! after all"), how long ("start a 10 minute timer").
//!
//! The list is shared: the agent adds to it and does what is due, the dashboard lists it and
//! cancels an entry at a tap without waiting for the agent to finish a turn (a tap is not a
//! request to read, so it need not queue behind one).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;
use vehicle::{Seat, Value};

/// A request for a set time from now, or what to put back after a while, kept until then.
#[derive(Clone, Debug)]
pub(super) struct Scheduled {
    pub id: u64,
    pub due: Instant,
    /// How long it was asked to wait, for the reply then.
    pub wait: Duration,
    /// The time of day it was asked for, as said back ("5 pm"), when it was.
    pub at: Option<String>,
    pub seat: Seat,
    /// The request without its time ("turn off the seat heating").
    pub request: String,
    /// The plan of the turn before it, and who spoke that turn: it is read then as it was
    /// read when asked ("close it in ten minutes" after "open the sunroof").
    pub after: (String, Seat),
    /// What will be done, as a reply says it after "I'll" ("turn off seat heating", "put back
    /// the window on the passenger side").
    pub what: String,
    /// For a request for a while, the values it changed, to put back; empty for a request for
    /// later.
    pub put_back: Vec<(String, Value)>,
    /// For a reminder or a timer, what is said when it is due: nothing is done then.
    pub says: Option<String>,
    /// Done when the car stands still ("when we stop"), not at a time: `due` is then when
    /// to look again.
    pub on_stop: bool,
}

/// How often a request for when the car stops looks whether it has.
const LOOK_FOR_A_STOP: Duration = Duration::from_millis(500);

/// A reminder or a timer asked for with a time ("remind me to close the windows in ten
/// minutes", "set a timer for five minutes"): the car does nothing then but say so.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Reminder {
    /// "Remind me to close the windows": how it was asked ("to", "about", or nothing) and
    /// what to remind of.
    Of(&'static str, String),
    Timer,
}

/// How long a timer said with its length is: "start a 10 minute timer", "a five-minute
/// timer".
pub(super) fn timer_length(utterance: &str) -> Option<Duration> {
    let words = length_words(utterance);
    let at = words.iter().position(|w| *w == "timer")?;
    // The words just before "timer": "10 minute", "a couple of minutes".
    (1..=at.min(4)).find_map(|n| length(&words[at - n..at]))
}

/// A length of time said alone: "five minutes", "in half an hour", "for 10 minutes please"
/// (the answer to "For how long?").
pub(super) fn length_alone(utterance: &str) -> Option<Duration> {
    let words: Vec<&str> = length_words(utterance)
        .into_iter()
        .filter(|w| {
            !matches!(
                *w,
                "in" | "for"
                    | "after"
                    | "about"
                    | "just"
                    | "please"
                    | "uh"
                    | "um"
                    | "maybe"
                    | "say"
                    | "like"
                    | "okay"
                    | "ok"
                    | "make"
                    | "it"
            )
        })
        .collect();
    length(&words)
}

fn length_words(utterance: &str) -> Vec<&str> {
    utterance
        .split(|c: char| !c.is_alphanumeric() && c != '.')
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The length `words` say, all of them: an amount ("a", "half an", "a couple of", "five",
/// "10") and a unit; at most twelve hours.
fn length(words: &[&str]) -> Option<Duration> {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    let (unit, amount) = lower.split_last()?;
    let seconds = match *unit {
        "second" | "seconds" | "sec" | "secs" => 1.0,
        "minute" | "minutes" | "min" | "mins" => 60.0,
        "hour" | "hours" => 3600.0,
        _ => return None,
    };
    let n = match amount {
        ["a" | "an"] => 1.0,
        ["half", "a" | "an"] => 0.5,
        ["a", "couple", "of"] | ["couple", "of"] => 2.0,
        ["a", "few"] => 3.0,
        [n] => super::words::step_number(n)?,
        _ => return None,
    };
    let wait = n * seconds;
    (wait > 0.0 && wait <= 12.0 * 3600.0).then(|| Duration::from_secs_f64(wait))
}

/// The reminder or timer `request` (said without its time) asks for.
pub(super) fn reminder_said(request: &str) -> Option<Reminder> {
    let lower = request.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    if let Some(at) = words.windows(2).position(|w| w == ["remind", "me"]) {
        let mut what = &words[at + 2..];
        let mut how = "";
        if let [first, rest @ ..] = what {
            how = match *first {
                "to" => "to",
                "about" | "of" => "about",
                "that" => "that",
                _ => "",
            };
            if !how.is_empty() {
                what = rest;
            }
        }
        let what: Vec<&str> = what
            .iter()
            .copied()
            .filter(|w| !matches!(*w, "please"))
            .collect();
        return Some(match what.as_slice() {
            [] => Reminder::Timer,
            what => Reminder::Of(how, what.join(" ")),
        });
    }
    words
        .iter()
        // Not "alarm": an alarm is for waking up ("set an alarm for 7am"), not for the car.
        .any(|w| matches!(*w, "timer" | "countdown"))
        .then_some(Reminder::Timer)
}

/// One request waiting for its time, as the dashboard lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiting {
    /// Names it for [`Schedule::cancel`].
    pub id: u64,
    /// Who asked for it.
    pub seat: Seat,
    /// What will be done, in a few words ("turn off seat heating").
    pub what: String,
    /// How long until then.
    pub due_in: Duration,
    /// The time of day it was asked for ("5 pm"), when it was.
    pub at: Option<String>,
    /// It waits for the car to stop, not for a time (`due_in` says nothing then).
    pub on_stop: bool,
}

impl Waiting {
    /// When it is for, as said after "I'll close the windows": "in 10 minutes", "at 5 pm",
    /// "when we stop".
    pub fn when(&self) -> String {
        if self.on_stop {
            return "when we stop".into();
        }
        // Said to the minute: "in 7.9 minutes" is what the clock says, not a person.
        let secs = self.due_in.as_secs_f64();
        let rounded = if secs < 90.0 {
            secs.ceil()
        } else {
            (secs / 60.0).round() * 60.0
        };
        match &self.at {
            Some(at) => format!("at {at}"),
            None => super::in_words(Duration::from_secs_f64(rounded)),
        }
    }
}

/// The requests waiting for their time: one list, shared by the agent and the dashboard.
#[derive(Clone, Default)]
pub struct Schedule {
    inner: Arc<Mutex<Kept>>,
}

#[derive(Default)]
struct Kept {
    next_id: u64,
    scheduled: Vec<Scheduled>,
}

impl Schedule {
    /// What waits, soonest first.
    pub fn waiting(&self) -> Vec<Waiting> {
        let now = Instant::now();
        let mut waiting: Vec<Waiting> = self
            .lock()
            .scheduled
            .iter()
            .map(|s| Waiting {
                id: s.id,
                seat: s.seat,
                what: s.what.clone(),
                due_in: s.due.saturating_duration_since(now),
                at: s.at.clone(),
                on_stop: s.on_stop,
            })
            .collect();
        waiting.sort_by_key(|w| w.due_in);
        waiting
    }

    /// Drops the request `id`; what it was, or None when it is done or gone already.
    pub fn cancel(&self, id: u64) -> Option<Waiting> {
        let now = Instant::now();
        let mut kept = self.lock();
        let at = kept.scheduled.iter().position(|s| s.id == id)?;
        let s = kept.scheduled.remove(at);
        tracing::info!(request = %s.request, "a request for later is cancelled");
        Some(Waiting {
            id: s.id,
            seat: s.seat,
            what: s.what,
            due_in: s.due.saturating_duration_since(now),
            at: s.at,
            on_stop: s.on_stop,
        })
    }

    /// Keeps `scheduled` (its id given here); the id.
    pub(super) fn keep(&self, mut scheduled: Scheduled) -> u64 {
        let mut kept = self.lock();
        kept.next_id += 1;
        scheduled.id = kept.next_id;
        kept.scheduled.push(scheduled);
        kept.next_id
    }

    /// Takes out `id`, whole.
    pub(super) fn take(&self, id: u64) -> Option<Scheduled> {
        let mut kept = self.lock();
        let at = kept.scheduled.iter().position(|s| s.id == id)?;
        Some(kept.scheduled.remove(at))
    }

    /// Takes out those that `named` calls off: every one that fits when it names a thing or
    /// says "all", otherwise ("never mind what I asked for later") the one kept last.
    /// Of several that fit, those `seat` asked for, if any: the passenger's "cancel the seat
    /// heating" is their own, not the driver's too.
    pub(super) fn call_off(&self, named: &Named, seat: Seat) -> Vec<Scheduled> {
        let mut kept = self.lock();
        let fits: Vec<&Scheduled> = kept
            .scheduled
            .iter()
            .filter(|s| named.fits(&s.request) || named.fits(&s.what))
            .collect();
        let own = fits.iter().any(|s| s.seat == seat);
        let mut fitting: Vec<u64> = fits
            .iter()
            .filter(|s| named.every || !own || s.seat == seat)
            .map(|s| s.id)
            .collect();
        if !named.names_a_thing() && !named.every {
            fitting = fitting.into_iter().max().into_iter().collect();
        }
        let (off, left) = std::mem::take(&mut kept.scheduled)
            .into_iter()
            .partition(|s| fitting.contains(&s.id));
        kept.scheduled = left;
        off
    }

    /// When the next one is due.
    pub fn next_due(&self) -> Option<Instant> {
        self.lock().scheduled.iter().map(|s| s.due).min()
    }

    /// Takes out the one due first, if one is due at `now`; one for when the car stops is due
    /// when it `stands`, and otherwise looks again a little later.
    pub(super) fn take_due(&self, now: Instant, stands: bool) -> Option<Scheduled> {
        let mut kept = self.lock();
        for s in kept.scheduled.iter_mut() {
            if s.on_stop && !stands && s.due <= now {
                s.due = now + LOOK_FOR_A_STOP;
            }
        }
        let at = (0..kept.scheduled.len())
            .filter(|&i| kept.scheduled[i].due <= now)
            .min_by_key(|&i| kept.scheduled[i].due)?;
        Some(kept.scheduled.remove(at))
    }

    fn lock(&self) -> MutexGuard<'_, Kept> {
        // Nothing in here can be left half-changed by a panic: keep going with it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What is said about the requests waiting: a question about them, or calling some off.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum AboutLater {
    /// "What did I ask for later?", "is anything scheduled?", "when will you close the windows?"
    Asks,
    /// "Cancel the window thing", "don't close the windows after all", "never mind what I
    /// asked for later".
    CallsOff(Named),
}

/// What a request to call something off names: its things ("window", "seat heating" as
/// "seat", "heating") and which way ("close"), each without a plural's "s".
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Named {
    things: Vec<String>,
    ways: Vec<String>,
    /// "All", "everything": every one that fits.
    every: bool,
    /// A word for later was said ("later", "after all", "timer"): it is about what waits even
    /// when nothing fits.
    pub later: bool,
}

/// Words that say which way a request goes: two requests that name different ones of these
/// are different requests ("don't open the window" is not about closing it later).
const WAYS: &[&str] = &["open", "close", "lock", "unlock", "on", "off", "up", "down"];

/// Words that name neither a thing nor a way.
const NEITHER: &[&str] = &[
    "the",
    "a",
    "an",
    "my",
    "your",
    "our",
    "his",
    "her",
    "their",
    "me",
    "i",
    "you",
    "it",
    "that",
    "this",
    "those",
    "these",
    "them",
    "please",
    "to",
    "of",
    "for",
    "about",
    "with",
    "what",
    "asked",
    "ask",
    "said",
    "later",
    "after",
    "all",
    "everything",
    "anything",
    "timer",
    "timers",
    "scheduled",
    "planned",
    "reminder",
    "cancel",
    "never",
    "mind",
    "nevermind",
    "forget",
    "dont",
    "do",
    "not",
    "no",
    "need",
    "scrap",
    "call",
    "abort",
    "skip",
    "turn",
    "turning",
    "switch",
    "switching",
    "set",
    "setting",
    "put",
    "putting",
    "make",
    "and",
    "too",
    "thing",
    "things",
    "one",
    "ones",
    "actually",
    "okay",
    "ok",
    "hey",
    "just",
    "again",
    "back",
    "then",
    "now",
    "wait",
    "oh",
    "so",
    "well",
    "instead",
    "is",
    "be",
    "will",
    "would",
    "going",
    "was",
    "were",
    "in",
    "at",
    "side",
    "driver",
    "drivers",
    "passenger",
    "passengers",
    "front",
    "rear",
    "left",
    "right",
    "every",
    "both",
    "fully",
    "way",
];

/// Lower-cased words without apostrophes ("don't" is "dont"), each as one word would name a
/// thing: "windows" is "window", "closing" is "close".
fn plain_words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['\'', '\u{2019}'], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "opening" => "open".to_owned(),
            "closing" => "close".to_owned(),
            "locking" => "lock".to_owned(),
            "unlocking" => "unlock".to_owned(),
            // As the replies name them: "the air conditioning", "the trunk".
            "ac" | "aircon" => "conditioning".to_owned(),
            "boot" => "trunk".to_owned(),
            w if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") => {
                w[..w.len() - 1].to_owned()
            }
            w => w.to_owned(),
        })
        .collect()
}

impl Named {
    /// What `text` names.
    fn in_text(text: &str) -> Named {
        let words = plain_words(text);
        Named {
            things: words
                .iter()
                .filter(|w| !NEITHER.contains(&w.as_str()) && !WAYS.contains(&w.as_str()))
                .cloned()
                .collect(),
            ways: words
                .iter()
                .filter(|w| WAYS.contains(&w.as_str()))
                .cloned()
                .collect(),
            every: words
                .iter()
                .any(|w| matches!(w.as_str(), "all" | "everything" | "every" | "both")),
            later: false,
        }
    }

    /// Whether the request `request` (as it was said) is one this names: one of its things,
    /// and no other way. Naming nothing fits any request.
    pub fn fits(&self, request: &str) -> bool {
        let other = Named::in_text(request);
        let same_thing =
            self.things.is_empty() || self.things.iter().any(|t| other.things.contains(t));
        let other_way = !self.ways.is_empty()
            && !other.ways.is_empty()
            && !self.ways.iter().any(|w| other.ways.contains(w));
        same_thing && !other_way
    }

    /// Whether it names a thing at all.
    pub fn names_a_thing(&self) -> bool {
        !self.things.is_empty()
    }
}

/// Which of the requests just listed ("what's scheduled?") the words call off.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Listed {
    /// "Cancel that", "never mind": the one listed, or asked which where there were several.
    It,
    /// "Cancel all of them", "both".
    All,
    /// "Cancel the second one", "the first": counted from 0 in the order listed.
    Nth(usize),
    /// "The last one".
    Last,
}

/// What the words call off of a list of waiting requests just said: "cancel that", "cancel
/// the first one", "the second one", "never mind both". The model, with no list to read,
/// paused the music for "cancel the first one" (0.56).
pub(super) fn listed_called_off(utterance: &str) -> Option<Listed> {
    const CALLING_OFF: &[&str] = &[
        "cancel",
        "forget",
        "scrap",
        "abort",
        "drop",
        "remove",
        "delete",
        "never",
        "nevermind",
        "off",
        "dont",
    ];
    let words = plain_words(utterance);
    if words.is_empty() || words.len() > 7 {
        return None;
    }
    let has = |options: &[&str]| words.iter().any(|w| options.contains(&w.as_str()));
    let nth = words.iter().find_map(|w| match w.as_str() {
        "first" | "1st" => Some(Listed::Nth(0)),
        "second" | "2nd" => Some(Listed::Nth(1)),
        "third" | "3rd" => Some(Listed::Nth(2)),
        "fourth" | "4th" => Some(Listed::Nth(3)),
        "last" | "latter" => Some(Listed::Last),
        "former" => Some(Listed::Nth(0)),
        _ => None,
    });
    let all = has(&["all", "both", "everything", "them", "those"]);
    // "Both", "all of them": the answer to "Which one should I call off?"
    let calls_off = has(CALLING_OFF)
        || words.iter().all(|w| {
            matches!(
                w.as_str(),
                "all" | "both" | "of" | "them" | "those" | "everything" | "please"
            )
        });
    match (nth, all, calls_off) {
        (Some(which), _, _) => Some(which),
        (None, true, true) => Some(Listed::All),
        (None, false, true) => Some(Listed::It),
        _ => None,
    }
}

/// What `utterance` says about the requests waiting, if anything. Calling off needs a word
/// for it ("cancel", "never mind", "don't"…) and either a word for later ("later", "after
/// all", "timer") or a thing named: "never mind" alone ends the exchange at hand, not a
/// request for later.
pub(super) fn about_later(utterance: &str) -> Option<AboutLater> {
    let words = plain_words(utterance);
    let has = |w: &str| words.iter().any(|x| x == w);
    let pair = |a: &str, b: &str| words.windows(2).any(|p| p[0] == a && p[1] == b);
    let later = has("later")
        || has("timer")
        || has("scheduled")
        || has("planned")
        || has("reminder")
        || has("pending")
        || pair("after", "all")
        || pair("i", "asked");
    let calls_off = has("cancel")
        || pair("never", "mind")
        || has("nevermind")
        || has("forget")
        || has("scrap")
        || has("abort")
        || pair("call", "off")
        || has("dont")
        || pair("do", "not")
        || pair("no", "need");
    if calls_off {
        let named = Named {
            later,
            ..Named::in_text(utterance)
        };
        return (later || named.names_a_thing()).then_some(AboutLater::CallsOff(named));
    }
    let asking = words.first().is_some_and(|w| {
        matches!(
            w.as_str(),
            "what"
                | "whats"
                | "anything"
                | "is"
                | "are"
                | "do"
                | "did"
                | "any"
                | "list"
                | "tell"
                | "show"
                | "which"
                | "when"
        )
    });
    let waits = later || has("waiting") || has("queued");
    let when_will = has("when") && (pair("will", "you") || pair("are", "you"));
    (asking && (waits || when_will)).then_some(AboutLater::Asks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(wait_s: u64, what: &str) -> Scheduled {
        Scheduled {
            id: 0,
            due: Instant::now() + Duration::from_secs(wait_s),
            wait: Duration::from_secs(wait_s),
            at: None,
            seat: Seat::Driver,
            request: what.into(),
            after: ("none".into(), Seat::Driver),
            what: what.into(),
            put_back: Vec::new(),
            says: None,
            on_stop: false,
        }
    }

    #[test]
    fn what_is_called_off_of_a_list_is_read_by_its_place_or_all() {
        for (said, which) in [
            ("cancel that", Listed::It),
            ("never mind", Listed::It),
            ("cancel the first one", Listed::Nth(0)),
            ("the second one", Listed::Nth(1)),
            ("drop the last one please", Listed::Last),
            ("cancel all of them", Listed::All),
            ("forget both", Listed::All),
            ("both", Listed::All),
            ("all of them", Listed::All),
        ] {
            assert_eq!(listed_called_off(said), Some(which), "{said}");
        }
        for other in ["open the window", "thanks", "okay"] {
            assert_eq!(listed_called_off(other), None, "{other}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_for_when_the_car_stops_waits_while_it_moves() {
        let schedule = Schedule::default();
        let trunk = schedule.keep(Scheduled {
            on_stop: true,
            ..request(0, "open the trunk")
        });
        assert_eq!(schedule.waiting()[0].when(), "when we stop");
        // Moving: not due, and looked at again a little later.
        assert!(schedule.take_due(Instant::now(), false).is_none());
        let next = schedule.next_due().expect("it waits");
        assert_eq!(next, Instant::now() + LOOK_FOR_A_STOP);
        tokio::time::advance(LOOK_FOR_A_STOP).await;
        assert_eq!(
            schedule.take_due(Instant::now(), true).map(|s| s.id),
            Some(trunk)
        );
    }

    #[test]
    fn calling_off_needs_a_word_for_later_or_a_thing_named() {
        let calls_off = |text: &str| match about_later(text) {
            Some(AboutLater::CallsOff(named)) => Some(named),
            _ => None,
        };
        // "Never mind" alone ends the exchange at hand.
        assert_eq!(calls_off("never mind"), None);
        assert_eq!(calls_off("forget it"), None);
        let named = calls_off("never mind what I asked for later").expect("called off");
        assert!(!named.names_a_thing());
        assert!(named.fits("close the windows"));
        let windows = calls_off("don't close the windows after all").expect("called off");
        assert!(windows.fits("close all the windows"));
        assert!(!windows.fits("turn off the seat heating"));
        // Another way is another request.
        let open = calls_off("don't open the window").expect("a thing named");
        assert!(!open.fits("close the windows"));
        assert!(open.fits("open my window"));
        let seat = calls_off("cancel the seat heating timer").expect("called off");
        assert!(seat.fits("turn the seat heating off"));
        assert!(calls_off("cancel everything later").is_some_and(|n| n.every && n.later));
        assert!(
            calls_off("forget the AC").is_some_and(|n| n.fits("turn off the air conditioning"))
        );
        // A question is not a request to call off.
        assert_eq!(
            about_later("what did I ask for later?"),
            Some(AboutLater::Asks)
        );
        assert_eq!(about_later("is anything scheduled"), Some(AboutLater::Asks));
        assert_eq!(
            about_later("when will you close the windows"),
            Some(AboutLater::Asks)
        );
        assert_eq!(about_later("what's the temperature"), None);
        assert_eq!(about_later("close the windows"), None);
    }

    #[test]
    fn a_reminder_says_what_of_and_a_timer_nothing() {
        assert_eq!(
            reminder_said("remind me to close the windows"),
            Some(Reminder::Of("to", "close the windows".into()))
        );
        assert_eq!(
            reminder_said("please remind me about the parking meter"),
            Some(Reminder::Of("about", "the parking meter".into()))
        );
        assert_eq!(reminder_said("set a timer"), Some(Reminder::Timer));
        assert_eq!(reminder_said("remind me"), Some(Reminder::Timer));
        assert_eq!(reminder_said("close the windows"), None);
        assert_eq!(
            timer_length("start a 10 minute timer"),
            Some(Duration::from_secs(600))
        );
        assert_eq!(
            timer_length("a five-minute timer please"),
            Some(Duration::from_secs(300))
        );
        assert_eq!(timer_length("set a timer"), None);
        assert_eq!(length_alone("5 minutes"), Some(Duration::from_secs(300)));
        assert_eq!(
            length_alone("in half an hour please"),
            Some(Duration::from_secs(1800))
        );
        assert_eq!(length_alone("close the windows"), None);
    }

    #[tokio::test(start_paused = true)]
    async fn what_waits_is_listed_soonest_first_and_a_cancelled_one_is_never_due() {
        let schedule = Schedule::default();
        let windows = schedule.keep(request(300, "close all the windows"));
        let seat = schedule.keep(request(60, "turn off seat heating"));
        let listed: Vec<(u64, u64)> = schedule
            .waiting()
            .iter()
            .map(|w| (w.id, w.due_in.as_secs()))
            .collect();
        assert_eq!(listed, [(seat, 60), (windows, 300)]);
        assert_eq!(
            schedule.cancel(windows).map(|w| w.what),
            Some("close all the windows".to_owned())
        );
        assert_eq!(schedule.cancel(windows), None);
        tokio::time::advance(Duration::from_secs(600)).await;
        let due = schedule.take_due(Instant::now(), false).map(|s| s.id);
        assert_eq!(due, Some(seat));
        assert!(schedule.take_due(Instant::now(), false).is_none());
        assert!(schedule.next_due().is_none());
    }
}
