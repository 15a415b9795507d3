//! Statistics of trial outcomes: an exactly mergeable accumulator, and the quantile and
//! interval arithmetic the summary is computed with.
//!
//! Every field of the accumulator is an integer (counts, sums, maxima, histogram counts),
//! so merging is exact: any grouping of any split of the trials gives the same
//! accumulator. That is what makes a run identical for any thread count, and what lets
//! shards of a run be merged later. Memory is flat in the number of trials.

use hdrhistogram::Histogram;

use crate::model::{Clock, Millis, Objective};
use crate::run::runner::Accumulator;
use crate::sim::trial::{RecoveryStep, TrialOutcome};

/// Significant decimal digits of the histograms: values are kept to 0.1% relative error.
pub const SIGNIFICANT_DIGITS: u8 = 3;

/// The relative error of a quantile read from the histograms.
pub const QUANTILE_RELATIVE_ERROR: f64 = 0.001;

/// Two-sided 95% normal quantile.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// One measured duration (e.g. RTO) over the trials of one disaster.
///
/// `None` outcomes (never recovered, data lost) are counted apart: they rank above every
/// finite value.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// Finite values, in milliseconds, to 0.1%.
    pub histogram: Histogram<u64>,
    /// Number of finite values.
    pub count: u64,
    /// Number of `None` outcomes.
    pub none: u64,
    /// Exact largest finite value.
    pub max: Millis,
    /// Exact sum of the finite values (for the mean).
    pub sum: u128,
}

impl Default for Metric {
    fn default() -> Self {
        Metric {
            // Auto-resizing from the smallest range: a histogram only grows to the
            // largest value it holds.
            histogram: Histogram::new(SIGNIFICANT_DIGITS).expect("3 significant digits are valid"),
            count: 0,
            none: 0,
            max: 0,
            sum: 0,
        }
    }
}

impl Metric {
    /// Adds one outcome.
    pub fn record(&mut self, value: Option<Millis>) {
        match value {
            Some(v) => {
                // `record` grows the histogram; only values beyond i64::MAX / 2 ms
                // (146 million years) fail, and those are clamped.
                if self.histogram.record(v).is_err() {
                    self.histogram.saturating_record(v);
                }
                self.count += 1;
                self.max = self.max.max(v);
                self.sum += u128::from(v);
            }
            None => self.none += 1,
        }
    }

    /// Adds the values of `other`.
    pub fn merge(&mut self, other: &Metric) {
        self.histogram
            .add(&other.histogram)
            .expect("an auto-resizing histogram takes any other");
        self.count += other.count;
        self.none += other.none;
        self.max = self.max.max(other.max);
        self.sum += other.sum;
    }

    /// Number of outcomes, finite or not.
    pub fn total(&self) -> u64 {
        self.count + self.none
    }

    /// Mean of the finite values, ms; `None` if there are none.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / self.count as f64)
    }
}

/// The accumulated outcomes of the trials of one disaster.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DisasterStats {
    /// Trials run.
    pub trials: u64,
    /// Recovery time.
    pub rto: Metric,
    /// Recovery time at each share of `rto_thresholds`, in order.
    pub rto_at: Vec<Metric>,
    /// Recovery time counted from the objective's clock; empty when that clock is the
    /// disaster's start (it would repeat `rto`).
    pub rto_from_clock: Metric,
    /// Data-loss window.
    pub rpo: Metric,
    /// Time to the first successful request.
    pub first_success: Metric,
    /// Time to full capacity.
    pub full_capacity: Metric,
    /// Failing requests over the trial: the integral to the horizon of the share of
    /// requests failing, ms of full outage (half the requests failing for an hour is
    /// 30 min).
    pub outage: Metric,
    /// Business loss of the trial, whole US cents: downtime cost over the outage (above)
    /// plus data-loss cost over the RPO; lost data counts as the horizon (a lower bound).
    pub loss: Metric,
    /// Trials with an RTO within the objective.
    pub rto_met: u64,
    /// Trials with an RPO within the objective.
    pub rpo_met: u64,
    /// Events handled.
    pub events: u64,
    /// Duration of the planned fail-back, over the trials that need one (its count is
    /// how many do; no `None`s). Not part of the RTO.
    pub failback: Metric,
    /// Trials whose promotion completed after the failure had ended by itself.
    pub unneeded_failovers: u64,
    /// Trials in which some recovery step failed at least once or stalled.
    pub failed_recoveries: u64,
    /// Per step of [`RecoveryStep::ALL`], in its order: trials in which it failed or
    /// stalled (a trial may count under several).
    pub failed_by_step: [u64; RECOVERY_STEPS],
    /// Recovery time of the trials in which some step failed or stalled.
    pub rto_failed: Metric,
    /// Recovery time of the other trials.
    pub rto_clean: Metric,
}

