//! Splitting a run over a batch engine: shard K of N runs a contiguous slice of a run's
//! trials ([`shard_range`]); `--shard auto` reads K and N from the engine ([`detect`]).
//! The part files the shards write and their exact merge are in `analysis::parts`.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::run::error::RunError;

/// Kubernetes Indexed Jobs: the pod's completion index.
pub const K8S_INDEX_VAR: &str = "JOB_COMPLETION_INDEX";
/// AWS Batch array jobs: the child's index.
pub const BATCH_INDEX_VAR: &str = "AWS_BATCH_JOB_ARRAY_INDEX";
/// AWS Batch array jobs: the array's size.
pub const BATCH_SIZE_VAR: &str = "AWS_BATCH_JOB_ARRAY_SIZE";
/// Slurm job arrays: the task's index.
pub const SLURM_INDEX_VAR: &str = "SLURM_ARRAY_TASK_ID";
/// Slurm job arrays: the number of tasks.
pub const SLURM_COUNT_VAR: &str = "SLURM_ARRAY_TASK_COUNT";
/// Slurm job arrays: the first task index (arrays may start at 1).
pub const SLURM_MIN_VAR: &str = "SLURM_ARRAY_TASK_MIN";
/// Google Cloud Batch: the task's index.
pub const GCP_INDEX_VAR: &str = "BATCH_TASK_INDEX";
/// Google Cloud Batch: the number of tasks in the group.
pub const GCP_COUNT_VAR: &str = "BATCH_TASK_COUNT";
/// The shard count, for engines that do not pass it (Kubernetes).
pub const COUNT_VAR: &str = "DRSIM_SHARD_COUNT";

/// Shard `index` of `count` (`index < count`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shard {
    /// Which shard, from 0.
    pub index: u64,
    /// How many shards the run is split into.
    pub count: u64,
}

impl Shard {
    /// Shard `index` of `count`; an error unless `index < count`.
    pub fn new(index: u64, count: u64) -> Result<Self, RunError> {
        if count == 0 {
            return Err(RunError::Shard("the shard count must be at least 1".into()));
        }
        if index >= count {
            return Err(RunError::Shard(format!(
                "shard {index}/{count} does not exist: shards of {count} are numbered 0 to {}",
                count - 1
            )));
        }
        Ok(Shard { index, count })
    }

    /// The trials of this shard in a run of `total` trials ([`shard_range`]).
    pub fn trials(self, total: u64) -> Range<u64> {
        shard_range(self.index, self.count, total)
    }

    /// Name of this shard's part file: `part-K-of-N.json`.
    pub fn file_name(self) -> String {
        format!("part-{}-of-{}.json", self.index, self.count)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The trials of shard `index` of `count` in a run of `total` trials: those `i` with
/// `i * count / total == index`, i.e. `[ceil(index total / count), ceil((index + 1) total
/// / count))`. Requires `index < count`.
pub fn shard_range(index: u64, count: u64, total: u64) -> Range<u64> {
    debug_assert!(index < count);
    let bound = |k: u64| (u128::from(k) * u128::from(total)).div_ceil(u128::from(count)) as u64;
    bound(index)..bound(index + 1)
}

/// The `--shard` argument: a given shard, or one to read from the batch engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShardSpec {
    /// `--shard K/N`.
    Fixed(Shard),
    /// `--shard auto`: see [`detect`].
    Auto,
}

impl FromStr for ShardSpec {
    type Err = RunError;

