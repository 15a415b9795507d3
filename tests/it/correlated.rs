//! Correlated, global and grey events (issue #11): the recovery region impaired with
//! the region it takes over from, a bad deploy rolled back everywhere, an account-wide
//! compromise against Vault Lock's modes and cross-account copies, and a grey failure
//! noticed by a CloudWatch alarm or by customers. Every timing is fixed, so each figure
//! is worked out by hand; shares are checked within 4 Monte Carlo standard errors,
//! sqrt(P (1 - P) / n), of their binomial probability.

use std::fs;

use drsim::model::load::load_model;
use drsim::model::units::{DAY, HOUR, MINUTE, SECOND};
use drsim::model::*;
use drsim::sim::trial::TrialOutcome;

use crate::common::*;

const TRIALS: u64 = 10_000;
/// Every unimpaired region-outage RTO below is under this (decision at 15 min, launches
/// 90 s, health checks and TTL a few minutes); an impairment adds `IMPAIRED`.
const BOUND: Millis = 2 * HOUR;
const IMPAIRED: Millis = 6 * HOUR;

fn share(outcomes: &[TrialOutcome], pred: impl Fn(&TrialOutcome) -> bool) -> f64 {
    outcomes.iter().filter(|o| pred(o)).count() as f64 / outcomes.len() as f64
}

fn assert_binomial(share: f64, exact: f64, n: u64, what: &str) {
    let tol = 4.0 * (exact * (1.0 - exact) / n as f64).sqrt();
    assert!(
        (share - exact).abs() <= tol.max(1e-12),
        "{what}: {share} vs {exact} +- {tol}"
    );
}

fn rto_above(outcomes: &[TrialOutcome], bound: Millis) -> f64 {
    share(outcomes, |o| o.rto.is_none_or(|r| r > bound))
}

// ----- the recovery region impaired too -----

/// Pilot light in us-west-2 (scaled to zero) with a replica promoted in 5 min: a
/// region outage needs 4 cold launches there.
fn pilot_light() -> Model {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.regions[1].deployment = Deployment::ScaledToZero;
    model.database.cross_region = CrossRegion::ReadReplica { region: 1 };
    model
}

fn impaired(model: &mut Model, probability: f64) {
    model.recovery.recovery_region = Impairment {
        probability,
        impaired_for: fixed(IMPAIRED),
    };
}

/// With p = 0.5 the recovery region refuses launches for 6 h: in half the trials the
/// 4 launches start at 6 h, so the RTO lies in [6 h, 6 h + bound); in the other half
/// it is as without the impairment, under the bound. Static stability (DR whitepaper,
/// sources.md#data-plane-static-stability): a warm pool kept Running or capacity already
/// running needs no launch, so neither is touched.
#[test]
fn an_impaired_recovery_region_refuses_launches_but_not_running_capacity() {
    let mut model = pilot_light();
    assert_eq!(rto_above(&run(&model, TRIALS), BOUND), 0.0);
    impaired(&mut model, 0.5);
    let outcomes = run(&model, TRIALS);
    assert_binomial(rto_above(&outcomes, BOUND), 0.5, TRIALS, "impaired");
    for o in outcomes.iter().filter(|o| o.rto.unwrap() > BOUND) {
        assert!((IMPAIRED..IMPAIRED + BOUND).contains(&o.rto.unwrap()));
        assert!(
            o.recovery_failed(),
            "an impaired launch counts as a failed step"
        );
    }
    assert_binomial(
        share(&outcomes, |o| o.recovery_failed()),
        0.5,
        TRIALS,
        "failed",
    );

    let mut running_pool = pilot_light();
    running_pool.regions[1].asg.warm_pool = Some(WarmPool {
        size: 4,
        state: WarmState::Running,
        time_to_in_service: fixed(30 * SECOND),
    });
    impaired(&mut running_pool, 1.0);
    assert_eq!(rto_above(&run(&running_pool, TRIALS), BOUND), 0.0);

    let mut warm_standby = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    impaired(&mut warm_standby, 1.0);
    assert_eq!(rto_above(&run(&warm_standby, TRIALS), BOUND), 0.0);
}

// ----- a bad deploy -----

/// Detection 5 min + decision 10 min in `web_app`.
const DECIDED: Millis = 15 * MINUTE;

