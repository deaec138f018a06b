//! When a request is for: a set time from now ("in ten minutes"), a while ("for five
//! minutes"), a time of day ("at 5 pm"), a time the car cannot know ("when we get home"),
//! and a request for now said together with one for later. The agent takes the time out
//! before the model reads the request, which it read badly (it did "close the windows in 5
//! minutes" at once, or not at all), and keeps the rest for then (`later.rs`).

use super::words::{step_number, without_apostrophes, words_of};

/// Whether a time said is when to do a request or how long it lasts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Timing {
    /// "In ten minutes", "after ten minutes", "ten minutes from now".
    Later,
    /// "For ten minutes": now, and put back then.
    For,
    /// How long something has been, said beside a request or a complaint ("it's been cold for
    /// ten minutes"): no setting, and the model read the ten as one (16 °C).
    Aside,
}

/// A time said with a request, and the request without it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct TimeSaid {
    pub timing: Timing,
    pub wait: std::time::Duration,
    /// "Turn off the seat heating in ten minutes" without "in ten minutes".
    pub rest: String,
}

/// The time a request is for: "turn off the seat heating in ten minutes" is ten minutes from
/// now, "open the window for five minutes" is now for five minutes (only after a request that
/// starts with what to do: "it's been cold for ten minutes" says how long, aside). The
/// time is said in seconds, minutes or hours: as a number, a number word up to fifty, "a",
/// "an", "a couple of", "a few" (three) or "half an"; at most twelve hours.
pub(super) fn time_said(utterance: &str) -> Option<TimeSaid> {
    const DOING: &[&str] = &[
        "open", "close", "turn", "switch", "put", "set", "crank", "roll", "lower", "raise", "heat",
        "cool", "start", "play", "run", "leave", "keep", "vent", "crack", "make", "give", "blast",
        "pop", "warm", "light", "dim", "mute",
    ];
    const ASKING: &[&str] = &[
        "please", "can", "could", "would", "will", "you", "just", "hey", "ok", "okay", "and",
    ];
    // ASCII lowering keeps every byte where it was, so the spans cut `utterance`.
    let lower = utterance.to_ascii_lowercase();
    let spans = word_spans(&lower);
    let word = |k: usize| spans.get(k).map(|&(a, b)| &lower[a..b]);
    for i in 0..spans.len() {
        // "In ten minutes", "after ten minutes", "for ten minutes", or "ten minutes from now"
        // (`i` before it).
        let mut timing = match word(i) {
            Some("for") => Timing::For,
            _ => Timing::Later,
        };
        let from_now = !matches!(word(i), Some("in" | "after" | "for"));
        let number = |w: Option<&str>| w.and_then(step_number);
        let amount: Option<(f64, usize)> = match (word(i + 1), word(i + 2), word(i + 3)) {
            // "In 5 or 10 minutes": the later.
            (first, Some("or"), second) if number(first).is_some() && number(second).is_some() => {
                number(second).map(|n| (n, 3))
            }
            (Some("a"), Some("couple"), Some("of")) => Some((2.0, 3)),
            (Some("a"), Some("few"), _) => Some((3.0, 2)),
            (Some("half"), Some("an" | "a"), _) => Some((0.5, 2)),
            (Some("a" | "an"), _, _) => Some((1.0, 1)),
            (Some(n), _, _) => step_number(n).map(|n| (n, 1)),
            _ => None,
        };
        let Some((amount, len)) = amount else {
            continue;
        };
        let unit = i + 1 + len;
        let seconds = match word(unit) {
            Some("second" | "seconds" | "sec" | "secs") => 1.0,
            Some("minute" | "minutes" | "min" | "mins") => 60.0,
            Some("hour" | "hours") => 3600.0,
            _ => continue,
        };
        // "In a minute or two": the later; "in ten minutes or so".
        let (amount, unit_end) = match (word(unit + 1), word(unit + 2)) {
            (Some("or"), Some("so")) => (amount, unit + 2),
            (Some("or"), more) if number(more).is_some() && len == 1 => {
                (number(more).unwrap_or(amount).max(amount), unit + 2)
            }
            _ => (amount, unit),
        };
        let said_from_now = matches!(
            (word(unit_end + 1), word(unit_end + 2)),
            (Some("from"), Some("now"))
        );
        if (from_now || timing == Timing::For) && said_from_now != from_now {
            continue;
        }
        if timing == Timing::For {
            let first = (0..i).filter_map(word).find(|w| !ASKING.contains(w));
            if !first.is_some_and(|w| DOING.contains(&w)) {
                timing = Timing::Aside;
            }
        }
        // "Put the windows up in a sec" means soon, not a second from now: it is done now.
        if word(i) == Some("in") && word(i + 1) == Some("a") && seconds == 1.0 {
            timing = Timing::Aside;
        }
        let wait = amount * seconds;
        if !(wait > 0.0 && wait <= 12.0 * 3600.0) {
            return None;
        }
        let (cut_from, cut_to) = match (from_now, said_from_now) {
            (true, _) => (spans[i + 1].0, spans[unit_end + 2].1),
            (false, true) => (spans[i].0, spans[unit_end + 2].1),
            (false, false) => (spans[i].0, spans[unit_end].1),
        };
        let rest = format!("{} {}", &utterance[..cut_from], &utterance[cut_to..]);
        let rest = rest
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .trim_matches(|c: char| c == ',' || c == ' ')
            .replace(" ,", ",")
            .replace(" .", ".");
        // "Turn on the AC for ten minutes, then turn it off": putting it back is what "for"
        // does already (the model switched the fan on for the rest).
        let rest = if timing == Timing::For {
            without_putting_back(&rest)
        } else {
            rest
        };
        if !rest.chars().any(char::is_alphanumeric) {
            return None;
        }
        return Some(TimeSaid {
            timing,
            wait: std::time::Duration::from_secs_f64(wait),
            rest,
        });
    }
    None
}

