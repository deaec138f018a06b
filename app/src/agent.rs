//! The agent's turn: words and context in, the model's plan, the plan made concrete against
//! what the car reports now, the safety policy and the bus (through [`Actuator`]), and a reply
//! that says what the car confirmed, not what was asked.
//!
//! `Agent::take_turn` reads a request in stages: the words the agent answers itself (`words`,
//! `when`, `later`), then the model's plan as the words settle it (`reading`), then what the
//! last turn makes of it (`follow_up`), then the plan done and the reply worded (`replies`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::time::Instant;
use vehicle::catalog::EntryType;
use vehicle::transport::TimedFrame;
use vehicle::{
    Actuator, Applied, CarDefinition, Gear, Outcome, PolicyError, Seat, Value, VehicleState, policy,
};

use crate::lm::{Context, Decoded, Engine, EngineError, Function, Kind, Language, Statement};
use ui::Focus;

mod follow_up;
pub mod foreign;
mod later;
mod reading;
mod replies;
mod when;
mod words;
use follow_up::*;
use later::{AboutLater, Reminder, Scheduled};
pub use later::{Schedule, Waiting};
pub use reading::{read, read_planned};
use replies::*;
use when::Timing;
use words::small_talk;
pub use words::{Settled, WordRules, says_stop, yes_or_no};

/// What one turn did.
#[derive(Clone, Debug, Serialize)]
pub struct Turn {
    /// What was heard (or typed).
    pub transcript: String,
    /// What the agent says.
    pub reply: String,
    /// Every actuator whose reported value changed: VSS path → new value.
    pub changes: BTreeMap<String, Value>,
    /// What those actuators reported before the turn: VSS path → old value, for undo.
    pub before: BTreeMap<String, Value>,
    /// Understood, but the rules refused at least one change.
    pub refused: bool,
    /// False when the agent asked back or did nothing because it did not understand.
    pub understood: bool,
    /// The model's plan.
    pub plan: String,
    /// The model's confidence in it.
    pub confidence: f32,
    /// What became of each change.
    pub outcomes: Vec<Outcome>,
    /// Milliseconds from text to plan.
    pub plan_ms: f64,
    /// Milliseconds from text to the first command frame on the bus (none if nothing was sent).
    pub first_frame_ms: Option<f64>,
    /// Milliseconds from text to the car confirming (or the agent giving up on) the last change.
    pub settled_ms: Option<f64>,
    /// Every command frame the turn sent, stamped with the wall clock.
    #[serde(skip)]
    pub frames: Vec<TimedFrame>,
    /// The dashboard's theme the turn switched to: dark (true) or light. Whoever shows the
    /// dashboard applies it (see [`Agent::set_dashboard_shown`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dark: Option<bool>,
}

/// How long a half-finished exchange is remembered: after this, "a bit more" or "yes" no
/// longer refers to what was said before.
pub const FORGET_AFTER: Duration = Duration::from_secs(30);

/// How sure the model must be of a typed unlock to act on it without asking. Typed words are
/// what was meant, but the model can still read them wrong: the shipped one planned an unlock
/// for "turn everything off", with 0.48.
pub const SURE_TO_UNLOCK: f32 = 0.9;

/// Stops what the car is moving ("stop!"). A turn that opens the sunroof waits until the car
/// reports it open, six seconds; a "stop" said meanwhile must act then, not after, so it is
/// the one request handled beside a turn rather than after it, and without the language model
/// (which the turn holds). See [`says_stop`].
#[derive(Clone)]
pub struct Brake {
    actuator: Arc<Actuator>,
    language: Language,
    state: VehicleState,
}

impl Brake {
    /// The turn for `utterance` when it [says stop](says_stop) and something is moving: each
    /// moving position held where it is. `None` when it is not that, for the agent to take as
    /// any other request. `quiet`: it interrupts a turn whose own reply says where things
    /// stopped, so this one says nothing more.
    pub async fn stop(&self, utterance: &str, seat: Seat, quiet: bool) -> Option<Turn> {
        if !says_stop(utterance) {
            return None;
        }
        let moving = self.actuator.moving();
        if moving.is_empty() {
            return None;
        }
        let started = std::time::Instant::now();
        let before: BTreeMap<String, Value> = moving
            .iter()
            .filter_map(|path| Some((path.clone(), self.state.value(path)?)))
            .collect();
        let applied = self.actuator.hold(seat, &moving).await;
        let several = applied.outcomes.len() > 1;
        let held: Vec<(&Function, &str, &Outcome)> = applied
            .outcomes
            .iter()
            .filter_map(|outcome| {
                self.language.functions().find_map(|f| {
                    let (s, _) = f.paths.iter().find(|(_, p)| *p == outcome.path())?;
                    Some((f, s.as_str(), outcome))
                })
            })
            .collect();
        let language = &self.language;
        let mut replies = Vec::new();
        // The windows stopped together at one place are one sentence, as in a turn's reply.
        let at = |o: &Outcome| match o {
            Outcome::Confirmed { value, .. } => Some(value.clone()),
            _ => None,
        };
        for group in
            held.chunk_by(|a, b| a.0.name == b.0.name && at(a.2).is_some() && at(a.2) == at(b.2))
        {
            match group {
                [(f, s, Outcome::Confirmed { value, .. })] => {
                    replies.push(stopped(language, f, s, value, several));
                }
                [(f, _, Outcome::Confirmed { value, .. }), ..] => {
                    let seats: Vec<&str> = group.iter().map(|(_, s, _)| *s).collect();
                    replies.push(together(f, &seats, &show(language, f, value), true));
                }
                _ => replies.extend(group.iter().map(|(f, s, o)| {
                    confirmation(language, f, s, o, several, Imperial::default())
                })),
            }
        }
        let (changes, before) = before
            .into_iter()
            .filter_map(|(path, old)| {
                let now = self.state.value(&path)?;
                (now != old).then(|| ((path.clone(), now), (path, old)))
            })
            .unzip();
        let ms =
            |t: std::time::Instant| t.saturating_duration_since(started).as_secs_f64() * 1000.0;
        Some(Turn {
            transcript: utterance.to_owned(),
            reply: if quiet {
                String::new()
            } else {
                replies.join(" ")
            },
            changes,
            before,
            refused: applied
                .outcomes
                .iter()
                .any(|o| matches!(o, Outcome::Refused { .. })),
            understood: true,
            // The plan language's word for "stop" and "never mind", which the model gives.
            plan: "cancel".into(),
            confidence: 1.0,
            outcomes: applied.outcomes,
            plan_ms: 0.0,
            first_frame_ms: applied.first_frame.map(ms),
            settled_ms: applied.settled.map(ms),
            frames: applied.frames,
            dark: None,
        })
    }
}

/// One change a plan asks for, made concrete for one signal.
#[derive(Clone)]
struct Change {
    path: String,
    value: Value,
    function: Function,
    /// The seat word ("driver", or "all" for a function without seats).
    seat: String,
    /// The plan's value word ("max", "up", "22"…), for the reply.
    word: String,
}

/// The longest a request is kept for later (12 hours): a car is rarely left that long with
/// someone expecting it to act.
const MOST_TO_WAIT: Duration = Duration::from_secs(12 * 3600);

/// What "what's on?" lists and "turn everything off" switches off, in the order said.
const SWITCHES: &[&str] = &[
    "ac",
    "fan",
    "recirculation",
    "defrost_front",
    "defrost_rear",
    "seat_heating",
    "seat_cooling",
    "dome_light",
    "ambient_light",
    "low_beam",
    "fog_lights",
    "hazards",
    "wipers",
];

/// What the agent says while its language model cannot be loaded.
pub const NO_MODEL_REPLY: &str = "I can't understand requests right now: my language model could not be loaded. The touchscreen still works.";

/// Where a language model that failed to load is loaded from again.
#[derive(Clone, Debug)]
pub struct ModelSource {
    /// The model folder (`model.toml`, the ONNX file, the tokenizer).
    pub dir: PathBuf,
    /// Threads for ONNX Runtime.
    pub threads: usize,
}

/// The agent: the model, the car, and what it remembers between turns.
pub struct Agent {
    /// The model, or why it could not be loaded and where it is loaded from again (see
    /// [`Agent::without_model`]).
    model: Result<Engine, (String, ModelSource)>,
    language: Language,
    car: Arc<CarDefinition>,
    state: VehicleState,
    actuator: Arc<Actuator>,
    /// The previous turn's plan, for follow-ups.
    prev: String,
    /// Who spoke it: whose seat its "my" is.
    prev_seat: Seat,
    /// The values the last turn replaced, for "undo".
    undo: Vec<(String, Value)>,
    /// Whether [`Agent::undo`] holds what the turn just before this one changed (rather than
    /// a turn further back), which is what "no, the other one" takes back.
    undo_is_last_turn: bool,
    /// The volume before "mute".
    volume_before_mute: Option<f64>,
    /// Why the last turn's refusals were refused, for "why not?".
    why_refused: Vec<String>,
    /// Requests for a set time from now ("in ten minutes"), waiting for it.
    scheduled: Schedule,
    /// The one the last turn added: "never mind" or "undo" then drops it.
    scheduled_last_turn: Option<u64>,
    /// Those the last turn listed ("what's scheduled?"), in the order said: "cancel the
    /// second one" then calls it off.
    listed_last_turn: Vec<u64>,
    /// A reminder or timer asked for without a time, and the words that asked: the answer
    /// to "When should I remind you?" keeps it.
    asking_when: Option<(Reminder, String)>,
    /// A verb said alone ("turn off"), asked about ("What should I turn off?"): the answer
    /// is read with it.
    asking_what: Option<&'static str>,
    /// The last reply, for "say that again".
    last_reply: String,
    /// The reply of the last turn that changed something, for "what did you just do?".
    last_change_reply: Option<String>,
    /// Changes waiting for a yes (unlocking), and who asked.
    pending: Option<(Seat, Vec<Change>)>,
    /// When the last turn ended, to forget an exchange left half-finished.
    last_turn: Option<Instant>,
    /// When the last turn began, on the clock the dashboard stamps its touches with: a touch
    /// after it is newer than anything said.
    last_turn_began: Option<std::time::Instant>,
    /// See [`FORGET_AFTER`].
    forget_after: Duration,
    /// What the bus saw during this turn.
    applied: Applied,
    /// Whether unlocking waits for a yes: for what was heard, which may have been misheard;
    /// a typed request says what it means.
    confirm_unlocking: bool,
    /// Whether a dashboard shows the turns, so that "dark mode" has a screen to switch.
    dashboard_shown: bool,
}

impl Agent {
    /// An agent acting on the car through `actuator`, reading it through `state`.
    pub fn new(
        engine: Engine,
        car: Arc<CarDefinition>,
        state: VehicleState,
        actuator: Arc<Actuator>,
    ) -> Agent {
        let language = engine.language().clone();
        Agent::with_model(Ok(engine), language, car, state, actuator)
    }

    /// An agent whose language model could not be loaded (`problem`, a damaged or missing
    /// file): each turn loads it again from `source`, and until that works it answers
    /// [`NO_MODEL_REPLY`] without acting, so that the rest of the cockpit (the dashboard, the
    /// car's state, hearing) keeps running and the agent recovers once the file is restored.
    pub fn without_model(
        problem: &EngineError,
        source: ModelSource,
        language: Language,
        car: Arc<CarDefinition>,
        state: VehicleState,
        actuator: Arc<Actuator>,
    ) -> Agent {
        let missing = (problem.to_string(), source);
        Agent::with_model(Err(missing), language, car, state, actuator)
    }

    fn with_model(
        model: Result<Engine, (String, ModelSource)>,
        language: Language,
        car: Arc<CarDefinition>,
        state: VehicleState,
        actuator: Arc<Actuator>,
    ) -> Agent {
        // While the model loads anyway, not on the first request.
        foreign::load();
        Agent {
            model,
            language,
            car,
            state,
            actuator,
            prev: "none".into(),
            prev_seat: Seat::Driver,
            undo: Vec::new(),
            undo_is_last_turn: false,
            volume_before_mute: None,
            why_refused: Vec::new(),
            scheduled: Schedule::default(),
            scheduled_last_turn: None,
            listed_last_turn: Vec::new(),
            asking_when: None,
            asking_what: None,
            last_reply: String::new(),
            last_change_reply: None,
            pending: None,
            last_turn: None,
            last_turn_began: None,
            forget_after: FORGET_AFTER,
            applied: Applied::default(),
            confirm_unlocking: false,
            dashboard_shown: false,
        }
    }