fn bad_deploy() -> Model {
    web_app(disaster(DisasterKind::BadDeploy, 0))
}

fn blue_green(model: &mut Model, shift: Millis) {
    model.recovery.rollback = Rollback {
        blue_green: true,
        shift_time: fixed(shift),
    };
}

/// Every region serves errors until the rollback; its health checks stay green, so
/// routing never moves and service is back the instant the rollback completes. With
/// blue/green behind weighted target groups the rollback is a listener change shifting
/// the weights back (sources.md#alb-weighted-target-groups), 1 min here: RTO = 15 min +
/// 1 min. Without it the previous version is redeployed through IaC (30 min): RTO =
/// 15 min + 30 min, and with each deploy failing with p = 0.2 and retried 6 h later the
/// RTO passes 45 min in a share p of the trials.
#[test]
fn a_bad_deploy_is_rolled_back_by_a_traffic_shift_or_a_redeploy() {
    let mut model = bad_deploy();
    for o in run(&model, 200) {
        assert_eq!(o.rto, Some(DECIDED + 30 * MINUTE));
        assert_eq!(o.rpo, Some(0));
    }
    blue_green(&mut model, MINUTE);
    for o in run(&model, 200) {
        assert_eq!(o.rto, Some(DECIDED + MINUTE));
    }
    let mut failing = bad_deploy();
    failing.recovery.iac_failure = StepFailure {
        probability: 0.2,
        retry_after: fixed(6 * HOUR),
        max_attempts: None,
    };
    let outcomes = run(&failing, TRIALS);
    assert_binomial(
        rto_above(&outcomes, DECIDED + 30 * MINUTE),
        0.2,
        TRIALS,
        "redeploy",
    );
}

/// Failing over does not help: active/active over both regions, the bad version runs
/// in both, so no request succeeds before the rollback (first success at 45 min). Were
/// only the struck region bad, the other half of the traffic would never fail.
#[test]
fn a_bad_deploy_fails_every_region() {
    let mut model = bad_deploy();
    model.routing.mode = RoutingMode::ActiveActive;
    model.regions[1].role = Role::Active;
    model.regions[0].role = Role::Active;
    for o in run(&model, 200) {
        assert_eq!(o.first_success, Some(DECIDED + 30 * MINUTE));
    }
}

// ----- account-wide compromise -----

/// Decision at 2 h (the corruption's detection delay) + 10 min; the restore takes
/// 20 min + 100 GB at 100 GB/h = 80 min, the stack 30 min beside it: 3 h 30 min.
const RESTORED: Millis = 2 * HOUR + 10 * MINUTE + 80 * MINUTE;

fn compromise(lock: VaultLock, other_account: bool) -> Model {
    let mut model = web_app(disaster(DisasterKind::AccountCompromise, 0));
    let backups = model.backups.as_mut().unwrap();
    backups.vault_lock = lock;
    backups.copy.as_mut().unwrap().other_account = other_account;
    model
}

/// RPO of a restore from hourly backups taken at a uniform phase before the corruption
/// (copies 10 min, all done long before the decision): uniform on [0, 1 h), mean 30 min.
fn assert_hourly_rpo(outcomes: &[TrialOutcome]) {
    let rpos: Vec<f64> = outcomes.iter().map(|o| o.rpo.unwrap() as f64).collect();
    assert!(rpos.iter().all(|&r| r < HOUR as f64));
    let (mean, tol) = mean_and_tolerance(&rpos);
    let half = (HOUR / 2) as f64;
    assert!(
        (mean - half).abs() < tol,
        "mean RPO {mean} vs {half} +- {tol}"
    );
}

/// An attacker holding the account deletes what the account can delete. AWS Backup
/// Vault Lock (sources.md#backup-vault-lock-modes): governance mode "can have the lock
/// removed by users with sufficient IAM permissions", so it does not stop them: no
/// recovery point survives, data lost, never recovered. Compliance mode cannot be
/// removed once its grace time is over: the points survive, restored in place (served
/// at 3 h 30 min, routing never left the primary). Same-account copies go with the
/// account; copies in another account survive: restored in us-west-2, served once its
/// health check passes (3 x 30 s) and clients follow the 60 s TTL, within 5 min.
#[test]
fn a_compromise_keeps_backups_only_in_compliance_mode_or_another_account() {
    for lock in [VaultLock::Off, VaultLock::Governance] {
        for o in run(&compromise(lock, false), 200) {
            assert_eq!((o.rto, o.rpo), (None, None), "{lock:?}");
        }
    }
    let compliance = run(&compromise(VaultLock::Compliance, false), 2000);
    for o in &compliance {
        assert_eq!(o.rto, Some(RESTORED));
    }
    assert_hourly_rpo(&compliance);

    let cross_account = run(&compromise(VaultLock::Governance, true), 2000);
    for o in &cross_account {
        let rto = o.rto.expect("restored from the cross-account copy");
        assert!((RESTORED..RESTORED + 5 * MINUTE).contains(&rto), "{rto}");
    }
    assert_hourly_rpo(&cross_account);
}

