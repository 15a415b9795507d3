//! Which assumption decides the answer: every uncertain input of a model is set to a low
//! and a high value in turn, one at a time, and the model is re-run with the same seed
//! and trials. Common random numbers make the comparison sharp: trial `i` of every
//! variant draws from the same `(seed, i)` stream, so a variant differs from the base
//! by the input's effect, not by a fresh sample's noise.
//!
//! Ranges (documented in docs/model-format.md, "Sensitivity"):
//! - durations (a timing distribution, a TTL, a health check interval): x0.5 and x2;
//! - shares (clients honouring the TTL): their minority part halved and doubled
//!   (0.95 -> 0.975 and 0.90), within [0, 1];
//! - counts (a failure threshold): one less (at least 1) and one more;
//! - rates (restore GB/h) and sizes (data GB): x0.5 and x2;
//! - frequencies (`per_year`): x0.5 and x2 (they move the overall weights and the money);
//! - probabilities that a recovery step fails or the control plane is impaired: x0.5
//!   and x2 (at most 1), with their retry delay and impairment's length; only those
//!   switched on (above 0) or given a range in the model.
//!
//! An input whose value came from a line whose comment says "unsourced" is marked so:
//! those are the assumptions to check first.

use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::AnalysisError;
use crate::analysis::compare::{Scope, figures};
use crate::analysis::pipeline::{Evaluation, StrategyRun};
use crate::model::load::Sources;
use crate::model::locate::closest;
use crate::model::ranges::Bound;
use crate::model::units::format_duration;
use crate::model::{CopySize, Dist, Millis, Model, ObjectReplication};
use crate::run::runner::Runner;
use crate::run::simulate::{RunError, RunSettings};

/// Which end of its range an input is set to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The low end.
    Low,
    /// The high end.
    High,
}

/// Sets one input of a model to one end of its default range; returns the value set,
/// described.
type Apply = Box<dyn Fn(&mut Model, Side) -> String + Send + Sync>;

/// Sets one input of a model to a point of a range the model gives it; returns the
/// value set, described.
type SetAt = Box<dyn Fn(&mut Model, Bound) -> String + Send + Sync>;

/// Reaches a distribution in a model (`None`: this model has none there).
type DistOf = fn(&mut Model) -> Option<&mut Dist>;

/// Reaches a distribution of the `usize`-th region or disaster.
type IndexedDistOf = fn(&mut Model, usize) -> Option<&mut Dist>;

/// One uncertain input: its model key, its value, and how to vary it.
pub struct Input {
    /// The model key path (`routing.clients_honouring_ttl`).
    pub name: String,
    /// The value in the model, described.
    pub value: String,
    /// Whether the line that set it says it is unsourced.
    pub unsourced: bool,
    /// The range the model gives it (`{ low, high }`), which replaces the default one.
    pub range: Option<(Bound, Bound)>,
    apply: Apply,
    set_at: SetAt,
}

impl Input {
    fn new(name: String, value: String, apply: Apply, set_at: SetAt) -> Self {
        Input {
            name,
            value,
            unsourced: false,
            range: None,
            apply,
            set_at,
        }
    }

    /// A copy of `model` with this input at `side` of its range (the model's, else the
    /// default), and the value set, described.
    pub fn variant(&self, model: &Model, side: Side) -> (Model, String) {
        let mut variant = model.clone();
        let value = match (self.range, side) {
            (Some((low, _)), Side::Low) => (self.set_at)(&mut variant, low),
            (Some((_, high)), Side::High) => (self.set_at)(&mut variant, high),
            (None, side) => (self.apply)(&mut variant, side),
        };
        (variant, value)
    }

    /// Sets this input of `model` (as written: the bounds are read from it) to the point
    /// a share `t` of the way from its model range's low end to its high end; `None` if
    /// the model gives it no range.
    pub fn set_between(&self, model: &mut Model, t: f64) -> Option<String> {
        let (low, high) = self.range?;
        Some((self.set_at)(model, Bound::between(low, high, t)))
    }
}

