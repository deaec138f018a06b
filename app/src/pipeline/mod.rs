//! The live pipeline: sound in, the car acted on, a reply spoken, every utterance journaled.
//!
//! ```text
//! Input ─▶ ears (endpointer) ─▶ Whisper ─▶ agent (model, policy, bus) ─▶ voice ─▶ journal
//!            │ speech started: barge-in stops the voice            every stage ─▶ Event
//! ```
//!
//! Each stage is a task (Whisper and speech synthesis run on the blocking pool, the
//! loudspeaker on a thread of its own) joined to the next by a bounded channel, so a slow stage holds back only the stages after
//! it. The ears never wait on Whisper: with live input an utterance that finds Whisper still
//! busy with [`UTTERANCE_QUEUE`] others is dropped and reported, rather than stalling capture;
//! with a file (`lossless`) the file waits instead. When the input ends, each stage finishes
//! what it holds and closes the next, so every utterance heard reaches the journal.

pub mod journal;

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use audio::capture::AudioChunk;
use audio::endpoint::{
    EndedBy, EndpointConfig, EndpointEvent, Endpointer, Utterance, loudest_channel,
};
use audio::file::SPEECH_RATE;
use audio::playback::Speaker;
use audio::tts::Voice;
use audio::whisper::{Transcriber, Transcript};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use ui::SharedFocus;
use vehicle::Seat;
use vehicle::transport::LogRecord;

use crate::agent::{Agent, Turn, answered_by_its_words, seat_word, yes_or_no};
use crate::lm::{Context, Engine, Statement};
use journal::{Entry, Journal, Timings};

/// Utterances waiting for Whisper.
pub const UTTERANCE_QUEUE: usize = 2;
/// Audio chunks waiting for the endpointer: two seconds of 10 ms chunks.
pub const INPUT_QUEUE: usize = 200;
/// Events waiting for whoever shows them; level updates are dropped when it is full.
const EVENT_QUEUE: usize = 256;
/// How often the input level is reported.
const LEVEL_EVERY: Duration = Duration::from_millis(100);
/// See [`Config::early_pause`]: ten of the voice detector's 16 ms frames. Shorter pauses
/// happen inside sentences; a request cut there is usually incomplete ("set the
/// temperature…" asks back), and those wait for the full hangover.
pub const EARLY_PAUSE: Duration = Duration::from_millis(160);
/// See [`Config::early_judge`]: five voice frames. Whisper takes longer than the rest of the
/// early pause, so starting it here puts its work inside the silence that must pass anyway.
pub const EARLY_JUDGE: Duration = Duration::from_millis(80);
/// A yes or a no ends after this much silence, not [`EARLY_PAUSE`]: people pause after
/// "yes," before "please" or "go ahead" (about 220 ms in the demo's recording), and a "please"
/// heard on its own is no request.
pub const ANSWER_PAUSE: Duration = Duration::from_millis(320);
/// Pauses judged at once at most: a speaker who stops and starts again leaves judges of
/// earlier pauses running, and each takes Whisper's threads.
const JUDGES_AT_ONCE: usize = 2;

/// What goes into the pipeline.
#[derive(Clone, Debug)]
pub enum Input {
    /// Audio, 16 kHz mono, with the energy of each microphone channel.
    Audio(AudioChunk),
    /// The push-to-talk button went down: an utterance starts now, whatever the level.
    Press,
    /// The push-to-talk button came up: the utterance ends now.
    Release,
    /// A request typed (or tapped out) instead of spoken, from a seat: it skips the ears and
    /// Whisper and goes to the same agent.
    Text(String, Seat),
    /// News from the source for whoever shows the events (the microphone opened, was lost):
    /// passed on as [`Event::Notice`] or, when `problem`, [`Event::Problem`].
    Report {
        /// What happened.
        text: String,
        /// Something is wrong (as opposed to news).
        problem: bool,
    },
    /// The source ended: what is being said ends here, and the pipeline winds down.
    End,
}

/// What the pipeline tells the dashboard or the terminal.
#[derive(Clone, Debug)]
pub enum Event {
    /// Speech began, `at_s` seconds into the session; a reply being spoken stops.
    SpeechStarted {
        /// Audio time.
        at_s: f64,
    },
    /// The input level, 0 to 1, about ten times a second.
    Level(f32),
    /// The words of the utterance still being spoken, as recognised so far (with
    /// [`Config::interim_every`], and at pauses judged for early ending). The final words
    /// come with [`Event::Heard`].
    Hearing(String),
    /// An utterance was transcribed.
    Heard {
        /// The utterance.
        id: u64,
        /// Who spoke.
        seat: Seat,
        /// What Whisper heard (empty: nothing).
        text: String,
    },
    /// The agent acted and answered.
    Answered {
        /// The utterance.
        id: u64,
        /// Who spoke.
        seat: Seat,
        /// The turn.
        turn: Box<Turn>,
    },
    /// The utterance is finished with: spoken back and journaled.
    Finished(Box<Entry>),
    /// Something failed that the pipeline carries on without.
    Problem(String),
    /// News from the source (the microphone opened).
    Notice(String),
}

