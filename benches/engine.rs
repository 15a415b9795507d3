//! The engine alone: schedule + pop in the "hold" pattern of a trial (a few dozen
//! pending events, each handled one schedules the next at a random later time).
//!
//! `cargo bench --bench engine`; the figure to quote is elements/s (events per second).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use drsim::sim::engine::{Process, Scheduler, trial_rng};
use rand::Rng;
use std::hint::black_box;

/// An event the size of drsim's trial events (region, AZ, counters).
#[derive(Clone, Copy)]
struct Payload {
    _region: u16,
    _az: u16,
    _count: u32,
    _epoch: u32,
}

/// Re-schedules every event it handles at a pre-drawn delay, until `remaining` is spent.
struct Hold {
    delays: Vec<u64>,
    next: usize,
    remaining: u64,
}

impl Process<Payload> for Hold {
    fn handle(&mut self, event: Payload, s: &mut Scheduler<Payload>) {
        if self.remaining > 0 {
            self.remaining -= 1;
            let delay = self.delays[self.next & (self.delays.len() - 1)];
            self.next += 1;
            s.schedule_in(delay, black_box(event));
        }
    }
}

const EVENTS: u64 = 100_000;
const PENDING: usize = 32;

fn hold_model(c: &mut Criterion) {
    let mut rng = trial_rng(1, 0);
    // Delays like a trial's: milliseconds to hours, log-spread.
    let delays: Vec<u64> = (0..4096)
        .map(|_| (1 + (rng.next_u64() % 1_000_000_000)) >> (rng.next_u64() % 20))
        .collect();
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(EVENTS + PENDING as u64));
    group.bench_function("schedule_pop_hold_32", |b| {
        let mut scheduler = Scheduler::with_capacity(PENDING * 2);
        let mut process = Hold {
            delays: delays.clone(),
            next: 0,
            remaining: 0,
        };
        b.iter(|| {
            scheduler.reset();
            process.remaining = EVENTS;
            for &delay in &delays[..PENDING] {
                scheduler.schedule_at(
                    delay,
                    Payload {
                        _region: 0,
                        _az: 1,
                        _count: 2,
                        _epoch: 3,
                    },
                );
            }
            black_box(scheduler.run(&mut process, u64::MAX))
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // No HTML plots: they need a system font, and the figures are what we quote.
    config = Criterion::default().without_plots();
    targets = hold_model
}
criterion_main!(benches);
