//! The agent's turn: words and context in, the model's plan, the plan made concrete against
//! what the car reports now, the safety policy and the bus (through [`Actuator`]), and a reply
//! that says what the car confirmed, not what was asked.

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

pub mod foreign;
mod later;
mod reading;
mod when;
mod words;
use later::{AboutLater, Reminder, Scheduled};
pub use later::{Schedule, Waiting};
pub use reading::{read, read_planned};
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
        // "Not the back ones" after "open the windows": the last request without those
        // seats, and what it did there is put back. The model opened the back ones.
        if let Some(last) = &last_plan
            && let Some(left_out) = words::seats_left_out(utterance, seat)
            && left_out.alone
        {
            let mut kept = last.clone();
            if words::leave_out(&mut kept, &self.language, self.prev_seat, &left_out.seats) {
                decoded.plan = kept;
                decoded.confidence = 1.0;
                decoded.words.clear();
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
                decoded.plan = plan;
                decoded.confidence = 1.0;
                decoded.words.clear();
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
            decoded.plan = less;
            decoded.confidence = 1.0;
            decoded.words.clear();
            settled = Settled::Act;
        }
        // "Close everything", and "all of it" after "What should I turn off?".
        if let Some(plan) = match everything {
            Some(words::Everything::Close) => self.everything_closed(),
            Some(words::Everything::TurnOff) => self.everything_off(),
            _ => None,
        } {
            tracing::debug!(model = %decoded.plan, "everything asked: {plan}");
            decoded.plan = plan;
            decoded.confidence = 1.0;
            decoded.words.clear();
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
            decoded.confidence = 1.0;
            decoded.words.clear();
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
            decoded.plan = asked;
            decoded.confidence = 1.0;
            decoded.words.clear();
            settled = Settled::Act;
        }
        // "Go back" just after a change undoes it, unless the change was the music's.
        if words::go_back_alone(utterance)
            && !last_turn_changed.is_empty()
            && last_plan.as_ref().and_then(subject) != Some("media")
            && let Ok(undo) = self.language.parse_plan("undo")
        {
            tracing::debug!(model = %decoded.plan, "go back, after a change: undo");
            decoded.plan = undo;
            decoded.confidence = 1.0;
            decoded.words.clear();
            settled = Settled::Act;
        }
        // "Sync the temperature": the others take the named seat's setting, as the car has it.
        if let Some(sync) = words::sync_asked(utterance, seat)
            && let Some(plan) = self.synced(sync, seat, last_plan.as_ref())
        {
            tracing::debug!(model = %decoded.plan, "the temperatures synced: {plan}");
            decoded.plan = plan;
            decoded.confidence = 1.0;
            decoded.words.clear();
            settled = Settled::Act;
        }
        // "Turn it off" after "turn on the AC": the model planned nothing where "it" had no
        // dashboard card to stand for (the AC, the recirculation, the defrosters, the fog and
        // head lights). Only where the model planned nothing or asked.
        if let Some(last) = &last_plan
            && let Some(on) = words::switched_it(utterance)
            && matches!(
                decoded.plan.statements.as_slice(),
                [Statement::Nothing | Statement::Ask { .. }]
            )
            && let Some((function, zone)) = subject_and_zone(last)
            && let Some(f) = self.language.function(function)
            && family(f) == Some(Family::Switching)
            && f.values().iter().any(|v| v == "on")
            && let Ok(switched) = self.language.parse_plan(&format!(
                "set {function} {zone} {}",
                if on { "on" } else { "off" }
            ))
        {
            tracing::debug!(model = %decoded.plan, "a switch said of it: the {function}");
            decoded.plan = switched;
            decoded.confidence = 1.0;
            decoded.words.clear();
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
            decoded.plan = asked;
            decoded.confidence = 1.0;
            decoded.words.clear();
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
            decoded.plan = last.clone();
            decoded.confidence = 1.0;
            decoded.words.clear();
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
            decoded.plan = answer;
            decoded.confidence = 1.0;
            decoded.words.clear();
            settled = Settled::Act;
        }
        // A plain yes or no answers the question asked, whatever the model makes of it.
        if self.pending.is_some()
            && let Some(yes) = yes_or_no(utterance)
            && let Ok(answer) = self.language.parse_plan(if yes { "yes" } else { "no" })
        {
            decoded.plan = answer;
            decoded.confidence = 1.0;
            decoded.words.clear();
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

/// What was put back, named: "the windows and the air conditioning are back as they were"
/// ("it's back as it was" had not said what "it" was).
/// `now` gives a signal's value before it is put back.
fn back_as_it_was(
    language: &Language,
    put_back: &[(String, Value)],
    now: impl Fn(&str) -> Option<f64>,
) -> String {
    // Each function with its count of seats, and the first seat's name.
    let mut named: Vec<(&str, usize, &str)> = Vec::new();
    for (path, value) in put_back {
        // Seat heating and ventilation share a signal: the sign of what is undone (or, where
        // that was off, of what it goes back to) says which it was.
        let owners: Vec<&Function> = language
            .functions()
            .filter(|f| f.paths.values().any(|p| p == path))
            .collect();
        let signed = |v: Option<f64>| owners.iter().find(|f| v.is_some_and(|v| v * f.sign > 0.0));
        let owner = signed(now(path))
            .or_else(|| signed(value.as_f64()))
            .or(owners.first());
        let Some(f) = owner else {
            continue;
        };
        let seat = f
            .paths
            .iter()
            .find(|(_, p)| *p == path)
            .map_or("all", |(seat, _)| seat.as_str());
        match named.iter_mut().find(|(n, _, _)| *n == f.name) {
            Some((_, seats, _)) => *seats += 1,
            None => named.push((&f.name, 1, seat)),
        }
    }
    let things: Vec<String> = named
        .iter()
        .map(|(name, seats, seat)| match (*name, seats) {
            ("window", 2..) => "the windows".to_owned(),
            // One seat's: "the window at the rear left".
            (_, 1) => format!("{}{}", label(name), zone_phrase(seat)),
            _ => label(name),
        })
        .collect();
    match things.as_slice() {
        [] => "it's back as it was".into(),
        [one] if verb(named[0].0) == "is" && one != "the windows" => {
            format!("{one} is back as it was")
        }
        [.., last] => {
            let head = things[..things.len() - 1].join(", ");
            let all = if head.is_empty() {
                last.clone()
            } else {
                format!("{head} and {last}")
            };
            format!("{all} are back as they were")
        }
    }
}

/// The function a plan of one `set`, `ask` or `answer` is about: what "it" means in the next
/// turn. A question counts: after "what's the fan at", the model read "turn it down" as the
/// volume. (A sensor asked about is no card, and the caller leaves it out.)
fn subject(plan: &crate::lm::Plan) -> Option<&str> {
    subject_and_zone(plan).map(|(function, _)| function)
}

/// The function and zone of a plan of one `set`, `ask` or `answer`.
fn subject_and_zone(plan: &crate::lm::Plan) -> Option<(&str, &str)> {
    match plan.statements.as_slice() {
        [
            Statement::Set { function, zone, .. }
            | Statement::Ask { function, zone }
            | Statement::Answer {
                query: function,
                zone,
            },
        ] => Some((function, zone)),
        _ => None,
    }
}

/// `plan` with "my" in its `set`s written as the seat that spoke: "no, the other one" after
/// the passenger's "open my window" is the driver's window, which "set window my max" does
/// not tell.
fn with_seats_named(plan: &crate::lm::Plan, language: &Language, seat: Seat) -> crate::lm::Plan {
    let mut plan = plan.clone();
    for statement in &mut plan.statements {
        if let Statement::Set { function, zone, .. } = statement {
            let named = language
                .function(function)
                .is_some_and(|f| f.zone_words().contains(&seat_word(seat)));
            if zone == "my" && named {
                *zone = seat_word(seat).into();
            }
        }
    }
    plan
}

/// The answer to a question back about one of a few values ("Which speed?" … "automatic"):
/// the plan that sets the value the words name. The model read a lone "interval" or
/// "automatic" as a temperature.
fn answers_the_question(
    last: &crate::lm::Plan,
    utterance: &str,
    language: &Language,
) -> Option<crate::lm::Plan> {
    let [Statement::Ask { function, zone }] = last.statements.as_slice() else {
        return None;
    };
    let f = language.function(function)?;
    let Kind::Choice(values) = &f.kind else {
        return None;
    };
    let lower = utterance.to_lowercase();
    let value_of = |word: &str| -> Option<String> {
        let value = match (f.name.as_str(), word) {
            ("wipers", "slow" | "low") => "SLOW",
            ("wipers", "medium" | "normal") => "MEDIUM",
            ("wipers", "fast" | "high" | "quick") => "FAST",
            ("wipers", "interval" | "intermittent") => "INTERVAL",
            ("wipers", "auto" | "automatic" | "rain" | "sensor") => "RAIN_SENSOR",
            ("wipers", "off") => "OFF",
            ("airflow", "windshield" | "windscreen" | "screen" | "glass") => "UP",
            ("airflow", "face" | "middle" | "vents") => "MIDDLE",
            ("airflow", "feet" | "floor" | "legs") => "DOWN",
            ("ambient_color", colour) if language.color(colour).is_some() => colour,
            _ => return None,
        };
        values.iter().any(|v| v == value).then(|| value.to_owned())
    };
    let mut named: Vec<String> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(value_of)
        .collect();
    named.dedup();
    let [value] = named.as_slice() else {
        return None;
    };
    language
        .parse_plan(&format!("set {function} {zone} {value}"))
        .ok()
}

/// Whether `utterance` is only a follow-up, naming no seat and no setting: "a bit warmer",
/// "more", "turn it up", "make it 24". Anything else ("I'm still cold", "the fan too") is left
/// as the model reads it.
fn is_bare_follow_up(utterance: &str) -> bool {
    const FOLLOW_UP_WORDS: &str = "a bit little lot tad slightly more less even further again \
        still please warmer cooler colder hotter louder quieter softer brighter dimmer darker \
        higher lower faster slower wider up down it that them those make turn go some much just \
        and ok okay now one another notch notches step steps degree degrees percent by to than \
        way all too the same fully completely halfway max open close raise increase decrease \
        reduce set put keep going";
    let lower = utterance.to_lowercase();
    let mut words = words_in(&lower).peekable();
    words.peek().is_some()
        && words.all(|w| {
            FOLLOW_UP_WORDS.split_whitespace().any(|f| f == w)
                || w.parse::<f64>().is_ok()
                || is_number_word(w)
        })
}

/// Makes "more" or "less" after a value set a step that way: the model, taught follow-ups
/// only after steps ("warmer" … "more"), repeated the last value for "a bit more" after "set
/// the fan to 60 percent", which did nothing. Only where the plan is the last one again, a
/// number set, and the words say which way and no number. Whether it did.
fn more_of_the_same(plan: &mut crate::lm::Plan, last: &crate::lm::Plan, utterance: &str) -> bool {
    const MORE: &[&str] = &["more", "further", "higher", "up", "again"];
    const LESS: &[&str] = &["less", "lower", "down", "back"];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_in(&lower).collect();
    let said = |options: &[&str]| words.iter().any(|w| options.contains(w));
    let numbered = words
        .iter()
        .any(|w| w.parse::<f64>().is_ok() || (is_number_word(w) && *w != "half"));
    let up = match (said(MORE), said(LESS)) {
        (true, false) => "up",
        (false, true) => "down",
        _ => return false,
    };
    let repeats = plan.to_string() == last.to_string()
        && plan
            .statements
            .iter()
            .all(|s| matches!(s, Statement::Set { value, .. } if value.parse::<f64>().is_ok()));
    if numbered || !repeats {
        return false;
    }
    for statement in &mut plan.statements {
        if let Statement::Set { value, .. } = statement {
            tracing::debug!(model = %value, "more of the same is a step");
            *value = up.to_owned();
        }
    }
    true
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

/// Moves the plan's settings made for "my" seat to the zone the last plan gave the same
/// function, where that was another zone ("passenger", "rear", "all").
fn keep_the_last_zone(plan: &mut crate::lm::Plan, last: &crate::lm::Plan) {
    for statement in &mut plan.statements {
        let Statement::Set { function, zone, .. } = statement else {
            continue;
        };
        if zone == "my"
            && let Some(last_zone) = last_zone(last, function)
        {
            tracing::debug!(%function, from = %zone, to = %last_zone, "a follow-up keeps the last zone");
            *zone = last_zone.to_owned();
        }
    }
}

/// What a setting does, said of things of one family: locks lock or unlock, the trunks,
/// windows, sunroof and sunshade open or close, the rest switch on or off.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Family {
    Locking,
    Opening,
    Switching,
}

/// The family of a function, by what its values do.
fn family(f: &Function) -> Option<Family> {
    match f.name.as_str() {
        "lock" => Some(Family::Locking),
        "trunk" | "frunk" | "window" | "sunroof" | "shade" => Some(Family::Opening),
        // Off is mute for the volume, which has words of its own.
        "volume" => None,
        _ => {
            let values = f.values();
            (values.iter().any(|v| v == "on") && values.iter().any(|v| v == "off"))
                .then_some(Family::Switching)
        }
    }
}

/// Whether a value of `f` does its family's thing (locks, opens, switches on) or undoes it;
/// None for a value in between (a window halfway).
fn does(f: &Function, value: &str) -> Option<bool> {
    match (family(f)?, value) {
        (Family::Opening, "max" | "100") if is_position(f) => Some(true),
        (Family::Opening, "0") if is_position(f) => Some(false),
        (Family::Opening, _) if is_position(f) => None,
        (_, "on") => Some(true),
        (_, "off") => Some(false),
        _ => None,
    }
}

/// What became of a plan that only adds a thing to the last request.
#[derive(Debug, PartialEq)]
enum Added {
    /// The plan does to the thing what the last one did (it may have been changed to).
    AsLast,
    /// The thing is of another family than the last request's ("lock the doors" … "and the
    /// trunk"): what to do with it is not said.
    Unsaid,
}

/// Sets what the plan does to the things it adds to what the last plan did to its own, where
/// the last plan did one thing alike to all: the model read "and the fog lights" after "turn
/// off the headlights" as turning them on, "and the recirculation" after "turn on the AC" as
/// turning it off, and "and the windows" after "open the trunk" as closing them. None where
/// the last plan did no one thing.
fn as_the_last_did(
    plan: &mut crate::lm::Plan,
    last: &crate::lm::Plan,
    language: &Language,
) -> Option<Added> {
    let mut done = last.statements.iter().filter_map(|s| match s {
        Statement::Set {
            function, value, ..
        } => {
            let f = language.function(function)?;
            Some((family(f)?, does(f, value)?))
        }
        _ => None,
    });
    let first = done.next()?;
    if done.any(|other| other != first) {
        return None;
    }
    let (last_family, yes) = first;
    // Every setting of the plan is a thing of the last one's family, or nothing is said of
    // the plan (it may be about something else altogether, for the model to decide).
    let families: Vec<Option<Family>> = plan
        .statements
        .iter()
        .filter_map(|s| match s {
            Statement::Set { function, .. } => Some(language.function(function).and_then(family)),
            _ => None,
        })
        .collect();
    if families.is_empty() || families.iter().any(|f| f.is_none()) {
        return None;
    }
    if families.iter().any(|f| *f != Some(last_family)) {
        return Some(Added::Unsaid);
    }
    for statement in &mut plan.statements {
        if let Statement::Set {
            function, value, ..
        } = statement
            && let Some(f) = language.function(function)
        {
            let wanted = match (is_position(f), yes) {
                (true, true) => "max",
                (true, false) => "0",
                (false, true) => "on",
                (false, false) => "off",
            };
            if value != wanted {
                tracing::debug!(%function, model = %value, "an added thing is done as the last one was");
                *value = wanted.to_owned();
            }
        }
    }
    Some(Added::AsLast)
}

/// The functions a plan sets, as the language has them.
fn set_functions<'a>(
    plan: &'a crate::lm::Plan,
    language: &'a Language,
) -> impl Iterator<Item = &'a Function> {
    plan.statements.iter().filter_map(|s| match s {
        Statement::Set { function, .. } => language.function(function),
        _ => None,
    })
}

