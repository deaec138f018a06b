//! A car as cockpit drives it: the catalog, a DBC, and the mapping file that ties each VSS path
//! to a status signal (where the car reports the value) and a command signal (where the head
//! unit requests a change), checked against each other when loaded.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::catalog::{Catalog, DataType, EntryType, StringFormat, Value};
use crate::dbc::{Database, Message, Raw, SignalValue};
use crate::e2e::{E2eReceiver, E2eStatus, Protection};
use crate::frame::{CanFrame, CanId};
use crate::policy::CheckedChange;

/// How long a status may take to show a commanded value when the mapping does not say.
const DEFAULT_SETTLE: Duration = Duration::from_millis(1000);

/// How far a protected message's counter may jump before the receiver distrusts it.
const DEFAULT_MAX_DELTA: u8 = 3;

/// A signal of a message, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct SignalRef {
    message: usize,
    signal: usize,
}

/// How a VSS value travels in a DBC signal.
#[derive(Clone, Debug)]
enum Codec {
    /// The physical value is the VSS number; `decimals` is the resolution of the scaling,
    /// used to print 21.900000000000002 as 21.9.
    Number { integer: bool, decimals: i32 },
    /// Booleans: the physical value for true and for false. On reading, any value other than
    /// the false one is true when no explicit table is given.
    Bool {
        true_value: f64,
        false_value: f64,
        strict: bool,
    },
    /// Strings of an enumeration: VSS value and physical value.
    Choices(Vec<(String, f64)>),
    /// An RGB colour as a 24-bit integer.
    Rgb,
}

#[derive(Clone, Debug)]
struct Binding {
    at: SignalRef,
    codec: Codec,
}

#[derive(Clone, Debug)]
struct Mapped {
    path: String,
    status: Option<Binding>,
    command: Option<Binding>,
    /// Other signals of the command message set along with the command, physical values.
    command_with: Vec<(usize, f64)>,
    settle: Duration,
}

/// A mapping file that does not fit its catalog or DBC.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    /// The file could not be read.
    #[error("cannot read mapping file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file is not valid TOML or not of the mapping's shape.
    #[error("mapping file {path} is malformed: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },
    /// An entry names something that does not exist or does not fit.
    #[error("mapping file {path}: {entry}: {reason}")]
    Entry {
        /// The file.
        path: PathBuf,
        /// The VSS path or message the entry is about.
        entry: String,
        /// What is wrong.
        reason: String,
    },
    /// The DBC the mapping names could not be loaded.
    #[error(transparent)]
    Dbc(#[from] crate::dbc::DbcError),
}