/// A number at a point of its range: a factor of it, or a value.
fn number_at(v: f64, at: Bound) -> f64 {
    match at {
        Bound::Factor(f) => v * f,
        Bound::Value(x) => x,
    }
}

/// A distribution at a point of its range: every time scaled, or a fixed duration.
fn dist_at(dist: &Dist, at: Bound) -> Dist {
    match at {
        Bound::Factor(f) => dist.scaled(f),
        Bound::Value(ms) => Dist::Fixed(ms),
    }
}

/// What a run says, in the figures the sensitivity ranks by.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Answer {
    /// RTO p99, seconds; `None`: never recovered at that quantile.
    pub rto_p99_seconds: Option<f64>,
    /// Probability of meeting the RTO objective.
    pub p_rto_met: f64,
    /// RPO p99, seconds; `None`: data lost at that quantile.
    pub rpo_p99_seconds: Option<f64>,
    /// Risk-adjusted monthly cost (all disasters), USD.
    pub risk_adjusted_monthly_usd: f64,
}

/// One input's effect: the answer at each end of its range and the swings (high minus
/// low; a "never" quantile counts as the horizon).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Swing {
    /// The model key path.
    pub name: String,
    /// The value in the model.
    pub value: String,
    /// The low value tried.
    pub low: String,
    /// The high value tried.
    pub high: String,
    /// Whether the model's value is marked unsourced where it was written.
    pub unsourced: bool,
    /// Whether low and high are the range written in the model (`{ low, high }`), not
    /// the default one.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub range_from_model: bool,
    /// The answer with the low value.
    pub at_low: Answer,
    /// The answer with the high value.
    pub at_high: Answer,
    /// Change in P(RTO met), high minus low.
    pub swing_p_rto_met: f64,
    /// Change in RTO p99, seconds.
    pub swing_rto_p99_seconds: f64,
    /// Change in RPO p99, seconds.
    pub swing_rpo_p99_seconds: f64,
    /// Change in risk-adjusted monthly cost, USD.
    pub swing_risk_adjusted_monthly_usd: f64,
}

/// The sensitivity of one model: its base answer and every input's swing, largest
/// first (by |swing in P(RTO met)|, then |swing in RTO p99|).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sensitivity {
    /// Scenario name.
    pub scenario: String,
    /// The disaster the figures are for; `None`: all disasters, weighted by frequency.
    pub disaster: Option<String>,
    /// Trials per variant.
    pub trials: u64,
    /// Seed shared by every variant (common random numbers).
    pub seed: u64,
    /// Runs made (the base and two per input).
    pub runs: usize,
    /// The answer with the model as written.
    pub base: Answer,
    /// Every input's effect, largest first.
    pub inputs: Vec<Swing>,
}

/// The uncertain inputs of `model`, with their sources' "unsourced" marks when the
/// model's sources are known.
pub fn inputs(model: &Model, sources: Option<&Sources>) -> Vec<Input> {
    let mut all = Vec::new();
    timing_inputs(model, &mut all);
    routing_inputs(model, &mut all);
    fleet_inputs(model, &mut all);
    data_inputs(model, &mut all);
    disaster_inputs(model, &mut all);
    failure_inputs(model, &mut all);
    correlated_inputs(model, &mut all);
    for input in &mut all {
        input.range = model_range(model, &input.name);
    }
    let Some(sources) = sources else {
        return all;
    };
    for input in &mut all {
        let keys: Vec<&str> = input.name.split('.').collect();
        input.unsourced = (sources.source(&keys).and_then(|s| s.comment))
            .is_some_and(|c| c.to_ascii_lowercase().contains("unsourced"));
    }
    all
}