/// How the pipeline listens.
#[derive(Clone, Debug)]
pub struct Config {
    /// The seat of a single microphone, or of a channel `seats` does not name.
    pub seat: Seat,
    /// The seat of each microphone channel, in order (empty: one microphone, `seat`).
    pub seats: Vec<Seat>,
    /// Never drop an utterance: the input waits for Whisper instead (files, not microphones).
    pub lossless: bool,
    /// Speak the replies on the default loudspeaker (they are synthesized either way, when a
    /// voice is given).
    pub speak: bool,
    /// The endpointer's settings.
    pub endpoint: EndpointConfig,
    /// What the user is looking at, read at each turn: the dashboard's screen and the control
    /// last touched on it (without a dashboard, the home screen and nothing touched).
    pub focus: SharedFocus,
    /// After this much silence the words so far are transcribed at once, and if they already
    /// make a complete request the utterance ends without waiting out the endpointer's
    /// hangover (with [`Parts::early`]).
    pub early_pause: Duration,
    /// After this much silence the judging starts (no later than `early_pause`); a complete
    /// request still ends only once `early_pause` has passed.
    pub early_judge: Duration,
    /// While someone speaks, the words so far are transcribed about this often (of audio)
    /// and shown ([`Event::Hearing`]); none: only at pauses. Each costs a Whisper run on the
    /// speech so far, so it suits a live screen, not a batch.
    pub interim_every: Option<Duration>,
}

impl Config {
    /// One microphone at `seat`, live.
    pub fn new(seat: Seat) -> Config {
        Config {
            seat,
            seats: Vec::new(),
            lossless: false,
            speak: false,
            endpoint: EndpointConfig::for_commands(),
            focus: SharedFocus::default(),
            early_pause: EARLY_PAUSE,
            early_judge: EARLY_JUDGE,
            interim_every: None,
        }
    }
}

/// What the pipeline runs on.
pub struct Parts {
    /// The agent, with its car.
    pub agent: Agent,
    /// Whisper.
    pub transcriber: Arc<Transcriber>,
    /// The voice for replies (none: replies are shown, not spoken).
    pub voice: Option<Voice>,
    /// The session journal (none: not written).
    pub journal: Option<Journal>,
    /// A second copy of the language model, to judge whether the words heard so far are
    /// already a complete request (none: every utterance waits out the hangover).
    pub early: Option<Engine>,
}

/// A running pipeline.
pub struct Pipeline {
    input: mpsc::Sender<Input>,
    events: mpsc::Receiver<Event>,
    tasks: Vec<JoinHandle<()>>,
}

/// An utterance on its way through, with the clock readings the journal needs.
struct Spoken {
    id: u64,
    seat: Seat,
    utterance: Utterance,
    /// Wall-clock time the voice stopped: when the endpointer decided, less the silence
    /// it waited for (in audio time).
    end_of_speech: Instant,
    endpoint_ms: f64,
    /// The barge-in count when it ended: a later count means someone spoke since.
    barge_ins: u64,
    /// Its transcript when it was made early, during the pause that ended it, or typed.
    transcript: Option<Transcript>,
    /// Where its words came from.
    source: Source,
}

/// Where an utterance's words came from.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Source {
    Heard,
    Typed,
    /// Asked for earlier, for a set time from now, and due now.
    AskedEarlier,
}

impl Spoken {
    /// A request typed (or asked for earlier and due now), `at` into the session's audio:
    /// its words come with it, and its speech ends as it is handed on.
    fn typed(id: u64, seat: Seat, text: String, at: Duration, barge_ins: u64) -> Spoken {
        Spoken {
            id,
            seat,
            utterance: Utterance {
                samples: Vec::new(),
                start: at,
                end_of_speech: at,
                ended_by: EndedBy::EndOfInput,
                channel_energy: Vec::new(),
            },
            end_of_speech: Instant::now(),
            endpoint_ms: 0.0,
            barge_ins,
            transcript: Some(Transcript {
                text,
                no_speech_probability: 0.0,
                empty_because: None,
                audio_seconds: 0.0,
                audio_context: 0,
                whisper_ms: 0.0,
            }),
            source: Source::Typed,
        }
    }
}

struct Heard {
    spoken: Spoken,
    transcript: Result<Transcript, String>,
    transcript_ms: f64,
}

struct Answer {
    heard: Heard,
    turn: Option<Turn>,
    error: Option<String>,
    plan_ms: Option<f64>,
    first_frame_ms: Option<f64>,
    confirmed_ms: Option<f64>,
}

fn samples_for(duration: Duration) -> usize {
    (duration.as_secs_f64() * f64::from(SPEECH_RATE)) as usize
}

fn ms_since(start: Instant, now: Instant) -> f64 {
    now.saturating_duration_since(start).as_secs_f64() * 1000.0
}

impl Pipeline {
    /// Starts every stage on the current tokio runtime.
    pub fn start(parts: Parts, config: Config) -> Pipeline {
        let (input, input_rx) = mpsc::channel(INPUT_QUEUE);
        let (events, events_rx) = mpsc::channel(EVENT_QUEUE);
        let (spoken_tx, spoken_rx) = mpsc::channel(UTTERANCE_QUEUE);
        let (heard_tx, heard_rx) = mpsc::channel(UTTERANCE_QUEUE);
        let (answer_tx, answer_rx) = mpsc::channel(UTTERANCE_QUEUE);
        let (entry_tx, entry_rx) = mpsc::channel(UTTERANCE_QUEUE);
        let counts = Counts {
            barge_ins: Arc::new(AtomicU64::new(0)),
            ids: Arc::new(AtomicU64::new(1)),
        };
        let barge_ins = counts.barge_ins.clone();
        let last_turn = Arc::new(std::sync::Mutex::new(LastTurn::default()));
        let mut tasks = vec![
            tokio::spawn(ears(
                input_rx,
                spoken_tx,
                events.clone(),
                counts.clone(),
                config.clone(),
                parts.early.map(|engine| Early {
                    engine: Arc::new(std::sync::Mutex::new(engine)),
                    transcriber: parts.transcriber.clone(),
                    last_turn: last_turn.clone(),
                }),
                parts.transcriber.clone(),
            )),
            tokio::spawn(transcribe(
                spoken_rx,
                heard_tx,
                events.clone(),
                parts.transcriber,
            )),
            tokio::spawn(act(
                heard_rx,
                answer_tx,
                events.clone(),
                parts.agent,
                config.focus.clone(),
                last_turn,
                Later {
                    counts,
                    started: Instant::now(),
                },
            )),
            tokio::spawn(keep(entry_rx, events.clone(), parts.journal)),
        ];
        tasks.push(tokio::spawn(speak_replies(
            answer_rx,
            entry_tx,
            events.clone(),
            parts.voice,
            config.speak,
            barge_ins,
        )));
        Pipeline {
            input,
            events: events_rx,
            tasks,
        }
    }

