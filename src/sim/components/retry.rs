//! Attempts of a recovery step that can fail ([`StepFailure`]): each attempt fails
//! independently with the step's probability and is retried after `retry_after`, until
//! one succeeds or the step's `max_attempts` have failed.
//!
//! The attempts are drawn when the step starts, so a step with failures costs no extra
//! events: a step that never fails (probability 0, the default) draws exactly what it
//! drew before failures existed.

use rand::Rng;

use crate::model::units::format_duration;
use crate::model::{Millis, StepFailure};
use crate::sim::trace::{Phase, Recorder};

/// How a step's attempts went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempts {
    /// From the step's start to the end of the attempt that succeeded; `None`: every
    /// attempt allowed failed and people gave up.
    pub took: Option<Millis>,
    /// When the last attempt started (0 when the first succeeded).
    pub last_start: Millis,
    /// Attempts that failed.
    pub failed: u32,
}

/// One failed attempt, in ms from the step's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailedAttempt {
    /// 1 for the first attempt.
    pub number: u32,
    /// When it started.
    pub start: Millis,
    /// When it failed.
    pub failed_at: Millis,
    /// When the next attempt starts (`None`: people give up).
    pub retry_at: Option<Millis>,
}

/// Draws the attempts of a step whose one attempt takes `duration` (a failed attempt
/// takes as long before it fails: a deploy that rolls back, or 0 for an API call
/// refused at once), calling `on_failure` for each failed one.
pub fn attempt<R: Rng + ?Sized>(
    failure: &StepFailure,
    rng: &mut R,
    mut duration: impl FnMut(&mut R) -> Millis,
    mut on_failure: impl FnMut(FailedAttempt),
) -> Attempts {
    let mut start = 0;
    let mut failed = 0;
    loop {
        let end = start + duration(rng);
        if !failure.fails(rng) {
            return Attempts {
                took: Some(end),
                last_start: start,
                failed,
            };
        }
        failed += 1;
        let give_up = failure.max_attempts.is_some_and(|max| failed >= max);
        let retry_at = (!give_up).then(|| end + failure.retry_after.sample(rng));
        on_failure(FailedAttempt {
            number: failed,
            start,
            failed_at: end,
            retry_at,
        });
        match retry_at {
            Some(next) => start = next,
            None => {
                return Attempts {
                    took: None,
                    last_start: start,
                    failed,
                };
            }
        }
    }
}

/// Records a failed attempt of step `what` that started at `now + attempt.start` on
/// the trace: the attempt, the wait before the retry, and a log line.
pub fn record(
    trace: &mut Recorder,
    now: Millis,
    phase: Phase,
    row: &str,
    what: impl FnOnce() -> String,
    attempt: FailedAttempt,
) {
    if !trace.is_on() {
        return;
    }
    let what = what();
    let n = attempt.number;
    let failed_at = now + attempt.failed_at;
    trace.span(
        phase,
        || row.into(),
        now + attempt.start,
        failed_at,
        || format!("{what}: attempt {n} fails"),
    );
    match attempt.retry_at {
        Some(retry_at) => {
            let wait = format_duration((retry_at - attempt.failed_at) as f64);
            trace.note(failed_at, None, || {
                format!("{what}: attempt {n} failed; retry in {wait}")
            });
            trace.span(
                phase,
                || row.into(),
                failed_at,
                now + retry_at,
                || format!("{what}: wait before retrying"),
            );
        }
        None => trace.note(failed_at, None, || {
            format!("{what}: attempt {n} failed; people give up")
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Dist;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn failing(probability: f64, max_attempts: Option<u32>) -> StepFailure {
        StepFailure {
            probability,
            retry_after: Dist::Fixed(100.0),
            max_attempts,
        }
    }

    /// Attempts of 10 ms, retried 100 ms after failing: k failures take 110 k + 10 ms,
    /// and the number of failures is geometric: P(k) = p^k (1 - p). With p = 0.3 over
    /// n = 40,000 draws each share is within 4 standard errors sqrt(P (1 - P) / n).
    #[test]
    fn failures_are_geometric_and_each_costs_an_attempt_and_a_wait() {
        let (p, n) = (0.3, 40_000);
        let failure = failing(p, None);
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut counts = [0u32; 4];
        for _ in 0..n {
            let a = attempt(&failure, &mut rng, |_| 10, |_| {});
            assert_eq!(a.took, Some(110 * Millis::from(a.failed) + 10));
            if (a.failed as usize) < counts.len() {
                counts[a.failed as usize] += 1;
            }
        }
        for (k, &count) in counts.iter().enumerate() {
            let exact = p.powi(k as i32) * (1.0 - p);
            let share = f64::from(count) / f64::from(n);
            let tol = 4.0 * (exact * (1.0 - exact) / f64::from(n)).sqrt();
            assert!(
                (share - exact).abs() < tol,
                "P({k} failures) {share} vs {exact}"
            );
        }
    }

    #[test]
    fn a_step_that_cannot_fail_draws_nothing() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut twin = rng.clone();
        let a = attempt(&StepFailure::NEVER, &mut rng, |_| 7, |_| panic!("failed"));
        assert_eq!(a.took, Some(7));
        assert_eq!(a.failed, 0);
        assert_eq!(rng.next_u64(), twin.next_u64());
    }

    #[test]
    fn people_give_up_after_the_last_attempt_allowed() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mut seen = Vec::new();
        let a = attempt(&failing(1.0, Some(3)), &mut rng, |_| 10, |f| seen.push(f));
        assert_eq!((a.took, a.failed), (None, 3));
        assert_eq!(seen.len(), 3);
        assert_eq!(seen[2].retry_at, None);
        assert_eq!((seen[1].start, seen[1].failed_at), (110, 120));
    }
}
