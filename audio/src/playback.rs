//! Playback through the default output with rodio: replies and earcons queue up on one
//! player, and `stop` silences it at once (barge-in: the user speaks or presses the mic).

use std::num::NonZero;
use std::path::Path;

use rodio::Player;
use rodio::buffer::SamplesBuffer;
use rodio::stream::{DeviceSinkBuilder, MixerDeviceSink};

/// Why sound cannot be played.
#[derive(Debug, thiserror::Error)]
pub enum PlaybackError {
    /// No output device could be opened.
    #[error("no audio output could be opened ({0}); write to a file instead")]
    NoOutput(String),
}

/// The loudspeaker.
pub struct Speaker {
    // Kept alive for the player: dropping it closes the output stream.
    _sink: MixerDeviceSink,
    player: Player,
}

impl Speaker {
    /// Opens the default output device.
    pub fn open_default() -> Result<Speaker, PlaybackError> {
        let mut sink = crate::alsa_log::quietly(DeviceSinkBuilder::open_default_sink)
            .map_err(|e| PlaybackError::NoOutput(e.to_string()))?;
        // rodio prints to stderr when the sink is dropped; cockpit reports on its own.
        sink.log_on_drop(false);
        let player = Player::connect_new(sink.mixer());
        Ok(Speaker {
            _sink: sink,
            player,
        })
    }

    /// Queues mono samples at `sample_rate` behind whatever is playing.
    pub fn play(&self, samples: &[f32], sample_rate: u32) {
        let (Some(rate), Some(mono)) = (NonZero::new(sample_rate), NonZero::new(1u16)) else {
            return;
        };
        self.player
            .append(SamplesBuffer::new(mono, rate, samples.to_vec()));
        self.player.play();
    }

    /// Stops at once and drops everything queued.
    pub fn stop(&self) {
        self.player.clear();
    }

    /// Whether anything is still to be heard.
    pub fn is_playing(&self) -> bool {
        !self.player.empty()
    }

    /// Blocks until everything queued has played.
    pub fn wait_until_done(&self) {
        self.player.sleep_until_end();
    }
}

/// The short sounds that tell the user what happened without words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Earcon {
    /// Listening started: a rising pair.
    ListeningStarted,
    /// Listening stopped: a falling pair.
    ListeningStopped,
    /// Done: a bright chord.
    Done,
    /// Refused: a low double buzz.
    Refused,
}

/// The rate earcons are made at.
pub const EARCON_RATE: u32 = 22_050;

impl Earcon {
    /// The sound, as mono samples at [`EARCON_RATE`].
    pub fn samples(self) -> Vec<f32> {
        match self {
            Earcon::ListeningStarted => {
                [tone(&[660.0], 0.07, 0.0), tone(&[880.0], 0.09, 0.0)].concat()
            }
            Earcon::ListeningStopped => {
                [tone(&[880.0], 0.07, 0.0), tone(&[660.0], 0.09, 0.0)].concat()
            }
            Earcon::Done => tone(&[1046.5, 1318.5, 1568.0], 0.22, 0.0),
            Earcon::Refused => [
                tone(&[220.0], 0.11, 0.35),
                silence(0.06),
                tone(&[196.0], 0.14, 0.35),
            ]
            .concat(),
        }
    }

    /// Writes the earcon to a WAV file.
    pub fn write_wav(self, path: &Path) -> Result<(), crate::file::AudioFileError> {
        crate::file::write_wav(path, &self.samples(), EARCON_RATE)
    }
}

fn silence(seconds: f32) -> Vec<f32> {
    vec![0.0; (seconds * EARCON_RATE as f32) as usize]
}

/// A chord of sine partials with a quick attack and an exponential decay; `grit` adds odd
/// harmonics for the buzzier refusal.
fn tone(frequencies: &[f32], seconds: f32, grit: f32) -> Vec<f32> {
    let n = (seconds * EARCON_RATE as f32) as usize;
    let attack = (0.005 * EARCON_RATE as f32) as usize;
    (0..n)
        .map(|i| {
            let t = i as f32 / EARCON_RATE as f32;
            let envelope = (i as f32 / attack as f32).min(1.0) * (-4.0 * t / seconds).exp();
            let mut value = 0.0;
            for &f in frequencies {
                let phase = std::f32::consts::TAU * f * t;
                value +=
                    phase.sin() + grit * ((3.0 * phase).sin() / 3.0 + (5.0 * phase).sin() / 5.0);
            }
            0.5 * envelope * value / frequencies.len() as f32
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earcons_are_short_audible_and_distinct() {
        let all = [
            Earcon::ListeningStarted,
            Earcon::ListeningStopped,
            Earcon::Done,
            Earcon::Refused,
        ];
        for earcon in all {
            let samples = earcon.samples();
            let seconds = samples.len() as f32 / EARCON_RATE as f32;
            assert!(
                (0.1..0.4).contains(&seconds),
                "{earcon:?} lasts {seconds} s"
            );
            let peak = samples.iter().fold(0f32, |m, s| m.max(s.abs()));
            assert!((0.2..=1.0).contains(&peak), "{earcon:?} peaks at {peak}");
        }
        assert_ne!(
            Earcon::ListeningStarted.samples(),
            Earcon::ListeningStopped.samples()
        );
    }
}