/// The switches that were already where they were asked to be, where two or more were and
/// all alike (on, or off), and the one sentence that says so: "The reading light, the ambient
/// light and the headlights are already off."
fn already_switched(
    changes: &[Change],
    outcomes: &[Outcome],
    before: &BTreeMap<String, Value>,
) -> (Vec<usize>, Option<String>) {
    let already: Vec<usize> = (0..changes.len())
        .filter(|&i| {
            family(&changes[i].function) == Some(Family::Switching)
                && matches!(changes[i].value, Value::Bool(_))
                && was_already(before, &outcomes[i])
        })
        .collect();
    let [first, .., _] = already[..] else {
        return (Vec::new(), None);
    };
    if already
        .iter()
        .any(|&i| changes[i].value != changes[first].value)
    {
        return (Vec::new(), None);
    }
    let mut names: Vec<String> = already
        .iter()
        .map(|&i| label(&changes[i].function.name))
        .collect();
    let last = names.pop().unwrap_or_default();
    let on = changes[first].value == Value::Bool(true);
    let sentence = format!(
        "{} and {last} are already {}.",
        capital(&names.join(", ")),
        if on { "on" } else { "off" }
    );
    (already, Some(sentence))
}

/// Whether the plan sets something and only functions that have no seats (the air
/// conditioning, the lights, the locks).
fn sets_only_for_the_whole_car(plan: &crate::lm::Plan, language: &Language) -> bool {
    let sets = plan
        .statements
        .iter()
        .filter(|s| matches!(s, Statement::Set { .. }))
        .count();
    let unzoned = set_functions(plan, language)
        .filter(|f| !f.is_zoned())
        .count();
    sets > 0 && unzoned == sets && sets == plan.statements.len()
}

