//! The `drsim` command as a user runs it.

use assert_cmd::Command;
use predicates::prelude::*;

fn drsim() -> Command {
    Command::cargo_bin("drsim").unwrap()
}

#[test]
fn help_lists_the_commands_and_run_options() {
    drsim()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("run").and(predicate::str::contains("validate")));
    drsim().args(["run", "--help"]).assert().success().stdout(
        predicate::str::contains("--trials")
            .and(predicate::str::contains("--trials-csv"))
            .and(predicate::str::contains("--format")),
    );
}

#[test]
fn a_missing_model_file_is_named_and_exits_with_2() {
    for command in ["run", "validate"] {
        drsim()
            .args([command, "no-such-model.toml"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("no-such-model.toml"));
    }
}

#[test]
fn zero_trials_is_a_usage_error() {
    drsim()
        .args(["run", "model.toml", "--trials", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--trials").and(predicate::str::contains("at least 1")));
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    drsim()
        .args(["run", "model.toml", "--format", "yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("yaml"));
}

#[test]
fn errors_do_not_panic() {
    drsim()
        .args(["run", "no-such-model.toml", "--threads", "2"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("panicked").not());
}
