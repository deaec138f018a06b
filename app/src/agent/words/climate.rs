//! The climate as the words say it: warmth, defrost and fog, recirculation against bad air,
//! the vent position, the A/C, the back's temperature, units and the temperature asked.

use super::*;

/// Switches on the defroster that the words ask to clear the glass with. "Off" also says
/// where the fog goes: the model shipped on 2026-11-24 switched the defroster off for "get the
/// fog off the windshield" and "clear the condensation off the front". Only that shape counts:
/// something on the glass, then "off", then the glass ("turn off the windshield heater" names
/// no fog).
pub(super) fn defrost_as_said(plan: &mut Plan, utterance: &str) {
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
pub(super) fn fog_outside_as_said(plan: &mut Plan, utterance: &str) {
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

/// Where a window or the sunroof stands when vented: the dashboard's Vent button, and what the
/// model was taught for "crack the window open".
pub(super) const VENT_POSITION: &str = "20";

/// Vents a window or the sunroof that the words say to vent or tilt: the model shipped on
/// 2026-12-06 opened the sunroof fully for "vent the sunroof" and "put the sunroof in vent
/// position", and closed it for "tilt the sunroof". A position said with a number or as
/// how far ("tilt the sunroof open halfway") stands.
pub(super) fn vent_as_said(plan: &mut Plan, utterance: &str) {
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

/// The widest gap said as a length that is still a crack: 10 cm, or 4 inches.
const CRACK_CM: f64 = 10.0;

/// A window or the sunroof opened by a small length ("roll down the window two inches",
/// "open the sunroof 10 centimeters") stands at the vent position. The car sets a share of
/// the way, not a length, and the model read the number as that share: it closed the windows
/// for "roll down the windows two inches", and set 75 % for "3 inches", 10 % for "10
/// centimeters". A longer gap is left to the model; words that close leave the plan alone.
pub(super) fn gap_as_said(plan: &mut Plan, utterance: &str) {
    const INCHES: &[&str] = &["inch", "inches"];
    const CENTIMETERS: &[&str] = &[
        "cm",
        "centimeter",
        "centimeters",
        "centimetre",
        "centimetres",
    ];
    // "A couple of inches" counts as "couple inches".
    let lower = utterance.to_lowercase().replace(" of ", " ");
    let words: Vec<&str> = words_of(&lower).collect();
    let said = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let closes = said(&["close", "shut", "raise"]) || (said(&["roll", "wind"]) && said(&["up"]));
    let length = words.windows(2).find_map(|pair| {
        let cm_per = if INCHES.contains(&pair[1]) {
            2.54
        } else if CENTIMETERS.contains(&pair[1]) {
            1.0
        } else {
            return None;
        };
        let count = match pair[0] {
            "a" | "an" => Some(1.0),
            "couple" => Some(2.0),
            "few" => Some(3.0),
            n => n.parse::<f64>().ok().or_else(|| step_number(n)),
        }?;
        Some(count * cm_per)
    });
    if closes || !length.is_some_and(|cm| cm <= CRACK_CM) {
        return;
    }
    for (function, value) in settings_mut(plan) {
        if matches!(function, "window" | "sunroof") && value != VENT_POSITION {
            tracing::debug!(model = %value, "a small gap said: the {function} vented");
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
pub(super) fn recirculation_as_said(plan: &mut Plan, utterance: &str) {
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

/// A temperature asked about outside is the outside sensor's: the model answered "what's the
/// temperature outside in F" from the cabin's and "what's the outside temperature in
/// fahrenheit" from the driver's setting.
pub(super) fn outside_as_said(plan: &mut Plan, utterance: &str) {
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

/// Warmth asked of the cabin is the temperature: the model, which knows "cabin" best from
/// "cabin light", switched the reading light on for "warm the cabin" (at 0.44) and "warm up
/// the cabin" (at 0.94). Where the words say warmer or cooler, name no light, and the plan
/// sets only lights, the plan is the whole car's temperature a step that way; true then.
pub(super) fn warmth_as_said(plan: &mut Plan, utterance: &str, language: &Language) -> bool {
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

/// "Where is the air blowing" asks the air distribution: the model answered with the fan
/// ("what direction is the air blowing") or read nothing ("where's the air going"). A question
/// about where or which way the air goes, answered with nothing or the fan, is asked of the
/// air distribution, where the model placed it (the speaker's seat by default).
pub(super) fn airflow_asked_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
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

/// Whether the words ask for an automatic climate or fan ("put the fan on auto", "climate on
/// automatic"), which this car does not have. Automatic wipers, headlights or AC are not
/// this: the wipers have a rain sensor, and the others the model reads as on.
pub(super) fn asks_for_automatic_climate(utterance: &str) -> bool {
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
pub(super) fn automatic_climate_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
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

/// Words of the climate: where they are said, a climate plan may be what was asked.
pub(super) const CLIMATE_WORDS: &[&str] = &[
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

/// Whether the words ask to show other units ("switch to Fahrenheit", "change the display to
/// miles"), which the dashboard's settings decide, not the assistant: it answers in the units
/// a question is asked in.
pub(super) fn units_asked(words: &[&str]) -> bool {
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
        .any(|w| w.chars().any(|c| c.is_ascii_digit()) || crate::agent::is_number_word(w));
    units && change && !number && !has(&["temperature", "range", "speed", "outside"])
}

/// "Switch to Fahrenheit": the model set the coldest temperature, in Fahrenheit (0.42). A
/// plan for words that ask for other units and say no number is nothing, and `small_talk`
/// says why. Returns whether the plan was changed.
pub(super) fn units_as_said(plan: &mut Plan, utterance: &str, language: &Language) -> bool {
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
pub(super) fn temperature_asked_bare(
    plan: &mut Plan,
    utterance: &str,
    language: &Language,
) -> bool {
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
pub(super) fn rear_warmth_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
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

/// "Max AC" is the air conditioning's button for cooling as hard as it can: the coldest
/// setting and the fan at its top, with the AC on. The model shipped on 2026-11-24 only
/// switched the AC on for "max AC", "AC on full" and "AC all the way up". Where the plan only
/// switches the AC on and the words say the most of it, the speaker's side gets the rest.
pub(super) fn max_ac_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
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
pub(super) fn temperature_said_to_the_ac(plan: &mut Plan, utterance: &str, language: &Language) {
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

/// "Cool my seat down" asks for more seat cooling, not less. The model shipped on
/// 2026-11-24 read the "down" as less ventilation and switched it off for "cool my seat
/// down", "cool down my seat" and "cool the passenger seat down". Only "cool" or "chill" said
/// as a verb counts: in "the seat is too cool, turn it down" the words ask for less.
pub(super) fn cool_down_as_said(plan: &mut Plan, utterance: &str) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::words::testing::*;

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
    fn a_small_gap_said_as_a_length_is_the_vent_position() {
        let settled = settled_by(gap_as_said);
        // What the model shipped on 2026-12-06 planned for these words.
        for (planned, said, vented) in [
            (
                "set window all 0",
                "roll down the windows two inches",
                "set window all 20",
            ),
            (
                "set window my 75",
                "roll down the window 3 inches",
                "set window my 20",
            ),
            (
                "set sunroof all 10",
                "open the sunroof 10 centimeters",
                "set sunroof all 20",
            ),
            (
                "set window my max",
                "open my window an inch",
                "set window my 20",
            ),
            (
                "set window my max",
                "open it up two inches",
                "set window my 20",
            ),
            (
                "set window passenger max",
                "open the passenger window a couple of inches",
                "set window passenger 20",
            ),
        ] {
            assert_eq!(settled(planned, said), vented, "{said}");
        }
        // A longer gap, words that close, and a share said are left to the model.
        for (planned, said) in [
            ("set window my 50", "open my window 8 inches"),
            ("set window all 0", "close the windows, leave two inches"),
            ("set window my 30", "open the window 30 percent"),
            ("set window all 0", "roll up the windows, leave an inch"),
            ("set fan my 20", "the fan two inches from my face"),
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
}