    /// Why the language model is not loaded, while it is not.
    pub fn model_problem(&self) -> Option<&str> {
        self.model
            .as_ref()
            .err()
            .map(|(problem, _)| problem.as_str())
    }

    /// Whether the next turns were heard (spoken, so unlocking the doors waits for a yes) or
    /// typed (acted on at once).
    pub fn set_heard(&mut self, heard: bool) {
        self.confirm_unlocking = heard;
    }

    /// Whether a dashboard shows the turns: then "dark mode" and "light mode" switch its
    /// theme (in [`Turn::dark`]); without one they are answered that there is no screen.
    pub fn set_dashboard_shown(&mut self, shown: bool) {
        self.dashboard_shown = shown;
    }

    /// Forget a half-finished exchange after `after` of silence instead of [`FORGET_AFTER`].
    pub fn forget_after(&mut self, after: Duration) {
        self.forget_after = after;
    }

    /// Whether the agent is waiting for a yes or a no.
    pub fn is_asking(&self) -> bool {
        self.pending.is_some()
    }

    /// The requests waiting for a set time from now, to list and cancel (the dashboard).
    pub fn schedule(&self) -> Schedule {
        self.scheduled.clone()
    }

    /// The previous turn's plan as the model reads it ("none" when there is none), which
    /// follow-ups ("a bit more", "yes") are read against.
    pub fn previous_plan(&self) -> &str {
        &self.prev
    }

    /// When the agent will forget the last exchange if nothing more is said.
    pub fn remembers_until(&self) -> Option<Instant> {
        self.last_turn.map(|t| t + self.forget_after)
    }

    /// Loads the model again if it is missing.
    fn reload_model(&mut self) {
        let Err((_, source)) = &self.model else {
            return;
        };
        match Engine::load(&source.dir, self.language.clone(), source.threads) {
            Ok(engine) => {
                tracing::info!("the language model in {} loads again", source.dir.display());
                self.model = Ok(engine);
            }
            Err(e) => {
                if let Err((problem, _)) = &mut self.model {
                    *problem = e.to_string();
                }
            }
        }
    }

    /// One turn with the dashboard's `focus`: its screen, and the card of the control last
    /// touched there if that was since the last turn (otherwise "it" is what the last turn
    /// was about).
    pub async fn turn_on_screen(
        &mut self,
        utterance: &str,
        seat: Seat,
        focus: &Focus,
    ) -> Result<Turn, EngineError> {
        let card = focus
            .touched
            .as_ref()
            .filter(|(_, at)| self.last_turn_began.is_none_or(|began| *at > began))
            .and_then(|(path, _)| self.card_for(path))
            .unwrap_or("none")
            .to_owned();
        self.turn(utterance, seat, focus.screen.name(), &card).await
    }

    /// What stops the car's moving windows and sunroof while this agent is busy with a turn.
    pub fn brake(&self) -> Brake {
        Brake {
            actuator: self.actuator.clone(),
            language: self.language.clone(),
            state: self.state.clone(),
        }
    }

    /// The dashboard cards the model knows ("close it" with one open): functions of the plan
    /// language. None while the model is not loaded.
    pub fn cards(&self) -> Vec<&str> {
        let Ok(engine) = self.model.as_ref() else {
            return Vec::new();
        };
        self.language
            .functions()
            .map(|f| f.name.as_str())
            .filter(|name| engine.knows_card(name))
            .collect()
    }

    /// The dashboard card (a function of the plan language the model knows as a card) that
    /// shows the signal `path`, if any.
    pub fn card_for(&self, path: &str) -> Option<&str> {
        self.cards().into_iter().find(|name| {
            self.language
                .function(name)
                .is_some_and(|f| f.paths.values().any(|p| p == path))
        })
    }

    /// One turn: `utterance` spoken from `seat`, with `screen` and `card` on the dashboard.
    pub async fn turn(
        &mut self,
        utterance: &str,
        seat: Seat,
        screen: &str,
        card: &str,
    ) -> Result<Turn, EngineError> {
        // "Say that again": the last reply, word for word; the model read "repeat that" as
        // the previous track. "What did you just do?": the reply of the last turn that
        // changed something. Neither changes anything, nor is a turn to follow up.
        let said_before = if words::asks_to_repeat(utterance) {
            Some(if self.last_reply.is_empty() {
                "I haven't said anything yet.".to_owned()
            } else {
                self.last_reply.clone()
            })
        } else if words::asks_what_was_done(utterance) {
            Some(
                self.last_change_reply
                    .clone()
                    .unwrap_or_else(|| "I haven't changed anything yet.".to_owned()),
            )
        } else {
            None
        };
        if let Some(reply) = said_before {
            let before = self.actuator_values();
            return Ok(self.finish(
                utterance.to_owned(),
                &reply,
                true,
                None,
                Vec::new(),
                &before,
            ));
        }
        let turn = Box::pin(self.take_turn(utterance, seat, screen, card)).await?;
        self.last_reply = turn.reply.clone();
        if !turn.changes.is_empty() {
            self.last_change_reply = Some(turn.reply.clone());
        }
        Ok(turn)
    }