/// A time of day said with a request: "close the sunroof at 5 pm", "at 17:30", "at half
/// past six" is not (said as a number with am or pm, o'clock, or hours and minutes; "noon",
/// "midnight"). The wait from `now` until then (today or, once past, tomorrow), the request
/// without it, and the time as a reply says it ("5 pm", "17:30").
pub(super) fn clock_said(utterance: &str, now: chrono::NaiveTime) -> Option<(TimeSaid, String)> {
    use chrono::Timelike;
    let lower = utterance.to_ascii_lowercase();
    // Words with the characters a time is written with ("5:30", "p.m.", "o'clock").
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in lower.char_indices().chain([(lower.len(), ' ')]) {
        let part = c.is_alphanumeric() || matches!(c, ':' | '.' | '\'');
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                spans.push((from, i));
                start = None;
            }
            _ => {}
        }
    }
    let word = |k: usize| {
        spans
            .get(k)
            .map(|&(a, b)| lower[a..b].trim_end_matches('.'))
    };
    for i in 0..spans.len() {
        if word(i) != Some("at") {
            continue;
        }
        let Some(first) = word(i + 1) else { continue };
        // "5pm", "5:30pm": the half of the day glued on.
        let (first, glued) = match first
            .strip_suffix("pm")
            .or_else(|| first.strip_suffix("p.m"))
        {
            Some(time) => (time, Some(true)),
            None => match first
                .strip_suffix("am")
                .or_else(|| first.strip_suffix("a.m"))
            {
                Some(time) if !time.is_empty() => (time, Some(false)),
                _ => (first, None),
            },
        };
        // "01:00" is written on a 24-hour clock; "1:00" may be either half of the day.
        let mut padded = false;
        let (mut hour, minute, colon) = match first {
            "noon" => (12.0, 0.0, true),
            "midnight" => (0.0, 0.0, true),
            time => match time.split_once(':') {
                Some((h, m)) => match (h.parse::<f64>(), m.parse::<f64>()) {
                    (Ok(hour), Ok(m)) if m < 60.0 && m.fract() == 0.0 => {
                        padded = h.len() == 2 && h.starts_with('0');
                        (hour, m, true)
                    }
                    _ => continue,
                },
                None => match step_number(time) {
                    Some(h) => (h, 0.0, false),
                    None => continue,
                },
            },
        };
        let mut end = i + 1;
        let half = match (glued, word(i + 2)) {
            (Some(pm), _) => Some(pm),
            (None, Some("pm" | "p.m" | "p")) => {
                end += 1;
                Some(true)
            }
            (None, Some("am" | "a.m" | "a")) => {
                end += 1;
                Some(false)
            }
            _ => None,
        };
        // "O'clock", or as Whisper sometimes writes it, "o clock".
        let oclock = match (word(end + 1), word(end + 2)) {
            (Some("o'clock" | "oclock"), _) => {
                end += 1;
                true
            }
            (Some("o"), Some("clock")) => {
                end += 2;
                true
            }
            _ => false,
        };
        if half.is_none() && !colon && !oclock {
            continue;
        }
        if hour.fract() != 0.0 || !(0.0..24.0).contains(&hour) {
            continue;
        }
        match half {
            Some(_) if !(1.0..=12.0).contains(&hour) => continue,
            Some(true) if hour < 12.0 => hour += 12.0,
            Some(false) if hour == 12.0 => hour = 0.0,
            _ => {}
        }
        let then = f64::from(now.num_seconds_from_midnight());
        let wait_for = |hour: f64| (hour * 3600.0 + minute * 60.0 - then).rem_euclid(24.0 * 3600.0);
        // "At six o'clock", "at 5:30" with no half of the day: whichever comes first.
        if half.is_none() && !padded && (1.0..=12.0).contains(&hour) {
            let other = (hour + 12.0) % 24.0;
            if wait_for(other) < wait_for(hour) {
                hour = other;
            }
        }
        let wait = wait_for(hour);
        if wait == 0.0 {
            continue;
        }
        let said = match half {
            Some(pm) => {
                let h = if hour as u32 % 12 == 0 {
                    12
                } else {
                    hour as u32 % 12
                };
                let half = if pm { "pm" } else { "am" };
                if minute == 0.0 {
                    format!("{h} {half}")
                } else {
                    format!("{h}:{minute:02} {half}")
                }
            }
            None => format!("{:02}:{minute:02}", hour as u32),
        };
        let rest = format!(
            "{} {}",
            &utterance[..spans[i].0],
            &utterance[spans[end].1..]
        );
        let rest = rest
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .trim_matches(|c: char| c == ',' || c == ' ')
            .to_owned();
        if !rest.chars().any(char::is_alphanumeric) {
            return None;
        }
        let timed = TimeSaid {
            timing: Timing::Later,
            wait: std::time::Duration::from_secs_f64(wait),
            rest,
        };
        return Some((timed, said));
    }
    None
}

