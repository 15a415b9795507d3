//! Sharded runs as a batch engine runs them: separate `drsim run --shard` processes, then
//! `drsim merge`, checked byte for byte against a single run.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

const TRIALS: &str = "5000";
const SEED: &str = "7";

/// Variables `--shard auto` reads; cleared so that the test's own environment (a CI
/// runner inside a batch job) cannot leak into the children.
const ENGINE_VARS: [&str; 4] = [
    "JOB_COMPLETION_INDEX",
    "AWS_BATCH_JOB_ARRAY_INDEX",
    "AWS_BATCH_JOB_ARRAY_SIZE",
    "DRSIM_SHARD_COUNT",
];

fn scenario() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/warm-standby.toml")
}

fn drsim() -> Command {
    let mut command = Command::cargo_bin("drsim").unwrap();
    for var in ENGINE_VARS {
        command.env_remove(var);
    }
    command
}

/// `drsim run` of the warm-standby scenario with the test's trials and seed.
fn run(out: &Path, extra: &[&str]) -> Command {
    run_seeded(SEED, out, extra)
}

fn run_seeded(seed: &str, out: &Path, extra: &[&str]) -> Command {
    let mut command = drsim();
    command
        .arg("run")
        .arg(scenario())
        .args(["--trials", TRIALS, "--seed", seed, "--quiet", "--out"])
        .arg(out)
        .args(extra);
    command
}

/// The JSON summary of a single run over all trials.
fn single_run(threads: &str) -> Vec<u8> {
    let out = tempfile::tempdir().unwrap();
    let output = run(out.path(), &["--format", "json", "--threads", threads])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    output.stdout
}

