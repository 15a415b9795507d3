//! Hybrid DR channels (`[hybrid]`): transfers over the link, Direct Connect falling back
//! to the VPN, DMS lag and stalls, Elastic Disaster Recovery launches, and their bill,
//! each against figures worked out by hand. Transfer time of S GB over B Gbit/s is
//! S x 8 / B seconds (docs/sources.md#hybrid-vpn-tunnel: 1 Gbit/s = 450 GB/h).
//! Tolerances are 4 Monte Carlo standard errors.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

use crate::common::*;
use drsim::model::hybrid::{BackupPath, Dms, Hybrid, Link, LinkKind};
use drsim::model::units::{DAY, MINUTE, SECOND};
use drsim::model::*;

/// The common web application with us-east-1 turned into an on-premises site `dc1`
/// (region 0, holding the database and the hourly backups) that sends its backups to
/// us-west-2 (region 1) over `link`. Data 100 GB; restore fixed part 20 min.
fn hybrid_app(disaster: Disaster, link: Link, backups_over: BackupPath) -> Model {
    let mut model = web_app(disaster);
    model.regions[0].name = "dc1".into();
    model.regions[0].site = SiteKind::OnPremises;
    model.hybrid = Some(Hybrid {
        site: 0,
        region: 1,
        link,
        transfer_out_gb_per_month: 0.0,
        backups_over,
        dms: None,
        drs: None,
    });
    model
}

fn link(kind: LinkKind, vpn_tunnels: u32, dx_port_gbps: f64, dx_down: f64) -> Link {
    Link {
        kind,
        vpn_tunnels,
        vpn_tunnel_gbps: 1.25,
        dx_port_gbps,
        dx_down_probability: dx_down,
    }
}

/// RTOs of `n` trials, in seconds.
fn rtos(model: &Model, n: u64) -> Vec<f64> {
    run(model, n)
        .iter()
        .map(|o| o.rto.expect("recovered") as f64 / SECOND as f64)
        .collect()
}

/// Data corruption on site, found after 2 h, decided in 10 min; the backups are kept in
/// AWS behind a Storage Gateway, so the restore reads 100 GB back over the link:
/// 20 min + 100 x 8 / B s. One VPN tunnel (1.25 Gbit/s): 640 s, RTO 7200 + 600 + 1200 +
/// 640 = 9640 s. Ten tunnels (12.5 Gbit/s, 10x faster): 64 s, RTO 9064 s. Backups sent
/// over the link but kept on site restore at the site's own 100 GB/h: 1 h, 12,600 s.
#[test]
fn a_restore_over_the_link_takes_size_times_eight_over_the_bandwidth() {
    let corruption = || disaster(DisasterKind::DataCorruption, 0);
    let gateway = |tunnels| {
        let vpn = link(LinkKind::Vpn, tunnels, 0.0, 0.0);
        hybrid_app(corruption(), vpn, BackupPath::StorageGateway)
    };
    for (model, expected) in [(gateway(1), 9640.0), (gateway(10), 9064.0)] {
        assert!(
            rtos(&model, 200).iter().all(|&r| r == expected),
            "{expected}"
        );
    }
    let vpn = link(LinkKind::Vpn, 1, 0.0, 0.0);
    let on_site = hybrid_app(corruption(), vpn, BackupPath::Link);
    assert!(rtos(&on_site, 200).iter().all(|&r| r == 12_600.0));
}

/// Direct Connect at 10 Gbit/s carries the same restore in 80 s (RTO 9080 s); with a
/// VPN backup, a transfer that finds DX down (probability 0.25) runs at the VPN's
/// 1.25 Gbit/s: 640 s, RTO 9640 s. So every RTO is one of the two, and the share at the
/// longer one is 0.25 (binomial tolerance, 4000 trials); at probability 0 it is none.
#[test]
fn dx_down_falls_back_to_the_vpn_bandwidth() {
    let n = 4000;
    let share_slow = |down: f64| {
        let dx = link(LinkKind::DirectConnectVpnBackup, 1, 10.0, down);
        let model = hybrid_app(
            disaster(DisasterKind::DataCorruption, 0),
            dx,
            BackupPath::StorageGateway,
        );
        let rtos = rtos(&model, n);
        assert!(rtos.iter().all(|&r| r == 9080.0 || r == 9640.0));
        rtos.iter().filter(|&&r| r == 9640.0).count() as f64 / n as f64
    };
    let p = 0.25;
    let share = share_slow(p);
    let tol = 4.0 * (p * (1.0 - p) / n as f64).sqrt();
    assert!((share - p).abs() < tol, "share on the VPN {share} +- {tol}");
    assert_eq!(share_slow(0.0), 0.0);
}

