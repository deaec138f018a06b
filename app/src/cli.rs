//! The command line as typed: checked for shape here, with no I/O. Loading files and opening
//! buses happens afterwards, in the commands.

use std::path::PathBuf;
use std::str::FromStr;

use clap::{Args, Parser, Subcommand};
use vehicle::{Gear, Seat};

/// cockpit: an on-device voice agent for a car's cockpit, and the bench tools around it.
#[derive(Parser, Debug)]
#[command(name = "cockpit", version, about, long_about = None)]
pub struct Cli {
    /// More log output on stderr (-v: info, -vv: debug); RUST_LOG overrides it.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The demo: a recorded voice session through the whole pipeline (hearing, understanding,
    /// the safety policy, the simulated car's bus, the reply) while the car drives.
    Demo(DemoArgs),
    /// Work with CAN logs and interfaces.
    #[command(subcommand)]
    Can(CanCommand),
    /// Run the simulated car and print its state as it changes.
    Sim(SimArgs),
    /// Set one signal through the safety policy and the bus, and print what the car confirms.
    ///
    /// Exit code 0 when the car confirms the value (or its limit), 3 when the policy refuses
    /// the change, 4 when the car does not confirm it in time, 1 on errors.
    Set(SetArgs),
    /// List the signal catalog: every VSS path, its type, range, start value and rules.
    Signals(CarArgs),
    /// Transcribe a recording (WAV or FLAC, any rate and channels) with Whisper.
    Transcribe(TranscribeArgs),
    /// Prepare model files (the set-up runs this).
    #[command(subcommand)]
    Models(ModelsCommand),
    /// Say something with cockpit's voice, through the speakers or into a WAV file.
    Speak(SpeakArgs),
    /// Listen on the microphone and print what is said, utterance by utterance.
    Hear(HearArgs),
    /// List the audio devices.
    Devices,
    /// The dashboard: the touchscreen UI against the simulated car (or a real bus), with the
    /// assistant taking typed requests.
    Ui(UiArgs),
    /// Say something to the agent in text: the language model, the rules and the simulated car
    /// (from the catalog's start state) act on it, and it answers. Several utterances make a
    /// conversation, each following the one before.
    Say(SayArgs),
    /// Measure the language model on a labelled set (JSON lines): accuracy by category and
    /// latency percentiles. Plans count as the agent takes them: a request not in English, or
    /// a plan the agent would ask about (below the confidence threshold, or against the
    /// words), does nothing, and the agent's word rules settle the rest. The model alone is
    /// printed beside.
    Eval(EvalArgs),
    /// Speak labelled requests (as check_intent.py reads them) with a voice, optionally in
    /// generated cabin noise, hear them back with Whisper, and write the same requests with
    /// what was heard as their utterance (the words said kept as `said`): the intent check on
    /// that file measures the agent on speech.
    Spoken(SpokenArgs),
    /// Live: the microphone through the whole pipeline to the car, with the dashboard when
    /// there is a display and a terminal view when not. Settings come from
    /// $XDG_CONFIG_HOME/cockpit/config.toml (or --config), each overridable by its flag.
    Run(RunArgs),
    /// A recorded session on the bench: the CAN log plays the car (its status frames set
    /// speed, gear and state), the audio plays the cabin, and everything cockpit hears,
    /// decides and sends goes into a report folder (journal, candump of the frames sent, an
    /// HTML timeline).
    Replay(SessionReplayArgs),
    /// A recording through the whole pipeline: endpointing, Whisper, the language model, the
    /// safety policy and the simulated car's bus; one result per utterance heard, with the
    /// time each stage took from the end of speech.
    Listen(ListenArgs),
    /// Record a live session for the bench: `cockpit run` recording into -o DIR (audio.wav,
    /// what the pipeline heard; bus.log, every frame on the bus; journal.jsonl), which
    /// `cockpit replay DIR` plays back to the same decisions. Takes every option of `run`.
    Record(SessionRecordArgs),
}

#[derive(Args, Debug)]
pub struct SessionRecordArgs {
    /// The folder to record into (created).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    #[command(flatten)]
    pub run: RunArgs,
}

