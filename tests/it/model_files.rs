//! The bundled model files load, and bad model files fail with errors that name the
//! file, line, column and field, whichever included file the mistake is in.

use std::fs;
use std::path::{Path, PathBuf};

use drsim::model::load::{LoadError, load_model};
use drsim::model::*;
use tempfile::TempDir;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn scenario(name: &str) -> Model {
    load_model(&repo(&format!("scenarios/{name}.toml"))).unwrap_or_else(|e| panic!("{e}"))
}

/// A scenario in a temporary directory: the three shared models plus `body`.
struct Case {
    _dir: TempDir,
    path: PathBuf,
    text: String,
}

impl Case {
    fn new(body: &str) -> Case {
        Case::with_includes(
            &["aws-timings.toml", "web-app.toml", "web-app-disasters.toml"],
            body,
        )
    }

    fn with_includes(models: &[&str], body: &str) -> Case {
        let includes: Vec<String> = models
            .iter()
            .map(|m| format!("'{}'", repo("models").join(m).display()))
            .collect();
        let text = format!("include = [{}]\n{body}\n", includes.join(", "));
        Case::raw(&text)
    }

    /// A model on the bundled includes with `models/aws-timings.toml`'s recovery
    /// failure tables (`[recovery.*_failure]`, `[recovery.control_plane]`) left out.
    fn without_failure_defaults(body: &str) -> Case {
        let timings = fs::read_to_string(repo("models").join("aws-timings.toml")).unwrap();
        let mut kept = String::new();
        let mut skipping = false;
        for line in timings.lines() {
            if line.starts_with('[') {
                skipping = line.starts_with("[recovery.");
            }
            if !skipping {
                kept.push_str(line);
                kept.push('\n');
            }
        }
        let case = Case::with_includes(&["web-app.toml", "web-app-disasters.toml"], body);
        let stripped = case.path.with_file_name("timings.toml");
        fs::write(&stripped, kept).unwrap();
        let text = case.text.replacen(
            "include = [",
            &format!("include = ['{}', ", stripped.display()),
            1,
        );
        fs::write(&case.path, &text).unwrap();
        Case { text, ..case }
    }

    fn raw(text: &str) -> Case {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("scenario.toml");
        fs::write(&path, text).unwrap();
        Case {
            _dir: dir,
            path,
            text: text.to_string(),
        }
    }

    fn load(&self) -> Model {
        load_model(&self.path).unwrap_or_else(|e| panic!("{e}"))
    }

    fn error(&self) -> LoadError {
        match load_model(&self.path) {
            Ok(_) => panic!("expected an error for:\n{}", self.text),
            Err(e) => e,
        }
    }

    /// Asserts the error is in this file, at the `occurrence`-th line containing `needle`
    /// (column of the needle), for `field`, and its message contains `says`.
    fn fails_at(&self, needle: &str, field: &str, says: &str) -> LoadError {
        let error = self.error();
        assert_eq!(error.file, self.path, "{error}");
        assert_eq!(error.line_col, Some(place(&self.text, needle)), "{error}");
        assert_eq!(error.field.as_deref(), Some(field), "{error}");
        assert!(error.message.contains(says), "`{says}` not in: {error}");
        error
    }
}

/// A `[backups]` section missing only its schedule.
const BACKUPS: &str = "[backups]\nregion = \"us-east-1\"\nretention = \"35d\"\n";

/// 1-based line and column of the last occurrence of `needle`.
fn place(text: &str, needle: &str) -> (usize, usize) {
    let offset = text
        .rfind(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in:\n{text}"));
    let line = text[..offset].matches('\n').count() + 1;
    let col = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

// ---- the bundled files ----

#[test]
fn bundled_scenarios_load_and_differ_as_designed() {
    let backup = scenario("backup-restore");
    assert_eq!(backup.regions[1].deployment, Deployment::NotDeployed);
    assert_eq!(backup.database.cross_region, CrossRegion::None);
    assert_eq!(
        backup.backups.as_ref().unwrap().vault_lock,
        VaultLock::Governance
    );
    assert!(!backup.recovery.automated);

    let pilot = scenario("pilot-light");
    assert_eq!(pilot.regions[1].deployment, Deployment::ScaledToZero);
    assert_eq!(
        pilot.database.cross_region,
        CrossRegion::ReadReplica { region: 1 }
    );

    let warm = scenario("warm-standby");
    let pool = warm.regions[1].asg.warm_pool.as_ref().unwrap();
    assert_eq!((pool.size, pool.state), (4, WarmState::Running));
    assert_eq!(
        warm.database.cross_region,
        CrossRegion::AuroraGlobal { region: 1 }
    );
    assert_eq!(
        warm.backups.as_ref().unwrap().point_in_time,
        Some(5 * 60_000)
    );
    assert!(warm.recovery.automated);

    let active = scenario("active-active");
    assert_eq!(active.routing.mode, RoutingMode::ActiveActive);
    assert_eq!(
        active.routing.dns, None,
        "Global Accelerator has no DNS caching"
    );
    assert!(
        active
            .regions
            .iter()
            .all(|r| r.role == Role::Active && r.weight == 0.5)
    );

    let hybrid = scenario("hybrid-onprem");
    assert_eq!(hybrid.regions[0].site, SiteKind::OnPremises);
}

#[test]
fn all_scenarios_face_the_same_disasters() {
    let names = |m: &Model| -> Vec<(String, DisasterKind, f64)> {
        m.disasters
            .iter()
            .map(|d| (d.name.clone(), d.kind, d.per_year))
            .collect()
    };
    let reference = names(&scenario("backup-restore"));
    assert_eq!(reference.len(), 7);
    for name in ["pilot-light", "warm-standby", "active-active"] {
        assert_eq!(names(&scenario(name)), reference, "{name}");
    }
}

#[test]
fn regions_keep_the_order_of_the_included_file() {
    // warm-standby writes only [regions.us-west-2]; that must not move it ahead of the
    // primary declared first in web-app.toml.
    let warm = scenario("warm-standby");
    let order: Vec<&str> = warm.regions.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(order, ["us-east-1", "us-west-2"]);
    assert_eq!(warm.primary(), 0);
    assert_eq!(warm.standby(), Some(1));
}

#[test]
fn every_timing_in_the_shared_models_cites_a_source_or_says_unsourced() {
    let text = fs::read_to_string(repo("models/aws-timings.toml")).unwrap();
    let mut comment = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            comment.push_str(trimmed);
        } else if trimmed.is_empty() {
            comment.clear();
        } else if trimmed.starts_with('[') {
            // A header between a comment and its values.
        } else {
            // A value line: the comment block above it must cite docs/sources.md or say unsourced.
            assert!(
                comment.contains("sources.md#") || comment.contains("nsourced"),
                "no source for `{trimmed}`"
            );
        }
    }
}

// ---- includes and defaults ----

#[test]
fn a_scenario_value_beats_an_included_one() {
    assert_eq!(
        scenario("warm-standby").routing.health_check.interval,
        10_000
    );
    assert_eq!(
        scenario("pilot-light").routing.health_check.interval,
        30_000
    );
}

#[test]
fn region_defaults_fill_a_region_and_the_region_wins() {
    let case = Case::new("[regions.us-west-2.alb]\ninterval = \"15s\"");
    let model = case.load();
    assert_eq!(
        model.regions[0].alb.interval, 30_000,
        "from region_defaults"
    );
    assert_eq!(
        model.regions[0].alb.healthy_threshold, 5,
        "from region_defaults"
    );
    assert!(
        model.regions[0].alb.deep_health_check,
        "from web-app's region_defaults"
    );
    assert_eq!(
        model.regions[1].alb.interval, 15_000,
        "the region's own value"
    );
    assert_eq!(model.regions[1].asg.instance_type, "m5.large");
}

#[test]
fn database_defaults_follow_the_kind() {
    let multi_az = scenario("pilot-light").database.failover_time;
    let aurora = scenario("warm-standby").database.failover_time;
    assert_eq!(
        multi_az,
        Dist::LogNormal {
            median: 90_000.0,
            p95: 120_000.0
        }
    );
    assert_eq!(
        aurora,
        Dist::LogNormal {
            median: 30_000.0,
            p95: 60_000.0
        }
    );
}

