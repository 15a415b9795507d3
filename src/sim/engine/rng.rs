//! Per-trial random numbers.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The generator every trial draws from.
pub type TrialRng = ChaCha8Rng;

/// The generator of trial `trial` under `seed`: a ChaCha8 keyed by the seed, on its own
/// stream per trial. It depends on nothing else (not the thread, the batch or the shard),
/// which is what makes results identical whatever the thread count or sharding.
pub fn trial_rng(seed: u64, trial: u64) -> TrialRng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(trial);
    rng
}

/// A second generator of trial `trial` under `seed`, for draws that must not shift the
/// trial's own stream (so switching such a mechanism on changes no other draw): the
/// same stream, 2^64 words ahead (a trial never draws that many).
pub fn side_rng(seed: u64, trial: u64) -> TrialRng {
    let mut rng = trial_rng(seed, trial);
    rng.set_word_pos(1 << 64);
    rng
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn same_seed_and_trial_give_the_same_stream() {
        assert_eq!(trial_rng(1, 5).next_u64(), trial_rng(1, 5).next_u64());
    }

    #[test]
    fn the_side_stream_is_not_the_trial_stream() {
        let mut side = side_rng(1, 5);
        let mut main = trial_rng(1, 5);
        let first = side.next_u64();
        assert!((0..1000).all(|_| main.next_u64() != first));
        assert_eq!(first, side_rng(1, 5).next_u64());
    }

    #[test]
    fn trials_and_seeds_give_different_streams() {
        let first = trial_rng(1, 5).next_u64();
        assert_ne!(first, trial_rng(1, 6).next_u64());
        assert_ne!(first, trial_rng(2, 5).next_u64());
    }
}