/// How many recovery steps can fail or stall.
pub const RECOVERY_STEPS: usize = RecoveryStep::ALL.len();

impl DisasterStats {
    /// Empty statistics with room for `rto_thresholds` extra RTO shares.
    pub fn new(rto_thresholds: usize) -> Self {
        DisasterStats {
            rto_at: vec![Metric::default(); rto_thresholds],
            ..DisasterStats::default()
        }
    }

    fn merge(&mut self, other: &DisasterStats) {
        self.trials += other.trials;
        self.rto.merge(&other.rto);
        for (mine, theirs) in self.rto_at.iter_mut().zip(&other.rto_at) {
            mine.merge(theirs);
        }
        self.rto_from_clock.merge(&other.rto_from_clock);
        self.rpo.merge(&other.rpo);
        self.first_success.merge(&other.first_success);
        self.full_capacity.merge(&other.full_capacity);
        self.outage.merge(&other.outage);
        self.loss.merge(&other.loss);
        self.rto_met += other.rto_met;
        self.rpo_met += other.rpo_met;
        self.events += other.events;
        self.failback.merge(&other.failback);
        self.unneeded_failovers += other.unneeded_failovers;
        self.failed_recoveries += other.failed_recoveries;
        for (mine, theirs) in self.failed_by_step.iter_mut().zip(other.failed_by_step) {
            *mine += theirs;
        }
        self.rto_failed.merge(&other.rto_failed);
        self.rto_clean.merge(&other.rto_clean);
    }
}

/// The longest RTO and RPO that meet one disaster's objective.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ObjectiveLimits {
    /// Longest recovery time that meets the RTO objective.
    pub rto: Millis,
    /// Longest data-loss window that meets the RPO objective.
    pub rpo: Millis,
    /// Where the RTO is counted from.
    pub clock: Clock,
}

impl From<&Objective> for ObjectiveLimits {
    fn from(objective: &Objective) -> Self {
        ObjectiveLimits {
            rto: objective.rto,
            rpo: objective.rpo,
            clock: objective.clock,
        }
    }
}

/// The objectives a trial is checked against while it is recorded (its own disaster's),
/// and the rates its business loss is counted at (integers, so that recording stays
/// exact).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Per disaster, by disaster index: the objective its trials are counted against.
    pub objectives: Vec<ObjectiveLimits>,
    /// How many extra RTO shares (`rto_thresholds`) each trial measures.
    pub rto_thresholds: usize,
    /// Stands in for an unbounded RTO or RPO in the loss (a lower bound).
    pub horizon: Millis,
    /// Cost of downtime, US cents per hour.
    pub downtime_cents_per_hour: u64,
    /// Cost of lost writes, US cents per hour of data lost.
    pub data_loss_cents_per_hour: u64,
}

impl Limits {
    /// The limits and loss rates of `model`.
    pub fn for_model(model: &crate::model::Model) -> Self {
        let cents = |usd: f64| (usd * 100.0).round().max(0.0) as u64;
        Limits {
            objectives: (model.disasters)
                .iter()
                .map(|d| ObjectiveLimits::from(&d.objective))
                .collect(),
            rto_thresholds: model.simulation.rto_thresholds.len(),
            horizon: model.simulation.horizon,
            downtime_cents_per_hour: cents(model.cost.downtime_usd_per_hour),
            data_loss_cents_per_hour: cents(model.cost.data_loss_usd_per_hour),
        }
    }