/// Whether `utterance` names seats and nothing else: "and the passenger side too", "the back
/// as well", "for the driver".
fn only_names_a_seat(utterance: &str) -> bool {
    const AROUND: &str = "and the too also as well side sides seat seats one ones for please \
        plus what about how in at on of";
    const SEATS: &str = "passenger passenger's passengers driver driver's drivers rear back \
        backseat left right front everyone everybody";
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_in(&lower)
        .filter(|w| !AROUND.split_whitespace().any(|a| a == *w))
        .collect();
    !words.is_empty()
        && words
            .iter()
            .all(|w| SEATS.split_whitespace().any(|s| s == *w))
}

/// Whether the plan sets things, none of which the last plan set: "no, the sunroof" after
/// "open my window", rather than "no, the other one".
fn names_other_things(plan: &crate::lm::Plan, last: &crate::lm::Plan) -> bool {
    let sets = |p: &crate::lm::Plan| -> Vec<String> {
        p.statements
            .iter()
            .filter_map(|s| match s {
                Statement::Set { function, .. } => Some(function.clone()),
                _ => None,
            })
            .collect()
    };
    let (now, before) = (sets(plan), sets(last));
    !now.is_empty() && !before.is_empty() && now.iter().all(|f| !before.contains(f))
}

/// Whether every thing the plan sets is of the one family of the things the last plan set.
fn of_the_last_family(plan: &crate::lm::Plan, last: &crate::lm::Plan, language: &Language) -> bool {
    let mut families = set_functions(last, language).map(family);
    let Some(Some(first)) = families.next() else {
        return false;
    };
    families.all(|f| f == Some(first))
        && set_functions(plan, language).all(|f| family(f) == Some(first))
}

/// Turns the plan's settings into questions where the last request was a question: "and the
/// sunroof?" after "are the windows closed" asks about the sunroof, which the model opened.
/// Whether it did.
fn asked_as_the_last_did(plan: &mut crate::lm::Plan, last: &crate::lm::Plan) -> bool {
    let asked = !last.statements.is_empty()
        && last
            .statements
            .iter()
            .all(|s| matches!(s, Statement::Answer { .. }));
    if !asked {
        return false;
    }
    let mut turned = false;
    for statement in &mut plan.statements {
        if let Statement::Set { function, zone, .. } = statement {
            tracing::debug!(%function, "an added thing is asked about as the last one was");
            *statement = Statement::Answer {
                query: std::mem::take(function),
                zone: std::mem::take(zone),
            };
            turned = true;
        }
    }
    turned
}

/// The temperature sensor a follow-up to a temperature question asks about where it names
/// only a place: "and inside?", "in here?" or "what about outside" after "how cold is it
/// outside" or "what's the temperature in here".
fn temperature_asked_elsewhere(utterance: &str, last: &crate::lm::Plan) -> Option<&'static str> {
    const FOLLOWING: &str = "and what about how is it it's its the car cabin here there in out";
    let about_temperature = !last.statements.is_empty()
        && last.statements.iter().all(|s| {
            matches!(s, Statement::Answer { query, .. }
                if matches!(query.as_str(), "temperature" | "cabin_temperature" | "outside_temperature"))
        });
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_in(&lower).collect();
    let has = |w: &str| words.contains(&w);
    let outside = has("outside") || has("outdoors") || words.ends_with(&["out", "there"]);
    let inside = has("inside") || words.ends_with(&["in", "here"]) || has("cabin");
    let only_a_place = words.iter().all(|w| {
        matches!(*w, "outside" | "outdoors" | "inside")
            || FOLLOWING.split_whitespace().any(|f| f == *w)
    });
    if !about_temperature || !only_a_place || outside == inside {
        return None;
    }
    Some(if outside {
        "outside_temperature"
    } else {
        "cabin_temperature"
    })
}

/// Whether `utterance` only adds a thing to the last request ("and the fog lights", "the
/// recirculation too", "also the rear defroster") without saying what to do with it.
fn only_adds_a_thing(utterance: &str) -> bool {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_in(&lower).collect();
    let adds = matches!(words.first(), Some(&("and" | "also" | "plus")))
        || matches!(words.last(), Some(&("too" | "also")))
        || words.ends_with(&["as", "well"]);
    adds && !words.iter().any(|w| says_what_to_do(w))
}

/// Whether `utterance`, a correction, only names the thing meant ("no, the sunroof", "I
/// meant the hazard lights") without saying what to do with it.
fn only_names_a_thing(utterance: &str) -> bool {
    const CORRECTING: &str = "no nope nah not sorry oops i meant mean actually wrong one instead";
    let lower = utterance.to_lowercase();
    let mut words = words_in(&lower)
        .filter(|w| !CORRECTING.split_whitespace().any(|c| c == *w))
        .peekable();
    words.peek().is_some() && !words.any(says_what_to_do)
}

/// Whether a word says what to do with a thing ("off", "open", "warmer", "50", "don't").
fn says_what_to_do(word: &str) -> bool {
    const SAYS_WHAT: &str = "on off open close closed shut up down lock locked unlock unlocked \
        start stop play pause more less warmer cooler louder quieter brighter dimmer max min \
        full half halfway fully turn switch set put make not no don't dont never so much loud \
        quiet hot cold warm bright dark fast slow";
    SAYS_WHAT.split_whitespace().any(|s| s == word)
        || word.parse::<f64>().is_ok()
        || is_number_word(word)
}

/// Moves the plan's questions about "my" seat to the zone where the last plan set the same
/// function, where that was another zone.
fn ask_about_the_last_zone(plan: &mut crate::lm::Plan, last: &crate::lm::Plan) {
    for statement in &mut plan.statements {
        let Statement::Answer { query, zone } = statement else {
            continue;
        };
        if zone == "my"
            && let Some(last_zone) = last_zone(last, query)
        {
            tracing::debug!(%query, from = %zone, to = %last_zone, "a question asks where the last request was");
            *zone = last_zone.to_owned();
        }
    }
}

/// Asks about every seat where the question names the thing in the plural and no seat ("what
/// are the temperatures set to"): the model asked about the speaker's alone.
fn ask_about_every_seat_when_plural(plan: &mut crate::lm::Plan, utterance: &str) {
    const PLURALS: &[(&str, &[&str])] = &[
        ("temperature", &["temperatures"]),
        ("window", &["windows"]),
        ("fan", &["fans"]),
        ("seat_heating", &["seats", "heaters"]),
        ("seat_cooling", &["seats"]),
        ("airflow", &["vents"]),
    ];
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for statement in &mut plan.statements {
        // Whichever seat the model took: after "set the passenger side to 24" it asked about
        // the passenger's alone.
        if let Statement::Answer { query, zone } = statement
            && zone != "all"
            && PLURALS
                .iter()
                .any(|(f, plural)| f == query && words.iter().any(|w| plural.contains(w)))
        {
            tracing::debug!(%query, "a question in the plural asks about every seat");
            *zone = "all".into();
        }
    }
}