    async fn take_turn(
        &mut self,
        utterance: &str,
        seat: Seat,
        screen: &str,
        card: &str,
    ) -> Result<Turn, EngineError> {
        let started = std::time::Instant::now();
        let now = Instant::now();
        self.forget_if_silent(now);
        self.last_turn = Some(now);
        self.last_turn_began = Some(started);
        let last_turn_changed = if std::mem::take(&mut self.undo_is_last_turn) {
            self.undo.clone()
        } else {
            Vec::new()
        };
        self.applied = Applied::default();
        let before = self.actuator_values();
        let transcript = utterance.to_owned();
        if !utterance.chars().any(|c| c.is_alphanumeric()) {
            return Ok(self.finish(
                transcript,
                "I didn't catch that.",
                false,
                None,
                Vec::new(),
                &before,
            ));
        }
        // "Good morning, I'm cold": the request, then the greeting said back before its reply.
        if let Some((said, request)) = words::greeting_before(utterance) {
            let mut turn = Box::pin(self.take_turn(&request, seat, screen, card)).await?;
            turn.transcript = transcript;
            turn.reply = format!("{said} {}", turn.reply);
            return Ok(turn);
        }
        // What was heard stays the transcript; the words are read as meant from here on.
        let heard_as = words::off_as_heard(utterance);
        let heard_as = words::to_as_heard(&heard_as).into_owned();
        let utterance: &str = &heard_as;
        // "Open the window, never mind": nothing; "close the sunroof, no wait, the windows":
        // the windows alone.
        let changed = words::changed_while_said(utterance);
        let utterance: &str = match &changed {
            Some(words::ChangedWhileSaid::TakenBack) => {
                let reply = "Okay, never mind.";
                return Ok(self.finish(transcript, reply, true, None, Vec::new(), &before));
            }
            Some(words::ChangedWhileSaid::Meant(meant)) => meant,
            None => utterance,
        };
        // "The AC" after "What should I turn off?" is "turn off the AC".
        let with_verb = self
            .asking_what
            .take()
            .and_then(|verb| words::with_the_verb_asked(utterance, verb));
        let answers_what = with_verb.is_some();
        let utterance: &str = with_verb.as_deref().unwrap_or(utterance);
        if foreign::is_foreign(utterance) {
            let reply = "Sorry, I only understand English for now.";
            return Ok(self.finish(transcript, reply, false, None, Vec::new(), &before));
        }
        // "Why not?" after a refusal: the rule behind it. The model read it as nothing for
        // the car ("Sorry, that's not something I can do").
        let why_refused = std::mem::take(&mut self.why_refused);
        if asks_why(utterance) && !why_refused.is_empty() {
            let reply = why_refused.join(" ");
            self.why_refused = why_refused;
            return Ok(self.finish(transcript, &reply, true, None, Vec::new(), &before));
        }
        let mut correcting = corrects_last_turn(utterance);
        // "Not mine, the passenger's": the model heard "mine" and kept the driver's seat. What
        // is not meant says nothing the "no" does not; "no, the passenger's" it reads right.
        let meant = if correcting {
            what_is_meant(utterance)
        } else {
            Cow::Borrowed(utterance)
        };
        let utterance: &str = &meant;
        // "Why can't I open the trunk?": the request is read, and what the rules say of it
        // now is the answer; nothing is done.
        let why_not = words::why_not_asked(utterance);
        let utterance: &str = why_not.as_deref().unwrap_or(utterance);
        // "Cancel the first one" just after the waiting requests were listed.
        let listed = std::mem::take(&mut self.listed_last_turn);
        if !listed.is_empty()
            && let Some(which) = later::listed_called_off(utterance)
        {
            let reply = self.call_off_listed(listed, which);
            return Ok(self.finish(transcript, &reply, true, None, Vec::new(), &before));
        }
        // "What did I ask for later?", "don't close the windows after all": about what waits,
        // read before a time is taken out ("cancel closing the windows in five minutes" asks
        // for nothing new later).
        if let Some(reply) = self.about_later(utterance, seat) {
            self.scheduled_last_turn = None;
            return Ok(self.finish(transcript, &reply, true, None, Vec::new(), &before));
        }
        // "What time is it": the dashboard's clock, said.
        if let Some(asked) = when::clock_asked(utterance) {
            let now = chrono::Local::now();
            let reply = match asked {
                when::ClockAsked::Time => format!("It's {}.", now.format("%H:%M")),
                when::ClockAsked::Date => format!("It's {}.", now.format("%A, %-d %B %Y")),
            };
            return Ok(self.finish(transcript, &reply, true, None, Vec::new(), &before));
        }
        // "Dark mode": the dashboard's theme, which the car's functions do not hold.
        if let Some(dark) = words::theme_asked(utterance) {
            let mode = if dark { "dark" } else { "light" };
            if !self.dashboard_shown {
                let reply = format!("There is no screen here to switch to {mode} mode.");
                return Ok(self.finish(transcript, &reply, true, None, Vec::new(), &before));
            }
            let reply = format!("The screen is now in {mode} mode.");
            let mut turn = self.finish(transcript, &reply, true, None, Vec::new(), &before);
            turn.dark = Some(dark);
            return Ok(turn);
        }
        // "How's the climate?", "what's on?", "status report": an overview, said from the
        // car's state. The model answered with one thing, or nothing.
        if let Some(overview) = words::overview_asked(utterance) {
            let reply = self.overview(overview, seat, Imperial::said(utterance));
            return Ok(self.finish(transcript, &reply, true, None, Vec::new(), &before));
        }
        // "Is anything open?": every opening at once. The model answered with the windows
        // alone (and was unsure of that).
        if words::asks_what_is_open(utterance) {
            let reply = self.what_is_open(seat);
            return Ok(self.finish(transcript, &reply, true, None, Vec::new(), &before));
        }
        // "Turn everything off" is asked back with what is on: everything could be the
        // headlights at night. "All of it" then is all of that. "Open everything" is asked
        // back as "open" alone is.
        let everything = words::everything_asked(utterance);
        if let Some(asked) = everything {
            let (reply, verb) = match asked {
                words::Everything::Close if self.everything_closed().is_none() => (
                    "Everything is already closed: the windows, the sunroof and both trunks."
                        .to_owned(),
                    None,
                ),
                words::Everything::TurnOff if self.on_now().is_empty() => {
                    ("Nothing is switched on.".to_owned(), None)
                }
                words::Everything::TurnOff if !answers_what => {
                    let on = self.overview(words::Overview::On, seat, Imperial::default());
                    (format!("What should I turn off? {on}"), Some("turn off"))
                }
                words::Everything::Open => ("What should I open?".to_owned(), Some("open")),
                words::Everything::TurnOn => ("What should I turn on?".to_owned(), Some("turn on")),
                _ => (String::new(), None),
            };
            if !reply.is_empty() {
                // A question back is not yet understood; "everything is already closed" is.
                let understood = verb.is_none();
                self.asking_what = verb;
                return Ok(self.finish(transcript, &reply, understood, None, Vec::new(), &before));
            }
        }
        // "Turn on the AC now and close the windows in five minutes": the part for now is a
        // turn, then the part for later is kept, read after it ("and turn it off in ten
        // minutes" is the AC). The model read it all as one request.
        if let Some((now, later)) = when::now_and_later(utterance, chrono::Local::now().time()) {
            let mut turn = Box::pin(self.turn(&now, seat, screen, card)).await?;
            let undo_is_last_turn = self.undo_is_last_turn;
            let kept = Box::pin(self.turn(&later, seat, screen, "none")).await?;
            self.undo_is_last_turn = undo_is_last_turn;
            turn.transcript = transcript;
            let kept = match kept.reply.strip_prefix("Okay, ") {
                Some(rest) => capital(rest),
                None => kept.reply,
            };
            turn.reply = format!("{} {kept}", turn.reply);
            return Ok(turn);
        }
        // "Turn off the seat heating in ten minutes": the request is read without its time
        // (the model read "close the windows in 5 minutes" as nothing), and kept for then.
        // "Open my window for five minutes" is done now and put back then.
        // A time of day ("close the sunroof at 5 pm") is a wait until then.
        let (timed, at) = match when::time_said(utterance) {
            Some(timed) => (Some(timed), None),
            None => match when::clock_said(utterance, chrono::Local::now().time()) {
                Some((timed, at)) => (Some(timed), Some(at)),
                None => (None, None),
            },
        };
        if let (Some(t), Some(at)) = (&timed, &at)
            && t.wait > MOST_TO_WAIT
        {
            let reply = format!(
                "I keep a request for at most 12 hours, and {at} is further away than that."
            );
            return Ok(self.finish(transcript, &reply, false, None, Vec::new(), &before));
        }
        // "Open the trunk when we stop": now if the car stands, else kept until it does (at
        // most as long as a request for a time).
        let stopping = timed
            .is_none()
            .then(|| when::stop_said(utterance))
            .flatten();
        let on_stop = stopping.is_some() && !self.stands();
        let utterance: &str = match (&timed, &stopping) {
            (Some(t), _) => t.rest.as_str(),
            (None, Some(rest)) => rest.as_str(),
            (None, None) => utterance,
        };
        let (delay, hold) = match &timed {
            Some(t) if t.timing == Timing::Later => (Some((t.wait, t.rest.clone())), None),
            Some(t) if t.timing == Timing::For => (None, Some(t.wait)),
            _ if on_stop => (Some((MOST_TO_WAIT, utterance.to_owned())), None),
            _ => (None, None),
        };
        let scheduled_last_turn = std::mem::take(&mut self.scheduled_last_turn);
        let asking_when = self.asking_when.take();
        // "Remind me to close the windows in ten minutes", "set a timer for five minutes":
        // kept, and only said then.
        if let Some(t) = timed.as_ref().filter(|t| t.timing != Timing::Aside)
            && let Some(reminder) = later::reminder_said(&t.rest)
        {
            let reply = self.remind(reminder, t.wait, at.clone(), &t.rest, seat);
            return Ok(self.finish(transcript, &reply, true, None, Vec::new(), &before));
        }
        if timed.is_none()
            && let Some(wait) = later::timer_length(utterance)
        {
            let reply = self.remind(Reminder::Timer, wait, None, utterance, seat);
            return Ok(self.finish(transcript, &reply, true, None, Vec::new(), &before));
        }
        // "Ten minutes" after "When should I remind you?".
        if let Some((reminder, request)) = asking_when
            && let Some(wait) = later::length_alone(utterance)
        {
            let reply = self.remind(reminder, wait, None, &request, seat);
            return Ok(self.finish(transcript, &reply, true, None, Vec::new(), &before));
        }
        // "Remind me to call my sister", "set a timer": when? (Asked back, so not understood
        // yet.) A time the car cannot know ("on the way home") is the small talk's to answer.
        if timed.is_none()
            && !when::later_said(utterance)
            && let Some(reminder) = later::reminder_said(utterance)
        {
            let reply = match reminder {
                Reminder::Timer => "For how long?",
                Reminder::Of(..) => "When should I remind you? In ten minutes, for example.",
            };
            self.asking_when = Some((reminder, utterance.to_owned()));
            return Ok(self.finish(transcript, reply, false, None, Vec::new(), &before));
        }
        self.reload_model();
        let Ok(engine) = self.model.as_mut() else {
            return Ok(self.finish(transcript, NO_MODEL_REPLY, false, None, Vec::new(), &before));
        };
        let situation = self.actuator.situation();
        // "Close it" just after "open the sunroof": with no card on the dashboard, what the
        // last turn was about is what "it" means, as if its card were open. A card the model
        // does not know would reach it as pieces of words; it counts as none.
        let last_plan = self.language.parse_plan(&self.prev).ok();
        let card = match (card, last_plan.as_ref().and_then(subject)) {
            (card, _) if card != "none" && engine.knows_card(card) => card,
            (_, Some(function)) if engine.knows_card(function) => function,
            _ => "none",
        };
        // A correction needs to know whose seat the last turn meant by "my"; other follow-ups
        // ("a bit more") were taught with "my" and read it best as it is.
        // "The other side too" needs it as well: the other side of whoever spoke.
        let names_the_other = utterance
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "other");
        let prev = match &last_plan {
            Some(plan) if correcting || names_the_other => {
                with_seats_named(plan, &self.language, self.prev_seat).to_string()
            }
            _ => self.prev.clone(),
        };
        let context = Context {
            seat: seat_word(seat).into(),
            speed: Context::speed_band(situation.speed_kmh.unwrap_or(0.0)).into(),
            gear: situation.gear.unwrap_or(Gear::Park).letter().into(),
            screen: screen.into(),
            card: card.into(),
            prev,
        };
        let threshold = engine.spec().confidence_threshold;
        let rules = WordRules {
            language: &self.language,
            catalog: self.car.catalog(),
            threshold,
        };
        let (mut decoded, mut settled) =
            reading::read(engine, &rules, utterance, seat, &context, |path| {
                self.state.value(path)?.as_f64()
            })?;
        // "Unlock them" just after "lock the doors" was read as a yes (0.98), with nothing
        // asked, and nothing was done: a yes or no that the words do not say, with no
        // question open, is read again as a request of its own.
        let yes_or_no_alone = |plan: &crate::lm::Plan| {
            matches!(plan.statements[..], [Statement::Yes | Statement::No])
        };
        if self.pending.is_none()
            && context.prev != "none"
            && yes_or_no_alone(&decoded.plan)
            && yes_or_no(utterance).is_none()
        {
            let alone = Context {
                prev: "none".into(),
                ..context.clone()
            };
            let again = reading::read(engine, &rules, utterance, seat, &alone, |path| {
                self.state.value(path)?.as_f64()
            })?;
            if !yes_or_no_alone(&again.0.plan) {
                tracing::debug!(model = %decoded.plan, plan = %again.0.plan, "a yes or no nobody asked for, read alone");
                let ms = decoded.ms;
                (decoded, settled) = again;
                decoded.ms += ms;
            }
        }
        // "Not the back ones" after "open the windows": the last request without those
        // seats, and what it did there is put back. The model opened the back ones.
        if let Some(last) = &last_plan
            && let Some(left_out) = words::seats_left_out(utterance, seat)
            && left_out.alone
        {
            let mut kept = last.clone();
            if words::leave_out(&mut kept, &self.language, self.prev_seat, &left_out.seats) {
                decoded.replace_with(kept);
                settled = Settled::Act;
                correcting = true;
            }
        }
        // "A bit warmer" after "set the passenger side to 23" is the passenger's: a follow-up
        // that names no seat stays where the same speaker's last request was. The model,
        // taught follow-ups with "my", moved it to the speaker's seat.
        if !correcting
            && self.prev_seat == seat
            && let Some(last) = &last_plan
            && is_bare_follow_up(utterance)
        {
            if let Some(plan) = self.step_of_the_last(&decoded.plan, last, utterance) {
                tracing::debug!(model = %decoded.plan, "a step of what the last turn set: {plan}");
                decoded.replace_with(plan);
                settled = Settled::Act;
            }
            keep_the_last_zone(&mut decoded.plan, last);
            if more_of_the_same(&mut decoded.plan, last, utterance) {
                settled = Settled::Act;
            }
        }
        // "That's too hot" just after the seat was heated is the seat's heating a step down,
        // "too loud" after the fan was turned up the fan, "too windy" after a window was
        // opened that window: the model read them alone (the cabin's temperature, the
        // volume, the wipers).
        if let Some(last) = &last_plan
            && self.prev_seat == seat
            && let Some(complaint) = words::complained_of(utterance)
            && let Some((function, zone)) = subject_and_zone(last)
            && words::step_for_complaint(function, complaint)
            && let Ok(less) = self
                .language
                .parse_plan(&format!("set {function} {zone} down"))
        {
            tracing::debug!(model = %decoded.plan, "a complaint of the last turn's {function}");
            decoded.replace_with(less);
            settled = Settled::Act;
        }
        // "Close everything", and "all of it" after "What should I turn off?".
        if let Some(plan) = match everything {
            Some(words::Everything::Close) => self.everything_closed(),
            Some(words::Everything::TurnOff) => self.everything_off(),
            _ => None,
        } {
            tracing::debug!(model = %decoded.plan, "everything asked: {plan}");
            decoded.replace_with(plan);
            settled = Settled::Act;
        }
        // "Turn it down" with the seat heating's card open: the card's, unless the last turn
        // was about what the model read.
        if words::step_said_of_the_card(
            &mut decoded.plan,
            utterance,
            card,
            last_plan.as_ref().and_then(subject),
            &self.language,
        ) {
            decoded.set_aside_doubt();
            settled = Settled::Act;
        }
        // "And the back too" after "set the fan to 3": the fans are in the front. The plan
        // language has no back seats for such a setting, so the model put it elsewhere.
        let planned: Vec<&Function> = set_functions(&decoded.plan, &self.language).collect();
        if words::back_said(utterance)
            && let [first, ..] = planned[..]
            && planned
                .iter()
                .all(|f| f.is_zoned() && f.seats("rear", "driver").is_empty())
        {
            let reply = format!(
                "There is no {} control in the back, only in the front.",
                label(&first.name).trim_start_matches("the ")
            );
            return Ok(self.finish(
                transcript,
                &reply,
                false,
                Some(decoded),
                Vec::new(),
                &before,
            ));
        }
        // "What is it now?" just after "set the temperature to 22": the setting the last turn
        // was about, as the car has it. The model planned nothing, or answered something else
        // ("what's it at" after the fan was the car's speed).
        if matches!(
            decoded.plan.statements.as_slice(),
            [Statement::Nothing | Statement::Answer { .. }]
        ) && words::asks_about_it(utterance)
            && let Some(last) = &last_plan
            && let Some((function, zone)) = subject_and_zone(last)
            && let Ok(asked) = self
                .language
                .parse_plan(&format!("answer {function} {zone}"))
        {
            tracing::debug!("how it is now: the {function}");
            decoded.replace_with(asked);
            settled = Settled::Act;
        }
        // "Go back" just after a change undoes it, unless the change was the music's.
        if words::go_back_alone(utterance)
            && !last_turn_changed.is_empty()
            && last_plan.as_ref().and_then(subject) != Some("media")
            && let Ok(undo) = self.language.parse_plan("undo")
        {
            tracing::debug!(model = %decoded.plan, "go back, after a change: undo");
            decoded.replace_with(undo);
            settled = Settled::Act;
        }
        // "Sync the temperature": the others take the named seat's setting, as the car has it.
        if let Some(sync) = words::sync_asked(utterance, seat)
            && let Some(plan) = self.synced(sync, seat, last_plan.as_ref())
        {
            tracing::debug!(model = %decoded.plan, "the temperatures synced: {plan}");
            decoded.replace_with(plan);
            settled = Settled::Act;
        }
        // "Turn it off" after "turn on the AC": the model planned nothing where "it" had no
        // dashboard card to stand for (the AC, the recirculation, the defrosters, the fog and
        // head lights), and switched the hazard lights off for "switch them off" after the
        // fog lights. The words name nothing else, so whatever the model switched is the last
        // thing's switch, unless a dashboard card of another thing is open (then only where
        // the model planned nothing or asked). After the ambient light's colour or brightness
        // ("the ambient light itself is off"), "turn it on" is the light's.
        let it_is_the_last = card == "none" || last_plan.as_ref().and_then(subject) == Some(card);
        let planned_nothing_or_a_switch = match decoded.plan.statements.as_slice() {
            [Statement::Nothing | Statement::Ask { .. }] => true,
            [Statement::Set { value, .. }] => {
                it_is_the_last && matches!(value.as_str(), "on" | "off")
            }
            _ => false,
        };
        if planned_nothing_or_a_switch
            && let Some(last) = &last_plan
            && let Some(on) = words::switched_it(utterance)
            && let Some((function, zone)) = subject_and_zone(last)
            && let Some(f) = self.language.function(function)
            && let Some(switch) = switch_of(f, &self.language)
            && let Ok(switched) = self.language.parse_plan(&format!(
                "set {} {} {}",
                switch.name,
                if switch.name == f.name || switch.is_zoned() {
                    zone
                } else {
                    "all"
                },
                if on { "on" } else { "off" }
            ))
        {
            let function = &switch.name;
            tracing::debug!(model = %decoded.plan, "a switch said of it: the {function}");
            decoded.replace_with(switched);
            settled = Settled::Act;
        }
        // "And the fog lights" after "turn off the headlights" turns them off too: a request
        // that only adds a thing to the last one does to it what the last one did.
        if !correcting
            && let Some(last) = &last_plan
            && only_adds_a_thing(utterance)
        {
            if asked_as_the_last_did(&mut decoded.plan, last) {
                settled = Settled::Act;
            }
            match as_the_last_did(&mut decoded.plan, last, &self.language) {
                Some(Added::AsLast) => settled = Settled::Act,
                Some(Added::Unsaid) => settled = Settled::Ask,
                None => {}
            }
        }
        // "And inside?" after "how cold is it outside" asks the cabin's sensor: the model read
        // "inside" and "outside" as where the air comes from (the recirculation).
        if !correcting
            && let Some(last) = &last_plan
            && let Some(query) = temperature_asked_elsewhere(utterance, last)
            && let Ok(asked) = self.language.parse_plan(&format!("answer {query} all"))
        {
            tracing::debug!(model = %decoded.plan, "a temperature asked about elsewhere");
            decoded.replace_with(asked);
            settled = Settled::Act;
        }
        // "And the passenger side too" after "turn on the AC": the air conditioning is the
        // whole car's, so the passenger side has what the last request did; the model, looking
        // for a setting by seat, warmed the passenger side. The last request is done again,
        // which says it is so.
        if !correcting
            && let Some(last) = &last_plan
            && only_names_a_seat(utterance)
            && sets_only_for_the_whole_car(last, &self.language)
        {
            tracing::debug!(model = %decoded.plan, "a seat added to a request for the whole car");
            decoded.replace_with(last.clone());
            settled = Settled::Act;
        }
        // "No, the sunroof" after "open my window" opens the sunroof instead: a correction
        // that names another thing of the last request's family does to it what the last
        // request did (the model read the "no" as closing it), and what the last request did
        // is put back. Another family ("lock the doors" … "no, the trunk") is asked about.
        let mut replaced = false;
        if correcting
            && let Some(last) = &last_plan
            && names_other_things(&decoded.plan, last)
        {
            if only_names_a_thing(utterance) {
                match as_the_last_did(&mut decoded.plan, last, &self.language) {
                    Some(Added::AsLast) => {
                        settled = Settled::Act;
                        replaced = true;
                    }
                    Some(Added::Unsaid) => settled = Settled::Ask,
                    None => {}
                }
            } else {
                // "No, turn on the hazard lights" after the fog lights: the words say what to
                // do, and the fog lights go back all the same.
                replaced = of_the_last_family(&decoded.plan, last, &self.language);
            }
        }
        // "Is it on?" after "heat the passenger seat" asks about the passenger's seat, not the
        // speaker's: a question that names no seat asks where the last request was.
        // And one in the plural ("what are the temperatures set to") asks about every seat.
        if names_no_seat(utterance) {
            if self.prev_seat == seat
                && let Some(last) = &last_plan
            {
                ask_about_the_last_zone(&mut decoded.plan, last);
            }
            ask_about_every_seat_when_plural(&mut decoded.plan, utterance);
        }
        if let Some(last) = &last_plan
            && let Some(answer) = answers_the_question(last, utterance, &self.language)
        {
            decoded.replace_with(answer);
            settled = Settled::Act;
        }
        // A plain yes or no answers the question asked, whatever the model makes of it.
        if self.pending.is_some()
            && let Some(yes) = yes_or_no(utterance)
            && let Ok(answer) = self.language.parse_plan(if yes { "yes" } else { "no" })
        {
            decoded.replace_with(answer);
            settled = Settled::Act;
        }
        // "Never mind" or "undo" just after a request for later drops it.
        let drops = matches!(
            decoded.plan.statements.as_slice(),
            [Statement::Cancel | Statement::Undo | Statement::No]
        );
        if drops && let Some(dropped) = scheduled_last_turn.and_then(|id| self.scheduled.take(id)) {
            let reply = called_off(&[dropped]);
            return Ok(self.finish(transcript, &reply, true, Some(decoded), Vec::new(), &before));
        }
        // "How high can the temperature go?", "is that the highest?": the range of what the
        // model read the words to be about, or of what the last turn was. The model answered
        // with the value now, or nothing.
        if words::limits_asked(utterance) {
            // "Is that the max?" after "open the sunroof halfway" was read as the car's range.
            let a_setting = |plan: &crate::lm::Plan| {
                subject_and_zone(plan)
                    .filter(|(f, _)| self.language.function(f).is_some())
                    .map(|(f, zone)| (f.to_owned(), zone.to_owned()))
            };
            let about = a_setting(&decoded.plan).or_else(|| last_plan.as_ref().and_then(a_setting));
            if let Some(reply) = about.and_then(|(function, zone)| {
                self.limits(&function, &zone, seat, Imperial::said(utterance))
            }) {
                return Ok(self.finish(
                    transcript,
                    &reply,
                    true,
                    Some(decoded),
                    Vec::new(),
                    &before,
                ));
            }
        }
        if let Some(request) = &why_not {
            let reply = self.why_not(&decoded.plan, seat, request);
            return Ok(self.finish(transcript, &reply, true, Some(decoded), Vec::new(), &before));
        }
        if let Some((wait, request)) = delay {
            let (reply, kept) =
                self.keep_for_later(&decoded.plan, settled, (wait, at, on_stop), request, seat);
            return Ok(self.finish(transcript, &reply, kept, Some(decoded), Vec::new(), &before));
        }
        if settled == Settled::Ask {
            let reply = match guess(&decoded.plan) {
                Some(guess) => {
                    format!("Sorry, I'm not sure I understood. Did you want me {guess}?")
                }
                None => "Sorry, I'm not sure what you want me to do. Could you say it another way?"
                    .into(),
            };
            // "Did you want me to turn on the AC?" … "yes" does it: the settings asked about
            // wait for a yes from whoever spoke, as an unlock does. Only a plan of settings,
            // so that the yes does all that was asked about.
            let mut held = Vec::new();
            let only_settings = decoded
                .plan
                .statements
                .iter()
                .all(|s| matches!(s, Statement::Set { .. }));
            if only_settings {
                let mut unsaid = Vec::new();
                for statement in &decoded.plan.statements {
                    if let Statement::Set {
                        function,
                        zone,
                        value,
                    } = statement
                    {
                        self.changes_for(function, zone, value, seat, &mut held, &mut unsaid);
                    }
                }
            }
            // The model reads the yes against what it asked about, as after an unlock.
            if !held.is_empty() {
                self.prev = decoded.plan.to_string();
                self.prev_seat = seat;
            }
            self.pending = (!held.is_empty()).then_some((seat, held));
            return Ok(self.finish(
                transcript,
                &reply,
                false,
                Some(decoded),
                Vec::new(),
                &before,
            ));
        }
        let plan = decoded.plan.clone();
        let mut replies: Vec<String> = Vec::new();
        let mut understood = true;
        let mut changes: Vec<Change> = Vec::new();
        // Whatever is said next answers a pending question or replaces it.
        let pending = self.pending.take();
        let mut undone: Vec<Outcome> = Vec::new();
        for statement in &plan.statements {
            match statement {
                Statement::Set {
                    function,
                    zone,
                    value,
                } => self.changes_for(function, zone, value, seat, &mut changes, &mut replies),
                Statement::Answer { query, zone } => {
                    replies.push(self.answer(query, zone, seat, Imperial::said(utterance)))
                }
                Statement::Ask { function, .. } => {
                    understood = false;
                    replies.push(ask_back(function));
                }
                Statement::Nothing => {
                    understood = false;
                    self.asking_what = words::verb_asked_about(utterance);
                    replies.push(
                        small_talk(utterance)
                            .unwrap_or("Sorry, that's not something I can do in the car.")
                            .into(),
                    );
                }
                Statement::Undo => {
                    let (reply, outcomes) = self.undo().await;
                    undone.extend(outcomes);
                    replies.push(reply);
                }
                Statement::Cancel => replies.push("Okay, never mind.".into()),
                Statement::Yes => match &pending {
                    Some((asked_by, held)) if *asked_by == seat => changes.extend(held.clone()),
                    Some(_) => replies.push("Only the person who asked can confirm that.".into()),
                    None => replies.push("Okay.".into()),
                },
                Statement::No => match &pending {
                    Some((_, held)) if held.iter().all(|c| c.function.name == "lock") => {
                        replies.push("Okay, the doors stay locked.".into())
                    }
                    _ => replies.push("Okay, I'll leave it as it is.".into()),
                },
            }
        }
        // "No, the other one": the request replaces the last turn's rather than adding to it, so
        // what the last turn did with the same functions is put back (where this one does not
        // set it anyway). Only those functions, unless another thing replaced the last one's:
        // "no, not so loud" after opening a window must not close it.
        if correcting {
            let replaced_functions: Vec<&Function> = match (&last_plan, replaced) {
                (Some(last), true) => set_functions(last, &self.language).collect(),
                _ => Vec::new(),
            };
            let reverts = self.reverts(&changes, &last_turn_changed, &replaced_functions);
            changes.extend(reverts);
        }
        // Unlocking waits for a yes, when heard or when the model is unsure of it, unless the
        // rules refuse it anyway (then the refusal is the answer, not a question).
        let confirming = matches!(plan.statements.as_slice(), [Statement::Yes]);
        let unsure = decoded.confidence < SURE_TO_UNLOCK;
        if (self.confirm_unlocking || unsure) && !confirming {
            let situation = self.actuator.situation();
            let (held, rest): (Vec<Change>, Vec<Change>) = changes.into_iter().partition(|c| {
                c.function.name == "lock"
                    && c.value == Value::Bool(false)
                    && policy::check(&self.car, seat, &situation, &c.path, &c.value).is_ok()
            });
            changes = rest;
            if !held.is_empty() {
                replies.push(unlock_question(&held));
                self.pending = Some((seat, held));
            }
        }
        let requests: Vec<(String, Value)> = changes
            .iter()
            .map(|c| (c.path.clone(), c.value.clone()))
            .collect();
        let outcomes = if requests.is_empty() {
            Vec::new()
        } else {
            let applied = self.actuator.apply_traced(seat, &requests).await;
            let outcomes = applied.outcomes.clone();
            self.note(applied);
            outcomes
        };
        let mut said_refusal = false;
        let language = &self.language;
        let imperial = Imperial::said(utterance);
        let mut i = 0;
        // "Turn off all the lights" with most lights off already: those are one sentence, not
        // one a light.
        let (already_switched, already_said) = already_switched(&changes, &outcomes, &before);
        while i < changes.len() {
            if already_switched.contains(&i) {
                i += 1;
                continue;
            }
            let Change {
                function: f,
                seat: s,
                word,
                ..
            } = &changes[i];
            let shown = |o: &Outcome| match o {
                Outcome::Confirmed { value, .. } => {
                    Some((state_text(language, f, value, imperial), false))
                }
                Outcome::Superseded {
                    reported: Some(value),
                    stopped: true,
                    ..
                } if is_position(f) => Some((show(language, f, value), true)),
                _ => None,
            };
            // The same function confirmed at the same value on several seats is one sentence
            // ("the back at 20 and the front at 22" is two).
            let first = shown(&outcomes[i]);
            let mut end = i + 1;
            while first.is_some()
                && end < changes.len()
                && changes[end].function.name == f.name
                && shown(&outcomes[end]) == first
            {
                end += 1;
            }
            if let Some((value, stopped)) = &first
                && end - i > 1
            {
                let seats: Vec<&str> = changes[i..end].iter().map(|c| c.seat.as_str()).collect();
                let reply = together(f, &seats, value, *stopped);
                let unchanged = (i..end).all(|k| was_already(&before, &outcomes[k]));
                replies.push(if unchanged { already(&reply) } else { reply });
                i = end;
                continue;
            }
            match &outcomes[i] {
                Outcome::Refused { reason, .. } => {
                    if !said_refusal {
                        replies.push(refusal(f, reason, Some(&changes[i].value)));
                        said_refusal = true;
                    }
                    let why = because(f, reason, Some(&changes[i].value));
                    if !self.why_refused.contains(&why) {
                        self.why_refused.push(why);
                    }
                }
                outcome => {
                    // Asked in Fahrenheit ("72 fahrenheit", or a plan in `72f`), said in it.
                    let imperial = Imperial {
                        fahrenheit: imperial.fahrenheit || word.ends_with('f'),
                        ..imperial
                    };
                    let mut reply =
                        confirmation(language, f, s, outcome, changes.len() > 1, imperial);
                    // "Set it to 35" is planned as max: say that this is as far as it goes.
                    if outcome.is_done() && (word == "max" || word == "min") && !is_position(f) {
                        reply.pop();
                        reply.push_str(if word == "max" {
                            ", as high as it goes."
                        } else {
                            ", as low as it goes."
                        });
                    }
                    if was_already(&before, outcome) {
                        reply = already(&reply);
                    }
                    replies.push(reply);
                }
            }
            i += 1;
        }
        replies.extend(already_said);
        replies.extend(self.unlit_note(&changes, &outcomes));
        // What the turn changed, to undo. A turn that changed nothing ("turn on the AC" … "and
        // the passenger side too", already on) leaves the undo of the turn before: "undo"
        // then puts back the last change made, where "it's back as it was" had undone nothing.
        let changed: Vec<(String, Value)> = changes
            .iter()
            .zip(&outcomes)
            // A window stopped on its way did move: undo puts it back too.
            .filter(|(_, o)| {
                (o.is_done() && !was_already(&before, o))
                    || matches!(
                        o,
                        Outcome::Superseded {
                            reported: Some(_),
                            ..
                        }
                    )
            })
            .filter_map(|(c, _)| Some((c.path.clone(), before.get(&c.path)?.clone())))
            .collect();
        if let Some(wait) = hold
            && !changed.is_empty()
        {
            let what = putting_back(&changes, &changed);
            let kept = Scheduled {
                put_back: changed.clone(),
                ..self.waiting_for(wait, None, seat, utterance.to_owned(), what)
            };
            self.keep(kept);
            replies.push(format!("I'll put it back {}.", in_words(wait)));
        }
        if !changed.is_empty() {
            self.undo_is_last_turn = true;
            self.undo = changed;
        }
        replies.dedup();
        let reply = replies.join(" ");
        // What an undo put back counts among the turn's outcomes (after the reply is worded,
        // which pairs outcomes with the plan's changes).
        let mut outcomes = outcomes;
        outcomes.extend(undone);
        let mut turn = self.finish(
            transcript,
            &reply,
            understood,
            Some(decoded),
            outcomes,
            &before,
        );
        let ms =
            |t: std::time::Instant| t.saturating_duration_since(started).as_secs_f64() * 1000.0;
        turn.first_frame_ms = self.applied.first_frame.map(ms);
        turn.settled_ms = self.applied.settled.map(ms);
        turn.frames = std::mem::take(&mut self.applied.frames);
        // "Never mind", "yes" and "no" end an exchange without changing what it was about:
        // "close it" after "open my window" … "never mind" is still the window. A question
        // back they answer or drop is done with.
        let ends_an_exchange = plan
            .statements
            .iter()
            .all(|s| matches!(s, Statement::Cancel | Statement::Yes | Statement::No));
        if ends_an_exchange {
            let asked = self.language.parse_plan(&self.prev).is_ok_and(|p| {
                p.statements
                    .iter()
                    .any(|s| matches!(s, Statement::Ask { .. }))
            });
            if asked {
                self.prev = "none".into();
            }
        // A question back is the context its answer needs ("To how many degrees?" … "22").
        } else if understood
            || plan
                .statements
                .iter()
                .any(|s| matches!(s, Statement::Ask { .. }))
        {
            self.prev = plan.to_string();
            self.prev_seat = seat;
        }
        Ok(turn)
    }

    /// Forgets the last exchange when nothing was said for [`Agent::forget_after`].
    fn forget_if_silent(&mut self, now: Instant) {
        if self
            .last_turn
            .is_some_and(|t| now.duration_since(t) > self.forget_after)
        {
            tracing::debug!("forgetting the last exchange");
            self.prev = "none".into();
            self.why_refused.clear();
            self.pending = None;
            self.undo_is_last_turn = false;
            self.asking_when = None;
            self.asking_what = None;
        }
    }

    /// Keeps a request for `wait` from now, when its plan is settings the agent would make
    /// now: the reply, which says what it will do and when, and whether it was kept.
    fn keep_for_later(
        &mut self,
        plan: &crate::lm::Plan,
        settled: Settled,
        (wait, at, on_stop): (Duration, Option<String>, bool),
        request: String,
        seat: Seat,
    ) -> (String, bool) {
        let when = match &at {
            _ if on_stop => "when we stop".to_owned(),
            Some(at) => format!("at {at}"),
            None => in_words(wait),
        };
        let statements = &plan.statements;
        let sets = !statements.is_empty()
            && statements
                .iter()
                .all(|s| matches!(s, Statement::Set { .. }));
        // No one need be there when the time comes: doors are unlocked only when asked then.
        let unlocks = statements.iter().any(
            |s| matches!(s, Statement::Set { function, value, .. } if function == "lock" && value == "off"),
        );
        // Whose seat "my" is, said: the list of what waits may hold requests from several.
        match guess(&with_seats_named(plan, &self.language, seat)) {
            _ if unlocks => (
                format!("For safety, I unlock the doors only when asked at the time, not {when}."),
                false,
            ),
            Some(what) if sets && settled == Settled::Act => {
                let what = what.trim_start_matches("to ").replace(" and to ", " and ");
                let reply = format!("Okay, {when} I'll {what}.");
                let kept = Scheduled {
                    on_stop,
                    // Looked at from now on, until the car stands (`Schedule::take_due`).
                    due: if on_stop {
                        Instant::now()
                    } else {
                        Instant::now() + wait
                    },
                    ..self.waiting_for(wait, at, seat, request, what)
                };
                self.keep(kept);
                (reply, true)
            }
            _ => (
                format!(
                    "Sorry, I'm not sure what you want me to do {when}. Could you say it another way?"
                ),
                false,
            ),
        }
    }

    /// The reply to what `utterance` says about the requests waiting: what waits, or what
    /// was called off. None when it says nothing about them, or names a thing that does not
    /// wait without a word for later ("don't open the window"): the model reads it then.
    fn about_later(&mut self, utterance: &str, seat: Seat) -> Option<String> {
        match later::about_later(utterance)? {
            AboutLater::Asks => {
                let waiting = self.scheduled.waiting();
                self.listed_last_turn = waiting.iter().map(|w| w.id).collect();
                Some(waiting_said(&waiting))
            }
            AboutLater::CallsOff(named) => {
                let off = self.scheduled.call_off(&named, seat);
                if !off.is_empty() {
                    return Some(called_off(&off));
                }
                let waiting = self.scheduled.waiting();
                named.later.then(|| match waiting.as_slice() {
                    [] => waiting_said(&waiting),
                    _ => format!("Nothing like that is waiting. {}", waiting_said(&waiting)),
                })
            }
        }
    }

    /// Calls off `which` of the requests `listed` last turn; the reply. "Cancel that" of
    /// several is asked about, and the list kept for the answer.
    fn call_off_listed(&mut self, listed: Vec<u64>, which: later::Listed) -> String {
        let ids: Vec<u64> = match which {
            later::Listed::All => listed.clone(),
            later::Listed::Nth(n) => listed.get(n).copied().into_iter().collect(),
            later::Listed::Last => listed.last().copied().into_iter().collect(),
            later::Listed::It if listed.len() == 1 => listed.clone(),
            later::Listed::It => {
                const PLACES: &[&str] = &["the first", "the second", "the third", "the fourth"];
                let places = PLACES[..listed.len().min(PLACES.len())].join(", ");
                self.listed_last_turn = listed;
                return format!("Which one should I call off: {places}, or all of them?");
            }
        };
        if ids.is_empty() {
            self.listed_last_turn = listed;
            return "I only listed fewer than that. Which one should I call off?".into();
        }
        let off: Vec<Scheduled> = ids
            .iter()
            .filter_map(|id| self.scheduled.take(*id))
            .collect();
        if off.is_empty() {
            "That one is done already.".into()
        } else {
            called_off(&off)
        }
    }

    /// Keeps a reminder or a timer for `wait` from now; the reply.
    fn remind(
        &mut self,
        reminder: Reminder,
        wait: Duration,
        at: Option<String>,
        request: &str,
        seat: Seat,
    ) -> String {
        let ago = in_words(wait).trim_start_matches("in ").to_owned();
        let (when, since) = match &at {
            Some(at) => (format!("at {at}"), format!("for {at}")),
            None => (in_words(wait), format!("as you asked {ago} ago")),
        };
        let (what, says, reply) = match reminder {
            Reminder::Of(how, what) => {
                // "Remind me to close my window": the speaker's words, said back to them.
                let what: Vec<&str> = what
                    .split(' ')
                    .map(|w| match w {
                        "my" => "your",
                        "me" => "you",
                        "i" => "you",
                        "mine" => "yours",
                        w => w,
                    })
                    .collect();
                let what = what.join(" ");
                let asked = match how {
                    "" => format!("remind you: {what}"),
                    how => format!("remind you {how} {what}"),
                };
                let reply = format!("Okay, {when} I'll {asked}.");
                (asked, format!("A reminder, {since}: {what}."), reply)
            }
            Reminder::Timer => {
                // "5 minutes" is a 5-minute timer, "an hour" a one-hour one.
                let (n, unit) = ago.split_once(' ').unwrap_or(("", &ago));
                let n = if matches!(n, "a" | "an") { "one" } else { n };
                let timer = format!("{n}-{}", unit.trim_end_matches('s'));
                (
                    format!("say your {timer} timer is up"),
                    format!("Your {timer} timer is up."),
                    format!("Okay, your {timer} timer starts now."),
                )
            }
        };
        let kept = Scheduled {
            says: Some(says),
            ..self.waiting_for(wait, at, seat, request.to_owned(), what)
        };
        self.keep(kept);
        reply
    }

    /// A request `seat` asked for `wait` from now (or `at` a time of day), read then after the
    /// plan it follows now; `what` it will do, as said after "I'll".
    fn waiting_for(
        &self,
        wait: Duration,
        at: Option<String>,
        seat: Seat,
        request: String,
        what: String,
    ) -> Scheduled {
        Scheduled {
            id: 0,
            due: Instant::now() + wait,
            wait,
            at,
            seat,
            request,
            after: (self.prev.clone(), self.prev_seat),
            what,
            put_back: Vec::new(),
            says: None,
            on_stop: false,
        }
    }

    /// Keeps `scheduled`, as what "never mind" just after drops.
    fn keep(&mut self, scheduled: Scheduled) {
        self.scheduled_last_turn = Some(self.scheduled.keep(scheduled));
    }

    /// Whether the car stands still, as the safety policy counts it (an unknown speed is not
    /// standing).
    fn stands(&self) -> bool {
        let limit = self.car.catalog().standstill_below_kmh();
        self.actuator
            .situation()
            .speed_kmh
            .is_some_and(|kmh| kmh < limit)
    }

    /// When the next request for later is due, if one waits.
    pub fn next_due(&self) -> Option<Instant> {
        self.scheduled.next_due()
    }

    /// Does the request for later whose time has come first, as if just said by whoever asked
    /// for it (the seat returned), with a reply that says it was asked for; None while none
    /// is due.
    pub async fn run_due(&mut self) -> Option<(Seat, Result<Turn, EngineError>)> {
        let stands = self.stands();
        let due = self.scheduled.take_due(Instant::now(), stands)?;
        let ago = in_words(due.wait).trim_start_matches("in ").to_owned();
        if let Some(says) = &due.says {
            tracing::info!(request = %due.request, "a reminder is due");
            let before = self.actuator_values();
            let turn = self.finish(due.request.clone(), says, true, None, Vec::new(), &before);
            return Some((due.seat, Ok(turn)));
        }
        if !due.put_back.is_empty() {
            tracing::info!(request = %due.request, "what was done for a while is put back");
            return Some((due.seat, Ok(self.put_back(due, &ago).await)));
        }
        tracing::info!(request = %due.request, "a request for later is due");
        // It is read as it was when asked, not as a follow-up of what was said since (and
        // not forgotten for the silence since); a question waiting for an answer still waits.
        let now = Instant::now();
        self.forget_if_silent(now);
        self.last_turn = Some(now);
        (self.prev, self.prev_seat) = due.after.clone();
        let pending = self.pending.take();
        let turn = self.turn(&due.request, due.seat, "home", "none").await;
        if self.pending.is_none() {
            self.pending = pending;
        }
        let turn = turn.map(|mut turn| {
            let mut reply = turn.reply.chars();
            let first = reply.next().map(|c| c.to_lowercase().to_string());
            let asked = match &due.at {
                _ if due.on_stop => "We've stopped, as you asked".to_owned(),
                Some(at) => format!("It's {at}, as you asked"),
                None => format!("As you asked {ago} ago"),
            };
            turn.reply = format!("{asked}: {}{}", first.unwrap_or_default(), reply.as_str());
            turn
        });
        Some((due.seat, turn))
    }

    /// Puts back what a request for a while changed, as "undo" would.
    async fn put_back(&mut self, due: Scheduled, ago: &str) -> Turn {
        self.applied = Applied::default();
        let started = std::time::Instant::now();
        let before = self.actuator_values();
        let undone = back_as_it_was(&self.language, &due.put_back, |path| {
            self.state.value(path)?.as_f64()
        });
        let applied = self.actuator.apply_traced(due.seat, &due.put_back).await;
        let outcomes = applied.outcomes.clone();
        self.note(applied);
        let reply = if outcomes.iter().all(Outcome::is_done) {
            format!("As you asked {ago} ago, {undone}.")
        } else {
            format!("As you asked {ago} ago, I put back what I could.")
        };
        let transcript = format!("{} (for {ago})", due.request);
        let mut turn = self.finish(transcript, &reply, true, None, outcomes, &before);
        let ms =
            |t: std::time::Instant| t.saturating_duration_since(started).as_secs_f64() * 1000.0;
        turn.first_frame_ms = self.applied.first_frame.map(ms);
        turn.settled_ms = self.applied.settled.map(ms);
        turn.frames = std::mem::take(&mut self.applied.frames);
        turn
    }

    /// A note when the ambient light's colour or brightness changed while the light is off:
    /// the driver sees nothing happen. It is not switched on for them: the requests the agent
    /// is measured against expect "set the ambient light to blue" to change the colour alone.
    fn unlit_note(&self, changes: &[Change], outcomes: &[Outcome]) -> Option<String> {
        let shaded = changes.iter().zip(outcomes).any(|(c, o)| {
            matches!(
                c.function.name.as_str(),
                "ambient_color" | "ambient_brightness"
            ) && o.is_done()
        });
        let light = self.language.function("ambient_light")?.paths.get("all")?;
        (shaded && self.state.value(light) == Some(Value::Bool(false)))
            .then(|| "The ambient light itself is off.".to_owned())
    }

    /// The changes that `set function zone value` makes for `seat`, added to `changes`; what
    /// cannot be done is said in `replies`.
    fn changes_for(
        &mut self,
        function: &str,
        zone: &str,
        value: &str,
        seat: Seat,
        changes: &mut Vec<Change>,
        replies: &mut Vec<String>,
    ) {
        let Some(f) = self.language.function(function).cloned() else {
            return;
        };
        let seats = f.seats(zone, seat_word(seat));
        if seats.is_empty() {
            let place = match zone {
                "my" => "at your seat",
                "front" => "in the front",
                "rear" => "in the back",
                "left" => "on the left",
                "right" => "on the right",
                seat => zone_phrase(seat).trim_start(),
            };
            let what = label(&f.name);
            replies.push(format!(
                "There is no {} control {place}.",
                what.trim_start_matches("the ")
            ));
            return;
        }
        for s in seats {
            let path = f.paths[&s].clone();
            match self.resolve(&f, &path, value) {
                Some(v) => changes.push(Change {
                    path,
                    value: v,
                    function: f.clone(),
                    seat: s,
                    word: value.to_owned(),
                }),
                None => replies.push(format!("I can't tell what {} is now.", label(&f.name))),
            }
        }
    }

    fn finish(
        &self,
        transcript: String,
        reply: &str,
        understood: bool,
        decoded: Option<Decoded>,
        outcomes: Vec<Outcome>,
        before: &BTreeMap<String, Value>,
    ) -> Turn {
        let after = self.actuator_values();
        let changes: BTreeMap<String, Value> = after
            .into_iter()
            .filter(|(path, v)| before.get(path) != Some(v))
            .collect();
        let before = changes
            .keys()
            .filter_map(|path| Some((path.clone(), before.get(path)?.clone())))
            .collect();
        let refused = outcomes
            .iter()
            .any(|o| matches!(o, Outcome::Refused { .. }));
        Turn {
            transcript,
            reply: reply.to_owned(),
            changes,
            before,
            refused,
            understood,
            plan: decoded
                .as_ref()
                .map(|d| d.plan.to_string())
                .unwrap_or_else(|| "none".into()),
            confidence: decoded.as_ref().map_or(0.0, |d| d.confidence),
            outcomes,
            plan_ms: decoded.as_ref().map_or(0.0, |d| d.ms),
            first_frame_ms: None,
            settled_ms: None,
            frames: Vec::new(),
            dark: None,
        }
    }

    /// Keeps what one call to the actuator sent, for the turn's timings and frames.
    fn note(&mut self, applied: Applied) {
        let trace = &mut self.applied;
        trace.first_frame = trace.first_frame.or(applied.first_frame);
        trace.settled = applied.settled.or(trace.settled);
        trace.frames.extend(applied.frames);
    }

    /// The actuators' reported values.
    fn actuator_values(&self) -> BTreeMap<String, Value> {
        self.car
            .catalog()
            .entries()
            .filter(|m| m.entry_type() == EntryType::Actuator)
            .filter_map(|m| Some((m.path().to_owned(), self.state.value(m.path())?)))
            .collect()
    }

    /// The value a plan's value word means for `path`, given what the car reports now.
    fn resolve(&mut self, f: &Function, path: &str, word: &str) -> Option<Value> {
        let metadata = self.car.catalog().get(path)?;
        let now = self.state.value(path).and_then(|v| v.as_f64());
        let (min, max) = (
            metadata.min().unwrap_or(0.0),
            metadata.max().unwrap_or(100.0),
        );
        let text = match &f.kind {
            Kind::Celsius => {
                let t = if let Some(fahrenheit) = word.strip_suffix('f') {
                    let c = (fahrenheit.parse::<f64>().ok()? - 32.0) * 5.0 / 9.0;
                    (c * 2.0).round() / 2.0
                } else {
                    match word {
                        "up" => now? + f.step,
                        "down" => now? - f.step,
                        "max" => max,
                        "min" => min,
                        w => relative(w, now).or_else(|| w.parse().ok())?,
                    }
                };
                format!("{t}")
            }
            Kind::Percent => {
                // A level on the signal's own side: seat cooling is a negative HeatingCooling.
                let level_now = now.map(|v| (v * f.sign).max(0.0));
                let level = match word {
                    "on" => f.default_on.unwrap_or(100.0),
                    "off" => 0.0,
                    "up" => on_a_level(f, level_now? + f.step),
                    // The fan's lowest speed is as low as a step down goes ("min" is that
                    // speed, "as low as it goes"); off is asked for by name.
                    "down" => {
                        let level = level_now?;
                        let floor = if f.speeds.is_some() {
                            f.step.min(level)
                        } else {
                            0.0
                        };
                        on_a_level(f, (level - f.step).max(floor))
                    }
                    "max" => 100.0,
                    "min" if is_level(f) => f.step,
                    "min" => 0.0,
                    "mute" => {
                        if level_now.is_some_and(|v| v > 0.0) {
                            self.volume_before_mute = level_now;
                        }
                        0.0
                    }
                    // Unmuting what was not muted leaves the volume where it is.
                    "unmute" => self
                        .volume_before_mute
                        .take()
                        .or(level_now.filter(|v| *v > 0.0))
                        .unwrap_or(30.0),
                    w => relative(w, level_now).or_else(|| w.parse().ok())?,
                };
                let value = (level.clamp(0.0, 100.0) * f.sign).round();
                format!("{value}")
            }
            Kind::Switch => (word == "on").to_string(),
            Kind::Choice(_) => match self.language.color(word) {
                Some(rgb) => rgb.to_owned(),
                None => word.to_owned(),
            },
        };
        metadata.parse(&text).ok()
    }

    /// An overview, each part as its own question would be answered.
    fn overview(&self, overview: words::Overview, seat: Seat, imperial: Imperial) -> String {
        let answer = |query: &str| self.answer(query, "all", seat, imperial);
        match overview {
            words::Overview::Climate => {
                let mut parts = vec![
                    answer("cabin_temperature"),
                    answer("outside_temperature"),
                    answer("temperature"),
                    answer("fan"),
                    answer("ac"),
                ];
                // The rest only where it is on: "recirculation is off" is no news.
                parts.extend(
                    ["recirculation", "defrost_front", "defrost_rear"]
                        .iter()
                        .filter(|name| !self.switched_on(name).is_empty())
                        .map(|name| answer(name)),
                );
                parts.join(" ")
            }
            words::Overview::On => {
                let on: Vec<String> = self
                    .on_now()
                    .into_iter()
                    .filter_map(|name| {
                        if name == "media" {
                            return Some("the music".to_owned());
                        }
                        let seats = self.switched_on(name);
                        let f = self.language.function(name)?;
                        match seats.as_slice() {
                            [] => None,
                            [seat] => Some(format!("{}{}", label(name), zone_phrase(seat))),
                            _ if f.is_zoned() && seats.len() < f.paths.len() => {
                                let seats: Vec<&str> = seats.iter().map(String::as_str).collect();
                                Some(format!("{} {}", label(name), seats_scope(&seats)))
                            }
                            _ => Some(label(name)),
                        }
                    })
                    .collect();
                match on.split_last() {
                    None => "Nothing is switched on.".into(),
                    Some((last, [])) => format!("Only {last} is on."),
                    Some((last, rest)) => {
                        capital(&format!("{} and {last} are on.", rest.join(", ")))
                    }
                }
            }
            words::Overview::Car => {
                let mut parts = vec![answer("battery"), answer("speed")];
                parts.push(self.what_is_open(seat));
                parts.join(" ")
            }
        }
    }

    /// The seats where `function` is on (or above off, for a level; not off, for the wipers);
    /// "all" for a function without seats.
    fn switched_on(&self, function: &str) -> Vec<String> {
        let Some(f) = self.language.function(function) else {
            return Vec::new();
        };
        f.paths
            .iter()
            .filter(|(_, path)| match self.state.value(path) {
                Some(Value::Bool(on)) => on,
                Some(Value::String(s)) => s != "OFF",
                Some(v) => v.as_f64().is_some_and(|n| n * f.sign > 0.0),
                None => false,
            })
            .map(|(seat, _)| seat.clone())
            .collect()
    }

    /// The plan that gives the speaker (or everyone) the temperature set at `sync.from`, or
    /// None where the car has not told it.
    /// `last` is the last turn's plan: "make it the same as mine" after "what's the passenger
    /// temperature" is the passenger's side, not everyone's.
    fn synced(
        &self,
        sync: words::Sync,
        seat: Seat,
        last: Option<&crate::lm::Plan>,
    ) -> Option<crate::lm::Plan> {
        let f = self.language.function("temperature")?;
        let path = f.paths.get(seat_word(sync.from))?;
        let value = self.state.value(path)?.as_f64()?;
        let last_zone = last
            .and_then(subject_and_zone)
            .filter(|&(function, zone)| function == "temperature" && zone != "my" && zone != "all")
            .map(|(_, zone)| zone);
        let zone = match last_zone {
            Some(zone) if sync.it && sync.from == seat => zone,
            _ if sync.everyone => "all",
            _ => "my",
        };
        self.language
            .parse_plan(&format!("set temperature {zone} {}", tidy(value)))
            .ok()
    }

    /// How far a setting goes, and where it is now: "The temperature goes from 16 to 28 °C,
    /// in half degrees. The temperature on the driver's side is set to 21 °C."
    fn limits(&self, function: &str, zone: &str, seat: Seat, imperial: Imperial) -> Option<String> {
        let f = self.language.function(function)?;
        let what = capital(&label(&f.name));
        let range = match (&f.kind, f.levels, f.speeds) {
            (Kind::Celsius, _, _) => {
                let signal = self.car.catalog().get(f.paths.values().next()?)?;
                let (low, high) = (signal.min()?, signal.max()?);
                if imperial.fahrenheit {
                    format!(
                        "{what} goes from {} to {} °F ({} to {} °C).",
                        fahrenheit(low),
                        fahrenheit(high),
                        tidy(low),
                        tidy(high)
                    )
                } else {
                    format!(
                        "{what} goes from {} to {} °C, in half degrees.",
                        tidy(low),
                        tidy(high)
                    )
                }
            }
            (Kind::Percent, Some(levels), _) => format!("{what} has {levels} levels."),
            (Kind::Percent, None, Some(speeds)) => {
                format!("{what} runs from off to 100 %, in {speeds} speeds.")
            }
            (Kind::Percent, None, None) if is_position(f) => {
                format!("{what} opens from closed to fully open, to any percentage.")
            }
            (Kind::Percent, None, None) => format!("{what} goes from 0 to 100 %."),
            (Kind::Switch, _, _) => format!("{what} is either on or off."),
            (Kind::Choice(_), _, _) => return None,
        };
        let now = self.answer(function, zone, seat, imperial);
        Some(format!("{range} {now}"))
    }

    /// What is open of the windows, the sunroof and the trunks, each as its own question
    /// would be answered, then whether the doors are locked: what a driver checks before
    /// walking away or driving into rain.
    fn what_is_open(&self, seat: Seat) -> String {
        let (mut open, mut unknown) = (Vec::new(), Vec::new());
        for (name, is_open) in self.openings() {
            match is_open {
                Some(true) => open.push(self.answer(name, "all", seat, Imperial::default())),
                Some(false) => {}
                None => unknown.push(label(name)),
            }
        }
        let mut reply = match (open.is_empty(), unknown.is_empty()) {
            (true, true) => {
                "Everything is closed: the windows, the sunroof and both trunks.".to_owned()
            }
            (true, false) => format!(
                "Nothing is open that I can see, but I don't know about {} right now.",
                unknown.join(" or ")
            ),
            (false, _) => {
                let mut said = open.join(" ");
                if !unknown.is_empty() {
                    said.push_str(&format!(" I don't know about {}.", unknown.join(" or ")));
                }
                said
            }
        };
        reply.push(' ');
        reply.push_str(&self.answer("lock", "all", seat, Imperial::default()));
        reply
    }

    /// Why `plan` could not be done, as the rules say of it now: "For safety, the trunk
    /// opens only while the car stands still, and we're doing 50 km/h." Where nothing stops
    /// it, that is the answer, with the `request` to say.
    fn why_not(&mut self, plan: &crate::lm::Plan, seat: Seat, request: &str) -> String {
        let (mut changes, mut problems) = (Vec::new(), Vec::new());
        for statement in &plan.statements {
            if let Statement::Set {
                function,
                zone,
                value,
            } = statement
            {
                self.changes_for(function, zone, value, seat, &mut changes, &mut problems);
            }
        }
        if changes.is_empty() {
            return problems
                .into_iter()
                .next()
                .unwrap_or_else(|| "I'm not sure what you'd like me to do.".into());
        }
        let situation = self.actuator.situation();
        let mut reasons: Vec<String> = Vec::new();
        for change in &changes {
            if let Err(reason) =
                policy::check(&self.car, seat, &situation, &change.path, &change.value)
                && reason.is_rule()
            {
                let why = because(&change.function, &reason, Some(&change.value));
                if !reasons.contains(&why) {
                    reasons.push(why);
                }
            }
        }
        if reasons.is_empty() {
            format!("Nothing stops that now: say \"{request}\" and I'll do it.")
        } else {
            reasons.join(" ")
        }
    }

    /// Whether each of the windows (any of them), the sunroof and the trunks is open; None
    /// where the car has not told (and nothing of it is known to be open).
    fn openings(&self) -> Vec<(&'static str, Option<bool>)> {
        const OPENINGS: &[&str] = &["window", "sunroof", "trunk", "frunk"];
        OPENINGS
            .iter()
            .filter_map(|&name| {
                let f = self.language.function(name)?;
                let values: Vec<Option<f64>> = f
                    .paths
                    .values()
                    .map(|path| self.state.value(path)?.as_f64())
                    .collect();
                let open = if values.iter().any(|v| v.is_some_and(|v| v > 0.0)) {
                    Some(true)
                } else if values.iter().any(Option::is_none) {
                    None
                } else {
                    Some(false)
                };
                Some((name, open))
            })
            .collect()
    }

    /// "Max" after "turn on the seat cooling", "slower" after "faster" with the wipers: a
    /// step or an extreme said alone is of what the last turn set. The model moved it to the
    /// fan (it knows "max" and "slower" of the fan best). Only where the model set something
    /// else up, down, to its most or least, and the words say only how far or which way
    /// ("warmer" after "open the window" is the temperature's, "louder" the volume's). None
    /// where the last turn's setting takes no such step.
    fn step_of_the_last(
        &self,
        plan: &crate::lm::Plan,
        last: &crate::lm::Plan,
        utterance: &str,
    ) -> Option<crate::lm::Plan> {
        // Words that say how far or which way, and name no quality of another setting
        // ("louder" is the volume's, "warmer" the temperature's, "32 degrees" a temperature).
        const STEP_ALONE: &[&str] = &[
            "max", "maximum", "min", "minimum", "full", "faster", "slower", "more", "less",
            "higher", "lower", "up", "down", "a", "bit", "little", "please", "even", "all", "the",
            "way", "to", "it", "turn", "make", "go", "one", "notch", "step", "again", "just",
            "some", "much", "too", "lot", "tad", "slightly", "further", "ok", "okay", "now",
        ];
        let lower = utterance.to_lowercase();
        if !words_in(&lower).all(|w| STEP_ALONE.contains(&w)) {
            return None;
        }
        let [
            Statement::Set {
                function, value, ..
            },
        ] = plan.statements.as_slice()
        else {
            return None;
        };
        let (subject, zone) = subject_and_zone(last)?;
        if function == subject || !matches!(value.as_str(), "up" | "down" | "max" | "min") {
            return None;
        }
        let f = self.language.function(subject)?;
        let value = match &f.kind {
            // The wipers' speeds in order: "slower" after fast is medium.
            Kind::Choice(_) if subject == "wipers" => {
                const SPEEDS: &[&str] = &["SLOW", "MEDIUM", "FAST"];
                let now = self.state.value(f.paths.get("all")?)?;
                let Value::String(now) = now else {
                    return None;
                };
                let at = SPEEDS.iter().position(|s| *s == now)?;
                let to = match value.as_str() {
                    "up" => (at + 1).min(SPEEDS.len() - 1),
                    "down" => at.saturating_sub(1),
                    "max" => SPEEDS.len() - 1,
                    _ => 0,
                };
                SPEEDS[to].to_owned()
            }
            _ if f.relative => value.clone(),
            _ => return None,
        };
        self.language
            .parse_plan(&format!("set {subject} {zone} {value}"))
            .ok()
    }

    /// The plan for "close everything": what is open (or not known to be closed) closed.
    /// None where everything is closed.
    fn everything_closed(&self) -> Option<crate::lm::Plan> {
        let closing: Vec<String> = self
            .openings()
            .into_iter()
            .filter(|(_, open)| *open != Some(false))
            .map(
                |(name, _)| match self.language.function(name).map(|f| &f.kind) {
                    Some(Kind::Switch) => format!("set {name} all off"),
                    _ => format!("set {name} all 0"),
                },
            )
            .collect();
        self.plan_of(&closing)
    }

    /// The plan for "turn everything off", once what is on was said and "all of it" was the
    /// answer: each of them off, and the music paused. None where nothing is on.
    fn everything_off(&self) -> Option<crate::lm::Plan> {
        let off: Vec<String> = self
            .on_now()
            .into_iter()
            .map(|name| match self.language.function(name).map(|f| &f.kind) {
                Some(Kind::Switch) => format!("set {name} all off"),
                Some(Kind::Percent) => format!("set {name} all 0"),
                _ if name == "media" => "set media all PAUSE".to_owned(),
                _ => format!("set {name} all OFF"),
            })
            .collect();
        self.plan_of(&off)
    }

    /// The plan of `statements` written out; None where there are none.
    fn plan_of(&self, statements: &[String]) -> Option<crate::lm::Plan> {
        if statements.is_empty() {
            return None;
        }
        self.language.parse_plan(&statements.join(" ; ")).ok()
    }

    /// What can be switched on and is, on any seat; "media" where the music plays.
    fn on_now(&self) -> Vec<&'static str> {
        let mut on: Vec<&'static str> = SWITCHES
            .iter()
            .copied()
            .filter(|name| !self.switched_on(name).is_empty())
            .collect();
        // The catalog keeps the last playback action: anything but a pause plays.
        let playing = self
            .language
            .function("media")
            .and_then(|f| self.state.value(f.paths.get("all")?))
            .is_some_and(|v| matches!(&v, Value::String(a) if a != "PAUSE"));
        if playing {
            on.push("media");
        }
        on
    }

    fn answer(&self, query: &str, zone: &str, seat: Seat, imperial: Imperial) -> String {
        let language = &self.language;
        // A setting with a value per seat is answered for every seat asked about: "are the
        // windows closed" answered from the driver's window alone said "closed" with the rear
        // left one open. The doors lock together, so one lock answers for all.
        if let Some(f) = language.function(query)
            && f.is_zoned()
            && f.name != "lock"
        {
            let seats = f.seats(zone, seat_word(seat));
            let shown: Vec<(&str, String)> = seats
                .iter()
                .filter_map(|s| {
                    let value = self.state.value(f.paths.get(s)?)?;
                    Some((s.as_str(), state_text(language, f, &value, imperial)))
                })
                .collect();
            return seats_answer(f, &shown);
        }
        let path = match (language.function(query), language.query(query)) {
            (Some(f), _) => f
                .seats(zone, seat_word(seat))
                .first()
                .and_then(|s| f.paths.get(s))
                .cloned(),
            (None, Some(q)) => Some(q.path.clone()),
            (None, None) => None,
        };
        let Some(value) = path.as_deref().and_then(|p| self.state.value(p)) else {
            return format!("I don't know {} right now.", label(query));
        };
        let number = value.as_f64().map(tidy);
        // The catalog gives the range in metres, as VSS does.
        let km = |metres: f64| tidy((metres / 1000.0).round());
        // Asked in miles or Fahrenheit, the answer gives those first and the car's own
        // units beside them.
        let distance = |metres: f64| {
            if imperial.miles {
                format!(
                    "{} miles ({} km)",
                    tidy((metres / 1609.344).round()),
                    km(metres)
                )
            } else {
                format!("{} km", km(metres))
            }
        };
        let celsius = |c: &str| match c.parse::<f64>() {
            Ok(t) if imperial.fahrenheit => format!("{} °F ({c} °C)", fahrenheit(t)),
            _ => format!("{c} °C"),
        };
        // Charge and range answer the same worry, "will I get there", so each answer gives
        // the other as well: "how much battery do I have left in kilometers" was read as
        // the charge.
        let sensor = |name: &str| {
            let q = language.query(name)?;
            self.state.value(&q.path)?.as_f64()
        };
        match (query, number.clone()) {
            ("battery", Some(n)) => match sensor("range") {
                Some(range) => format!(
                    "The battery is at {n} %, about {} of range.",
                    distance(range)
                ),
                None => format!("The battery is at {n} %."),
            },
            ("range", Some(_)) => {
                let range = distance(value.as_f64().unwrap_or(0.0));
                match sensor("battery") {
                    Some(charge) => format!(
                        "You can drive about {range}; the battery is at {} %.",
                        tidy(charge)
                    ),
                    None => format!("You can drive about {range}."),
                }
            }
            ("outside_temperature", Some(n)) => format!("It's {} outside.", celsius(&n)),
            ("cabin_temperature", Some(n)) => format!("It's {} in the cabin.", celsius(&n)),
            ("speed", Some(n)) if n == "0" => "We're standing still.".into(),
            ("speed", Some(n)) if imperial.miles => {
                let kmh = value.as_f64().unwrap_or(0.0);
                format!(
                    "We're doing {} mph ({n} km/h).",
                    tidy((kmh / 1.609344).round())
                )
            }
            ("speed", Some(n)) => format!("We're doing {n} km/h."),
            ("gear", Some(n)) => format!(
                "The car is in {}.",
                match Gear::from_vss(n.parse::<f64>().unwrap_or(0.0) as i64) {
                    Some(Gear::Park) => "park",
                    Some(Gear::Reverse) => "reverse",
                    Some(Gear::Neutral) => "neutral",
                    Some(Gear::Drive) => "drive",
                    None => "an unknown gear",
                }
            ),
            _ => match language.function(query) {
                Some(f) if f.name == "lock" => match value {
                    Value::Bool(true) => "The doors are locked.".into(),
                    _ => "The doors are unlocked.".into(),
                },
                // The catalog keeps the last playback action; asked what plays, the answer
                // is whether music plays.
                Some(f) if f.name == "media" => match value {
                    Value::String(action) if action == "PAUSE" => "The music is paused.".into(),
                    _ => "The music is playing.".into(),
                },
                Some(f) => {
                    let shown = show(language, f, &value);
                    // "The fan is at 30 %", but "the window is 40 % open".
                    let at = if shown.ends_with('%') { "at " } else { "" };
                    format!("{} {} {at}{shown}.", capital(&label(query)), verb(query))
                }
                None => format!("{} is {value}.", capital(&label(query))),
            },
        }
    }

    /// The changes that put back what `last_turn` (path, value before it) did with the
    /// functions of `changes` and with `replaced`, on the signals `changes` leaves alone.
    fn reverts(
        &self,
        changes: &[Change],
        last_turn: &[(String, Value)],
        replaced: &[&Function],
    ) -> Vec<Change> {
        let mut reverts: Vec<Change> = Vec::new();
        for (path, old) in last_turn {
            if changes.iter().chain(&reverts).any(|c| &c.path == path) {
                continue;
            }
            // Seat heating and cooling share a signal: the function is the one this turn or
            // the replaced one names, which the reply is worded by.
            let owner = changes
                .iter()
                .map(|c| &c.function)
                .chain(replaced.iter().copied())
                .find_map(|f| Some((f, f.paths.iter().find(|(_, p)| *p == path)?.0)));
            let Some((function, seat)) = owner else {
                continue;
            };
            reverts.push(Change {
                path: path.clone(),
                value: old.clone(),
                function: function.clone(),
                seat: seat.clone(),
                word: String::new(),
            });
        }
        reverts
    }

    /// Puts back what the last turn changed; the reply and what became of each change.
    async fn undo(&mut self) -> (String, Vec<Outcome>) {
        if self.undo.is_empty() {
            return ("There is nothing to undo.".into(), Vec::new());
        }
        let changes = std::mem::take(&mut self.undo);
        let undone = back_as_it_was(&self.language, &changes, |path| {
            self.state.value(path)?.as_f64()
        });
        let applied = self.actuator.apply_traced(Seat::Driver, &changes).await;
        let outcomes = applied.outcomes.clone();
        self.note(applied);
        let reply = if outcomes.iter().all(Outcome::is_done) {
            format!("Done, {undone}.")
        } else {
            "I could only undo part of that.".into()
        };
        (reply, outcomes)
    }
}