    /// Loss of one trial, whole cents (rounded down): `outage` ms of full outage at the
    /// downtime rate, the RPO at the data-loss rate.
    pub fn loss_cents(&self, outage: Millis, rpo: Option<Millis>) -> u64 {
        let at = |ms: Option<Millis>, cents_per_hour: u64| {
            u128::from(ms.unwrap_or(self.horizon)) * u128::from(cents_per_hour)
                / u128::from(crate::model::units::HOUR)
        };
        let total =
            at(Some(outage), self.downtime_cents_per_hour) + at(rpo, self.data_loss_cents_per_hour);
        u64::try_from(total).unwrap_or(u64::MAX)
    }
}

/// Accumulated outcomes of trials, per disaster index.
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeStats {
    limits: Limits,
    disasters: Vec<DisasterStats>,
}

impl OutcomeStats {
    /// Empty statistics for `disasters` disasters, counting objectives met against `limits`.
    ///
    /// # Panics
    /// If `limits` has not one objective per disaster.
    pub fn new(disasters: usize, limits: Limits) -> Self {
        assert_eq!(
            limits.objectives.len(),
            disasters,
            "one objective per disaster"
        );
        let empty = DisasterStats::new(limits.rto_thresholds);
        OutcomeStats {
            limits,
            disasters: vec![empty; disasters],
        }
    }

    /// Statistics made of per-disaster parts, e.g. read back from a shard's part file.
    pub fn from_disasters(limits: Limits, disasters: Vec<DisasterStats>) -> Self {
        OutcomeStats { limits, disasters }
    }

    /// The limits objectives are checked against.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Per-disaster statistics, by disaster index.
    pub fn disasters(&self) -> &[DisasterStats] {
        &self.disasters
    }

    /// Trials recorded, over all disasters.
    pub fn trials(&self) -> u64 {
        self.disasters.iter().map(|d| d.trials).sum()
    }

    /// Adds one outcome.
    pub fn add(&mut self, outcome: &TrialOutcome) {
        let limits = &self.limits;
        let objective = limits.objectives[outcome.disaster];
        let d = &mut self.disasters[outcome.disaster];
        d.trials += 1;
        d.rto.record(outcome.rto);
        for (metric, &rto) in d.rto_at.iter_mut().zip(&outcome.rto_at) {
            metric.record(rto);
        }
        let rto = outcome.rto_from(objective.clock);
        if !objective.clock.is_disaster() {
            d.rto_from_clock.record(rto);
        }
        d.rpo.record(outcome.rpo);
        d.first_success.record(outcome.first_success);
        d.full_capacity.record(outcome.full_capacity);
        d.outage.record(Some(outcome.outage));
        d.loss
            .record(Some(limits.loss_cents(outcome.outage, outcome.rpo)));
        // A `None` never meets an objective: not recovered, or all data lost.
        d.rto_met += u64::from(rto.is_some_and(|v| v <= objective.rto));
        d.rpo_met += u64::from(outcome.rpo.is_some_and(|v| v <= objective.rpo));
        d.events += outcome.events;
        if let Some(failback) = outcome.failback {
            d.failback.record(Some(failback));
        }
        d.unneeded_failovers += u64::from(outcome.unneeded_failover);
        let failed = outcome.failed_steps;
        d.failed_recoveries += u64::from(failed.any());
        for step in RecoveryStep::ALL {
            d.failed_by_step[step.index()] += u64::from(failed.contains(step));
        }
        match failed.any() {
            true => d.rto_failed.record(outcome.rto),
            false => d.rto_clean.record(outcome.rto),
        }
    }

    /// Adds all the outcomes of `other` (a run of the same model).
    ///
    /// # Panics
    /// If `other` has other limits or another number of disasters: merging runs of
    /// different models is a bug.
    pub fn merge_from(&mut self, other: &OutcomeStats) {
        assert_eq!(
            self.limits, other.limits,
            "merging runs with other objectives"
        );
        assert_eq!(
            self.disasters.len(),
            other.disasters.len(),
            "merging runs of other models"
        );
        for (mine, theirs) in self.disasters.iter_mut().zip(&other.disasters) {
            mine.merge(theirs);
        }
    }
}

impl Accumulator<TrialOutcome> for OutcomeStats {
    fn record(&mut self, _trial: u64, outcome: &TrialOutcome) {
        self.add(outcome);
    }