/// `drsim merge` of `inputs`, its JSON on stdout.
fn merge(inputs: &[PathBuf], out: Option<&Path>) -> Vec<u8> {
    let mut command = drsim();
    command.arg("merge").args(inputs).args(["--format", "json"]);
    if let Some(out) = out {
        command.arg("--out").arg(out);
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn shard_processes_merge_into_the_single_run_byte_for_byte() {
    let single = single_run("1");
    assert_eq!(single_run("2"), single, "threads change the summary");
    for count in [3u64, 4] {
        let parts = tempfile::tempdir().unwrap();
        for k in 0..count {
            // Shards on different thread counts, as on different machines.
            let threads = if k % 2 == 0 { "1" } else { "2" };
            run(
                parts.path(),
                &["--shard", &format!("{k}/{count}"), "--threads", threads],
            )
            .assert()
            .success()
            .stdout("");
        }
        let expected: Vec<String> = (0..count)
            .map(|k| format!("part-{k}-of-{count}.json"))
            .collect();
        let mut sorted = expected.clone();
        sorted.sort();
        // Parts only: a shard writes no summary.json.
        assert_eq!(names_in(parts.path()), sorted);

        let merged = merge(&[parts.path().to_path_buf()], Some(parts.path()));
        assert_eq!(
            String::from_utf8_lossy(&merged),
            String::from_utf8_lossy(&single),
            "{count} shards"
        );
        assert_eq!(fs::read(parts.path().join("summary.json")).unwrap(), single);
        // Files named one by one, in any order, merge the same.
        let files: Vec<PathBuf> = expected
            .iter()
            .rev()
            .map(|n| parts.path().join(n))
            .collect();
        assert_eq!(merge(&files, None), single);
    }
}

#[test]
fn shard_auto_reads_kubernetes_and_aws_batch_environments() {
    let single = single_run("2");
    // Kubernetes Indexed Job: the index from the Job controller, the count given.
    let k8s = tempfile::tempdir().unwrap();
    for k in 0..3 {
        let mut command = run(k8s.path(), &["--shard", "auto"]);
        command.env("JOB_COMPLETION_INDEX", k.to_string());
        if k == 0 {
            command.args(["--shard-count", "3"]);
        } else {
            command.env("DRSIM_SHARD_COUNT", "3");
        }
        command.assert().success().stdout("");
    }
    assert_eq!(
        names_in(k8s.path()),
        ["part-0-of-3.json", "part-1-of-3.json", "part-2-of-3.json"]
    );
    assert_eq!(merge(&[k8s.path().to_path_buf()], None), single);

    // AWS Batch array job: index and size from the environment.
    let batch = tempfile::tempdir().unwrap();
    for k in 0..4 {
        run(batch.path(), &["--shard", "auto"])
            .env("AWS_BATCH_JOB_ARRAY_INDEX", k.to_string())
            .env("AWS_BATCH_JOB_ARRAY_SIZE", "4")
            .assert()
            .success()
            .stdout("");
    }
    assert_eq!(names_in(batch.path()).len(), 4);
    assert_eq!(merge(&[batch.path().to_path_buf()], None), single);
}

#[test]
fn shard_auto_outside_a_batch_engine_is_a_usage_error() {
    let out = tempfile::tempdir().unwrap();
    run(out.path(), &["--shard", "auto", "--shard-count", "3"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("JOB_COMPLETION_INDEX")
                .and(predicate::str::contains("AWS_BATCH_JOB_ARRAY_INDEX")),
        );
    run(out.path(), &["--shard", "auto"])
        .env("JOB_COMPLETION_INDEX", "1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--shard-count"));
    run(out.path(), &["--shard", "4/4"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("0 to 3"));
    assert!(names_in(out.path()).is_empty());
}

#[test]
fn merge_refuses_mismatched_or_missing_parts_naming_the_files() {
    let parts = tempfile::tempdir().unwrap();
    run(parts.path(), &["--shard", "0/3"]).assert().success();
    // Another seed for shard 1; shard 2 never ran.
    run_seeded("8", parts.path(), &["--shard", "1/3"])
        .assert()
        .success();
    drsim()
        .arg("merge")
        .arg(parts.path())
        .args(["--out"])
        .arg(parts.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("disagree on the seed: 7 in ")
                .and(predicate::str::contains("part-0-of-3.json; 8 in "))
                .and(predicate::str::contains("part-1-of-3.json"))
                .and(predicate::str::contains(
                    "no part holds trials 3334..5000 (missing: part-2-of-3.json)",
                )),
        );
    assert!(!parts.path().join("summary.json").exists());
}

#[test]
fn a_shard_prints_its_own_summary_only_when_asked() {
    let out = tempfile::tempdir().unwrap();
    run(out.path(), &["--shard", "1/2", "--format", "csv"])
        .assert()
        .success()
        .stdout(
            predicate::str::starts_with("disaster,kind,")
                .and(predicate::str::contains("\noverall,")),
        );
    let part: serde_json::Value =
        serde_json::from_slice(&fs::read(out.path().join("part-1-of-2.json")).unwrap()).unwrap();
    assert_eq!(
        part["format_version"],
        drsim::analysis::parts::FORMAT_VERSION
    );
    assert!(part["checksum"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(part["trials"]["start"], 2500);
    assert_eq!(part["trials"]["end"], 5000);
    assert_eq!(part["model"]["seed"], 7);
    assert!(part["model_hash"].as_str().unwrap().starts_with("sha256:"));
}

#[test]
fn more_shards_than_trials_leave_empty_parts_that_merge_as_nothing() {
    let trials = "10";
    let single = tempfile::tempdir().unwrap();
    let output = drsim()
        .arg("run")
        .arg(scenario())
        .args([
            "--trials", trials, "--seed", SEED, "--quiet", "--format", "json",
        ])
        .arg("--out")
        .arg(single.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let parts = tempfile::tempdir().unwrap();
    for k in 0..12 {
        drsim()
            .arg("run")
            .arg(scenario())
            .args(["--trials", trials, "--seed", SEED, "--quiet"])
            .args(["--shard", &format!("{k}/12"), "--out"])
            .arg(parts.path())
            .assert()
            .success();
    }
    assert_eq!(names_in(parts.path()).len(), 12);
    assert_eq!(merge(&[parts.path().to_path_buf()], None), output.stdout);
}

/// With recovery steps failing (warm standby's stopped pool refused launches during a
/// region outage; launches waiting for an impaired control plane), shards still merge
/// into the single run byte for byte, with the per-step shares and the RTO split, and
/// the counters of refused launches and control-plane stalls are not zero.
#[test]
fn failed_recovery_counts_merge_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let text = fs::read_to_string(scenario())
        .unwrap()
        .replace("../models/", &format!("{}/", models.display()))
        .replace("state = \"running\"", "state = \"stopped\"")
        + "\n[recovery.launch_failure]\nprobability = 0.3\n\
           retry_after = { dist = \"uniform\", min = \"5m\", max = \"30m\" }\n\
           [recovery.control_plane]\nprobability = 0.5\nimpaired_for = \"20m\"\n";
    let model = dir.path().join("failing.toml");
    fs::write(&model, text).unwrap();
    let json = |extra: &[&str], out: &Path| {
        let output = drsim()
            .arg("run")
            .arg(&model)
            .args(["--trials", TRIALS, "--seed", SEED, "--quiet", "--out"])
            .arg(out)
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        output.stdout
    };
    let single = json(&["--format", "json", "--threads", "1"], dir.path());
    let summary: serde_json::Value = serde_json::from_slice(&single).unwrap();
    assert!(
        summary["failed_recoveries"].as_u64().unwrap() > 0,
        "{summary}"
    );
    let by_step = &summary["failed_recovery_share_by_step"];
    for step in ["launch", "control_plane"] {
        assert!(by_step[step].as_f64().unwrap() > 0.0, "{summary}");
    }
    let parts = tempfile::tempdir().unwrap();
    for k in 0..3 {
        json(
            &["--shard", &format!("{k}/3"), "--threads", "2"],
            parts.path(),
        );
    }
    assert_eq!(merge(&[parts.path().to_path_buf()], None), single);
}