    /// Where sound goes in.
    pub fn input(&self) -> mpsc::Sender<Input> {
        self.input.clone()
    }

    /// The next event; `None` once the input has ended and every utterance is journaled.
    pub async fn next_event(&mut self) -> Option<Event> {
        self.events.recv().await
    }

    /// Ends the input (if no feeder did) and waits for the stages to finish, returning the
    /// events not yet read.
    pub async fn finish(mut self) -> Vec<Event> {
        let _ = self.input.send(Input::End).await;
        drop(self.input);
        let mut rest = Vec::new();
        while let Some(event) = self.events.recv().await {
            rest.push(event);
        }
        for task in self.tasks {
            let _ = task.await;
        }
        rest
    }
}

/// Feeds 16 kHz audio, one `Vec` per microphone channel, in 10 ms chunks, then
/// [`Input::End`]: a recording that is the whole session.
pub async fn feed_samples(input: &mpsc::Sender<Input>, channels: &[Vec<f32>], paced: bool) {
    if feed_audio(input, channels, paced).await {
        let _ = input.send(Input::End).await;
    }
}

/// Feeds 16 kHz audio, one `Vec` per microphone channel, in 10 ms chunks, leaving the session
/// open. Paced, it takes as long as the audio lasts, as a microphone would deliver it;
/// unpaced, as long as the pipeline takes to accept it. False when the pipeline has closed.
pub async fn feed_audio(input: &mpsc::Sender<Input>, channels: &[Vec<f32>], paced: bool) -> bool {
    let chunk = SPEECH_RATE as usize / 100;
    let frames = channels.iter().map(Vec::len).min().unwrap_or(0);
    let started = tokio::time::Instant::now();
    for (n, at) in (0..frames).step_by(chunk).enumerate() {
        if paced {
            tokio::time::sleep_until(started + Duration::from_millis(10 * n as u64)).await;
        }
        let end = (at + chunk).min(frames);
        let mut samples = vec![0.0f32; end - at];
        let mut channel_energy = Vec::with_capacity(channels.len());
        for channel in channels {
            let piece = &channel[at..end];
            for (mixed, s) in samples.iter_mut().zip(piece) {
                *mixed += s / channels.len() as f32;
            }
            channel_energy.push(piece.iter().map(|s| s * s).sum());
        }
        let chunk = AudioChunk {
            samples,
            channel_energy,
        };
        if input.send(Input::Audio(chunk)).await.is_err() {
            return false;
        }
    }
    true
}

/// What the ears need to end an utterance early: Whisper and a language model of their own.
struct Early {
    engine: Arc<std::sync::Mutex<Engine>>,
    transcriber: Arc<Transcriber>,
    /// What the agent remembers of the last turn (set by `act` after each one), so that a
    /// follow-up is judged as the agent will read it.
    last_turn: Arc<std::sync::Mutex<LastTurn>>,
}

/// The part of the dialogue that decides whether words are a whole request.
#[derive(Clone)]
struct LastTurn {
    /// The previous plan, as the model reads it.
    prev: String,
    /// The agent waits for a yes or a no: then a plain "yes" or "no" is the whole answer,
    /// and waiting out the silence after it would only delay what it confirms.
    asking: bool,
    /// When the agent forgets both (tokio's clock, which tests pause).
    until: Option<tokio::time::Instant>,
}

impl LastTurn {
    /// What is still remembered at `now`.
    fn at(&self, now: tokio::time::Instant) -> LastTurn {
        if self.until.is_some_and(|until| now <= until) {
            self.clone()
        } else {
            LastTurn::default()
        }
    }
}

impl Default for LastTurn {
    fn default() -> LastTurn {
        LastTurn {
            prev: "none".into(),
            asking: false,
            until: None,
        }
    }
}

/// The early transcript of the speech up to `speech_end`, and whether it is a whole request.
struct EarlyResult {
    speech_end: Duration,
    transcript: Transcript,
    complete: Completeness,
}

/// What the words heard so far are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Completeness {
    /// Not a whole request (or nothing): the utterance waits out the hangover.
    Partial,
    /// A whole request: it ends after [`Config::early_pause`].
    Request,
    /// A yes or no to the agent's question: it ends after [`ANSWER_PAUSE`].
    Answer,
}

impl Completeness {
    /// The silence after which an utterance of this kind ends; none: the hangover's.
    fn pause(self, config: &Config) -> Option<Duration> {
        match self {
            Completeness::Partial => None,
            Completeness::Request => Some(config.early_pause),
            Completeness::Answer => Some(config.early_pause.max(ANSWER_PAUSE)),
        }
    }
}