/// The one zone other than "my" where `last` set `function`, if it set it once.
fn last_zone<'a>(last: &'a crate::lm::Plan, function: &str) -> Option<&'a str> {
    let mut zones = last.statements.iter().filter_map(|s| match s {
        Statement::Set {
            function: f, zone, ..
        } if f == function => Some(zone.as_str()),
        _ => None,
    });
    match (zones.next(), zones.next()) {
        (Some(zone), None) if zone != "my" => Some(zone),
        _ => None,
    }
}

/// Whether `utterance` says nothing about whose seat or which side: no "my", "passenger",
/// "rear", "left", "all" and the like.
fn names_no_seat(utterance: &str) -> bool {
    const SEAT_WORDS: &str = "my mine me i i'm im driver driver's drivers passenger \
        passenger's passengers rear back backseat front left right both all every everywhere \
        everyone side sides";
    let lower = utterance.to_lowercase();
    !words_in(&lower).any(|w| SEAT_WORDS.split_whitespace().any(|s| s == w))
}

/// Whether `utterance` corrects the last request ("no, the other one", "I meant the
/// passenger side", "wrong one") rather than adding to it ("and the passenger side too").
/// The plan cannot tell them apart: both are the last turn's plan on another seat.
fn corrects_last_turn(utterance: &str) -> bool {
    let lower = utterance.to_lowercase();
    let words: Vec<&str> = words_in(&lower).collect();
    let has = |phrase: &[&str]| words.windows(phrase.len()).any(|w| w == phrase);
    let adds = ["too", "also", "both"].iter().any(|w| words.contains(w)) || has(&["as", "well"]);
    if adds {
        return false;
    }
    matches!(
        words.first(),
        Some(&("no" | "nope" | "nah" | "not" | "wrong" | "actually"))
    ) || has(&["i", "meant"])
        || has(&["i", "mean"])
        || has(&["other", "one"])
        || words.contains(&"instead")
        // "Open the window" … "the passenger one" picks which window was meant.
        || (words.first() == Some(&"the") && words.last() == Some(&"one"))
}

/// A correction without what it says is not meant: "not mine, the passenger's" is "no, the
/// passenger's", "not the window but the sunroof" is "no, the sunroof". Only where the part
/// dropped points at a thing ("mine", "that one", "the window"): "not so loud, please" stays.
fn what_is_meant(utterance: &str) -> Cow<'_, str> {
    const POINTING: &str = "mine me my that this it the those these his hers her";
    let said = utterance.trim();
    // ASCII lowering keeps every byte where it was, so a place found in it cuts `said`.
    let lower = said.to_ascii_lowercase();
    if !lower.starts_with("not ") {
        return Cow::Borrowed(utterance);
    }
    // Whisper may end the first part as a sentence: "Not mine. The passenger's."
    let cut = [(",", 1), (";", 1), (". ", 2), (" but ", 5)]
        .iter()
        .filter_map(|(mark, len)| lower.find(mark).map(|at| (at, at + len)))
        .min();
    let Some((end, start)) = cut else {
        return Cow::Borrowed(utterance);
    };
    let not_meant: Vec<&str> = lower[4..end].split_whitespace().collect();
    let meant = said[start..].trim();
    let points = not_meant
        .iter()
        .any(|w| POINTING.split_whitespace().any(|p| p == *w));
    if not_meant.is_empty() || not_meant.len() > 4 || !points || meant.is_empty() {
        return Cow::Borrowed(utterance);
    }
    Cow::Owned(format!("no, {meant}"))
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

/// The units a question asks its answer in besides the car's metric ones: "how many miles
/// can I go", "in mph", "in Fahrenheit".
#[derive(Clone, Copy, Debug, Default)]
struct Imperial {
    miles: bool,
    fahrenheit: bool,
}

impl Imperial {
    fn said(utterance: &str) -> Imperial {
        let lower = utterance.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
        Imperial {
            miles: has(&["mile", "miles", "mph"]),
            // "In F", "in °F", "degrees F": the letter alone, after the words that give a unit.
            fahrenheit: has(&["fahrenheit", "farenheit"])
                || words
                    .windows(2)
                    .any(|pair| matches!(pair, ["in" | "degrees", "f"])),
        }
    }
}

/// 68.0 → "68", 21.5 → "21.5".
fn tidy(n: f64) -> String {
    if (n - n.round()).abs() < 1e-6 {
        format!("{}", n.round() as i64)
    } else {
        format!("{n:.1}")
    }
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What a function is called in a reply.
fn label(name: &str) -> String {
    match name {
        "temperature" => "the temperature",
        "fan" => "the fan",
        "airflow" => "the air distribution",
        "ac" => "the air conditioning",
        "recirculation" => "recirculation",
        "defrost_front" => "the windshield defroster",
        "defrost_rear" => "the rear window defroster",
        "seat_heating" => "seat heating",
        "seat_cooling" => "seat ventilation",
        "window" => "the window",
        "sunroof" => "the sunroof",
        "shade" => "the sunshade",
        "lock" => "the door locks",
        "trunk" => "the trunk",
        "frunk" => "the front trunk",
        "dome_light" => "the reading light",
        "ambient_light" => "the ambient light",
        "ambient_brightness" => "the ambient brightness",
        "ambient_color" => "the ambient colour",
        "low_beam" => "the headlights",
        "fog_lights" => "the fog lights",
        "hazards" => "the hazard lights",
        "wipers" => "the wipers",
        "volume" => "the volume",
        "media" => "the music",
        "battery" => "the battery level",
        "range" => "the range",
        "speed" => "the speed",
        "gear" => "the gear",
        "cabin_temperature" => "the cabin temperature",
        "outside_temperature" => "the outside temperature",
        other => other,
    }
    .to_owned()
}

fn zone_phrase(seat: &str) -> &'static str {
    match seat {
        "driver" => " on the driver's side",
        "passenger" => " on the passenger side",
        "rear_left" => " at the rear left",
        "rear_right" => " at the rear right",
        _ => "",
    }
}

/// A value as a person says it.
fn show(language: &Language, f: &Function, value: &Value) -> String {
    match (&f.kind, value) {
        (Kind::Celsius, v) => format!("{} °C", v.as_f64().map(tidy).unwrap_or_default()),
        (Kind::Percent, v) => {
            let n = v.as_f64().unwrap_or(0.0) * f.sign;
            match f.name.as_str() {
                "window" | "sunroof" | "shade" if n == 0.0 => "closed".into(),
                "window" | "sunroof" | "shade" if n >= 100.0 => "fully open".into(),
                "window" | "sunroof" | "shade" => format!("{} % open", tidy(n)),
                "volume" if n <= 0.0 => "muted".into(),
                _ if n <= 0.0 => "off".into(),
                // As the knob and the dashboard count it: 66 % of the seat heating is level 2.
                _ if f.levels.is_some() => {
                    let levels = f64::from(f.levels.unwrap_or(1));
                    format!(
                        "at level {}",
                        (n * levels / 100.0).ceil().clamp(1.0, levels)
                    )
                }
                _ => format!("{} %", tidy(n)),
            }
        }
        (Kind::Switch, Value::Bool(b)) => match (f.name.as_str(), b) {
            ("lock", true) => "locked".into(),
            ("lock", false) => "unlocked".into(),
            ("trunk" | "frunk", true) => "open".into(),
            ("trunk" | "frunk", false) => "closed".into(),
            (_, true) => "on".into(),
            (_, false) => "off".into(),
        },
        // Said as a driver would say them, not as the catalog spells them.
        (Kind::Choice(_), Value::String(s)) if f.name == "wipers" => match s.as_str() {
            "OFF" => "off".into(),
            "INTERVAL" => "on intermittent".into(),
            "RAIN_SENSOR" => "on automatic (rain sensor)".into(),
            other => format!("on {}", other.to_lowercase()),
        },
        (Kind::Choice(_), Value::String(s)) if f.name == "airflow" => match s.as_str() {
            "UP" => "at the windshield".into(),
            "DOWN" => "at the feet".into(),
            _ => "at the face".into(),
        },
        (Kind::Choice(_), Value::String(s)) => language
            .color_name(s)
            .map_or_else(|| s.to_lowercase(), String::from)
            .replace('_', " "),
        (_, v) => v.to_string(),
    }
}

/// Whether the car confirmed the value it already had before the turn: "a bit more" of a
/// window that is fully open.
fn was_already(before: &BTreeMap<String, Value>, outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Confirmed { path, value, .. } if before.get(path) == Some(value))
}