/// `request` without a last part that puts back what it did ("…, then turn it off", "and
/// then close it again").
fn without_putting_back(request: &str) -> String {
    let lower = request.to_ascii_lowercase();
    let Some(at) = lower.rfind(" then ") else {
        return request.to_owned();
    };
    let after = &lower[at + " then ".len()..];
    let words: Vec<&str> = words_of(after).collect();
    let puts_back = words.len() <= 5
        && words
            .iter()
            .any(|w| matches!(*w, "off" | "close" | "back" | "stop" | "down" | "again"))
        && words
            .iter()
            .any(|w| matches!(*w, "it" | "them" | "back" | "again"));
    if !puts_back {
        return request.to_owned();
    }
    let before = request[..at].trim_end();
    let before = before.strip_suffix(" and").unwrap_or(before);
    before.trim_end_matches([',', ' ']).to_owned()
}

/// A request for now and one for later said together: "turn on the AC now and close the
/// windows in five minutes", "open the sunroof, then close it in ten minutes", "open my window
/// and in five minutes close it". The part for now, then the part for later with its time.
/// Only a word that sets the two apart says so ("now", "then", or the time first in its part):
/// "close the windows and lock the doors in five minutes" is all for later. The time may be
/// one of day, read on the clock `now` ("turn on the AC now and close the windows at 5 pm").
pub(super) fn now_and_later(utterance: &str, now: chrono::NaiveTime) -> Option<(String, String)> {
    const JOINS: &[&str] = &[
        ", and then ",
        " and then ",
        ", then ",
        " then ",
        ", and ",
        " and ",
        "; ",
    ];
    let later = |part: &str| {
        time_said(part)
            .filter(|t| t.timing == Timing::Later)
            .or_else(|| clock_said(part, now).map(|(timed, _)| timed))
    };
    later(utterance)?;
    // ASCII lowering keeps every byte where it was, so a join found cuts `utterance`.
    let lower = utterance.to_ascii_lowercase();
    let says_now = |part: &str| {
        let lower = part.to_lowercase();
        let words: Vec<&str> = words_of(&lower).collect();
        (0..words.len()).any(|i| words[i] == "now" && (i == 0 || words[i - 1] != "from"))
    };
    let squeezed = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    for join in JOINS {
        for (at, _) in lower.match_indices(join) {
            let (first, second) = (&utterance[..at], &utterance[at + join.len()..]);
            let then = join.contains("then");
            match (later(first), later(second)) {
                (None, Some(timed)) => {
                    // "… and in ten minutes close it": the time opens its part.
                    let time_first = squeezed(second).ends_with(&squeezed(&timed.rest))
                        && !squeezed(second).starts_with(&squeezed(&timed.rest));
                    if then || time_first || says_now(first) {
                        return Some((first.trim().to_owned(), second.trim().to_owned()));
                    }
                }
                (Some(_), None) if says_now(second) => {
                    return Some((second.trim().to_owned(), first.trim().to_owned()));
                }
                _ => {}
            }
        }
    }
    None
}

