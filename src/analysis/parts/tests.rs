use std::collections::HashMap;

use super::*;
use crate::run::fixtures::{fake_stats, model};
use crate::run::shard::*;

#[test]
fn shards_cover_every_trial_once_in_order() {
    for total in [0, 1, 2, 3, 7, 10, 999, 1000, 1024, 5000, 1_000_003] {
        for count in [1, 2, 3, 4, 7, 8, 10, 16, 100, 1001, 5000] {
            let mut next = 0;
            let mut sizes = Vec::new();
            for index in 0..count {
                let range = shard_range(index, count, total);
                assert_eq!(range.start, next, "T={total} N={count} K={index}");
                assert!(range.start <= range.end);
                next = range.end;
                sizes.push(range.end - range.start);
            }
            assert_eq!(next, total, "T={total} N={count}");
            // Balanced: sizes differ by at most one trial (N > T gives empty shards).
            let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            assert!(max - min <= 1, "T={total} N={count}: {min}..{max}");
        }
    }
}

#[test]
fn trial_i_is_in_shard_i_times_n_over_t() {
    for (total, count) in [(10, 3), (5000, 4), (5000, 3), (7, 7), (3, 8), (1000, 999)] {
        for index in 0..count {
            for i in shard_range(index, count, total) {
                assert_eq!(i * count / total, index, "T={total} N={count} i={i}");
            }
        }
    }
    assert_eq!(shard_range(0, 3, 5000), 0..1667);
    assert_eq!(shard_range(1, 3, 5000), 1667..3334);
    assert_eq!(shard_range(2, 3, 5000), 3334..5000);
    // Large counts do not overflow.
    assert_eq!(shard_range(u64::MAX - 1, u64::MAX, u64::MAX).end, u64::MAX);
}

#[test]
fn shard_spec_parses_k_of_n_and_auto() {
    assert_eq!("auto".parse::<ShardSpec>().ok(), Some(ShardSpec::Auto));
    assert_eq!(
        "3/8".parse::<ShardSpec>().ok(),
        Some(ShardSpec::Fixed(Shard { index: 3, count: 8 }))
    );
    for bad in ["8/8", "1/0", "3", "a/b", "-1/4", "", "1/2/3"] {
        let err = bad.parse::<ShardSpec>().unwrap_err().to_string();
        assert!(
            err.contains("K/N") || err.contains("does not exist") || err.contains("at least 1"),
            "{bad}: {err}"
        );
    }
    assert!(
        "8/8"
            .parse::<ShardSpec>()
            .unwrap_err()
            .to_string()
            .contains("0 to 7")
    );
    assert_eq!(Shard::new(3, 8).unwrap().file_name(), "part-3-of-8.json");
}

fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|&(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

fn shard(index: u64, count: u64) -> Shard {
    Shard::new(index, count).unwrap()
}

#[test]
fn auto_reads_a_kubernetes_indexed_job() {
    let pod = env(&[("JOB_COMPLETION_INDEX", "3")]);
    assert_eq!(detect(Some(8), &pod).ok(), Some(shard(3, 8)));
    let with_var = env(&[("JOB_COMPLETION_INDEX", "3"), ("DRSIM_SHARD_COUNT", "8")]);
    assert_eq!(detect(None, &with_var).ok(), Some(shard(3, 8)));
    assert_eq!(detect(Some(8), &with_var).ok(), Some(shard(3, 8)));
    // Kubernetes does not pass the completion count.
    let err = detect(None, &pod).unwrap_err().to_string();
    assert!(
        err.contains("--shard-count") && err.contains("DRSIM_SHARD_COUNT"),
        "{err}"
    );
    let err = detect(Some(4), &with_var).unwrap_err().to_string();
    assert!(
        err.contains("--shard-count 4") && err.contains("DRSIM_SHARD_COUNT=8"),
        "{err}"
    );
    let err = detect(Some(3), &pod).unwrap_err().to_string();
    assert!(
        err.contains("JOB_COMPLETION_INDEX=3") && err.contains("not below the shard count 3"),
        "{err}"
    );
    let err = detect(Some(8), env(&[("JOB_COMPLETION_INDEX", "three")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("JOB_COMPLETION_INDEX=\"three\""), "{err}");
}

#[test]
fn auto_reads_an_aws_batch_array_job() {
    let child = env(&[
        ("AWS_BATCH_JOB_ARRAY_INDEX", "7"),
        ("AWS_BATCH_JOB_ARRAY_SIZE", "8"),
    ]);
    assert_eq!(detect(None, &child).ok(), Some(shard(7, 8)));
    assert_eq!(detect(Some(8), &child).ok(), Some(shard(7, 8)));
    let err = detect(Some(10), &child).unwrap_err().to_string();
    assert!(
        err.contains("--shard-count 10") && err.contains("AWS_BATCH_JOB_ARRAY_SIZE=8"),
        "{err}"
    );
    let no_size = env(&[("AWS_BATCH_JOB_ARRAY_INDEX", "2")]);
    assert_eq!(detect(Some(4), &no_size).ok(), Some(shard(2, 4)));
    let err = detect(None, &no_size).unwrap_err().to_string();
    assert!(err.contains("AWS_BATCH_JOB_ARRAY_SIZE is not set"), "{err}");
    let err = detect(
        None,
        env(&[
            ("AWS_BATCH_JOB_ARRAY_INDEX", "8"),
            ("AWS_BATCH_JOB_ARRAY_SIZE", "8"),
        ]),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("not below the shard count 8"), "{err}");
    let err = detect(
        None,
        env(&[
            ("AWS_BATCH_JOB_ARRAY_INDEX", "0"),
            ("AWS_BATCH_JOB_ARRAY_SIZE", "0"),
        ]),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("at least 1"), "{err}");
}

/// Slurm: `sbatch --array=1-8` runs tasks 1..8 with SLURM_ARRAY_TASK_MIN=1 and
/// SLURM_ARRAY_TASK_COUNT=8 (sbatch manual, "OUTPUT ENVIRONMENT VARIABLES"): task 8 is
/// shard 7 of 8.
#[test]
fn auto_reads_a_slurm_job_array() {
    let task = env(&[
        ("SLURM_ARRAY_TASK_ID", "8"),
        ("SLURM_ARRAY_TASK_MIN", "1"),
        ("SLURM_ARRAY_TASK_COUNT", "8"),
    ]);
    assert_eq!(detect(None, &task).ok(), Some(shard(7, 8)));
    let from_zero = env(&[
        ("SLURM_ARRAY_TASK_ID", "3"),
        ("SLURM_ARRAY_TASK_COUNT", "4"),
    ]);
    assert_eq!(detect(None, &from_zero).ok(), Some(shard(3, 4)));
    let below = env(&[("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_MIN", "1")]);
    let err = detect(Some(4), &below).unwrap_err().to_string();
    assert!(err.contains("below the array's first index 1"), "{err}");
}

/// Google Cloud Batch sets BATCH_TASK_INDEX (from 0) and BATCH_TASK_COUNT for each task.
#[test]
fn auto_reads_a_google_cloud_batch_job() {
    let task = env(&[("BATCH_TASK_INDEX", "2"), ("BATCH_TASK_COUNT", "5")]);
    assert_eq!(detect(None, &task).ok(), Some(shard(2, 5)));
    let err = detect(None, env(&[("BATCH_TASK_INDEX", "2")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("BATCH_TASK_COUNT is not set"), "{err}");
}

#[test]
fn auto_without_a_batch_engine_or_with_two_is_an_error() {
    let err = detect(Some(4), env(&[])).unwrap_err().to_string();
    assert!(
        err.contains("JOB_COMPLETION_INDEX")
            && err.contains("AWS_BATCH_JOB_ARRAY_INDEX")
            && err.contains("--shard K/N"),
        "{err}"
    );
    let both = env(&[
        ("JOB_COMPLETION_INDEX", "0"),
        ("AWS_BATCH_JOB_ARRAY_INDEX", "0"),
    ]);
    assert!(
        detect(Some(2), both)
            .unwrap_err()
            .to_string()
            .contains("ambiguous")
    );
    // A fixed shard takes no count and reads no environment.
    let fixed = ShardSpec::Fixed(shard(1, 2));
    assert_eq!(
        fixed.resolve(None, |_| panic!("read env")).ok(),
        Some(shard(1, 2))
    );
    assert!(
        fixed
            .resolve(Some(2), env(&[]))
            .unwrap_err()
            .to_string()
            .contains("only used with")
    );
}

/// A model whose weights have 17 significant digits: floats must survive the file
/// exactly. It times the RTO at two more shares (one awkward) and counts two disasters'
/// RTO from the alarm and from the decision.
fn awkward_model() -> Model {
    let mut model = model(&[("az", 3.0), ("region", 0.1), ("corruption", 1e-7)]);
    model.simulation.rto_thresholds = vec![0.1 + 0.2, 0.9];
    model.disasters[1].objective.clock = crate::model::Clock::Decision;
    model.disasters[2].objective.clock = crate::model::Clock::Detection;
    model
}

/// A priced bill as a shard would carry it (no losses), with awkward floats.
fn fake_cost() -> crate::analysis::cost::CostReport {
    crate::analysis::cost::CostReport {
        catalog: "test".into(),
        catalog_file: "prices.toml".into(),
        region_catalogs: Default::default(),
        hours_per_month: 730.0,
        monthly_usd: 7287.768333333333,
        disaster_monthly_usd: Some(0.026041537589496507),
        expected_loss_monthly_usd: None,
        risk_adjusted_monthly_usd: None,
        tail_loss_p99_usd: None,
        breakdown: Vec::new(),
        by_region: Default::default(),
        by_component: Default::default(),
        by_disaster: Vec::new(),
        notes: vec!["a note".into()],
    }
}

fn fake_part(model: &Model, hash: &str, shard: Shard) -> Part {
    let trials = shard.trials(model.simulation.trials);
    Part::new(
        model,
        hash.into(),
        shard,
        fake_stats(model, trials),
        fake_cost(),
    )
}

#[test]
fn a_part_reads_back_identical() {
    let model = awkward_model();
    let part = fake_part(&model, "sha256:abc", shard(1, 3));
    assert_eq!(part.trials, 334..667);
    assert_eq!(part.stats.trials(), 333);
    let bytes = part.to_json();
    let back = Part::from_json(&bytes).unwrap();
    assert_eq!(back, part);
    assert!(
        back.stats.disasters()[0].failed_recoveries > 0,
        "the counter travels"
    );
    assert_eq!(back.to_json(), bytes);
    assert_eq!(back.context, SummaryContext::of(&model));
    // Read-back histograms still grow: merging a histogram of larger values works.
    let mut merged = back.stats.clone();
    let mut far = OutcomeStats::new(3, merged.limits().clone());
    far.add(&crate::sim::trial::TrialOutcome {
        disaster: 0,
        rto: Some(1 << 50),
        rto_at: [None; crate::model::MAX_RTO_THRESHOLDS],
        detected: None,
        decided: None,
        rpo: Some(1 << 45),
        first_success: None,
        full_capacity: None,
        outage: 1 << 49,
        events: 1,
        failback: None,
        unneeded_failover: false,
        failed_steps: crate::sim::trial::FailedSteps::NONE,
    });
    merged.merge_from(&far);
    assert_eq!(merged.disasters()[0].rto.max, 1 << 50);
    // Empty parts too.
    let empty = fake_part(&model, "sha256:abc", shard(1, 2000));
    assert_eq!(empty.trials, 1..1);
    assert_eq!(Part::from_json(&empty.to_json()).unwrap(), empty);
}

fn json(summary: &Summary) -> Vec<u8> {
    serde_json::to_vec_pretty(summary).unwrap()
}

fn merged_json(model: &Model, count: u64) -> Vec<u8> {
    let parts = (0..count)
        .rev()
        .map(|k| {
            let part = fake_part(model, "sha256:abc", shard(k, count));
            (PathBuf::from(part.shard.file_name()), part)
        })
        .collect();
    let merged = merge(parts).unwrap();
    assert_eq!(merged.parts as u64, count);
    json(&merged.summary())
}

/// The summary a single run prints: statistics, then cost with the losses added.
fn single_run(model: &Model, trials: std::ops::Range<u64>) -> Vec<u8> {
    let stats = fake_stats(model, trials);
    let mut summary = Summary::new(model, &stats);
    let losses = crate::analysis::cost::expected_loss(&SummaryContext::of(model), &stats);
    summary.cost = Some(fake_cost().with_losses(&losses));
    json(&summary)
}

#[test]
fn merged_parts_give_the_single_run_summary_byte_for_byte() {
    let mut model = awkward_model();
    model.simulation.trials = 5000;
    let whole = single_run(&model, 0..5000);
    for count in [1, 2, 3, 4, 7, 64] {
        assert_eq!(merged_json(&model, count), whole, "{count} shards");
    }
    // More shards than trials: the empty shards merge as nothing.
    model.simulation.trials = 5;
    let whole = single_run(&model, 0..5);
    assert_eq!(merged_json(&model, 8), whole);
}

/// Writes parts into a temporary directory; returns it and the paths.
fn write_parts(parts: &[(&str, Part)]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let paths = parts
        .iter()
        .map(|(name, part)| {
            let path = dir.path().join(name);
            fs::write(&path, part.to_json()).unwrap();
            path
        })
        .collect();
    (dir, paths)
}

fn problems(inputs: &[PathBuf]) -> Vec<String> {
    problems_of(merge_inputs(inputs).unwrap_err())
}

fn problems_of(error: AnalysisError) -> Vec<String> {
    match error {
        AnalysisError::Merge { problems } => problems,
        other => panic!("not a merge error: {other}"),
    }
}

fn one_problem(inputs: &[PathBuf], needles: &[&str]) {
    let problems = problems(inputs);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    for needle in needles {
        assert!(
            problems[0].contains(needle),
            "no {needle:?} in {}",
            problems[0]
        );
    }
}

#[test]
fn merge_refuses_parts_of_another_seed_or_model() {
    let model = awkward_model();
    let mut other_seed = model.clone();
    other_seed.simulation.seed = 43;
    let (_dir, paths) = write_parts(&[
        (
            "part-0-of-3.json",
            fake_part(&model, "sha256:abc", shard(0, 3)),
        ),
        (
            "part-1-of-3.json",
            fake_part(&model, "sha256:abc", shard(1, 3)),
        ),
        ("p2.json", fake_part(&other_seed, "sha256:abc", shard(2, 3))),
    ]);
    one_problem(
        &paths,
        &[
            "disagree on the seed",
            "42 in ",
            "part-0-of-3.json",
            "43 in ",
            "p2.json",
        ],
    );
    let (_dir, paths) = write_parts(&[
        ("a.json", fake_part(&model, "sha256:abc", shard(0, 2))),
        ("b.json", fake_part(&model, "sha256:def", shard(1, 2))),
    ]);
    one_problem(
        &paths,
        &[
            "model hash",
            "sha256:abc (test-scenario) in ",
            "a.json",
            "sha256:def (test-scenario) in ",
            "b.json",
        ],
    );
}

#[test]
fn merge_refuses_overlaps_gaps_and_duplicates() {
    let model = awkward_model();
    let part = |k, n| fake_part(&model, "sha256:abc", shard(k, n));
    // Shard 0 of 2 is [0, 500), shard 1 of 3 is [334, 667).
    let (_dir, paths) = write_parts(&[
        ("part-0-of-2.json", part(0, 2)),
        ("part-1-of-3.json", part(1, 3)),
        ("part-1-of-2.json", part(1, 2)),
    ]);
    let found = problems(&paths);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].contains("part-0-of-2.json (trials 0..500) and")
            && found[0].contains("part-1-of-3.json (trials 334..667) overlap on trials 334..500"),
        "{found:#?}"
    );
    assert!(
        found[1].contains("overlap on trials 500..667"),
        "{found:#?}"
    );
    // A gap: shard 1 of 3 missing.
    let (_dir, paths) = write_parts(&[
        ("part-0-of-3.json", part(0, 3)),
        ("part-2-of-3.json", part(2, 3)),
    ]);
    one_problem(
        &paths,
        &["no part holds trials 334..667", "missing: part-1-of-3.json"],
    );
    // Missing at the end.
    let (_dir, paths) = write_parts(&[("part-0-of-3.json", part(0, 3))]);
    one_problem(
        &paths,
        &[
            "no part holds trials 334..1000",
            "part-1-of-3.json, part-2-of-3.json",
        ],
    );
    // The same shard twice, under two names.
    let (_dir, paths) = write_parts(&[
        ("part-0-of-2.json", part(0, 2)),
        ("copy.json", part(0, 2)),
        ("part-1-of-2.json", part(1, 2)),
    ]);
    one_problem(
        &paths,
        &[
            "copy.json",
            "part-0-of-2.json",
            "are both shard 0/2 (trials 0..500)",
        ],
    );
}

#[test]
fn merge_lists_every_problem_at_once() {
    let model = awkward_model();
    let mut other = model.clone();
    other.simulation.seed = 1;
    other.simulation.trials = 2000;
    let (dir, paths) = write_parts(&[
        (
            "part-0-of-2.json",
            fake_part(&model, "sha256:abc", shard(0, 2)),
        ),
        (
            "part-1-of-2.json",
            fake_part(&other, "sha256:def", shard(1, 2)),
        ),
    ]);
    fs::write(dir.path().join("part-5-of-9.json"), "{ not json").unwrap();
    let mut future = String::from_utf8(fake_part(&model, "sha256:abc", shard(1, 2)).to_json())
        .unwrap()
        .replace("\"format_version\": 8", "\"format_version\": 9");
    fs::write(dir.path().join("part-6-of-9.json"), &future).unwrap();
    future.clear();
    let found = problems(&[dir.path().to_path_buf()]);
    let text = found.join("\n");
    assert_eq!(found.len(), 5, "{text}");
    for needle in [
        "part-5-of-9.json: not a drsim part file (invalid JSON",
        "part-6-of-9.json: part format version 9, written by drsim 0.1.0; this drsim",
        "disagree on the model hash",
        "disagree on the seed: 1 in ",
        "disagree on the total trial count: 1000 in ",
    ] {
        assert!(text.contains(needle), "no {needle:?} in\n{text}");
    }
    assert!(text.contains(&paths[1].display().to_string()), "{text}");
    let err = merge_inputs(&[dir.path().to_path_buf()]).unwrap_err();
    assert!(
        err.to_string().starts_with("cannot merge the parts:\n  - "),
        "{err}"
    );
}

#[test]
fn merge_refuses_parts_of_another_drsim_version() {
    let model = awkward_model();
    let mut old = fake_part(&model, "sha256:abc", shard(1, 2));
    old.drsim_version = "0.0.9".into();
    let (_dir, paths) = write_parts(&[
        (
            "part-0-of-2.json",
            fake_part(&model, "sha256:abc", shard(0, 2)),
        ),
        ("part-1-of-2.json", old.clone()),
    ]);
    one_problem(&paths, &["disagree on the drsim version", "0.0.9 in "]);
    let mut also_old = fake_part(&model, "sha256:abc", shard(0, 2));
    also_old.drsim_version = "0.0.9".into();
    let (_dir, paths) = write_parts(&[("part-0-of-2.json", also_old), ("part-1-of-2.json", old)]);
    one_problem(&paths, &["written by drsim 0.0.9; this is drsim"]);
}

#[test]
fn a_tampered_part_is_refused_naming_the_file_and_field() {
    let model = awkward_model();
    let text = String::from_utf8(fake_part(&model, "sha256:abc", shard(0, 2)).to_json()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, from, to, needle) in [
        (
            "range.json",
            "\"end\": 500",
            "\"end\": 400",
            "not those of shard 0/2",
        ),
        (
            "count.json",
            "\"trials\": 250",
            "\"trials\": 251",
            "stats.0.",
        ),
        ("sum.json", "\"sum_ms\": \"", "\"sum_ms\": \"x", "sum_ms"),
        (
            "shares.json",
            "\"rto_thresholds\": [",
            "\"rto_thresholds\": [0.2, ",
            "stats.0.rto_at holds 2 metrics for 3 rto_thresholds",
        ),
        (
            "clock.json",
            "\"clock\": \"decision\"",
            "\"clock\": \"disaster\"",
            "stats.1.rto_from_clock holds outcomes",
        ),
        (
            "no-clock.json",
            "\"clock\": \"detection\"",
            "\"clock\": \"sunrise\"",
            "unknown variant `sunrise`",
        ),
        (
            "failed.json",
            "\"failed_recoveries\": ",
            "\"failed_recoveries\": 9999999",
            "failed_recoveries (9999999",
        ),
        (
            "extra.json",
            "\"format\":",
            "\"colour\": 1, \"format\":",
            "unknown field `colour`",
        ),
    ] {
        assert!(text.contains(from), "{from}");
        let path = dir.path().join(name);
        // Resealed: the checks behind the checksum still hold.
        fs::write(&path, reseal(&text.replacen(from, to, 1))).unwrap();
        let err = Part::read(&path).unwrap_err().to_string();
        assert!(err.contains(name) && err.contains(needle), "{err}");
    }
}

#[test]
fn a_directory_gives_its_part_files_in_shard_order() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "part-10-of-12.json",
        "part-2-of-12.json",
        "summary.json",
        ".part-3-of-12.json.abc.tmp",
        "part-x-of-12.json",
        "part-12-of-12.json",
    ] {
        fs::write(dir.path().join(name), "").unwrap();
    }
    let files = part_files(&[dir.path().to_path_buf()]).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["part-2-of-12.json", "part-10-of-12.json"]);
    let empty = tempfile::tempdir().unwrap();
    let err = problems_of(part_files(&[empty.path().to_path_buf()]).unwrap_err());
    assert!(err[0].contains("no part files"), "{err:?}");
    let err = problems_of(merge_inputs(&[empty.path().join("nope.json")]).unwrap_err());
    assert!(err[0].contains("nope.json: cannot read"), "{err:?}");
}