impl Early {
    /// Transcribes `samples` and asks the model whether they are a complete request: a plan
    /// it is sure of that sets, answers, undoes or cancels (not one that asks back, or none),
    /// words the agent answers by its own reading, or a yes or no while the agent waits for
    /// one.
    fn judge(
        &self,
        samples: Vec<f32>,
        speech_end: Duration,
        seat: Seat,
        now: tokio::time::Instant,
    ) -> Option<EarlyResult> {
        let transcript = self.transcriber.transcribe(&samples).ok()?;
        if transcript.text.is_empty() {
            return Some(EarlyResult {
                speech_end,
                transcript,
                complete: Completeness::Partial,
            });
        }
        let last = self
            .last_turn
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .at(now);
        let context = Context {
            seat: seat_word(seat).into(),
            prev: last.prev,
            ..Context::default()
        };
        let mut engine = self.engine.lock().unwrap_or_else(|e| e.into_inner());
        let decoded = engine.plan(&transcript.text, &context).ok()?;
        let statements = &decoded.plan.statements;
        let sure = decoded.confidence >= engine.spec().confidence_threshold;
        let request = statements.iter().all(|s| {
            matches!(
                s,
                Statement::Set { .. }
                    | Statement::Answer { .. }
                    | Statement::Undo
                    | Statement::Cancel
            )
        });
        // A plain yes or no answers a question whatever the model reads (as the agent takes it).
        let plain_answer = last.asking && yes_or_no(&transcript.text).is_some();
        let answer = last.asking
            && statements
                .iter()
                .all(|s| matches!(s, Statement::Yes | Statement::No));
        let complete = if plain_answer {
            Completeness::Answer
        } else if answered_by_its_words(&transcript.text) {
            Completeness::Request
        } else if !sure || statements.is_empty() {
            Completeness::Partial
        } else if request {
            Completeness::Request
        } else if answer {
            Completeness::Answer
        } else {
            Completeness::Partial
        };
        Some(EarlyResult {
            speech_end,
            transcript,
            complete,
        })
    }
}