/// Where each word of `text` is (letters, digits and apostrophes), as byte ranges: the
/// request without its time is cut from the words said around it.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_alphanumeric() || c == '\'', start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                spans.push((from, i));
                start = None;
            }
            _ => {}
        }
    }
    spans
}

/// A request for when the car stops, and the request without it: "open the trunk when we
/// stop" is "open the trunk" once the car stands still, which the car tells (unlike "when we
/// get home"). After a refusal while driving ("I can't open the trunk while the car is
/// moving"), it is what a driver says next.
pub(super) fn stop_said(utterance: &str) -> Option<String> {
    // ASCII lowering keeps every byte where it was, so the spans cut `utterance`.
    let lower = utterance.to_ascii_lowercase();
    let spans = word_spans(&lower);
    let words: Vec<&str> = spans.iter().map(|&(a, b)| &lower[a..b]).collect();
    let stopping = |w: &[&str]| -> Option<usize> {
        // "We're" is one word; "we’re" (a curly apostrophe) is two.
        let (subject, contracted) = match w {
            ["we're" | "we've", ..] => (1, true),
            ["we", "re" | "ve", ..] => (2, true),
            ["we" | "car", ..] => (1, false),
            ["the", "car", ..] => (2, false),
            _ => return None,
        };
        let verb = match (&w[subject..], contracted) {
            (["stopped" | "parked", ..], _) => 1,
            (["stop" | "stops" | "park" | "parks", ..], false) => 1,
            (["are" | "have", "stopped" | "parked", ..], false) => 2,
            (["come" | "comes", "to", "a", "stop", ..], false) => 4,
            (["pull" | "pulls", "over", ..], false) => 2,
            _ => return None,
        };
        Some(subject + verb)
    };
    let (from, to) = (0..words.len()).find_map(|i| {
        let lead = match &words[i..] {
            ["when" | "once" | "after", ..] => 1,
            ["as", "soon", "as", ..] => 3,
            _ => return None,
        };
        let clause = stopping(&words[i + lead..])?;
        // "When we stop by the shop", "at the gas station", "for lunch": a place, which the
        // car cannot know.
        let place = words.get(i + lead + clause).is_some_and(|w| {
            matches!(
                *w,
                "by" | "at" | "for" | "to" | "in" | "somewhere" | "off" | "near"
            )
        });
        (!place).then_some((i, i + lead + clause))
    })?;
    // What the clause was said with: "open the trunk when we stop" or "when we stop, open it".
    let before = &utterance[..spans[from].0];
    let after = spans.get(to).map_or("", |&(a, _)| &utterance[a..]);
    let rest = format!(
        "{} {}",
        before.trim_end_matches([' ', ',']),
        after.trim_start_matches([' ', ','])
    );
    let rest = rest.trim().trim_start_matches("then ").trim().to_owned();
    let rest = rest.trim_end_matches([',', ' ']).to_owned();
    (!rest.is_empty()).then_some(rest)
}

