//! The signal catalog: every VSS path cockpit reads or controls, with its type, range, start
//! value and the rules of the road that apply to it.
//!
//! The catalog is data (`assets/vehicle/signals.toml`), loaded through private serde structs
//! that mirror the file and are then checked and turned into [`Metadata`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// A VSS data type, as the catalog names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataType {
    /// `boolean`
    Boolean,
    /// `uint8`
    Uint8,
    /// `int8`
    Int8,
    /// `uint32`
    Uint32,
    /// `float`
    Float,
    /// `string`
    String,
}

impl fmt::Display for DataType {
    /// What a person should type for this type.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DataType::Boolean => "true or false",
            DataType::Uint8 | DataType::Int8 | DataType::Uint32 => "a whole number",
            DataType::Float => "a number",
            DataType::String => "a name",
        })
    }
}

impl DataType {
    fn integer_bounds(self) -> Option<(i64, i64)> {
        match self {
            DataType::Uint8 => Some((0, 255)),
            DataType::Int8 => Some((-128, 127)),
            DataType::Uint32 => Some((0, i64::from(u32::MAX))),
            _ => None,
        }
    }
}

/// Whether the agent can change a signal or only read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryType {
    /// Read only: speed, temperatures, battery.
    Sensor,
    /// Can be set: windows, climate, lights.
    Actuator,
}

/// A signal value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// A boolean.
    Bool(bool),
    /// An integer of any of the integer types.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string: an enumeration value or an RGB colour.
    String(String),
}

impl Value {
    /// The value as a number, for booleans 0 or 1.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::String(_) => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x:.1}"),
            Value::String(s) => f.write_str(s),
        }
    }
}

/// When a change needs the car to stand still.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StandstillRule {
    /// Any change: trunks.
    Always,
    /// Only a change to `false`: unlocking doors (locking is always allowed).
    ToFalse,
}

/// The rules of the road that apply to one actuator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
pub struct Rules {
    /// Bears on driving: only the driver's seat may ask for it.
    pub driver_only: bool,
    /// Needs the car to stand still, and for which changes.
    pub standstill: Option<StandstillRule>,
}

/// What strings a string signal accepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum StringFormat {
    /// One of these values (compared case-insensitively, stored as written here).
    OneOf(Vec<String>),
    /// A colour as six hex digits, `RRGGBB`.
    RgbHex,
}

/// Everything the catalog says about one signal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metadata {
    path: String,
    entry_type: EntryType,
    data_type: DataType,
    unit: Option<String>,
    min: Option<f64>,
    max: Option<f64>,
    step: Option<f64>,
    format: Option<StringFormat>,
    default: Value,
    name: String,
    description: String,
    rules: Rules,
}

/// Why a value does not fit a signal.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ValueError {
    /// The value has the wrong type (text for a number, a number for a boolean).
    #[error("{path} takes {expected}, not {value}")]
    WrongType {
        /// The signal.
        path: String,
        /// What it takes.
        expected: DataType,
        /// What was given.
        value: Value,
    },
    /// The value is outside the range; `limit` is the nearest allowed value.
    #[error("{value} is outside {path}'s range {min}..={max}")]
    OutOfRange {
        /// The signal.
        path: String,
        /// What was asked.
        value: Value,
        /// The lower limit.
        min: f64,
        /// The upper limit.
        max: f64,
        /// The nearest value in range.
        limit: Value,
    },
    /// The string is not one the signal accepts.
    #[error("{path} takes one of {allowed}, not {value}")]
    NotAllowed {
        /// The signal.
        path: String,
        /// What was given.
        value: String,
        /// What it accepts, for the message.
        allowed: String,
    },
}

/// A catalog file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The file could not be read.
    #[error("cannot read signal catalog {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not have the catalog's shape.
    #[error("signal catalog {path} is malformed: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },
    /// An entry is inconsistent.
    #[error("signal catalog {path}: {signal}: {reason}")]
    Entry {
        /// The file.
        path: PathBuf,
        /// The VSS path of the entry.
        signal: String,
        /// What is wrong.
        reason: String,
    },
}

