//! Sharded runs: shard K of N runs a contiguous slice of a run's trials and writes a part
//! file; [`merge_inputs`] combines the parts into the summary a single run gives, byte for
//! byte.
//!
//! Why the merge is exact: a trial's outcome depends only on the seed and its index (it
//! seeds its own random stream), blocks of trials are aligned on the absolute index
//! ([`crate::run::runner`]), and the statistics are integers whose merge does not depend on
//! order or grouping ([`crate::run::stats`]). A part stores those integers and what the summary
//! needs of the model ([`SummaryContext`]), so the merged summary is computed by the same
//! code, from the same numbers, as a single run's, and `drsim merge` needs nothing but the
//! part files.
//!
//! - **The split.** Shard K of N (K from 0) of a run of T trials holds the trials `i` with
//!   `i * N / T == K` (integer division), i.e. `[ceil(K T / N), ceil((K + 1) T / N))`
//!   ([`shard_range`](crate::run::shard::shard_range)). The shards are contiguous, cover `[0, T)` and do not overlap. With
//!   N > T some shards are empty; they still write a part, which merges as nothing.
//! - **`--shard auto`** reads K and N from the batch engine ([`detect`](crate::run::shard::detect)).
//! - **Part files** are JSON, `DIR/part-K-of-N.json` ([`Part`]; format described there).
//! - **The model hash** ([`model_hash`]) identifies the model files' bytes, so that parts
//!   of different models are not merged.

use std::collections::BTreeMap;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Deserializer, Serializer, V2Serializer};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analysis::AnalysisError;
use crate::analysis::context::{DisasterContext, SummaryContext};
use crate::analysis::cost::CostReport;
use crate::analysis::summary::Summary;
use crate::model::{Clock, Millis, Model, Objective};
use crate::output::{OutputError, write_atomically};
use crate::run::shard::Shard;
use crate::run::stats::{DisasterStats, Metric, OutcomeStats, RECOVERY_STEPS};

/// The `format` field of every part file.
pub const FORMAT: &str = "drsim-part";

/// Version of the part file format this drsim writes and reads. Bump it whenever the
/// fields or their meaning change. Version 2 added `outage`, version 3 the `checksum`, version 4 each
/// disaster's objective, version 5 the fail-back figures, version 6 the RTO shares
/// (`rto_thresholds`, `rto_at`) and the objective clocks (`clock`, `rto_from_clock`);
/// older parts are refused.
pub const FORMAT_VERSION: u32 = 8;

/// Hash of the model in `path`: `"sha256:"` and the lowercase hex SHA-256 of, for each
/// model file in the order the loader reads them (a file, then each of its `include`s in
/// order, depth first), the file's length in bytes as a big-endian u64 followed by its
/// bytes.
///
/// Only the files' bytes count, not their paths, so the hash is the same on every
/// machine that has the same files (a container image, a checkout at one commit); any
/// edit, even to a comment, changes it. `--trials` and `--seed` are not part of it: a
/// part records them apart.
pub fn model_hash(path: &Path) -> Result<String, AnalysisError> {
    // The loader's own list of files, so the hash follows its include rules.
    let files = crate::model::load::model_files(path)?;
    let mut hasher = Sha256::new();
    for (_, text) in &files {
        hasher.update((text.len() as u64).to_be_bytes());
        hasher.update(text.as_bytes());
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("sha256:{hex}"))
}

