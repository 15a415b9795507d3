//! `drsim optimize`: the search finds what evaluating every candidate finds, with fewer
//! trials; a wrong monotonicity declaration is caught by that comparison; the bundled
//! space's declarations hold; `--emit` writes a model `run` reproduces; bad space files
//! fail located.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use drsim::analysis::optimize::{CostBasis, OptimizeSettings, Verdict, brute_force, optimize};
use drsim::model::space::{Space, Variants};

use crate::common::{mean_and_tolerance, run};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The warm standby with a region-outage objective the knobs below decide: RTO 15 min
/// for 90% of outages. Route 53 leaves the 5% of clients that ignore the TTL on the
/// dead region for a lognormal stale hold (median 5 min, p95 30 min,
/// models/aws-timings.toml) after a failover that already takes minutes, so no Route 53
/// design meets it; Global Accelerator has no DNS caching.
fn tight_model(dir: &Path) -> PathBuf {
    let file = dir.join("tight.toml");
    let text = format!(
        "include = [{:?}]\n[objectives.disasters.region_outage]\nrto = \"15m\"\nconfidence = 0.9\n",
        repo("scenarios/warm-standby.toml")
    );
    std::fs::write(&file, text).unwrap();
    file
}

/// 12 candidates: warm pool 0/4/8 (declared: more is never slower), routing Route 53 or
/// Global Accelerator (`routing_better` declares a direction or none), health checks
/// every 10 s or 30 s (declared: 10 s is never slower).
fn small_space(dir: &Path, routing_better: Option<&str>) -> PathBuf {
    let file = dir.join("space.toml");
    let better = routing_better.map_or(String::new(), |b| format!("better = \"{b}\"\n"));
    let text = format!(
        "[[knob]]\nkey = \"regions.us-west-2.asg.warm_pool.size\"\nvalues = [0, 4, 8]\nbetter = \"higher\"\n\
         [[knob]]\nkey = \"routing.kind\"\nvalues = [\"route53\", \"global_accelerator\"]\n{better}\
         [[knob]]\nkey = \"routing.health_check_interval\"\nvalues = [\"10s\", \"30s\"]\nbetter = \"lower\"\n"
    );
    std::fs::write(&file, text).unwrap();
    file
}

fn settings(cost: CostBasis) -> OptimizeSettings {
    OptimizeSettings {
        trials: Some(2000),
        threads: 2,
        cost,
        ..OptimizeSettings::default()
    }
}

#[test]
fn the_search_finds_the_brute_force_optimum_with_fewer_trials() {
    let dir = tempfile::tempdir().unwrap();
    let model = tight_model(dir.path());
    let variants =
        Variants::new(&model, Space::load(&small_space(dir.path(), None)).unwrap()).unwrap();
    for cost in [CostBasis::Steady, CostBasis::RiskAdjusted] {
        let (best, all) = brute_force(&variants, &model, &settings(cost)).unwrap();
        let found = optimize(&variants, &model, &settings(cost)).unwrap();
        let winner = found.winner.as_ref().map(|w| w.candidate);
        assert_eq!(winner, best, "{cost:?}");
        // Not a trivial answer: some cheaper candidate misses the objectives.
        let best = &all[best.expect("some candidate meets the tight objective") as usize];
        assert!(
            all.iter()
                .any(|e| e.verdict != Verdict::Meets && e.cost(cost) < best.cost(cost)),
            "{cost:?}"
        );
        let w = found.winner.as_ref().unwrap();
        assert_eq!(
            (w.monthly_usd, w.risk_adjusted_monthly_usd),
            (best.monthly_usd, best.risk_adjusted_monthly_usd)
        );
        assert_eq!(found.candidates_in_space, 12);
        assert!(
            found.candidates_evaluated < 12,
            "{cost:?}: {}",
            found.candidates_evaluated
        );
        // Risk-adjusted runs every candidate under the best's cost on all trials.
        let share = match cost {
            CostBasis::Steady => 2,
            CostBasis::RiskAdjusted => 1,
        };
        assert!(
            found.trials_spent < found.brute_force_trials / share,
            "{cost:?}: {}",
            found.trials_spent
        );
    }
}