/// The loaded catalog: metadata by VSS path, plus the standstill threshold of the rules.
#[derive(Clone, Debug)]
pub struct Catalog {
    entries: BTreeMap<String, Metadata>,
    standstill_below_kmh: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    version: u32,
    standstill_below_kmh: f64,
    #[serde(default)]
    signal: Vec<EntryFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    path: String,
    kind: EntryType,
    datatype: DataType,
    unit: Option<String>,
    min: Option<f64>,
    max: Option<f64>,
    step: Option<f64>,
    allowed: Option<Vec<String>>,
    #[serde(default)]
    rgb_hex: bool,
    default: toml::Value,
    /// What screens and chips call it; the description's first clause when absent.
    name: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    driver_only: bool,
    standstill: Option<StandstillRule>,
}

impl Catalog {
    /// Loads and checks a catalog file.
    pub fn load(path: &Path) -> Result<Catalog, CatalogError> {
        let text = std::fs::read_to_string(path).map_err(|source| CatalogError::Io {
            path: path.to_owned(),
            source,
        })?;
        Catalog::parse(&text, path)
    }

    /// Parses catalog text; `source` names it in errors.
    pub fn parse(text: &str, source: &Path) -> Result<Catalog, CatalogError> {
        let file: CatalogFile = toml::from_str(text).map_err(|e| CatalogError::Syntax {
            path: source.to_owned(),
            message: e.to_string(),
        })?;
        if file.version != 1 {
            return Err(CatalogError::Syntax {
                path: source.to_owned(),
                message: format!(
                    "version {} is not supported (this cockpit reads version 1)",
                    file.version
                ),
            });
        }
        let mut entries = BTreeMap::new();
        for entry in file.signal {
            let signal = entry.path.clone();
            let metadata = Metadata::from_file(entry).map_err(|reason| CatalogError::Entry {
                path: source.to_owned(),
                signal: signal.clone(),
                reason,
            })?;
            if entries.insert(signal.clone(), metadata).is_some() {
                return Err(CatalogError::Entry {
                    path: source.to_owned(),
                    signal,
                    reason: "listed twice".into(),
                });
            }
        }
        Ok(Catalog {
            entries,
            standstill_below_kmh: file.standstill_below_kmh,
        })
    }

    /// The metadata of a path.
    pub fn get(&self, path: &str) -> Option<&Metadata> {
        self.entries.get(path)
    }

    /// All entries, ordered by path.
    pub fn entries(&self) -> impl Iterator<Item = &Metadata> {
        self.entries.values()
    }

    /// The actuators, ordered by path.
    pub fn actuators(&self) -> impl Iterator<Item = &Metadata> {
        self.entries()
            .filter(|m| m.entry_type == EntryType::Actuator)
    }

    /// Below this speed the car counts as standing still.
    pub fn standstill_below_kmh(&self) -> f64 {
        self.standstill_below_kmh
    }
}

impl Metadata {
    fn from_file(entry: EntryFile) -> Result<Metadata, String> {
        if !entry.path.starts_with("Vehicle.") {
            return Err("a VSS path starts with \"Vehicle.\"".into());
        }
        let is_string = entry.datatype == DataType::String;
        if (entry.allowed.is_some() || entry.rgb_hex) && !is_string {
            return Err("only string signals take `allowed` or `rgb_hex`".into());
        }
        let format = match (entry.allowed, entry.rgb_hex) {
            (Some(_), true) => return Err("`allowed` and `rgb_hex` exclude each other".into()),
            (Some(values), false) => Some(StringFormat::OneOf(values)),
            (None, true) => Some(StringFormat::RgbHex),
            (None, false) if is_string => {
                return Err("a string signal needs `allowed` or `rgb_hex`".into());
            }
            (None, false) => None,
        };
        if let (Some(min), Some(max)) = (entry.min, entry.max)
            && min > max
        {
            return Err(format!("min {min} is above max {max}"));
        }
        if entry.step.is_some_and(|s| s <= 0.0) {
            return Err("step must be positive".into());
        }
        if entry.kind == EntryType::Sensor && (entry.driver_only || entry.standstill.is_some()) {
            return Err("rules apply to actuators only".into());
        }
        let name = entry
            .name
            .unwrap_or_else(|| first_clause(&entry.description, &entry.path));
        let mut metadata = Metadata {
            path: entry.path,
            entry_type: entry.kind,
            data_type: entry.datatype,
            unit: entry.unit,
            min: entry.min,
            max: entry.max,
            step: entry.step,
            format,
            default: Value::Bool(false),
            name,
            description: entry.description,
            rules: Rules {
                driver_only: entry.driver_only,
                standstill: entry.standstill,
            },
        };
        let default = match entry.default {
            toml::Value::Boolean(b) => Value::Bool(b),
            toml::Value::Integer(i) => Value::Int(i),
            toml::Value::Float(f) => Value::Float(f),
            toml::Value::String(s) => Value::String(s),
            other => {
                return Err(format!(
                    "default {other} is not a boolean, number or string"
                ));
            }
        };
        metadata.default = metadata
            .check(&default)
            .map_err(|e| format!("default: {e}"))?;
        Ok(metadata)
    }

