//! The plan language the model writes: its words, its grammar, and plans as types.
//!
//! Read from `assets/agent/functions.toml`, the file the training code reads too, so the
//! model, the grammar that constrains it and the agent that carries plans out cannot drift
//! apart. A plan is one to four statements joined by `;`:
//! `set FUNCTION ZONE VALUE | answer QUERY ZONE | ask FUNCTION ZONE | none | undo | cancel | yes | no`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use vehicle::Catalog;

/// The functions file, built in.
pub const FUNCTIONS_TOML: &str = include_str!("../../../assets/agent/functions.toml");

/// The seats, in the catalog's order.
pub const SEATS: [&str; 4] = ["driver", "passenger", "rear_left", "rear_right"];
/// Zone groups and the seats they stand for.
const GROUPS: [(&str, &[&str]); 5] = [
    ("front", &["driver", "passenger"]),
    ("rear", &["rear_left", "rear_right"]),
    ("left", &["driver", "rear_left"]),
    ("right", &["passenger", "rear_right"]),
    ("all", &["driver", "passenger", "rear_left", "rear_right"]),
];
const SIMPLE: [&str; 5] = ["none", "undo", "cancel", "yes", "no"];
/// The most statements one plan may hold.
pub const MAX_STATEMENTS: usize = 4;

/// Why the functions file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LanguageError {
    /// Not valid TOML of the expected form.
    #[error("assets/agent/functions.toml: {0}")]
    Parse(#[from] toml::de::Error),
    /// It names a signal the catalog lacks.
    #[error(
        "assets/agent/functions.toml: function {function} uses {path}, which is not in the signal catalog"
    )]
    UnknownPath {
        /// The function.
        function: String,
        /// The path.
        path: String,
    },
}

/// What values a function takes.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// 16..28 °C in half degrees, or Fahrenheit as `72f`.
    Celsius,
    /// 0..100.
    Percent,
    /// on/off.
    Switch,
    /// One of a list of names.
    Choice(Vec<String>),
}

/// One function of the plan language.
#[derive(Clone, Debug)]
pub struct Function {
    /// Its name in plans.
    pub name: String,
    /// What values it takes.
    pub kind: Kind,
    /// Whether up/down, +N/-N, max and min apply.
    pub relative: bool,
    /// What up or down change by.
    pub step: f64,
    /// What "on" means for a level.
    pub default_on: Option<f64>,
    /// How many levels a knob of it has, where a small number said is a level: "seat heating
    /// to 2" is level 2 of 3 (66 %), not 2 %.
    pub levels: Option<u32>,
    /// How many speeds a knob that runs at any percentage is also counted in, where a small
    /// number said is one of them: "fan to 3" is the third of five, 60 %, not 3 %.
    pub speeds: Option<u32>,
    /// -1 where the function drives its signal negative (seat cooling).
    pub sign: f64,
    /// Whether mute/unmute apply.
    pub mute: bool,
    /// Seat → VSS path; a function without seats has the one key "all".
    pub paths: BTreeMap<String, String>,
    /// Every value word a `set` of it may carry, listed once at load: decoding asks at
    /// every step.
    values: Vec<String>,
}

impl Function {
    /// Whether the function has per-seat signals.
    pub fn is_zoned(&self) -> bool {
        !self.paths.contains_key("all")
    }