/// The endpointer: audio in, utterances out, barge-in and level on the side. During a pause
/// it has the words so far transcribed and judged (see [`Config::early_pause`]).
async fn ears(
    mut input: mpsc::Receiver<Input>,
    spoken: mpsc::Sender<Spoken>,
    events: mpsc::Sender<Event>,
    counts: Counts,
    config: Config,
    early: Option<Early>,
    transcriber: Arc<Transcriber>,
) {
    let Counts { barge_ins, ids } = counts;
    let early = early.map(Arc::new);
    let (early_tx, mut early_rx) = mpsc::channel::<EarlyResult>(1);
    // Interim words: one Whisper run at a time, each tagged with the utterance it is of (a
    // count of utterances started) so that words of one already ended are not shown.
    let (interim_tx, mut interim_rx) = mpsc::channel::<(u64, String)>(1);
    let mut interim_running = false;
    let mut interim_done_at = 0usize;
    let mut utterances_started = 0u64;
    // The pause being judged (by where its speech ended), and a transcript judged already.
    let mut judging: Option<Duration> = None;
    let mut judged: Option<(Duration, Transcript)> = None;
    // A pause judged complete before its pause had passed (where its speech ended, and the
    // silence it needs): it ends when it has.
    let mut complete_at: Option<(Duration, Duration)> = None;
    let judges = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut endpointer = Endpointer::new(config.endpoint);
    let mut samples_in: u64 = 0;
    let mut level_samples: Vec<f32> = Vec::new();
    loop {
        let item = tokio::select! {
            item = input.recv() => match item {
                Some(item) => Some(item),
                None => return,
            },
            Some(result) = early_rx.recv() => {
                // Still the same pause, nothing said since: keep the transcript, and end
                // the utterance now if it is complete.
                let pause = endpointer.pause().map(|(_, end, silence)| (end, silence));
                let same = pause.is_some_and(|(end, _)| end == result.speech_end);
                let needed = result.complete.pause(&config).filter(|_| same);
                if let Some(needed) = needed
                    && pause.is_some_and(|(_, silence)| silence < needed)
                {
                    complete_at = Some((result.speech_end, needed));
                }
                if same {
                    if !result.transcript.text.is_empty() {
                        let _ = events.try_send(Event::Hearing(result.transcript.text.clone()));
                    }
                    judged = Some((result.speech_end, result.transcript));
                }
                if needed.is_none() || complete_at.is_some_and(|(end, _)| end == result.speech_end) {
                    continue;
                }
                None
            }
            Some((of, text)) = interim_rx.recv() => {
                interim_running = false;
                if of == utterances_started && endpointer.speech_so_far().is_some() && !text.is_empty() {
                    // Shown, not kept: a screen may skip one when it falls behind.
                    let _ = events.try_send(Event::Hearing(text));
                }
                continue;
            }
        };
        let mut ended = false;
        let mut found = match item {
            None => endpointer.end_now(),
            Some(Input::Audio(chunk)) => {
                samples_in += chunk.samples.len() as u64;
                level_samples.extend_from_slice(&chunk.samples);
                if level_samples.len() as f64 >= LEVEL_EVERY.as_secs_f64() * f64::from(SPEECH_RATE)
                {
                    let rms = (level_samples.iter().map(|s| s * s).sum::<f32>()
                        / level_samples.len() as f32)
                        .sqrt();
                    level_samples.clear();
                    // A level meter, not a measurement: dropped when nobody keeps up.
                    let _ = events.try_send(Event::Level((rms * 4.0).min(1.0)));
                }
                endpointer.push(&chunk.samples, &chunk.channel_energy)
            }
            Some(Input::Text(text, seat)) => {
                let at = Duration::from_secs_f64(samples_in as f64 / f64::from(SPEECH_RATE));
                let item = Spoken::typed(
                    ids.fetch_add(1, Ordering::SeqCst),
                    seat,
                    text,
                    at,
                    barge_ins.load(Ordering::SeqCst),
                );
                // Typing waits for the stages: a person at a screen can wait, and a typed
                // request must not be lost.
                if spoken.send(item).await.is_err() {
                    return;
                }
                continue;
            }
            Some(Input::Report { text, problem }) => {
                let event = if problem {
                    Event::Problem(text)
                } else {
                    Event::Notice(text)
                };
                let _ = events.send(event).await;
                continue;
            }
            Some(Input::Press) => endpointer.press(),
            Some(Input::Release) => endpointer.release(),
            Some(Input::End) => {
                ended = true;
                endpointer.end_of_input()
            }
        };
        if let Some((end, needed)) = complete_at
            && let Some((_, speech_end, silence)) = endpointer.pause()
            && speech_end == end
            && silence >= needed
        {
            complete_at = None;
            found.extend(endpointer.end_now());
        }
        if let Some(early) = &early
            && let Some((samples, speech_end, silence)) = endpointer.pause()
            && silence >= config.early_judge.min(config.early_pause)
            && judging != Some(speech_end)
            && judges.load(Ordering::SeqCst) < JUDGES_AT_ONCE
        {
            judging = Some(speech_end);
            let (early, samples, results) = (early.clone(), samples.to_vec(), early_tx.clone());
            let seat = config.seat;
            judges.fetch_add(1, Ordering::SeqCst);
            let judges = judges.clone();
            let now = tokio::time::Instant::now();
            tokio::task::spawn_blocking(move || {
                if let Some(result) = early.judge(samples, speech_end, seat, now) {
                    let _ = results.blocking_send(result);
                }
                judges.fetch_sub(1, Ordering::SeqCst);
            });
        }
        // Not during a pause long enough to be judged: the early judge is transcribing then,
        // and two Whisper runs at once would slow the one that may end the utterance.
        if let Some(every) = config.interim_every
            && !interim_running
            && endpointer
                .pause()
                .is_none_or(|(_, _, silence)| silence < config.early_judge)
            && let Some(samples) = endpointer.speech_so_far()
            && samples.len() >= interim_done_at + samples_for(every)
        {
            interim_running = true;
            interim_done_at = samples.len();
            let (transcriber, samples, results) =
                (transcriber.clone(), samples.to_vec(), interim_tx.clone());
            let of = utterances_started;
            tokio::task::spawn_blocking(move || {
                let text = transcriber
                    .transcribe(&samples)
                    .map(|t| t.text)
                    .unwrap_or_default();
                let _ = results.blocking_send((of, text));
            });
        }
        for event in found {
            match event {
                EndpointEvent::SpeechStarted { at } => {
                    utterances_started += 1;
                    interim_done_at = 0;
                    barge_ins.fetch_add(1, Ordering::SeqCst);
                    let _ = events.try_send(Event::SpeechStarted {
                        at_s: at.as_secs_f64(),
                    });
                }
                EndpointEvent::Utterance(utterance) => {
                    let heard_until =
                        Duration::from_secs_f64(samples_in as f64 / f64::from(SPEECH_RATE));
                    let waited = heard_until.saturating_sub(utterance.end_of_speech);
                    let now = Instant::now();
                    let seat = match loudest_channel(&utterance.channel_energy) {
                        Some((channel, _)) if !config.seats.is_empty() => {
                            config.seats.get(channel).copied().unwrap_or(config.seat)
                        }
                        _ => config.seat,
                    };
                    let transcript = judged
                        .take()
                        .filter(|(end, _)| *end == utterance.end_of_speech)
                        .map(|(_, t)| t);
                    let item = Spoken {
                        id: ids.fetch_add(1, Ordering::SeqCst),
                        seat,
                        utterance,
                        end_of_speech: now.checked_sub(waited).unwrap_or(now),
                        endpoint_ms: waited.as_secs_f64() * 1000.0,
                        barge_ins: barge_ins.load(Ordering::SeqCst),
                        transcript,
                        source: Source::Heard,
                    };
                    if config.lossless {
                        if spoken.send(item).await.is_err() {
                            return;
                        }
                    } else if let Err(mpsc::error::TrySendError::Full(item)) = spoken.try_send(item)
                    {
                        let _ = events.try_send(Event::Problem(format!(
                            "utterance {} dropped: still transcribing {UTTERANCE_QUEUE} before it",
                            item.id
                        )));
                    }
                }
            }
        }
        if ended {
            return;
        }
    }
}