/// Ransomware (an attacker in the workload, not an administrator of the account) is
/// stopped by either mode, as before modes existed.
#[test]
fn either_vault_lock_mode_stops_ransomware() {
    for lock in [VaultLock::Governance, VaultLock::Compliance] {
        let mut model = web_app(disaster(DisasterKind::Ransomware, 0));
        model.backups.as_mut().unwrap().vault_lock = lock;
        for o in run(&model, 100) {
            assert!(o.rto.is_some() && o.rpo.is_some(), "{lock:?}");
        }
    }
}

// ----- grey failures -----

/// A latency injection failing `share` of the struck region's requests for a week.
fn grey(share: f64) -> Model {
    let mut d = disaster(DisasterKind::LatencyInjection, 7 * DAY);
    d.grey_share = share;
    d.decision = DecisionTimes {
        after_alarm: Some(fixed(7 * MINUTE)),
        after_report: Some(fixed(20 * MINUTE)),
    };
    let mut model = web_app(d);
    model.recovery.error_alarm = Some(ErrorAlarm {
        period: 60 * SECOND,
        evaluation_periods: 3,
        datapoints_to_alarm: 3,
        threshold: 0.05,
        customer_report: fixed(30 * MINUTE),
    });
    model
}

/// CloudWatch fires after M breaching datapoints of the last N
/// (sources.md#cloudwatch-alarm-evaluation): period 60 s, 3 of 3, a failure breaching
/// from the start of a period: the alarm at 3 x 60 s = 180 s, the decision 7 min later
/// (this disaster's time after an alarm). 3 of 5 fires as early. A share of 2% stays
/// under the 5% threshold: the alarm never fires, customers report it at 30 min and
/// people decide 20 min later (after a report people decide, even when automated).
/// Without the alarm the failure is noticed after `recovery.detection` (5 min).
#[test]
fn a_grey_failure_is_noticed_by_the_alarm_or_by_customers() {
    let mut model = grey(0.3);
    for o in run(&model, 50) {
        assert_eq!(
            (o.detected, o.decided),
            (Some(180 * SECOND), Some(180 * SECOND + 7 * MINUTE))
        );
    }
    model
        .recovery
        .error_alarm
        .as_mut()
        .unwrap()
        .evaluation_periods = 5;
    for o in run(&model, 50) {
        assert_eq!(o.detected, Some(180 * SECOND));
    }
    model.recovery.automated = true;
    for o in run(&model, 50) {
        assert_eq!(
            o.decided,
            Some(180 * SECOND),
            "automation starts at the alarm"
        );
    }
    let mut quiet = grey(0.02);
    quiet.recovery.automated = true;
    for o in run(&quiet, 50) {
        assert_eq!(
            (o.detected, o.decided),
            (Some(30 * MINUTE), Some(50 * MINUTE))
        );
    }
    let mut no_alarm = grey(0.3);
    no_alarm.recovery.error_alarm = None;
    for o in run(&no_alarm, 50) {
        assert_eq!(o.detected, Some(5 * MINUTE));
    }
}

/// A share of 30% failing leaves 70% succeeding: recovered at once against a 60%
/// threshold, not before the drain against 99%.
#[test]
fn a_grey_failure_fails_only_its_share_of_requests() {
    let mut model = grey(0.3);
    model.simulation.recovery_threshold = 0.6;
    for o in run(&model, 50) {
        assert_eq!(o.rto, Some(0));
    }
    model.simulation.recovery_threshold = 0.99;
    for o in run(&model, 50) {
        assert!(o.rto.unwrap() > 180 * SECOND + 7 * MINUTE);
    }
}