#[test]
fn a_distribution_overrides_a_default_distribution_whole() {
    let case =
        Case::new("[recovery]\ndetection = { dist = \"uniform\", min = \"1m\", max = \"5m\" }");
    let expected = Dist::Uniform {
        min: 60_000.0,
        max: 300_000.0,
    };
    assert_eq!(case.load().recovery.detection, expected);
}

#[test]
fn an_include_cycle_is_an_error() {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("a.toml"), "include = ['b.toml']\n").unwrap();
    fs::write(
        dir.path().join("b.toml"),
        "name = 'b'\ninclude = ['a.toml']\n",
    )
    .unwrap();
    let error = load_model(&dir.path().join("a.toml")).unwrap_err();
    assert!(error.message.contains("include cycle"), "{error}");
    assert_eq!(error.file, dir.path().join("b.toml"));
    assert_eq!(error.line_col, Some((2, 12)));
    assert_eq!(error.field.as_deref(), Some("include[0]"));
}

#[test]
fn an_unreadable_file_is_an_error_naming_it() {
    let missing = repo("scenarios/no-such-scenario.toml");
    let error = load_model(&missing).unwrap_err();
    assert_eq!(error.file, missing);
    assert!(
        error.to_string().contains("no-such-scenario.toml"),
        "{error}"
    );
    assert!(error.message.contains("cannot read"), "{error}");
}

#[test]
fn a_missing_include_names_the_file_and_where_it_was_included() {
    let case = Case::raw("name = 'x'\ninclude = ['nothere.toml']\n");
    let error = case.error();
    assert!(error.file.ends_with("nothere.toml"), "{error}");
    assert!(error.message.contains("scenario.toml:2:12"), "{error}");
}

#[test]
fn a_syntax_error_gives_line_and_column() {
    let case = Case::raw("name = 'x'\n[simulation\ntrials = 1\n");
    let error = case.error();
    assert_eq!(error.file, case.path);
    assert_eq!(error.line_col.map(|(line, _)| line), Some(2), "{error}");
    assert!(error.message.contains("syntax"), "{error}");
}

// ---- spelling ----

#[test]
fn a_misspelt_field_suggests_the_right_one() {
    let case = Case::new("[routing]\nhelth_check_interval = \"10s\"");
    case.fails_at(
        "helth_check_interval",
        "routing.helth_check_interval",
        "did you mean `health_check_interval`?",
    );
}

#[test]
fn a_misspelt_value_suggests_the_right_one() {
    let case = Case::new("[regions.us-west-2.asg]\nwarm_pool = { size = 2, state = \"stoped\" }");
    let error = case.fails_at(
        "state",
        "regions.us-west-2.asg.warm_pool.state",
        "did you mean `stopped`?",
    );
    assert!(
        error.message.contains("stopped, running, hibernated"),
        "{error}"
    );
}

#[test]
fn a_misspelt_defaults_choice_is_caught() {
    let case = Case::new("[database_defaults.multiaz]\nfailover_time = \"1m\"");
    case.fails_at(
        "multiaz",
        "database_defaults.multiaz",
        "did you mean `multi_az`?",
    );
}

#[test]
fn a_missing_field_points_at_its_table() {
    let case = Case::new(
        "[regions.eu-west-1]\nrole = \"standby\"\nasg = { min = 0, desired = 0, max = 2 }",
    );
    case.fails_at("eu-west-1", "regions.eu-west-1", "missing field `azs`");
}

// ---- units and distributions ----

#[test]
fn a_bare_number_for_a_duration_says_how_to_write_it() {
    let case = Case::new("[simulation]\nhorizon = 14");
    case.fails_at("horizon", "simulation.horizon", "\"14s\"");
}

#[test]
fn an_unknown_unit_is_refused() {
    let case = Case::new("[objectives]\nrto = \"15y\"");
    case.fails_at("rto", "objectives.rto", "unknown time unit");
}

#[test]
fn zero_durations_where_time_must_pass_are_refused() {
    Case::new("[simulation]\nhorizon = \"0s\"").fails_at(
        "horizon",
        "simulation.horizon",
        "longer than zero",
    );
    Case::new(&format!("{BACKUPS}every = \"0h\"")).fails_at(
        "every",
        "backups.every",
        "longer than zero",
    );
}

#[test]
fn a_normal_close_to_zero_asks_for_a_lognormal() {
    let case =
        Case::new("[recovery]\ndetection = { dist = \"normal\", mean = \"1m\", sd = \"30s\" }");
    case.fails_at("detection", "recovery.detection", "use a lognormal");
}

#[test]
fn distribution_parameters_must_fit_the_family() {
    let case = Case::new(
        "[recovery]\ndetection = { dist = \"lognormal\", median = \"1m\", max = \"2m\" }",
    );
    case.fails_at("max", "recovery.detection.max", "takes median, p95");
    let case = Case::new(
        "[recovery]\ndetection = { dist = \"lognormal\", median = \"2m\", p95 = \"1m\" }",
    );
    case.fails_at("detection", "recovery.detection", "0 < median < p95");
    let case = Case::new("[recovery]\ndetection = { dist = \"uniform\", min = \"1m\" }");
    case.fails_at("detection", "recovery.detection", "needs `max`");
}

// ---- ranges ----

#[test]
fn zero_trials_are_refused() {
    Case::new("[simulation]\ntrials = 0").fails_at("trials", "simulation.trials", "at least 1");
}

#[test]
fn thresholds_and_shares_out_of_range_are_refused() {
    Case::new("[simulation]\nrecovery_threshold = 1.5").fails_at(
        "recovery_threshold",
        "simulation.recovery_threshold",
        "out of range",
    );
    Case::new("[routing]\nclients_honouring_ttl = 1.2").fails_at(
        "clients_honouring_ttl",
        "routing.clients_honouring_ttl",
        "between 0 and 1",
    );
    Case::new("[routing]\nfailure_threshold = 11").fails_at(
        "failure_threshold",
        "routing.failure_threshold",
        "1..10",
    );
    Case::new("[objectives]\nconfidence = 0").fails_at(
        "confidence",
        "objectives.confidence",
        "out of range",
    );
    Case::new("[disasters.az-outage]\nper_year = 0").fails_at(
        "per_year",
        "disasters.az-outage.per_year",
        "above zero",
    );
}

#[test]
fn health_checks_run_every_10s_or_30s_only() {
    let case = Case::new("[routing]\nhealth_check_interval = \"20s\"");
    case.fails_at(
        "health_check_interval",
        "routing.health_check_interval",
        "\"10s\" or \"30s\"",
    );
}

#[test]
fn asg_sizes_must_be_ordered() {
    Case::new("[regions.us-east-1.asg]\ndesired = 20").fails_at(
        "desired",
        "regions.us-east-1.asg.desired",
        "above max",
    );
    Case::new("[regions.us-east-1.asg]\nmin = 7\ndesired = 6").fails_at(
        "min",
        "regions.us-east-1.asg.min",
        "above desired",
    );
    Case::new("[regions.us-east-1.asg]\nmin = 0\ndesired = 0").fails_at(
        "desired",
        "regions.us-east-1.asg.desired",
        "desired > 0",
    );
    Case::new("[regions.us-west-2.asg]\nwarm_pool = { size = 13, state = \"running\" }").fails_at(
        "size",
        "regions.us-west-2.asg.warm_pool.size",
        "above the group's max",
    );
}

// ---- references ----

#[test]
fn an_undeclared_region_lists_the_declared_ones() {
    let case = Case::new("[database]\nregion = \"us-east-2\"");
    case.fails_at(
        "region",
        "database.region",
        "declared: us-east-1, us-west-2",
    );
    let case = Case::new(&format!("{BACKUPS}every = \"1h\"\ncopy_to = \"eu-west-1\""));
    case.fails_at(
        "copy_to",
        "backups.copy_to",
        "region `eu-west-1` is not declared",
    );
}

#[test]
fn an_undeclared_az_lists_the_region_azs() {
    let case = Case::new("[disasters.az-outage]\naz = \"us-east-1c\"");
    case.fails_at(
        "az",
        "disasters.az-outage.az",
        "declared: us-east-1a, us-east-1b",
    );
    let case = Case::new("[regions.us-east-1]\nnat = \"single\"\nnat_az = \"us-west-2a\"");
    case.fails_at("nat_az", "regions.us-east-1.nat_az", "not declared");
}