/// Runs the base model and both ends of every input (of the inputs named in `names`, if
/// any), in `scope`, with `settings` (trials and threads) and the model's seed;
/// `progress` gets the runs done.
///
/// For one disaster, every trial simulates that disaster (the model is cut down to it),
/// so its figures come from all `settings.trials` trials, and the money is that of the
/// bill plus that disaster's failover cost and expected loss.
pub fn sensitivity(
    model: &Model,
    file: &Path,
    sources: Option<&Sources>,
    scope: &Scope,
    names: &[String],
    settings: &RunSettings,
    progress: impl Fn(usize, usize) + Sync,
) -> Result<Sensitivity, AnalysisError> {
    let model = &only(model, scope);
    let inputs = chosen(inputs(model, sources), names, file)?;
    let runs = 1 + 2 * inputs.len();
    let mut variants = vec![(model.clone(), String::new())];
    for input in &inputs {
        variants.push(input.variant(model, Side::Low));
        variants.push(input.variant(model, Side::High));
    }
    let (models, values): (Vec<Model>, Vec<String>) = variants.into_iter().unzip();
    let runs_of = models.into_iter().map(|m| (m, settings.trials.clone()));
    let mut answers = answers(runs_of.collect(), file, scope, settings, &progress)?.into_iter();
    let base = answers.next().expect("the base model ran");
    let ends: Vec<(String, Answer)> = values.into_iter().skip(1).zip(answers).collect();
    let mut swings: Vec<Swing> = (inputs.iter().zip(ends.chunks_exact(2)))
        .map(|(input, ends)| {
            let [(low, at_low), (high, at_high)] = [ends[0].clone(), ends[1].clone()];
            swing(input, low, high, at_low, at_high, model)
        })
        .collect();
    swings.sort_by(|a, b| rank(b).total_cmp(&rank(a)).then(a.name.cmp(&b.name)));
    Ok(Sensitivity {
        scenario: model.name.clone(),
        disaster: scope.disaster().map(str::to_string),
        trials: settings.trials.end - settings.trials.start,
        seed: model.simulation.seed,
        runs,
        base,
        inputs: swings,
    })
}

/// Runs every model of `runs` (variants of one model: they share its price catalog) on
/// its trials, with the threads of `settings`, side by side on one pool, and gives each
/// one's answer in `scope`, in order; `progress` gets the runs done and the runs in all.
pub(crate) fn answers(
    runs: Vec<(Model, Range<u64>)>,
    file: &Path,
    scope: &Scope,
    settings: &RunSettings,
    progress: impl Fn(usize, usize) + Sync,
) -> Result<Vec<Answer>, AnalysisError> {
    let Some((first, _)) = runs.first() else {
        return Ok(Vec::new());
    };
    let prices = crate::analysis::cost::load_prices(first)?;
    // Many runs share the threads: one task per thread and run is balance enough.
    let runner = Runner::new(settings.threads)
        .map_err(RunError::Threads)?
        .with_tasks_per_thread(1);
    let (done, count) = (AtomicUsize::new(0), runs.len());
    // Variants run side by side on one pool (each run's trials in parallel too): no
    // pool per run, and no run's last block leaves a thread idle.
    runner.install(|| {
        (runs.into_par_iter())
            .map(|(variant, trials)| {
                let settings = RunSettings {
                    trials,
                    threads: settings.threads,
                    trials_csv: None,
                };
                let run = Evaluation::prepare(variant, file)?
                    .price_with(&prices)?
                    .simulate_on(&runner, &settings, |_| {})?;
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, count);
                Ok(answer(&run, scope))
            })
            .collect()
    })
}

/// The range `model` gives the input `name`; the warm pool's is that of the state the
/// pool uses (`warm_pool_times.STATE`).
fn model_range(model: &Model, name: &str) -> Option<(Bound, Bound)> {
    let pool_state = (model.regions.iter())
        .find(|r| name == format!("regions.{}.asg.warm_pool_times", r.name))
        .and_then(|r| r.asg.warm_pool.as_ref())
        .map(|w| w.state.name());
    let key = match pool_state {
        Some(state) => format!("{name}.{state}"),
        None => name.to_string(),
    };
    model.range(&key).map(|r| (r.low, r.high))
}

