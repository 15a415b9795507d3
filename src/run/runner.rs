//! The generic Monte Carlo runner: trials in parallel, results folded in trial order.
//!
//! It knows nothing of clouds or disasters. A *worker* turns a trial index into an
//! outcome; an [`Accumulator`] folds outcomes. Trials are grouped into blocks of a fixed
//! size aligned on the absolute trial index ([`BLOCK_SIZE`]); a block is the unit of
//! parallel work. Each rayon task folds a run of consecutive blocks, in order, into one
//! accumulator (with one worker), and the tasks' accumulators are merged in block order.
//! There are a few tasks per thread.
//!
//! Why this shape:
//! - A worker's outcome depends only on the trial index (each trial seeds its own random
//!   stream), and blocks never depend on the thread count, so which thread ran a trial
//!   cannot show in the result.
//! - Merges happen in trial order (the grouping may differ with the thread count, never
//!   the order), so an associative merge gives the same result for any thread count; the
//!   statistics' merge is exact, hence associative.
//! - One accumulator per task, not per block: a fresh statistics accumulator (dozens of
//!   histograms) and its merge cost about 3 ms, i.e. 3 us per trial of a 1024-trial
//!   block, more than the runner's whole budget (benches/runner.rs).
//! - A range of trials, not a count, so a run can be split into shards (`[0, k)` on one
//!   machine, `[k, n)` on another) whose accumulators merge into the whole run's.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

/// Trials per block. Fixed (never derived from the thread count) so that a block, and so
/// the grouping of trials, is the same on every machine.
pub const BLOCK_SIZE: u64 = 1024;

/// Runs of blocks (rayon tasks) per thread in a wave.
const TASKS_PER_THREAD: usize = 4;

/// Folds the outcomes of trials, and merges with the accumulator of later trials.
///
/// `merge` must be associative (merging `a` with `b` then `c` equals merging `a` with
/// the merge of `b` and `c`); it need not be commutative, since merges follow trial order.
pub trait Accumulator<T>: Send {
    /// Adds the outcome of trial `trial`.
    fn record(&mut self, trial: u64, outcome: &T);
    /// Appends `later`, the accumulator of trials that all come after this one's.
    fn merge(&mut self, later: Self);
}

/// Two accumulators fed the same outcomes (e.g. statistics and per-trial rows).
impl<T, A: Accumulator<T>, B: Accumulator<T>> Accumulator<T> for (A, B) {
    fn record(&mut self, trial: u64, outcome: &T) {
        self.0.record(trial, outcome);
        self.1.record(trial, outcome);
    }

    fn merge(&mut self, later: Self) {
        self.0.merge(later.0);
        self.1.merge(later.1);
    }
}

/// Runs trials on a pool of threads.
pub struct Runner {
    pool: rayon::ThreadPool,
    block_size: u64,
    tasks_per_thread: usize,
}