// ----- the model file -----

const BACKUPS: &str = "[backups]\nevery = \"1h\"\nregion = \"us-east-1\"\ncopy_to = \"us-west-2\"\nretention = \"35d\"\n";

fn load(body: &str) -> Result<Model, String> {
    let dir = tempfile::TempDir::new().unwrap();
    let models = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let includes: Vec<String> = ["aws-timings.toml", "web-app.toml", "web-app-disasters.toml"]
        .iter()
        .map(|m| format!("'{}'", models.join(m).display()))
        .collect();
    let path = dir.path().join("scenario.toml");
    fs::write(
        &path,
        format!("include = [{}]\n{body}\n", includes.join(", ")),
    )
    .unwrap();
    load_model(&path).map_err(|e| e.to_string())
}

fn fails_at(body: &str, path: &str, message: &str) {
    let error = load(body).expect_err(body);
    assert!(error.contains(path) && error.contains(message), "{error}");
    assert!(error.contains("scenario.toml:"), "located: {error}");
}

#[test]
fn the_new_keys_load_off_by_default_and_bad_ones_are_located() {
    let model = load("").unwrap();
    assert_eq!(model.recovery.recovery_region, Impairment::NEVER);
    assert_eq!(model.recovery.rollback, Rollback::REDEPLOY);
    assert_eq!(model.recovery.error_alarm, None);
    assert!(model.disasters.iter().all(|d| d.grey_share == 1.0));

    let model = load(
        "[disasters.bad-deploy]\nkind = \"bad_deploy\"\nper_year = 2\n\
         [disasters.compromise]\nkind = \"account_compromise\"\nper_year = 0.1\n\
         detection_delay = \"1d\"\n\
         [disasters.slow]\nkind = \"latency_injection\"\nper_year = 1\nduration = \"1h\"\n\
         share = 0.2\ndecision_after_report = \"30m\"\n\
         [recovery.rollback]\nblue_green = true\nshift_time = \"1m\"\n\
         [recovery.error_alarm]\nperiod = \"1m\"\nevaluation_periods = 5\n\
         datapoints_to_alarm = 3\nthreshold = 0.05\ncustomer_report = \"30m\"\n\
         [recovery.recovery_region]\nprobability = 0.1\nimpaired_for = \"2h\"",
    )
    .unwrap();
    let slow = model.disasters.iter().find(|d| d.name == "slow").unwrap();
    assert_eq!(slow.grey_share, 0.2);
    assert_eq!(slow.decision.after_report, Some(fixed(30 * MINUTE)));
    assert_eq!(
        model
            .recovery
            .error_alarm
            .as_ref()
            .unwrap()
            .datapoints_to_alarm,
        3
    );
    assert!(model.recovery.rollback.blue_green);

    fails_at(
        &format!("{BACKUPS}vault_lock = \"complience\""),
        "backups.vault_lock",
        "unknown Vault Lock mode",
    );
    fails_at(
        "[recovery.error_alarm]\nperiod = \"1m\"\nevaluation_periods = 3\n\
         datapoints_to_alarm = 4\nthreshold = 0.05\ncustomer_report = \"30m\"",
        "recovery.error_alarm.datapoints_to_alarm",
        "between 1 and evaluation_periods",
    );
    fails_at(
        "[recovery.rollback]\nblue_green = true",
        "recovery.rollback.shift_time",
        "give shift_time",
    );
    fails_at(
        "[disasters.region-outage]\nshare = 0.5",
        "disasters.region-outage.share",
        "share of requests a latency_injection fails",
    );
    fails_at(
        "[disasters.region-outage]\nfails_health_checks = true",
        "disasters.region-outage.fails_health_checks",
        "does not apply to region_outage",
    );
    fails_at(
        "[recovery.recovery_region]\nprobability = 1.5\nimpaired_for = \"1h\"",
        "recovery.recovery_region.probability",
        "a probability between 0 and 1",
    );
}

/// Old models keep loading: `vault_lock = true` is governance mode.
#[test]
fn a_boolean_vault_lock_still_loads_as_governance() {
    let model = load(&format!("{BACKUPS}vault_lock = true")).unwrap();
    assert_eq!(model.backups.unwrap().vault_lock, VaultLock::Governance);
    let model = load(&format!(
        "{BACKUPS}vault_lock = \"compliance\"\ncopy_to_account = \"separate\""
    ))
    .unwrap();
    let backups = model.backups.unwrap();
    assert_eq!(backups.vault_lock, VaultLock::Compliance);
    assert!(backups.copy.unwrap().other_account);
}