#[test]
fn a_cross_region_copy_must_be_in_another_region() {
    let case =
        Case::new("[database]\ncross_region = \"read_replica\"\nreplica_region = \"us-east-1\"");
    case.fails_at(
        "replica_region",
        "database.replica_region",
        "another region",
    );
}

#[test]
fn aurora_global_needs_aurora() {
    let case =
        Case::new("[database]\ncross_region = \"aurora_global\"\nreplica_region = \"us-west-2\"");
    case.fails_at("cross_region", "database.cross_region", "kind = \"aurora\"");
}

// ---- roles and disasters ----

#[test]
fn failover_needs_one_primary_and_a_standby() {
    let case = Case::new(
        "[regions.us-west-2]\nrole = \"primary\"\ndeployment = \"running\"\nasg = { desired = 2 }",
    );
    case.fails_at(
        "role",
        "regions.us-west-2.role",
        "only one region may be the primary",
    );
}

#[test]
fn a_disaster_that_strikes_nothing_is_refused_where_it_is_written() {
    // The disaster is in an included file: the error points there.
    let case = Case::new("[regions.us-east-1]\nnat = \"none\"");
    let error = case.error();
    let disasters = repo("models/web-app-disasters.toml");
    let text = fs::read_to_string(&disasters).unwrap();
    assert_eq!(error.file, disasters, "{error}");
    let block = text.find("[disasters.nat-gateway-failure]").unwrap();
    let key = block + text[block..].find("\nregion").unwrap() + 1;
    let line = text[..key].matches('\n').count() + 1;
    assert_eq!(error.line_col, Some((line, 1)), "{error}");
    assert_eq!(
        error.field.as_deref(),
        Some("disasters.nat-gateway-failure.region")
    );
    assert!(error.message.contains("strikes nothing"), "{error}");
}

#[test]
fn a_single_region_model_has_nowhere_to_fail_over() {
    let case = Case::raw(&single_region_model(
        "[disasters.big]\nkind = \"region_outage\"\nper_year = 1\nduration = \"1h\"",
    ));
    case.fails_at(
        "regions.solo",
        "regions",
        "at least one region with role = \"standby\"",
    );
}

#[test]
fn a_model_without_disasters_is_refused() {
    let case = Case::with_includes(&["aws-timings.toml", "web-app.toml"], "");
    let error = case.error();
    assert_eq!(error.field.as_deref(), Some("disasters"));
    assert!(error.message.contains("no disasters"), "{error}");
}

#[test]
fn a_bad_default_points_at_the_default_and_says_where_it_applied() {
    let case = Case::new("[region_defaults.alb]\ninterval = \"1s\"");
    let error = case.fails_at("interval", "region_defaults.alb.interval", "5s..300s");
    assert!(
        error.message.contains("regions.us-east-1.alb.interval"),
        "{error}"
    );
}

/// A complete one-region model written inline (no includes), plus `extra`.
fn single_region_model(extra: &str) -> String {
    let timings = repo("models/aws-timings.toml");
    format!(
        r#"include = ['{}']
[simulation]
trials = 10
seed = 1
horizon = "1d"
[objectives]
rto = "1h"
rpo = "1h"
confidence = 0.9
[workload]
requests_per_second = 10
writes_per_second = 1
data_size_gb = 1
change_gb_per_day = 1
instance_capacity_rps = 10
needs_outbound = false
response_kb = 1
[regions.solo]
role = "primary"
azs = ["solo-a"]
nat = "none"
asg = {{ instance_type = "t3.medium", volume_gb = 8, min = 1, desired = 1, max = 2 }}
[routing]
kind = "route53"
mode = "failover"
[database]
kind = "single"
instance_class = "db.t3.medium"
region = "solo"
az = "solo-a"
[object_storage]
size_gb = 1
{extra}
"#,
        timings.display()
    )
}

// ---- robustness ----

/// Every prefix of every bundled scenario (cut at a line) loads or fails cleanly.
#[test]
fn truncated_files_never_panic() {
    for name in [
        "backup-restore",
        "pilot-light",
        "warm-standby",
        "active-active",
        "hybrid-onprem",
        "hybrid-backup-restore",
        "hybrid-pilot-light",
        "hybrid-warm-standby",
        "hybrid-multi-site",
    ] {
        let text = fs::read_to_string(repo(&format!("scenarios/{name}.toml"))).unwrap();
        let text = text.replace("../models/", &format!("{}/", repo("models").display()));
        let lines: Vec<&str> = text.lines().collect();
        for end in 0..lines.len() {
            let case = Case::raw(&lines[..end].join("\n"));
            let _ = load_model(&case.path);
        }
    }
}

#[test]
fn wrong_types_everywhere_never_panic() {
    let values = [
        "1",
        "-1",
        "\"x\"",
        "\"5m\"",
        "true",
        "[]",
        "{}",
        "{ dist = \"fixed\" }",
        "1e400",
    ];
    let fields = [
        "simulation.trials",
        "simulation.horizon",
        "regions.us-east-1.azs",
        "regions.us-east-1.asg",
        "regions.us-east-1.asg.warm_pool",
        "routing.stale_hold",
        "backups.at",
        "disasters.az-outage.az",
        "region_defaults",
        "database_defaults",
        "include",
    ];
    for field in fields {
        let (table, key) = field.rsplit_once('.').unwrap_or(("", field));
        for value in values {
            let body = if table.is_empty() {
                format!("{key} = {value}")
            } else {
                format!("[{table}]\n{key} = {value}")
            };
            let case = Case::new(&body);
            let _ = load_model(&case.path);
        }
    }
}

#[test]
fn a_misspelt_top_level_table_suggests_the_right_one() {
    let case = Case::new("[regoins.eu-west-1]\nrole = \"standby\"");
    let error = case.fails_at("regoins", "regoins", "did you mean `regions`?");
    assert!(error.message.contains("region_defaults"), "{error}");
}

#[test]
fn an_absurdly_long_duration_is_refused() {
    let case = Case::new("[simulation]\nhorizon = \"99999999999d\"");
    case.fails_at("horizon", "simulation.horizon", "too long");
}

#[test]
fn a_warm_pool_needs_a_deployed_region() {
    let case = Case::new(
        "[regions.us-west-2]\ndeployment = \"not_deployed\"\n[regions.us-west-2.asg]\nwarm_pool = { size = 2, state = \"stopped\" }",
    );
    case.fails_at(
        "warm_pool",
        "regions.us-west-2.asg.warm_pool",
        "not_deployed",
    );
}

#[test]
fn a_multi_writer_copy_needs_no_promotion() {
    let case =
        Case::new("[database]\ncross_region = \"multi_writer\"\nreplica_region = \"us-west-2\"");
    let db = case.load().database;
    assert_eq!(db.cross_region, CrossRegion::MultiWriter { region: 1 });
    assert_eq!(db.promotion_time, Dist::Fixed(0.0));
    assert_eq!(
        db.replication_lag,
        Dist::LogNormal {
            median: 1_000.0,
            p95: 10_000.0
        }
    );
}

#[test]
fn backups_at_times_of_day() {
    let ok = Case::new(&format!("{BACKUPS}at = [\"14:00\", \"02:00\"]"));
    let schedule = ok.load().backups.unwrap().schedule;
    assert_eq!(
        schedule,
        Schedule::DailyAt(vec![2 * 3_600_000, 14 * 3_600_000])
    );
    let bad = Case::new(&format!("{BACKUPS}at = [\"02:00\", \"25:00\"]"));
    bad.fails_at("\"25:00\"", "backups.at[1]", "HH:MM");
    let both = Case::new(&format!("{BACKUPS}every = \"1h\"\nat = [\"02:00\"]"));
    both.fails_at("at =", "backups.at", "not both");
}

