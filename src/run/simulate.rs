//! A run of a model: its trials through the [runner](crate::run::runner) into
//! [statistics](crate::run::stats), with optional per-trial rows streamed to CSV.
//!
//! This is the one place that joins the generic runner with drsim's trials.

use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;

use crate::model::Model;
pub use crate::run::error::RunError;
use crate::run::runner::Runner;
use crate::run::stats::{Limits, OutcomeStats};
use crate::run::trials_csv::{TrialRows, TrialsCsv};
use crate::sim::trial::{TrialOutcome, TrialSimulator};

/// Blocks per thread in a wave when per-trial rows are kept: about 16 x 1024 rows of
/// under 100 bytes per thread (1.5 MB), long enough that waiting at the end of a wave
/// costs little.
const ROW_BLOCKS_PER_THREAD: usize = 16;

/// How to run the trials of a model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunSettings {
    /// Trial indices to run (all of a run: `0..model.simulation.trials`).
    pub trials: Range<u64>,
    /// Worker threads; 0 means one per logical core.
    pub threads: usize,
    /// Where to write one CSV row per trial, if anywhere.
    pub trials_csv: Option<PathBuf>,
}

impl RunSettings {
    /// All trials of `model`, on every core, without per-trial output.
    pub fn for_model(model: &Model) -> Self {
        RunSettings {
            trials: 0..model.simulation.trials,
            threads: 0,
            trials_csv: None,
        }
    }
}

/// Runs the trials of `model` with its simulator; `progress` gets the trials done.
pub fn simulate(
    model: &Model,
    settings: &RunSettings,
    progress: impl Fn(u64) + Sync + Send,
) -> Result<OutcomeStats, RunError> {
    let runner = Runner::new(settings.threads).map_err(RunError::Threads)?;
    simulate_on(&runner, model, settings, progress)
}

/// [`simulate`] on the threads of `runner` (`settings.threads` is ignored): runs of many
/// models share one pool, and may run side by side inside [`Runner::install`].
pub fn simulate_on(
    runner: &Runner,
    model: &Model,
    settings: &RunSettings,
    progress: impl Fn(u64) + Sync + Send,
) -> Result<OutcomeStats, RunError> {
    let make_worker = || {
        let mut simulator = TrialSimulator::new(model);
        move |trial| simulator.run(trial)
    };
    run_with(runner, model, settings, make_worker, progress)
}

/// Runs `settings.trials` with workers from `make_worker` (tests use fake trials).
pub fn simulate_with<W>(
    model: &Model,
    settings: &RunSettings,
    make_worker: impl Fn() -> W + Sync + Send,
    progress: impl Fn(u64) + Sync + Send,
) -> Result<OutcomeStats, RunError>
where
    W: FnMut(u64) -> TrialOutcome + Send,
{
    let runner = Runner::new(settings.threads).map_err(RunError::Threads)?;
    run_with(&runner, model, settings, make_worker, progress)
}

