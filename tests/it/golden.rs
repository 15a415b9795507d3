//! Golden snapshots of what the `drsim` command prints, on every bundled scenario: the
//! safety net for refactors that must not change any output. Each run uses a fixed seed,
//! a modest number of trials and two worker threads (results do not depend on the thread
//! count; `cli` checks that), and writes its files into a temporary directory.
//!
//! A changed output fails the test: under `CI=true` insta never writes snapshots, and a
//! missing one fails too. After an intended change of output, review and accept the new
//! snapshots: `INSTA_UPDATE=always cargo test --release --test it golden` (or
//! `cargo insta review`), then read the diff of `tests/it/snapshots/`.
//!
//! Nothing machine-specific may land in a snapshot: where an output names the temporary
//! `--out` directory, [`placeholders`] replaces it with `[OUT]` before snapshotting, and
//! the scenario files are given by their paths relative to the crate root (the working
//! directory of integration tests), so no absolute path appears either.

use std::path::Path;

use assert_cmd::Command;

/// Every bundled scenario, in the whitepaper's order, then the hybrid ones.
const SCENARIOS: [&str; 9] = [
    "backup-restore",
    "pilot-light",
    "warm-standby",
    "active-active",
    "hybrid-onprem",
    "hybrid-backup-restore",
    "hybrid-pilot-light",
    "hybrid-warm-standby",
    "hybrid-multi-site",
];

/// The four hybrid strategies (a data centre recovering into AWS), in the same order.
const HYBRID_STRATEGIES: [&str; 4] = [
    "hybrid-backup-restore",
    "hybrid-pilot-light",
    "hybrid-warm-standby",
    "hybrid-multi-site",
];

/// The four whitepaper strategies that `compare` sets side by side.
const STRATEGIES: [&str; 4] = [
    "backup-restore",
    "pilot-light",
    "warm-standby",
    "active-active",
];

const TRIALS: &str = "20000";
const SEED: &str = "17";
const THREADS: &str = "2";

fn drsim() -> Command {
    Command::cargo_bin("drsim").unwrap()
}

fn scenario(name: &str) -> String {
    format!("scenarios/{name}.toml")
}

/// Snapshot name part for a scenario: `warm-standby` -> `warm_standby`.
fn slug(name: &str) -> String {
    name.replace('-', "_")
}

/// Runs `cmd`, requires success, and returns its standard output as text.
fn stdout(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Replaces the temporary output directory (as given and canonical) by `[OUT]`, so that
/// no machine-specific path lands in a snapshot.
fn placeholders(text: &str, out: &Path) -> String {
    let mut text = text.to_string();
    let mut dirs = vec![out.display().to_string()];
    if let Ok(canonical) = out.canonicalize() {
        dirs.push(canonical.display().to_string());
    }
    dirs.sort_by_key(|d| std::cmp::Reverse(d.len()));
    for dir in dirs {
        text = text.replace(&dir, "[OUT]");
    }
    text
}

/// `drsim run` of scenario `name` in `format` (None: the default table), writing into `out`.
fn run(name: &str, format: Option<&str>, out: &Path) -> String {
    let mut cmd = drsim();
    cmd.args(["run", &scenario(name), "--trials", TRIALS, "--seed", SEED]);
    cmd.args(["--threads", THREADS, "--quiet", "--out"])
        .arg(out);
    if let Some(format) = format {
        cmd.args(["--format", format]);
    }
    placeholders(&stdout(&mut cmd), out)
}

/// `run --format json` and the `summary.json` it writes, for every scenario. The file is
/// snapshotted on its own only where it differs from what was printed.
#[test]
fn run_json_and_summary_file() {
    for name in SCENARIOS {
        let out = tempfile::tempdir().unwrap();
        let printed = run(name, Some("json"), out.path());
        let file = std::fs::read_to_string(out.path().join(name).join("summary.json")).unwrap();
        let file = placeholders(&file, out.path());
        insta::assert_snapshot!(format!("run_json__{}", slug(name)), printed);
        if file != printed {
            insta::assert_snapshot!(format!("summary_file__{}", slug(name)), file);
        }
    }
}

/// `run` with the default table output, for every scenario.
#[test]
fn run_table() {
    for name in SCENARIOS {
        let out = tempfile::tempdir().unwrap();
        let printed = run(name, None, out.path());
        insta::assert_snapshot!(format!("run_table__{}", slug(name)), printed);
    }
}

/// `cost` as a table and as JSON, for every scenario (no simulation).
#[test]
fn cost_table_and_json() {
    for name in SCENARIOS {
        let table = stdout(drsim().args(["cost", &scenario(name)]));
        insta::assert_snapshot!(format!("cost_table__{}", slug(name)), table);
        let json = stdout(drsim().args(["cost", &scenario(name), "--format", "json"]));
        insta::assert_snapshot!(format!("cost_json__{}", slug(name)), json);
    }
}

/// `validate`, for every scenario.
#[test]
fn validate() {
    for name in SCENARIOS {
        let text = stdout(drsim().args(["validate", &scenario(name)]));
        insta::assert_snapshot!(format!("validate__{}", slug(name)), text);
    }
}

/// `compare` of the four whitepaper strategies, in `format` (None: the default table).
fn compare(format: Option<&str>) -> String {
    compare_of(&STRATEGIES, format)
}

/// `compare` of `strategies`, in `format` (None: the default table).
fn compare_of(strategies: &[&str; 4], format: Option<&str>) -> String {
    let out = tempfile::tempdir().unwrap();
    let mut cmd = drsim();
    cmd.arg("compare").args(strategies.map(scenario));
    cmd.args(["--trials", TRIALS, "--seed", SEED, "--threads", THREADS]);
    cmd.args(["--charts", "none", "--quiet", "--out"])
        .arg(out.path());
    if let Some(format) = format {
        cmd.args(["--format", format]);
    }
    placeholders(&stdout(&mut cmd), out.path())
}

#[test]
fn compare_json() {
    insta::assert_snapshot!("compare_json", compare(Some("json")));
}

#[test]
fn compare_table() {
    insta::assert_snapshot!("compare_table", compare(None));
}

/// The four hybrid strategies side by side (issue #17's closing table).
#[test]
fn compare_hybrid_table() {
    insta::assert_snapshot!("compare_hybrid_table", compare_of(&HYBRID_STRATEGIES, None));
}

/// The log of one traced trial: warm standby, the third region outage.
#[test]
fn trace_warm_standby_region_outage() {
    let out = tempfile::tempdir().unwrap();
    let mut cmd = drsim();
    cmd.args(["trace", &scenario("warm-standby")]);
    cmd.args([
        "--disaster",
        "region-outage",
        "--trial",
        "2",
        "--seed",
        SEED,
    ]);
    cmd.args(["--quiet", "--out"]).arg(out.path());
    let text = placeholders(&stdout(&mut cmd), out.path());
    insta::assert_snapshot!("trace__warm_standby__region_outage__2", text);
}
