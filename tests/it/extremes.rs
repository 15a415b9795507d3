//! Property tests: structurally valid but extreme models (huge, tiny and zero sizes,
//! rates, durations and counts on top of the bundled models) either fail to load with a
//! located error, or run to a summary whose figures make sense. Never a panic.

use std::fs;
use std::path::Path;

use drsim::analysis::pipeline::Evaluation;
use drsim::analysis::summary::{Figures, Quantiles};
use drsim::model::load::load_model;
use drsim::run::simulate::RunSettings;
use proptest::prelude::*;

/// One extreme model, as the TOML written over the bundled models.
#[derive(Clone, Debug)]
struct Extremes {
    recovery_threshold: f64,
    horizon: &'static str,
    data_size_gb: f64,
    change_gb_per_day: f64,
    per_year: f64,
    outage: &'static str,
    primary: (u32, u32, u32),
    standby: (&'static str, u32, u32),
    launch_time: &'static str,
    backups_every: Option<&'static str>,
    restore_gb_per_hour: f64,
    ttl: &'static str,
    clients_honouring_ttl: f64,
    seed: u64,
}

impl Extremes {
    fn toml(&self) -> String {
        let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
        let include: Vec<String> = ["aws-timings.toml", "web-app.toml", "web-app-disasters.toml"]
            .iter()
            .map(|m| format!("'{}'", models.join(m).display()))
            .collect();
        let (min, desired, max) = self.primary;
        let (deployment, standby_desired, standby_max) = self.standby;
        let mut text = format!(
            "include = [{}]\n\
             [simulation]\nrecovery_threshold = {:e}\nhorizon = \"{}\"\nseed = {}\n\
             [workload]\ndata_size_gb = {:e}\nchange_gb_per_day = {:e}\n\
             [regions.us-east-1]\nasg = {{ min = {min}, desired = {desired}, max = {max}, launch_time = {} }}\n\
             [regions.us-west-2]\ndeployment = \"{deployment}\"\n\
             asg = {{ min = 0, desired = {standby_desired}, max = {standby_max} }}\n\
             [routing]\nttl = \"{}\"\nclients_honouring_ttl = {:e}\n\
             [disasters.region-outage]\nper_year = {:e}\nduration = \"{}\"\n\
             [disasters.az-outage]\nduration = \"{}\"\n",
            include.join(", "),
            self.recovery_threshold,
            self.horizon,
            self.seed,
            self.data_size_gb,
            self.change_gb_per_day,
            self.launch_time,
            self.ttl,
            self.clients_honouring_ttl,
            self.per_year,
            self.outage,
            self.outage,
        );
        if let Some(every) = self.backups_every {
            text.push_str(&format!(
                "[backups]\nevery = \"{every}\"\nregion = \"us-east-1\"\ncopy_to = \"us-west-2\"\n\
                 retention = \"35d\"\nrestore_gb_per_hour = {:e}\n",
                self.restore_gb_per_hour
            ));
        }
        text
    }
}

/// Mostly (19 in 20) one of the `valid` values, else one of the `invalid` ones, so that
/// most cases load and run while every kind of mistake is still tried.
fn pick<T: Clone + std::fmt::Debug + 'static>(
    valid: &'static [T],
    invalid: &'static [T],
) -> BoxedStrategy<T> {
    if invalid.is_empty() {
        return prop::sample::select(valid).boxed();
    }
    prop_oneof![
        19 => prop::sample::select(valid),
        1 => prop::sample::select(invalid),
    ]
    .boxed()
}