/// The site is lost for a week; AWS DMS has kept an RDS copy in us-west-2 current with a
/// lag uniform on [1 s, 9 s]. The cutover loses the lag: RPO in [1, 9] s, mean 5 s. With
/// probability 1/2 the task had stalled 30 min before: RPO in [1801, 1809] s. So half
/// the RPOs lie in each window (binomial tolerance), and the unstalled mean is 5 s.
#[test]
fn dms_lag_and_a_stalled_task_add_to_the_rpo() {
    let lag = Dist::Uniform {
        min: SECOND as f64,
        max: 9.0 * SECOND as f64,
    };
    let site_loss = disaster(DisasterKind::RegionOutage, 7 * DAY);
    let vpn = link(LinkKind::Vpn, 1, 0.0, 0.0);
    let mut model = hybrid_app(site_loss, vpn, BackupPath::Shipment);
    model.database.cross_region = CrossRegion::Dms { region: 1 };
    model.database.replication_lag = lag.clone();
    let stalled_share = |model: &mut Model, p: f64| {
        model.hybrid.as_mut().unwrap().dms = Some(Dms {
            instance_class: "dms.r5.large".into(),
            lag: lag.clone(),
            cutover_time: fixed(5 * MINUTE),
            stall_probability: p,
            stall_behind: fixed(30 * MINUTE),
        });
        let rpos: Vec<f64> = run(model, 4000)
            .iter()
            .map(|o| o.rpo.expect("the RDS copy survives") as f64 / SECOND as f64)
            .collect();
        let (stalled, running): (Vec<f64>, Vec<f64>) =
            rpos.iter().partition(|&&s| (1801.0..=1809.0).contains(&s));
        assert!(running.iter().all(|&s| (1.0..=9.0).contains(&s)));
        let (mean, tol) = mean_and_tolerance(&running);
        assert!((mean - 5.0).abs() < tol, "lag mean {mean} +- {tol}");
        stalled.len() as f64 / rpos.len() as f64
    };
    let share = stalled_share(&mut model, 0.5);
    let tol = 4.0 * (0.25f64 / 4000.0).sqrt();
    assert!((share - 0.5).abs() < tol, "stalled share {share} +- {tol}");
    assert_eq!(stalled_share(&mut model, 0.0), 0.0);
}

/// The site is lost for a day; the database is restored in us-west-2 from the copied
/// backups. Once the site is back, the planned fail-back restores a snapshot of the new
/// writer at home, over the link: 20 min + 100 x 8 / 1.25 s = 1840 s with one VPN
/// tunnel. Without the link the restore runs at the backups' 100 GB/h: 20 min + 1 h =
/// 4800 s.
#[test]
fn the_fail_back_home_runs_at_the_link_bandwidth() {
    let site_loss = disaster(DisasterKind::RegionOutage, DAY);
    let vpn = link(LinkKind::Vpn, 1, 0.0, 0.0);
    let mut model = hybrid_app(site_loss, vpn, BackupPath::Link);
    let failbacks = |model: &Model| -> Vec<Option<u64>> {
        run(model, 200).iter().map(|o| o.failback).collect()
    };
    assert!(failbacks(&model).iter().all(|&f| f == Some(1840 * SECOND)));
    model.hybrid = None;
    assert!(failbacks(&model).iter().all(|&f| f == Some(4800 * SECOND)));
}