/// The inputs named in `names`, in the model's order (all of them when `names` is
/// empty); a name that is not an input is an error naming the closest.
fn chosen(all: Vec<Input>, names: &[String], file: &Path) -> Result<Vec<Input>, AnalysisError> {
    if names.is_empty() {
        return Ok(all);
    }
    let known: Vec<String> = all.iter().map(|i| i.name.clone()).collect();
    if let Some(name) = names.iter().find(|n| !known.contains(n)) {
        return Err(AnalysisError::NoSuchInput {
            file: file.to_path_buf(),
            name: name.clone(),
            closest: closest(name, known.iter().map(String::as_str)).map(str::to_string),
            names: known,
        });
    }
    Ok(all
        .into_iter()
        .filter(|i| names.contains(&i.name))
        .collect())
}

/// `model` with only the disaster of `scope` (all of them for the overall scope).
fn only(model: &Model, scope: &Scope) -> Model {
    let mut cut = model.clone();
    if let Some(name) = scope.disaster() {
        cut.disasters.retain(|d| d.name == name);
    }
    cut
}

/// A share for people: at most six decimals, no float noise (0.9, not 0.8999999999999999).
fn share_text(p: f64) -> String {
    format!("{}", (p * 1e6).round() / 1e6)
}

/// The ranking key: the swing in P(RTO met), then in RTO p99 (as a tie-breaker, scaled
/// far below one percentage point).
fn rank(s: &Swing) -> f64 {
    s.swing_p_rto_met.abs() + 1e-12 * s.swing_rto_p99_seconds.abs()
}

/// The figures of `run` the sensitivity ranks by, in `scope`.
pub fn answer(run: &StrategyRun, scope: &Scope) -> Answer {
    let f = figures(run, scope);
    Answer {
        rto_p99_seconds: f.rto_seconds.p99,
        p_rto_met: f.p_rto_met,
        rpo_p99_seconds: f.rpo_seconds.p99,
        risk_adjusted_monthly_usd: run.cost().risk_adjusted_monthly_usd.unwrap_or(0.0),
    }
}

fn swing(
    input: &Input,
    low: String,
    high: String,
    at_low: Answer,
    at_high: Answer,
    model: &Model,
) -> Swing {
    let horizon = model.simulation.horizon as f64 / 1000.0;
    let seconds = |q: Option<f64>| q.unwrap_or(horizon);
    Swing {
        name: input.name.clone(),
        value: input.value.clone(),
        low,
        high,
        unsourced: input.unsourced,
        range_from_model: input.range.is_some(),
        swing_p_rto_met: at_high.p_rto_met - at_low.p_rto_met,
        swing_rto_p99_seconds: seconds(at_high.rto_p99_seconds) - seconds(at_low.rto_p99_seconds),
        swing_rpo_p99_seconds: seconds(at_high.rpo_p99_seconds) - seconds(at_low.rpo_p99_seconds),
        swing_risk_adjusted_monthly_usd: at_high.risk_adjusted_monthly_usd
            - at_low.risk_adjusted_monthly_usd,
        at_low,
        at_high,
    }
}

// ----- the inputs -----

/// The factor of a duration, rate or size at `side`.
fn factor(side: Side) -> f64 {
    match side {
        Side::Low => 0.5,
        Side::High => 2.0,
    }
}

/// An input that is a distribution, reached by `get` in a model.
fn dist_input(
    name: String,
    model: &Model,
    get: fn(&mut Model) -> Option<&mut Dist>,
) -> Option<Input> {
    let value = get(&mut model.clone())?.describe();
    let apply: Apply = Box::new(move |m, side| match get(m) {
        Some(dist) => {
            *dist = dist.scaled(factor(side));
            dist.describe()
        }
        None => String::new(),
    });
    let set_at: SetAt = Box::new(move |m, at| match get(m) {
        Some(dist) => {
            *dist = dist_at(dist, at);
            dist.describe()
        }
        None => String::new(),
    });
    Some(Input::new(name, value, apply, set_at))
}