    /// Every value word a `set` of this function may carry.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    fn value_words(&self) -> Vec<String> {
        let mut values: Vec<String> = Vec::new();
        let relative = |values: &mut Vec<String>, small: &[i32]| {
            values.extend(["up", "down", "max", "min"].map(String::from));
            values.extend(small.iter().map(|n| format!("+{n}")));
            values.extend(small.iter().map(|n| format!("-{n}")));
        };
        match &self.kind {
            Kind::Celsius => {
                values.extend((32..=56).map(|h| celsius_word(f64::from(h) / 2.0)));
                values.extend((60..85).map(|f| format!("{f}f")));
                if self.relative {
                    relative(&mut values, &[1, 2, 3, 4, 5]);
                }
            }
            Kind::Percent => {
                values.extend((0..=100).map(|n| n.to_string()));
                values.extend(["on", "off"].map(String::from));
                if self.relative {
                    relative(&mut values, &[10, 20, 30, 40, 50]);
                }
                if self.mute {
                    values.extend(["mute", "unmute"].map(String::from));
                }
            }
            Kind::Switch => values.extend(["on", "off"].map(String::from)),
            Kind::Choice(choices) => values.extend(choices.iter().cloned()),
        }
        values
    }

    /// Zone words this function accepts.
    pub fn zone_words(&self) -> Vec<&'static str> {
        if !self.is_zoned() {
            return vec!["all"];
        }
        let mut words: Vec<&'static str> = SEATS
            .iter()
            .copied()
            .filter(|s| self.paths.contains_key(*s))
            .collect();
        words.extend(["my", "all"]);
        for (group, seats) in GROUPS {
            if group != "all" && seats.iter().any(|s| self.paths.contains_key(*s)) {
                words.push(group);
            }
        }
        words
    }

    /// The seats a zone word stands for, among those the function has; `speaker` is "my".
    pub fn seats(&self, zone: &str, speaker: &str) -> Vec<String> {
        if !self.is_zoned() {
            return vec!["all".into()];
        }
        let wanted: Vec<&str> = match zone {
            "my" => vec![speaker],
            seat if SEATS.contains(&seat) => vec![seat],
            group => GROUPS
                .iter()
                .find(|(g, _)| *g == group)
                .map(|(_, seats)| seats.to_vec())
                .unwrap_or_default(),
        };
        wanted
            .into_iter()
            .filter(|s| self.paths.contains_key(*s))
            .map(String::from)
            .collect()
    }
}

/// 21 → "21", 21.5 → "21.5": how a temperature is written in plans.
fn celsius_word(t: f64) -> String {
    if t.fract() == 0.0 {
        format!("{t:.0}")
    } else {
        format!("{t:.1}")
    }
}

/// A sensor `answer` can report.
#[derive(Clone, Debug)]
pub struct Query {
    /// Its name in plans.
    pub name: String,
    /// The VSS path.
    pub path: String,
}

