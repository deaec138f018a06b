//! Whisper's near-misses of car words ("sunrof", "defrostor"), put right before the model
//! reads them. A long word the model has never seen (not a whole token of its vocabulary)
//! that is one letter (two, for a long one) away from exactly one of the car's own words is
//! taken to be that word. Only car words are targets: an ordinary word the model never saw
//! ("misted", "circulating") is not a misspelling of some other ordinary word, and short
//! words are left alone ("bold" is not a misheard "cold").

use std::collections::HashSet;

use tokenizers::Tokenizer;

/// The words a misspelling may be put right to: the names of the car's parts and functions,
/// as people say them (and as Whisper's prompt lists them). Only those the model knows count.
const CAR_WORDS: &[&str] = &[
    "airflow",
    "ambient",
    "brightness",
    "conditioning",
    "conditioner",
    "defrost",
    "defroster",
    "defrosters",
    "demister",
    "distribution",
    "headlights",
    "headlight",
    "hazard",
    "hazards",
    "heating",
    "recirculation",
    "recirculate",
    "sunroof",
    "sunshade",
    "temperature",
    "ventilation",
    "ventilated",
    "volume",
    "window",
    "windows",
    "windscreen",
    "windshield",
    "wipers",
    "wiper",
    "trunk",
    "tailgate",
    "frunk",
    "degrees",
    "fahrenheit",
    "celsius",
    "passenger",
    "driver",
    "music",
    "unlock",
    "lights",
    "mirror",
    "mirrors",
    "steering",
];

/// Words shorter than this are never corrected.
const MIN_LENGTH: usize = 6;
/// From this length two edits are allowed.
const TWO_EDITS_FROM: usize = 9;

/// The model's whole words, and how to snap a near-miss onto one.
pub struct Speller {
    known: HashSet<String>,
    /// The car words the model knows: what a near-miss may become.
    targets: Vec<String>,
}

impl Speller {
    /// Knows the whole alphabetic words of `tokenizer`'s vocabulary.
    pub fn from_tokenizer(tokenizer: &Tokenizer) -> Speller {
        let known: HashSet<String> = tokenizer
            .get_vocab(false)
            .into_keys()
            .filter(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_lowercase()))
            .collect();
        let targets: Vec<String> = CAR_WORDS
            .iter()
            .filter(|w| known.contains(**w))
            .map(|w| w.to_string())
            .collect();
        Speller { known, targets }
    }

    /// `text` with each unknown long word replaced by its one near known word, if it has one.
    pub fn correct(&self, text: &str) -> String {
        text.split_whitespace()
            .map(|word| {
                let core: String = word
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase();
                match self.nearest(&core) {
                    Some(known) => word.to_lowercase().replace(&core, known),
                    None => word.to_owned(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn nearest(&self, word: &str) -> Option<&str> {
        if word.len() < MIN_LENGTH
            || !word.chars().all(|c| c.is_ascii_lowercase())
            || self.known.contains(word)
        {
            return None;
        }
        let allowed = if word.len() >= TWO_EDITS_FROM { 2 } else { 1 };
        let mut best: Option<(usize, &str)> = None;
        let mut tied = false;
        for target in &self.targets {
            if target.len().abs_diff(word.len()) > allowed {
                continue;
            }
            let distance = strsim::levenshtein(word, target);
            if distance > allowed {
                continue;
            }
            match best {
                Some((d, _)) if distance > d => {}
                Some((d, _)) if distance == d => tied = true,
                _ => {
                    best = Some((distance, target));
                    tied = false;
                }
            }
        }
        best.filter(|_| !tied).map(|(_, w)| w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speller(words: &[&str]) -> Speller {
        let known: HashSet<String> = words.iter().map(|w| w.to_string()).collect();
        let targets = CAR_WORDS
            .iter()
            .filter(|w| known.contains(**w))
            .map(|w| w.to_string())
            .collect();
        Speller { known, targets }
    }

    #[test]
    fn near_misses_of_known_words_are_put_right() {
        let s = speller(&[
            "open",
            "the",
            "sunroof",
            "rear",
            "window",
            "defroster",
            "windshield",
        ]);
        assert_eq!(s.correct("open the sunrof"), "open the sunroof");
        assert_eq!(
            s.correct("Turn on the rear window defrostor."),
            "Turn on the rear window defroster."
        );
        assert_eq!(
            s.correct("defrost the windsheild"),
            "defrost the windshield"
        );
    }

    #[test]
    fn short_known_and_far_words_are_left_alone() {
        let s = speller(&["cold", "window", "windows", "sunroof", "missed"]);
        assert_eq!(s.correct("make it bold"), "make it bold");
        // Not near a car word: an ordinary word the model does not know stays as it is.
        assert_eq!(
            s.correct("the windscreen is misted up"),
            "the windscreen is misted up"
        );
        assert_eq!(s.correct("open the window"), "open the window");
        // "windowz" is one edit from both "window" and "windows": no guess.
        assert_eq!(s.correct("windowz"), "windowz");
        assert_eq!(s.correct("call my mother"), "call my mother");
    }
}