/// An input that is a duration in ms, reached by `get`.
fn duration_input(
    name: String,
    model: &Model,
    get: fn(&mut Model) -> Option<&mut Millis>,
) -> Option<Input> {
    let value = format_duration(*get(&mut model.clone())? as f64);
    let apply: Apply = Box::new(move |m, side| match get(m) {
        Some(ms) => {
            *ms = ((*ms as f64) * factor(side)).round().max(1.0) as Millis;
            format_duration(*ms as f64)
        }
        None => String::new(),
    });
    let set_at: SetAt = Box::new(move |m, at| match get(m) {
        Some(ms) => {
            *ms = number_at(*ms as f64, at).round() as Millis;
            format_duration(*ms as f64)
        }
        None => String::new(),
    });
    Some(Input::new(name, value, apply, set_at))
}

fn timing_inputs(model: &Model, out: &mut Vec<Input>) {
    let recovery: [(&str, DistOf); 4] = [
        ("recovery.detection", |m| Some(&mut m.recovery.detection)),
        ("recovery.iac_network_time", |m| {
            Some(&mut m.recovery.iac_network_time)
        }),
        ("recovery.iac_redeploy_time", |m| {
            Some(&mut m.recovery.iac_redeploy_time)
        }),
        ("recovery.nat_replacement_time", |m| {
            Some(&mut m.recovery.nat_replacement_time)
        }),
    ];
    for (name, get) in recovery {
        out.extend(dist_input(name.into(), model, get));
    }
    if !model.recovery.automated {
        out.extend(dist_input("recovery.decision_time".into(), model, |m| {
            Some(&mut m.recovery.decision_time)
        }));
    }
}

fn routing_inputs(model: &Model, out: &mut Vec<Input>) {
    out.extend(duration_input(
        "routing.health_check_interval".into(),
        model,
        |m| Some(&mut m.routing.health_check.interval),
    ));
    out.push(threshold_input(model));
    out.extend(dist_input("routing.propagation".into(), model, |m| {
        Some(&mut m.routing.propagation)
    }));
    if model.routing.dns.is_none() {
        return;
    }
    out.extend(duration_input("routing.ttl".into(), model, |m| {
        m.routing.dns.as_mut().map(|d| &mut d.ttl)
    }));
    out.extend(dist_input("routing.stale_hold".into(), model, |m| {
        m.routing.dns.as_mut().map(|d| &mut d.stale_hold)
    }));
    out.extend(honour_share_input(model));
}

/// The Route 53 failure threshold: one less (at least 1) and one more.
fn threshold_input(model: &Model) -> Input {
    let value = model.routing.health_check.failure_threshold.to_string();
    let apply: Apply = Box::new(|m, side| {
        let t = &mut m.routing.health_check.failure_threshold;
        *t = match side {
            Side::Low => t.saturating_sub(1).max(1),
            Side::High => *t + 1,
        };
        t.to_string()
    });
    let set_at: SetAt = Box::new(|m, at| {
        let t = &mut m.routing.health_check.failure_threshold;
        *t = number_at(f64::from(*t), at).round().max(1.0) as u32;
        t.to_string()
    });
    Input::new("routing.failure_threshold".into(), value, apply, set_at)
}

/// The share of clients honouring the TTL: its minority part halved and doubled.
fn honour_share_input(model: &Model) -> Option<Input> {
    let share = model.routing.dns.as_ref()?.honour_share;
    let apply: Apply = Box::new(|m, side| {
        let Some(dns) = m.routing.dns.as_mut() else {
            return String::new();
        };
        dns.honour_share = vary_share(dns.honour_share, side);
        share_text(dns.honour_share)
    });
    let set_at: SetAt = Box::new(|m, at| {
        let Some(dns) = m.routing.dns.as_mut() else {
            return String::new();
        };
        dns.honour_share = number_at(dns.honour_share, at).clamp(0.0, 1.0);
        share_text(dns.honour_share)
    });
    Some(Input::new(
        "routing.clients_honouring_ttl".into(),
        share_text(share),
        apply,
        set_at,
    ))
}