    /// The VSS path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Sensor or actuator.
    pub fn entry_type(&self) -> EntryType {
        self.entry_type
    }

    /// The VSS data type.
    pub fn data_type(&self) -> DataType {
        self.data_type
    }

    /// The unit, as the catalog writes it.
    pub fn unit(&self) -> Option<&str> {
        self.unit.as_deref()
    }

    /// The lower limit, for numbers.
    pub fn min(&self) -> Option<f64> {
        self.min
    }

    /// The upper limit, for numbers.
    pub fn max(&self) -> Option<f64> {
        self.max
    }

    /// The value step, for numbers that move in steps (temperatures in 0.5 °C).
    pub fn step(&self) -> Option<f64> {
        self.step
    }

    /// What strings a string signal accepts.
    pub fn format(&self) -> Option<&StringFormat> {
        self.format.as_ref()
    }

    /// The start state value.
    pub fn default(&self) -> &Value {
        &self.default
    }

    /// What a screen calls it, in a few words: "Front left window", "Trunk".
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A sentence on what the signal is.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The rules of the road for this actuator.
    pub fn rules(&self) -> Rules {
        self.rules
    }

    /// The effective numeric bounds: the catalog's, else the data type's.
    fn bounds(&self) -> Option<(f64, f64)> {
        let (type_min, type_max) = match self.data_type.integer_bounds() {
            Some((lo, hi)) => (lo as f64, hi as f64),
            None if self.data_type == DataType::Float => (f64::MIN, f64::MAX),
            None => return None,
        };
        Some((self.min.unwrap_or(type_min), self.max.unwrap_or(type_max)))
    }

    /// Checks a value against the type, range and allowed values, and returns it in canonical
    /// form: the right variant for the type, rounded to the step, strings spelled as the
    /// catalog spells them.
    pub fn check(&self, value: &Value) -> Result<Value, ValueError> {
        let wrong_type = || ValueError::WrongType {
            path: self.path.clone(),
            expected: self.data_type,
            value: value.clone(),
        };
        match self.data_type {
            DataType::Boolean => match value {
                Value::Bool(b) => Ok(Value::Bool(*b)),
                _ => Err(wrong_type()),
            },
            DataType::String => {
                let Value::String(text) = value else {
                    return Err(wrong_type());
                };
                self.check_string(text)
            }
            DataType::Float | DataType::Uint8 | DataType::Int8 | DataType::Uint32 => {
                let number = match value {
                    Value::Int(i) => *i as f64,
                    Value::Float(f) if f.is_finite() => *f,
                    _ => return Err(wrong_type()),
                };
                self.check_number(number, value)
            }
        }
    }

    fn check_number(&self, number: f64, asked: &Value) -> Result<Value, ValueError> {
        // Cannot fail: `bounds` is None only for booleans and strings, handled by the caller.
        let (min, max) = self.bounds().unwrap_or((f64::MIN, f64::MAX));
        let rounded = match self.step {
            Some(step) => {
                let base = self.min.unwrap_or(0.0);
                base + ((number - base) / step).round() * step
            }
            None if self.data_type == DataType::Float => number,
            None => number.round(),
        };
        if rounded < min || rounded > max {
            let limit = if rounded < min { min } else { max };
            return Err(ValueError::OutOfRange {
                path: self.path.clone(),
                value: asked.clone(),
                min,
                max,
                limit: self.number_value(limit),
            });
        }
        Ok(self.number_value(rounded))
    }

    fn number_value(&self, number: f64) -> Value {
        if self.data_type == DataType::Float {
            Value::Float(number)
        } else {
            Value::Int(number as i64)
        }
    }