/// Whisper, on the blocking pool so the runtime's threads stay free for the bus.
async fn transcribe(
    mut spoken: mpsc::Receiver<Spoken>,
    heard: mpsc::Sender<Heard>,
    events: mpsc::Sender<Event>,
    transcriber: Arc<Transcriber>,
) {
    while let Some(mut item) = spoken.recv().await {
        let transcript = match item.transcript.take() {
            Some(early) => Ok(early),
            None => {
                let transcriber = transcriber.clone();
                let samples = std::mem::take(&mut item.utterance.samples);
                match tokio::task::spawn_blocking(move || transcriber.transcribe(&samples)).await {
                    Ok(Ok(transcript)) => Ok(transcript),
                    Ok(Err(e)) => Err(e.to_string()),
                    Err(e) => Err(format!("Whisper stopped: {e}")),
                }
            }
        };
        let transcript_ms = ms_since(item.end_of_speech, Instant::now());
        match &transcript {
            Ok(t) => {
                let _ = events
                    .send(Event::Heard {
                        id: item.id,
                        seat: item.seat,
                        text: t.text.clone(),
                    })
                    .await;
            }
            Err(e) => {
                let _ = events
                    .send(Event::Problem(format!("utterance {}: {e}", item.id)))
                    .await;
            }
        }
        let item = Heard {
            spoken: item,
            transcript,
            transcript_ms,
        };
        if heard.send(item).await.is_err() {
            return;
        }
    }
}

/// The agent's turn for each transcript; silence and noise get no turn. While a turn waits
/// for the car (a window takes seconds to open), what is heard next is read already: a
/// "stop" acts at once ([`Brake`](crate::agent::Brake)); anything else waits its turn.
async fn act(
    mut heard: mpsc::Receiver<Heard>,
    answers: mpsc::Sender<Answer>,
    events: mpsc::Sender<Event>,
    mut agent: Agent,
    focus: SharedFocus,
    last_turn: Arc<std::sync::Mutex<LastTurn>>,
    later: Later,
) {
    let brake = agent.brake();
    let mut waiting: VecDeque<Heard> = VecDeque::new();
    let mut more = true;
    loop {
        let item = match waiting.pop_front() {
            Some(item) => item,
            None if more => {
                let due = agent.next_due();
                tokio::select! {
                    next = heard.recv() => match next {
                        Some(item) => item,
                        None => return not_done(&agent, &events).await,
                    },
                    // What was asked for later ("in ten minutes"), when nothing is being said.
                    () = tokio::time::sleep_until(due.unwrap_or_else(tokio::time::Instant::now)),
                        if due.is_some() =>
                    {
                        if let Some((seat, result)) = agent.run_due().await {
                            later.answer(seat, result, &events, &answers).await;
                            *last_turn.lock().unwrap_or_else(|e| e.into_inner()) = LastTurn {
                                prev: agent.previous_plan().to_owned(),
                                asking: agent.is_asking(),
                                until: agent.remembers_until(),
                            };
                        }
                        continue;
                    }
                }
            }
            None => return not_done(&agent, &events).await,
        };
        let began = ms_since(item.spoken.end_of_speech, Instant::now());
        let Some(text) = words(&item) else {
            if answers.send(answer(item, None, None, began)).await.is_err() {
                return;
            }
            continue;
        };
        let seat = item.spoken.seat;
        // A "stop" for what a touch set moving.
        if let Some(turn) = brake.stop(&text, seat, false).await {
            send_turn(&events, &answers, item, turn, None, began).await;
            continue;
        }
        agent.set_heard(item.spoken.source == Source::Heard);
        let looking_at = focus.get();
        let result = {
            let turn = agent.turn_on_screen(&text, seat, &looking_at);
            tokio::pin!(turn);
            loop {
                tokio::select! {
                    result = &mut turn => break result,
                    // Read ahead only a little, so that the queue stays bounded.
                    next = heard.recv(), if more && waiting.len() < UTTERANCE_QUEUE => match next {
                        None => more = false,
                        Some(next) => {
                            let began = ms_since(next.spoken.end_of_speech, Instant::now());
                            let stopping = match words(&next) {
                                // Quiet: the turn it stops says where things stopped.
                                Some(text) => brake.stop(&text, next.spoken.seat, true).await,
                                None => None,
                            };
                            match stopping {
                                Some(stop) => {
                                    send_turn(&events, &answers, next, stop, None, began).await
                                }
                                None => waiting.push_back(next),
                            }
                        }
                    },
                }
            }
        };
        let (turn, error) = match result {
            Ok(turn) => match agent.model_problem().map(str::to_owned) {
                // Answered with an apology: the model could not be loaded (again).
                Some(problem) => {
                    let _ = events
                        .send(Event::Problem(format!(
                            "utterance {}: {problem}",
                            item.spoken.id
                        )))
                        .await;
                    (Some(turn), Some(problem))
                }
                None => (Some(turn), None),
            },
            Err(e) => {
                let _ = events
                    .send(Event::Problem(format!("utterance {}: {e}", item.spoken.id)))
                    .await;
                (None, Some(e.to_string()))
            }
        };
        *last_turn.lock().unwrap_or_else(|e| e.into_inner()) = LastTurn {
            prev: agent.previous_plan().to_owned(),
            asking: agent.is_asking(),
            until: agent.remembers_until(),
        };
        match turn {
            Some(turn) => send_turn(&events, &answers, item, turn, error, began).await,
            None => {
                if answers
                    .send(answer(item, None, error, began))
                    .await
                    .is_err()
                {
                    return;
                }
            }
        }
        if answers.is_closed() {
            return;
        }
    }
}

/// Says what was asked for later and will not be done, as the session ends: nothing keeps it
/// past the session (by the next one the car may be somewhere else, with someone else in it).
async fn not_done(agent: &Agent, events: &mpsc::Sender<Event>) {
    let waiting = agent.schedule().waiting();
    if waiting.is_empty() {
        return;
    }
    let what: Vec<String> = waiting
        .iter()
        .map(|w| match w.on_stop {
            true => format!("{} (when the car stops)", w.what),
            false => format!("{} (due in {} s)", w.what, w.due_in.as_secs()),
        })
        .collect();
    let notice = format!("not done, as the session ended: {}", what.join("; "));
    tracing::warn!("{notice}");
    let _ = events.send(Event::Notice(notice)).await;
}

