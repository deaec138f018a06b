//! Generated car-cabin noise, to measure how speech recognition holds up in a moving car
//! without recordings of one (none with a licence we could ship were found).

/// Car-cabin noise: a low rumble (brown noise, as tyres and engine make) plus some hiss.
/// The same `seed` gives the same noise, so that a measurement repeats.
pub fn cabin_noise(samples: usize, seed: u64) -> Vec<f32> {
    // xorshift64: a fixed, seedable sequence; the noise only needs to be broadband and
    // repeatable, not cryptographic, so it is not worth a dependency.
    let mut state = seed.max(1);
    let mut white = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f32 / (1u64 << 53) as f32 * 2.0 - 1.0
    };
    let mut brown = 0.0f32;
    (0..samples)
        .map(|_| {
            brown = (brown + 0.02 * white()).clamp(-1.0, 1.0) * 0.998;
            brown * 0.8 + white() * 0.05
        })
        .collect()
}

/// `speech` with `noise` added at a signal-to-noise ratio of `snr_db` (power over the whole
/// clip); the result is as long as the shorter of the two.
pub fn mix_at_snr(speech: &[f32], noise: &[f32], snr_db: f32) -> Vec<f32> {
    let power = |x: &[f32]| x.iter().map(|s| s * s).sum::<f32>() / x.len().max(1) as f32;
    let noise_power = power(noise);
    if noise_power == 0.0 {
        return speech.to_vec();
    }
    let gain = (power(speech) / noise_power / 10f32.powf(snr_db / 10.0)).sqrt();
    speech
        .iter()
        .zip(noise)
        .map(|(s, n)| s + gain * n)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn power(x: &[f32]) -> f32 {
        x.iter().map(|s| s * s).sum::<f32>() / x.len() as f32
    }

    #[test]
    fn noise_is_mixed_at_the_asked_ratio() {
        let tone: Vec<f32> = (0..16_000).map(|i| (i as f32 * 0.05).sin() * 0.3).collect();
        let noise = cabin_noise(tone.len(), 3);
        let mixed = mix_at_snr(&tone, &noise, 10.0);
        let added: Vec<f32> = mixed.iter().zip(&tone).map(|(m, t)| m - t).collect();
        let snr = 10.0 * (power(&tone) / power(&added)).log10();
        assert!((snr - 10.0).abs() < 0.01, "{snr}");
    }

    #[test]
    fn the_same_seed_gives_the_same_noise_and_another_seed_other_noise() {
        assert_eq!(cabin_noise(1000, 5), cabin_noise(1000, 5));
        assert_ne!(cabin_noise(1000, 5), cabin_noise(1000, 6));
        assert!(cabin_noise(1000, 0).iter().any(|s| *s != 0.0));
    }
}