    fn check_string(&self, text: &str) -> Result<Value, ValueError> {
        match &self.format {
            Some(StringFormat::OneOf(allowed)) => allowed
                .iter()
                .find(|a| a.eq_ignore_ascii_case(text.trim()))
                .map(|a| Value::String(a.clone()))
                .ok_or_else(|| ValueError::NotAllowed {
                    path: self.path.clone(),
                    value: text.to_owned(),
                    allowed: allowed.join(", "),
                }),
            Some(StringFormat::RgbHex) => {
                let hex = text.trim().trim_start_matches('#');
                if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                    Ok(Value::String(hex.to_ascii_uppercase()))
                } else {
                    Err(ValueError::NotAllowed {
                        path: self.path.clone(),
                        value: text.to_owned(),
                        allowed: "a colour as six hex digits RRGGBB".into(),
                    })
                }
            }
            // Cannot happen: loading refuses string signals without a format.
            None => Ok(Value::String(text.to_owned())),
        }
    }

    /// Reads a value typed by a person (command line, config): `true`/`on`/`1` for booleans,
    /// numbers for numbers, text for strings. The result still needs [`check`](Self::check).
    pub fn parse(&self, text: &str) -> Result<Value, ValueError> {
        let text = text.trim();
        let wrong_type = || ValueError::WrongType {
            path: self.path.clone(),
            expected: self.data_type,
            value: Value::String(text.to_owned()),
        };
        match self.data_type {
            DataType::Boolean => match text.to_ascii_lowercase().as_str() {
                "true" | "on" | "1" | "yes" => Ok(Value::Bool(true)),
                "false" | "off" | "0" | "no" => Ok(Value::Bool(false)),
                _ => Err(wrong_type()),
            },
            DataType::String => Ok(Value::String(text.to_owned())),
            _ => text
                .parse::<i64>()
                .map(Value::Int)
                .or_else(|_| text.parse::<f64>().map(Value::Float))
                .map_err(|_| wrong_type()),
        }
    }
}