/// A share whose minority part (the smaller of `p` and `1 - p`) is halved or doubled,
/// within [0, 1]. Low moves the share away from its near bound, high towards it.
pub fn vary_share(p: f64, side: Side) -> f64 {
    let upper = p >= 0.5;
    let minority = if upper { 1.0 - p } else { p };
    let scaled = (minority
        * match side {
            Side::Low => 2.0,
            Side::High => 0.5,
        })
    .min(0.5);
    if upper { 1.0 - scaled } else { scaled }
}

fn fleet_inputs(model: &Model, out: &mut Vec<Input>) {
    for (r, region) in model.regions.iter().enumerate() {
        let key = |field: &str| format!("regions.{}.asg.{field}", region.name);
        let fields: [(&str, IndexedDistOf); 3] = [
            ("launch_time", |m, r| {
                Some(&mut m.regions[r].asg.launch_time)
            }),
            ("bootstrap_time", |m, r| {
                Some(&mut m.regions[r].asg.bootstrap_time)
            }),
            ("scale_out_delay", |m, r| {
                Some(&mut m.regions[r].asg.scale_out_delay)
            }),
        ];
        for (field, get) in fields {
            out.push(region_dist_input(key(field), model, r, get));
        }
        if region.asg.warm_pool.is_some() {
            out.push(region_dist_input(
                format!("regions.{}.asg.warm_pool_times", region.name),
                model,
                r,
                |m, r| {
                    m.regions[r]
                        .asg
                        .warm_pool
                        .as_mut()
                        .map(|w| &mut w.time_to_in_service)
                },
            ));
        }
    }
}

/// A distribution of region `r`'s (regions are indexed, so the getter takes the index).
fn region_dist_input(name: String, model: &Model, r: usize, get: IndexedDistOf) -> Input {
    let value = get(&mut model.clone(), r).map_or(String::new(), |d| d.describe());
    let apply: Apply = Box::new(move |m, side| match get(m, r) {
        Some(dist) => {
            *dist = dist.scaled(factor(side));
            dist.describe()
        }
        None => String::new(),
    });
    let set_at: SetAt = Box::new(move |m, at| match get(m, r) {
        Some(dist) => {
            *dist = dist_at(dist, at);
            dist.describe()
        }
        None => String::new(),
    });
    Input::new(name, value, apply, set_at)
}

fn data_inputs(model: &Model, out: &mut Vec<Input>) {
    let db: [(&str, DistOf); 4] = [
        ("database.failover_time", |m| {
            Some(&mut m.database.failover_time)
        }),
        ("database.repair_time", |m| {
            Some(&mut m.database.repair_time)
        }),
        ("database.replication_lag", |m| {
            Some(&mut m.database.replication_lag)
        }),
        ("database.promotion_time", |m| {
            Some(&mut m.database.promotion_time)
        }),
    ];
    for (name, get) in db {
        // A fixed zero is a timing this configuration does not use.
        if get(&mut model.clone()).is_some_and(|d| *d != Dist::Fixed(0.0)) {
            out.extend(dist_input(name.into(), model, get));
        }
    }
    if let ObjectReplication::Crr { .. } = model.object_storage.replication {
        out.extend(dist_input(
            "object_storage.lag".into(),
            model,
            |m| match &mut m.object_storage.replication {
                ObjectReplication::Crr { lag, .. } => Some(lag),
                ObjectReplication::None => None,
            },
        ));
    }
    if model.backups.is_some() {
        backup_inputs(model, out);
    }
    out.push(data_size_input(model));
}

/// The data size x0.5 / x2 (or at its model range), and with it what a full (Aurora)
/// backup copy carries: the loader sized the copy from it.
fn data_size_input(model: &Model) -> Input {
    fn set(m: &mut Model, size: f64) -> String {
        m.workload.data_size_gb = size;
        let copy = m.backups.as_mut().and_then(|b| b.copy.as_mut());
        if let Some(CopySize::Full(gb)) = copy.map(|c| &mut c.size) {
            *gb = size;
        }
        format!("{size}")
    }
    let apply: Apply = Box::new(|m, side| set(m, m.workload.data_size_gb * factor(side)));
    let set_at: SetAt = Box::new(|m, at| set(m, number_at(m.workload.data_size_gb, at)));
    let value = format!("{}", model.workload.data_size_gb);
    Input::new("workload.data_size_gb".into(), value, apply, set_at)
}