impl SessionRecordArgs {
    /// The `cockpit run` this is.
    pub fn to_run(&self) -> Result<RunArgs, String> {
        if self.run.record.is_some() {
            return Err("`cockpit record` records into -o DIR; --record is `cockpit run`'s".into());
        }
        Ok(RunArgs {
            record: Some(self.output.clone()),
            ..self.run.clone()
        })
    }
}

#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// The settings file (default: $XDG_CONFIG_HOME/cockpit/config.toml, when it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The bus: `virtual` (with the simulated car) or a SocketCAN interface.
    #[arg(long, value_name = "BUS")]
    pub can: Option<String>,
    /// The simulated car's drive (virtual bus only): parked, city, demo or a drive file.
    #[arg(long, value_name = "NAME|FILE")]
    pub drive: Option<String>,
    #[command(flatten)]
    pub car: CarArgs,
    /// The microphone: a device whose name contains this (`cockpit devices` lists them).
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,
    /// The seat of a single microphone, and whose screen the dashboard is.
    #[arg(long)]
    pub seat: Option<Seat>,
    /// The seat of each microphone channel, in order: e.g. driver,passenger,rear-left,rear-right.
    #[arg(long, value_delimiter = ',')]
    pub seats: Vec<Seat>,
    /// Push-to-talk (the dashboard's button, or Enter in the terminal) instead of hands-free.
    #[arg(long)]
    pub push_to_talk: bool,
    /// Without a microphone, or besides it: Enter plays this recording into the pipeline.
    #[arg(long, value_name = "FILE")]
    pub from_file: Option<PathBuf>,
    /// The Whisper model: tiny.en (q8_0), tiny.en-f16, base.
    #[arg(long)]
    pub whisper: Option<String>,
    /// CPU threads for Whisper.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Show replies without speaking them.
    #[arg(long)]
    pub no_speak: bool,
    /// The terminal view even when there is a display.
    #[arg(long)]
    pub no_dashboard: bool,
    /// The dashboard's light theme.
    #[arg(long)]
    pub light: bool,
    /// Where the session journal goes (default: $XDG_STATE_HOME/cockpit/sessions).
    #[arg(long, value_name = "DIR")]
    pub journal_dir: Option<PathBuf>,
    /// Stop after this many seconds (default: at Ctrl-C, or when the window closes).
    #[arg(long, value_name = "SECONDS")]
    pub duration: Option<f64>,
    /// Record the session into this folder for `cockpit replay`: audio.wav (what the
    /// pipeline heard, 16 kHz), bus.log (every frame on the bus) and journal.jsonl.
    #[arg(long, value_name = "DIR")]
    pub record: Option<PathBuf>,
    /// Never drop microphone audio or utterances, making the device wait instead: for
    /// ALSA's null and file devices, which are not paced in real time (a bench playing a
    /// recording into the capture path). Never for a live microphone.
    #[arg(long)]
    pub lossless: bool,
}

#[derive(Args, Debug)]
pub struct SessionReplayArgs {
    /// Recorded sessions to replay as a batch: folders with `audio.wav` (or `audio.flac`) and
    /// `bus.log`, as `cockpit demo --record` and `cockpit run --record` write them. Each gets
    /// its own report folder.
    #[arg(value_name = "SESSION_DIR", conflicts_with_all = ["audio", "can"])]
    pub sessions: Vec<PathBuf>,
    /// The cabin's audio (WAV or FLAC; one channel per seat with --seats).
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "sessions",
        requires = "can"
    )]
    pub audio: Option<PathBuf>,
    /// The car's CAN log (candump -l format).
    #[arg(long, value_name = "LOG", requires = "audio")]
    pub can: Option<PathBuf>,
    /// Timing: `1` as recorded, `2` twice as fast, `max` as fast as the machine allows (the
    /// audio and the log stay in step on a simulated clock).
    #[arg(long, default_value = "1")]
    pub speed: Speed,
    /// The folder for the report (created); a batch puts one folder per session in it, and
    /// a summary.
    #[arg(long, value_name = "DIR")]
    pub report: PathBuf,
    /// The seat of each audio channel, in order (default: driver, passenger, rear-left,
    /// rear-right for four channels, else every channel the driver's).
    #[arg(long, value_delimiter = ',')]
    pub seats: Vec<Seat>,
    /// Sessions replayed at once in a batch (default: one per core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub car: CarArgs,
}