/// A name for a signal whose entry gives none: its description up to the first stop
/// ("Window opening, front left: 0 closed …" → "Window opening, front left"), else its path.
fn first_clause(description: &str, path: &str) -> String {
    let clause = description
        .split([':', '.', ';'])
        .next()
        .unwrap_or_default()
        .trim();
    if clause.is_empty() {
        path.to_owned()
    } else {
        clause.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
version = 1
standstill_below_kmh = 3.0

[[signal]]
path = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"
kind = "actuator"
datatype = "float"
unit = "°C"
min = 16.0
max = 28.0
step = 0.5
default = 21.0

[[signal]]
path = "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked"
kind = "actuator"
datatype = "boolean"
default = true
standstill = "to_false"

[[signal]]
path = "Vehicle.Body.Windshield.Front.Wiping.Mode"
kind = "actuator"
datatype = "string"
allowed = ["OFF", "SLOW", "FAST"]
default = "OFF"
driver_only = true

[[signal]]
path = "Vehicle.Cabin.Light.AmbientLight.Row1.DriverSide.Color"
kind = "actuator"
datatype = "string"
rgb_hex = true
default = "FFFFFF"

[[signal]]
path = "Vehicle.Cabin.Infotainment.Media.Volume"
kind = "actuator"
datatype = "uint8"
min = 0
max = 100
default = 40
"#;

    fn catalog() -> Catalog {
        Catalog::parse(SAMPLE, Path::new("signals.toml")).unwrap()
    }

    fn check(path: &str, value: Value, expect: Result<Value, &str>) {
        let catalog = catalog();
        let got = catalog
            .get(path)
            .unwrap()
            .check(&value)
            .map_err(|e| e.to_string());
        assert_eq!(got, expect.map_err(str::to_owned));
    }

    #[test]
    fn numbers_are_rounded_to_the_step_and_kept_in_range() {
        let temp = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature";
        check(temp, Value::Float(22.3), Ok(Value::Float(22.5)));
        check(temp, Value::Int(24), Ok(Value::Float(24.0)));
        check(
            temp,
            Value::Int(35),
            Err("35 is outside Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature's range 16..=28"),
        );
        let volume = "Vehicle.Cabin.Infotainment.Media.Volume";
        check(volume, Value::Float(10.4), Ok(Value::Int(10)));
        check(
            volume,
            Value::Bool(true),
            Err("Vehicle.Cabin.Infotainment.Media.Volume takes a whole number, not true"),
        );
    }

    #[test]
    fn out_of_range_carries_the_limit() {
        let catalog = catalog();
        let temp = catalog
            .get("Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature")
            .unwrap();
        let Err(ValueError::OutOfRange { limit, .. }) = temp.check(&Value::Int(35)) else {
            panic!("35 °C must be out of range");
        };
        assert_eq!(limit, Value::Float(28.0));
    }

    #[test]
    fn strings_are_matched_case_insensitively_and_colours_normalised() {
        let wipers = "Vehicle.Body.Windshield.Front.Wiping.Mode";
        check(
            wipers,
            Value::String("fast".into()),
            Ok(Value::String("FAST".into())),
        );
        check(
            wipers,
            Value::String("hyper".into()),
            Err(
                "Vehicle.Body.Windshield.Front.Wiping.Mode takes one of OFF, SLOW, FAST, not hyper",
            ),
        );
        let colour = "Vehicle.Cabin.Light.AmbientLight.Row1.DriverSide.Color";
        check(
            colour,
            Value::String("#00ff7f".into()),
            Ok(Value::String("00FF7F".into())),
        );
        assert!(
            catalog()
                .get(colour)
                .unwrap()
                .check(&Value::String("blue".into()))
                .is_err()
        );
    }

    #[test]
    fn rules_come_from_the_file() {
        let catalog = catalog();
        let lock = catalog
            .get("Vehicle.Cabin.Door.Row1.DriverSide.IsLocked")
            .unwrap();
        assert_eq!(lock.rules().standstill, Some(StandstillRule::ToFalse));
        let wipers = catalog
            .get("Vehicle.Body.Windshield.Front.Wiping.Mode")
            .unwrap();
        assert!(wipers.rules().driver_only);
        assert_eq!(catalog.standstill_below_kmh(), 3.0);
    }

    #[test]
    fn a_signal_is_called_by_its_name_else_by_its_description_else_by_its_path() {
        let text = SAMPLE
            .replace(
                "default = true\nstandstill",
                "default = true\nname = \"Front left lock\"\n\
                 description = \"Door lock, front left; the doors lock together.\"\nstandstill",
            )
            .replace(
                "allowed = [\"OFF\", \"SLOW\", \"FAST\"]",
                "allowed = [\"OFF\", \"SLOW\", \"FAST\"]\n\
                 description = \"Windscreen wipers: off, slow or fast.\"",
            );
        let catalog = Catalog::parse(&text, Path::new("signals.toml")).unwrap();
        let name = |path: &str| catalog.get(path).unwrap().name().to_owned();
        assert_eq!(
            name("Vehicle.Cabin.Door.Row1.DriverSide.IsLocked"),
            "Front left lock"
        );
        assert_eq!(
            name("Vehicle.Body.Windshield.Front.Wiping.Mode"),
            "Windscreen wipers"
        );
        assert_eq!(
            name("Vehicle.Cabin.Infotainment.Media.Volume"),
            "Vehicle.Cabin.Infotainment.Media.Volume"
        );
    }

    #[test]
    fn people_type_values() {
        let catalog = catalog();
        let lock = catalog
            .get("Vehicle.Cabin.Door.Row1.DriverSide.IsLocked")
            .unwrap();
        assert_eq!(lock.parse("off"), Ok(Value::Bool(false)));
        let volume = catalog
            .get("Vehicle.Cabin.Infotainment.Media.Volume")
            .unwrap();
        assert_eq!(volume.parse("12"), Ok(Value::Int(12)));
        assert!(volume.parse("loud").is_err());
    }

    #[test]
    fn bad_entries_are_named() {
        let text = SAMPLE.replace("default = 21.0", "default = 40.0");
        let err = Catalog::parse(&text, Path::new("signals.toml")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "signal catalog signals.toml: Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature: default: \
             40.0 is outside Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature's range 16..=28"
        );
        let text = SAMPLE.replace(
            "kind = \"actuator\"\ndatatype = \"boolean\"",
            "kind = \"actuator\"\ndatatype = \"bool\"",
        );
        let err = Catalog::parse(&text, Path::new("signals.toml")).unwrap_err();
        assert!(err.to_string().contains("unknown variant `bool`"), "{err}");
        assert!(err.to_string().contains("line"), "{err}");
    }
}