/// Whether the words ask for something later rather than now: "in ten minutes", "in an
/// hour", "after 5 minutes", "later", "tomorrow", "when we get home".
pub(super) fn later_said(utterance: &str) -> bool {
    const UNITS: &[&str] = &[
        "minute", "minutes", "min", "mins", "hour", "hours", "second", "seconds", "sec", "secs",
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_of(&lower).collect();
    let amount = |w: &str| {
        w.parse::<f64>().is_ok() || super::is_number_word(w) || matches!(w, "a" | "an" | "few")
    };
    let in_a_while = (0..words.len()).any(|i| {
        matches!(words[i], "in" | "after")
            && (2..=4).any(|n| {
                words.get(i + n).is_some_and(|w| UNITS.contains(w))
                    && words[i + 1..i + n]
                        .iter()
                        .all(|w| amount(w) || *w == "of" || *w == "couple")
            })
    });
    let when = words.windows(3).any(|w| {
        matches!(
            w,
            ["when" | "once", "we", "get" | "arrive" | "reach" | "park"]
                | ["on", "the" | "our" | "my", "way"]
        )
    });
    in_a_while
        || when
        || words
            .iter()
            .any(|w| matches!(*w, "later" | "tomorrow" | "tonight"))
}

/// What the clock is asked for: the time of day or the date.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum ClockAsked {
    Time,
    Date,
}

