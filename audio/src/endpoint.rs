//! Endpointing: cutting a stream of 16 kHz audio into utterances.
//!
//! Hands-free, a neural voice activity detector (`earshot`, 16 ms frames) decides what is
//! speech; an utterance starts with some audio from before the first speech frame (pre-roll,
//! so the first syllable is not clipped), ends after a stretch of silence (hangover) or at a
//! maximum length, and is dropped if it is too short to be a word (a cough, a door). With
//! push-to-talk, everything between press and release is the utterance.
//!
//! Alongside the mono audio the capture layer may pass each chunk's energy per microphone
//! channel; the utterance carries the sum over its span, from which the speaking seat is
//! found ([`loudest_channel`]).

use std::collections::VecDeque;
use std::time::Duration;

use crate::file::SPEECH_RATE;

/// earshot's frame: 256 samples, 16 ms at 16 kHz.
const FRAME: usize = 256;
/// Frames quieter than this (-60 dBFS RMS) are never speech, whatever the detector says: it
/// is trained on real rooms, and scores digital silence and near-silence erratically.
const MIN_SPEECH_RMS: f32 = 0.001;

/// How utterances are cut.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EndpointConfig {
    /// Speech probability above which a frame is speech.
    pub threshold: f32,
    /// Audio kept from before speech starts.
    pub pre_roll: Duration,
    /// Silence that ends an utterance.
    pub hangover: Duration,
    /// Utterances shorter than this (speech frames only) are dropped.
    pub min_speech: Duration,
    /// An utterance is cut here even if the talking goes on.
    pub max_utterance: Duration,
}

impl EndpointConfig {
    /// For spoken commands: a 300 ms pre-roll, 700 ms of silence to end, at least 200 ms of
    /// speech, at most 15 s.
    pub fn for_commands() -> EndpointConfig {
        EndpointConfig {
            threshold: 0.5,
            pre_roll: Duration::from_millis(300),
            hangover: Duration::from_millis(700),
            min_speech: Duration::from_millis(200),
            max_utterance: Duration::from_secs(15),
        }
    }
}

/// Why an utterance ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndedBy {
    /// The speaker fell silent.
    Silence,
    /// It reached the maximum length.
    MaxLength,
    /// The push-to-talk button was released.
    Released,
    /// The input ended.
    EndOfInput,
    /// The words so far already made a complete request, so it ended before the full
    /// silence ([`Endpointer::end_now`]).
    Complete,
}

/// One stretch of speech.
#[derive(Clone, Debug, PartialEq)]
pub struct Utterance {
    /// 16 kHz mono samples, pre-roll included.
    pub samples: Vec<f32>,
    /// Where it starts in the stream.
    pub start: Duration,
    /// Where the speech ended (the end of speech, before the hangover's silence).
    pub end_of_speech: Duration,
    /// Why it ended.
    pub ended_by: EndedBy,
    /// Energy per microphone channel over its span (empty when the capture gave none).
    pub channel_energy: Vec<f32>,
}

/// What the endpointer noticed.
#[derive(Clone, Debug, PartialEq)]
pub enum EndpointEvent {
    /// Speech began (to stop a reply that is playing: barge-in).
    SpeechStarted {
        /// Where in the stream.
        at: Duration,
    },
    /// An utterance is complete.
    Utterance(Utterance),
}

enum State {
    Waiting,
    Speaking {
        samples: Vec<f32>,
        start: u64,
        speech_frames: usize,
        silent_frames: usize,
        last_speech_end: u64,
        energy: Vec<f32>,
        held: bool,
    },
}

/// Cuts a 16 kHz mono stream into utterances.
pub struct Endpointer {
    detector: Box<earshot::Detector>,
    config: EndpointConfig,
    pending: Vec<f32>,
    history: VecDeque<f32>,
    state: State,
    /// Samples seen so far, for timestamps.
    position: u64,
}

fn samples_for(duration: Duration) -> usize {
    (duration.as_secs_f64() * f64::from(SPEECH_RATE)) as usize
}

fn time_at(samples: u64) -> Duration {
    Duration::from_secs_f64(samples as f64 / f64::from(SPEECH_RATE))
}

impl Endpointer {
    /// A new endpointer.
    pub fn new(config: EndpointConfig) -> Endpointer {
        Endpointer {
            detector: earshot::Detector::default_boxed(),
            config,
            pending: Vec::with_capacity(FRAME),
            history: VecDeque::with_capacity(samples_for(config.pre_roll) + FRAME),
            state: State::Waiting,
            position: 0,
        }
    }