/// The result of one shard: which trials of which run, and their statistics.
///
/// Written as one JSON object, `DIR/part-K-of-N.json`:
///
/// ```text
/// format          "drsim-part"
/// format_version  8 (FORMAT_VERSION; 2 added outage, 3 the checksum, 4 each
///                 disaster's objective, 5 the fail-back figures, 6 rto_thresholds,
///                 rto_at, clock and rto_from_clock, 7 failed_recoveries, 8
///                 failed_by_step, rto_failed and rto_clean)
/// drsim_version   version of drsim that ran the shard
/// checksum        "sha256:" and the lowercase hex SHA-256 of the compact JSON of this
///                 object with checksum = "" (so of every other field, payload included),
///                 fields in this order; verified on read
/// model_hash      see model_hash()
/// total_trials    trials of the whole run (T)
/// shard           {"index": K, "count": N}
/// trials          {"start": a, "end": b}: the shard's trials, [a, b)
/// model           what the summary needs: scenario, seed, horizon_ms,
///                 recovery_threshold, rto_thresholds (array, maybe empty), rto_ms,
///                 rpo_ms, confidence, clock, and disasters: [{name, kind, per_year,
///                 weight, rto_ms, rpo_ms, confidence, clock}] in model order (its own
///                 objective; the top-level rto_ms, rpo_ms, confidence and clock are
///                 the defaults)
/// stats           one object per disaster, in model order: trials, rto_met, rpo_met,
///                 events (integers) and rto, rto_at (one per rto_thresholds share),
///                 rto_from_clock (empty unless the clock is not "disaster"), rpo,
///                 first_success, full_capacity, outage (ms of full outage), loss_cents,
///                 then unneeded_failovers, failed_recoveries (integers: trials in
///                 which some recovery step failed or stalled), failed_by_step (an
///                 array of such counts per step: launch, iac, database,
///                 control_plane), failback (over the trials needing one), rto_failed
///                 and rto_clean (the RTO of the trials with and without a failed
///                 step), each metric {count, none, max_ms, sum_ms, histogram}:
///                 sum_ms is a decimal string
///                 (a u128), histogram the HdrHistogram V2 encoding, base64 (standard,
///                 padded)
/// ```
///
/// Floats are written in their shortest exact form and read back exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// Version of drsim that ran the shard.
    pub drsim_version: String,
    /// [`model_hash`] of the model run.
    pub model_hash: String,
    /// Trials of the whole run.
    pub total_trials: u64,
    /// Which shard this is.
    pub shard: Shard,
    /// The trials it ran: `shard.trials(total_trials)`.
    pub trials: Range<u64>,
    /// What the summary needs of the model.
    pub context: SummaryContext,
    /// The statistics of its trials.
    pub stats: OutcomeStats,
    /// The priced bill and failover costs, without the losses (those need every trial).
    pub cost: CostReport,
}

impl Part {
    /// The part of `shard` of a run of `model` (after `--trials` and `--seed`), whose
    /// statistics are `stats`.
    pub fn new(
        model: &Model,
        model_hash: String,
        shard: Shard,
        stats: OutcomeStats,
        cost: CostReport,
    ) -> Self {
        let total_trials = model.simulation.trials;
        Part {
            drsim_version: env!("CARGO_PKG_VERSION").to_string(),
            model_hash,
            total_trials,
            shard,
            trials: shard.trials(total_trials),
            context: SummaryContext::of(model),
            stats,
            cost,
        }
    }

    /// The part file's bytes.
    pub fn to_json(&self) -> Vec<u8> {
        let mut file = PartFile::from(self);
        file.checksum = file.digest();
        file.to_json()
    }

    /// Reads a part file's bytes; the error says what is wrong with them.
    pub fn from_json(bytes: &[u8]) -> Result<Part, AnalysisError> {
        Part::parse(bytes).map_err(AnalysisError::InvalidPart)
    }

    /// [`Part::from_json`], the error being what is wrong.
    fn parse(bytes: &[u8]) -> Result<Part, String> {
        // The header first, so that a file of another format version says so rather than
        // failing on a field.
        let header: Header = serde_json::from_slice(bytes)
            .map_err(|e| format!("not a drsim part file (invalid JSON: {e})"))?;
        if header.format.as_deref() != Some(FORMAT) {
            return Err(format!(
                "not a drsim part file (no \"format\": \"{FORMAT}\")"
            ));
        }
        match header.format_version {
            Some(FORMAT_VERSION) => {}
            Some(v) => {
                let by = header
                    .drsim_version
                    .map(|d| format!(", written by drsim {d}"))
                    .unwrap_or_default();
                return Err(format!(
                    "part format version {v}{by}; this drsim ({}) reads version \
                     {FORMAT_VERSION} only: run the shards again with this drsim",
                    env!("CARGO_PKG_VERSION")
                ));
            }
            None => return Err("part file without a format_version".into()),
        }
        if header.checksum.is_none() {
            return Err("part file without a checksum".into());
        }
        let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
        let mut file: PartFile = serde_path_to_error::deserialize(deserializer)
            .map_err(|e| format!("invalid part file at {}: {}", e.path(), e.inner()))?;
        let digest = file.digest();
        if file.checksum != digest {
            return Err(format!(
                "checksum mismatch: the file says {} but its contents hash to {digest}; \
                 the part was edited or damaged: run its shard again",
                clip(&file.checksum)
            ));
        }
        file.try_into()
    }

