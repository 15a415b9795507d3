//! A whole run of the bundled warm-standby scenario: load once, then simulate and fold
//! the trials into the statistics, on 1 and 2 threads.
//!
//! `cargo bench --bench run`; the figure to quote is elements/s (trials per second) and
//! the ratio between the two thread counts. `dns_bound` runs only the disasters that
//! move clients between DNS answers (`-- dns_bound` to run it alone).

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use drsim::model::DisasterKind;
use drsim::model::load::load_model;
use drsim::run::simulate::{RunSettings, simulate};
use std::hint::black_box;

const TRIALS: u64 = 200_000;

fn warm_standby(c: &mut Criterion) {
    let mut model = load_model(Path::new("scenarios/warm-standby.toml")).expect("bundled scenario");
    model.simulation.trials = TRIALS;
    let mut group = c.benchmark_group("run");
    group.throughput(Throughput::Elements(TRIALS));
    group.sample_size(10);
    for threads in [1, 2] {
        let settings = RunSettings {
            threads,
            trials_csv: None,
            trials: 0..TRIALS,
        };
        group.bench_function(format!("warm_standby_{threads}_threads"), |b| {
            b.iter(|| black_box(simulate(&model, &settings, |_| {}).expect("run")))
        });
    }
    group.finish();
}

/// A DNS-bound run: the bundled warm-standby scenario with only its region outages and
/// database failovers (the disasters that move clients between answers, some of them
/// twice), 5% of clients ignoring the TTL (the default). One thread: trials per second of
/// the simulation where the client-cache maths (`clients::time_to_move`) is hottest.
fn dns_bound(c: &mut Criterion) {
    const DNS_TRIALS: u64 = 50_000;
    let mut model = load_model(Path::new("scenarios/warm-standby.toml")).expect("bundled scenario");
    model.disasters.retain(|d| {
        matches!(
            d.kind,
            DisasterKind::RegionOutage | DisasterKind::DbPrimaryFailure
        )
    });
    assert_eq!(model.disasters.len(), 2, "warm-standby has both disasters");
    if let Some(dns) = &mut model.routing.dns {
        dns.honour_share = 0.95;
    }
    model.simulation.trials = DNS_TRIALS;
    let settings = RunSettings {
        threads: 1,
        trials_csv: None,
        trials: 0..DNS_TRIALS,
    };
    let mut group = c.benchmark_group("run");
    group.throughput(Throughput::Elements(DNS_TRIALS));
    group.sample_size(10);
    group.bench_function("dns_bound_warm_standby_1_thread", |b| {
        b.iter(|| black_box(simulate(&model, &settings, |_| {}).expect("run")))
    });
    group.finish();
}

/// Events per second of the trials themselves (no statistics): the simulation's own rate.
fn trial_events(c: &mut Criterion) {
    let model = load_model(Path::new("scenarios/warm-standby.toml")).expect("bundled scenario");
    let mut sim = drsim::sim::trial::TrialSimulator::new(&model);
    let events: u64 = (0..10_000).map(|t| sim.run(t).events).sum();
    let mut group = c.benchmark_group("trial");
    group.throughput(Throughput::Elements(events));
    group.bench_function("warm_standby_10k_trials_events", |b| {
        b.iter(|| {
            (0..10_000)
                .map(|t| black_box(sim.run(t)).events)
                .sum::<u64>()
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // No HTML plots: they need a system font, and the figures are what we quote.
    config = Criterion::default().without_plots();
    targets = warm_standby, dns_bound, trial_events
}
criterion_main!(benches);