/// Counts the stages share.
#[derive(Clone)]
struct Counts {
    /// Times someone started speaking: a reply asked for before the latest is not spoken over
    /// them.
    barge_ins: Arc<AtomicU64>,
    /// The next utterance id: the ears number what is said and typed, the agent what was
    /// asked for later when its time comes.
    ids: Arc<AtomicU64>,
}

/// What the agent needs to journal, show and speak a request asked for later when its time
/// comes, as if it had just been typed.
struct Later {
    counts: Counts,
    /// When the session began: the audio clock of a live session, near enough.
    started: Instant,
}

impl Later {
    async fn answer(
        &self,
        seat: Seat,
        result: Result<Turn, crate::lm::EngineError>,
        events: &mpsc::Sender<Event>,
        answers: &mpsc::Sender<Answer>,
    ) {
        let at = self.started.elapsed();
        let (text, turn, error) = match result {
            Ok(turn) => (turn.transcript.clone(), Some(turn), None),
            Err(e) => (String::new(), None, Some(e.to_string())),
        };
        let id = self.counts.ids.fetch_add(1, Ordering::SeqCst);
        // Shown as what was asked, as a typed request is.
        let _ = events
            .send(Event::Heard {
                id,
                seat,
                text: text.clone(),
            })
            .await;
        let barge_ins = self.counts.barge_ins.load(Ordering::SeqCst);
        let mut spoken = Spoken::typed(id, seat, text, at, barge_ins);
        spoken.source = Source::AskedEarlier;
        let item = Heard {
            transcript: spoken.transcript.take().ok_or_else(String::new),
            spoken,
            transcript_ms: 0.0,
        };
        match turn {
            Some(turn) => send_turn(events, answers, item, turn, None, 0.0).await,
            None => {
                let _ = answers.send(answer(item, None, error, 0.0)).await;
            }
        }
    }
}

/// What was said, when anything was: silence and noise transcribe to nothing.
fn words(item: &Heard) -> Option<String> {
    match &item.transcript {
        Ok(t) if !t.text.is_empty() => Some(t.text.clone()),
        _ => None,
    }
}

/// Shows a turn and hands it on to be spoken and journaled; `error` and `began` as for
/// [`answer`].
async fn send_turn(
    events: &mpsc::Sender<Event>,
    answers: &mpsc::Sender<Answer>,
    item: Heard,
    turn: Turn,
    error: Option<String>,
    began: f64,
) {
    let _ = events
        .send(Event::Answered {
            id: item.spoken.id,
            seat: item.spoken.seat,
            turn: Box::new(turn.clone()),
        })
        .await;
    let _ = answers.send(answer(item, Some(turn), error, began)).await;
}

/// The answer to `item`, with what went wrong if anything did, its timings counted from the
/// end of speech: `began` is when its turn began, in milliseconds after the end of speech.
fn answer(item: Heard, turn: Option<Turn>, error: Option<String>, began: f64) -> Answer {
    let since_speech = |ms: Option<f64>| ms.map(|ms| began + ms);
    Answer {
        plan_ms: since_speech(turn.as_ref().map(|t| t.plan_ms)),
        first_frame_ms: since_speech(turn.as_ref().and_then(|t| t.first_frame_ms)),
        confirmed_ms: since_speech(turn.as_ref().and_then(|t| t.settled_ms)),
        heard: item,
        turn,
        error,
    }
}

/// Synthesizes each reply (on the blocking pool) and has it played, stopping when someone
/// starts speaking; then hands the finished entry to the journal.
async fn speak_replies(
    mut answers: mpsc::Receiver<Answer>,
    entries: mpsc::Sender<Entry>,
    events: mpsc::Sender<Event>,
    voice: Option<Voice>,
    speak: bool,
    barge_ins: Arc<AtomicU64>,
) {
    let voice = voice.map(Arc::new);
    let player = match (&voice, speak) {
        (Some(_), true) => Player::start(barge_ins.clone())
            .map_err(|e| {
                let _ = events.try_send(Event::Problem(format!(
                    "replies are shown but not spoken: {e}"
                )));
            })
            .ok(),
        _ => None,
    };
    while let Some(answer) = answers.recv().await {
        let eos = answer.heard.spoken.end_of_speech;
        let said_at = answer.heard.spoken.barge_ins;
        let reply = answer
            .turn
            .as_ref()
            .map(|t| t.reply.clone())
            .unwrap_or_default();
        let mut reply_audio_ms = None;
        let mut reply_done_ms = None;
        let mut interrupted = false;
        let mut error = answer.error.clone();
        let spoken_over = || barge_ins.load(Ordering::SeqCst) != said_at;
        if let Some(voice) = voice.clone().filter(|_| !reply.is_empty()) {
            if spoken_over() {
                // Someone is already speaking again: the reply would talk over them.
                interrupted = true;
            } else {
                let text = reply.clone();
                match tokio::task::spawn_blocking(move || voice.synthesize(&text)).await {
                    Ok(Ok(speech)) => {
                        reply_audio_ms = Some(ms_since(eos, Instant::now()));
                        if let Some(player) = &player {
                            interrupted = player
                                .play(speech.samples, speech.sample_rate, said_at)
                                .await;
                        }
                        reply_done_ms = Some(ms_since(eos, Instant::now()));
                    }
                    failed => {
                        let reason = match failed {
                            Ok(Err(e)) => e.to_string(),
                            Err(e) => e.to_string(),
                            Ok(Ok(_)) => String::new(),
                        };
                        let message = format!("the reply could not be spoken: {reason}");
                        let _ = events.send(Event::Problem(message.clone())).await;
                        error.get_or_insert(message);
                    }
                }
            }
        }
        let entry = entry(answer, reply_audio_ms, reply_done_ms, interrupted, error);
        if entries.send(entry).await.is_err() {
            return;
        }
    }
}