impl Runner {
    /// A runner on `threads` threads; 0 means one per logical core.
    pub fn new(threads: usize) -> Result<Self, rayon::ThreadPoolBuildError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("drsim-trial-{i}"))
            .build()?;
        Ok(Runner {
            pool,
            block_size: BLOCK_SIZE,
            tasks_per_thread: TASKS_PER_THREAD,
        })
    }

    /// The same runner with `tasks` runs of blocks per thread and run (at least 1). Runs
    /// side by side on one pool balance each other, so each needs fewer tasks, and each
    /// task fewer costs a fresh accumulator and a merge. Results do not change: merges
    /// are exact and follow trial order.
    pub fn with_tasks_per_thread(mut self, tasks: usize) -> Self {
        self.tasks_per_thread = tasks.max(1);
        self
    }

    /// The same runner with another block size (at least 1). Results of runs with
    /// different block sizes may differ where merges are not exact; tests use small
    /// blocks to exercise block boundaries.
    pub fn with_block_size(mut self, block_size: u64) -> Self {
        self.block_size = block_size.max(1);
        self
    }

    /// Runs `f` on the pool: parallel work inside it (such as several runs side by
    /// side) shares the pool's threads with the trials of each run.
    pub fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        self.pool.install(f)
    }

    /// Number of threads in the pool.
    pub fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// Runs `trials` and returns the merge of all their outcomes.
    ///
    /// `make_worker` and `make_acc` are called once per rayon task (a run of consecutive
    /// blocks); the worker must give an outcome that depends only on the trial index.
    /// `progress` is called with the number of trials done so far, from worker threads,
    /// after each block.
    pub fn run<T, W, A>(
        &self,
        trials: Range<u64>,
        make_worker: impl Fn() -> W + Sync + Send,
        make_acc: impl Fn() -> A + Sync + Send,
        progress: impl Fn(u64) + Sync + Send,
    ) -> A
    where
        W: FnMut(u64) -> T + Send,
        A: Accumulator<T>,
    {
        let mut total = make_acc();
        let all = usize::MAX;
        let Ok(()) = self.run_waves(trials, all, make_worker, &make_acc, progress, |wave| {
            total.merge(wave);
            Ok::<(), std::convert::Infallible>(())
        });
        total
    }

    /// Runs `trials` in waves of `wave_blocks` blocks and hands `sink` the accumulator of
    /// each wave, in trial order, as the waves complete. The first error of `sink` stops
    /// the run.
    ///
    /// This is how per-trial output is streamed: the accumulator holds a wave's rows and
    /// the sink writes them, so memory is bounded by a wave, not by the run. Each wave
    /// ends with all threads waiting for its last block: keep waves many blocks per
    /// thread long.
    pub fn run_waves<T, W, A, E>(
        &self,
        trials: Range<u64>,
        wave_blocks: usize,
        make_worker: impl Fn() -> W + Sync + Send,
        make_acc: impl Fn() -> A + Sync + Send,
        progress: impl Fn(u64) + Sync + Send,
        mut sink: impl FnMut(A) -> Result<(), E>,
    ) -> Result<(), E>
    where
        W: FnMut(u64) -> T + Send,
        A: Accumulator<T>,
    {
        let blocks = blocks(trials, self.block_size);
        let done = AtomicU64::new(0);
        for wave in blocks.chunks(wave_blocks.max(1)) {
            // Runs of consecutive blocks, a few per thread so that a slow run can be
            // balanced by the others; not one per block, since each run costs a fresh
            // accumulator and a merge.
            let tasks = self.threads() * self.tasks_per_thread;
            let task_blocks = wave.len().div_ceil(tasks).max(1);
            let acc = self.pool.install(|| {
                wave.par_chunks(task_blocks)
                    .map(|task| {
                        let mut worker = make_worker();
                        let mut acc = make_acc();
                        for block in task {
                            run_block(block.clone(), &mut worker, &mut acc);
                            let block_len = block.end - block.start;
                            progress(done.fetch_add(block_len, Ordering::Relaxed) + block_len);
                        }
                        acc
                    })
                    // An indexed parallel reduce combines neighbours only, left before
                    // right: the merge order is the block order.
                    .reduce_with(|mut left, right| {
                        left.merge(right);
                        left
                    })
            });
            if let Some(acc) = acc {
                sink(acc)?;
            }
        }
        Ok(())
    }
}

/// Folds one block of trials into `acc`.
fn run_block<T, W, A>(block: Range<u64>, worker: &mut W, acc: &mut A)
where
    W: FnMut(u64) -> T,
    A: Accumulator<T>,
{
    for trial in block {
        let outcome = worker(trial);
        acc.record(trial, &outcome);
    }
}

