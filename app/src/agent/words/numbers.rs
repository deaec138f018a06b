//! Numbers and named values said: a number in digits or words decides the value, the
//! hottest or coldest setting named, a level named, "not all the way", and a setting named
//! without a value, which is asked about.

use super::*;

/// "Set the fan" and "change the ambient colour" say what to change but not to what: the
/// model fills in a value (the fan went to 100 %, the light purple), where the agent should
/// ask, as it does for "set the temperature". Only words that say which setting and where
/// count as saying no value: any other word ("to teal", "to heat", "zero") may be the value,
/// and the model's reading of it stands. Switches ("set the AC") and the music ("change the
/// song" is the next one) are read as they are.
pub(super) fn value_missing_asked(plan: &mut Plan, utterance: &str, language: &Language) {
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

/// How many numbers the words say in digits and how many absolute values of numeric settings
/// `plan` has: "make it 20 degrees in the back and 22 in the front" says two, and the model,
/// sure of itself, planned one (the front at 20).
pub(in crate::agent) fn numbers_said_and_planned(
    plan: &Plan,
    utterance: &str,
    language: &Language,
) -> (usize, usize) {
    let said = numbers_said(&utterance.to_lowercase()).len();
    (said, numbers_planned(plan, language))
}

/// How many absolute values of numeric settings `plan` has.
pub(super) fn numbers_planned(plan: &Plan, language: &Language) -> usize {
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
pub(super) fn counted_in(f: &Function) -> Option<f64> {
    f.levels.or(f.speeds).map(f64::from)
}

/// The far end of the temperature the words name, when they name one: "max heat", "heat on
/// full", "the warmest setting" are the highest; "max cooling", "the coldest setting" the
/// lowest.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Extreme {
    Hottest,
    Coldest,
}

pub(super) fn extreme_said(words: &[&str]) -> Option<Extreme> {
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
pub(super) fn extreme_as_said(plan: &mut Plan, utterance: &str) {
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
pub(super) fn not_too_far_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
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

/// Whether the words say a number, in digits or as a word up to fifty.
pub(super) fn says_a_number(words: &[&str]) -> bool {
    words
        .iter()
        .any(|w| w.parse::<f64>().is_ok() || step_number(w).is_some())
}

/// A step said after "by": in digits, or a number word up to fifty.
pub(in crate::agent) fn step_number(word: &str) -> Option<f64> {
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
pub(super) fn level_named(plan: &mut Plan, utterance: &str, language: &Language) -> Vec<usize> {
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

/// The words without "level" or "speed" before a number ("set the fan to level 4" is "set
/// the fan to 4"), or None where no such word is said. For a second reading of a request
/// the model was unsure of: taught levels for the seats, it planned nothing for the fan's
/// (0.00), and reads the number alone well.
pub(in crate::agent) fn level_word_dropped(utterance: &str) -> Option<String> {
    const LEVEL: &[&str] = &["level", "speed", "notch", "setting"];
    let tokens: Vec<&str> = utterance.split_whitespace().collect();
    let number = |token: &str| {
        let word = token
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        word.parse::<f64>().is_ok() || step_number(&word).is_some()
    };
    let dropped: Vec<usize> = (0..tokens.len())
        .filter(|&i| LEVEL.contains(&tokens[i].to_lowercase().as_str()))
        .filter(|&i| tokens.get(i + 1).is_some_and(|next| number(next)))
        .collect();
    if dropped.is_empty() {
        return None;
    }
    let kept: Vec<&str> = (0..tokens.len())
        .filter(|i| !dropped.contains(i))
        .map(|i| tokens[i])
        .collect();
    Some(kept.join(" "))
}

/// A number said in digits, and what the words around it make of it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Said {
    pub(super) value: f64,
    /// "30 percent", "30 %".
    pub(super) percent: bool,
    /// Said as a setting ("to 3", "at 3", "level 3", "fan 3", "3 percent"), not as a count or
    /// a place ("all 4 windows", "row 2").
    pub(super) setting: bool,
}

/// The numbers said in digits, leaving out those that measure something else: "for 5
/// minutes", "in 2 km", "2 inches". A number stuck to letters counts only with a degree
/// sign's letter ("22c", "72f"). Whisper and typists write halves in words: "22 point 5",
/// "18 point five", "16 and a half", "23 a half" are 22.5, 18.5, 16.5 and 23.5.
pub(super) fn numbers_said(lower: &str) -> Vec<Said> {
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
pub(super) fn hold_to_number_said(
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
    use crate::agent::words::testing::*;

    #[test]
    fn level_before_a_number_is_left_out_for_a_second_reading() {
        assert_eq!(
            level_word_dropped("set the fan to level 4").as_deref(),
            Some("set the fan to 4")
        );
        assert_eq!(
            level_word_dropped("Fan speed three, please").as_deref(),
            Some("Fan three, please")
        );
        for said in [
            "set the fan to 4",
            "turn the fan to the highest level",
            "level the car",
        ] {
            assert_eq!(level_word_dropped(said), None, "{said}");
        }
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
}
