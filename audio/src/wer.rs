//! Word error rate: how far a transcript is from the reference, in word edits per reference
//! word, after normalising away what does not change the meaning (case, punctuation, digits
//! against number words).

/// Lower-cases, drops punctuation, splits hyphenated words, and writes numbers up to 99 as
/// digits, so that "Twenty-one." and "21" compare equal.
pub fn normalize(text: &str) -> Vec<String> {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '\'' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            '&' => ' ',
            _ => ' ',
        })
        .collect();
    let words: Vec<&str> = cleaned
        .split_whitespace()
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        match number_word(words[i]) {
            Some(tens) if tens >= 20 && tens % 10 == 0 => {
                if let Some(unit) = words
                    .get(i + 1)
                    .and_then(|w| number_word(w))
                    .filter(|u| *u < 10 && *u > 0)
                {
                    out.push((tens + unit).to_string());
                    i += 2;
                    continue;
                }
                out.push(tens.to_string());
            }
            Some(n) => out.push(n.to_string()),
            None => out.push(words[i].to_owned()),
        }
        i += 1;
    }
    out
}

fn number_word(word: &str) -> Option<u32> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(n) = UNITS.iter().position(|u| *u == word) {
        return Some(n as u32);
    }
    TENS.iter()
        .position(|t| *t == word)
        .map(|n| (n as u32 + 2) * 10)
}

/// Word edits (substitutions, insertions, deletions) between two word sequences.
pub fn edit_distance(reference: &[String], hypothesis: &[String]) -> usize {
    let mut previous: Vec<usize> = (0..=hypothesis.len()).collect();
    let mut current = vec![0; hypothesis.len() + 1];
    for (i, r) in reference.iter().enumerate() {
        current[0] = i + 1;
        for (j, h) in hypothesis.iter().enumerate() {
            let substitution = previous[j] + usize::from(r != h);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[hypothesis.len()]
}

/// The word error rate of one transcript against its reference.
pub fn word_error_rate(reference: &str, hypothesis: &str) -> f64 {
    let r = normalize(reference);
    let h = normalize(hypothesis);
    edit_distance(&r, &h) as f64 / r.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_ignores_case_punctuation_and_number_spelling() {
        assert_eq!(
            normalize("Set it to Twenty-one degrees, please!"),
            ["set", "it", "to", "21", "degrees", "please"]
        );
        assert_eq!(normalize("press 1 or 8"), normalize("Press one, or eight."));
        assert_eq!(normalize("Don't"), ["don't"]);
    }

    #[test]
    fn edits_are_counted_per_reference_word() {
        assert_eq!(word_error_rate("open the window", "open the window"), 0.0);
        assert_eq!(
            word_error_rate("open the window", "open a window"),
            1.0 / 3.0
        );
        assert_eq!(word_error_rate("open the window", "open the"), 1.0 / 3.0);
        assert_eq!(
            word_error_rate("open the window", "please open the window now"),
            2.0 / 3.0
        );
    }
}