/// The loudspeaker, on a thread of its own: its output stream stays on the thread that opened
/// it. It plays one reply at a time and stops when someone starts speaking.
struct Player {
    requests: std::sync::mpsc::Sender<(Vec<f32>, u32, u64, tokio::sync::oneshot::Sender<bool>)>,
}

impl Player {
    fn start(barge_ins: Arc<AtomicU64>) -> Result<Player, String> {
        let (requests, incoming) =
            std::sync::mpsc::channel::<(Vec<f32>, u32, u64, tokio::sync::oneshot::Sender<bool>)>();
        let (opened, opening) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("cockpit-speaker".into())
            .spawn(move || {
                let speaker = match Speaker::open_default() {
                    Ok(speaker) => {
                        let _ = opened.send(Ok(()));
                        speaker
                    }
                    Err(e) => {
                        let _ = opened.send(Err(e.to_string()));
                        return;
                    }
                };
                for (samples, rate, said_at, done) in incoming {
                    speaker.play(&samples, rate);
                    let mut interrupted = false;
                    while speaker.is_playing() {
                        if barge_ins.load(Ordering::SeqCst) != said_at {
                            speaker.stop();
                            interrupted = true;
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    let _ = done.send(interrupted);
                }
            })
            .map_err(|e| format!("cannot start the speaker thread: {e}"))?;
        opening
            .recv()
            .map_err(|_| "the speaker thread ended".to_owned())??;
        Ok(Player { requests })
    }

    /// Plays `samples`; true when someone spoke over it (after `said_at` barge-ins) and it
    /// was cut off.
    async fn play(&self, samples: Vec<f32>, rate: u32, said_at: u64) -> bool {
        let (done, finished) = tokio::sync::oneshot::channel();
        if self.requests.send((samples, rate, said_at, done)).is_err() {
            return false;
        }
        finished.await.unwrap_or(false)
    }
}

fn entry(
    answer: Answer,
    reply_audio_ms: Option<f64>,
    reply_done_ms: Option<f64>,
    interrupted: bool,
    error: Option<String>,
) -> Entry {
    let Answer {
        heard,
        turn,
        plan_ms,
        first_frame_ms,
        confirmed_ms,
        ..
    } = answer;
    let spoken = heard.spoken;
    let (transcript, no_speech, whisper_ms, error) = match heard.transcript {
        Ok(t) => (t.text, t.no_speech_probability, t.whisper_ms, error),
        Err(e) => (String::new(), 0.0, 0.0, Some(e)),
    };
    let frames = turn
        .as_ref()
        .map(|t| {
            t.frames
                .iter()
                .map(|f| {
                    LogRecord {
                        timestamp_us: f.timestamp_us,
                        interface: "cockpit".into(),
                        frame: f.frame,
                    }
                    .to_string()
                })
                .collect()
        })
        .unwrap_or_default();
    let ended_by = match spoken.source {
        Source::Typed => "typed".to_owned(),
        Source::AskedEarlier => "asked_earlier".to_owned(),
        Source::Heard => serde_json::to_value(spoken.utterance.ended_by)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
    };
    Entry {
        id: spoken.id,
        seat: spoken.seat,
        speech_start_s: spoken.utterance.start.as_secs_f64(),
        speech_end_s: spoken.utterance.end_of_speech.as_secs_f64(),
        ended_by,
        transcript,
        no_speech_probability: no_speech,
        whisper_ms,
        plan: turn
            .as_ref()
            .map_or_else(|| "none".into(), |t| t.plan.clone()),
        confidence: turn.as_ref().map_or(0.0, |t| t.confidence),
        reply: turn.as_ref().map(|t| t.reply.clone()).unwrap_or_default(),
        understood: turn.as_ref().is_some_and(|t| t.understood),
        refused: turn.as_ref().is_some_and(|t| t.refused),
        changes: turn.as_ref().map(|t| t.changes.clone()).unwrap_or_default(),
        outcomes: turn.map(|t| t.outcomes).unwrap_or_default(),
        frames,
        timings: Timings {
            endpoint_ms: spoken.endpoint_ms,
            transcript_ms: heard.transcript_ms,
            plan_ms,
            first_frame_ms,
            confirmed_ms,
            reply_audio_ms,
            reply_done_ms,
        },
        interrupted,
        error,
    }
}

/// Writes the journal; a failed write is reported once and the session goes on.
async fn keep(
    mut entries: mpsc::Receiver<Entry>,
    events: mpsc::Sender<Event>,
    mut journal: Option<Journal>,
) {
    let mut failed = false;
    while let Some(entry) = entries.recv().await {
        if let Some(journal) = journal.as_mut()
            && let Err(e) = journal.write(&entry)
            && !failed
        {
            failed = true;
            let _ = events.send(Event::Problem(e.to_string())).await;
        }
        if events.send(Event::Finished(Box::new(entry))).await.is_err() {
            return;
        }
    }
}