/// Each mechanism saves work on its own: without racing every evaluated candidate
/// runs all trials; without pruning no candidate is skipped.
#[test]
fn racing_and_pruning_each_save_trials() {
    let dir = tempfile::tempdir().unwrap();
    let model = tight_model(dir.path());
    let variants =
        Variants::new(&model, Space::load(&small_space(dir.path(), None)).unwrap()).unwrap();
    let both = optimize(&variants, &model, &settings(CostBasis::Steady)).unwrap();
    // Reproducible whatever the thread count (pricing and trials run in parallel).
    let one_thread = OptimizeSettings {
        threads: 1,
        ..settings(CostBasis::Steady)
    };
    let one_thread = optimize(&variants, &model, &one_thread).unwrap();
    assert_eq!(
        serde_json::to_string(&both).unwrap(),
        serde_json::to_string(&one_thread).unwrap()
    );
    let no_racing = OptimizeSettings {
        racing: false,
        ..settings(CostBasis::Steady)
    };
    let no_racing = optimize(&variants, &model, &no_racing).unwrap();
    let no_pruning = OptimizeSettings {
        pruning: false,
        ..settings(CostBasis::Steady)
    };
    let no_pruning = optimize(&variants, &model, &no_pruning).unwrap();
    let id = |r: &drsim::analysis::optimize::Optimization| r.winner.as_ref().map(|w| w.candidate);
    assert_eq!(id(&both), id(&no_racing));
    assert_eq!(id(&both), id(&no_pruning));
    assert!(both.rejected_at_screening > 0);
    assert_eq!(no_racing.rejected_at_screening, 0);
    assert_eq!(
        no_racing.trials_spent,
        no_racing.candidates_evaluated * 2000
    );
    assert!(both.trials_spent < no_racing.trials_spent);
    assert!(both.candidates_pruned > 0);
    assert_eq!(no_pruning.candidates_pruned, 0);
    assert!(both.candidates_evaluated < no_pruning.candidates_evaluated);
}

/// Declaring Route 53 never slower than Global Accelerator is false (stale DNS
/// clients): the search prunes Global Accelerator designs once Route 53 ones fail, and
/// misses the optimum the brute force finds. This is the check that catches wrong
/// pruning.
#[test]
fn a_wrong_monotonicity_declaration_is_caught_by_the_brute_force() {
    let dir = tempfile::tempdir().unwrap();
    let model = tight_model(dir.path());
    let space = Space::load(&small_space(dir.path(), Some("earlier"))).unwrap();
    let variants = Variants::new(&model, space).unwrap();
    let (best, _) = brute_force(&variants, &model, &settings(CostBasis::Steady)).unwrap();
    let found = optimize(&variants, &model, &settings(CostBasis::Steady)).unwrap();
    assert!(best.is_some());
    assert_ne!(found.winner.map(|w| w.candidate), best);
}

/// Every `better` of scenarios/warm-standby-space.toml, one step at a time from the
/// model's own values: over the same trials (common random numbers), the better value's
/// RTO minus the worse value's, trial by trial, has a mean no above zero beyond its
/// 4-sigma Monte Carlo tolerance (`mean_and_tolerance`); the same for the RPO. A "never"
/// counts as the horizon. The reversed claim must fail for some knob (so the check can
/// fail).
#[test]
fn the_bundled_space_declarations_hold_with_common_random_numbers() {
    let model_file = repo("scenarios/warm-standby.toml");
    let space = Space::load(&repo("scenarios/warm-standby-space.toml")).unwrap();
    let variants = Variants::new(&model_file, space).unwrap();
    let inputs = variants.input_values();
    let base: Vec<usize> = (variants.space.knobs.iter().zip(&inputs))
        .map(|(k, input)| {
            k.values
                .iter()
                .position(|v| Some(v) == input.as_ref())
                .unwrap_or(0)
        })
        .collect();
    let trials = 3000;
    let mut reversed_fails = false;
    for (k, knob) in variants.space.knobs.iter().enumerate() {
        if knob.rank.is_empty() {
            continue;
        }
        let mut by_rank: Vec<usize> = (0..knob.values.len()).collect();
        by_rank.sort_by_key(|&i| knob.rank[i]);
        for pair in by_rank.windows(2) {
            let outcomes = |i: usize| {
                let mut choice = base.clone();
                choice[k] = i;
                let model = variants.model(&choice).unwrap();
                let horizon = model.simulation.horizon as f64;
                run(&model, trials)
                    .iter()
                    .map(|o| {
                        let ms = |m: Option<u64>| m.map_or(horizon, |m| m as f64);
                        (ms(o.rto), ms(o.rpo))
                    })
                    .collect::<Vec<_>>()
            };
            let (worse, better) = (outcomes(pair[0]), outcomes(pair[1]));
            for (name, pick) in [("RTO", 0), ("RPO", 1)] {
                let value = |o: &(f64, f64)| if pick == 0 { o.0 } else { o.1 };
                let diffs: Vec<f64> = (better.iter().zip(&worse))
                    .map(|(b, w)| value(b) - value(w))
                    .collect();
                let (mean, tolerance) = mean_and_tolerance(&diffs);
                assert!(
                    mean <= tolerance,
                    "{} {} -> {}: {name} grows by {mean:.0} ms (tolerance {tolerance:.0})",
                    knob.key,
                    knob.values[pair[0]],
                    knob.values[pair[1]]
                );
                if -mean > tolerance {
                    reversed_fails = true;
                }
            }
        }
    }
    assert!(
        reversed_fails,
        "no declared knob moves the RTO or RPO measurably"
    );
}

