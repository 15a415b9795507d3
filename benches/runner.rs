//! Overhead of the runner and statistics per trial, with trials that cost nothing:
//! what is left is blocks, accumulators and merges.
//!
//! `cargo bench --bench runner`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use drsim::model::units::{HOUR, MINUTE};
use drsim::run::runner::Runner;
use drsim::run::stats::{Limits, ObjectiveLimits, OutcomeStats};
use drsim::sim::trial::TrialOutcome;

const DISASTERS: usize = 7;
const TRIALS: u64 = 200_000;

/// Spread-out times up to about a day, cheap to compute, depending only on the trial.
fn fake(trial: u64) -> TrialOutcome {
    let spread = trial.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 37; // up to ~1.3e8 ms
    TrialOutcome {
        disaster: (trial % DISASTERS as u64) as usize,
        rto: (!spread.is_multiple_of(50)).then_some(spread),
        rto_at: [None; drsim::model::MAX_RTO_THRESHOLDS],
        detected: Some(MINUTE),
        decided: Some(2 * MINUTE),
        rpo: Some(spread / 16),
        first_success: Some(spread / 2),
        full_capacity: Some(spread + MINUTE),
        outage: spread / 2,
        events: 100,
        failback: None,
        unneeded_failover: false,
        failed_steps: drsim::sim::trial::FailedSteps::NONE,
    }
}

fn run(c: &mut Criterion) {
    let limits = Limits {
        objectives: vec![
            ObjectiveLimits {
                rto: HOUR,
                rpo: 15 * MINUTE,
                clock: drsim::model::Clock::Disaster,
            };
            DISASTERS
        ],
        ..Limits::default()
    };
    let mut group = c.benchmark_group("runner");
    group.throughput(Throughput::Elements(TRIALS));
    group.sample_size(10);
    for threads in [1, 0] {
        let runner = Runner::new(threads).unwrap();
        let name = format!("{}_threads", runner.threads());
        group.bench_function(name, |b| {
            b.iter(|| {
                runner.run(
                    0..TRIALS,
                    || fake,
                    || OutcomeStats::new(DISASTERS, limits.clone()),
                    |_| {},
                )
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // No HTML plots: they need a system font, and the figures are what we quote.
    config = Criterion::default().without_plots();
    targets = run
}
criterion_main!(benches);