/// "The window is now fully open." said of a window that was: "… is already fully open."
fn already(reply: &str) -> String {
    if reply.contains(" now ") {
        return reply.replacen(" now ", " already ", 1);
    }
    // "The doors are locked." says no "now"; it was said alike whether they had been.
    [" are ", " is "]
        .iter()
        .find(|verb| reply.contains(**verb))
        .map(|verb| reply.replacen(verb, &format!("{}already ", verb), 1))
        .unwrap_or_else(|| reply.to_owned())
}

/// "is" or "are" for a function's label.
fn verb(function: &str) -> &'static str {
    match function {
        "wipers" | "fog_lights" | "low_beam" | "hazards" | "lock" => "are",
        _ => "is",
    }
}

/// The reply for a change the car confirmed (or did not).
fn confirmation(
    language: &Language,
    f: &Function,
    seat: &str,
    outcome: &Outcome,
    several: bool,
    imperial: Imperial,
) -> String {
    let what = subject_phrase(f, seat, several);
    match outcome {
        Outcome::Confirmed { value, .. } => match (f.name.as_str(), value) {
            ("media", Value::String(s)) => match s.as_str() {
                "PLAY" => "Playing.".into(),
                "PAUSE" => "Paused.".into(),
                "SKIP_FORWARD" => "Next track.".into(),
                _ => "Previous track.".into(),
            },
            ("lock", Value::Bool(true)) => "The doors are locked.".into(),
            ("lock", Value::Bool(false)) => "The doors are unlocked.".into(),
            _ => format!(
                "{what} {} now {}.",
                verb(&f.name),
                state_text(language, f, value, imperial)
            ),
        },
        Outcome::Clamped { value, .. } => {
            format!(
                "{what} {} at the limit, {}.",
                verb(&f.name),
                show(language, f, value)
            )
        }
        Outcome::Superseded {
            reported: Some(value),
            stopped: true,
            ..
        } if is_position(f) => stopped(language, f, seat, value, several),
        // A later request (a touch, say) sent it elsewhere on its way.
        Outcome::Superseded {
            reported: Some(value),
            ..
        } => format!(
            "{what} {} {} when a later request changed it.",
            if verb(&f.name) == "are" {
                "were"
            } else {
                "was"
            },
            show(language, f, value)
        ),
        Outcome::Superseded { commanded, .. } => format!(
            "I asked for {} to be {}, but a later request replaced it.",
            label(&f.name),
            show(language, f, commanded)
        ),
        Outcome::NotConfirmed { commanded, .. } => format!(
            "I asked for {} to be {}, but the car has not confirmed it.",
            label(&f.name),
            show(language, f, commanded)
        ),
        Outcome::Failed { message, .. } => format!("I couldn't reach the car: {message}."),
        Outcome::Refused { reason, .. } => refusal(f, reason, None),
    }
}

/// What a reply is about: "The fan", "The window on the driver's side" (the seat said when the
/// function has seats or the reply names several things).
fn subject_phrase(f: &Function, seat: &str, several: bool) -> String {
    let zone = if several || f.is_zoned() {
        zone_phrase(seat)
    } else {
        ""
    };
    format!("{}{zone}", capital(&label(&f.name)))
}

/// The reply for a position stopped on its way.
fn stopped(language: &Language, f: &Function, seat: &str, value: &Value, several: bool) -> String {
    let what = subject_phrase(f, seat, several);
    format!("{what} {}.", stopped_at(&show(language, f, value)))
}

/// "stopped at 40 % open"; a position stopped at an end is said as it is.
fn stopped_at(shown: &str) -> String {
    if shown.contains('%') {
        format!("stopped at {shown}")
    } else {
        format!("stopped, {shown}")
    }
}

/// Whether the function moves a position that takes time to travel (and can be stopped).
fn is_position(f: &Function) -> bool {
    matches!(f.name.as_str(), "window" | "sunroof" | "shade")
}

/// The model's unsure plan as a question back: "to turn the air conditioning on".
fn guess(plan: &crate::lm::Plan) -> Option<String> {
    let phrases: Vec<String> = plan
        .statements
        .iter()
        .filter_map(|s| match s {
            Statement::Set {
                function,
                value,
                zone,
            } => {
                // Where, as the confirmation would say it: "the temperature in the back",
                // "all the windows".
                let what = match (function.as_str(), zone.as_str()) {
                    ("window", "all") => "all the windows".to_owned(),
                    ("window", "front" | "rear" | "left" | "right") => "the windows".to_owned(),
                    _ => label(function),
                };
                let place = match zone.as_str() {
                    "front" => " in the front",
                    "rear" => " in the back",
                    "left" => " on the left",
                    "right" => " on the right",
                    seat => zone_phrase(seat),
                };
                let what = format!("{what}{place}");
                Some(match (function.as_str(), value.as_str()) {
                    ("lock", "on") => "to lock the doors".into(),
                    ("lock", "off") => "to unlock the doors".into(),
                    ("trunk" | "frunk", "on") => format!("to open {what}"),
                    ("trunk" | "frunk", "off") => format!("to close {what}"),
                    ("window" | "sunroof" | "shade", "max") => format!("to open {what} fully"),
                    ("window" | "sunroof" | "shade", "0") => format!("to close {what}"),
                    (_, "on" | "off" | "up" | "down") => format!("to turn {value} {what}"),
                    (_, "max") => format!("to turn {what} all the way up"),
                    (_, "min") => format!("to turn {what} all the way down"),
                    (_, "mute" | "unmute") => format!("to {value} the sound"),
                    (_, v) if v.ends_with('f') => {
                        format!("to set {what} to {} °F", v.trim_end_matches('f'))
                    }
                    ("temperature", v) => format!("to set {what} to {v} °C"),
                    (_, v) if v.starts_with(['+', '-']) => format!("to change {what} by {v}"),
                    (_, v) if v.parse::<f64>().is_ok() => format!("to set {what} to {v} %"),
                    (_, v) => format!("to set {what} to {}", v.to_lowercase().replace('_', " ")),
                })
            }
            Statement::Answer { query, .. } => Some(format!("to tell you {}", label(query))),
            _ => None,
        })
        .collect();
    // The model, unsure, may write one setting twice ("turn seat heating on and to turn
    // seat heating on"): it is asked about once.
    let mut unique: Vec<String> = Vec::with_capacity(phrases.len());
    for phrase in phrases {
        if !unique.contains(&phrase) {
            unique.push(phrase);
        }
    }
    match unique.split_last() {
        None => None,
        Some((only, [])) => Some(only.clone()),
        Some((last, rest)) => Some(format!("{} and {last}", rest.join(", "))),
    }
}

/// A value as an answer says it after "is": "at 30 %", "40 % open", "72 °F (22 °C)" when
/// asked in Fahrenheit.
fn state_text(language: &Language, f: &Function, value: &Value, imperial: Imperial) -> String {
    let shown = show(language, f, value);
    match (&f.kind, value.as_f64()) {
        (Kind::Celsius, Some(c)) if imperial.fahrenheit => {
            format!("{} °F ({shown})", fahrenheit(c))
        }
        _ if shown.ends_with('%') => format!("at {shown}"),
        _ => shown,
    }
}

/// A temperature in whole degrees Fahrenheit: 22 → "72".
fn fahrenheit(celsius: f64) -> String {
    tidy((celsius * 9.0 / 5.0 + 32.0).round())
}