    fn merge(&mut self, later: Self) {
        self.merge_from(&later);
    }
}

/// One stratum of a mixture: a metric and the share of the mixture it stands for.
#[derive(Clone, Copy, Debug)]
pub struct Stratum<'a> {
    /// Share of the mixture (weights need not sum to 1; they are normalised).
    pub weight: f64,
    /// The stratum's values.
    pub metric: &'a Metric,
}

/// Slack on the cumulative weight when comparing it with a quantile: sums of weighted
/// shares carry rounding of about 1e-16; the slack keeps "exactly at q" from falling to
/// the next bucket, and is far below one trial's share in any run (below 1e9 trials).
const CDF_SLACK: f64 = 1e-9;

/// Quantile `q` (0 < q <= 1) of the mixture of `strata`, ms: the smallest value whose
/// weighted cumulative share reaches `q` (nearest rank). `None` ("never") if the
/// quantile falls among the `None` outcomes, which rank above every value, or if no
/// stratum has outcomes.
///
/// Each stratum's trials share its weight equally. Values are bucket tops of the
/// histograms (0.1% relative error), capped at the stratum's exact maximum, so `q = 1`
/// gives the exact maximum when every outcome is finite. Strata without outcomes are
/// left out and the weights of the others renormalised.
pub fn mixture_quantile(strata: &[Stratum<'_>], q: f64) -> Option<Millis> {
    let used: Vec<&Stratum<'_>> = strata
        .iter()
        .filter(|s| s.metric.total() > 0 && s.weight > 0.0)
        .collect();
    let total_weight: f64 = used.iter().map(|s| s.weight).sum();
    // (value, share of the mixture at that value), all strata together.
    let mut points: Vec<(Millis, f64)> = Vec::new();
    for s in &used {
        let share_per_trial = s.weight / total_weight / s.metric.total() as f64;
        for bucket in s.metric.histogram.iter_recorded() {
            let value = bucket.value_iterated_to().min(s.metric.max);
            points.push((value, bucket.count_at_value() as f64 * share_per_trial));
        }
    }
    // Stable sort: equal values keep stratum order, so the sum is the same every run.
    points.sort_by_key(|&(value, _)| value);
    let mut cumulative = 0.0;
    for (value, share) in points {
        cumulative += share;
        if cumulative >= q - CDF_SLACK {
            return Some(value);
        }
    }
    None
}

/// Weighted mean of the strata's means (finite values only), ms; strata without finite
/// values are left out and the weights of the others renormalised.
pub fn mixture_mean(strata: &[Stratum<'_>]) -> Option<f64> {
    let means: Vec<(f64, f64)> = strata
        .iter()
        .filter(|s| s.weight > 0.0)
        .filter_map(|s| s.metric.mean().map(|m| (s.weight, m)))
        .collect();
    let total_weight: f64 = means.iter().map(|(w, _)| w).sum();
    (total_weight > 0.0).then(|| means.iter().map(|(w, m)| w * m).sum::<f64>() / total_weight)
}

/// Wilson score 95% interval for `successes` out of `trials`; `[0, 1]` with no trials.
pub fn wilson_interval(successes: u64, trials: u64) -> [f64; 2] {
    if trials == 0 {
        return [0.0, 1.0];
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = Z_95 * Z_95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z_95 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    [(centre - half).max(0.0), (centre + half).min(1.0)]
}

/// Successes and trials of one stratum, with its weight.
#[derive(Clone, Copy, Debug)]
pub struct Proportion {
    /// Share of the mixture.
    pub weight: f64,
    /// Trials that met the objective.
    pub successes: u64,
    /// Trials run.
    pub trials: u64,
}

/// The weighted proportion `sum w_k p_k` over strata with trials (weights renormalised
/// over them) and its 95% normal interval with stratified variance
/// `sum w_k^2 p~_k (1 - p~_k) / n_k`, where `p~ = (x + 2) / (n + 4)` (Agresti-Coull) so
/// that the interval is never of zero width, even when every trial met the objective.
/// Clamped to `[0, 1]`.
pub fn stratified_proportion(strata: &[Proportion]) -> (f64, [f64; 2]) {
    let used: Vec<&Proportion> = strata
        .iter()
        .filter(|s| s.trials > 0 && s.weight > 0.0)
        .collect();
    let total_weight: f64 = used.iter().map(|s| s.weight).sum();
    if used.is_empty() {
        return (0.0, [0.0, 1.0]);
    }
    let mut p = 0.0;
    let mut variance = 0.0;
    for s in used {
        let w = s.weight / total_weight;
        let n = s.trials as f64;
        let tilde = (s.successes as f64 + 2.0) / (n + 4.0);
        p += w * s.successes as f64 / n;
        variance += w * w * tilde * (1.0 - tilde) / n;
    }
    let half = Z_95 * variance.sqrt();
    (p, [(p - half).max(0.0), (p + half).min(1.0)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::units::SECOND;

    fn outcome(disaster: usize, rto: Option<Millis>, rpo: Option<Millis>) -> TrialOutcome {
        TrialOutcome {
            disaster,
            rto,
            rto_at: [None; crate::model::MAX_RTO_THRESHOLDS],
            detected: None,
            decided: None,
            rpo,
            first_success: rto,
            full_capacity: rto,
            outage: rto.unwrap_or(0),
            events: 3,
            failback: None,
            unneeded_failover: false,
            failed_steps: crate::sim::trial::FailedSteps::NONE,
        }
    }

    /// RTO 500 s and RPO 60 s for each of `n` disasters.
    fn limits(n: usize) -> Limits {
        Limits {
            objectives: vec![
                ObjectiveLimits {
                    rto: 500 * SECOND,
                    rpo: 60 * SECOND,
                    clock: Clock::Disaster,
                };
                n
            ],
            ..Limits::default()
        }
    }

    /// RTO of trial i is i seconds: the nearest-rank quantile q of 1..=n is ceil(q n).
    fn ramp(n: u64) -> OutcomeStats {
        let mut stats = OutcomeStats::new(1, limits(1));
        for i in 1..=n {
            stats.add(&outcome(0, Some(i * SECOND), Some(0)));
        }
        stats
    }

    fn single(metric: &Metric) -> [Stratum<'_>; 1] {
        [Stratum {
            weight: 1.0,
            metric,
        }]
    }

    fn assert_within_histogram_error(actual: Millis, expected: Millis) {
        let error = (actual as f64 - expected as f64).abs() / expected as f64;
        assert!(
            error <= QUANTILE_RELATIVE_ERROR,
            "{actual} vs {expected}: {error}"
        );
    }

    #[test]
    fn quantiles_of_a_ramp_are_its_ranks_within_a_thousandth() {
        let stats = ramp(1000);
        let rto = &stats.disasters()[0].rto;
        for (q, rank) in [(0.5, 500), (0.9, 900), (0.95, 950), (0.99, 990)] {
            let value = mixture_quantile(&single(rto), q).unwrap();
            assert_within_histogram_error(value, rank * SECOND);
        }
        assert_eq!(mixture_quantile(&single(rto), 1.0), Some(1000 * SECOND));
        assert_eq!(rto.mean(), Some(500.5 * SECOND as f64));
        assert_eq!(stats.disasters()[0].rto_met, 500);
        assert_eq!(stats.disasters()[0].rpo_met, 1000);
        assert_eq!(stats.disasters()[0].events, 3000);
    }

    #[test]
    fn never_recovered_trials_rank_above_every_value() {
        let mut stats = ramp(90);
        for _ in 0..10 {
            stats.add(&outcome(0, None, None));
        }
        let d = &stats.disasters()[0];
        assert_eq!((d.rto.count, d.rto.none, d.trials), (90, 10, 100));
        assert_within_histogram_error(mixture_quantile(&single(&d.rto), 0.9).unwrap(), 90 * SECOND);
        assert_eq!(mixture_quantile(&single(&d.rto), 0.91), None);
        assert_eq!(mixture_quantile(&single(&d.rto), 1.0), None);
        // The mean is over recovered trials only.
        assert_eq!(d.rto.mean(), Some(45.5 * SECOND as f64));
        // A `None` never meets an objective.
        assert_eq!((d.rto_met, d.rpo_met), (90, 90));
    }

    #[test]
    fn mixture_weights_strata_by_frequency_not_by_trials() {
        // Stratum A: 100 trials all at 10 s, weight 0.9. Stratum B: 100 trials all at
        // 1000 s, weight 0.1. The mixture CDF is 0.9 at 10 s and 1 at 1000 s.
        let mut stats = OutcomeStats::new(2, limits(2));
        for _ in 0..100 {
            stats.add(&outcome(0, Some(10 * SECOND), Some(0)));
            stats.add(&outcome(1, Some(1000 * SECOND), Some(0)));
        }
        let [a, b] = [&stats.disasters()[0].rto, &stats.disasters()[1].rto];
        let strata = [
            Stratum {
                weight: 0.9,
                metric: a,
            },
            Stratum {
                weight: 0.1,
                metric: b,
            },
        ];
        assert_eq!(mixture_quantile(&strata, 0.5), Some(10 * SECOND));
        assert_eq!(mixture_quantile(&strata, 0.9), Some(10 * SECOND));
        assert_eq!(mixture_quantile(&strata, 0.91), Some(1000 * SECOND));
        let mean = mixture_mean(&strata).unwrap();
        assert!((mean - 0.9 * 10_000.0 - 0.1 * 1_000_000.0).abs() < 1e-6);
    }

    #[test]
    fn merging_in_any_grouping_gives_the_same_accumulator() {
        let parts: Vec<OutcomeStats> = (0..3)
            .map(|p| {
                let mut s = OutcomeStats::new(2, limits(2));
                for i in 0..500u64 {
                    let rto = (i % 7 != 0).then_some(i * 977 * (p + 1));
                    s.add(&outcome((i % 2) as usize, rto, Some(i)));
                }
                s
            })
            .collect();
        let mut left = parts[0].clone();
        left.merge_from(&parts[1]);
        left.merge_from(&parts[2]);
        let mut right = parts[1].clone();
        right.merge_from(&parts[2]);
        let mut other = parts[0].clone();
        other.merge_from(&right);
        assert_eq!(left, other);
        let mut reversed = parts[2].clone();
        reversed.merge_from(&parts[1]);
        reversed.merge_from(&parts[0]);
        assert_eq!(left, reversed);
    }

    #[test]
    fn wilson_interval_matches_a_hand_worked_value() {
        // 8 of 10, z^2 = 3.84146: centre = (0.8 + 0.19207) / 1.38415 = 0.71674;
        // half = 1.95996 / 1.38415 * sqrt(0.016 + 0.0096037) = 1.41600 * 0.16001 = 0.22658;
        // so [0.49016, 0.94332] (the textbook Wilson interval for 8/10).
        let [lo, hi] = wilson_interval(8, 10);
        assert!((lo - 0.49016).abs() < 1e-4, "{lo}");
        assert!((hi - 0.94331).abs() < 1e-4, "{hi}");
        let [lo, hi] = wilson_interval(10, 10);
        assert!(lo < 1.0 && (hi - 1.0).abs() < 1e-12);
        assert_eq!(wilson_interval(0, 0), [0.0, 1.0]);
    }

    #[test]
    fn stratified_interval_is_never_zero_width() {
        let (p, [lo, hi]) = stratified_proportion(&[
            Proportion {
                weight: 3.0,
                successes: 100,
                trials: 100,
            },
            Proportion {
                weight: 1.0,
                successes: 50,
                trials: 100,
            },
        ]);
        assert!((p - (0.75 * 1.0 + 0.25 * 0.5)).abs() < 1e-12);
        // Hand-worked: p~ = 102/104 and 52/104; var = 0.5625*0.0192307*0.98077/100 +
        // 0.0625*0.25/100 = 1.0609e-4 + 1.5625e-4 = 2.6234e-4; half = 1.96*0.016197 = 0.031746.
        assert!((hi - lo - 2.0 * 0.031746).abs() < 1e-4, "{lo} {hi}");
        let (p, [lo, hi]) = stratified_proportion(&[Proportion {
            weight: 1.0,
            successes: 10,
            trials: 10,
        }]);
        assert_eq!((p, hi), (1.0, 1.0));
        assert!(lo < 1.0);
    }
}