/// The plan language.
#[derive(Clone, Debug)]
pub struct Language {
    functions: Vec<Function>,
    queries: Vec<Query>,
    colors: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct FunctionsFile {
    function: Vec<FunctionEntry>,
    query: Vec<Query2>,
    colors: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Query2 {
    name: String,
    path: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Values {
    Kind(String),
    Choices(Vec<String>),
}

#[derive(Deserialize)]
struct FunctionEntry {
    name: String,
    values: Values,
    #[serde(default)]
    relative: bool,
    step: Option<f64>,
    default_on: Option<f64>,
    levels: Option<u32>,
    speeds: Option<u32>,
    sign: Option<f64>,
    #[serde(default)]
    mute: bool,
    path: Option<String>,
    #[serde(default)]
    zones: BTreeMap<String, String>,
}

impl Language {
    /// The built-in language, checked against `catalog`.
    pub fn reference(catalog: &Catalog) -> Result<Language, LanguageError> {
        Language::parse(FUNCTIONS_TOML, catalog)
    }

    /// A language from a functions file's text, checked against `catalog`.
    pub fn parse(text: &str, catalog: &Catalog) -> Result<Language, LanguageError> {
        let file: FunctionsFile = toml::from_str(text)?;
        let mut functions = Vec::new();
        for f in file.function {
            let paths = match (f.zones.is_empty(), f.path) {
                (true, Some(path)) => BTreeMap::from([("all".to_owned(), path)]),
                (_, _) => f.zones,
            };
            for path in paths.values() {
                if catalog.get(path).is_none() {
                    return Err(LanguageError::UnknownPath {
                        function: f.name.clone(),
                        path: path.clone(),
                    });
                }
            }
            let kind = match f.values {
                Values::Kind(k) if k == "celsius" => Kind::Celsius,
                Values::Kind(k) if k == "percent" => Kind::Percent,
                Values::Kind(_) => Kind::Switch,
                Values::Choices(c) => Kind::Choice(c),
            };
            let mut function = Function {
                name: f.name,
                kind,
                relative: f.relative,
                step: f.step.unwrap_or(1.0),
                default_on: f.default_on,
                levels: f.levels,
                speeds: f.speeds,
                sign: f.sign.unwrap_or(1.0),
                mute: f.mute,
                paths,
                values: Vec::new(),
            };
            function.values = function.value_words();
            functions.push(function);
        }
        let queries = file
            .query
            .into_iter()
            .map(|q| Query {
                name: q.name,
                path: q.path,
            })
            .collect();
        Ok(Language {
            functions,
            queries,
            colors: file.colors,
        })
    }

    /// Every function, in the order of the functions file.
    pub fn functions(&self) -> impl Iterator<Item = &Function> {
        self.functions.iter()
    }

    /// A function by name.
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.name == name)
    }

    /// A sensor query by name.
    pub fn query(&self, name: &str) -> Option<&Query> {
        self.queries.iter().find(|q| q.name == name)
    }

    /// A colour name's RGB hex.
    pub fn color(&self, name: &str) -> Option<&str> {
        self.colors.get(name).map(String::as_str)
    }

    /// The name of a colour given as RGB hex, if it has one.
    pub fn color_name(&self, hex: &str) -> Option<&str> {
        self.colors
            .iter()
            .find(|(_, rgb)| rgb.eq_ignore_ascii_case(hex))
            .map(|(name, _)| name.as_str())
    }

    /// Every plan word, in the order the training code gives them (the model's plan tokens).
    pub fn words(&self) -> Vec<String> {
        let mut words: Vec<String> = ["set", "answer", "ask", ";"]
            .into_iter()
            .chain(SIMPLE)
            .map(String::from)
            .collect();
        words.extend(self.functions.iter().map(|f| f.name.clone()));
        words.extend(
            self.queries
                .iter()
                .filter(|q| self.function(&q.name).is_none())
                .map(|q| q.name.clone()),
        );
        words.extend(SEATS.iter().map(|s| s.to_string()));
        words.extend(GROUPS.iter().map(|(g, _)| g.to_string()));
        words.push("my".into());
        let mut seen: BTreeSet<String> = words.iter().cloned().collect();
        for f in &self.functions {
            for v in f.values() {
                if seen.insert(v.clone()) {
                    words.push(v.clone());
                }
            }
        }
        words
    }

    /// What may follow `words` (complete plan words so far): the grammar that constrains
    /// decoding. `end` says whether the plan may stop here.
    pub fn allowed_next(&self, words: &[&str]) -> Allowed {
        let mut statements: Vec<Vec<&str>> = vec![Vec::new()];
        for w in words {
            if *w == ";" {
                statements.push(Vec::new());
            } else if let Some(last) = statements.last_mut() {
                last.push(w);
            }
        }
        let (current, previous) = match statements.split_last() {
            Some((current, previous)) => (current.clone(), previous),
            None => (Vec::new(), &[][..]),
        };
        let count = statements.len();
        let none = Allowed::default();
        let Some(head) = current.first().copied() else {
            let mut heads: Vec<String> = ["set", "answer", "ask"].map(String::from).to_vec();
            if count == 1 {
                heads.extend(SIMPLE.map(String::from));
            }
            return Allowed {
                words: heads,
                end: false,
            };
        };
        let complete = Allowed {
            words: if count < MAX_STATEMENTS {
                vec![";".into()]
            } else {
                vec![]
            },
            end: true,
        };
        if SIMPLE.contains(&head) {
            return if current.len() == 1 {
                Allowed {
                    words: vec![],
                    end: true,
                }
            } else {
                none
            };
        }
        if !["set", "answer", "ask"].contains(&head) {
            return none;
        }
        // A plan never says the same thing twice about one function and zone.
        let zones = |name: &str| -> Vec<String> {
            let all: Vec<&str> = match self.function(name) {
                Some(f) => f.zone_words(),
                None if head == "answer" && self.query(name).is_some() => vec!["all"],
                None => vec![],
            };
            all.into_iter()
                .filter(|z| {
                    !previous
                        .iter()
                        .any(|s| s.len() > 2 && s[0] == head && s[1] == name && s[2] == *z)
                })
                .map(String::from)
                .collect()
        };
        let function = current.get(1).and_then(|name| self.function(name));
        match (head, current.len()) {
            (_, 1) => {
                let mut names: Vec<String> =
                    self.functions.iter().map(|f| f.name.clone()).collect();
                if head == "answer" {
                    names.extend(
                        self.queries
                            .iter()
                            .filter(|q| self.function(&q.name).is_none())
                            .map(|q| q.name.clone()),
                    );
                }
                names.retain(|n| !zones(n).is_empty());
                Allowed {
                    words: names,
                    end: false,
                }
            }
            (_, 2) => Allowed {
                words: zones(current[1]),
                end: false,
            },
            ("set", 3) => match function {
                Some(f) if zones(current[1]).iter().any(|z| z == current[2]) => Allowed {
                    words: f.values().to_vec(),
                    end: false,
                },
                _ => none,
            },
            ("set", 4) => match function {
                Some(f) if f.values().iter().any(|v| v == current[3]) => complete,
                _ => none,
            },
            (_, 3) if zones(current[1]).iter().any(|z| z == current[2]) => complete,
            _ => none,
        }
    }

    /// Whether `text` (plan words separated by spaces) can be continued into a valid plan:
    /// every whole word follows the grammar and a trailing partial word starts an allowed one.
    pub fn accepts_prefix(&self, text: &str) -> bool {
        if !text.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
            return false;
        }
        let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
        let (whole, partial) = if text.ends_with(' ') || text.is_empty() {
            (&words[..], None)
        } else {
            match words.split_last() {
                Some((last, rest)) => (rest, Some(*last)),
                None => (&words[..], None),
            }
        };
        if !self.follows_grammar(whole) {
            return false;
        }
        match partial {
            None => true,
            Some(p) => self
                .allowed_next(whole)
                .words
                .iter()
                .any(|w| w.starts_with(p)),
        }
    }

