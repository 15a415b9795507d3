//! Prints per-disaster RTO/RPO quantiles of each bundled scenario (a look, not a check).

use drsim::model::load::load_model;
use drsim::model::units::format_duration as d;
use std::path::Path;

#[test]
#[ignore = "prints figures for a look"]
fn print_scenarios() {
    for name in [
        "backup-restore",
        "pilot-light",
        "warm-standby",
        "active-active",
        "hybrid-onprem",
    ] {
        let model = load_model(Path::new(&format!("scenarios/{name}.toml"))).unwrap();
        let mut sim = drsim::trial::TrialSimulator::new(&model);
        let k = model.disasters.len() as u64;
        let n = 2000 * k;
        let outcomes: Vec<_> = (0..n).map(|t| sim.run(t)).collect();
        println!("== {name}");
        for (i, dis) in model.disasters.iter().enumerate() {
            let q = |f: &dyn Fn(&drsim::trial::TrialOutcome) -> Option<u64>| {
                let mut v: Vec<f64> = outcomes
                    .iter()
                    .filter(|o| o.disaster == i)
                    .map(|o| f(o).map_or(f64::INFINITY, |x| x as f64))
                    .collect();
                v.sort_by(f64::total_cmp);
                let at = |p: f64| d(v[((v.len() - 1) as f64 * p) as usize]);
                format!(
                    "p50 {:>6} p90 {:>6} p99 {:>6} max {:>6}",
                    at(0.5),
                    at(0.9),
                    at(0.99),
                    at(1.0)
                )
            };
            println!(
                "  {:<22} RTO {}  | RPO {}",
                dis.name,
                q(&|o| o.rto),
                q(&|o| o.rpo)
            );
        }
    }
}
