//! The lights as the words say them: all of them off, darkness, the high beams, and the
//! ambient light's brightness and colour.

use super::*;

/// "Turn off all the lights" is every light the car has a switch for, inside ("all the
/// lights inside": the dome and ambient lights) or out as well: the model planned the
/// headlights and the hazard lights, sure of neither (0.00), and asked. The hazard lights are
/// a warning to others, not a light to see by: they are switched off only by name. Switching
/// every light on is not read so (the fog lights and the dome light while driving). Whether
/// the plan was replaced.
pub(super) fn all_lights_off_as_said(
    plan: &mut Plan,
    utterance: &str,
    language: &Language,
) -> bool {
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

/// The lights the model takes "cabin" for: "warm the cabin" switched the reading light on.
pub(super) const LIGHTS: &[&str] = &[
    "dome_light",
    "ambient_light",
    "ambient_brightness",
    "ambient_color",
    "low_beam",
    "fog_lights",
];

/// "Darken the cabin" makes it darker: the model switched the reading light on. A light the
/// plan switches on, where the words say darker and not brighter, is switched off instead.
/// (A brightness turned up stays: "the ambient light is too dim" asks for more.)
pub(super) fn darkness_as_said(plan: &mut Plan, utterance: &str) {
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

/// Whether the words name the high beams ("high beams", "full beam", "the brights"), which
/// this car leaves to the driver's stalk.
pub(super) fn high_beams_named(words: &[&str]) -> bool {
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    (has(&["high", "full", "main"]) && has(&["beam", "beams"])) || has(&["brights", "highbeams"])
}

/// "High beams on": the model switched the low beams on (0.79), which is not what was asked;
/// its training data has "turn on the high beams" as nothing. A plan of the low beams for
/// words that name the high beams is nothing, and `small_talk` says why.
pub(super) fn high_beams_as_said(plan: &mut Plan, utterance: &str, language: &Language) -> bool {
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

/// A percentage said beside the ambient light is its brightness: the model shipped on
/// 2026-12-06 set the fan to 30 % for "set ambient lighting to red and 30 percent". Where the
/// plan sets the ambient light and the fan or the volume to a number, and the words name
/// neither of those, the number is the ambient brightness.
pub(super) fn ambient_percent_as_said(plan: &mut Plan, utterance: &str) {
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
pub(super) fn ambient_color_as_said(plan: &mut Plan, utterance: &str, language: &Language) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::words::testing::*;

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
}