#[test]
fn a_misspelt_distribution_parameter_or_kind_suggests_the_right_one() {
    let case = Case::new(
        "[recovery]\ndetection = { dist = \"lognormal\", medain = \"1m\", p95 = \"5m\" }",
    );
    case.fails_at(
        "medain",
        "recovery.detection.medain",
        "did you mean `median`?",
    );
    let case = Case::new("[disasters.az-outage]\nkind = \"az_outtage\"");
    case.fails_at(
        "kind",
        "disasters.az-outage.kind",
        "did you mean `az_outage`?",
    );
}

#[test]
fn object_write_rate_must_be_above_zero() {
    let case = Case::new(
        "[object_storage]\nreplication = \"crr\"\nreplica_region = \"us-west-2\"\nobjects_per_second = 0",
    );
    case.fails_at(
        "objects_per_second",
        "object_storage.objects_per_second",
        "above zero",
    );
}

/// The bundled cold-launch and stopped-warm-pool defaults follow their source's
/// END-TO-END figures. keikoproj/instance-manager issue 277 ("Support warm pools",
/// docs/sources.md#keikoproj-277) measured 1 m 50 s from the scale event to a ready node
/// without a warm pool and 1 m 20 s from a stopped warm pool. So the medians of
/// `launch_time` (30 s) + `bootstrap_time` must add up to 110 s (bootstrap 80 s), and a
/// stopped pool instance reaches InService in 80 s at the median.
#[test]
fn launch_defaults_are_end_to_end_times() {
    let model = scenario("warm-standby");
    let median = |d: &Dist| match d {
        Dist::LogNormal { median, .. } => *median,
        other => panic!("expected a lognormal, got {other:?}"),
    };
    for region in &model.regions {
        let asg = &region.asg;
        let cold = median(&asg.launch_time) + median(&asg.bootstrap_time);
        assert_eq!(cold, 110_000.0, "{}", region.name);
    }
    let pool = model.regions[1]
        .asg
        .warm_pool
        .as_ref()
        .expect("warm standby pool");
    // The bundled pool is kept running (static stability); the same pool stopped.
    assert_eq!(pool.state, WarmState::Running);
    let stopped =
        Case::new("[regions.us-west-2.asg]\nwarm_pool = { size = 4, state = \"stopped\" }").load();
    let pool = stopped.regions[1].asg.warm_pool.as_ref().unwrap();
    assert_eq!(median(&pool.time_to_in_service), 80_000.0);
}

/// `asg.policy`: target tracking by default (models/aws-timings.toml, citing
/// sources.md#asg-cooldown: AWS recommends target tracking), `simple` when a model says
/// so, and a misspelt policy is refused where it is written, with the valid choices.
#[test]
fn the_scaling_policy_defaults_to_target_tracking() {
    let model = scenario("warm-standby");
    assert!(
        model
            .regions
            .iter()
            .all(|r| r.asg.policy == ScalingPolicy::TargetTracking)
    );
    let simple = Case::new("[regions.us-west-2.asg]\npolicy = \"simple\"").load();
    assert_eq!(simple.regions[1].asg.policy, ScalingPolicy::Simple);
    assert_eq!(simple.regions[0].asg.policy, ScalingPolicy::TargetTracking);
    let case = Case::new("[regions.us-west-2.asg]\npolicy = \"target_traking\"");
    let error = case.fails_at(
        "policy",
        "regions.us-west-2.asg.policy",
        "did you mean `target_tracking`?",
    );
    assert!(
        error.message.contains("target_tracking, step, simple"),
        "{error}"
    );
}

/// `[workload.db_client]`: zero by default (models/aws-timings.toml; unsourced, see
/// docs/sources.md#rds-jvm-dns-ttl), set per model, and a bare number or a misspelt key
/// is refused where it is written.
#[test]
fn the_database_client_cache_is_read_and_checked() {
    let model = scenario("warm-standby");
    assert_eq!(model.workload.db_client, DbClient::default());
    let case = Case::new("[workload.db_client]\ndns_cache = \"60s\"\nconnect_timeout = \"10s\"");
    let client = case.load().workload.db_client;
    assert_eq!((client.dns_cache, client.connect_timeout), (60_000, 10_000));
    let case = Case::new("[workload.db_client]\ndns_cache = 60");
    case.fails_at("dns_cache", "workload.db_client.dns_cache", "has no unit");
    let case = Case::new("[workload.db_client]\nconect_timeout = \"10s\"");
    case.fails_at(
        "conect_timeout",
        "workload.db_client.conect_timeout",
        "did you mean `connect_timeout`?",
    );
}

// ---- models that validated but gave nonsense ----

#[test]
fn a_recovery_threshold_near_zero_is_refused() {
    Case::new("[simulation]\nrecovery_threshold = 1e-9").fails_at(
        "recovery_threshold",
        "simulation.recovery_threshold",
        "between 0.01 and 1",
    );
    assert_eq!(
        Case::new("[simulation]\nrecovery_threshold = 0.01")
            .load()
            .simulation
            .recovery_threshold,
        0.01
    );
}

#[test]
fn a_data_size_overflowing_the_restore_time_is_refused() {
    let case = Case::new(&format!(
        "[workload]\ndata_size_gb = 1e15\n{BACKUPS}every = \"1h\""
    ));
    case.fails_at("data_size_gb", "workload.data_size_gb", "10 PB");
    let case = Case::new(&format!(
        "[workload]\ndata_size_gb = 1e7\n{BACKUPS}every = \"1h\"\nrestore_gb_per_hour = 0.001"
    ));
    case.fails_at(
        "restore_gb_per_hour",
        "backups.restore_gb_per_hour",
        "over 100 years",
    );
}

#[test]
fn a_backup_every_millisecond_is_refused() {
    Case::new(&format!("{BACKUPS}every = \"1ms\"")).fails_at(
        "every",
        "backups.every",
        "at least \"1m\"",
    );
}

#[test]
fn a_per_year_overflowing_the_weight_sum_is_refused() {
    let case = Case::new("[disasters.region-outage]\nper_year = 1e308");
    let error = case.fails_at("per_year", "disasters.region-outage.per_year", "at most");
    assert!(error.message.contains("1e308"), "{error}");
    assert!(error.message.len() < 100, "{error}");
}

#[test]
fn outage_durations_rounding_to_zero_are_refused() {
    for duration in ["0s", "0.4ms"] {
        Case::new(&format!("[disasters.az-outage]\nduration = \"{duration}\"")).fails_at(
            "duration",
            "disasters.az-outage.duration",
            "longer than zero",
        );
    }
    Case::new("[disasters.region-outage]\nduration = { dist = \"uniform\", min = \"0s\", max = \"0.2ms\" }")
        .fails_at("duration", "disasters.region-outage.duration", "longer than zero");
    Case::new("[simulation]\nhorizon = \"0.4ms\"").fails_at(
        "horizon",
        "simulation.horizon",
        "longer than zero",
    );
}

#[test]
fn asg_counts_that_abort_allocating_are_refused() {
    Case::new(
        "[regions.us-east-1]\nasg = { min = 4294967295, desired = 4294967295, max = 4294967295 }",
    )
    .fails_at(
        "min = 4294967295",
        "regions.us-east-1.asg.min",
        "at most 10000",
    );
    Case::new("[regions.us-west-2]\nasg = { min = 0, desired = 2, max = 10001 }").fails_at(
        "max = 10001",
        "regions.us-west-2.asg.max",
        "at most 10000",
    );
}

#[test]
fn warm_pool_times_of_unused_states_are_validated() {
    let case = Case::new(
        "[regions.us-west-2.asg]\nwarm_pool = { size = 2, state = \"stopped\" }\n\
         [regions.us-west-2.asg.warm_pool_times]\n\
         running = { dist = \"lognormal\", median = \"30s\", p95 = \"10s\" }",
    );
    case.fails_at(
        "running",
        "regions.us-west-2.asg.warm_pool_times.running",
        "lognormal needs",
    );
}

#[test]
fn invalid_dns_keys_under_global_accelerator_are_refused() {
    Case::new("[routing]\nkind = \"global_accelerator\"\nclients_honouring_ttl = 5").fails_at(
        "clients_honouring_ttl",
        "routing.clients_honouring_ttl",
        "between 0 and 1",
    );
    Case::new(
        "[routing]\nkind = \"global_accelerator\"\nstale_hold = { dist = \"uniform\", min = \"2m\", max = \"1m\" }",
    )
    .fails_at("stale_hold", "routing.stale_hold", "uniform needs");
}