    /// Writes the part atomically to `dir/part-K-of-N.json` and returns that path.
    pub fn write(&self, dir: &Path) -> Result<PathBuf, OutputError> {
        let path = dir.join(self.shard.file_name());
        write_atomically(&path, &self.to_json())?;
        Ok(path)
    }

    /// Reads the part file at `path`; the error names the file.
    pub fn read(path: &Path) -> Result<Part, AnalysisError> {
        let bytes = fs::read(path).map_err(|source| AnalysisError::UnreadablePart {
            path: path.to_path_buf(),
            source,
        })?;
        Part::parse(&bytes).map_err(|problem| AnalysisError::BadPart {
            path: path.to_path_buf(),
            problem,
        })
    }
}

/// The fields read before the rest of a part file.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    format_version: Option<u32>,
    drsim_version: Option<String>,
    checksum: Option<serde_json::Value>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartFile {
    format: String,
    format_version: u32,
    drsim_version: String,
    checksum: String,
    model_hash: String,
    total_trials: u64,
    shard: Shard,
    trials: TrialRange,
    model: ContextFile,
    stats: Vec<DisasterFile>,
    cost: CostReport,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrialRange {
    start: u64,
    end: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextFile {
    scenario: String,
    seed: u64,
    horizon_ms: Millis,
    recovery_threshold: f64,
    rto_thresholds: Vec<f64>,
    rto_ms: Millis,
    rpo_ms: Millis,
    confidence: f64,
    clock: Clock,
    downtime_cents_per_hour: u64,
    data_loss_cents_per_hour: u64,
    disasters: Vec<DisasterContextFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DisasterContextFile {
    name: String,
    kind: String,
    per_year: f64,
    weight: f64,
    rto_ms: Millis,
    rpo_ms: Millis,
    confidence: f64,
    clock: Clock,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DisasterFile {
    trials: u64,
    rto_met: u64,
    rpo_met: u64,
    events: u64,
    rto: MetricFile,
    rto_at: Vec<MetricFile>,
    rto_from_clock: MetricFile,
    rpo: MetricFile,
    first_success: MetricFile,
    full_capacity: MetricFile,
    outage: MetricFile,
    loss_cents: MetricFile,
    unneeded_failovers: u64,
    failed_recoveries: u64,
    failed_by_step: [u64; RECOVERY_STEPS],
    failback: MetricFile,
    rto_failed: MetricFile,
    rto_clean: MetricFile,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetricFile {
    count: u64,
    none: u64,
    max_ms: Millis,
    sum_ms: String,
    histogram: String,
}

/// At most 80 characters of a value read from a file, for a message.
fn clip(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

impl PartFile {
    /// The checksum of every field but `checksum`: see [`Part`].
    fn digest(&mut self) -> String {
        let checksum = std::mem::take(&mut self.checksum);
        let bytes = serde_json::to_vec(self).expect("a part serialises to JSON");
        self.checksum = checksum;
        let hex: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("sha256:{hex}")
    }

    fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a part serialises to JSON");
        bytes.push(b'\n');
        bytes
    }
}

impl From<&Part> for PartFile {
    fn from(part: &Part) -> Self {
        let c = &part.context;
        PartFile {
            format: FORMAT.to_string(),
            format_version: FORMAT_VERSION,
            drsim_version: part.drsim_version.clone(),
            checksum: String::new(),
            model_hash: part.model_hash.clone(),
            total_trials: part.total_trials,
            shard: part.shard,
            trials: TrialRange {
                start: part.trials.start,
                end: part.trials.end,
            },
            model: ContextFile {
                scenario: c.scenario.clone(),
                seed: c.seed,
                horizon_ms: c.horizon,
                recovery_threshold: c.recovery_threshold,
                rto_thresholds: c.rto_thresholds.clone(),
                rto_ms: c.rto,
                rpo_ms: c.rpo,
                confidence: c.confidence,
                clock: c.clock,
                downtime_cents_per_hour: c.downtime_cents_per_hour,
                data_loss_cents_per_hour: c.data_loss_cents_per_hour,
                disasters: c
                    .disasters
                    .iter()
                    .map(|d| DisasterContextFile {
                        name: d.name.clone(),
                        kind: d.kind.clone(),
                        per_year: d.per_year,
                        weight: d.weight,
                        rto_ms: d.objective.rto,
                        rpo_ms: d.objective.rpo,
                        confidence: d.objective.confidence,
                        clock: d.objective.clock,
                    })
                    .collect(),
            },
            stats: part
                .stats
                .disasters()
                .iter()
                .map(|d| DisasterFile {
                    trials: d.trials,
                    rto_met: d.rto_met,
                    rpo_met: d.rpo_met,
                    events: d.events,
                    rto: MetricFile::from(&d.rto),
                    rto_at: d.rto_at.iter().map(MetricFile::from).collect(),
                    rto_from_clock: MetricFile::from(&d.rto_from_clock),
                    rpo: MetricFile::from(&d.rpo),
                    first_success: MetricFile::from(&d.first_success),
                    full_capacity: MetricFile::from(&d.full_capacity),
                    outage: MetricFile::from(&d.outage),
                    loss_cents: MetricFile::from(&d.loss),
                    unneeded_failovers: d.unneeded_failovers,
                    failed_recoveries: d.failed_recoveries,
                    failed_by_step: d.failed_by_step,
                    failback: MetricFile::from(&d.failback),
                    rto_failed: MetricFile::from(&d.rto_failed),
                    rto_clean: MetricFile::from(&d.rto_clean),
                })
                .collect(),
            cost: part.cost.clone(),
        }
    }
}

impl From<&Metric> for MetricFile {
    fn from(metric: &Metric) -> Self {
        let mut encoded = Vec::new();
        V2Serializer::new()
            .serialize(&metric.histogram, &mut encoded)
            .expect("a histogram of u64 counts encodes to memory");
        MetricFile {
            count: metric.count,
            none: metric.none,
            max_ms: metric.max,
            sum_ms: metric.sum.to_string(),
            histogram: BASE64.encode(encoded),
        }
    }
}

impl MetricFile {
    fn decode(self, place: &str) -> Result<Metric, String> {
        let fail = |what: String| format!("stats.{place}: {what}");
        let sum = self
            .sum_ms
            .parse::<u128>()
            .map_err(|_| fail(format!("sum_ms {:?} is not a whole number", self.sum_ms)))?;
        let bytes = BASE64
            .decode(&self.histogram)
            .map_err(|e| fail(format!("histogram is not base64: {e}")))?;
        let mut histogram: Histogram<u64> = Deserializer::new()
            .deserialize(&mut bytes.as_slice())
            .map_err(|e| fail(format!("histogram is not a V2 HdrHistogram: {e:?}")))?;
        // As in a run: it grows to take any value merged into it.
        histogram.auto(true);
        if histogram.len() != self.count {
            return Err(fail(format!(
                "the histogram holds {} values but count is {}",
                histogram.len(),
                self.count
            )));
        }
        // Every value is at most max, so the sum is at most count x max (which a u128
        // holds): a larger one was not written by a run.
        if sum > u128::from(self.count) * u128::from(self.max_ms) {
            return Err(fail(format!(
                "sum_ms {sum} is above count x max_ms ({} x {})",
                self.count, self.max_ms
            )));
        }
        self.count
            .checked_add(self.none)
            .ok_or_else(|| fail("count + none overflows".into()))?;
        Ok(Metric {
            histogram,
            count: self.count,
            none: self.none,
            max: self.max_ms,
            sum,
        })
    }
}

impl TryFrom<PartFile> for Part {
    type Error = String;

    fn try_from(file: PartFile) -> Result<Part, String> {
        let m = file.model;
        let context = SummaryContext {
            scenario: m.scenario,
            seed: m.seed,
            horizon: m.horizon_ms,
            recovery_threshold: m.recovery_threshold,
            rto_thresholds: m.rto_thresholds,
            rto: m.rto_ms,
            rpo: m.rpo_ms,
            confidence: m.confidence,
            clock: m.clock,
            downtime_cents_per_hour: m.downtime_cents_per_hour,
            data_loss_cents_per_hour: m.data_loss_cents_per_hour,
            disasters: m
                .disasters
                .into_iter()
                .map(|d| DisasterContext {
                    name: d.name,
                    kind: d.kind,
                    per_year: d.per_year,
                    weight: d.weight,
                    objective: Objective {
                        rto: d.rto_ms,
                        rpo: d.rpo_ms,
                        confidence: d.confidence,
                        clock: d.clock,
                    },
                })
                .collect(),
        };
        let shard = Shard::new(file.shard.index, file.shard.count).map_err(|e| e.to_string())?;
        let trials = file.trials.start..file.trials.end;
        let expected = shard.trials(file.total_trials);
        if trials != expected {
            return Err(format!(
                "trials {trials:?} are not those of shard {shard} of {} trials ({expected:?})",
                file.total_trials
            ));
        }
        if file.stats.len() != context.disasters.len() {
            return Err(format!(
                "stats for {} disasters but the model has {}",
                file.stats.len(),
                context.disasters.len()
            ));
        }
        let mut disasters = Vec::with_capacity(file.stats.len());
        for (i, d) in file.stats.into_iter().enumerate() {
            if d.rto_at.len() != context.rto_thresholds.len() {
                return Err(format!(
                    "stats.{i}.rto_at holds {} metrics for {} rto_thresholds",
                    d.rto_at.len(),
                    context.rto_thresholds.len()
                ));
            }
            let rto_at = (d.rto_at.into_iter().enumerate())
                .map(|(k, metric)| metric.decode(&format!("{i}.rto_at.{k}")))
                .collect::<Result<Vec<_>, _>>()?;
            let decoded = DisasterStats {
                trials: d.trials,
                rto: d.rto.decode(&format!("{i}.rto"))?,
                rto_at,
                rto_from_clock: d.rto_from_clock.decode(&format!("{i}.rto_from_clock"))?,
                rpo: d.rpo.decode(&format!("{i}.rpo"))?,
                first_success: d.first_success.decode(&format!("{i}.first_success"))?,
                full_capacity: d.full_capacity.decode(&format!("{i}.full_capacity"))?,
                outage: d.outage.decode(&format!("{i}.outage"))?,
                loss: d.loss_cents.decode(&format!("{i}.loss_cents"))?,
                rto_met: d.rto_met,
                rpo_met: d.rpo_met,
                events: d.events,
                failback: d.failback.decode(&format!("{i}.failback"))?,
                unneeded_failovers: d.unneeded_failovers,
                failed_recoveries: d.failed_recoveries,
                failed_by_step: d.failed_by_step,
                rto_failed: d.rto_failed.decode(&format!("{i}.rto_failed"))?,
                rto_clean: d.rto_clean.decode(&format!("{i}.rto_clean"))?,
            };
            if decoded.rto_met > decoded.trials || decoded.rpo_met > decoded.trials {
                return Err(format!(
                    "stats.{i}: rto_met ({}) or rpo_met ({}) is above trials ({})",
                    decoded.rto_met, decoded.rpo_met, decoded.trials
                ));
            }
            let failbacks = decoded.failback.total();
            if failbacks > decoded.trials
                || decoded.unneeded_failovers > decoded.trials
                || decoded.failed_recoveries > decoded.trials
            {
                return Err(format!(
                    "stats.{i}: failback ({failbacks}), unneeded_failovers ({}) or \
                     failed_recoveries ({}) is above trials ({})",
                    decoded.unneeded_failovers, decoded.failed_recoveries, decoded.trials
                ));
            }
            let clocked = !context.disasters[i].objective.clock.is_disaster();
            let from_clock = [("rto_from_clock", &decoded.rto_from_clock)];
            let always = [
                ("rto", &decoded.rto),
                ("rpo", &decoded.rpo),
                ("first_success", &decoded.first_success),
                ("full_capacity", &decoded.full_capacity),
                ("outage", &decoded.outage),
                ("loss_cents", &decoded.loss),
            ];
            let counted = (always.into_iter())
                .chain(decoded.rto_at.iter().map(|metric| ("rto_at", metric)))
                .chain(from_clock.into_iter().filter(|_| clocked));
            for (name, metric) in counted {
                if metric.total() != decoded.trials {
                    return Err(format!(
                        "stats.{i}.{name} holds {} outcomes but the disaster has {} trials",
                        metric.total(),
                        decoded.trials
                    ));
                }
            }
            check_failed_steps(i, &decoded)?;
            if !clocked && decoded.rto_from_clock.total() != 0 {
                return Err(format!(
                    "stats.{i}.rto_from_clock holds outcomes but the disaster's RTO is \
                     counted from its start"
                ));
            }
            disasters.push(decoded);
        }
        let limits = context.limits();
        let stats = OutcomeStats::from_disasters(limits, disasters);
        if stats.trials() != trials.end - trials.start {
            return Err(format!(
                "stats of {} trials for the {} trials {trials:?}",
                stats.trials(),
                trials.end - trials.start
            ));
        }
        Ok(Part {
            drsim_version: file.drsim_version,
            model_hash: file.model_hash,
            total_trials: file.total_trials,
            shard,
            trials,
            context,
            stats,
            cost: file.cost,
        })
    }
}

/// The failed-step counts of disaster `i` against its trials: no step counted in more
/// trials than failed at all, and the RTO split holds the failed and the other trials.
fn check_failed_steps(i: usize, d: &DisasterStats) -> Result<(), String> {
    if let Some(k) = (0..RECOVERY_STEPS).find(|&k| d.failed_by_step[k] > d.failed_recoveries) {
        return Err(format!(
            "stats.{i}.failed_by_step.{k} ({}) is above failed_recoveries ({})",
            d.failed_by_step[k], d.failed_recoveries
        ));
    }
    let clean = d.trials - d.failed_recoveries;
    if d.rto_failed.total() != d.failed_recoveries || d.rto_clean.total() != clean {
        return Err(format!(
            "stats.{i}: rto_failed and rto_clean hold {} and {} outcomes for {} trials \
             with a failed step and {clean} without",
            d.rto_failed.total(),
            d.rto_clean.total(),
            d.failed_recoveries
        ));
    }
    Ok(())
}

/// Merged parts: the statistics of the whole run and what its summary needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    /// What the summary needs of the model.
    pub context: SummaryContext,
    /// The statistics of all the run's trials.
    pub stats: OutcomeStats,
    /// The run's bill and failover costs (identical in every part: same model).
    pub cost: CostReport,
    /// Number of parts merged.
    pub parts: usize,
}

impl Merged {
    /// The summary of the run, cost included: the same as a single run's.
    pub fn summary(&self) -> Summary {
        Summary::priced(&self.context, &self.stats, self.cost.clone())
    }
}

/// The part files among `inputs`: a file is taken as is, a directory gives its files
/// named `part-K-of-N.json` (in shard order). Unreadable or empty directories are problems
/// ([`AnalysisError::Merge`]).
pub fn part_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, AnalysisError> {
    files_of(inputs).map_err(|problems| AnalysisError::Merge { problems })
}

/// [`part_files`], the error being the problems.
fn files_of(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<String>> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            files.push(input.clone());
            continue;
        }
        let entries = match fs::read_dir(input) {
            Ok(entries) => entries,
            Err(e) => {
                problems.push(format!("{}: cannot list: {e}", input.display()));
                continue;
            }
        };
        let mut found: Vec<(Shard, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let shard = parse_file_name(&e.file_name().to_string_lossy())?;
                Some((shard, e.path()))
            })
            .collect();
        if found.is_empty() {
            problems.push(format!(
                "{}: no part files (part-K-of-N.json) in this directory",
                input.display()
            ));
        }
        found.sort_by_key(|(shard, _)| (shard.count, shard.index));
        files.extend(found.into_iter().map(|(_, path)| path));
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

/// The shard of a file named `part-K-of-N.json`.
fn parse_file_name(name: &str) -> Option<Shard> {
    let (k, n) = name
        .strip_prefix("part-")?
        .strip_suffix(".json")?
        .split_once("-of-")?;
    Shard::new(k.parse().ok()?, n.parse().ok()?).ok()
}

/// Reads and merges the parts in `inputs` (files or directories, see [`part_files`]).
/// Every problem found, in any file, is reported at once ([`AnalysisError::Merge`]).
pub fn merge_inputs(inputs: &[PathBuf]) -> Result<Merged, AnalysisError> {
    let merge_error = |problems| AnalysisError::Merge { problems };
    let files = files_of(inputs).map_err(merge_error)?;
    let mut parts = Vec::new();
    let mut problems = Vec::new();
    for path in files {
        match Part::read(&path) {
            Ok(part) => parts.push((path, part)),
            Err(problem) => problems.push(problem.to_string()),
        }
    }
    match merge_parts(parts) {
        Ok(merged) if problems.is_empty() => Ok(merged),
        Ok(_) => Err(merge_error(problems)),
        Err(more) => {
            problems.extend(more);
            Err(merge_error(problems))
        }
    }
}

/// Merges `parts` (each with the file it came from, for messages) into the whole run.
///
/// Refuses parts written by another drsim version (than each other or this one), of
/// other models (hash), seeds or total trial counts, and parts whose trials overlap or
/// leave some of the run's trials out; all of it is reported, naming the files
/// ([`AnalysisError::Merge`]).
pub fn merge(parts: Vec<(PathBuf, Part)>) -> Result<Merged, AnalysisError> {
    merge_parts(parts).map_err(|problems| AnalysisError::Merge { problems })
}

/// [`merge`], the error being the problems.
fn merge_parts(mut parts: Vec<(PathBuf, Part)>) -> Result<Merged, Vec<String>> {
    if parts.is_empty() {
        return Err(vec!["no part files to merge".into()]);
    }
    let mut problems = Vec::new();
    let version = env!("CARGO_PKG_VERSION");
    if let Some(problem) = disagreement(&parts, "drsim version", |p| p.drsim_version.clone()) {
        problems.push(problem);
    } else if parts[0].1.drsim_version != version {
        problems.push(format!(
            "the parts were written by drsim {}; this is drsim {version}: merge them with the \
             drsim that ran them",
            parts[0].1.drsim_version
        ));
    }
    problems.extend(disagreement(&parts, "model hash", |p| {
        format!("{} ({})", p.model_hash, p.context.scenario)
    }));
    problems.extend(disagreement(&parts, "seed", |p| p.context.seed.to_string()));
    let totals = disagreement(&parts, "total trial count", |p| p.total_trials.to_string());
    let totals_agree = totals.is_none();
    problems.extend(totals);
    if problems.is_empty() {
        // Same version and model hash give the same context; a difference means a part
        // was edited or written by another build.
        problems.extend(disagreement(
            &parts,
            "model's names, objectives or frequencies",
            |p| format!("{:?}", p.context),
        ));
        // Every shard prices the same model the same way.
        problems.extend(disagreement(&parts, "cost block", |p| {
            format!("{:?}", p.cost)
        }));
    }
    if totals_agree {
        problems.extend(coverage(&mut parts));
    }
    if problems.is_empty() {
        problems.extend(overflow(&parts));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    parts.sort_by_key(|(_, p)| (p.trials.start, p.trials.end));
    let context = parts[0].1.context.clone();
    let mut stats = OutcomeStats::new(context.disasters.len(), parts[0].1.stats.limits().clone());
    for (_, part) in &parts {
        stats.merge_from(&part.stats);
    }
    Ok(Merged {
        context,
        stats,
        cost: parts[0].1.cost.clone(),
        parts: parts.len(),
    })
}

/// A problem if adding the parts' counts and sums would overflow (checked arithmetic:
/// the merge itself adds without checking). Only edited parts can get there; each part
/// is already checked (sum <= count x max).
fn overflow(parts: &[(PathBuf, Part)]) -> Option<String> {
    let disasters = parts[0].1.stats.disasters().len();
    for i in 0..disasters {
        let mut counts = [0u64; 6 + RECOVERY_STEPS];
        let mut metrics: Vec<(u64, u64, u128)> = Vec::new();
        for (path, part) in parts {
            let Some(d) = part.stats.disasters().get(i) else {
                continue;
            };
            let fail = |what: &str| {
                Some(format!(
                    "{}: stats.{i}.{what} overflows when added to the other parts",
                    path.display()
                ))
            };
            let named_counts = [
                ("trials", d.trials),
                ("rto_met", d.rto_met),
                ("rpo_met", d.rpo_met),
                ("events", d.events),
                ("unneeded_failovers", d.unneeded_failovers),
                ("failed_recoveries", d.failed_recoveries),
            ]
            .into_iter()
            .chain(d.failed_by_step.map(|n| ("failed_by_step", n)));
            for (total, (name, value)) in counts.iter_mut().zip(named_counts) {
                match total.checked_add(value) {
                    Some(sum) => *total = sum,
                    None => return fail(name),
                }
            }
            let named = [
                ("rto", &d.rto),
                ("rto_from_clock", &d.rto_from_clock),
                ("rpo", &d.rpo),
                ("first_success", &d.first_success),
                ("full_capacity", &d.full_capacity),
                ("loss_cents", &d.loss),
                ("failback", &d.failback),
                ("rto_failed", &d.rto_failed),
                ("rto_clean", &d.rto_clean),
            ]
            .into_iter()
            .chain(d.rto_at.iter().map(|metric| ("rto_at", metric)));
            for (k, (name, metric)) in named.enumerate() {
                if metrics.len() == k {
                    metrics.push((0, 0, 0));
                }
                let total = &mut metrics[k];
                let added = (
                    total.0.checked_add(metric.count),
                    total.1.checked_add(metric.none),
                    total.2.checked_add(metric.sum),
                );
                match added {
                    (Some(count), Some(none), Some(sum)) => *total = (count, none, sum),
                    _ => return fail(name),
                }
            }
        }
    }
    None
}

/// Files named in a message: all of them up to a few, then how many more.
fn file_list(paths: &[&Path]) -> String {
    const SHOWN: usize = 4;
    let mut names: Vec<String> = paths
        .iter()
        .take(SHOWN)
        .map(|p| p.display().to_string())
        .collect();
    if paths.len() > SHOWN {
        names.push(format!("and {} more", paths.len() - SHOWN));
    }
    names.join(", ")
}

/// "the parts disagree on the seed: 7 in a.json, b.json; 8 in c.json", or `None` if all
/// parts have the same `key`.
fn disagreement(
    parts: &[(PathBuf, Part)],
    what: &str,
    key: impl Fn(&Part) -> String,
) -> Option<String> {
    let mut groups: BTreeMap<String, Vec<&Path>> = BTreeMap::new();
    for (path, part) in parts {
        groups.entry(key(part)).or_default().push(path);
    }
    if groups.len() < 2 {
        return None;
    }
    let long = groups.keys().any(|k| k.len() > 80);
    let groups: Vec<String> = groups
        .iter()
        .enumerate()
        .map(|(i, (value, paths))| {
            if long {
                format!("version {} in {}", i + 1, file_list(paths))
            } else {
                format!("{value} in {}", file_list(paths))
            }
        })
        .collect();
    Some(format!(
        "the parts disagree on the {what}: {}",
        groups.join("; ")
    ))
}

/// Problems with how the parts' trials cover `[0, total)`: overlaps (including the same
/// shard twice) and gaps. Sorts `parts` by trials.
fn coverage(parts: &mut [(PathBuf, Part)]) -> Vec<String> {
    let total = parts[0].1.total_trials;
    parts.sort_by_key(|(_, p)| (p.trials.start, p.trials.end, p.shard));
    let parts: &[(PathBuf, Part)] = parts;
    let mut problems = Vec::new();
    // Two copies of one shard: reported once as such, whether or not it holds trials.
    for pair in parts.windows(2) {
        let [(a_path, a), (b_path, b)] = pair else {
            continue;
        };
        if a.shard == b.shard {
            problems.push(format!(
                "{} and {} are both shard {} (trials {:?}): give each shard once",
                a_path.display(),
                b_path.display(),
                a.shard,
                a.trials
            ));
        }
    }
    let same_count = parts
        .iter()
        .all(|(_, p)| p.shard.count == parts[0].1.shard.count);
    let mut covered = 0;
    let mut last: Option<&(PathBuf, Part)> = None;
    for entry in parts.iter() {
        let (path, part) = entry;
        let trials = &part.trials;
        if trials.is_empty() {
            continue;
        }
        if trials.start > covered {
            problems.push(gap(covered..trials.start, parts, same_count));
        }
        if let Some((last_path, last_part)) = last
            && trials.start < covered
            && last_part.shard != part.shard
        {
            problems.push(format!(
                "{} (trials {:?}) and {} (trials {:?}) overlap on trials {:?}",
                last_path.display(),
                last_part.trials,
                path.display(),
                trials,
                trials.start..covered.min(trials.end)
            ));
        }
        if trials.end > covered {
            covered = trials.end;
            last = Some(entry);
        }
    }
    if covered < total {
        problems.push(gap(covered..total, parts, same_count));
    }
    problems
}

/// "no part holds trials a..b", with the missing shards when all parts split the run
/// the same way.
fn gap(missing: Range<u64>, parts: &[(PathBuf, Part)], same_count: bool) -> String {
    let mut text = format!("no part holds trials {missing:?}");
    if same_count {
        let count = parts[0].1.shard.count;
        let total = parts[0].1.total_trials;
        let shards: Vec<String> = (0..count)
            .map(|k| Shard { index: k, count })
            .filter(|s| {
                let r = s.trials(total);
                !r.is_empty() && r.start < missing.end && missing.start < r.end
            })
            .take(8)
            .map(|s| s.file_name())
            .collect();
        if !shards.is_empty() {
            text.push_str(&format!(" (missing: {})", shards.join(", ")));
        }
    }
    text
}

#[cfg(test)]
mod tests;