    /// Push-to-talk pressed: an utterance starts now, whatever the detector says.
    pub fn press(&mut self) -> Vec<EndpointEvent> {
        let mut events = Vec::new();
        match &mut self.state {
            State::Speaking { held, .. } => *held = true,
            State::Waiting => {
                self.start_speaking(true);
                events.push(EndpointEvent::SpeechStarted {
                    at: time_at(self.position),
                });
            }
        }
        events
    }

    /// Push-to-talk released: the utterance ends now.
    pub fn release(&mut self) -> Vec<EndpointEvent> {
        self.finish(EndedBy::Released).into_iter().collect()
    }

    /// The input ended: whatever was being said is an utterance.
    pub fn end_of_input(&mut self) -> Vec<EndpointEvent> {
        self.finish(EndedBy::EndOfInput).into_iter().collect()
    }

    /// The speech so far and how long the speaker has been silent, while an utterance is
    /// open (not held by push-to-talk) and has gone quiet: `(samples, end of speech, silence)`.
    /// A caller can transcribe it before the hangover runs out and, if the words are already
    /// a complete request, [`end_now`](Self::end_now).
    pub fn pause(&self) -> Option<(&[f32], Duration, Duration)> {
        match &self.state {
            State::Speaking {
                samples,
                silent_frames,
                last_speech_end,
                held: false,
                speech_frames,
                ..
            } if *silent_frames > 0 && *speech_frames > 0 => Some((
                samples,
                time_at(*last_speech_end),
                time_at((*silent_frames * FRAME) as u64),
            )),
            _ => None,
        }
    }

    /// The audio of the open utterance so far (pre-roll included), held by push-to-talk or
    /// not, once it has any speech: for showing the words as they are said.
    pub fn speech_so_far(&self) -> Option<&[f32]> {
        match &self.state {
            State::Speaking {
                samples,
                speech_frames,
                ..
            } if *speech_frames > 0 => Some(samples),
            _ => None,
        }
    }

    /// Ends the open utterance now ([`EndedBy::Complete`]).
    pub fn end_now(&mut self) -> Vec<EndpointEvent> {
        self.finish(EndedBy::Complete).into_iter().collect()
    }

    fn start_speaking(&mut self, held: bool) {
        let samples: Vec<f32> = self.history.iter().copied().collect();
        let start = self.position - samples.len() as u64;
        self.state = State::Speaking {
            samples,
            start,
            speech_frames: 0,
            silent_frames: 0,
            last_speech_end: self.position,
            energy: Vec::new(),
            held,
        };
    }

    fn finish(&mut self, ended_by: EndedBy) -> Option<EndpointEvent> {
        let State::Speaking {
            samples,
            start,
            speech_frames,
            last_speech_end,
            energy,
            held,
            ..
        } = std::mem::replace(&mut self.state, State::Waiting)
        else {
            return None;
        };
        self.history.clear();
        let speech = time_at((speech_frames * FRAME) as u64);
        if !held && speech < self.config.min_speech {
            return None;
        }
        Some(EndpointEvent::Utterance(Utterance {
            samples,
            start: time_at(start),
            end_of_speech: time_at(if held { self.position } else { last_speech_end }),
            ended_by,
            channel_energy: energy,
        }))
    }

    /// Feeds 16 kHz mono samples, with the chunk's energy per microphone channel if the
    /// capture measured it; returns what happened.
    pub fn push(&mut self, samples: &[f32], channel_energy: &[f32]) -> Vec<EndpointEvent> {
        let mut events = Vec::new();
        if let State::Speaking { energy, .. } = &mut self.state {
            if energy.len() < channel_energy.len() {
                energy.resize(channel_energy.len(), 0.0);
            }
            for (sum, e) in energy.iter_mut().zip(channel_energy) {
                *sum += e;
            }
        }
        for &sample in samples {
            self.pending.push(sample);
            if self.pending.len() == FRAME {
                let frame = std::mem::take(&mut self.pending);
                events.extend(self.frame(&frame));
                self.pending = frame;
                self.pending.clear();
            }
        }
        events
    }