/// The answer about a function on the seats asked about, each with its value said as
/// [`state_text`] does: "The window at the rear left is closed.", "All windows are closed.",
/// "Seat heating is at level 2 on the passenger side and off elsewhere."
fn seats_answer(f: &Function, shown: &[(&str, String)]) -> String {
    let what = capital(&label(&f.name));
    // A temperature set is not the one measured ("it's 24 °C in the cabin"): said so.
    let is = match f.name.as_str() {
        "temperature" => "is set to",
        name => verb(name),
    };
    match shown {
        [] => format!("I don't know {} right now.", label(&f.name)),
        [(seat, value)] => format!("{what}{} {is} {value}.", zone_phrase(seat)),
        [(_, first), ..] if shown.iter().all(|(_, v)| v == first) => {
            let seats: Vec<&str> = shown.iter().map(|(s, _)| *s).collect();
            let said = together(f, &seats, first, false).replacen(" now ", " ", 1);
            said.replacen(&format!(" {} ", verb(&f.name)), &format!(" {is} "), 1)
        }
        _ => {
            // Each value once, with the seats that have it; the value most seats share goes
            // last, where it can be "elsewhere".
            let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
            for (seat, value) in shown {
                match groups.iter_mut().find(|(v, _)| v == value) {
                    Some((_, seats)) => seats.push(seat),
                    None => groups.push((value, vec![seat])),
                }
            }
            groups.sort_by_key(|(_, seats)| seats.len());
            let last = groups.len() - 1;
            let parts: Vec<String> = groups
                .iter()
                .enumerate()
                .map(|(i, (value, seats))| {
                    let scope = match seats.as_slice() {
                        [one] => zone_phrase(one).trim_start().to_owned(),
                        several if i == last && several.len() > 2 => "elsewhere".to_owned(),
                        several => seats_scope(several),
                    };
                    format!("{value} {scope}")
                })
                .collect();
            let (tail, head) = parts.split_last().unwrap_or((&parts[0], &[]));
            format!("{what} {is} {} and {tail}.", head.join(", "))
        }
    }
}

/// Where several seats are: "in the back", "on the left", or each named.
fn seats_scope(seats: &[&str]) -> String {
    let mut sorted: Vec<&str> = seats.to_vec();
    sorted.sort_unstable();
    match sorted.as_slice() {
        ["driver", "passenger", "rear_left", "rear_right"] => "everywhere".to_owned(),
        ["driver", "passenger"] => "in the front".to_owned(),
        ["rear_left", "rear_right"] => "in the back".to_owned(),
        ["driver", "rear_left"] => "on the left".to_owned(),
        ["passenger", "rear_right"] => "on the right".to_owned(),
        _ => {
            let named: Vec<&str> = seats.iter().map(|s| zone_phrase(s).trim_start()).collect();
            match named.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("{} and {last}", rest.join(", "))
                }
                _ => named.join(""),
            }
        }
    }
}

/// One sentence for a function confirmed at the same value on several seats.
/// `stopped`: they stopped there on their way (see [`stopped_at`]).
fn together(f: &Function, seats: &[&str], value: &str, stopped: bool) -> String {
    let scope = seats_scope(seats);
    let plural = match f.name.as_str() {
        "window" => Some("The windows"),
        "fan" => Some("The fans"),
        "airflow" => Some("The vents"),
        _ => None,
    };
    let state = if stopped {
        stopped_at(value)
    } else {
        format!("are now {value}")
    };
    match plural {
        Some(noun) if scope == "everywhere" => format!(
            "All {} {state}.",
            noun.trim_start_matches("The ").to_lowercase()
        ),
        Some(noun) => format!("{noun} {scope} {state}."),
        None if stopped => format!("{} {scope} {state}.", capital(&label(&f.name))),
        None => format!(
            "{} {} now {value} {scope}.",
            capital(&label(&f.name)),
            verb(&f.name)
        ),
    }
}

/// Why a change was refused, as said to the person who asked: what was refused is said as
/// asked ("open the trunk") where the `value` asked for is known.
fn refusal(f: &Function, reason: &PolicyError, value: Option<&Value>) -> String {
    let what = label(&f.name);
    let change = match (f.name.as_str(), value) {
        ("trunk" | "frunk", Some(Value::Bool(true))) => "open",
        ("trunk" | "frunk", Some(Value::Bool(false))) => "close",
        _ => "change",
    };
    match reason {
        // Only unlocking waits for a standstill: locking is never refused.
        PolicyError::CarMoving { .. } if f.name == "lock" => {
            "I can't unlock the doors while the car is moving.".into()
        }
        PolicyError::SpeedUnknown { .. } if f.name == "lock" => {
            "I can't unlock the doors: I don't know that the car is standing still.".into()
        }
        PolicyError::CarMoving { .. } => {
            format!("I can't {change} {what} while the car is moving.")
        }
        PolicyError::SpeedUnknown { .. } => {
            format!("I can't {change} {what}: I don't know that the car is standing still.")
        }
        PolicyError::DriverOnly { .. } => format!("Only the driver can change {what}."),
        other => format!("I can't change {what}: {other}."),
    }
}

/// The rule behind a refusal, said when asked why: "For safety, the trunk opens only while
/// the car stands still, and we're doing 50 km/h."
fn because(f: &Function, reason: &PolicyError, value: Option<&Value>) -> String {
    let what = label(&f.name);
    let does = match (f.name.as_str(), value) {
        ("trunk" | "frunk", Some(Value::Bool(true))) => "opens",
        ("trunk" | "frunk", Some(Value::Bool(false))) => "closes",
        ("lock", _) => "unlock",
        _ => "changes",
    };
    let standing = if f.name == "lock" {
        "For safety, the doors unlock only while the car stands still".to_owned()
    } else {
        format!("For safety, {what} {does} only while the car stands still")
    };
    match reason {
        PolicyError::CarMoving { speed_kmh, .. } => {
            format!("{standing}, and we're doing {} km/h.", speed_kmh.round())
        }
        PolicyError::SpeedUnknown { .. } => {
            format!("{standing}, and I can't tell that it does: the car isn't reporting its speed.")
        }
        PolicyError::DriverOnly { .. } => {
            let (bear, them) = match verb(&f.name) {
                "are" => ("bear", "them"),
                _ => ("bears", "it"),
            };
            format!(
                "{} {bear} on driving, so only the driver may change {them}.",
                capital(&what)
            )
        }
        other => format!("{}.", capital(&other.to_string())),
    }
}

/// "In 10 minutes", "in a minute", "in 30 seconds", "in an hour".
fn in_words(wait: Duration) -> String {
    let seconds = wait.as_secs_f64().round();
    let (n, unit) = if seconds < 60.0 {
        (seconds, "second")
    } else if seconds < 3600.0 {
        (seconds / 60.0, "minute")
    } else {
        (seconds / 3600.0, "hour")
    };
    match (tidy((n * 10.0).round() / 10.0), unit) {
        (one, "hour") if one == "1" => "in an hour".into(),
        (one, unit) if one == "1" => format!("in a {unit}"),
        (n, unit) => format!("in {n} {unit}s"),
    }
}

/// What waits, as a reply: "In 8 minutes I'll close all the windows."
fn waiting_said(waiting: &[Waiting]) -> String {
    if waiting.is_empty() {
        return "You haven't asked me for anything later.".into();
    }
    let said: Vec<String> = waiting
        .iter()
        .map(|w| format!("{} I'll {}.", capital(&w.when()), w.what))
        .collect();
    said.join(" ")
}

/// The reply for requests called off.
fn called_off(off: &[Scheduled]) -> String {
    match off {
        [one] if !one.put_back.is_empty() => "Okay, I'll leave it as it is.".into(),
        _ => {
            let whats: Vec<&str> = off.iter().map(|s| s.what.as_str()).collect();
            match whats.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("Okay, I won't {} or {last}.", rest.join(", "))
                }
                _ => format!("Okay, I won't {}.", whats.join("")),
            }
        }
    }
}

/// What putting back `changed` (what a request for a while changed) does, after "I'll": "put
/// back the window on the passenger side".
fn putting_back(changes: &[Change], changed: &[(String, Value)]) -> String {
    let mut things: Vec<String> = Vec::new();
    for change in changes {
        if !changed.iter().any(|(path, _)| *path == change.path) {
            continue;
        }
        let f = &change.function;
        let zone = if f.is_zoned() {
            zone_phrase(&change.seat)
        } else {
            ""
        };
        let thing = format!("{}{zone}", label(&f.name));
        if !things.contains(&thing) {
            things.push(thing);
        }
    }
    format!("put back {}", things.join(" and "))
}

/// Whether `utterance` only asks why ("why not?", "why can't you", "how come").
fn asks_why(utterance: &str) -> bool {
    const WHY: &str = "why not can't cant cannot won't wont you i is that it how come what's \
        whats the reason oh but so didn't didnt did work doesn't doesnt";
    let lower = utterance.to_lowercase().replace('\u{2019}', "'");
    let words: Vec<&str> = words_in(&lower).collect();
    let asks = words.contains(&"why") || lower.contains("how come") || words.contains(&"reason");
    asks && words
        .iter()
        .all(|w| WHY.split_whitespace().any(|y| y == *w))
}