#[test]
fn the_model_hash_covers_included_files_but_not_paths() {
    let write = |dir: &Path, top: &str, base: &str| {
        fs::create_dir_all(dir.join("models")).unwrap();
        fs::write(dir.join("models/base.toml"), base).unwrap();
        fs::write(dir.join("top.toml"), top).unwrap();
        model_hash(&dir.join("top.toml")).unwrap()
    };
    let top = "include = [\"models/base.toml\"]\nname = \"x\"\n";
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    let hash = write(one.path(), top, "a = 1\n");
    assert!(
        hash.starts_with("sha256:") && hash.len() == 7 + 64,
        "{hash}"
    );
    // The same bytes elsewhere: the same hash.
    assert_eq!(write(two.path(), top, "a = 1\n"), hash);
    // An edit to the included file changes it.
    assert_ne!(write(two.path(), top, "a = 2\n"), hash);
    // Moving bytes between files changes it (lengths are hashed).
    let moved = write(
        two.path(),
        "include = [\"models/base.toml\"]\n",
        "name = \"x\"\na = 1\n",
    );
    assert_ne!(moved, hash);
    let err = model_hash(&one.path().join("missing.toml"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing.toml"), "{err}");
}

/// `text` with its checksum recomputed, as if written so (when it parses as a part).
fn reseal(text: &str) -> Vec<u8> {
    match serde_json::from_str::<PartFile>(text) {
        Ok(mut file) => {
            file.checksum = file.digest();
            file.to_json()
        }
        Err(_) => text.as_bytes().to_vec(),
    }
}

#[test]
fn a_part_edited_without_updating_its_checksum_is_refused() {
    let model = awkward_model();
    let text = String::from_utf8(fake_part(&model, "sha256:abc", shard(0, 2)).to_json()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, from, to) in [
        ("seed.json", "\"seed\": ", "\"seed\": 1"),
        ("count.json", "\"trials\": 250", "\"trials\": 251"),
        ("cost.json", "\"cost\": {", "\"cost\": {\n"),
    ] {
        assert!(text.contains(from), "{from}");
        let path = dir.path().join(name);
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let result = Part::read(&path);
        if name == "cost.json" {
            // Whitespace is not content.
            assert!(result.is_ok(), "{:?}", result.err());
            continue;
        }
        let err = result.unwrap_err().to_string();
        assert!(
            err.contains(name) && err.contains("checksum mismatch"),
            "{err}"
        );
    }
}

#[test]
fn a_version_1_part_without_a_checksum_is_refused_clearly() {
    let model = awkward_model();
    let mut value: serde_json::Value =
        serde_json::from_slice(&fake_part(&model, "sha256:abc", shard(0, 2)).to_json()).unwrap();
    let object = value.as_object_mut().unwrap();
    object.remove("checksum");
    object.insert("format_version".into(), 1.into());
    let err = Part::from_json(&serde_json::to_vec(&value).unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("part format version 1") && err.contains("run the shards again"),
        "{err}"
    );
    object_without_checksum_is_refused(&model);
}

fn object_without_checksum_is_refused(model: &crate::model::Model) {
    let mut value: serde_json::Value =
        serde_json::from_slice(&fake_part(model, "sha256:abc", shard(0, 2)).to_json()).unwrap();
    value.as_object_mut().unwrap().remove("checksum");
    let err = Part::from_json(&serde_json::to_vec(&value).unwrap())
        .unwrap_err()
        .to_string();
    assert!(err.contains("without a checksum"), "{err}");
}

#[test]
fn counts_that_overflow_when_merged_are_refused_not_wrapped() {
    let model = awkward_model();
    let mut parts = Vec::new();
    for k in 0..2 {
        let mut part = fake_part(&model, "sha256:abc", shard(k, 2));
        // Nothing bounds a part's event count but u64: two such parts overflow it.
        let mut disasters = part.stats.disasters().to_vec();
        disasters[0].events = u64::MAX;
        let limits = part.stats.limits().clone();
        part.stats = OutcomeStats::from_disasters(limits, disasters);
        let back = Part::from_json(&part.to_json()).unwrap();
        parts.push((PathBuf::from(format!("part-{k}-of-2.json")), back));
    }
    let Err(error) = merge(parts) else {
        panic!("merged counts that overflow a u64");
    };
    let text = problems_of(error).join("\n");
    assert!(text.contains("stats.0.events overflows"), "{text}");
}

#[test]
fn a_sum_above_count_times_max_is_refused() {
    let model = awkward_model();
    let text = String::from_utf8(fake_part(&model, "sha256:abc", shard(0, 2)).to_json()).unwrap();
    let needle = "\"sum_ms\": \"";
    let at = text.find(needle).unwrap() + needle.len();
    let end = at + text[at..].find('"').unwrap();
    let huge = format!("{}{}{}", &text[..at], u128::MAX, &text[end..]);
    let err = Part::from_json(&reseal(&huge)).unwrap_err().to_string();
    assert!(err.contains("above count x max_ms"), "{err}");
}

#[test]
fn parts_whose_cost_blocks_disagree_are_refused() {
    let model = awkward_model();
    let mut other = fake_part(&model, "sha256:abc", shard(1, 2));
    other.cost.notes.push("edited".into());
    let (_dir, paths) = write_parts(&[
        (
            "part-0-of-2.json",
            fake_part(&model, "sha256:abc", shard(0, 2)),
        ),
        ("part-1-of-2.json", other),
    ]);
    one_problem(&paths, &["disagree on the cost block"]);
}

/// A part whose per-step counts exceed its failed trials, or whose RTO split does not
/// hold exactly the failed and the other trials, was not written by a run.
#[test]
fn failed_step_counts_must_fit_the_failed_trials() {
    let mut d = crate::run::stats::DisasterStats::new(0);
    d.trials = 3;
    d.failed_recoveries = 1;
    d.failed_by_step = [1, 0, 0, 1];
    d.rto_failed.record(Some(5));
    d.rto_clean.record(Some(1));
    d.rto_clean.record(None);
    assert_eq!(super::check_failed_steps(0, &d), Ok(()));
    let mut steps = d.clone();
    steps.failed_by_step[2] = 2;
    let err = super::check_failed_steps(4, &steps).unwrap_err();
    assert!(
        err.contains("stats.4.failed_by_step.2 (2) is above failed_recoveries (1)"),
        "{err}"
    );
    let mut split = d;
    split.rto_clean.record(Some(1));
    let err = super::check_failed_steps(0, &split).unwrap_err();
    assert!(err.contains("hold 1 and 3 outcomes for 1 trials"), "{err}");
}