    fn frame(&mut self, frame: &[f32]) -> Option<EndpointEvent> {
        let rms = (frame.iter().map(|s| s * s).sum::<f32>() / frame.len() as f32).sqrt();
        let is_speech =
            rms >= MIN_SPEECH_RMS && self.detector.predict_f32(frame) >= self.config.threshold;
        self.position += frame.len() as u64;
        let hangover_frames = samples_for(self.config.hangover).div_ceil(FRAME);
        let max_samples = samples_for(self.config.max_utterance);
        match &mut self.state {
            State::Waiting => {
                self.history.extend(frame);
                let keep = samples_for(self.config.pre_roll) + FRAME;
                while self.history.len() > keep {
                    self.history.pop_front();
                }
                if is_speech {
                    self.start_speaking(false);
                    if let State::Speaking {
                        speech_frames,
                        last_speech_end,
                        ..
                    } = &mut self.state
                    {
                        *speech_frames = 1;
                        *last_speech_end = self.position;
                    }
                    return Some(EndpointEvent::SpeechStarted {
                        at: time_at(self.position - frame.len() as u64),
                    });
                }
                None
            }
            State::Speaking {
                samples,
                speech_frames,
                silent_frames,
                last_speech_end,
                held,
                ..
            } => {
                samples.extend_from_slice(frame);
                if is_speech {
                    *speech_frames += 1;
                    *silent_frames = 0;
                    *last_speech_end = self.position;
                } else {
                    *silent_frames += 1;
                }
                if samples.len() >= max_samples {
                    return self.finish(EndedBy::MaxLength);
                }
                if !*held && *silent_frames >= hangover_frames {
                    return self.finish(EndedBy::Silence);
                }
                None
            }
        }
    }
}

/// How many 16 ms frames of `samples` (16 kHz mono) the voice detector scores at least
/// `threshold`.
pub fn voiced_frames(samples: &[f32], threshold: f32) -> usize {
    let mut detector = earshot::Detector::default_boxed();
    samples
        .chunks_exact(FRAME)
        .filter(|frame| detector.predict_f32(frame) >= threshold)
        .count()
}

/// The microphone channel that heard the most, and by how many decibels over the next: with
/// one microphone per seat zone, the speaking seat. `None` for a single channel or silence.
pub fn loudest_channel(channel_energy: &[f32]) -> Option<(usize, f32)> {
    if channel_energy.len() < 2 {
        return None;
    }
    let mut order: Vec<usize> = (0..channel_energy.len()).collect();
    order.sort_by(|&a, &b| channel_energy[b].total_cmp(&channel_energy[a]));
    let (first, second) = (channel_energy[order[0]], channel_energy[order[1]]);
    if first <= 0.0 {
        return None;
    }
    let margin = 10.0 * (first / second.max(1e-12)).log10();
    Some((order[0], margin))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn silence(seconds: f32) -> Vec<f32> {
        vec![0.0; (seconds * SPEECH_RATE as f32) as usize]
    }

    #[test]
    fn silence_makes_no_utterance() {
        let mut endpointer = Endpointer::new(EndpointConfig::for_commands());
        assert!(endpointer.push(&silence(3.0), &[]).is_empty());
        assert!(endpointer.end_of_input().is_empty());
    }

    #[test]
    fn push_to_talk_takes_everything_between_press_and_release() {
        let mut endpointer = Endpointer::new(EndpointConfig::for_commands());
        endpointer.push(&silence(0.5), &[]);
        assert!(matches!(
            endpointer.press()[..],
            [EndpointEvent::SpeechStarted { .. }]
        ));
        endpointer.push(&silence(1.0), &[1.0, 3.0]);
        let events = endpointer.release();
        let [EndpointEvent::Utterance(utterance)] = &events[..] else {
            panic!("{events:?}");
        };
        assert_eq!(utterance.ended_by, EndedBy::Released);
        // The pre-roll before the press comes along, then the second of held audio.
        assert!(
            utterance.samples.len() >= 16_000,
            "{}",
            utterance.samples.len()
        );
        assert_eq!(
            loudest_channel(&utterance.channel_energy).map(|(c, _)| c),
            Some(1)
        );
    }

    #[test]
    fn the_loudest_channel_names_the_seat() {
        let (channel, margin) = loudest_channel(&[0.1, 2.0, 0.2, 0.05]).unwrap();
        assert_eq!(channel, 1);
        assert!((margin - 10.0).abs() < 0.01);
        assert_eq!(loudest_channel(&[1.0]), None);
        assert_eq!(loudest_channel(&[0.0, 0.0]), None);
    }
}