    /// Whether each word is one the grammar allows after those before it.
    fn follows_grammar(&self, words: &[&str]) -> bool {
        (0..words.len()).all(|i| {
            self.allowed_next(&words[..i])
                .words
                .iter()
                .any(|w| w == words[i])
        })
    }

    /// Parses a complete plan.
    pub fn parse_plan(&self, text: &str) -> Result<Plan, PlanError> {
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.is_empty() || !self.follows_grammar(&words) || !self.allowed_next(&words).end {
            return Err(PlanError(text.to_owned()));
        }
        let statements = words
            .split(|w| *w == ";")
            .map(|s| match s {
                ["set", f, z, v] => Statement::Set {
                    function: f.to_string(),
                    zone: z.to_string(),
                    value: v.to_string(),
                },
                ["answer", q, z] => Statement::Answer {
                    query: q.to_string(),
                    zone: z.to_string(),
                },
                ["ask", f, z] => Statement::Ask {
                    function: f.to_string(),
                    zone: z.to_string(),
                },
                ["undo"] => Statement::Undo,
                ["cancel"] => Statement::Cancel,
                ["yes"] => Statement::Yes,
                ["no"] => Statement::No,
                _ => Statement::Nothing,
            })
            .collect();
        Ok(Plan { statements })
    }
}