/// The question before unlocking.
fn unlock_question(held: &[Change]) -> String {
    match held {
        [one] if one.seat != "all" => format!(
            "Unlock the door{}? Say yes to confirm.",
            zone_phrase(&one.seat)
        ),
        _ => "Unlock the doors? Say yes to confirm.".into(),
    }
}

fn ask_back(function: &str) -> String {
    match function {
        "temperature" => "To how many degrees?".into(),
        "fan" => "How strong should the fan be?".into(),
        "volume" => "How loud?".into(),
        "window" | "sunroof" | "shade" => format!("How far should I open {}?", label(function)),
        "seat_heating" | "seat_cooling" => "Which level: 1, 2 or 3?".into(),
        "ambient_color" => "Which colour?".into(),
        "ambient_brightness" => "How bright?".into(),
        "wipers" => "Which speed: interval, slow, medium, fast or automatic?".into(),
        "airflow" => "Where should the air go: the windshield, the face or the feet?".into(),
        other => format!("What should I set {} to?", label(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lm::Language;

    fn plan(text: &str) -> crate::lm::Plan {
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
    fn an_unsure_plan_becomes_a_question() {
        assert_eq!(
            guess(&plan("set ac all on")).as_deref(),
            Some("to turn on the air conditioning")
        );
        assert_eq!(
            guess(&plan("set window all 0 ; set temperature my 21.5")).as_deref(),
            Some("to close all the windows and to set the temperature to 21.5 °C")
        );
        assert_eq!(
            guess(&plan("set lock all on ; set trunk all on")).as_deref(),
            Some("to lock the doors and to open the trunk")
        );
        assert_eq!(
            guess(&plan(
                "set seat_heating my on ; set seat_heating all on ; set defrost_rear all on"
            ))
            .as_deref(),
            Some("to turn on seat heating and to turn on the rear window defroster"),
            "a setting the model wrote twice is asked about once"
        );
        assert_eq!(
            guess(&plan("set ac all on ; set fan my max ; set window all 0")).as_deref(),
            Some(
                "to turn on the air conditioning, to turn the fan all the way up and to close all the windows"
            )
        );
        assert_eq!(
            guess(&plan("set temperature rear up ; set window passenger max")).as_deref(),
            Some(
                "to turn up the temperature in the back and to open the window on the passenger side fully"
            )
        );
        assert_eq!(guess(&plan("none")), None);
    }

    #[test]
    fn what_is_put_back_is_named() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let back = |put_back: &[(&str, Value)], now: Option<f64>| {
            let put_back: Vec<(String, Value)> = put_back
                .iter()
                .map(|(p, v)| (format!("Vehicle.Cabin.{p}"), v.clone()))
                .collect();
            back_as_it_was(&language, &put_back, |_| now)
        };
        assert_eq!(
            back(
                &[("HVAC.IsAirConditioningActive", Value::Bool(false))],
                None
            ),
            "the air conditioning is back as it was"
        );
        assert_eq!(
            back(
                &[
                    ("Door.Row1.DriverSide.Window.Position", Value::Int(0)),
                    ("Door.Row1.PassengerSide.Window.Position", Value::Int(0)),
                    ("HVAC.IsAirConditioningActive", Value::Bool(false)),
                ],
                None
            ),
            "the windows and the air conditioning are back as they were"
        );
        // Heating and ventilation share the seat's signal: what is undone tells them apart.
        let seat = [("Seat.Row1.DriverSide.HeatingCooling", Value::Int(0))];
        assert_eq!(
            back(&seat, Some(-66.0)),
            "seat ventilation on the driver's side is back as it was"
        );
        assert_eq!(
            back(&seat, Some(66.0)),
            "seat heating on the driver's side is back as it was"
        );
    }

    #[test]
    fn a_value_the_car_already_had_is_said_as_already() {
        assert_eq!(
            already("The window on the driver's side is now closed."),
            "The window on the driver's side is already closed."
        );
        // "Lock the doors" with the doors locked had been answered "The doors are locked."
        assert_eq!(
            already("The doors are locked."),
            "The doors are already locked."
        );
        assert_eq!(already("Paused."), "Paused.");
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
        ] {
            assert!(answered_by_its_words(whole), "{whole}");
        }
        // The model's to judge; a verb alone waits for what follows it.
        for other in ["turn on the AC", "open", "what's the", "thank you"] {
            assert!(!answered_by_its_words(other), "{other}");
        }
    }

    #[test]
    fn seats_confirmed_alike_make_one_sentence() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let window = language.function("window").expect("window");
        let all = ["driver", "passenger", "rear_left", "rear_right"];
        assert_eq!(
            together(window, &all, "closed", false),
            "All windows are now closed."
        );
        let temperature = language.function("temperature").expect("temperature");
        assert_eq!(
            together(temperature, &["passenger", "driver"], "19 °C", false),
            "The temperature is now 19 °C in the front."
        );
    }

    #[test]
    fn an_answer_about_several_seats_groups_them_by_value() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let heating = language.function("seat_heating").expect("seat heating");
        let answer = |shown: &[(&str, &str)]| {
            let shown: Vec<(&str, String)> =
                shown.iter().map(|(s, v)| (*s, (*v).to_owned())).collect();
            seats_answer(heating, &shown)
        };
        assert_eq!(
            answer(&[("rear_left", "off")]),
            "Seat heating at the rear left is off."
        );
        assert_eq!(
            answer(&[("driver", "off"), ("passenger", "off")]),
            "Seat heating is off in the front."
        );
        assert_eq!(
            answer(&[
                ("driver", "off"),
                ("passenger", "at level 2"),
                ("rear_left", "off"),
                ("rear_right", "off")
            ]),
            "Seat heating is at level 2 on the passenger side and off elsewhere."
        );
        assert_eq!(
            answer(&[
                ("driver", "at level 1"),
                ("passenger", "at level 2"),
                ("rear_left", "off"),
                ("rear_right", "at level 1")
            ]),
            "Seat heating is at level 2 on the passenger side, off at the rear left and at \
             level 1 on the driver's side and at the rear right."
        );
    }

    #[test]
    fn a_thing_added_to_the_last_request_is_done_as_it_did() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let plan = |text: &str| language.parse_plan(text).expect("a plan");
        let added = |last: &str, model: &str| {
            let mut planned = plan(model);
            let added = as_the_last_did(&mut planned, &plan(last), &language);
            (planned.to_string(), added)
        };
        // What the model shipped on 2026-12-06 planned for "and the fog lights", "and the
        // recirculation" and "and the windows" after these.
        assert_eq!(
            added("set low_beam all off", "set fog_lights all on"),
            ("set fog_lights all off".into(), Some(Added::AsLast))
        );
        assert_eq!(
            added("set ac all on", "set recirculation all off"),
            ("set recirculation all on".into(), Some(Added::AsLast))
        );
        assert_eq!(
            added("set trunk all on", "set window all 0"),
            ("set window all max".into(), Some(Added::AsLast))
        );
        // Locked is not open: what to do with the trunk after locking is not said.
        assert_eq!(
            added("set lock all on", "set trunk all on"),
            ("set trunk all on".into(), Some(Added::Unsaid))
        );
        // A last request that did not one thing alike, or a plan about something else, is
        // the model's to read.
        assert_eq!(
            added("set window my 50", "set sunroof all 50"),
            ("set sunroof all 50".into(), None)
        );
        assert_eq!(
            added("set ac all on", "set temperature passenger up"),
            ("set temperature passenger up".into(), None)
        );
    }

    #[test]
    fn a_thing_added_to_a_question_is_asked_about() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let plan = |text: &str| language.parse_plan(text).expect("a plan");
        // What the model shipped on 2026-12-06 planned for "and the sunroof" after "are the
        // windows closed".
        let mut planned = plan("set sunroof all max");
        assert!(asked_as_the_last_did(
            &mut planned,
            &plan("answer window all")
        ));
        assert_eq!(planned.to_string(), "answer sunroof all");
        let mut planned = plan("set sunroof all max");
        assert!(!asked_as_the_last_did(
            &mut planned,
            &plan("set window all max")
        ));
        assert_eq!(planned.to_string(), "set sunroof all max");
    }

    #[test]
    fn more_or_less_after_a_value_set_is_a_step() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let plan = |text: &str| language.parse_plan(text).expect("a plan");
        let last = plan("set fan my 60");
        // What the model shipped on 2026-12-06 planned for these after "set the fan to 60
        // percent".
        for (said, stepped) in [
            ("a bit more", "set fan my up"),
            ("more", "set fan my up"),
            ("a little less", "set fan my down"),
            ("go back down a bit", "set fan my down"),
        ] {
            let mut planned = plan("set fan my 60");
            assert!(more_of_the_same(&mut planned, &last, said), "{said}");
            assert_eq!(planned.to_string(), stepped, "{said}");
        }
        // A number said, no way said, or another plan: left as it is.
        for (model, said) in [
            ("set fan my 60", "make it 60"),
            ("set fan my 60", "the same"),
            ("set fan my 60", "more or less"),
            ("set fan my 80", "a bit more"),
            ("set fan my up", "a bit more"),
        ] {
            let mut planned = plan(model);
            assert!(!more_of_the_same(&mut planned, &last, said), "{said}");
            assert_eq!(planned.to_string(), model, "{said}");
        }
    }

    #[test]
    fn a_temperature_asked_about_elsewhere_is_that_place_s_sensor() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let plan = |text: &str| language.parse_plan(text).expect("a plan");
        let outside = plan("answer outside_temperature all");
        let inside = plan("answer cabin_temperature all");
        let setting = plan("answer temperature my");
        // The model shipped on 2026-12-06 answered these with the recirculation, or with the
        // driver's setting ("and in here").
        for (said, last, asked) in [
            ("and inside?", &outside, "cabin_temperature"),
            ("and in here", &outside, "cabin_temperature"),
            ("what about in the cabin", &outside, "cabin_temperature"),
            ("and outside", &inside, "outside_temperature"),
            ("how about out there?", &setting, "outside_temperature"),
        ] {
            assert_eq!(
                temperature_asked_elsewhere(said, last),
                Some(asked),
                "{said}"
            );
        }
        // Not after another question, nor where something else is said.
        for (said, last) in [
            ("and outside", &plan("answer window all")),
            ("and outside", &plan("set temperature my up")),
            ("and use the air from outside", &inside),
            ("and in the back", &setting),
        ] {
            assert_eq!(temperature_asked_elsewhere(said, last), None, "{said}");
        }
    }

    #[test]
    fn a_request_that_only_adds_a_thing_is_told() {
        for adds in [
            "and the fog lights",
            "the recirculation too",
            "also the rear defroster",
            "And the windows as well.",
            "and the windows",
        ] {
            assert!(only_adds_a_thing(adds), "{adds}");
        }
        for says in [
            "and turn on the fog lights",
            "and set the fan to 50",
            "the windows too, halfway",
            "and close the windows",
            "and not the sunroof",
            "open the trunk",
        ] {
            assert!(!only_adds_a_thing(says), "{says}");
        }
    }

    #[test]
    fn a_question_in_the_plural_asks_about_every_seat() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let asked = |model: &str, said: &str| {
            let mut plan = language.parse_plan(model).expect("a plan");
            ask_about_every_seat_when_plural(&mut plan, said);
            plan.to_string()
        };
        // What the model shipped on 2026-12-06 planned for the first.
        assert_eq!(
            asked("answer temperature my", "what are the temperatures set to"),
            "answer temperature all"
        );
        // And for the second after "set the passenger temperature to 24".
        assert_eq!(
            asked(
                "answer temperature passenger",
                "what are the temperatures set to"
            ),
            "answer temperature all"
        );
        assert_eq!(
            asked("answer temperature my", "what is the temperature set to"),
            "answer temperature my"
        );
        assert_eq!(
            asked("answer seat_heating my", "are the seats heated"),
            "answer seat_heating all"
        );
    }

    #[test]
    fn a_question_names_a_seat_or_not() {
        for none in ["is the seat heating on", "Is it open?", "what's the fan at"] {
            assert!(names_no_seat(none), "{none}");
        }
        for some in [
            "is my seat warm",
            "are the rear windows open",
            "is it on everywhere",
        ] {
            assert!(!names_no_seat(some), "{some}");
        }
    }

    #[test]
    fn a_correction_is_told_from_an_addition() {
        for correction in [
            "no, the other one",
            "No the other side.",
            "not that one, the other one",
            "I meant the passenger side",
            "wrong one",
            "the rear instead",
            "the passenger one",
            "not mine, the passenger's",
        ] {
            assert!(corrects_last_turn(correction), "{correction}");
        }
        for addition in [
            "and the passenger side too",
            "the other side as well",
            "also the rear",
            "open the other window",
            "now the passenger side",
            "nothing",
            "the passenger one too",
            "and the back one",
        ] {
            assert!(!corrects_last_turn(addition), "{addition}");
        }
    }

    #[test]
    fn what_a_correction_says_is_not_meant_is_left_out() {
        for (said, meant) in [
            ("not mine, the passenger's", "no, the passenger's"),
            ("Not my window, the sunroof.", "no, the sunroof."),
            ("not the window but the sunroof", "no, the sunroof"),
            ("not that one; the rear left", "no, the rear left"),
            ("Not mine. The passenger's.", "no, The passenger's."),
        ] {
            assert_eq!(what_is_meant(said), meant, "{said}");
        }
        for kept in [
            "not so loud, please",
            "not mine",
            "not mine,",
            "no, the passenger's",
            "not the front left window of the car, the back",
        ] {
            assert!(
                matches!(what_is_meant(kept), Cow::Borrowed(k) if k == kept),
                "{kept}"
            );
        }
    }

    #[test]
    fn miles_and_fahrenheit_are_told_by_their_words() {
        for fahrenheit in [
            "what's the temperature outside in F",
            "in °F please",
            "70 degrees F",
        ] {
            assert!(Imperial::said(fahrenheit).fahrenheit, "{fahrenheit}");
        }
        for celsius in ["what's the temperature", "turn the fan up for me", "22 c"] {
            assert!(!Imperial::said(celsius).fahrenheit, "{celsius}");
        }
        assert!(Imperial::said("how far in miles").miles);
    }

    #[test]
    fn why_is_asked_only_of_itself() {
        for why in [
            "why not?",
            "Why?",
            "why can't you",
            "How come?",
            "what's the reason",
        ] {
            assert!(asks_why(why), "{why}");
        }
        for other in [
            "why is it so cold",
            "open the trunk",
            "why not open the window",
        ] {
            assert!(!asks_why(other), "{other}");
        }
    }

    #[test]
    fn a_seat_added_to_a_request_for_the_whole_car_is_told() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let plan = |text: &str| language.parse_plan(text).expect("a plan");
        for seat in [
            "and the passenger side too",
            "the back as well",
            "for everyone",
        ] {
            assert!(only_names_a_seat(seat), "{seat}");
        }
        for other in [
            "and the fan too",
            "the passenger window too",
            "and",
            "warmer",
        ] {
            assert!(!only_names_a_seat(other), "{other}");
        }
        let whole = |text: &str| sets_only_for_the_whole_car(&plan(text), &language);
        assert!(whole("set ac all on"));
        assert!(whole("set ac all on ; set recirculation all on"));
        assert!(!whole("set ac all on ; set temperature my 20"));
        assert!(!whole("answer ac all"));
        assert!(!whole("set fan my up"));
    }

    #[test]
    fn a_correction_that_names_another_thing_replaces_the_last_one() {
        let language = Language::reference(&vehicle::reference::catalog()).expect("functions");
        let plan = |text: &str| language.parse_plan(text).expect("a plan");
        for names in [
            "no, the sunroof",
            "I meant the hazard lights",
            "wrong one, the trunk",
        ] {
            assert!(only_names_a_thing(names), "{names}");
        }
        for says in ["no, close the sunroof", "no, not so loud", "no, 22", "no"] {
            assert!(!only_names_a_thing(says), "{says}");
        }
        let other = |model: &str, last: &str| names_other_things(&plan(model), &plan(last));
        assert!(other("set sunroof all 0", "set window my max"));
        assert!(!other("set window passenger max", "set window my max"));
        assert!(!other(
            "set sunroof all 0 ; set window my 0",
            "set window my max"
        ));
        assert!(!other("answer sunroof all", "set window my max"));
        let kin =
            |model: &str, last: &str| of_the_last_family(&plan(model), &plan(last), &language);
        assert!(kin("set hazards all on", "set fog_lights all on"));
        assert!(kin(
            "set sunroof all max",
            "set window my max ; set trunk all on"
        ));
        assert!(!kin("set volume all down", "set window my max"));
        assert!(!kin("set trunk all on", "set lock all on"));
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