fn backup_inputs(model: &Model, out: &mut Vec<Input>) {
    let dists: [(&str, DistOf); 4] = [
        ("backups.duration", |m| {
            m.backups.as_mut().map(|b| &mut b.duration)
        }),
        ("backups.copy_duration", |m| {
            (m.backups.as_mut()?.copy.as_mut()).map(|c| &mut c.duration)
        }),
        ("backups.log_copy_lag", |m| {
            (m.backups.as_mut()?.copy.as_mut())?.log_lag.as_mut()
        }),
        ("backups.restore_fixed", |m| {
            m.backups.as_mut().map(|b| &mut b.restore_fixed)
        }),
    ];
    for (name, get) in dists {
        out.extend(dist_input(name.into(), model, get));
    }
    out.push(scale_input("backups.restore_gb_per_hour", model, |m| {
        m.backups.as_mut().map(|b| &mut b.restore_gb_per_hour)
    }));
    let copy_rate = (model.backups.as_ref()).and_then(|b| b.copy.as_ref()?.gb_per_hour);
    if copy_rate.is_some() {
        out.push(scale_input("backups.copy_gb_per_hour", model, |m| {
            m.backups.as_mut()?.copy.as_mut()?.gb_per_hour.as_mut()
        }));
    }
}

/// A positive number (a rate, a size, a frequency) scaled x0.5 and x2.
fn scale_input(name: &str, model: &Model, get: fn(&mut Model) -> Option<&mut f64>) -> Input {
    let value = get(&mut model.clone()).map_or(String::new(), |v| format!("{v}"));
    let apply: Apply = Box::new(move |m, side| match get(m) {
        Some(v) => {
            *v *= factor(side);
            format!("{v}")
        }
        None => String::new(),
    });
    let set_at: SetAt = Box::new(move |m, at| match get(m) {
        Some(v) => {
            *v = number_at(*v, at);
            format!("{v}")
        }
        None => String::new(),
    });
    Input::new(name.into(), value, apply, set_at)
}

fn disaster_inputs(model: &Model, out: &mut Vec<Input>) {
    for (i, d) in model.disasters.iter().enumerate() {
        let key = |field: &str| format!("disasters.{}.{field}", d.name);
        if d.kind.ends_by_itself() {
            out.push(indexed_dist(key("duration"), model, i, |m, i| {
                &mut m.disasters[i].duration
            }));
        }
        if d.kind.corrupts_data() {
            out.push(indexed_dist(key("detection_delay"), model, i, |m, i| {
                &mut m.disasters[i].detection_delay
            }));
        }
        let value = format!("{}", d.per_year);
        let apply: Apply = Box::new(move |m, side| {
            m.disasters[i].per_year *= factor(side);
            format!("{}", m.disasters[i].per_year)
        });
        let set_at: SetAt = Box::new(move |m, at| {
            let per_year = &mut m.disasters[i].per_year;
            *per_year = number_at(*per_year, at);
            format!("{per_year}")
        });
        out.push(Input::new(key("per_year"), value, apply, set_at));
    }
}

/// Reaches the probability of one way recovery can fail.
type ProbabilityOf = fn(&mut Model) -> &mut f64;