#[test]
fn toml_datetimes_where_strings_are_expected_are_refused() {
    Case::new("name = 1979-05-27T07:32:00Z").fails_at("name", "name", "date or time");
    Case::new("[objectives]\nrto = 07:32:00").fails_at("rto", "objectives.rto", "date or time");
}

#[test]
fn nat_gateway_failure_needs_a_duration_as_documented() {
    // The docs' sentence on a disaster's `duration` names nat_gateway_failure.
    let docs = fs::read_to_string(repo("docs/model-format.md")).unwrap();
    let docs = docs.split_whitespace().collect::<Vec<_>>().join(" ");
    let start = docs
        .find("`duration` *dist*")
        .expect("docs describe `duration`");
    let end = start + docs[start..].find("`detection_delay`").unwrap();
    assert!(
        docs[start..end].contains("nat_gateway_failure"),
        "docs/model-format.md must say nat_gateway_failure needs a duration: {}",
        &docs[start..end]
    );
    let case = Case::with_includes(
        &["aws-timings.toml", "web-app.toml"],
        "[disasters.nat]\nkind = \"nat_gateway_failure\"\nper_year = 1",
    );
    case.fails_at("nat]", "disasters.nat", "missing field `duration`");
}

// ---- loader limits ----

#[test]
fn an_include_of_a_fifo_is_refused_not_waited_on() {
    let dir = TempDir::new().unwrap();
    let fifo = dir.path().join("models.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let path = dir.path().join("scenario.toml");
    let text = "include = [\"models.toml\"]\n";
    fs::write(&path, text).unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(load_model(&path).map(|_| ()));
    });
    let error = receiver
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("loading an include of a FIFO hung")
        .unwrap_err();
    assert!(error.message.contains("not a regular file"), "{error}");
    assert!(error.message.contains("included from"), "{error}");
}

#[test]
fn a_model_file_over_the_size_cap_is_refused() {
    let mut text = String::from("# padding\n");
    while (text.len() as u64) <= drsim::model::read::MAX_FILE_BYTES {
        text.push_str(&"#".repeat(1023));
        text.push('\n');
    }
    let case = Case::raw(&text);
    let error = case.error();
    assert!(error.message.contains("larger than"), "{error}");
}

#[test]
fn a_non_utf8_model_file_is_located() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("scenario.toml");
    fs::write(&path, b"name = \"ok\"\ndescription = \"caf\xe9\"\n").unwrap();
    let error = load_model(&path).unwrap_err();
    assert_eq!(error.line_col, Some((2, 19)), "{error}");
    assert!(error.message.contains("UTF-8"), "{error}");
}

#[test]
fn a_long_mistyped_value_is_not_echoed_in_full() {
    let long = "x".repeat(10_000);
    let case = Case::new(&format!("[routing]\nkind = \"{long}\""));
    let error = case.fails_at("kind", "routing.kind", "unknown value");
    assert!(error.message.len() < 400, "{} bytes", error.message.len());
    assert!(error.message.contains('…'), "{error}");
    let case = Case::new(&format!("[database]\nregion = \"{long}\""));
    let error = case.fails_at("region", "database.region", "not declared");
    assert!(error.to_string().len() < 400, "{error}");
}

#[test]
fn an_objective_for_an_unknown_disaster_suggests_the_right_one() {
    let case = Case::new("[objectives.disasters.region-outtage]\nrto = \"1h\"");
    let error = case.fails_at(
        "region-outtage",
        "objectives.disasters.region-outtage",
        "did you mean `region-outage`?",
    );
    assert!(
        error
            .message
            .contains("neither a disaster nor a disaster kind"),
        "{error}"
    );
    let case = Case::new("[objectives.disasters.region_outage]\nrtoo = \"1h\"");
    case.fails_at(
        "rtoo",
        "objectives.disasters.region_outage.rtoo",
        "did you mean `rto`?",
    );
    let case = Case::new("[objectives.disasters.ransomware]\nconfidence = 1.5");
    case.fails_at(
        "confidence = 1.5",
        "objectives.disasters.ransomware.confidence",
        "out of range",
    );
}

#[test]
fn objectives_per_disaster_layer_name_over_kind_over_default() {
    // web-app.toml's default: RTO 15m, RPO 15m at 99%.
    let case = Case::new(
        "[objectives.disasters.region_outage]\nrto = \"4h\"\nconfidence = 0.9\n\
         [objectives.disasters.data_corruption]\nrto = \"48h\"\nrpo = \"24h\"\n\
         [objectives.disasters.data-corruption]\nrpo = \"1h\"",
    );
    let model = case.load();
    let objective = |name: &str| {
        let d = model.disasters.iter().find(|d| d.name == name).unwrap();
        (d.objective.rto, d.objective.rpo, d.objective.confidence)
    };
    use drsim::model::units::{HOUR, MINUTE};
    assert_eq!(objective("region-outage"), (4 * HOUR, 15 * MINUTE, 0.9));
    // The kind gives the RTO, the name the RPO; the confidence is the kind's in
    // web-app-disasters.toml (95%), which the scenario's kind table merges with.
    assert_eq!(objective("data-corruption"), (48 * HOUR, HOUR, 0.95));
    // Not overridden here: web-app-disasters.toml's kind objective (RTO 15m, 99%), the
    // default RPO.
    assert_eq!(objective("az-outage"), (15 * MINUTE, 15 * MINUTE, 0.99));
}

#[test]
fn rto_thresholds_and_objective_clocks_are_read_and_checked() {
    let model = Case::new(
        "[simulation]\nrto_thresholds = [0.5, 0.9]\n\
         [objectives.disasters.data_corruption]\nclock = \"detection\"",
    )
    .load();
    assert_eq!(model.simulation.rto_thresholds, [0.5, 0.9]);
    for d in &model.disasters {
        let expected = if d.kind == DisasterKind::DataCorruption {
            Clock::Detection
        } else {
            Clock::Disaster
        };
        assert_eq!(d.objective.clock, expected, "{}", d.name);
    }
    // Not configured: nothing extra is timed, every RTO counts from the disaster.
    let plain = scenario("backup-restore");
    assert!(plain.simulation.rto_thresholds.is_empty());
    assert!(
        plain
            .disasters
            .iter()
            .all(|d| d.objective.clock == Clock::Disaster)
    );
    Case::new("[simulation]\nrto_thresholds = [0.9, 0.5]").fails_at(
        "rto_thresholds",
        "simulation.rto_thresholds",
        "0.5 follows 0.9: list the shares in ascending order",
    );
    Case::new("[simulation]\nrto_thresholds = [0.5, 1.5]").fails_at(
        "rto_thresholds",
        "simulation.rto_thresholds",
        "1.5 is out of range",
    );
    Case::new("[simulation]\nrto_thresholds = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]")
        .fails_at("rto_thresholds", "simulation.rto_thresholds", "at most 8");
    let case = Case::new("[objectives.disasters.ransomware]\nclock = \"detected\"");
    let error = case.fails_at(
        "clock",
        "objectives.disasters.ransomware.clock",
        "did you mean `detection`?",
    );
    assert!(
        error.message.contains("disaster, detection, decision"),
        "{error}"
    );
}

