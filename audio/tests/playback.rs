//! Barge-in on the real playback path: rodio and cpal on ALSA's `file` plugin (no sound card
//! here), which writes whatever is played into a file. A reply that is stopped the moment the
//! user speaks must stop there, and the speaker must play the next reply afterwards.
//!
//! This file holds one test: it points HOME at its own `.asoundrc`, which is process-wide.

use std::time::{Duration, Instant};

use audio::playback::Speaker;

#[test]
fn stopping_a_reply_cuts_it_off_and_the_speaker_plays_on() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("out.raw");
    std::fs::write(
        home.path().join(".asoundrc"),
        format!(
            "pcm.!default {{\n    type file\n    slave.pcm \"null\"\n    file \"{}\"\n    format \"raw\"\n}}\n",
            out.display()
        ),
    )
    .unwrap();
    // SAFETY: this binary runs this one test, and no other thread reads the environment yet.
    unsafe { std::env::set_var("HOME", home.path()) };

    let speaker = Speaker::open_default().expect("ALSA's file device opens");
    let rate = 16_000;
    // Two minutes of a quiet tone: the null device is not paced, so unstopped it would be
    // written out in well under a second; stopped at once, a small part of it is.
    let reply: Vec<f32> = (0..rate * 120)
        .map(|i| 0.1 * (i as f32 * 0.05).sin())
        .collect();
    speaker.play(&reply, rate as u32);
    speaker.stop();
    assert!(!speaker.is_playing(), "nothing is left to play after stop");
    std::thread::sleep(Duration::from_millis(300));
    // The device runs on, writing silence; what counts is how much of the reply reached it.
    let after_stop = heard(&out);
    // The whole reply is at least as many samples on the device (its rate is 16 kHz or more).
    let whole = reply.len();
    assert!(
        after_stop < whole / 4,
        "{after_stop} samples heard of a reply of at least {whole}"
    );

    speaker.play(&reply[..rate as usize / 2], rate as u32);
    let started = Instant::now();
    speaker.wait_until_done();
    assert!(started.elapsed() < Duration::from_secs(10));
    let after_next = heard(&out);
    assert!(
        after_next >= after_stop + rate as usize / 2,
        "the next reply plays after a stop"
    );
}

/// Samples that are not silence in what the device wrote (the stream opens as f32).
fn heard(path: &std::path::Path) -> usize {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes
        .chunks_exact(4)
        .filter(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]).abs() > 1e-6)
        .count()
}