/// The words of lower-cased text, apostrophes kept ("it's", "driver's").
fn words_in(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
}

/// "zero" … "twenty", "thirty" … "ninety", "half", as a speech recogniser may write a number.
fn is_number_word(word: &str) -> bool {
    const NUMBERS: &str = "zero one two three four five six seven eight nine ten eleven twelve \
        thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty \
        sixty seventy eighty ninety half";
    NUMBERS.split_whitespace().any(|n| n == word)
}

/// Functions whose zero is "off" rather than a position: their "min" is the lowest level.
fn is_level(f: &Function) -> bool {
    matches!(
        f.name.as_str(),
        "fan" | "seat_heating" | "seat_cooling" | "ambient_brightness"
    )
}

/// A level stepped to, on the function's own levels where it has them: the seat heating's
/// 66 % and one step up is its top level, 100 %, not 99 %.
fn on_a_level(f: &Function, level: f64) -> f64 {
    match f.levels.map(f64::from) {
        Some(levels) => {
            let n = (level * levels / 100.0).round().clamp(0.0, levels);
            if n == levels {
                100.0
            } else {
                (n * 100.0 / levels).floor()
            }
        }
        None => level,
    }
}

/// "+2" / "-10" applied to `now`.
fn relative(word: &str, now: Option<f64>) -> Option<f64> {
    let (sign, digits) = match word.as_bytes().first()? {
        b'+' => (1.0, &word[1..]),
        b'-' => (-1.0, &word[1..]),
        _ => return None,
    };
    Some(now? + sign * digits.parse::<f64>().ok()?)
}