#[derive(Args, Debug)]
pub struct ListenArgs {
    /// The recording (WAV or FLAC, any rate and channels): one utterance or several.
    pub file: PathBuf,
    /// The seat that speaks.
    #[arg(long, default_value = "driver")]
    pub seat: Seat,
    /// The simulated car's speed in km/h.
    #[arg(long, default_value = "0")]
    pub speed: f64,
    /// The simulated car's gear (P, R, N, D); D when moving, P otherwise, unless given.
    #[arg(long)]
    pub gear: Option<Gear>,
    /// Print one JSON object per utterance (the session journal's entry).
    #[arg(long)]
    pub json: bool,
    /// Feed the recording in real time, as a microphone would, instead of as fast as it is
    /// taken.
    #[arg(long)]
    pub realtime: bool,
    /// Speak the replies on the loudspeaker.
    #[arg(long)]
    pub speak: bool,
    /// Append each utterance to this session journal (JSON lines).
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// The Whisper model: tiny.en (q8_0), tiny.en-f16, base.
    #[arg(long, default_value = "tiny.en")]
    pub whisper: String,
    /// The language model's folder (default: the shipped one).
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// CPU threads for Whisper and the voice.
    #[arg(long, default_value = "2")]
    pub threads: usize,
}

#[derive(Args, Debug)]
pub struct SayArgs {
    /// What is said; several make a conversation. "passenger: me too" is said from the
    /// passenger's seat (driver, passenger, rear-left, rear-right).
    #[arg(required = true)]
    pub utterances: Vec<String>,
    /// The seat that speaks, where an utterance names none.
    #[arg(long, default_value = "driver")]
    pub seat: Seat,
    /// The simulated car's speed in km/h.
    #[arg(long, default_value = "0")]
    pub speed: f64,
    /// The simulated car's gear (P, R, N, D); D when moving, P otherwise, unless given.
    #[arg(long)]
    pub gear: Option<Gear>,
    /// The dashboard screen on show.
    #[arg(long, default_value = "home")]
    pub screen: String,
    /// The dashboard card open or last touched ("close it").
    #[arg(long, default_value = "none")]
    pub card: String,
    /// Print one JSON object per utterance.
    #[arg(long)]
    pub json: bool,
    /// The model folder (default: assets/model).
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct UiArgs {
    /// The bus: `virtual` (with the simulated car) or a SocketCAN interface.
    #[arg(long, default_value = "virtual", value_name = "BUS")]
    pub can: Bus,
    /// The simulated car's drive (virtual bus only): parked, city, demo or a drive file.
    #[arg(long, default_value = "parked", value_name = "NAME|FILE")]
    pub drive: String,
    /// Whose screen it is: touches count as this seat's requests.
    #[arg(long, default_value = "driver")]
    pub seat: Seat,
    /// The light theme instead of the dark one.
    #[arg(long)]
    pub light: bool,
    /// Window size, WIDTHxHEIGHT.
    #[arg(long, default_value = "1920x720", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Draw every screen in both themes into PNG files in this folder, without a display, and exit.
    #[arg(long, value_name = "DIR")]
    pub screenshots: Option<PathBuf>,
    /// With --screenshots: requests the assistant answers first, in order, as if typed on this
    /// screen; the screens show the car after them and the panel the last answer.
    #[arg(long, value_name = "TEXT", requires = "screenshots")]
    pub ask: Vec<String>,
    /// The language model's folder (default: the shipped one).
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    #[command(flatten)]
    pub car: CarArgs,
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("{text:?} is not a size like 1920x720");
    let (w, h) = text.split_once(['x', '×']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    if !(320..=7680).contains(&w) || !(240..=4320).contains(&h) {
        return Err(format!("{text} is outside 320x240 to 7680x4320"));
    }
    Ok((w, h))
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Labelled examples, one JSON object per line: `utterance`, `plan`, optional `context`
    /// (seat, speed, gear, screen, card, prev) and `category`.
    pub file: PathBuf,
    /// The model folder (default: assets/model).
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// CPU threads for the model.
    #[arg(long, default_value = "1")]
    pub threads: usize,
    /// Print the examples it gets wrong.
    #[arg(long)]
    pub errors: bool,
    /// Also decode every example without the KV cache and print how much the cache saves.
    #[arg(long)]
    pub baseline: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct SpokenArgs {
    /// Labelled requests, one JSON object per line with an `utterance`.
    pub cases: PathBuf,
    /// Where the requests as heard go.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// The voice that speaks them.
    #[arg(long, value_enum, default_value = "piper")]
    pub voice: SpokenVoice,
    /// Mix in generated cabin noise at this signal-to-noise ratio (dB).
    #[arg(long, value_name = "DB")]
    pub noise_db: Option<f32>,
    /// Piper with its own random pitch and timing, different on every run: for training
    /// data, where variety matters more than measuring the same speech twice.
    #[arg(long)]
    pub varied: bool,
    /// The Whisper model: tiny.en (q8_0), tiny.en-f16, base.
    #[arg(long, default_value = "tiny.en")]
    pub model: String,
    /// Only the first N requests.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Every Nth request only, starting at --offset: to tune on some requests and check on
    /// the others.
    #[arg(long, default_value = "1", value_name = "N")]
    pub every: usize,
    /// Where --every starts (0 is the first request).
    #[arg(long, default_value = "0")]
    pub offset: usize,
    /// Whisper's prompt instead of the product's car vocabulary ("" for none): to try one.
    #[arg(long)]
    pub prompt: Option<String>,
    /// CPU threads for the voice and Whisper.
    #[arg(long, default_value = "2")]
    pub threads: usize,
}

/// Who speaks the requests for `cockpit spoken`.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum SpokenVoice {
    /// cockpit's own voice (Piper, joe), without its random pitch and timing.
    Piper,
    /// espeak-ng's default English voice: robotic, harder for Whisper.
    Espeak,
}

#[derive(Args, Debug)]
pub struct SpeakArgs {
    /// What to say.
    pub text: String,
    /// Write a WAV file instead of playing.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Use espeak-ng's own voice instead of the Piper voice.
    #[arg(long)]
    pub espeak: bool,
}

#[derive(Args, Debug)]
pub struct HearArgs {
    /// The microphone: a device whose name contains this (`cockpit devices` lists them).
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,
    /// Push-to-talk: Enter starts an utterance, Enter again ends it (instead of hands-free).
    #[arg(long)]
    pub push_to_talk: bool,
    /// Stop after this many utterances (default: listen until Ctrl-C).
    #[arg(long, value_name = "N")]
    pub utterances: Option<usize>,
    /// One JSON object per utterance.
    #[arg(long)]
    pub json: bool,
    /// Never drop microphone audio, making the device wait instead: for ALSA's null and file
    /// devices, which are not paced in real time.
    #[arg(long)]
    pub lossless: bool,
    /// Without a microphone, wait for one to appear instead of failing.
    #[arg(long)]
    pub wait: bool,
    /// The seat of each microphone channel, in order (a microphone array with one channel per
    /// seat tells which seat spoke): e.g. driver,passenger,rear-left,rear-right.
    #[arg(long, value_delimiter = ',')]
    pub seats: Vec<Seat>,
    /// The seat of a single microphone.
    #[arg(long, default_value = "driver")]
    pub seat: Seat,
    /// The Whisper model: tiny.en (q8_0), tiny.en-f16, base.
    #[arg(long, default_value = "tiny.en")]
    pub model: String,
    /// CPU threads for Whisper.
    #[arg(long, default_value = "2")]
    pub threads: usize,
}

#[derive(Subcommand, Debug)]
pub enum ModelsCommand {
    /// Convert a CTranslate2 (faster-whisper) Whisper model to whisper.cpp's ggml format.
    Convert(ConvertArgs),
}

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// The folder holding the CTranslate2 model (model.bin, vocabulary.txt).
    #[arg(long, value_name = "DIR")]
    pub from: PathBuf,
    /// The ggml file to write.
    #[arg(long, value_name = "FILE")]
    pub to: PathBuf,
    /// Store the weight matrices as q8_0 instead of f16.
    #[arg(long)]
    pub q8_0: bool,
}

#[derive(Args, Debug)]
pub struct TranscribeArgs {
    /// The recording.
    pub file: PathBuf,
    /// The Whisper model: tiny.en (q8_0), tiny.en-f16, base.
    #[arg(long, default_value = "tiny.en")]
    pub model: String,
    /// Decode it as a spoken command (trimmed window, the car's vocabulary as prompt) rather
    /// than as long audio.
    #[arg(long)]
    pub command: bool,
    /// Whisper's prompt instead of the default ("" for none): to try one.
    #[arg(long)]
    pub prompt: Option<String>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// CPU threads.
    #[arg(long, default_value = "2")]
    pub threads: usize,
}

#[derive(Subcommand, Debug)]
pub enum CanCommand {
    /// Decode a candump log with a DBC (the reference car's by default).
    Decode(DecodeArgs),
    /// Replay a candump log onto a bus with its original timing (or faster).
    Replay(ReplayArgs),
    /// Record every frame on a SocketCAN interface to a candump log.
    Record(RecordArgs),
}

/// Which car: the built-in reference car unless files are given.
#[derive(Args, Debug, Clone, Default)]
pub struct CarArgs {
    /// DBC file of the car (replaces the one the mapping names).
    #[arg(long, value_name = "FILE")]
    pub dbc: Option<PathBuf>,
    /// Mapping file tying VSS paths to the DBC's signals.
    #[arg(long = "map", value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Signal catalog file (the built-in catalog by default).
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
}

/// Where the CAN frames go: the in-process virtual bus with the simulated car, or a
/// SocketCAN interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bus {
    /// The in-process bus.
    Virtual,
    /// A SocketCAN interface, by name.
    Interface(String),
}

