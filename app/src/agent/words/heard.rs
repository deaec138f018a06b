//! The words as they were heard, before the model reads them: hesitations and restarts left
//! out, "the radio" as the music, "of" heard for "off", and a request changed while it was
//! said ("open the window, never mind"; "set it to 22, I mean 23").

use super::*;

/// The words without "uh" and "um" after the first word, and without the first of a small
/// word said twice as the speaker starts again ("open the, the sunroof"). The model was
/// taught hesitations at the start of a request only, and those stay; the one shipped on
/// 2026-11-24 read "Uh, open the, uh, the sunroof." as opening the trunk and the sunroof,
/// and "open the, the sunroof" as opening a window too. Only small words count as said
/// twice: "bye bye" and "testing testing" stay.
pub(super) fn without_hesitations(utterance: &str) -> Cow<'_, str> {
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

/// A request changed within the words that say it, as `changed_while_said` reads it.
#[derive(Debug, PartialEq)]
pub(in crate::agent) enum ChangedWhileSaid {
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
pub(in crate::agent) fn changed_while_said(utterance: &str) -> Option<ChangedWhileSaid> {
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
        if !crate::agent::reading::said_as_command(before) {
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
        if rest.len() > 1 && crate::agent::reading::said_as_command(meant) {
            return Some(ChangedWhileSaid::Meant(meant.to_owned()));
        }
        return in_place_of(before, meant, &words[..i], rest).map(ChangedWhileSaid::Meant);
    }
    None
}

/// `before` with `meant` in place of what it corrects: a number for its last number ("set it
/// to 22" … "23"), a thing for its thing ("close the sunroof" … "the windows", "turn the AC
/// on" … "the fan"). None where neither fits.
pub(super) fn in_place_of(
    before: &str,
    meant: &str,
    before_words: &[&str],
    meant_words: &[&str],
) -> Option<String> {
    const THINGS: &[&str] = &[
        "the", "my", "all", "both", "a", "an", "his", "her", "their", "our",
    ];
    let is_number = |w: &str| {
        w.chars().all(|c| c.is_ascii_digit() || c == '.') || crate::agent::is_number_word(w)
    };
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

/// The utterance's tokens (split at spaces, punctuation kept) and each one's bare word, lower
/// case: what the rules for a word heard wrong read, and what they write back.
fn tokens_and_words(utterance: &str) -> (Vec<&str>, Vec<String>) {
    let tokens: Vec<&str> = utterance.split_whitespace().collect();
    let words = tokens
        .iter()
        .map(|token| {
            token
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    (tokens, words)
}

/// The tokens joined again, with `heard` replaced by `meant` in those at `at`, capitalised
/// where it was ("Of" → "Off").
fn with_words_replaced(tokens: &[&str], at: &[usize], heard: &str, meant: &str) -> String {
    let capital = |word: &str| {
        let mut chars = word.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default()
    };
    tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            if at.contains(&i) {
                token
                    .replacen(heard, meant, 1)
                    .replacen(&capital(heard), &capital(meant), 1)
            } else {
                (*token).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "Of" that Whisper writes for "off" after a verb of switching, put right before anything
/// reads the words: "turn of the AC" (the model shipped on 2026-11-24 switched the AC on, at
/// 0.50) and "switch the lights of". Only where "off" is the one reading: "of" straight after
/// the verb said as a request (not "a turn of phrase", "the turn of the year"), or "of" last
/// after such a verb ("turn the fan of").
pub(in crate::agent) fn off_as_heard(utterance: &str) -> Cow<'_, str> {
    const VERBS: &[&str] = &["turn", "switch", "shut", "turned", "switched"];
    const NOUN_BEFORE: &[&str] = &[
        "a", "the", "this", "that", "every", "each", "next", "sharp", "left", "right", "u", "your",
        "my", "his", "her", "our", "their", "first", "last",
    ];
    let (tokens, words) = tokens_and_words(utterance);
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
    let out = with_words_replaced(&tokens, &meant_off, "of", "off");
    tracing::debug!(read_as = %out, "'of' heard for 'off'");
    Cow::Owned(out)
}

/// "Two" that Whisper writes for "to" before a number, put right before anything reads the
/// words: "temperature two twenty three" (the model shipped on 2026-12-06 set 23.5 °C, at
/// 0.79). Only before a number of ten or more, which "two" cannot count, and not after "at"
/// ("close the sunroof at two thirty" is a time).
pub(in crate::agent) fn to_as_heard(utterance: &str) -> Cow<'_, str> {
    let (tokens, words) = tokens_and_words(utterance);
    // Ten and more: every number word but the digits', "zero" and "half".
    let big_number = |w: &str| {
        (crate::agent::is_number_word(w)
            && !matches!(w, "zero" | "half")
            && step_number(w).is_none_or(|n| n >= 10.0))
            || w.parse::<f64>().is_ok_and(|n| n >= 10.0)
    };
    let meant_to: Vec<usize> = (0..words.len())
        .filter(|&i| words[i] == "two" && tokens[i].chars().all(char::is_alphabetic))
        .filter(|&i| words.get(i + 1).is_some_and(|next| big_number(next)))
        .filter(|&i| i == 0 || words[i - 1] != "at")
        .collect();
    if meant_to.is_empty() {
        return Cow::Borrowed(utterance);
    }
    let out = with_words_replaced(&tokens, &meant_to, "two", "to");
    tracing::debug!(read_as = %out, "'two' heard for 'to'");
    Cow::Owned(out)
}

/// A step without its hedge: "louder but not too loud" is "louder", "warmer, but not too
/// hot" is "warmer". The model read the hedge as the complaint it names and went the other
/// way: the volume down, the temperature down, the ambient light dimmer. A step goes one
/// step, so the hedge adds nothing. Only after a comparative: in "heat my seat but not too
/// much" the hedge picks the lowest level, and "open the windows but not the sunroof" names
/// a thing.
pub(super) fn without_hedge(utterance: &str) -> Cow<'_, str> {
    const COMPARATIVES: &[&str] = &[
        "warmer", "hotter", "toastier", "cooler", "colder", "chillier", "louder", "quieter",
        "softer", "brighter", "dimmer", "darker", "stronger", "weaker", "faster", "slower",
        "higher", "lower",
    ];
    const HEDGES: &[&str] = &[
        "too",
        "so",
        "that",
        "overly",
        "freezing",
        "boiling",
        "blinding",
        "deafening",
        "roasting",
        "scorching",
        "icy",
        "crazy",
    ];
    // ASCII lowering keeps the byte offsets of the words said.
    let lower = utterance.to_ascii_lowercase();
    let Some(start) = [" but not ", ", not "]
        .iter()
        .filter_map(|opener| lower.find(opener))
        .min()
    else {
        return Cow::Borrowed(utterance);
    };
    let hedge_word = lower[start..]
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty() && *w != "but" && *w != "not");
    let comparative_before = lower[..start]
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| COMPARATIVES.contains(&w));
    if !comparative_before || !hedge_word.is_some_and(|w| HEDGES.contains(&w)) {
        return Cow::Borrowed(utterance);
    }
    // The hedge runs to the end of its clause: "louder but not too loud, and open the window".
    let rest = &lower[start + 1..];
    let end = [",", " and ", " then "]
        .iter()
        .filter_map(|boundary| rest.find(boundary).map(|i| start + 1 + i))
        .min()
        .unwrap_or(lower.len());
    let cut = format!("{}{}", &utterance[..start], &utterance[end..]);
    tracing::debug!(read_as = %cut, "a step without its hedge");
    Cow::Owned(cut)
}

/// "The radio" as the music. The car's sound comes from its one media player, but the model
/// shipped on 2026-11-24 was taught "play the radio" and "turn on the radio" as things it
/// cannot do (it has no tuner) and learnt the word as a sign of nothing to do: it planned
/// nothing for "turn up the radio" and "turn off the radio", and switched the AC off for
/// "radio off". Read as "the music", each is what the model knows. Words about stations and
/// tuning ("switch to the radio", "change the radio station") or about what was heard on
/// the radio are left as they are: the car cannot do those.
pub(super) fn radio_as_music(utterance: &str) -> Cow<'_, str> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn two_heard_before_a_number_of_ten_or_more_is_to() {
        for (said, meant) in [
            (
                "temperature two twenty three please",
                "temperature to twenty three please",
            ),
            ("Set the fan two 60", "Set the fan to 60"),
            (
                "Two nineteen on the passenger side",
                "To nineteen on the passenger side",
            ),
        ] {
            assert_eq!(to_as_heard(said), meant, "{said}");
        }
        for said in [
            "close the sunroof at two thirty",
            "two windows",
            "set it to two",
            "seat heating two",
            "two or three",
        ] {
            assert!(
                matches!(to_as_heard(said), Cow::Borrowed(s) if s == said),
                "{said}"
            );
        }
    }

    #[test]
    fn a_steps_hedge_is_not_read() {
        for (said, read) in [
            ("louder but not too loud", "louder"),
            ("I'd like it warmer but not too warm", "I'd like it warmer"),
            ("a bit cooler, not freezing please", "a bit cooler"),
            (
                "Warmer but not too hot, and open my window",
                "Warmer, and open my window",
            ),
        ] {
            assert_eq!(without_hedge(said), read, "{said}");
        }
        for said in [
            "heat my seat but not too much",
            "seat heating on but not too high",
            "open the windows but not the sunroof",
            "warmer but not the passenger side",
            "it's not too warm",
        ] {
            assert!(
                matches!(without_hedge(said), Cow::Borrowed(s) if s == said),
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
}