/// Why changes could not be turned into command frames.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CommandError {
    /// The path is not in the catalog.
    #[error("{0} is not in the signal catalog")]
    UnknownPath(String),
    /// This car has no command for the path.
    #[error("this car cannot set {0} (the mapping has no command for it)")]
    NotControllable(String),
    /// Two changes ask the same command signal for different things.
    #[error("{first} and {second} share one command and cannot be set to different values at once")]
    Conflict {
        /// One path.
        first: String,
        /// The other.
        second: String,
    },
    /// The value cannot be expressed in the command signal.
    #[error("{path}: {reason}")]
    Unencodable {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    dbc: Option<String>,
    #[serde(default)]
    e2e: Vec<E2eFile>,
    #[serde(default)]
    signal: Vec<SignalFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct E2eFile {
    message: String,
    data_id: u16,
    crc: String,
    counter: String,
    max_delta: Option<u8>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalFile {
    path: String,
    status: Option<String>,
    command: Option<String>,
    #[serde(default)]
    status_values: BTreeMap<String, toml::Value>,
    #[serde(default)]
    command_values: BTreeMap<String, toml::Value>,
    #[serde(default)]
    command_with: BTreeMap<String, toml::Value>,
    settle_ms: Option<u64>,
}

/// The catalog, DBC and mapping of one car, checked against each other.
#[derive(Debug, Clone)]
pub struct CarDefinition {
    catalog: Catalog,
    database: Database,
    mapped: Vec<Mapped>,
    by_path: HashMap<String, usize>,
    /// For each status message id: (signal index in the message, index into `mapped`).
    status_bindings: HashMap<CanId, Vec<(usize, usize)>>,
    /// For each command message id: indices into `mapped` of the paths it commands.
    command_bindings: HashMap<CanId, Vec<usize>>,
    protections: HashMap<CanId, (Protection, u8)>,
}

/// Per-message receiver state for protected status messages.
#[derive(Debug, Default)]
pub struct StatusReceivers {
    receivers: HashMap<CanId, E2eReceiver>,
    scratch: Vec<SignalValue>,
}

/// Per-message rolling counters for the E2E protected messages a node sends.
#[derive(Debug, Default, Clone)]
pub struct E2eCounters {
    next: HashMap<CanId, u8>,
}

/// What a received frame meant to the car definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFrame {
    /// Not a status message of this car.
    Unknown,
    /// A status message whose E2E check failed; its values were not used.
    Rejected(E2eStatus),
    /// A status message, decoded.
    Decoded,
}

impl CarDefinition {
    /// Loads the mapping file and the DBC it names (or `dbc_override`), checked against the
    /// catalog.
    pub fn load(
        catalog: Catalog,
        mapping_path: &Path,
        dbc_override: Option<&Path>,
    ) -> Result<CarDefinition, MappingError> {
        let text = std::fs::read_to_string(mapping_path).map_err(|source| MappingError::Io {
            path: mapping_path.to_owned(),
            source,
        })?;
        let file = parse_file(&text, mapping_path)?;
        let dbc_path = match (dbc_override, &file.dbc) {
            (Some(path), _) => path.to_owned(),
            (None, Some(name)) => mapping_path.parent().unwrap_or(Path::new(".")).join(name),
            (None, None) => {
                return Err(MappingError::Syntax {
                    path: mapping_path.to_owned(),
                    message: "no `dbc = \"file.dbc\"` line and no --dbc given".into(),
                });
            }
        };
        let database = Database::load(&dbc_path)?;
        CarDefinition::build(catalog, database, file, mapping_path)
    }

    /// Builds a definition from mapping text and an already loaded DBC (the `dbc` line of the
    /// mapping is ignored); `source` names the mapping in errors.
    pub fn from_parts(
        catalog: Catalog,
        database: Database,
        mapping: &str,
        source: &Path,
    ) -> Result<CarDefinition, MappingError> {
        let file = parse_file(mapping, source)?;
        CarDefinition::build(catalog, database, file, source)
    }

    fn build(
        catalog: Catalog,
        database: Database,
        file: MappingFile,
        source: &Path,
    ) -> Result<CarDefinition, MappingError> {
        let entry_error = |entry: &str, reason: String| MappingError::Entry {
            path: source.to_owned(),
            entry: entry.to_owned(),
            reason,
        };
        let mut protections = HashMap::new();
        for e2e in &file.e2e {
            let message = database.message_by_name(&e2e.message).ok_or_else(|| {
                entry_error(
                    &e2e.message,
                    format!("no such message in {}", database.source().display()),
                )
            })?;
            let protection = Protection::new(message, e2e.data_id, &e2e.crc, &e2e.counter)
                .map_err(|reason| entry_error(&e2e.message, reason))?;
            protections.insert(
                message.id(),
                (protection, e2e.max_delta.unwrap_or(DEFAULT_MAX_DELTA)),
            );
        }

        let mut mapped = Vec::with_capacity(file.signal.len());
        let mut by_path = HashMap::new();
        for entry in &file.signal {
            let metadata = catalog
                .get(&entry.path)
                .ok_or_else(|| entry_error(&entry.path, "not in the signal catalog".into()))?;
            let status = match &entry.status {
                Some(name) => {
                    let at = resolve(&database, name)
                        .map_err(|reason| entry_error(&entry.path, reason))?;
                    let codec = codec_for(
                        &database,
                        at,
                        metadata.data_type(),
                        metadata.format(),
                        &entry.status_values,
                        false,
                    )
                    .map_err(|reason| {
                        entry_error(&entry.path, format!("status {name}: {reason}"))
                    })?;
                    Some(Binding { at, codec })
                }
                None => None,
            };
            let (command, command_with) = match &entry.command {
                Some(_) if metadata.entry_type() == EntryType::Sensor => {
                    return Err(entry_error(
                        &entry.path,
                        "a sensor cannot have a command".into(),
                    ));
                }
                Some(name) => {
                    let at = resolve(&database, name)
                        .map_err(|reason| entry_error(&entry.path, reason))?;
                    let codec = codec_for(
                        &database,
                        at,
                        metadata.data_type(),
                        metadata.format(),
                        &entry.command_values,
                        true,
                    )
                    .map_err(|reason| {
                        entry_error(&entry.path, format!("command {name}: {reason}"))
                    })?;
                    check_range(&database, at, metadata).map_err(|reason| {
                        entry_error(&entry.path, format!("command {name}: {reason}"))
                    })?;
                    let message = &database.messages()[at.message];
                    let mut with = Vec::new();
                    for (signal_name, value) in &entry.command_with {
                        let index = message.signal_index(signal_name).ok_or_else(|| {
                            entry_error(
                                &entry.path,
                                format!(
                                    "command_with: {} has no signal {signal_name}",
                                    message.name()
                                ),
                            )
                        })?;
                        let physical = table_value(message, index, value).map_err(|reason| {
                            entry_error(
                                &entry.path,
                                format!("command_with {signal_name}: {reason}"),
                            )
                        })?;
                        with.push((index, physical));
                    }
                    (Some(Binding { at, codec }), with)
                }
                None => (None, Vec::new()),
            };
            if by_path.insert(entry.path.clone(), mapped.len()).is_some() {
                return Err(entry_error(&entry.path, "mapped twice".into()));
            }
            mapped.push(Mapped {
                path: entry.path.clone(),
                status,
                command,
                command_with,
                settle: entry
                    .settle_ms
                    .map(Duration::from_millis)
                    .unwrap_or(DEFAULT_SETTLE),
            });
        }

        let mut status_bindings: HashMap<CanId, Vec<(usize, usize)>> = HashMap::new();
        let mut command_bindings: HashMap<CanId, Vec<usize>> = HashMap::new();
        for (index, m) in mapped.iter().enumerate() {
            if let Some(status) = &m.status {
                let id = database.messages()[status.at.message].id();
                status_bindings
                    .entry(id)
                    .or_default()
                    .push((status.at.signal, index));
            }
            if let Some(command) = &m.command {
                let id = database.messages()[command.at.message].id();
                command_bindings.entry(id).or_default().push(index);
            }
        }
        Ok(CarDefinition {
            catalog,
            database,
            mapped,
            by_path,
            status_bindings,
            command_bindings,
            protections,
        })
    }

    /// The signal catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The DBC.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// Whether the car reports this path.
    pub fn has_status(&self, path: &str) -> bool {
        self.mapped_entry(path).is_some_and(|m| m.status.is_some())
    }

    /// Whether the car can be asked to change this path.
    pub fn is_controllable(&self, path: &str) -> bool {
        self.mapped_entry(path).is_some_and(|m| m.command.is_some())
    }

    /// How long the car may take to report a commanded value of this path.
    pub fn settle_time(&self, path: &str) -> Duration {
        self.mapped_entry(path)
            .map(|m| m.settle)
            .unwrap_or(DEFAULT_SETTLE)
    }

    /// The other paths that one command of `path` also changes (all doors lock together).
    pub fn paths_sharing_command(&self, path: &str) -> Vec<&str> {
        let Some(command) = self.mapped_entry(path).and_then(|m| m.command.as_ref()) else {
            return Vec::new();
        };
        self.mapped
            .iter()
            .filter(|m| m.path != path && m.command.as_ref().is_some_and(|c| c.at == command.at))
            .map(|m| m.path.as_str())
            .collect()
    }

    /// The status message a path is reported in, with its cycle time, when mapped.
    pub fn status_message(&self, path: &str) -> Option<&Message> {
        let status = self.mapped_entry(path)?.status.as_ref()?;
        Some(&self.database.messages()[status.at.message])
    }

    /// The messages that carry status signals, with their index in the DBC, by id.
    pub fn status_messages(&self) -> Vec<(usize, &Message)> {
        let mut messages: Vec<(usize, &Message)> = self
            .database
            .messages()
            .iter()
            .enumerate()
            .filter(|(_, m)| self.status_bindings.contains_key(&m.id()))
            .collect();
        messages.sort_by_key(|(_, m)| m.id());
        messages
    }

    /// The paths this car reports, in mapping order.
    pub fn reported_paths(&self) -> impl Iterator<Item = &str> {
        self.mapped
            .iter()
            .filter(|m| m.status.is_some())
            .map(|m| m.path.as_str())
    }

    fn mapped_entry(&self, path: &str) -> Option<&Mapped> {
        self.by_path.get(path).map(|&i| &self.mapped[i])
    }

    /// Decodes a status frame, calling `on_value` with each mapped path and its value (`None`
    /// when the frame holds a value the catalog has no name for, such as "SNA").
    pub fn decode_status(
        &self,
        frame: &CanFrame,
        receivers: &mut StatusReceivers,
        mut on_value: impl FnMut(&str, Option<Value>),
    ) -> StatusFrame {
        let Some(bindings) = self.status_bindings.get(&frame.id()) else {
            return StatusFrame::Unknown;
        };
        if !frame.is_data() {
            return StatusFrame::Unknown;
        }
        if let Some((protection, max_delta)) = self.protections.get(&frame.id()) {
            let receiver = receivers.receivers.entry(frame.id()).or_default();
            let status = protection.check(frame.data(), receiver, *max_delta);
            if !status.is_usable() {
                return StatusFrame::Rejected(status);
            }
        }
        let Some(message) = self.database.message_by_id(frame.id()) else {
            return StatusFrame::Unknown;
        };
        message.decode_into(frame.data(), &mut receivers.scratch);
        for &(signal, index) in bindings {
            let Some(decoded) = receivers.scratch.iter().find(|v| v.signal == signal) else {
                continue;
            };
            let mapped = &self.mapped[index];
            // Cannot be None: `status_bindings` only lists entries with a status binding.
            let Some(status) = &mapped.status else {
                continue;
            };
            let value = from_physical(
                &status.codec,
                message,
                signal,
                decoded.raw,
                decoded.physical,
            );
            on_value(&mapped.path, value);
        }
        StatusFrame::Decoded
    }

    /// Encodes changes into command frames, one per command message, each protected with the
    /// next counter value when its message is E2E protected. Only changes that passed the
    /// policy can be encoded.
    pub(crate) fn encode_commands(
        &self,
        changes: &[CheckedChange],
        counters: &mut E2eCounters,
    ) -> Result<Vec<CanFrame>, CommandError> {
        // message index -> (signal index -> (physical, path))
        let mut per_message: BTreeMap<usize, BTreeMap<usize, (f64, &str)>> = BTreeMap::new();
        for change in changes {
            let path = change.path();
            if self.catalog.get(path).is_none() {
                return Err(CommandError::UnknownPath(path.to_owned()));
            }
            let mapped = self
                .mapped_entry(path)
                .ok_or_else(|| CommandError::NotControllable(path.to_owned()))?;
            let command = mapped
                .command
                .as_ref()
                .ok_or_else(|| CommandError::NotControllable(path.to_owned()))?;
            let physical = to_physical(&command.codec, change.value()).map_err(|reason| {
                CommandError::Unencodable {
                    path: path.to_owned(),
                    reason,
                }
            })?;
            let signals = per_message.entry(command.at.message).or_default();
            let wanted = std::iter::once((command.at.signal, physical))
                .chain(mapped.command_with.iter().copied());
            for (signal, value) in wanted {
                if let Some((existing, first)) = signals.get(&signal)
                    && *existing != value
                {
                    return Err(CommandError::Conflict {
                        first: first.to_string(),
                        second: path.to_owned(),
                    });
                }
                signals.insert(signal, (value, path));
            }
        }
        let mut frames = Vec::with_capacity(per_message.len());
        for (message_index, signals) in per_message {
            let message = &self.database.messages()[message_index];
            let values: Vec<(&str, f64)> = signals
                .iter()
                .map(|(&signal, &(value, _))| (message.signals()[signal].name(), value))
                .collect();
            let mut data = message
                .encode(&values)
                .map_err(|e| CommandError::Unencodable {
                    path: signals
                        .values()
                        .next()
                        .map(|(_, p)| p.to_string())
                        .unwrap_or_default(),
                    reason: e.to_string(),
                })?;
            if let Some((protection, _)) = self.protections.get(&message.id()) {
                let counter = counters.next.entry(message.id()).or_insert(0);
                protection.protect(&mut data, *counter);
                *counter = (*counter + 1) % 15;
            }
            let frame =
                CanFrame::new(message.id(), &data).map_err(|e| CommandError::Unencodable {
                    path: message.name().to_owned(),
                    reason: e.to_string(),
                })?;
            frames.push(frame);
        }
        Ok(frames)
    }

    /// Builds a status frame for `message` from VSS values by path (what an ECU of this car
    /// would send), plus `extra` physical values by signal name for signals no path maps to;
    /// other signals keep their initial value. Protected messages get the next counter value.
    /// For the simulated car.
    pub fn encode_status(
        &self,
        message: &Message,
        values: &HashMap<String, Value>,
        extra: &[(&str, f64)],
        counters: &mut E2eCounters,
    ) -> Result<CanFrame, CommandError> {
        let mut physical: Vec<(&str, f64)> = extra.to_vec();
        if let Some(bindings) = self.status_bindings.get(&message.id()) {
            for &(signal, index) in bindings {
                let mapped = &self.mapped[index];
                let (Some(status), Some(value)) = (&mapped.status, values.get(&mapped.path)) else {
                    continue;
                };
                let p = to_physical(&status.codec, value).map_err(|reason| {
                    CommandError::Unencodable {
                        path: mapped.path.clone(),
                        reason,
                    }
                })?;
                physical.push((message.signals()[signal].name(), p));
            }
        }
        let mut data = message
            .encode(&physical)
            .map_err(|e| CommandError::Unencodable {
                path: message.name().to_owned(),
                reason: e.to_string(),
            })?;
        if let Some((protection, _)) = self.protections.get(&message.id()) {
            let counter = counters.next.entry(message.id()).or_insert(0);
            protection.protect(&mut data, *counter);
            *counter = (*counter + 1) % 15;
        }
        CanFrame::new(message.id(), &data).map_err(|e| CommandError::Unencodable {
            path: message.name().to_owned(),
            reason: e.to_string(),
        })
    }

    /// Decodes a command frame as an ECU receives it: checks its protection, then calls
    /// `on_request` with each path whose command signal holds a request (not its idle value).
    /// Returns the E2E verdict (`Ok` for unprotected messages), or `None` for frames that are
    /// not commands of this car.
    pub fn decode_command(
        &self,
        frame: &CanFrame,
        receivers: &mut StatusReceivers,
        mut on_request: impl FnMut(&str, Value),
    ) -> Option<E2eStatus> {
        let commanded = self.command_bindings.get(&frame.id())?;
        if !frame.is_data() {
            return None;
        }
        let message = self.database.message_by_id(frame.id())?;
        let mut verdict = E2eStatus::Ok;
        if let Some((protection, max_delta)) = self.protections.get(&frame.id()) {
            let receiver = receivers.receivers.entry(frame.id()).or_default();
            verdict = protection.check(frame.data(), receiver, *max_delta);
            if !verdict.is_usable() {
                return Some(verdict);
            }
        }
        message.decode_into(frame.data(), &mut receivers.scratch);
        let decoded = |signal: usize| receivers.scratch.iter().find(|v| v.signal == signal);
        for &index in commanded {
            let mapped = &self.mapped[index];
            // Cannot be None: `command_bindings` only lists entries with a command.
            let Some(command) = &mapped.command else {
                continue;
            };
            let Some(value) = decoded(command.at.signal) else {
                continue;
            };
            let signal = &message.signals()[command.at.signal];
            // A signal at its initial value carries no request.
            if signal.read_raw(frame.data()) == Some(signal.initial_raw()) {
                continue;
            }
            let qualified = mapped
                .command_with
                .iter()
                .all(|&(with, want)| decoded(with).is_some_and(|v| v.physical == want));
            if !qualified {
                continue;
            }
            if let Some(v) = from_physical(
                &command.codec,
                message,
                command.at.signal,
                value.raw,
                value.physical,
            ) {
                on_request(&mapped.path, v);
            }
        }
        Some(verdict)
    }
}

fn parse_file(text: &str, source: &Path) -> Result<MappingFile, MappingError> {
    toml::from_str(text).map_err(|e| MappingError::Syntax {
        path: source.to_owned(),
        message: e.to_string(),
    })
}

fn resolve(database: &Database, name: &str) -> Result<SignalRef, String> {
    let (message_name, signal_name) = name
        .split_once('.')
        .ok_or_else(|| format!("{name:?} must be MESSAGE.SIGNAL"))?;
    let message = database
        .messages()
        .iter()
        .position(|m| m.name() == message_name)
        .ok_or_else(|| {
            format!(
                "no message {message_name} in {}",
                database.source().display()
            )
        })?;
    let signal = database.messages()[message]
        .signal_index(signal_name)
        .ok_or_else(|| format!("message {message_name} has no signal {signal_name}"))?;
    Ok(SignalRef { message, signal })
}

/// The physical value of a value-table label or a number given in the mapping.
fn table_value(message: &Message, signal: usize, value: &toml::Value) -> Result<f64, String> {
    let s = &message.signals()[signal];
    match value {
        toml::Value::String(label) => s
            .choice_value(label)
            .map(|raw| raw as f64 * s.factor() + s.offset())
            .ok_or_else(|| format!("{} has no value-table entry {label:?}", s.name())),
        toml::Value::Integer(i) => Ok(*i as f64),
        toml::Value::Float(f) => Ok(*f),
        other => Err(format!(
            "{other} is neither a value-table label nor a number"
        )),
    }
}

fn codec_for(
    database: &Database,
    at: SignalRef,
    data_type: DataType,
    format: Option<&StringFormat>,
    values: &BTreeMap<String, toml::Value>,
    is_command: bool,
) -> Result<Codec, String> {
    let message = &database.messages()[at.message];
    let signal = &message.signals()[at.signal];
    match (data_type, format) {
        (DataType::Boolean, _) => {
            if values.is_empty() {
                return Ok(Codec::Bool {
                    true_value: signal.offset() + signal.factor(),
                    false_value: signal.offset(),
                    strict: false,
                });
            }
            let get = |key: &str| {
                values
                    .get(key)
                    .ok_or_else(|| {
                        format!(
                            "the value table needs both \"true\" and \"false\", {key:?} is missing"
                        )
                    })
                    .and_then(|v| table_value(message, at.signal, v))
            };
            Ok(Codec::Bool {
                true_value: get("true")?,
                false_value: get("false")?,
                strict: true,
            })
        }
        (DataType::String, Some(StringFormat::RgbHex)) => {
            if signal.bit_size() < 24 {
                return Err("an RGB colour needs at least 24 bits".into());
            }
            Ok(Codec::Rgb)
        }
        (DataType::String, Some(StringFormat::OneOf(allowed))) => {
            let mut choices = Vec::with_capacity(allowed.len());
            for vss in allowed {
                let physical = match values.get(vss) {
                    Some(v) => table_value(message, at.signal, v)?,
                    None => table_value(message, at.signal, &toml::Value::String(vss.clone()))
                        .map_err(|e| format!("{e} (needed for {vss})"))?,
                };
                choices.push((vss.clone(), physical));
            }
            Ok(Codec::Choices(choices))
        }
        (DataType::String, None) => {
            Err("string signals need allowed values or an RGB format".into())
        }
        (_, _) => {
            if !values.is_empty() && is_command {
                return Err("numbers travel as they are; a value table does not apply".into());
            }
            let decimals = (-signal.factor().abs().log10()).ceil().max(0.0) as i32;
            Ok(Codec::Number {
                integer: data_type != DataType::Float,
                decimals,
            })
        }
    }
}

/// The command signal must be able to carry every value the catalog allows.
fn check_range(
    database: &Database,
    at: SignalRef,
    metadata: &crate::catalog::Metadata,
) -> Result<(), String> {
    let signal = &database.messages()[at.message].signals()[at.signal];
    let (lo, hi) = signal.physical_range();
    if let (Some(min), Some(max)) = (metadata.min(), metadata.max())
        && (min < lo - 1e-9 || max > hi + 1e-9)
    {
        return Err(format!(
            "carries {lo}..={hi}, but the catalog allows {min}..={max}"
        ));
    }
    Ok(())
}

fn from_physical(
    codec: &Codec,
    message: &Message,
    signal: usize,
    raw: Raw,
    physical: f64,
) -> Option<Value> {
    match codec {
        Codec::Number { integer: true, .. } => Some(Value::Int(physical.round() as i64)),
        Codec::Number {
            integer: false,
            decimals,
        } => {
            let scale = 10f64.powi(*decimals);
            Some(Value::Float((physical * scale).round() / scale))
        }
        Codec::Bool {
            true_value,
            false_value,
            strict,
        } => {
            if physical == *true_value {
                Some(Value::Bool(true))
            } else if physical == *false_value {
                Some(Value::Bool(false))
            } else if *strict {
                None
            } else {
                Some(Value::Bool(true))
            }
        }
        Codec::Choices(choices) => choices
            .iter()
            .find(|(_, p)| *p == physical)
            .map(|(vss, _)| Value::String(vss.clone()))
            .or_else(|| {
                tracing::trace!(
                    signal = message.signals()[signal].name(),
                    ?raw,
                    "value without a catalog name"
                );
                None
            }),
        Codec::Rgb => raw
            .as_i64()
            .map(|v| Value::String(format!("{:06X}", v & 0xFF_FFFF))),
    }
}

fn to_physical(codec: &Codec, value: &Value) -> Result<f64, String> {
    match (codec, value) {
        (Codec::Number { .. }, v) => v.as_f64().ok_or_else(|| format!("{v} is not a number")),
        (
            Codec::Bool {
                true_value,
                false_value,
                ..
            },
            Value::Bool(b),
        ) => Ok(if *b { *true_value } else { *false_value }),
        (Codec::Choices(choices), Value::String(s)) => choices
            .iter()
            .find(|(vss, _)| vss.eq_ignore_ascii_case(s))
            .map(|(_, p)| *p)
            .ok_or_else(|| format!("{s} has no value in the DBC's value table")),
        (Codec::Rgb, Value::String(s)) => u32::from_str_radix(s.trim_start_matches('#'), 16)
            .map(f64::from)
            .map_err(|_| format!("{s} is not an RGB hex colour")),
        (_, v) => Err(format!("{v} does not fit this signal")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference;

    fn car() -> CarDefinition {
        reference::car_definition()
    }

    fn decode(car: &CarDefinition, frame: &CanFrame) -> Vec<(String, Option<Value>)> {
        let mut out = Vec::new();
        let mut rx = StatusReceivers::default();
        car.decode_status(frame, &mut rx, |p, v| out.push((p.to_owned(), v)));
        out
    }

    #[test]
    fn commands_group_by_message_and_carry_counter_and_crc() {
        let car = car();
        let mut counters = E2eCounters::default();
        let changes = vec![
            CheckedChange::unchecked(
                "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature",
                Value::Float(19.0),
            ),
            CheckedChange::unchecked(
                "Vehicle.Cabin.HVAC.Station.Row1.Passenger.Temperature",
                Value::Float(19.0),
            ),
            CheckedChange::unchecked(
                "Vehicle.Cabin.HVAC.IsAirConditioningActive",
                Value::Bool(true),
            ),
        ];
        let frames = car.encode_commands(&changes, &mut counters).unwrap();
        let texts: Vec<String> = frames.iter().map(|f| f.to_string()).collect();
        // HU_HvacCmd: temps 38 (19 °C), the other zones and fans at "no request".
        assert_eq!(texts[0][..4].to_string(), "120#");
        assert_eq!(&texts[0][8..], "2626FFFF7F7F");
        // HU_ClimateCmd: AcReq = 2 (On) at bit 20, everything else no request.
        assert_eq!(&texts[1][8..], "200080808080");
        let again = car.encode_commands(&changes[..1], &mut counters).unwrap();
        assert_eq!(
            again[0].data()[1] & 0x0F,
            1,
            "the counter advances per message"
        );
    }

    #[test]
    fn commands_round_trip_through_the_ecu_side_decoder() {
        let car = car();
        let mut counters = E2eCounters::default();
        let changes = vec![
            CheckedChange::unchecked(
                "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked",
                Value::Bool(false),
            ),
            CheckedChange::unchecked(
                "Vehicle.Body.Windshield.Front.Wiping.Mode",
                Value::String("FAST".into()),
            ),
            CheckedChange::unchecked(
                "Vehicle.Cabin.Light.AmbientLight.Row1.DriverSide.Color",
                Value::String("0000FF".into()),
            ),
        ];
        let frames = car.encode_commands(&changes, &mut counters).unwrap();
        let mut rx = StatusReceivers::default();
        let mut requests = Vec::new();
        for frame in &frames {
            car.decode_command(frame, &mut rx, |p, v| requests.push((p.to_owned(), v)));
        }
        requests.sort_by(|a, b| a.0.cmp(&b.0));
        let doors: Vec<_> = requests
            .iter()
            .filter(|(p, _)| p.ends_with("IsLocked"))
            .collect();
        assert_eq!(
            doors.len(),
            4,
            "one lock command reaches all four doors: {requests:?}"
        );
        assert!(requests.contains(&(
            "Vehicle.Body.Windshield.Front.Wiping.Mode".into(),
            Value::String("FAST".into())
        )));
        assert!(requests.contains(&(
            "Vehicle.Cabin.Light.AmbientLight.Row1.DriverSide.Color".into(),
            Value::String("0000FF".into())
        )));
    }

    #[test]
    fn conflicting_changes_of_one_command_are_refused() {
        let car = car();
        let changes = vec![
            CheckedChange::unchecked(
                "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked",
                Value::Bool(false),
            ),
            CheckedChange::unchecked(
                "Vehicle.Cabin.Door.Row2.DriverSide.IsLocked",
                Value::Bool(true),
            ),
        ];
        let err = car
            .encode_commands(&changes, &mut E2eCounters::default())
            .unwrap_err();
        assert!(matches!(err, CommandError::Conflict { .. }), "{err}");
    }

    #[test]
    fn status_frames_decode_to_vss_values() {
        let car = car();
        let message = car.database().message_by_name("HVAC_Temperatures").unwrap();
        let values = HashMap::from([
            (
                "Vehicle.Cabin.HVAC.AmbientAirTemperature".to_owned(),
                Value::Float(21.9),
            ),
            (
                "Vehicle.Exterior.AirTemperature".to_owned(),
                Value::Float(-3.5),
            ),
        ]);
        let frame = car
            .encode_status(message, &values, &[], &mut E2eCounters::default())
            .unwrap();
        let decoded = decode(&car, &frame);
        assert_eq!(
            decoded,
            vec![
                (
                    "Vehicle.Cabin.HVAC.AmbientAirTemperature".into(),
                    Some(Value::Float(21.9))
                ),
                (
                    "Vehicle.Exterior.AirTemperature".into(),
                    Some(Value::Float(-3.5))
                ),
            ]
        );
    }

    #[test]
    fn protected_status_frames_are_checked() {
        let car = car();
        let message = car.database().message_by_name("VCU_DriveStatus").unwrap();
        let values = HashMap::from([("Vehicle.Speed".to_owned(), Value::Float(50.0))]);
        let mut counters = E2eCounters::default();
        let frame = car
            .encode_status(message, &values, &[], &mut counters)
            .unwrap();
        let mut rx = StatusReceivers::default();
        assert_eq!(
            car.decode_status(&frame, &mut rx, |_, _| {}),
            StatusFrame::Decoded
        );
        assert_eq!(
            car.decode_status(&frame, &mut rx, |_, _| {}),
            StatusFrame::Rejected(E2eStatus::Repeated)
        );
        let mut data = frame.data().to_vec();
        data[2] ^= 0x40;
        let corrupted = CanFrame::classic(frame.id(), &data).unwrap();
        assert_eq!(
            car.decode_status(&corrupted, &mut rx, |_, _| {}),
            StatusFrame::Rejected(E2eStatus::BadCrc)
        );
    }

    #[test]
    fn a_mapping_that_names_a_missing_signal_says_so() {
        let text = include_str!("../../assets/vehicle/mapping.toml")
            .replace("HVAC_Status.TempRow1Drv\"", "HVAC_Status.TempRow1Driver\"");
        let err = CarDefinition::from_parts(
            reference::catalog(),
            car().database().clone(),
            &text,
            Path::new("mapping.toml"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "mapping file mapping.toml: Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature: \
             message HVAC_Status has no signal TempRow1Driver"
        );
    }

    #[test]
    fn every_catalog_signal_is_reported_and_every_actuator_controllable() {
        let car = car();
        for metadata in car.catalog().entries() {
            assert!(
                car.has_status(metadata.path()),
                "{} has no status",
                metadata.path()
            );
            if metadata.entry_type() == EntryType::Actuator {
                assert!(
                    car.is_controllable(metadata.path()),
                    "{} has no command",
                    metadata.path()
                );
            }
        }
        assert_eq!(
            car.paths_sharing_command("Vehicle.Cabin.Door.Row1.DriverSide.IsLocked")
                .len(),
            3
        );
    }
}