impl FromStr for Bus {
    type Err = String;

    fn from_str(text: &str) -> Result<Bus, String> {
        match text {
            "virtual" => Ok(Bus::Virtual),
            "" => Err("give `virtual` or a SocketCAN interface name such as can0".into()),
            name if name.len() > 15 || name.contains(['/', ' ']) => {
                Err(format!("{name:?} is not an interface name"))
            }
            name => Ok(Bus::Interface(name.to_owned())),
        }
    }
}

/// How fast a log replays: `1` as recorded, `2` twice as fast, `max` as fast as possible.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// A factor on the recorded timing.
    Factor(f64),
    /// No waiting.
    Max,
}

impl FromStr for Speed {
    type Err = String;

    fn from_str(text: &str) -> Result<Speed, String> {
        if text == "max" {
            return Ok(Speed::Max);
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() && f > 0.0 => Ok(Speed::Factor(f)),
            _ => Err(format!(
                "{text:?}: give a positive factor such as 1, 2.5 or 0.5, or `max`"
            )),
        }
    }
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Run on a simulated clock as fast as the machine allows instead of in real time.
    #[arg(long)]
    pub fast: bool,
    /// The voice session to play (default: the bundled assets/demo/session.toml).
    #[arg(long, value_name = "FILE", conflicts_with = "requests")]
    pub session: Option<PathBuf>,
    /// Write the session journal (one JSON object per utterance) to this file.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["requests", "record"])]
    pub journal: Option<PathBuf>,
    /// Record the session into this folder for `cockpit replay`: the cabin microphone
    /// (audio.wav), every frame on the bus (bus.log), the journal (journal.jsonl).
    #[arg(long, value_name = "DIR", conflicts_with = "requests")]
    pub record: Option<PathBuf>,
    /// Wait out the endpointer's full silence after every utterance instead of ending one
    /// early when its words already make a complete request (the latency baseline).
    #[arg(long, conflicts_with = "requests")]
    pub no_early: bool,
    /// The vehicle layer alone: scripted requests straight to the safety policy and the bus,
    /// without speech or the language model.
    #[arg(long)]
    pub requests: bool,
    /// The request script for --requests (the built-in one by default).
    #[arg(long, value_name = "FILE", requires = "requests")]
    pub script: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct DecodeArgs {
    /// The candump log.
    pub log: PathBuf,
    #[command(flatten)]
    pub car: CarArgs,
    /// One JSON object per frame instead of text.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Write one CSV table per message into this folder instead (a row per frame, a column
    /// per signal), for a spreadsheet or a plot.
    #[arg(long, value_name = "DIR")]
    pub csv: Option<PathBuf>,
    /// Only frames of this interface (logs of several buses).
    #[arg(long, value_name = "NAME")]
    pub interface: Option<String>,
    /// Leave out frames the DBC does not describe.
    #[arg(long)]
    pub known_only: bool,
}

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// The candump log.
    pub log: PathBuf,
    /// The bus to replay onto: `virtual` (printed as it plays) or a SocketCAN interface.
    #[arg(long, value_name = "BUS")]
    pub to: Bus,
    /// Timing: `1` as recorded, `2` twice as fast, `max` without waiting.
    #[arg(long, default_value = "1")]
    pub speed: Speed,
    /// Only frames of this interface of the log.
    #[arg(long, value_name = "NAME")]
    pub interface: Option<String>,
}