fn extremes() -> impl Strategy<Value = Extremes> {
    (
        (
            pick(&[0.01, 0.5, 0.99, 1.0], &[0.0, 1e-9, 1.5]),
            pick(&["1ms", "1s", "1h", "30d", "5200w"], &["0.4ms"]),
            pick(&[0.0, 1e-12, 1.0, 1e7], &[1e15]),
            pick(&[0.0, 1e-6, 1e7], &[1e9]),
            pick(&[1e-300, 1e-6, 1.0, 1e6], &[1e308]),
            pick(&["1ms", "1m", "365d"], &["0s", "0.4ms"]),
        ),
        (
            pick(
                &[(1u32, 1u32, 1u32), (0, 2, 2), (6, 6, 12), (0, 300, 300)],
                &[(3, 2, 4), (0, 1, 10_001)],
            ),
            pick(
                &[
                    ("scaled_to_zero", 0u32, 0u32),
                    ("scaled_to_zero", 0, 300),
                    ("running", 6, 12),
                    ("running", 1, 1),
                    ("not_deployed", 0, 12),
                    ("running", 0, 0),
                ],
                &[],
            ),
            pick(
                &[
                    "\"0s\"",
                    "\"1ms\"",
                    "\"30s\"",
                    "{ dist = \"lognormal\", median = \"1ms\", p95 = \"100d\" }",
                    "{ dist = \"exponential\", mean = \"1d\" }",
                    "{ dist = \"uniform\", min = \"0s\", max = \"0s\" }",
                ],
                &["{ dist = \"uniform\", min = \"1s\", max = \"0s\" }"],
            ),
            pick(
                &[None, Some("1m"), Some("1h"), Some("7d")],
                &[Some("1ms"), Some("59s")],
            ),
            pick(&[1e-3, 1.0, 1e6], &[1e-9]),
            pick(&["0s", "1s", "60s", "1d"], &[]),
            pick(&[0.0, 0.5, 1.0], &[1.5]),
            // TOML integers are i64.
            0..=i64::MAX as u64,
        ),
    )
        .prop_map(
            |(
                (recovery_threshold, horizon, data_size_gb, change_gb_per_day, per_year, outage),
                (
                    primary,
                    standby,
                    launch_time,
                    backups_every,
                    restore_gb_per_hour,
                    ttl,
                    clients_honouring_ttl,
                    seed,
                ),
            )| Extremes {
                recovery_threshold,
                horizon,
                data_size_gb,
                change_gb_per_day,
                per_year,
                outage,
                primary,
                standby,
                launch_time,
                backups_every,
                restore_gb_per_hour,
                ttl,
                clients_honouring_ttl,
                seed,
            },
        )
}

/// Quantiles are non-negative and monotone; `None` (never) only after the finite ones.
fn check_quantiles(q: &Quantiles, what: &str) -> Result<(), TestCaseError> {
    let order = [q.p50, q.p90, q.p95, q.p99, q.max];
    let mut last = 0.0;
    let mut never = false;
    for value in order {
        match value {
            Some(v) => {
                prop_assert!(!never, "{what}: a finite quantile after `never`: {q:?}");
                prop_assert!(v.is_finite() && v >= last, "{what}: not monotone: {q:?}");
                last = v;
            }
            None => never = true,
        }
    }
    if let Some(mean) = q.mean {
        prop_assert!(mean.is_finite() && mean >= 0.0, "{what}: mean {mean}");
    }
    Ok(())
}

fn check_figures(f: &Figures, what: &str) -> Result<(), TestCaseError> {
    check_quantiles(&f.rto_seconds, &format!("{what} rto"))?;
    check_quantiles(&f.rpo_seconds, &format!("{what} rpo"))?;
    check_quantiles(&f.first_success_seconds, &format!("{what} first_success"))?;
    check_quantiles(&f.full_capacity_seconds, &format!("{what} full_capacity"))?;
    for p in [f.p_rto_met, f.p_rpo_met]
        .into_iter()
        .chain(f.p_rto_met_ci95)
        .chain(f.p_rpo_met_ci95)
    {
        prop_assert!((0.0..=1.0).contains(&p), "{what}: probability {p}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn extreme_models_fail_located_or_run_to_sensible_figures(extremes in extremes()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("extreme.toml");
        fs::write(&path, extremes.toml()).unwrap();
        let mut model = match load_model(&path) {
            Ok(model) => model,
            Err(error) => {
                prop_assert!(error.line_col.is_some(), "an error without its place: {error}");
                return Ok(());
            }
        };
        model.simulation.trials = 24;
        let evaluation = Evaluation::prepare(model, &path);
        let run = evaluation
            .and_then(|e| e.price())
            .and_then(|priced| {
                let settings = RunSettings {
                    trials: 0..24,
                    threads: 1,
                    trials_csv: None,
                };
                priced.simulate(&settings, |_| {})
            });
        let run = match run {
            Ok(run) => run,
            Err(error) => return Err(TestCaseError::fail(format!("a loaded model failed: {error}"))),
        };
        let summary = &run.summary;
        check_figures(&summary.overall, "overall")?;
        for d in &summary.by_disaster {
            check_figures(&d.figures, &d.disaster)?;
            prop_assert!(d.weight.is_finite() && (0.0..=1.0).contains(&d.weight));
        }
        let cost = summary.cost.as_ref().expect("a priced run has a cost");
        let money = [Some(cost.monthly_usd), cost.disaster_monthly_usd, cost.expected_loss_monthly_usd,
            cost.risk_adjusted_monthly_usd, cost.tail_loss_p99_usd];
        for usd in money.into_iter().flatten()
            .chain(cost.by_region.values().copied())
            .chain(cost.by_component.values().copied())
        {
            prop_assert!(usd.is_finite() && usd >= 0.0, "cost {usd} in {cost:?}");
        }
    }
}