/// `global_failover` of an Aurora Global database: `managed` by default, with the managed
/// failover's timings ("RTO can be in the order of minutes", docs/sources.md#aurora-global-rto:
/// median 2 min, p95 5 min); `detach_and_promote` takes `[database_defaults.detach_and_promote]`
/// first (docs/sources.md#aurora-global-detach: median 5 min, p95 20 min), while the lag
/// still comes from the Aurora Global defaults. A switchover is refused where it is
/// written, with the reason (docs/sources.md#aurora-global-switchover: it needs the
/// primary healthy), and so is the key with another copy.
#[test]
fn the_aurora_global_failover_mode_is_read_and_checked() {
    let lognormal = |median: u64, p95: u64| Dist::LogNormal {
        median: median as f64,
        p95: p95 as f64,
    };
    let managed = scenario("warm-standby").database;
    assert_eq!(managed.global_failover, GlobalFailover::Managed);
    assert_eq!(managed.promotion_time, lognormal(120_000, 300_000));
    assert_eq!(managed.failback_time, lognormal(7_200_000, 28_800_000));
    let aurora_global = "[database]\nkind = \"aurora\"\ncross_region = \"aurora_global\"\n\
                         replica_region = \"us-west-2\"\n";
    let case = Case::new(&format!(
        "{aurora_global}global_failover = \"detach_and_promote\""
    ));
    let detach = case.load().database;
    assert_eq!(detach.global_failover, GlobalFailover::DetachAndPromote);
    assert_eq!(detach.promotion_time, lognormal(300_000, 1_200_000));
    assert_eq!(detach.failback_time, lognormal(14_400_000, 43_200_000));
    assert_eq!(detach.replication_lag, managed.replication_lag);
    let case = Case::new(&format!("{aurora_global}global_failover = \"switchover\""));
    case.fails_at(
        "global_failover",
        "database.global_failover",
        "needs the primary Region healthy",
    );
    let case = Case::new(
        "[database]\ncross_region = \"read_replica\"\nreplica_region = \"us-west-2\"\n\
         global_failover = \"managed\"",
    );
    case.fails_at(
        "global_failover",
        "database.global_failover",
        "only used with cross_region = \"aurora_global\"",
    );
}

/// A model written before `failback_time` existed still loads: the fail-back is then at
/// least the switch back (its `promotion_time`).
#[test]
fn failback_time_defaults_to_the_promotion_time() {
    let case = Case::with_includes(
        &["web-app.toml", "web-app-disasters.toml"],
        "[region_defaults.alb]\ninterval = \"30s\"\nhealthy_threshold = 5\nunhealthy_threshold = 2\n\
         [region_defaults.asg]\nlaunch_time = \"30s\"\nbootstrap_time = \"60s\"\n\
         lifecycle_hook = \"0s\"\nhealth_check_grace = \"300s\"\npolicy = \"target_tracking\"\ncooldown = \"300s\"\nscale_out_delay = \"3m\"\n\
         [routing]\nhealth_check_interval = \"30s\"\nfailure_threshold = 3\nttl = \"60s\"\n\
         clients_honouring_ttl = 1\nstale_hold = \"0s\"\npropagation = \"0s\"\n\
         [database]\nfailover_time = \"90s\"\ncross_region = \"read_replica\"\n\
         replica_region = \"us-west-2\"\nreplication_lag = \"1s\"\npromotion_time = \"7m\"\n\
         [recovery]\ndetection = \"3m\"\ndecision_time = \"10m\"\niac_redeploy_time = \"30m\"\n\
         nat_replacement_time = \"10m\"",
    );
    let db = case.load().database;
    assert_eq!(db.failback_time, Dist::Fixed(420_000.0));
}

/// `[backups] log_copy_lag` (RDS cross-Region automated backups, docs/sources.md#rds-cross-region-backups)
/// copies the point-in-time logs to `copy_to`: it needs both, and is refused where it is
/// written without one of them.
#[test]
fn copied_logs_need_a_copy_and_point_in_time() {
    let base = format!("{BACKUPS}every = \"1h\"\n");
    let case = Case::new(&format!(
        "{base}copy_to = \"us-west-2\"\npoint_in_time = \"5m\"\nlog_copy_lag = \"2m\""
    ));
    let copy = case.load().backups.unwrap().copy.unwrap();
    assert_eq!(copy.log_lag, Some(Dist::Fixed(120_000.0)));
    let case = Case::new(&format!(
        "{base}copy_to = \"us-west-2\"\nlog_copy_lag = \"2m\""
    ));
    case.fails_at(
        "log_copy_lag",
        "backups.log_copy_lag",
        "set point_in_time too",
    );
    let case = Case::new(&format!(
        "{base}point_in_time = \"5m\"\nlog_copy_lag = \"2m\""
    ));
    case.fails_at("log_copy_lag", "backups.log_copy_lag", "set copy_to too");
}

// ---- backups: start window, copies, engines ----

/// AWS Backup refuses a start window under 60 minutes (docs/sources.md#backup-start-window).
#[test]
fn a_start_window_under_an_hour_is_refused() {
    Case::new(&format!("{BACKUPS}every = \"1h\"\nstart_window = \"30m\"")).fails_at(
        "start_window",
        "backups.start_window",
        "at least 60 minutes",
    );
    let on_time = Case::new(&format!("{BACKUPS}every = \"1h\"\nstart_window = \"0s\"")).load();
    assert_eq!(on_time.backups.unwrap().start_window, 0);
}

/// Aurora copies are full copies (docs/sources.md#aurora-copy-snapshot): hourly copies of
/// 200 GB at the default 100 GB/h take over 2 h each, so the queue of copies never
/// empties: refused, naming the schedule. RDS copies carry the hour's changes.
#[test]
fn copies_that_cannot_keep_up_are_refused() {
    let body = "every = \"1h\"\ncopy_to = \"us-west-2\"";
    let rds = Case::new(&format!("{BACKUPS}{body}")).load();
    let copy = rds.backups.unwrap().copy.unwrap();
    assert_eq!(copy.size, CopySize::Changes(5.0));
    let aurora = format!("[database]\nkind = \"aurora\"\n{BACKUPS}{body}");
    Case::new(&aurora).fails_at("every", "backups.every", "full copies of 200 GB");
    let daily = Case::new(&aurora.replace("\"1h\"", "\"24h\"")).load();
    let backups = daily.backups.unwrap();
    assert_eq!(backups.engine, BackupEngine::Aurora);
    assert_eq!(backups.copy.unwrap().size, CopySize::Full(200.0));
    // Snapshot copies between AWS regions queue; shipments from a site do not.
    let queued = |name: &str| scenario(name).backups.unwrap().copy.unwrap().one_at_a_time;
    assert!(queued("backup-restore"));
    assert!(!queued("hybrid-onprem"));
}

/// Fast snapshot restore is an EBS feature.
#[test]
fn fast_snapshot_restore_needs_the_ebs_engine() {
    let body = "every = \"1h\"\nfast_snapshot_restore = true";
    Case::new(&format!("{BACKUPS}{body}")).fails_at(
        "fast_snapshot_restore",
        "backups.fast_snapshot_restore",
        "EBS feature",
    );
    let ebs = Case::new(&format!("{BACKUPS}{body}\nengine = \"ebs\"")).load();
    assert!(ebs.backups.unwrap().fast_snapshot_restore);
}

// ---- objectives from an AWS Resilience Hub policy ----

/// `tests/fixtures/resilience-hub-policy.json` is `aws resiliencehub
/// describe-resiliency-policy` output as AWS documents it (docs/sources.md#resilience-hub-policy):
/// Hardware RTO 600 s / RPO 60 s, AZ 1800 s / 300 s, Region 14400 s / 3600 s, Software
/// 86400 s / 7200 s. Hand-derived objectives with web-app.toml (default 15m / 15m at 99%)
/// and web-app-disasters.toml's kind tables, which set RTOs (and data corruption's and
/// ransomware's RPOs and 95%) and so win over the policy field by field; a disaster's
/// name table wins over both.
#[test]
fn a_resilience_hub_policy_sets_objectives_per_disruption_type() {
    let policy = repo("tests/fixtures/resilience-hub-policy.json");
    let case = Case::new(&format!(
        "[objectives]\nresilience_hub_policy = '{}'\n\
         [objectives.disasters.az-outage]\nrpo = \"1m\"",
        policy.display()
    ));
    let model = case.load();
    let objective = |name: &str| {
        let d = model.disasters.iter().find(|d| d.name == name).unwrap();
        (d.objective.rto, d.objective.rpo, d.objective.confidence)
    };
    use drsim::model::units::{DAY, HOUR, MINUTE, SECOND};
    // Hardware: the kind tables' RTOs, the policy's RPO of 60 s.
    assert_eq!(
        objective("instance-failure"),
        (5 * MINUTE, 60 * SECOND, 0.99)
    );
    assert_eq!(
        objective("nat-gateway-failure"),
        (30 * MINUTE, 60 * SECOND, 0.99)
    );
    assert_eq!(
        objective("db-primary-failure"),
        (15 * MINUTE, 60 * SECOND, 0.99)
    );
    // AZ: the kind table's RTO, the name table's RPO (over the policy's 300 s).
    assert_eq!(objective("az-outage"), (15 * MINUTE, MINUTE, 0.99));
    // Region: no table, so all from the policy; the confidence is the model's default.
    assert_eq!(objective("region-outage"), (4 * HOUR, HOUR, 0.99));
    // Software: the kind tables set both RTO and RPO.
    assert_eq!(objective("data-corruption"), (48 * HOUR, 24 * HOUR, 0.95));
    assert_eq!(objective("ransomware"), (5 * DAY, 24 * HOUR, 0.95));
}