/// Whether the agent answers these words by its own reading, whatever the model makes of
/// them: an overview ("what's on?"), what is open, the time, "say that again", "close
/// everything", "why can't I open the trunk", a request taken back as it was said. The ears end such an utterance as early as a request the model is sure of;
/// the model planned nothing for them, so they had waited out the whole hangover.
pub fn answered_by_its_words(utterance: &str) -> bool {
    words::overview_asked(utterance).is_some()
        || words::asks_what_is_open(utterance)
        || when::clock_asked(utterance).is_some()
        || words::asks_to_repeat(utterance)
        || words::asks_what_was_done(utterance)
        || words::everything_asked(utterance).is_some()
        || words::why_not_asked(utterance).is_some()
        || words::theme_asked(utterance).is_some()
        || words::changed_while_said(utterance) == Some(words::ChangedWhileSaid::TakenBack)
}

/// The plan language's word for a seat.
pub fn seat_word(seat: Seat) -> &'static str {
    match seat {
        Seat::Driver => "driver",
        Seat::Passenger => "passenger",
        Seat::RearLeft => "rear_left",
        Seat::RearRight => "rear_right",
    }
}

/// Whether the function moves a position that takes time to travel (and can be stopped).
fn is_position(f: &Function) -> bool {
    matches!(f.name.as_str(), "window" | "sunroof" | "shade")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lm::Language;

    pub(super) fn plan(text: &str) -> crate::lm::Plan {
        Language::reference(&vehicle::reference::catalog())
            .expect("built-in functions file")
            .parse_plan(text)
            .expect("a valid plan")
    }

    #[test]
    fn a_number_the_words_decide_leaves_no_doubt_about_it() {
        let decoded = |words: &[(&str, f32)], end: f32| Decoded {
            plan: plan("none"),
            confidence: words.iter().map(|w| w.1).fold(end, f32::min),
            words: words.iter().map(|(w, p)| ((*w).to_owned(), *p)).collect(),
            end_confidence: end,
            prompt_tokens: 0,
            plan_tokens: 0,
            ms: 0.0,
        };
        let one = decoded(
            &[
                ("set", 1.0),
                ("temperature", 0.99),
                ("my", 0.98),
                ("16", 0.27),
            ],
            0.97,
        );
        assert_eq!(one.confidence, 0.27);
        assert_eq!(one.confidence_beside(&[0]), 0.97);
        assert_eq!(one.confidence_beside(&[]), 0.27);
        // Only the decided statement's value is set aside; the other's doubt stays.
        let two = decoded(
            &[
                ("set", 1.0),
                ("temperature", 1.0),
                ("my", 1.0),
                ("16", 0.3),
                (";", 0.9),
                ("set", 0.95),
                ("fan", 0.5),
                ("my", 1.0),
                ("90", 0.2),
            ],
            1.0,
        );
        assert_eq!(two.confidence_beside(&[0]), 0.2);
        assert_eq!(two.confidence_beside(&[1]), 0.3);
        assert_eq!(two.confidence_beside(&[0, 1]), 0.5);
    }

    #[test]
    fn what_the_agent_answers_by_its_words_is_a_whole_request_to_the_ears() {
        for whole in [
            "What's switched on?",
            "is anything open",
            "what time is it",
            "say that again",
            "what did you just do?",
            "close everything",
            "why can't I open the trunk",
            "open the window, never mind",
            "switch to dark mode",
        ] {
            assert!(answered_by_its_words(whole), "{whole}");
        }
        // The model's to judge; a verb alone waits for what follows it.
        for other in ["turn on the AC", "open", "what's the", "thank you"] {
            assert!(!answered_by_its_words(other), "{other}");
        }
    }

    #[test]
    fn a_step_of_a_function_with_levels_lands_on_a_level() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let seat = language.function("seat_heating").expect("seat heating");
        assert_eq!(on_a_level(seat, 66.0 + 33.0), 100.0);
        assert_eq!(on_a_level(seat, 100.0 - 33.0), 66.0);
        assert_eq!(on_a_level(seat, 66.0 - 33.0), 33.0);
        assert_eq!(on_a_level(seat, 20.0), 33.0);
        assert_eq!(on_a_level(seat, 0.0), 0.0);
        let fan = language.function("fan").expect("fan");
        assert_eq!(on_a_level(fan, 50.0), 50.0);
    }

    #[test]
    fn relative_words_move_from_the_current_value() {
        assert_eq!(relative("+2", Some(21.0)), Some(23.0));
        assert_eq!(relative("-10", Some(40.0)), Some(30.0));
        assert_eq!(relative("+2", None), None);
        assert_eq!(relative("22", Some(21.0)), None);
    }
}
