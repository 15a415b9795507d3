//! Where result files go: regular files are replaced atomically, devices, FIFOs and `-`
//! are streamed into, symbolic links keep pointing at a replaced target; interrupts and
//! unwritable destinations leave nothing behind.

use std::fs;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn drsim() -> Command {
    Command::cargo_bin("drsim").unwrap()
}

fn run_with_trials_csv(csv: &Path, out: &Path) -> assert_cmd::assert::Assert {
    drsim()
        .args([
            "run",
            "scenarios/pilot-light.toml",
            "--trials",
            "2000",
            "--quiet",
        ])
        .arg("--out")
        .arg(out)
        .arg("--trials-csv")
        .arg(csv)
        .assert()
}

/// Names in `dir`, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn trials_csv_to_dev_null_leaves_the_device_node_alone() {
    let out = tempfile::tempdir().unwrap();
    run_with_trials_csv(Path::new("/dev/null"), out.path()).success();
    let meta = fs::symlink_metadata("/dev/null").unwrap();
    assert!(meta.file_type().is_char_device(), "/dev/null was replaced");
}

#[test]
fn trials_csv_to_dev_full_fails_and_leaves_the_device_node_alone() {
    let out = tempfile::tempdir().unwrap();
    run_with_trials_csv(Path::new("/dev/full"), out.path())
        .code(1)
        .stderr(predicate::str::contains("/dev/full"));
    let meta = fs::symlink_metadata("/dev/full").unwrap();
    assert!(meta.file_type().is_char_device(), "/dev/full was replaced");
}

#[test]
fn trials_csv_to_a_fifo_reaches_its_reader() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("trials.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    run_with_trials_csv(&fifo, &dir.path().join("out")).success();
    let text = reader.join().unwrap();
    assert!(text.starts_with("trial,disaster,"), "{text:.80}");
    assert_eq!(text.lines().count(), 2001);
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn trials_csv_through_a_symlink_replaces_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("data")).unwrap();
    fs::write(dir.path().join("data/trials.csv"), "old").unwrap();
    let link = dir.path().join("latest.csv");
    std::os::unix::fs::symlink("data/trials.csv", &link).unwrap();
    run_with_trials_csv(&link, &dir.path().join("out")).success();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = fs::read_to_string(dir.path().join("data/trials.csv")).unwrap();
    assert_eq!(text.lines().count(), 2001);
    assert_eq!(entries(&dir.path().join("data")), ["trials.csv"]);
}

#[test]
fn trials_csv_dash_is_standard_output() {
    let out = tempfile::tempdir().unwrap();
    let assert = run_with_trials_csv(Path::new("-"), out.path()).success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.starts_with("trial,disaster,"), "{stdout:.80}");
    assert!(!out.path().join("-").exists());
}

/// Starts a long run writing a big trials CSV into `dir`, sends `signal` after a second
/// and returns the exit code.
fn interrupt_a_long_run(dir: &Path, signal: &str) -> Option<i32> {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_drsim"))
        .args([
            "run",
            "scenarios/pilot-light.toml",
            "--trials",
            "20000000",
            "--quiet",
        ])
        .arg("--out")
        .arg(dir.join("out"))
        .arg("--trials-csv")
        .arg(dir.join("trials.csv"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the temporary CSV exists, so the signal lands mid-run.
    let started = std::time::Instant::now();
    while !entries(dir).iter().any(|n| n.starts_with(".drsim-tmp-")) {
        assert!(
            started.elapsed().as_secs() < 30,
            "no temporary file appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(1000));
    let sent = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("interrupted"), "{stderr}");
    output.status.code()
}

#[test]
fn sigint_removes_the_temporary_trials_csv_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(interrupt_a_long_run(dir.path(), "-INT"), Some(130));
    assert_no_result_nor_temporary_file(dir.path());
}

#[test]
fn sigterm_removes_the_temporary_trials_csv_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(interrupt_a_long_run(dir.path(), "-TERM"), Some(130));
    assert_no_result_nor_temporary_file(dir.path());
}

/// Neither `trials.csv` nor a temporary file anywhere under `dir`.
fn assert_no_result_nor_temporary_file(dir: &Path) {
    for name in entries(dir) {
        let path = dir.join(&name);
        assert!(
            !name.starts_with(".drsim-tmp-") && name != "trials.csv" && name != "summary.json",
            "{} was left",
            path.display()
        );
        if path.is_dir() {
            assert_no_result_nor_temporary_file(&path);
        }
    }
}

#[test]
fn a_300_byte_scenario_name_fails_before_the_simulation() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string("scenarios/pilot-light.toml").unwrap();
    let name = "n".repeat(300);
    let text = text.replacen("name = \"", &format!("name = \"{name}"), 1);
    let scenarios = std::fs::canonicalize("scenarios").unwrap();
    let text = text.replace(
        "\"../models/",
        &format!("\"{}/../models/", scenarios.display()),
    );
    let model = dir.path().join("long.toml");
    fs::write(&model, text).unwrap();
    let started = std::time::Instant::now();
    drsim()
        .arg("run")
        .arg(&model)
        .args(["--trials", "50000000", "--quiet", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("too long").and(predicate::str::contains(&name)));
    assert!(started.elapsed().as_secs() < 20, "the trials ran first");
}

#[test]
fn report_onto_a_directory_names_the_path_before_running() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("report.html")).unwrap();
    drsim()
        .args([
            "report",
            "scenarios/pilot-light.toml",
            "--trials",
            "50000000",
        ])
        .arg("--out")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("report.html is a directory"));
}

#[test]
fn an_out_that_is_a_file_is_named_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("taken");
    fs::write(&file, "").unwrap();
    let commands: [&[&str]; 4] = [
        &["run", "scenarios/pilot-light.toml", "--trials", "50000000"],
        &[
            "report",
            "scenarios/pilot-light.toml",
            "--trials",
            "50000000",
        ],
        &[
            "compare",
            "scenarios/pilot-light.toml",
            "--trials",
            "50000000",
        ],
        &["trace", "scenarios/pilot-light.toml"],
    ];
    for args in commands {
        drsim()
            .args(args)
            .arg("--out")
            .arg(&file)
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains(file.display().to_string())
                    .and(predicate::str::contains("in the way")),
            );
    }
}