/// The unsourced timings of correlated and grey events take ranges and are inputs of
/// `drsim sensitivity` when they are on (and only then).
#[test]
fn correlated_timings_are_sensitivity_inputs_with_their_ranges() {
    use drsim::analysis::sensitivity::inputs;
    let names =
        |m: &Model| -> Vec<String> { inputs(m, None).into_iter().map(|i| i.name).collect() };
    let off = load("").unwrap();
    assert!(
        !names(&off)
            .iter()
            .any(|n| n.contains("decision_after") || n.contains("error_alarm"))
    );
    let model = load(
        "[disasters.slow]\nkind = \"latency_injection\"\nper_year = 1\nduration = \"1h\"\n\
         decision_after_report = { value = \"30m\", low = \"15m\", high = \"1h\" }\n\
         [recovery.error_alarm]\nperiod = \"1m\"\nevaluation_periods = 3\nthreshold = 0.05\n\
         customer_report = { value = \"30m\", low = \"10m\", high = \"1h\" }",
    )
    .unwrap();
    let all = inputs(&model, None);
    for name in [
        "disasters.slow.decision_after_report",
        "recovery.error_alarm.customer_report",
    ] {
        let input = all
            .iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| panic!("{name}"));
        assert!(input.range.is_some(), "{name} keeps its range");
    }
}

/// `drsim trace` shows the impaired recovery region refusing launches, and a grey
/// failure noticed by customers rather than by the alarm.
#[test]
fn the_trace_shows_the_impairment_and_the_customer_report() {
    let mut model = pilot_light();
    impaired(&mut model, 1.0);
    let (_, trace) = drsim::sim::trial::TrialSimulator::new(&model).trace(0);
    let text = trace.text();
    for expected in [
        "the recovery region is impaired too: launches needing capacity are refused for 6h",
        "cold launch refused: the recovery region is impaired too",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let (_, trace) = drsim::sim::trial::TrialSimulator::new(&grey(0.02)).trace(0);
    let text = trace.text();
    assert!(
        text.contains("failure noticed (customers report errors)"),
        "{text}"
    );
}

/// An account compromise needs the data in the AWS account: against an on-premises
/// database it is refused, located at the disaster's kind.
#[test]
fn an_account_compromise_of_an_on_premises_database_is_refused() {
    let dir = tempfile::TempDir::new().unwrap();
    let hybrid =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hybrid-onprem.toml");
    let path = dir.path().join("scenario.toml");
    fs::write(
        &path,
        format!(
            "include = ['{}']\n[disasters.compromise]\nkind = \"account_compromise\"\nper_year = 0.1\ndetection_delay = \"1d\"\n",
            hybrid.display()
        ),
    )
    .unwrap();
    let error = load_model(&path).unwrap_err().to_string();
    assert!(
        error.contains("disasters.compromise.kind") && error.contains("model it as ransomware"),
        "{error}"
    );
    assert!(error.contains("scenario.toml:"), "located: {error}");
}

/// Health checks may stay green. When they see the grey failure (`fails_health_checks`:
/// a check that exercises the failing path), Route 53 moves clients by itself: the
/// endpoint is unhealthy after 3 checks 30 s apart from a phase in [0, 30 s), so the
/// answer switches at [60 s, 90 s) and 99% of clients follow within 0.99 x 60 s TTL:
/// RTO in [119.4 s, 149.4 s), long before people drain the region (decision at 15 min,
/// `latency_injection_needs_people_to_drain_the_region`).
#[test]
fn health_checks_that_see_a_grey_failure_move_traffic_by_themselves() {
    let mut model = web_app(disaster(DisasterKind::LatencyInjection, 7 * DAY));
    for o in run(&model, 200) {
        assert!(
            o.rto.unwrap() > 15 * MINUTE,
            "green health checks: people drain"
        );
    }
    model.disasters[0].grey_fails_health_checks = true;
    for o in run(&model, 2000) {
        let rto = o.rto.unwrap();
        assert!((119_400..149_400).contains(&rto), "{rto}");
    }
}