/// The probabilities that recovery steps fail and that the control plane is impaired,
/// with their retry delays and the impairment's length: those switched on, or given a
/// range in the model (a probability of 0 halved and doubled stays 0).
fn failure_inputs(model: &Model, out: &mut Vec<Input>) {
    let failures: [(&str, &str, ProbabilityOf, DistOf); 4] = [
        (
            "launch_failure",
            "retry_after",
            |m| &mut m.recovery.launch_failure.probability,
            |m| Some(&mut m.recovery.launch_failure.retry_after),
        ),
        (
            "iac_failure",
            "retry_after",
            |m| &mut m.recovery.iac_failure.probability,
            |m| Some(&mut m.recovery.iac_failure.retry_after),
        ),
        (
            "database_failure",
            "retry_after",
            |m| &mut m.recovery.database_failure.probability,
            |m| Some(&mut m.recovery.database_failure.retry_after),
        ),
        (
            "control_plane",
            "impaired_for",
            |m| &mut m.recovery.control_plane.probability,
            |m| Some(&mut m.recovery.control_plane.impaired_for),
        ),
    ];
    for (step, delay, probability, delay_of) in failures {
        let name = format!("recovery.{step}.probability");
        let p = *probability(&mut model.clone());
        if p <= 0.0 && model_range(model, &name).is_none() {
            continue;
        }
        let apply: Apply = Box::new(move |m, side| {
            let p = probability(m);
            *p = (*p * factor(side)).min(1.0);
            share_text(*p)
        });
        let set_at: SetAt = Box::new(move |m, at| {
            let p = probability(m);
            *p = number_at(*p, at).clamp(0.0, 1.0);
            share_text(*p)
        });
        out.push(Input::new(name, share_text(p), apply, set_at));
        out.extend(dist_input(
            format!("recovery.{step}.{delay}"),
            model,
            delay_of,
        ));
    }
}

/// The timings of correlated and grey events, when the model has them on: the
/// customer-report delay, the blue/green shift, the recovery region's impairment, and
/// each disaster's decision time per signal (all unsourced).
fn correlated_inputs(model: &Model, out: &mut Vec<Input>) {
    let recovery: [(&str, DistOf); 3] = [
        ("recovery.error_alarm.customer_report", |m| {
            m.recovery
                .error_alarm
                .as_mut()
                .map(|a| &mut a.customer_report)
        }),
        ("recovery.rollback.shift_time", |m| {
            let rollback = &mut m.recovery.rollback;
            rollback.blue_green.then_some(&mut rollback.shift_time)
        }),
        ("recovery.recovery_region.impaired_for", |m| {
            let rr = &mut m.recovery.recovery_region;
            (rr.probability > 0.0).then_some(&mut rr.impaired_for)
        }),
    ];
    for (name, get) in recovery {
        out.extend(dist_input(name.into(), model, get));
    }
    for (i, d) in model.disasters.iter().enumerate() {
        let key = |field: &str| format!("disasters.{}.{field}", d.name);
        if d.decision.after_alarm.is_some() {
            out.push(indexed_dist(
                key("decision_after_alarm"),
                model,
                i,
                |m, i| {
                    m.disasters[i]
                        .decision
                        .after_alarm
                        .get_or_insert(Dist::Fixed(0.0))
                },
            ));
        }
        if d.decision.after_report.is_some() {
            out.push(indexed_dist(
                key("decision_after_report"),
                model,
                i,
                |m, i| {
                    m.disasters[i]
                        .decision
                        .after_report
                        .get_or_insert(Dist::Fixed(0.0))
                },
            ));
        }
    }
}

/// A distribution of disaster `i`'s.
fn indexed_dist(
    name: String,
    model: &Model,
    i: usize,
    get: fn(&mut Model, usize) -> &mut Dist,
) -> Input {
    let value = get(&mut model.clone(), i).describe();
    let apply: Apply = Box::new(move |m, side| {
        let dist = get(m, i);
        *dist = dist.scaled(factor(side));
        dist.describe()
    });
    let set_at: SetAt = Box::new(move |m, at| {
        let dist = get(m, i);
        *dist = dist_at(dist, at);
        dist.describe()
    });
    Input::new(name, value, apply, set_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_vary_their_minority_part() {
        assert!((vary_share(0.95, Side::Low) - 0.90).abs() < 1e-12);
        assert!((vary_share(0.95, Side::High) - 0.975).abs() < 1e-12);
        assert!((vary_share(0.1, Side::Low) - 0.2).abs() < 1e-12);
        assert!((vary_share(0.1, Side::High) - 0.05).abs() < 1e-12);
        assert_eq!(vary_share(1.0, Side::Low), 1.0);
        assert_eq!(vary_share(0.4, Side::Low), 0.5);
    }
}