/// Whether the words ask the time or the date ("what time is it", "what's the date today").
/// The dashboard shows the clock, so the agent can say it; the model was taught these as
/// nothing for the car. "What time will we get there" is the trip's, which no one knows.
pub(super) fn clock_asked(utterance: &str) -> Option<ClockAsked> {
    const TIME: &[&str] = &[
        "what time is it",
        "whats the time",
        "what is the time",
        "tell me the time",
        "got the time",
        "have the time",
        "the time please",
    ];
    const DATE: &[&str] = &[
        "whats the date",
        "what is the date",
        "what day is it",
        "what day is today",
        "todays date",
        "whats today",
    ];
    let lower = without_apostrophes(utterance);
    let said = words_of(&lower).collect::<Vec<_>>().join(" ");
    // Only the question, perhaps after a greeting: "what time is it in Tokyo" is not ours.
    let said = ["please", "right now", "now", "today"]
        .iter()
        .find_map(|end| said.strip_suffix(&format!(" {end}")))
        .unwrap_or(&said);
    let says = |phrases: &[&str]| {
        phrases
            .iter()
            .any(|p| said == *p || said.ends_with(&format!(" {p}")))
    };
    if says(TIME) {
        Some(ClockAsked::Time)
    } else if says(DATE) {
        Some(ClockAsked::Date)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_for_when_the_car_stops_is_read_without_it() {
        for (said, rest) in [
            ("open the trunk when we stop", "open the trunk"),
            ("ok then open it when we stop", "ok then open it"),
            ("When we're parked, unlock the doors.", "unlock the doors."),
            ("open the frunk as soon as the car stops", "open the frunk"),
            (
                "once we've stopped open the trunk please",
                "open the trunk please",
            ),
            ("open the trunk when we’re stopped", "open the trunk"),
            (
                "when we pull over, turn on the hazards",
                "turn on the hazards",
            ),
        ] {
            assert_eq!(stop_said(said).as_deref(), Some(rest), "{said}");
        }
        for other in [
            "open the trunk",
            "when we stop by the shop, open the trunk",
            "open the trunk when we stop for coffee",
            "we're stopping for coffee",
            "when we get home",
            "when we stop",
        ] {
            assert_eq!(stop_said(other), None, "{other}");
        }
    }

    #[test]
    fn a_time_from_now_is_read_and_taken_out_of_the_request() {
        let minutes = |m: f64| std::time::Duration::from_secs_f64(m * 60.0);
        for (said, wait, rest) in [
            (
                "turn off the seat heating in ten minutes",
                minutes(10.0),
                "turn off the seat heating",
            ),
            (
                "In 5 minutes, close the windows.",
                minutes(5.0),
                "close the windows.",
            ),
            (
                "open the sunroof in a couple of minutes",
                minutes(2.0),
                "open the sunroof",
            ),
            (
                "turn the heat down in half an hour please",
                minutes(30.0),
                "turn the heat down please",
            ),
            (
                "lock the doors after 30 seconds",
                minutes(0.5),
                "lock the doors",
            ),
            ("turn on the AC in an hour", minutes(60.0), "turn on the AC"),
            (
                "turn off the seat heating 10 minutes from now",
                minutes(10.0),
                "turn off the seat heating",
            ),
            ("in 2 minutes from now, lock up", minutes(2.0), "lock up"),
            (
                "switch off the fan in a minute or two",
                minutes(2.0),
                "switch off the fan",
            ),
            (
                "close the sunroof in 5 or 10 minutes",
                minutes(10.0),
                "close the sunroof",
            ),
            (
                "turn the heat down in ten minutes or so",
                minutes(10.0),
                "turn the heat down",
            ),
        ] {
            let said_so = TimeSaid {
                timing: Timing::Later,
                wait,
                rest: rest.to_owned(),
            };
            assert_eq!(time_said(said), Some(said_so), "{said}");
        }
        let for_a_while = TimeSaid {
            timing: Timing::For,
            wait: minutes(5.0),
            rest: "open my window".to_owned(),
        };
        assert_eq!(
            time_said("open my window for 5 minutes"),
            Some(for_a_while.clone())
        );
        assert_eq!(
            time_said("it's been cold for ten minutes"),
            Some(TimeSaid {
                timing: Timing::Aside,
                wait: minutes(10.0),
                rest: "it's been cold".to_owned(),
            })
        );
        assert_eq!(
            time_said("could you open my window for five minutes"),
            Some(TimeSaid {
                rest: "could you open my window".to_owned(),
                ..for_a_while
            })
        );
        assert_eq!(
            time_said("turn on the AC for 10 minutes, then turn it off"),
            Some(TimeSaid {
                timing: Timing::For,
                wait: minutes(10.0),
                rest: "turn on the AC".to_owned(),
            })
        );
        // Soon is now.
        assert_eq!(
            time_said("put the windows up in a sec").map(|t| (t.timing, t.rest)),
            Some((Timing::Aside, "put the windows up".to_owned()))
        );
        for none in [
            "open the window in the back",
            "set the temperature to 22 in the front",
            "in ten minutes",
            "close the windows in 100 hours",
            "lock the doors when we get home",
            "it was cold ten minutes ago",
        ] {
            assert_eq!(time_said(none), None, "{none}");
        }
    }

    #[test]
    fn a_time_of_day_is_a_wait_from_now_until_then() {
        let now = chrono::NaiveTime::from_hms_opt(14, 0, 0).expect("a time");
        let said = |text: &str| {
            clock_said(text, now).map(|(t, said)| (t.wait.as_secs() / 60, t.rest, said))
        };
        let at = |minutes: u64, rest: &str, said: &str| {
            Some((minutes, rest.to_owned(), said.to_owned()))
        };
        assert_eq!(
            said("close the sunroof at 5 pm"),
            at(180, "close the sunroof", "5 pm")
        );
        assert_eq!(
            said("at 5pm close the sunroof"),
            at(180, "close the sunroof", "5 pm")
        );
        assert_eq!(
            said("turn on the heating at 14:30"),
            at(30, "turn on the heating", "14:30")
        );
        assert_eq!(
            said("lock the car at 3:15 p.m."),
            at(75, "lock the car", "3:15 pm")
        );
        // No half of the day: the sooner.
        assert_eq!(
            said("open the windows at six o'clock"),
            at(4 * 60, "open the windows", "18:00")
        );
        assert_eq!(said("close them at 4:30"), at(150, "close them", "16:30"));
        assert_eq!(
            said("open the sunroof at 5 o clock"),
            at(180, "open the sunroof", "17:00")
        );
        assert_eq!(said("close them at 04:30"), at(870, "close them", "04:30"));
        // Past already today: tomorrow.
        assert_eq!(
            said("turn off the seat heating at 8 am"),
            at(18 * 60, "turn off the seat heating", "8 am")
        );
        for none in [
            "set the fan at 5",
            "set the temperature at 22",
            "look at the sunroof",
        ] {
            assert_eq!(said(none), None, "{none}");
        }
    }

    #[test]
    fn a_request_for_now_and_one_for_later_are_told_apart_only_when_the_words_say_so() {
        let noon = chrono::NaiveTime::from_hms_opt(12, 0, 0).expect("a time of day");
        let split = |said: &str| now_and_later(said, noon);
        let both = |now: &str, later: &str| Some((now.to_owned(), later.to_owned()));
        assert_eq!(
            split("turn on the AC now and close the windows in 5 minutes"),
            both("turn on the AC now", "close the windows in 5 minutes")
        );
        assert_eq!(
            split("open the sunroof, then close it in ten minutes"),
            both("open the sunroof", "close it in ten minutes")
        );
        assert_eq!(
            split("open my window and in five minutes close it"),
            both("open my window", "in five minutes close it")
        );
        assert_eq!(
            split("in 10 minutes turn off the seat heating and turn on the fan now"),
            both(
                "turn on the fan now",
                "in 10 minutes turn off the seat heating"
            )
        );
        // A time of day as well.
        assert_eq!(
            split("turn on the AC now and close the windows at 5 pm"),
            both("turn on the AC now", "close the windows at 5 pm")
        );
        assert_eq!(
            split("open the sunroof, then close it at 17:30"),
            both("open the sunroof", "close it at 17:30")
        );
        // A time at the end is the whole request's.
        assert_eq!(
            split("close the windows and lock the doors in five minutes"),
            None
        );
        assert_eq!(split("close the windows and lock the doors at 5 pm"), None);
        assert_eq!(split("close the windows in 5 minutes from now"), None);
        assert_eq!(split("turn on the AC and the fan now"), None);
    }

    #[test]
    fn the_time_and_the_date_asked_are_told_apart() {
        for (said, asked) in [
            ("what time is it", Some(ClockAsked::Time)),
            ("What time is it?", Some(ClockAsked::Time)),
            ("hey, what's the time", Some(ClockAsked::Time)),
            ("what time is it now", Some(ClockAsked::Time)),
            ("what's the date today", Some(ClockAsked::Date)),
            ("what day is it", Some(ClockAsked::Date)),
            ("what time will we get there", None),
            ("what time is it in tokyo", None),
            ("set a timer", None),
            ("what's the temperature", None),
        ] {
            assert_eq!(clock_asked(said), asked, "{said}");
        }
    }

    #[test]
    fn what_is_asked_for_later_is_told_apart() {
        for later in [
            "turn off the seat heating in ten minutes",
            "close the windows in 5 minutes",
            "open the sunroof in a couple of minutes",
            "turn the heat down in half an hour",
            "lock the doors when we get home",
            "remind me later",
            "remind me to buy milk on the way home",
        ] {
            assert!(later_said(later), "{later}");
        }
        for now in [
            "open the window in the back",
            "close the windows",
            "set the temperature to 22 in the front",
            "it's been cold for ten minutes",
        ] {
            assert!(!later_said(now), "{now}");
        }
    }
}