fn drsim() -> Command {
    Command::cargo_bin("drsim").unwrap()
}

/// `--emit` into another directory: the file keeps the model's comments, re-points its
/// includes, and `drsim run` on it gives the winner's figures.
#[test]
fn the_emitted_model_keeps_comments_and_reproduces_the_winner() {
    let dir = tempfile::tempdir().unwrap();
    let space = dir.path().join("space.toml");
    std::fs::write(
        &space,
        "[[knob]]\nkey = \"regions.us-west-2.asg.warm_pool\"\nvalues = [{ size = 0 }, { size = 2, state = \"running\" }]\n\
         [[knob]]\nkey = \"routing.failure_threshold\"\nvalues = [2, 3]\n",
    )
    .unwrap();
    let best = dir.path().join("out/best.toml");
    let output = drsim()
        .arg("optimize")
        .arg(repo("scenarios/warm-standby.toml"))
        .arg("--space")
        .arg(&space)
        .args([
            "--trials", "700", "--seed", "7", "--format", "json", "--emit",
        ])
        .arg(&best)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let winner = &result["winner"];
    assert!(winner.is_object(), "{result}");
    let text = std::fs::read_to_string(&best).unwrap();
    assert!(text.contains("# pays only EBS while waiting"), "{text}");
    assert!(text.contains("../../"), "includes re-pointed: {text}");
    assert!(
        text.contains("trials = 700") && text.contains("seed = 7"),
        "{text}"
    );
    let changes = result["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    let run = drsim()
        .arg("run")
        .arg(&best)
        .args(["--format", "json", "--quiet", "--input-draws", "0", "--out"])
        .arg(dir.path().join("runs"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(summary["cost"]["monthly_usd"], winner["monthly_usd"]);
    assert_eq!(
        summary["cost"]["risk_adjusted_monthly_usd"],
        winner["risk_adjusted_monthly_usd"]
    );
    let margins = winner["margins"].as_array().unwrap();
    let disasters = summary["by_disaster"].as_array().unwrap();
    assert_eq!(margins.len(), disasters.len());
    for (m, d) in margins.iter().zip(disasters) {
        assert_eq!(m["p_rto_met"], d["p_rto_met"], "{}", m["disaster"]);
        assert_eq!(m["p_rpo_met"], d["p_rpo_met"], "{}", m["disaster"]);
    }
}

/// Each bad space file fails with exit code 2 at the file, line and column, naming the
/// key and what would be valid.
#[test]
fn bad_space_files_fail_located() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "knobs = 1\n",
            "space.toml:1:1: knobs: unknown key `knobs`; did you mean `knob`?",
        ),
        (
            "[[knob]]\nkey = \"routing.ttl\"\nvaleus = [\"10s\"]\n",
            "space.toml:3:1: knob[0].valeus: unknown key `valeus`; did you mean `values`?",
        ),
        (
            "[[knob]]\nkey = \"routing.ttl\"\nvalues = [\"10s\"]\nbetter = \"faster\"\n",
            "space.toml:4:1: knob[0].better: unknown value `faster`",
        ),
        (
            "[[knob]]\nkey = \"routing.failure_threshold\"\nmin = 1\nmax = 3\n",
            "space.toml:1:1: knob[0]: missing field `step` of the range",
        ),
        (
            "[[knob]]\nkey = \"regions.us-west-2.asg.warm_pool.size\"\nvalues = [2, 20]\n",
            "space.toml:2:1: knob[0].key: the candidate regions.us-west-2.asg.warm_pool.size = 20 makes the model invalid",
        ),
        (
            "[[knob]]\nkey = \"regions.us-west-2.asg.warm_pol.size\"\nvalues = [2]\n",
            "did you mean `warm_pool`?",
        ),
    ];
    for (text, expected) in cases {
        let space = dir.path().join("space.toml");
        std::fs::write(&space, text).unwrap();
        let output = drsim()
            .arg("optimize")
            .arg(repo("scenarios/warm-standby.toml"))
            .arg("--space")
            .arg(&space)
            .args(["--trials", "700"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{text}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{text}\n{stderr}");
    }
}

/// The bundled space file sits in `scenarios/`, so a `scenarios/*.toml` glob hands it to
/// `run`: it is refused with one line that says what it is, not a list of missing fields.
#[test]
fn a_space_file_given_as_a_model_says_what_it_is() {
    let output = drsim()
        .arg("validate")
        .arg(repo("scenarios/warm-standby-space.toml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("warm-standby-space.toml:")
            && stderr.contains("drsim optimize MODEL --space FILE"),
        "{stderr}"
    );
}