/// Hourly full backups of 100 GB sent from the site over Direct Connect (10 Gbit/s:
/// 80 s each), or over the VPN (1.25 Gbit/s: 640 s) when a copy finds DX down. The site
/// is lost at a uniform phase f of the hour; the newest backup (age f) has arrived iff
/// its copy took at most f, else the one before (age f + 3600 s) has. So E[RPO] = 1800 +
/// 3600 x P(newest missing) = 1800 + 80 + q x 560 s: 1880 s with DX always up, 2160 s
/// when half the copies fall back (q = 1/2).
#[test]
fn copies_fall_back_to_the_vpn_when_dx_is_down() {
    let site_loss = disaster(DisasterKind::RegionOutage, 7 * DAY);
    let dx = link(LinkKind::DirectConnectVpnBackup, 1, 10.0, 0.5);
    let mut model = hybrid_app(site_loss, dx, BackupPath::Link);
    let copy = model.backups.as_mut().unwrap().copy.as_mut().unwrap();
    copy.duration = fixed(0);
    copy.size = CopySize::Full(100.0);
    copy.gb_per_hour = Some(10.0 * 450.0);
    copy.one_at_a_time = false;
    let mean_rpo = |model: &Model, expected: f64| {
        let rpos: Vec<f64> = run(model, 20_000)
            .iter()
            .map(|o| o.rpo.expect("a copy survives") as f64 / SECOND as f64)
            .collect();
        let (mean, tol) = mean_and_tolerance(&rpos);
        assert!(
            (mean - expected).abs() < tol,
            "mean {mean} +- {tol}, expected {expected}"
        );
    };
    mean_rpo(&model, 1880.0);
    let copy = model.backups.as_mut().unwrap().copy.as_mut().unwrap();
    copy.fallback = Some(CopyFallback {
        probability: 0.5,
        gb_per_hour: 1.25 * 450.0,
    });
    mean_rpo(&model, 2160.0);
}

// ---- loaded models: what the channels set, and their bill ----

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn scenario(name: &str) -> Model {
    drsim::model::load::load_model(&repo(&format!("scenarios/{name}.toml")))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The bundled pilot light: DMS is the database's copy (its lag, its cutover), DRS
/// replaces the recovery region's launch and bootstrap by conversion and boot, backups
/// over a 1 Gbit/s Direct Connect copy at 450 GB/h. Without `[hybrid.drs]` the region
/// keeps the Auto Scaling group's own times.
#[test]
fn the_channels_set_the_copy_the_launches_and_the_copy_throughput() {
    let model = scenario("hybrid-pilot-light");
    let hybrid = model.hybrid.as_ref().unwrap();
    let (dms, drs) = (hybrid.dms.as_ref().unwrap(), hybrid.drs.as_ref().unwrap());
    assert_eq!(model.database.cross_region, CrossRegion::Dms { region: 1 });
    assert_eq!(model.database.replication_lag, dms.lag);
    assert_eq!(model.database.promotion_time, dms.cutover_time);
    let asg = &model.regions[1].asg;
    assert_eq!(
        (&asg.launch_time, &asg.bootstrap_time),
        (&drs.conversion_time, &drs.boot_time)
    );
    assert_eq!(drs.servers, 3, "the site's three servers");
    let copy = model.backups.as_ref().unwrap().copy.as_ref().unwrap();
    assert_eq!(copy.gb_per_hour, Some(450.0));
    let slow = CopyFallback {
        probability: 0.005,
        gb_per_hour: 0.5 * 450.0,
    };
    assert_eq!(
        copy.fallback,
        Some(slow),
        "the VPN's 0.5 Gbit/s when DX is down"
    );
    let warm = scenario("hybrid-warm-standby");
    assert_ne!(warm.regions[1].asg.launch_time, drs.conversion_time);
}

/// Pilot light on the common application (data in us-west-2, nothing running there):
/// the launches after the decision take 30 s + 60 s, so RTO lies in
/// [base + 60, base + 120) s with base = 15 min + 90 s + 59.4 s (see
/// `behaviour::pilot_light_starts_after_the_decision`). Elastic Disaster Recovery's
/// recovery instances take conversion 10 min + boot 5 min instead: 810 s more, the
/// window moves to [base + 870, base + 930).
#[test]
fn drs_recovery_instances_take_conversion_and_boot() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.database.region = 1;
    model.regions[1].deployment = Deployment::ScaledToZero;
    let base = 15.0 * 60.0 + 90.0 + 59.4;
    let within = |rtos: &[f64], lo: f64, hi: f64| rtos.iter().all(|r| (lo..hi).contains(r));
    assert!(within(&rtos(&model, 500), base + 60.0, base + 120.0));
    let asg = &mut model.regions[1].asg;
    asg.launch_time = fixed(10 * MINUTE);
    asg.bootstrap_time = fixed(5 * MINUTE);
    assert!(within(&rtos(&model, 500), base + 870.0, base + 930.0));
}