    fn from_str(text: &str) -> Result<Self, RunError> {
        if text == "auto" {
            return Ok(ShardSpec::Auto);
        }
        let usage = || {
            RunError::Shard("expected K/N (shard K of N, K from 0 to N-1, e.g. 0/8) or auto".into())
        };
        let (k, n) = text.split_once('/').ok_or_else(usage)?;
        let number = |s: &str| s.trim().parse::<u64>().map_err(|_| usage());
        Shard::new(number(k)?, number(n)?).map(ShardSpec::Fixed)
    }
}

impl ShardSpec {
    /// The shard to run: the given one, or the one [`detect`]ed in `env`. `count_flag` is
    /// `--shard-count`, which only `auto` uses.
    pub fn resolve(
        self,
        count_flag: Option<u64>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Shard, RunError> {
        match self {
            ShardSpec::Fixed(shard) => match count_flag {
                Some(_) => Err(RunError::Shard(format!(
                    "--shard-count is only used with --shard auto (--shard {shard} gives the count)"
                ))),
                None => Ok(shard),
            },
            ShardSpec::Auto => detect(count_flag, env),
        }
    }
}

/// A batch engine that runs array jobs: where it puts a task's index and, if it does, the
/// number of tasks.
struct Engine {
    name: &'static str,
    index_var: &'static str,
    count_var: Option<&'static str>,
    /// The variable holding the first index, when the engine's indices need not start
    /// at 0 (Slurm arrays such as `--array=1-100`).
    first_index_var: Option<&'static str>,
}

/// The batch engines `--shard auto` knows, in the order their variables are listed.
const ENGINES: [Engine; 4] = [
    Engine {
        name: "Kubernetes Indexed Job",
        index_var: K8S_INDEX_VAR,
        count_var: None,
        first_index_var: None,
    },
    Engine {
        name: "AWS Batch array job",
        index_var: BATCH_INDEX_VAR,
        count_var: Some(BATCH_SIZE_VAR),
        first_index_var: None,
    },
    Engine {
        name: "Slurm job array",
        index_var: SLURM_INDEX_VAR,
        count_var: Some(SLURM_COUNT_VAR),
        first_index_var: Some(SLURM_MIN_VAR),
    },
    Engine {
        name: "Google Cloud Batch job",
        index_var: GCP_INDEX_VAR,
        count_var: Some(GCP_COUNT_VAR),
        first_index_var: None,
    },
];

/// The shard of `--shard auto`, from the batch engine's environment (`env` looks a
/// variable up; `|name| std::env::var(name).ok()` in the command).
///
/// - Kubernetes Indexed Job: K is `JOB_COMPLETION_INDEX`; Kubernetes does not pass the
///   number of completions, so N is `--shard-count` (`count_flag`) or `DRSIM_SHARD_COUNT`.
/// - AWS Batch array job: K is `AWS_BATCH_JOB_ARRAY_INDEX`, N is
///   `AWS_BATCH_JOB_ARRAY_SIZE`, `--shard-count` or `DRSIM_SHARD_COUNT`.
/// - Slurm job array: K is `SLURM_ARRAY_TASK_ID` minus `SLURM_ARRAY_TASK_MIN` (arrays may
///   start at 1), N is `SLURM_ARRAY_TASK_COUNT`, `--shard-count` or `DRSIM_SHARD_COUNT`.
/// - Google Cloud Batch: K is `BATCH_TASK_INDEX`, N is `BATCH_TASK_COUNT`, `--shard-count`
///   or `DRSIM_SHARD_COUNT`.
///
/// Every source of N that is given must agree, and K must be below N.
pub fn detect(
    count_flag: Option<u64>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Shard, RunError> {
    detect_in(count_flag, env).map_err(RunError::Shard)
}

/// [`detect`], the error being what is wrong.
fn detect_in(
    count_flag: Option<u64>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Shard, String> {
    let read = |name: &str| -> Result<Option<u64>, String> {
        env(name)
            .map(|value| {
                value
                    .trim()
                    .parse::<u64>()
                    .map_err(|_| format!("{name}={value:?} is not a whole number"))
            })
            .transpose()
    };
    let mut found = Vec::new();
    for engine in &ENGINES {
        if let Some(k) = read(engine.index_var)? {
            found.push((engine, k));
        }
    }
    let (engine, raw_index) = match found[..] {
        [one] => one,
        [] => {
            let vars: Vec<String> = (ENGINES.iter())
                .map(|e| format!("{} ({})", e.index_var, e.name))
                .collect();
            return Err(format!(
                "--shard auto found no shard index in the environment: it reads {}; outside a \
                 batch engine use --shard K/N",
                vars.join(", ")
            ));
        }
        _ => {
            let vars: Vec<String> = (found.iter())
                .map(|(e, _)| format!("{} ({})", e.index_var, e.name))
                .collect();
            return Err(format!(
                "--shard auto: {} are all set, so the shard is ambiguous; use --shard K/N",
                vars.join(" and ")
            ));
        }
    };
    let first = match engine.first_index_var {
        Some(var) => read(var)?.unwrap_or(0),
        None => 0,
    };
    let index = raw_index.checked_sub(first).ok_or_else(|| {
        format!(
            "--shard auto: {}={raw_index} is below the array's first index {first}",
            engine.index_var
        )
    })?;
    let index_from = format!("{}={raw_index}", engine.index_var);
    let mut counts: Vec<(String, u64)> = Vec::new();
    if let Some(n) = count_flag {
        counts.push(("--shard-count".into(), n));
    }
    if let Some(n) = read(COUNT_VAR)? {
        counts.push((format!("{COUNT_VAR}={n}"), n));
    }
    if let Some(var) = engine.count_var
        && let Some(n) = read(var)?
    {
        counts.push((format!("{var}={n}"), n));
    }
    if counts.is_empty() {
        return Err(match engine.count_var {
            None => format!(
                "--shard auto under a {} ({index_from}) needs the shard count, which it does \
                 not pass to the pod: give --shard-count N or set {COUNT_VAR}, equal to the \
                 Job's completions",
                engine.name
            ),
            Some(var) => format!(
                "--shard auto under a {} ({index_from}) needs the shard count: {var} is not \
                 set; give --shard-count N",
                engine.name
            ),
        });
    }
    let (count_from, count) = counts[0].clone();
    if counts.iter().any(|&(_, n)| n != count) {
        let given: Vec<String> = counts
            .iter()
            .map(|(from, n)| {
                if from.starts_with("--") {
                    format!("{from} {n}")
                } else {
                    from.clone()
                }
            })
            .collect();
        return Err(format!(
            "--shard auto: the shard count is given differently by {}",
            given.join(", ")
        ));
    }
    if count == 0 {
        return Err(format!(
            "--shard auto: the shard count ({count_from}) must be at least 1"
        ));
    }
    if index >= count {
        return Err(format!(
            "--shard auto: shard index {index} ({index_from}) is not below the shard count \
             {count} ({count_from})"
        ));
    }
    Ok(Shard { index, count })
}