/// Without kind tables, every kind takes its disruption type's objectives: the policy
/// map alone (no `policy` wrapper), relative to the model file, and a type the policy
/// leaves out (Region is optional in AWS's PolicyMap) keeps the default.
#[test]
fn each_disaster_kind_takes_its_disruption_types_objectives() {
    let case = Case::with_includes(
        &["aws-timings.toml", "web-app.toml"],
        "[objectives]\nresilience_hub_policy = \"policy.json\"\n\
         [disasters.bad-deploy]\nkind = \"latency_injection\"\nper_year = 1\nduration = \"1h\"\n\
         [disasters.disk]\nkind = \"instance_failure\"\nper_year = 1\n\
         [disasters.zone]\nkind = \"az_outage\"\nper_year = 1\nduration = \"1h\"\n\
         [disasters.region]\nkind = \"region_outage\"\nper_year = 1\nduration = \"1h\"",
    );
    fs::write(
        case.path.with_file_name("policy.json"),
        r#"{"Software": {"rtoInSecs": 7200, "rpoInSecs": 0},
            "Hardware": {"rtoInSecs": 120, "rpoInSecs": 30},
            "AZ": {"rtoInSecs": 900, "rpoInSecs": 5}}"#,
    )
    .unwrap();
    let model = case.load();
    use drsim::model::units::{MINUTE, SECOND};
    let objectives: Vec<(u64, u64)> = (model.disasters.iter())
        .map(|d| (d.objective.rto, d.objective.rpo))
        .collect();
    assert_eq!(
        objectives,
        [
            (7200 * SECOND, 0),
            (120 * SECOND, 30 * SECOND),
            (900 * SECOND, 5 * SECOND),
            (15 * MINUTE, 15 * MINUTE),
        ]
    );
}

