//! Whether a request is in a language other than English. The model was taught English only,
//! and a request in another language it half recognises can act on the car: before this
//! check "apri il finestrino" (Italian: open the window) switched the hazard lights on and
//! "sube el volumen" (Spanish: volume up) turned the volume up. Those are refused here with a
//! reply that says why, before the model sees them.
//!
//! Two signals, because neither is enough alone. A language identifier (whatlang's trigrams)
//! is right about sentences but guesses on the short commands a car hears: it reads "max
//! heat" as Dutch and "close it" as Spanish. A lexicon is right about those but knows "la",
//! "il" and "die" as English words. So a request counts as foreign only when the identifier
//! names another language *and* a good share of its words are not English.

use std::collections::HashSet;
use std::sync::LazyLock;

/// SCOWL's size-50 American and British lists (assets/lang/README.md says where from).
const ENGLISH_WORDS: &str = include_str!("../../../assets/lang/english-words.txt");

/// The words of a car and of talk in one that SCOWL's lists lack, so that "recirc on",
/// "pop the frunk" or "yep" never look foreign.
const CAR_WORDS: &[&str] = &[
    "ac",
    "aircon",
    "airflow",
    "alright",
    "anymore",
    "app",
    "audiobook",
    "autopilot",
    "blah",
    "blower",
    "bluetooth",
    "brr",
    "brrr",
    "carsick",
    "compressor",
    "conditioner",
    "defog",
    "defogger",
    "defroster",
    "defrosters",
    "demist",
    "demister",
    "didn",
    "doesn",
    "eco",
    "er",
    "flashers",
    "foglights",
    "footwell",
    "frunk",
    "geez",
    "haha",
    "hatchback",
    "headlamps",
    "hmm",
    "hvac",
    "im",
    "isn",
    "liftgate",
    "ll",
    "lol",
    "max",
    "min",
    "mm",
    "moonroof",
    "nah",
    "nevermind",
    "nope",
    "ok",
    "okay",
    "oops",
    "playlist",
    "podcast",
    "recirc",
    "recirculate",
    "recirculated",
    "recirculating",
    "recirculation",
    "seatbelt",
    "shh",
    "sunroof",
    "sunshade",
    "temp",
    "toasty",
    "toastier",
    "uh",
    "um",
    "unmute",
    "unpause",
    "ve",
    "wifi",
    "yay",
    "yeah",
    "yep",
];

/// The share of a request's words that must be unknown to English for it to count as
/// foreign: "por favor sube la temperatura del conductor" has three of seven.
const UNKNOWN_SHARE: f32 = 0.4;

static LEXICON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    ENGLISH_WORDS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .chain(CAR_WORDS.iter().copied())
        .collect()
});

/// Reads the English word list now (about 20 ms), so that the first request does not wait
/// for it.
pub fn load() {
    LazyLock::force(&LEXICON);
}

/// Whether `utterance` is in another language than English.
pub fn is_foreign(utterance: &str) -> bool {
    // Another script (Chinese, Russian, Arabic…) needs no more evidence than its letters.
    let letters = utterance.chars().filter(|c| c.is_alphabetic()).count();
    let other_script = utterance
        .chars()
        .filter(|c| c.is_alphabetic() && !c.is_ascii())
        .count();
    if other_script * 3 > letters {
        return true;
    }
    let lower = utterance.to_lowercase();
    // Single letters say nothing either way: the "j" of "j'ai", the "s" of "what's".
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| word.chars().nth(1).is_some())
        .collect();
    let unknown = words.iter().filter(|w| !LEXICON.contains(*w)).count();
    if words.is_empty() || (unknown as f32) < UNKNOWN_SHARE * words.len() as f32 {
        return false;
    }
    let language = whatlang::detect_lang(utterance);
    tracing::debug!(?language, unknown, words = words.len(), "not English words");
    language.is_some_and(|language| language != whatlang::Lang::Eng)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_in_other_languages_are_foreign() {
        for utterance in [
            "apri il finestrino",
            "Apri il finestrino.",
            "accendi l'aria condizionata",
            "spegni le luci",
            "sube el volumen",
            "abre la ventana",
            "enciende el aire acondicionado",
            "por favor sube la temperatura del conductor",
            "ouvre la fenêtre",
            "allume la climatisation",
            "il fait trop chaud ici",
            "mach das Fenster auf",
            "schalte die Klimaanlage ein",
            "mir ist kalt",
            "abre a janela",
            "liga o ar condicionado",
            "doe het raam open",
            "zet de airco aan",
            "打开车窗",
            "открой окно",
        ] {
            assert!(is_foreign(utterance), "{utterance:?} was taken for English");
        }
    }

    #[test]
    fn english_in_a_car_is_not_foreign_however_it_is_said() {
        for utterance in [
            "max heat",
            "close it",
            "put it on recirc",
            "pop the frunk",
            "kill the AC",
            "HVAC auto",
            "crack the sunroof",
            "cool my butt",
            "my bum is cold",
            "brrr it's cold",
            "nah forget it",
            "thanks buddy",
            "cheers mate",
            "engage the demister",
            "set the defogger on",
            "turn on the AC compressor",
            "navigate to Starbucks",
            "text Jake I'm running late",
            "set the temperature to 21.5",
            "la la la",
            "",
            "22",
        ] {
            assert!(
                !is_foreign(utterance),
                "{utterance:?} was taken for foreign"
            );
        }
    }

    /// Every English line of the hand-written training data, which holds the car's words in
    /// all the ways the project knows them said, stays English; every request to the car in
    /// another language there is foreign.
    #[test]
    fn the_training_data_s_english_is_english_and_its_foreign_requests_are_foreign() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../training/data");
        let mut english = 0;
        let mut foreign = 0;
        for entry in std::fs::read_dir(&folder).expect("training/data is in the repository") {
            let path = entry.expect("a readable folder").path();
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a readable data file");
            let mut section = "";
            for line in text.lines().map(str::trim) {
                if let Some(header) = line.strip_prefix("##") {
                    section = header.trim();
                    continue;
                }
                let utterance = line.split('|').next().unwrap_or_default().trim();
                if utterance.is_empty() || line.starts_with('#') {
                    continue;
                }
                if section.starts_with("neg.foreign.car") {
                    assert!(is_foreign(utterance), "{utterance:?} ({section})");
                    foreign += 1;
                } else if !section.starts_with("neg.foreign") {
                    assert!(!is_foreign(utterance), "{utterance:?} ({section})");
                    english += 1;
                }
            }
        }
        assert!(
            english > 3_000 && foreign >= 10,
            "{english} and {foreign} lines"
        );
    }

    /// No held-out request that should act on the car is refused as foreign.
    #[test]
    fn no_held_out_request_to_the_car_is_taken_for_foreign() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/model/eval");
        let mut checked = 0;
        for split in ["test_random.jsonl", "test_families.jsonl"] {
            let text = std::fs::read_to_string(folder.join(split)).expect("shipped eval splits");
            for line in text.lines() {
                let example: serde_json::Value = serde_json::from_str(line).expect("JSON lines");
                if example["plan"] == "none" {
                    continue;
                }
                let utterance = example["utterance"].as_str().expect("an utterance");
                assert!(!is_foreign(utterance), "{utterance:?} in {split}");
                checked += 1;
            }
        }
        assert!(checked > 5_000, "{checked} requests");
    }
}