/// What may come next in a plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Allowed {
    /// The words.
    pub words: Vec<String>,
    /// Whether the plan may end here.
    pub end: bool,
}

/// Text that is not a plan of the language.
#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not a valid plan")]
pub struct PlanError(String);

/// A plan: what the model understood.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    /// Its statements, in order.
    pub statements: Vec<Statement>,
}

impl Plan {
    /// The plan that does nothing.
    pub fn nothing() -> Plan {
        Plan {
            statements: vec![Statement::Nothing],
        }
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.statements.iter().enumerate() {
            if i > 0 {
                f.write_str(" ; ")?;
            }
            match s {
                Statement::Set {
                    function,
                    zone,
                    value,
                } => write!(f, "set {function} {zone} {value}")?,
                Statement::Answer { query, zone } => write!(f, "answer {query} {zone}")?,
                Statement::Ask { function, zone } => write!(f, "ask {function} {zone}")?,
                Statement::Nothing => f.write_str("none")?,
                Statement::Undo => f.write_str("undo")?,
                Statement::Cancel => f.write_str("cancel")?,
                Statement::Yes => f.write_str("yes")?,
                Statement::No => f.write_str("no")?,
            }
        }
        Ok(())
    }
}

/// One statement of a plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Statement {
    /// Change a function in a zone.
    Set {
        /// The function.
        function: String,
        /// The zone word.
        zone: String,
        /// The value word.
        value: String,
    },
    /// Report a sensor or setting.
    Answer {
        /// A function or sensor query.
        query: String,
        /// The zone word.
        zone: String,
    },
    /// Ask back for a value.
    Ask {
        /// The function.
        function: String,
        /// The zone word.
        zone: String,
    },
    /// Not for the car.
    Nothing,
    /// Take back the last change.
    Undo,
    /// Drop what is pending.
    Cancel,
    /// Confirm.
    Yes,
    /// Decline.
    No,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn language() -> Language {
        Language::reference(&vehicle::reference::catalog()).expect("built-in functions file")
    }

    #[test]
    fn every_function_maps_to_catalog_signals() {
        let lang = language();
        assert_eq!(lang.function("window").map(|f| f.paths.len()), Some(4));
        assert!(lang.function("ac").is_some_and(|f| !f.is_zoned()));
    }

    #[test]
    fn the_grammar_accepts_plans_and_rejects_the_rest() {
        let lang = language();
        for ok in [
            "set temperature my up",
            "set window all 0 ; set ac all on",
            "answer battery all",
            "answer temperature passenger",
            "ask temperature my",
            "none",
            "set temperature front 72f",
            "set volume all mute",
        ] {
            assert!(lang.parse_plan(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "set",
            "set ac my on",
            "set temperature my 35",
            "none ; none",
            "set fan rear_left 50",
            "answer battery my",
            "set window all 0 ; set window all 0 ; set window all 0 ; set window all 0 ; set ac all on",
            "set wipers all purple",
            "set media all PLAY ; set media all PLAY",
        ] {
            assert!(lang.parse_plan(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prefixes_allow_partial_words_only_where_a_word_can_start() {
        let lang = language();
        assert!(lang.accepts_prefix(""));
        assert!(lang.accepts_prefix("se"));
        assert!(lang.accepts_prefix("set temp"));
        assert!(lang.accepts_prefix("set temperature my "));
        assert!(!lang.accepts_prefix("set tempo"));
        assert!(!lang.accepts_prefix("hello"));
        assert!(!lang.accepts_prefix("set ac all on\n"));
    }

    #[test]
    fn the_word_list_matches_the_training_code() {
        // training/cockpit_lm/language.py lists 240 words in this order; the model's plan
        // tokens are these words.
        let words = language().words();
        assert_eq!(words.len(), 240);
        assert_eq!(
            &words[..9],
            &[
                "set", "answer", "ask", ";", "none", "undo", "cancel", "yes", "no"
            ]
        );
    }
}