/// Splits `trials` at multiples of `block_size`: the blocks of a sub-range are pieces of
/// the blocks of the whole range, whatever the sub-range.
pub fn blocks(trials: Range<u64>, block_size: u64) -> Vec<Range<u64>> {
    let mut blocks = Vec::new();
    let mut start = trials.start;
    while start < trials.end {
        let boundary = (start / block_size + 1).saturating_mul(block_size);
        let end = boundary.min(trials.end);
        blocks.push(start..end);
        start = end;
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keeps every trial index in the order merged: any reordering shows.
    #[derive(Default, Debug, PartialEq)]
    struct Order(Vec<u64>);

    impl Accumulator<u64> for Order {
        fn record(&mut self, trial: u64, outcome: &u64) {
            assert_eq!(trial, *outcome);
            self.0.push(trial);
        }
        fn merge(&mut self, later: Self) {
            self.0.extend(later.0);
        }
    }

    fn order_of(threads: usize, block: u64, trials: Range<u64>) -> Vec<u64> {
        let runner = Runner::new(threads).unwrap().with_block_size(block);
        runner.run(trials, || |t| t, Order::default, |_| {}).0
    }

    #[test]
    fn blocks_are_aligned_on_absolute_trial_index() {
        assert_eq!(blocks(0..10, 4), vec![0..4, 4..8, 8..10]);
        assert_eq!(blocks(5..13, 4), vec![5..8, 8..12, 12..13]);
        assert_eq!(blocks(3..3, 4), Vec::<Range<u64>>::new());
    }

    #[test]
    fn merges_follow_trial_order_for_any_task_count() {
        let expected: Vec<u64> = (0..5000).collect();
        for tasks in [1, 3] {
            let runner = Runner::new(2)
                .unwrap()
                .with_block_size(7)
                .with_tasks_per_thread(tasks);
            let order = runner.run(0..5000, || |t| t, Order::default, |_| {}).0;
            assert_eq!(order, expected, "{tasks} tasks per thread");
        }
    }

    #[test]
    fn merges_follow_trial_order_for_any_thread_count() {
        let expected: Vec<u64> = (0..5000).collect();
        for threads in [1, 2, 3, 8] {
            assert_eq!(order_of(threads, 7, 0..5000), expected, "{threads} threads");
        }
    }

    #[test]
    fn sub_ranges_merge_into_the_whole_range() {
        let mut split = Order(order_of(2, 16, 0..1000));
        let whole = Order(order_of(3, 16, 0..2500));
        split.merge(Order(order_of(1, 16, 1000..2500)));
        assert_eq!(split, whole);
    }

    #[test]
    fn progress_reaches_the_number_of_trials() {
        let seen = AtomicU64::new(0);
        let runner = Runner::new(3).unwrap().with_block_size(10);
        runner.run(
            0..1005,
            || |t| t,
            Order::default,
            |done| {
                seen.fetch_max(done, Ordering::Relaxed);
            },
        );
        assert_eq!(seen.load(Ordering::Relaxed), 1005);
    }

    #[test]
    fn waves_reach_the_sink_in_order_and_an_error_stops_the_run() {
        let runner = Runner::new(2).unwrap().with_block_size(10);
        let mut firsts = Vec::new();
        let result = runner.run_waves(
            0..1000,
            3,
            || |t| t,
            Order::default,
            |_| {},
            |wave| {
                firsts.push(wave.0[0]);
                if firsts.len() == 2 {
                    Err("stop")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result, Err("stop"));
        assert_eq!(firsts.len(), 2);
        // Waves of 3 blocks of 10 trials.
        assert_eq!(firsts, [0, 30]);
    }

    #[test]
    fn workers_are_reused_within_a_task() {
        // One worker per block at most: the factory runs no more often than blocks exist.
        let made = AtomicU64::new(0);
        let runner = Runner::new(2).unwrap().with_block_size(100);
        runner.run(
            0..1000,
            || {
                made.fetch_add(1, Ordering::Relaxed);
                |t| t
            },
            Order::default,
            |_| {},
        );
        let made = made.load(Ordering::Relaxed);
        assert!((1..=10).contains(&made), "{made} workers for 10 blocks");
    }
}