fn cost_json(path: &Path) -> Value {
    let out = Command::cargo_bin("drsim")
        .unwrap()
        .args(["cost", path.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The monthly USD of the `hybrid` line whose description starts with `what`.
fn hybrid_line(report: &Value, what: &str) -> f64 {
    let lines = report["breakdown"].as_array().unwrap();
    let line = lines
        .iter()
        .find(|l| {
            l["component"] == "hybrid" && l["description"].as_str().unwrap().starts_with(what)
        })
        .unwrap_or_else(|| panic!("no hybrid line `{what}`"));
    line["monthly_usd"].as_f64().unwrap()
}

/// Bundled pilot light, 730 h (sources.md#price-hybrid): 1 Gbit/s DX port 0.30 x 730 =
/// 219; one VPN connection 0.05 x 730 = 36.5; dms.r5.large 0.23 x 730 =
/// 167.9; DRS 3 servers x 0.028 x 730 = 61.32 and their staging volumes 3 x 100 GB x
/// gp3 0.08 = 24. Backup & restore's Storage Gateway writes the daily changes, 5 GB x
/// 730 / 24 days = 152.08 GB, at 0.01: 1.52.
#[test]
fn the_channels_are_billed_from_the_catalog() {
    let close = |a: f64, b: f64| (a - b).abs() < 1e-6;
    let pilot = cost_json(&repo("scenarios/hybrid-pilot-light.toml"));
    for (what, usd) in [
        ("Direct Connect", 219.0),
        ("Site-to-Site VPN", 36.5),
        ("DMS replication instance", 167.9),
        ("Elastic Disaster Recovery", 61.32),
        ("DRS staging volumes", 24.0),
    ] {
        let got = hybrid_line(&pilot, what);
        assert!(close(got, usd), "{what}: {got} != {usd}");
    }
    let backup = cost_json(&repo("scenarios/hybrid-backup-restore.toml"));
    let gateway = hybrid_line(&backup, "Storage Gateway");
    assert!(close(gateway, 5.0 * 730.0 / 24.0 * 0.01), "{gateway}");
}

/// The whitepaper's ordering on the data-centre outage: backup & restore in hours, pilot
/// light in tens of minutes, warm standby in minutes, multi-site near zero (median RTO
/// of the bundled scenarios, 2000 trials of the site loss each); the bill rises in the
/// same order.
#[test]
fn hybrid_strategies_keep_the_whitepaper_order() {
    let names = [
        "hybrid-backup-restore",
        "hybrid-pilot-light",
        "hybrid-warm-standby",
        "hybrid-multi-site",
    ];
    let mut medians = Vec::new();
    for name in names {
        let mut model = scenario(name);
        model.disasters.retain(|d| d.name == "site-loss");
        let mut sim = drsim::sim::trial::TrialSimulator::new(&model);
        let mut rtos: Vec<f64> = (0..2000)
            .map(|t| sim.run(t).rto.map_or(f64::INFINITY, |r| r as f64))
            .collect();
        rtos.sort_by(f64::total_cmp);
        medians.push(rtos[1000] / MINUTE as f64);
    }
    let [backup, pilot, warm, multi] = medians[..] else {
        unreachable!()
    };
    assert!(backup > 60.0, "backup & restore takes hours: {backup} min");
    assert!((10.0..60.0).contains(&pilot), "pilot light: {pilot} min");
    assert!(
        (1.0..pilot).contains(&warm) && warm < 20.0,
        "warm standby: {warm} min"
    );
    assert!(multi < warm && multi < 5.0, "multi-site: {multi} min");
    let bills: Vec<f64> = names
        .iter()
        .map(|n| {
            cost_json(&repo(&format!("scenarios/{n}.toml")))["monthly_usd"]
                .as_f64()
                .unwrap()
        })
        .collect();
    assert!(bills.windows(2).all(|w| w[0] < w[1]), "{bills:?}");
}