#[test]
fn a_bad_resilience_hub_policy_is_located_at_the_key() {
    let case = Case::new("[objectives]\nresilience_hub_policy = \"missing.json\"");
    case.fails_at(
        "resilience_hub_policy",
        "objectives.resilience_hub_policy",
        "cannot read the Resilience Hub policy",
    );
    for (json, says) in [
        (r#"{"AZ": {"rtoInSecs": 60"#, "EOF while parsing"),
        (
            "{\"Network\": {\"rtoInSecs\": 60, \"rpoInSecs\": 60}}",
            "unknown variant `Network`, expected one of `Software`, `Hardware`, `AZ`, `Region`",
        ),
        (
            r#"{"policy": {"policy": {"AZ": {"rtoInSecs": -60, "rpoInSecs": 60}}}}"#,
            "-60 seconds is negative",
        ),
        (
            r#"{"AZ": {"rtoInSecs": 1.5, "rpoInSecs": 60}}"#,
            "a whole number of seconds",
        ),
        (
            r#"{"AZ": {"rto": 60, "rpoInSecs": 60}}"#,
            "unknown field `rto`",
        ),
    ] {
        let case = Case::new("[objectives]\nresilience_hub_policy = \"policy.json\"");
        fs::write(case.path.with_file_name("policy.json"), json).unwrap();
        let error = case.fails_at(
            "resilience_hub_policy",
            "objectives.resilience_hub_policy",
            says,
        );
        assert!(error.message.contains("line 1 column"), "{error}");
    }
}

// ---- ranges of uncertain inputs ----

#[test]
fn ranges_keep_the_nominal_value_and_their_bounds() {
    use drsim::model::ranges::Bound;
    use drsim::model::units::{MINUTE, SECOND};
    let case = Case::new(
        "[recovery]\ndetection = { low = 0.5, high = 3 }\n\
         decision_time = { low = \"5m\", high = \"25m\" }\n\
         [routing]\nttl = { value = \"60s\", low = \"10s\", high = \"5m\" }\n\
         clients_honouring_ttl = { low = 0.8, high = 1.0 }\n\
         failure_threshold = { value = 3, low = 2, high = 5 }\n\
         [disasters.region-outage]\nper_year = { value = 0.05, low = 0.01, high = 0.2 }",
    );
    let model = case.load();
    let range = |key: &str| {
        let r = model
            .range(key)
            .unwrap_or_else(|| panic!("no range for {key}"));
        (r.low, r.high)
    };
    // Factors merge into the included distribution (aws-timings.toml's detection).
    let included = Case::new("").load().recovery.detection;
    assert_eq!(model.recovery.detection, included);
    assert_eq!(
        range("recovery.detection"),
        (Bound::Factor(0.5), Bound::Factor(3.0))
    );
    // Durations replace it: without `value`, the midpoint (15 min) is the nominal.
    assert_eq!(
        model.recovery.decision_time,
        Dist::Fixed((15 * MINUTE) as f64)
    );
    let (low, high) = ((5 * MINUTE) as f64, (25 * MINUTE) as f64);
    assert_eq!(
        range("recovery.decision_time"),
        (Bound::Value(low), Bound::Value(high))
    );
    assert_eq!(model.routing.dns.as_ref().unwrap().ttl, 60 * SECOND);
    assert_eq!(model.routing.dns.as_ref().unwrap().honour_share, 0.9);
    assert_eq!(model.routing.health_check.failure_threshold, 3);
    assert_eq!(
        range("routing.failure_threshold"),
        (Bound::Value(2.0), Bound::Value(5.0))
    );
    let outage = model
        .disasters
        .iter()
        .find(|d| d.name == "region-outage")
        .unwrap();
    assert_eq!(outage.per_year, 0.05);
    assert_eq!(model.ranges.len(), 6);
    assert!(Case::new("").load().ranges.is_empty());
}

#[test]
fn bad_ranges_are_located() {
    for (body, needle, field, says) in [
        (
            "[routing]\nttl = { value = \"1s\", low = \"10s\", high = \"5m\" }",
            "value",
            "routing.ttl.value",
            "outside its range",
        ),
        (
            "[routing]\nttl = { low = \"5m\", high = \"10s\" }",
            "high",
            "routing.ttl.high",
            "high must be at least low",
        ),
        (
            "[routing]\nttl = { low = \"10s\" }",
            "ttl",
            "routing.ttl",
            "`high` is missing",
        ),
        (
            "[routing]\nttl = { low = 10, high = \"5m\" }",
            "low",
            "routing.ttl.low",
            "has no unit",
        ),
        (
            "[routing]\nclients_honouring_ttl = { low = 0.8, high = 1.2 }",
            "high",
            "routing.clients_honouring_ttl.high",
            "at most 1",
        ),
        (
            "[disasters.az-outage]\nper_year = { low = 1, high = 2e6 }",
            "high",
            "disasters.az-outage.per_year.high",
            "at most 1000000",
        ),
        (
            "[routing]\nttl = { low = \"1s\", high = \"5300w\" }",
            "high",
            "routing.ttl.high",
            "out of range: at most",
        ),
        (
            "[routing]\nfailure_threshold = { low = 1.5, high = 3 }",
            "low",
            "routing.failure_threshold.low",
            "whole number",
        ),
        (
            "[recovery]\ndetection = { dist = \"lognormal\", median = \"1m\", p95 = \"5m\", low = 2, high = 3 }",
            "low",
            "recovery.detection.low",
            "must include 1",
        ),
        (
            "[recovery]\ndetection = { dist = \"lognormal\", median = \"1m\", p95 = \"5m\", low = \"1m\", high = 3 }",
            "low",
            "recovery.detection.low",
            "factors of every time",
        ),
        (
            "[recovery]\ndetection = { median = \"1m\", low = \"1m\", high = \"5m\" }",
            "median",
            "recovery.detection.median",
            "unknown key `median` in a range",
        ),
        (
            "[workload]\nrequests_per_second = { low = 500, high = 2000 }",
            "low",
            "workload.requests_per_second.low",
            "only an uncertain input takes a range",
        ),
    ] {
        Case::new(body).fails_at(needle, field, says);
    }
}

// ---- recovery steps that fail ----

#[test]
fn step_failures_load_with_their_defaults_and_bad_ones_are_located() {
    let model = Case::new(
        "[recovery.launch_failure]\nprobability = 0.1\nretry_after = \"10m\"\n\
         [recovery.database_failure]\nprobability = 1\nretry_after = \"5m\"\nmax_attempts = 2",
    )
    .load();
    let launch = &model.recovery.launch_failure;
    assert_eq!((launch.probability, launch.max_attempts), (0.1, None));
    assert_eq!(launch.retry_after, Dist::Fixed(600_000.0));
    assert_eq!(model.recovery.database_failure.max_attempts, Some(2));
    assert_eq!(
        Case::without_failure_defaults("")
            .load()
            .recovery
            .iac_failure,
        StepFailure::NEVER,
        "absent: off"
    );
    Case::new("[recovery.iac_failure]\nprobability = 1.5\nretry_after = \"10m\"").fails_at(
        "probability",
        "recovery.iac_failure.probability",
        "a probability between 0 and 1",
    );
    Case::new("[recovery.iac_failure]\nprobability = 1\nretry_after = \"10m\"").fails_at(
        "probability",
        "recovery.iac_failure.probability",
        "retried forever",
    );
    Case::new(
        "[recovery.launch_failure]\nprobability = 0.5\nretry_after = \"10m\"\nmax_attempts = 0",
    )
    .fails_at(
        "max_attempts",
        "recovery.launch_failure.max_attempts",
        "at least 1",
    );
}

#[test]
fn a_control_plane_impairment_loads_off_by_default_and_bad_ones_are_located() {
    let model =
        Case::new("[recovery.control_plane]\nprobability = 0.1\nimpaired_for = \"1h\"").load();
    let cp = &model.recovery.control_plane;
    assert_eq!(
        (cp.probability, &cp.impaired_for),
        (0.1, &Dist::Fixed(3_600_000.0))
    );
    assert_eq!(
        Case::without_failure_defaults("")
            .load()
            .recovery
            .control_plane,
        Impairment::NEVER,
        "absent: off"
    );
    assert_eq!(
        Case::new("").load().routing.failover_by,
        FailoverBy::HealthCheck
    );
    Case::new("[recovery.control_plane]\nprobability = 2\nimpaired_for = \"1h\"").fails_at(
        "probability",
        "recovery.control_plane.probability",
        "a probability between 0 and 1",
    );
}

// ---- hybrid channels (`[hybrid]`) ----

/// A hybrid case: the shared hybrid application plus `body`.
fn hybrid_case(body: &str) -> Case {
    Case::with_includes(&["aws-timings.toml", "hybrid-app.toml"], body)
}

const HYBRID: &str = "[hybrid]\nsite = \"dc1\"\nregion = \"us-east-1\"\n";

/// Every bad `[hybrid]` value is refused at its own line, naming the field.
#[test]
fn bad_hybrid_channels_are_located() {
    let case = |extra: &str| hybrid_case(&format!("{HYBRID}{extra}"));
    hybrid_case("[hybrid]\nsite = \"us-east-1\"\nregion = \"us-east-1\"\n").fails_at(
        "site = \"us-east-1\"",
        "hybrid.site",
        "is an AWS region",
    );
    hybrid_case("[hybrid]\nsite = \"dc1\"\nregion = \"dc1\"\n").fails_at(
        "region = \"dc1\"",
        "hybrid.region",
        "AWS region",
    );
    case("link = \"direct_connect\"\ndx_port_gbps = 3\n").fails_at(
        "dx_port_gbps = 3",
        "hybrid.dx_port_gbps",
        "1, 10 or 100",
    );
    case("link = \"direct_connect\"\n").fails_at(
        "link = \"direct_connect\"",
        "hybrid.link",
        "needs dx_port_gbps",
    );
    case("dx_down_probability = 0.1\n").fails_at(
        "dx_down_probability = 0.1",
        "hybrid.dx_down_probability",
        "VPN backup",
    );
    case("vpn_tunnel_gbps = 6\n").fails_at(
        "vpn_tunnel_gbps = 6",
        "hybrid.vpn_tunnel_gbps",
        "at most 5",
    );
    case("backups_over = \"storage_gateway\"\n").fails_at(
        "backups_over = \"storage_gateway\"",
        "hybrid.backups_over",
        "copy_to = hybrid.region",
    );
    let dms = "[hybrid.dms]\nlag = \"5s\"\ncutover_time = \"5m\"\n";
    hybrid_case(&format!(
        "[database]\ncross_region = \"read_replica\"\nreplica_region = \"us-east-1\"\n{HYBRID}{dms}"
    ))
    .fails_at(
        "cross_region = \"read_replica\"",
        "database.cross_region",
        "DMS target",
    );
    case(&format!("{dms}stall_probability = 1.5\n")).fails_at(
        "stall_probability = 1.5",
        "hybrid.dms.stall_probability",
        "between 0 and 1",
    );
    case("[hybrid.drs]\nconversion_time = \"10m\"\nboot_time = 5\n").fails_at(
        "boot_time = 5",
        "hybrid.drs.boot_time",
        "with a unit",
    );
}

// ---- DynamoDB tables (issue #17) ----

#[test]
fn a_dynamodb_table_loads_with_its_pricing_settings_and_no_failover() {
    let case = Case::new(
        "[database]\nkind = \"dynamodb\"\ncapacity_mode = \"provisioned\"\nreads_per_second = 40",
    );
    let db = case.load().database;
    assert_eq!(db.kind, DbKind::Dynamodb);
    assert_eq!(db.failover_time, Dist::Fixed(0.0));
    assert_eq!(
        db.dynamodb,
        Some(DynamoTable {
            capacity: CapacityMode::Provisioned,
            reads_per_second: 40.0
        })
    );
}

#[test]
fn a_dynamodb_table_replicates_only_as_a_global_table() {
    Case::new(
        "[database]\nkind = \"dynamodb\"\ncross_region = \"read_replica\"\nreplica_region = \"us-west-2\"",
    )
    .fails_at(
        "cross_region = \"read_replica\"",
        "database.cross_region",
        "multi_writer",
    );
}

#[test]
fn dynamodb_pricing_keys_are_refused_with_other_kinds() {
    Case::new("[database]\nkind = \"aurora\"\ncapacity_mode = \"on_demand\"").fails_at(
        "capacity_mode",
        "database.capacity_mode",
        "only used with kind = \"dynamodb\"",
    );
    Case::new("[database]\nkind = \"dynamodb\"\nreads_per_second = -1").fails_at(
        "reads_per_second",
        "database.reads_per_second",
        "zero or more",
    );
}

// ---- S3 versioning and Object Lock (issue #17) ----

#[test]
fn object_lock_needs_versioning() {
    Case::new("[object_storage.object_lock]\nmode = \"compliance\"\nretention = \"30d\"").fails_at(
        "object_lock]",
        "object_storage.object_lock",
        "set versioning = true",
    );
}

#[test]
fn versioning_needs_an_expiration_or_a_lock() {
    Case::new("[object_storage]\nversioning = true").fails_at(
        "versioning = true",
        "object_storage.versioning",
        "noncurrent_expiration",
    );
    let case = Case::new(
        "[object_storage]\nversioning = true\n[object_storage.object_lock]\nmode = \"governance\"\nretention = \"30d\"",
    );
    let lock = ObjectLock {
        mode: LockMode::Governance,
        retention: 30 * drsim::model::units::DAY,
    };
    assert_eq!(
        case.load().object_storage.protection,
        ObjectProtection::Versioned {
            noncurrent_kept: lock.retention,
            lock: Some(lock)
        }
    );
}

#[test]
fn boot_reads_need_a_lazy_loading_rate() {
    Case::new("[regions.us-west-2.asg]\nboot_read_gb = 4").fails_at(
        "boot_read_gb",
        "regions.us-west-2.asg.boot_read_gb",
        "lazy_load_gb_per_hour",
    );
}