#[derive(Args, Debug)]
pub struct RecordArgs {
    /// The SocketCAN interface.
    pub interface: String,
    /// The candump log to write.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Stop after this many seconds (default: at Ctrl-C).
    #[arg(long, value_name = "SECONDS")]
    pub duration: Option<f64>,
}

#[derive(Args, Debug)]
pub struct SimArgs {
    /// The bus: `virtual` or a SocketCAN interface the car then answers on.
    #[arg(long, default_value = "virtual", value_name = "BUS")]
    pub can: Bus,
    /// The drive: a built-in one (parked, city, demo) or a drive file.
    #[arg(long, default_value = "city", value_name = "NAME|FILE")]
    pub drive: String,
    /// Stop after this many seconds (default: at Ctrl-C).
    #[arg(long, value_name = "SECONDS")]
    pub duration: Option<f64>,
    /// Also write every frame on the bus to this candump log.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Run on a simulated clock as fast as the machine allows (needs --duration).
    #[arg(long, requires = "duration")]
    pub fast: bool,
    #[command(flatten)]
    pub car: CarArgs,
}

#[derive(Args, Debug)]
pub struct SetArgs {
    /// The VSS path, e.g. Vehicle.Cabin.Door.Row1.DriverSide.Window.Position.
    pub path: String,
    /// The value: a number, true/false/on/off, or a name such as FAST or 0000FF.
    pub value: String,
    /// The seat that asks.
    #[arg(long, default_value = "driver")]
    pub seat: Seat,
    /// The simulated car's speed in km/h (virtual bus only).
    #[arg(long, value_name = "KMH")]
    pub speed: Option<f64>,
    /// The simulated car's gear, P R N or D (virtual bus only; D when moving, else P).
    #[arg(long)]
    pub gear: Option<Gear>,
    /// The bus: `virtual` (with the simulated car) or a SocketCAN interface.
    #[arg(long, default_value = "virtual", value_name = "BUS")]
    pub can: Bus,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub car: CarArgs,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn buses_and_speeds_parse() {
        assert_eq!("virtual".parse(), Ok(Bus::Virtual));
        assert_eq!("can0".parse(), Ok(Bus::Interface("can0".into())));
        assert!("a very long interface name".parse::<Bus>().is_err());
        assert_eq!("max".parse(), Ok(Speed::Max));
        assert_eq!("2.5".parse(), Ok(Speed::Factor(2.5)));
        assert!("0".parse::<Speed>().is_err());
    }
}