fn run_with<W>(
    runner: &Runner,
    model: &Model,
    settings: &RunSettings,
    make_worker: impl Fn() -> W + Sync + Send,
    progress: impl Fn(u64) + Sync + Send,
) -> Result<OutcomeStats, RunError>
where
    W: FnMut(u64) -> TrialOutcome + Send,
{
    let limits = Limits::for_model(model);
    let disasters = model.disasters.len();
    let mut stats = OutcomeStats::new(disasters, limits.clone());
    let mut csv = match &settings.trials_csv {
        Some(path) => Some(TrialsCsv::create(path, model).map_err(RunError::Output)?),
        None => None,
    };
    let keep_rows = csv.is_some();
    // Rows are held for a wave, so waves are short when rows are kept; statistics
    // alone take the whole run as one wave (no barrier between waves).
    let wave_blocks = if keep_rows {
        runner.threads() * ROW_BLOCKS_PER_THREAD
    } else {
        usize::MAX
    };
    let make_acc = || {
        (
            OutcomeStats::new(disasters, limits.clone()),
            TrialRows::new(keep_rows),
        )
    };
    let sink = |(wave_stats, rows): (OutcomeStats, TrialRows)| {
        stats.merge_from(&wave_stats);
        match &mut csv {
            Some(csv) => csv.append(&rows),
            None => Ok(()),
        }
    };
    // A panicking trial is a bug; catching it lets the command report it and exit with
    // an error code instead of aborting mid-output. The CSV's temporary file is removed
    // when `csv` drops.
    let run = panic::catch_unwind(AssertUnwindSafe(|| {
        runner.run_waves(
            settings.trials.clone(),
            wave_blocks,
            make_worker,
            make_acc,
            progress,
            sink,
        )
    }));
    match run {
        Ok(written) => written.map_err(RunError::Output)?,
        Err(payload) => return Err(RunError::TrialPanicked(panic_message(payload))),
    }
    if let Some(csv) = csv {
        csv.finish().map_err(RunError::Output)?;
    }
    Ok(stats)
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::fixtures::{fake_outcome, model};

    fn fake_workers() -> impl Fn() -> fn(u64) -> TrialOutcome + Sync {
        || fake_outcome as fn(u64) -> TrialOutcome
    }

    fn run(model: &Model, trials: Range<u64>, threads: usize) -> OutcomeStats {
        let settings = RunSettings {
            trials,
            threads,
            trials_csv: None,
        };
        simulate_with(model, &settings, fake_workers(), |_| {}).unwrap()
    }

    /// The statistics, which every summary is computed from: equal statistics give
    /// byte-identical summaries.
    fn stats_of(_model: &Model, stats: &OutcomeStats) -> OutcomeStats {
        stats.clone()
    }

    fn files_in(dir: &std::path::Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn summary_bytes_do_not_depend_on_threads_or_shards() {
        let model = model(&[("az", 9.0), ("region", 1.0)]);
        let one = stats_of(&model, &run(&model, 0..5000, 1));
        for threads in [2, 3] {
            assert_eq!(
                stats_of(&model, &run(&model, 0..5000, threads)),
                one,
                "{threads} threads"
            );
        }
        // A split off the block boundaries, merged either way round.
        let mut first = run(&model, 0..1500, 2);
        first.merge_from(&run(&model, 1500..5000, 3));
        assert_eq!(stats_of(&model, &first), one);
        let mut second = run(&model, 1500..5000, 1);
        second.merge_from(&run(&model, 0..1500, 1));
        assert_eq!(stats_of(&model, &second), one);
    }

    #[test]
    fn trials_csv_has_one_row_per_trial_in_trial_order() {
        let mut model = model(&[("az", 9.0), ("region", 1.0)]);
        model.simulation.rto_thresholds = vec![0.5];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trials.csv");
        // Two threads hold rows 2 x 16 blocks at a time: 40 000 trials take two waves.
        let settings = RunSettings {
            trials: 0..40_000,
            threads: 2,
            trials_csv: Some(path.clone()),
        };
        simulate_with(&model, &settings, fake_workers(), |_| {}).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 40_001);
        assert_eq!(
            lines[0],
            "trial,disaster,rto_s,rpo_s,first_success_s,full_capacity_s,events,\
             detected_s,decided_s,rto_at_50_s"
        );
        for (i, line) in lines[1..].iter().enumerate() {
            assert!(line.starts_with(&format!("{i},")), "row {i}: {line}");
        }
        // Trial 2: disaster 0, RTO 60 s + 1 ms, 50% back at half of it; trial 1: region
        // outage never recovered. Alarm at 10 s, decision at 20 s (fake_outcome).
        assert_eq!(
            lines[3],
            "2,az,60.001,0.000,30.000,60.001,10,10.000,20.000,30.000"
        );
        assert_eq!(lines[2], "1,region,,,,,10,10.000,20.000,");
        assert_eq!(files_in(dir.path()), ["trials.csv"]);
    }

    #[test]
    fn a_failing_trial_is_an_error_and_leaves_no_trials_csv() {
        let model = model(&[("az", 1.0), ("region", 1.0)]);
        let dir = tempfile::tempdir().unwrap();
        let settings = RunSettings {
            trials: 0..5000,
            threads: 2,
            trials_csv: Some(dir.path().join("trials.csv")),
        };
        let worker = || {
            |trial| {
                assert!(trial != 4321, "trial {trial} broke");
                fake_outcome(trial)
            }
        };
        let err = simulate_with(&model, &settings, worker, |_| {}).unwrap_err();
        assert!(err.to_string().contains("trial 4321 broke"), "{err}");
        assert!(files_in(dir.path()).is_empty());
    }
}
