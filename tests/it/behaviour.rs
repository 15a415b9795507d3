//! Simulated behaviour checked against results worked out by hand. Tolerances come
//! from the Monte Carlo error of the sample (4 standard errors), never tuned.

use crate::common::*;
use drsim::model::units::{DAY, HOUR, MINUTE, SECOND};
use drsim::model::*;

fn seconds(ms: Option<Millis>) -> f64 {
    ms.expect("recovered") as f64 / SECOND as f64
}

/// Region outage, standby fully scaled and data elsewhere: route-away time is the health
/// check flip plus 99% of one 60 s TTL for 99% of clients to move (59.4 s). Route 53
/// ("How Amazon Route 53 determines whether a health check is healthy") flips the
/// endpoint to unhealthy once 18% of checkers or fewer still report it healthy: with 16
/// independent checkers, each failing it `(3 - 1) x 30 s` plus its own phase U(0, 30 s)
/// after the failure, that is the 14th of 16 phases, Beta(14, 3) x 30 s, mean
/// 14/17 x 30 s = 24.706 s. RTO in [119.4 s, 149.4 s), mean 60 + 24.706 + 59.4 =
/// 144.106 s; below the middle (134.4 s) only when 14 of the 16 phases are under half an
/// interval: (C(16,14) + C(16,15) + 1) / 2^16 = 137 / 65536 = 0.21%.
#[test]
fn route53_failover_time_is_health_check_flip_plus_ttl() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.database.region = 1; // the data is not in the lost region
    let rtos: Vec<f64> = run(&model, 4000).iter().map(|o| seconds(o.rto)).collect();
    let (lo, hi) = (119.4, 149.4);
    assert!(
        rtos.iter().all(|&r| (lo..hi + 0.001).contains(&r)),
        "outside [{lo}, {hi}]"
    );
    let (mean, tol) = mean_and_tolerance(&rtos);
    assert!((mean - 144.106).abs() < tol, "mean {mean} +- {tol}");
    let below_mid =
        rtos.iter().filter(|&&r| r < (lo + hi) / 2.0).count() as f64 / rtos.len() as f64;
    let p = 137.0 / 65536.0;
    assert!(
        (below_mid - p).abs() < 4.0 * (p * (1.0 - p) / rtos.len() as f64).sqrt(),
        "share below the middle: {below_mid}"
    );
}

/// Route 53's flip against a simulation of its checkers ("How Amazon Route 53 determines
/// whether a health check is healthy": checkers worldwide "don't coordinate", each needs
/// `failure_threshold` consecutive results, and the endpoint is healthy while more than
/// 18% of them report it healthy). 16 checkers, interval 30 s, threshold 3, each with a
/// phase uniform over the interval: after the endpoint fails, checker i reports it
/// unhealthy at 60 s + phase_i; the status flips at the first instant 18% or fewer
/// (2 of 16) still report healthy, i.e. at the 14th report: mean 60 + 14/17 x 30 =
/// 84.706 s, sd 30 x sqrt(14 x 3 / (17^2 x 18)) = 2.69 s. Back to healthy at the 3rd
/// passing report (3/16 > 18%): mean 60 + 3/17 x 30 = 65.294 s.
#[test]
fn route53_flip_follows_the_18_percent_rule_over_independent_checkers() {
    use drsim::sim::components::routing::route53_flip_delay;
    use rand::{Rng, SeedableRng};
    let check = HealthCheck {
        interval: 30 * SECOND,
        failure_threshold: 3,
    };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let n = 4000;
    for (passes, by_hand) in [(false, 84.706), (true, 65.294)] {
        let modelled: Vec<f64> = (0..n)
            .map(|_| route53_flip_delay(&check, passes, &mut rng) as f64 / 1000.0)
            .collect();
        let checkers: Vec<f64> = (0..n)
            .map(|_| {
                let mut changed: Vec<u64> = (0..16)
                    .map(|_| 2 * check.interval + rng.next_u64() % check.interval)
                    .collect();
                changed.sort_unstable();
                // The first report after which the 18% rule gives the new status.
                let j = (1..=16)
                    .find(|&j| {
                        let healthy = if passes { j } else { 16 - j };
                        let healthy_share = healthy as f64 / 16.0;
                        (healthy_share > 0.18) == passes
                    })
                    .unwrap();
                changed[j - 1] as f64 / 1000.0
            })
            .collect();
        let (m, tol_m) = mean_and_tolerance(&modelled);
        let (c, tol_c) = mean_and_tolerance(&checkers);
        assert!(
            (m - by_hand).abs() < tol_m,
            "{passes}: model {m} +- {tol_m}"
        );
        assert!(
            (c - by_hand).abs() < tol_c,
            "{passes}: checkers {c} +- {tol_c}"
        );
        assert!((m - c).abs() < tol_m.hypot(tol_c), "{passes}: {m} vs {c}");
    }
}

/// Global Accelerator has no client cache: route-away time is the health check flip
/// alone. With ALB endpoints the accelerator takes the load balancer's own health
/// ("Endpoint groups for standard accelerators in AWS Global Accelerator": for ALB
/// endpoints "configure health check settings on the Elastic Load Balancing console"),
/// so `routing.health_check_interval` (10 s here) does not apply: the ALB's targets fail
/// after its unhealthy threshold, (2 - 1) x 30 s plus the phase U(0, 30 s): RTO in
/// [30 s, 60 s), mean 45 s.
#[test]
fn global_accelerator_failover_skips_dns_caching() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.database.region = 1;
    model.routing.dns = None;
    model.routing.health_check.interval = 10 * SECOND;
    let rtos: Vec<f64> = run(&model, 4000).iter().map(|o| seconds(o.rto)).collect();
    assert!(
        rtos.iter().all(|&r| (30.0..60.0).contains(&r)),
        "outside [30, 60)"
    );
    let (mean, tol) = mean_and_tolerance(&rtos);
    assert!((mean - 45.0).abs() < tol, "mean {mean} +- {tol}");
}

/// Backups every hour, copied in 10 min, region lost at a random time, restore in the
/// standby region: RPO uniform on [10 min, 70 min).
#[test]
fn restore_from_copied_hourly_backups_loses_10_to_70_minutes() {
    let model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    let rpos: Vec<f64> = run(&model, 4000)
        .iter()
        .map(|o| o.rpo.unwrap() as f64 / MINUTE as f64)
        .collect();
    assert!(rpos.iter().all(|&m| (10.0..70.0).contains(&m)));
    let (mean, tol) = mean_and_tolerance(&rpos);
    assert!((mean - 40.0).abs() < tol, "mean {mean} +- {tol}");
}

/// Same outage with restore: service is back when the restore is done (detection 5 m +
/// decision 10 m + 20 m fixed + 100 GB at 100 GB/h) and the health check flips and
/// clients move: RTO in [95 m + 119.4 s, 95 m + 149.4 s).
#[test]
fn restore_path_rto_adds_people_restore_and_dns() {
    let model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    let base = (95 * MINUTE) as f64 / SECOND as f64;
    for o in run(&model, 500) {
        let rto = seconds(o.rto);
        assert!((base + 119.4..base + 149.5).contains(&rto), "{rto}");
    }
}

/// Restore into a region with nothing deployed: infrastructure as code builds the
/// network first (8 min), then the restore (30 min, it needs the DB subnet group) and
/// the application stack (10 min, then a 1.5 min launch) run side by side, and DNS
/// moves once the region's deep health check passes. The restore is the longer branch:
/// detection 5 m + decision 10 m + 8 m + max(30 m, 10 m + launch) = 53 m, then the
/// health check flip and the TTL as above: RTO in [53 m + 119.4 s, 53 m + 149.4 s).
/// Not 15 m + 8 + 30 + 10 = 63 m (one after the other) nor 15 m + max(8, 30, 10) = 45 m
/// (all at once).
#[test]
fn rebuild_builds_the_network_then_restores_and_deploys_side_by_side() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.regions[1].deployment = Deployment::NotDeployed;
    model.regions[1].asg.desired = 0;
    model.recovery.iac_network_time = fixed(8 * MINUTE);
    model.recovery.iac_redeploy_time = fixed(10 * MINUTE);
    let backups = model.backups.as_mut().unwrap();
    backups.restore_fixed = fixed(30 * MINUTE);
    backups.restore_gb_per_hour = 1e12; // the data takes no time: 30 min flat
    let base = (53 * MINUTE) as f64 / SECOND as f64;
    for o in run(&model, 300) {
        let rto = seconds(o.rto);
        assert!((base + 119.4..base + 149.5).contains(&rto), "{rto}");
    }
}

/// A region outage that ends before the failover completes: service returns in place
/// with nothing lost.
#[test]
fn outage_shorter_than_failover_recovers_in_place_without_loss() {
    let model = web_app(disaster(DisasterKind::RegionOutage, 20 * MINUTE));
    for o in run(&model, 200) {
        assert_eq!(o.rpo, Some(0));
        let rto = seconds(o.rto);
        // Region back at 20 m; the primary's check passes again after 60-90 s and DNS
        // moves clients back within the TTL.
        assert!(
            (20.0 * 60.0..20.0 * 60.0 + 90.0 + 60.0).contains(&rto),
            "{rto}"
        );
    }
}

/// One of six instances dies: 1/6 of requests fail until the ALB takes it out of
/// rotation, after (2-1) x 30 s plus the check phase: RTO in [30 s, 60 s).
#[test]
fn instance_failure_lasts_until_the_alb_notices() {
    let model = web_app(disaster(DisasterKind::InstanceFailure, 0));
    for o in run(&model, 500) {
        assert!((30.0..60.0).contains(&seconds(o.rto)), "{:?}", o.rto);
        assert_eq!(o.rpo, Some(0));
        assert_eq!(o.first_success, Some(0));
    }
}

/// Multi-AZ database failover takes 90 s; nothing serves meanwhile.
#[test]
fn multi_az_failover_time_is_the_rto() {
    let model = web_app(disaster(DisasterKind::DbPrimaryFailure, 0));
    for o in run(&model, 100) {
        assert_eq!(o.rto, Some(90 * SECOND));
        assert_eq!(o.rpo, Some(0));
    }
}

/// AZ loss with a NAT per AZ: the other AZ keeps its outbound path. With one shared NAT
/// in the lost AZ every instance loses it, until the NAT is replaced (detection 5 m +
/// decision 10 m + replacement 10 m). The standby is not deployed, so the region must
/// recover by itself (a running standby would take over within minutes: Route 53 fails
/// over once the writer is back in us-east-1b).
#[test]
fn a_single_nat_gateway_is_a_shared_fate() {
    let mut per_az = web_app(disaster(DisasterKind::AzOutage, 4 * HOUR));
    per_az.regions[1].deployment = Deployment::NotDeployed;
    per_az.regions[1].asg.desired = 0;
    let mut single = per_az.clone();
    single.regions[0].nat = NatLayout::Single(0);
    let worst_per_az = run(&per_az, 300)
        .iter()
        .map(|o| seconds(o.rto))
        .fold(0.0, f64::max);
    let best_single = run(&single, 300)
        .iter()
        .map(|o| seconds(o.rto))
        .fold(f64::MAX, f64::min);
    assert!(worst_per_az < 25.0 * 60.0, "per-AZ NAT: {worst_per_az}");
    assert!(best_single >= 25.0 * 60.0, "single NAT: {best_single}");
}

/// Corruption found after 2 h, decision 10 m, restore 20 m + 1 h: RTO 3.5 h exactly;
/// hourly backups taken before the corruption: RPO uniform on [0, 60 m).
#[test]
fn corruption_needs_a_clean_backup() {
    let model = web_app(disaster(DisasterKind::DataCorruption, 0));
    let outcomes = run(&model, 4000);
    assert!(
        outcomes
            .iter()
            .all(|o| o.rto == Some(3 * HOUR + 30 * MINUTE))
    );
    let rpos: Vec<f64> = outcomes
        .iter()
        .map(|o| o.rpo.unwrap() as f64 / MINUTE as f64)
        .collect();
    let (mean, tol) = mean_and_tolerance(&rpos);
    assert!((mean - 30.0).abs() < tol, "mean {mean} +- {tol}");
}

/// Replication copies corruption: a cross-region replica does not help, backups do.
#[test]
fn replicas_do_not_protect_against_corruption() {
    let mut model = web_app(disaster(DisasterKind::DataCorruption, 0));
    model.database.kind = DbKind::Aurora;
    model.database.cross_region = CrossRegion::AuroraGlobal { region: 1 };
    model.backups = None;
    for o in run(&model, 100) {
        assert_eq!((o.rto, o.rpo), (None, None));
    }
}

/// Ransomware deletes backups without Vault Lock; with it, the stack is rebuilt and the
/// data restored.
#[test]
fn vault_lock_is_what_survives_ransomware() {
    let mut model = web_app(disaster(DisasterKind::Ransomware, 0));
    for o in run(&model, 100) {
        assert_eq!((o.rto, o.rpo), (None, None));
    }
    model.backups.as_mut().unwrap().vault_lock = VaultLock::Governance;
    for o in run(&model, 100) {
        assert!(o.rto.is_some() && o.rpo.is_some());
    }
}

/// Same seed and trial, same outcome; another seed, another draw.
#[test]
fn trials_are_reproducible() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    let first = run(&model, 50);
    assert_eq!(first, run(&model, 50));
    model.simulation.seed += 1;
    assert_ne!(first, run(&model, 50));
}

/// Warm standby with 2 of the 4 instances needed: traffic arrives after the route-away
/// (answer switch T in [60 s, 90 s)), the scale-out alarm fires 120 s later, cold
/// launches take 90 s and the ALB admits them after their first passing check, the
/// check phase in [0 s, 30 s): RTO = T + [210 s, 240 s), within [270 s, 330 s).
///
/// AWS, Elastic Load Balancing, "Health checks for Application Load Balancer target
/// groups": "After your target is registered, it must pass one health check to be
/// considered healthy" (the healthy threshold, 5 x 30 s, would give [390 s, 450 s)).
#[test]
fn warm_standby_waits_for_scale_out() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.database.region = 1;
    model.regions[1].asg.desired = 2;
    model.recovery.automated = true;
    model.recovery.detection = fixed(60 * MINUTE); // so the runbook is not what scales
    for o in run(&model, 1000) {
        assert!((270.0..330.0).contains(&seconds(o.rto)), "{:?}", o.rto);
        assert!(o.first_success.unwrap() <= 90 * SECOND, "{o:?}");
    }
}

/// Pilot light: nothing runs in the standby until people decide (5 m + 10 m); then
/// cold launches (90 s) and the ALB's first check of the new targets (0-30 s: a newly
/// registered target needs one passing check, ELB "Health checks for Application Load
/// Balancer target groups"); then the standby's Route 53 check passes (60-90 s) and
/// clients move (59.4 s).
#[test]
fn pilot_light_starts_after_the_decision() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.database.region = 1;
    model.regions[1].deployment = Deployment::ScaledToZero;
    let base = 15.0 * 60.0 + 90.0 + 59.4;
    for o in run(&model, 1000) {
        assert!(
            (base + 60.0..base + 120.0).contains(&seconds(o.rto)),
            "{:?}",
            o.rto
        );
    }
}

/// Active/active with a multi-writer data layer behind Global Accelerator: the survivor
/// already runs and writes, so RTO is the health check flip alone, and RPO the
/// replication lag (1 s here). With ALB endpoints the accelerator takes the ALB's health
/// ("Endpoint groups for standard accelerators in AWS Global Accelerator"), not its own
/// 10 s checks: (2 - 1) x 30 s plus a phase uniform on [0, 30 s), RTO in [30 s, 60 s).
#[test]
fn active_active_multi_writer_recovers_on_the_health_check() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.routing.mode = RoutingMode::ActiveActive;
    model.routing.dns = None;
    model.routing.health_check.interval = 10 * SECOND;
    for region in &mut model.regions {
        region.role = Role::Active;
    }
    model.database.kind = DbKind::Aurora;
    model.database.cross_region = CrossRegion::MultiWriter { region: 1 };
    for o in run(&model, 1000) {
        assert!((30.0..60.0).contains(&seconds(o.rto)), "{o:?}");
        assert_eq!(o.rpo, Some(SECOND));
    }
}

/// Tracing records the story of a trial without changing its outcome.
#[test]
fn tracing_does_not_change_the_outcome() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.regions[1].deployment = Deployment::ScaledToZero;
    let mut sim = drsim::sim::trial::TrialSimulator::new(&model);
    for trial in 0..20 {
        let plain = sim.run(trial);
        let (traced, trace) = sim.trace(trial);
        assert_eq!(plain, traced);
        let text = trace.text();
        for expected in [
            "strikes",
            "alarm",
            "people decide",
            "cold launch",
            "health check of us-west-2 turns healthy",
            "clients follow",
            "recovered",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in\n{text}");
        }
        let curve = drsim::sim::service::success_curve(&trace.pieces, trace.end, &model.routing);
        assert!(curve.first().unwrap().1 < 0.01 && curve.last().unwrap().1 > 0.99);
    }
}

#[test]
#[ignore = "prints a sample trace"]
fn print_a_pilot_light_trace() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.regions[1].deployment = Deployment::ScaledToZero;
    model.database.cross_region = CrossRegion::ReadReplica { region: 1 };
    let (outcome, trace) = drsim::sim::trial::TrialSimulator::new(&model).trace(3);
    println!("{outcome:?}\n{}", trace.text());
}

#[test]
#[ignore = "rough speed check; the benches are the real measure"]
fn rough_trials_per_second() {
    for kind in [
        DisasterKind::InstanceFailure,
        DisasterKind::AzOutage,
        DisasterKind::RegionOutage,
        DisasterKind::DataCorruption,
    ] {
        let mut model = web_app(disaster(kind, 4 * HOUR));
        model.regions[1].asg.desired = 2;
        model.regions[1].asg.warm_pool = Some(WarmPool {
            size: 4,
            state: WarmState::Stopped,
            time_to_in_service: fixed(45 * SECOND),
        });
        let mut sim = drsim::sim::trial::TrialSimulator::new(&model);
        let n = 200_000;
        let start = std::time::Instant::now();
        let events: u64 = (0..n).map(|t| sim.run(t).events).sum();
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{kind:?}: {:.0} trials/s, {:.1} events/trial, {:.1} M events/s",
            n as f64 / secs,
            events as f64 / n as f64,
            events as f64 / secs / 1e6
        );
    }
}

/// Route 53 fails open: active/active (weighted records, 30 s x 3 checks, TTL 60 s) with
/// deep health checks in both regions, and the Multi-AZ writer failing over in 90 s.
/// Both endpoints fail their deep check at once; each check flips unhealthy after
/// [60 s, 90 s), before the writer is back. With every record unhealthy, Route 53 treats
/// them all as healthy and keeps answering by weight, so every client is always sent to
/// some region, and from 90 s every region serves: RTO is the database failover, 90 s
/// exactly. Without failing open, the answer would send clients nowhere from the second
/// flip until a check turns healthy again (90 s + [60 s, 90 s)), and the RTO would be
/// over 150 s.
///
/// AWS, Route 53 Developer Guide, "How Amazon Route 53 chooses records when health
/// checking is configured", section "If no record is healthy, all records are healthy":
/// when no record in a group is healthy, Route 53 considers all of them healthy and
/// selects one by the routing policy and the values of the records. (Global Accelerator
/// and an ALB with only unhealthy targets fail open in the same way.)
#[test]
fn route53_fails_open_when_every_endpoint_is_unhealthy() {
    let mut model = web_app(disaster(DisasterKind::DbPrimaryFailure, 0));
    model.routing.mode = RoutingMode::ActiveActive;
    for region in &mut model.regions {
        region.role = Role::Active;
        assert!(region.alb.deep_health_check);
    }
    for o in run(&model, 500) {
        assert_eq!(o.rto, Some(90 * SECOND), "{o:?}");
        assert_eq!(o.first_success, Some(90 * SECOND), "{o:?}");
    }
}

/// A NAT gateway failure in us-east-1a (a NAT per AZ, deep health checks) that ends by
/// itself after 10 min, before people replace the gateway (alarm 5 m + decision 10 m).
/// The ALB parks the 3 instances of AZ a after [30 s, 60 s) (unhealthy threshold 2 x
/// 30 s); the 3 others serve 750 of the 1000 rps, below the 99% threshold. When the NAT
/// is back, the parked targets pass again after the healthy threshold, 4 x 30 s plus the
/// phase, and serve in place: RTO in [10 m + 120 s, 10 m + 150 s), nothing lost. Without
/// un-parking, the AZ would stay out of rotation for good (no recovery in the horizon).
/// The group is at its maximum (6), so it cannot scale out around the parked AZ (see
/// `target_tracking_scales_out_around_parked_instances`).
///
/// AWS, Elastic Load Balancing, "Health checks for Application Load Balancer target
/// groups": `HealthyThresholdCount` is the number of consecutive successful health checks
/// required before considering an unhealthy target healthy; an unhealthy target that
/// passes them again is routed to again.
#[test]
fn targets_parked_by_a_nat_failure_return_when_it_ends() {
    let mut model = web_app(disaster(DisasterKind::NatGatewayFailure, 10 * MINUTE));
    model.regions[0].asg.max = 6;
    assert_eq!(model.regions[0].nat, NatLayout::PerAz);
    for o in run(&model, 1000) {
        let rto = seconds(o.rto);
        assert!((720.0..750.0).contains(&rto), "{o:?}");
        assert_eq!(o.rpo, Some(0));
        assert_eq!(o.first_success, Some(0), "the other AZ always served");
    }
}

/// The same NAT failure (10 min, AZ a, 3 instances there, group at its maximum of 6) with
/// `health_check_type = "elb"`: the ASG terminates an instance the ALB finds unhealthy once
/// its health check grace period since InService has passed, and launches another
/// ("About the health checks for your Auto Scaling group" and "Set the health check grace
/// period", sources.md#asg-health-check-type, sources.md#asg-health-check-grace). A
/// replacement takes 90 s plus one check phase [0 s, 30 s) to be InService and checked.
///
/// Grace 0: the 3 parked instances (long past their grace) are replaced at once; each
/// replacement fails its first check while the NAT is down and is replaced again, a
/// cycle shorter than 120 s. The first replacement checked after the NAT is back at
/// 600 s passes its single check and serves the 4th share (1000 rps over 4 x 250): RTO in
/// (600 s, 720 s). Without ELB replacement the parked targets wait for the healthy
/// threshold after 600 s: [720 s, 750 s).
///
/// Grace 300 s: the first replacements are InService in [120 s, 180 s), kept 300 s, and
/// replaced; their replacements are InService before 600 s and still in their grace
/// when the NAT returns, so they pass the healthy threshold like the EC2 case: RTO in
/// [720 s, 750 s). Ignoring the grace would give the grace-0 answer.
#[test]
fn elb_health_checks_replace_parked_instances_after_their_grace() {
    let rtos = |grace: u64| {
        let mut model = web_app(disaster(DisasterKind::NatGatewayFailure, 10 * MINUTE));
        model.regions[0].asg.max = 6;
        model.regions[0].asg.health_check_type = AsgHealthCheck::Elb;
        model.regions[0].asg.health_check_grace = grace * SECOND;
        run(&model, 1000)
            .iter()
            .map(|o| seconds(o.rto))
            .collect::<Vec<_>>()
    };
    for rto in rtos(0) {
        assert!(rto > 600.0 && rto < 720.0, "grace 0: {rto}");
    }
    for rto in rtos(300) {
        assert!((720.0..750.0).contains(&rto), "grace 300 s: {rto}");
    }
}

/// Region outage with the writer in us-east-1 and an Aurora global database secondary in
/// us-west-2 whose replication lag is uniform on [1 s, 9 s]. People promote the
/// secondary (alarm 5 m + decision 10 m + promotion 5 m): what it had not received when
/// the writer was lost is lost, so RPO is the lag, uniform on [1 s, 9 s], mean 5 s.
/// (Backups, hourly, do not count: the promoted copy is newer.) Dropping the lag would
/// give RPO 0.
///
/// AWS, Aurora User Guide, `aurora_global_db_status`: `rpo_lag_in_msec` is the time it
/// takes for the most recent user transaction COMMIT to be stored on a secondary DB
/// cluster after it has been stored on the primary, i.e. what an unplanned failover to
/// that secondary loses.
#[test]
fn promotion_loses_the_replication_lag() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.database.kind = DbKind::Aurora;
    model.database.cross_region = CrossRegion::AuroraGlobal { region: 1 };
    model.database.replication_lag = Dist::Uniform {
        min: SECOND as f64,
        max: 9.0 * SECOND as f64,
    };
    let outcomes = run(&model, 4000);
    let rpos: Vec<f64> = outcomes
        .iter()
        .map(|o| o.rpo.expect("the promoted copy survives") as f64 / SECOND as f64)
        .collect();
    assert!(
        rpos.iter().all(|&s| (1.0..=9.0).contains(&s)),
        "outside [1 s, 9 s]"
    );
    let (mean, tol) = mean_and_tolerance(&rpos);
    assert!((mean - 5.0).abs() < tol, "mean {mean} +- {tol}");
}

/// Latency injection (a grey failure): every request to us-east-1 times out while its
/// health checks stay green, so Route 53 keeps answering us-east-1 until people drain
/// it. Drain after detection 5 min + decision 10 min; the failing endpoint flips after
/// (3 - 1) x 30 s plus the 14th of 16 checkers' phases uniform on [0, 30 s), mean
/// 14/17 x 30 s = 24.706 s ("How Amazon Route 53 determines whether a health check is
/// healthy": unhealthy once 18% of checkers or fewer report healthy); 99% of clients
/// follow within 0.99 x 60 s TTL (all honour it). The standby already runs 6 instances
/// for the 4 needed. RTO in [900 + 60 + 59.4, 900 + 90 + 59.4) s, mean 1044.106 s;
/// nothing is lost. Without the drain it would
/// not recover before the week-long injection ends; without the timeouts, RTO 0.
#[test]
fn latency_injection_needs_people_to_drain_the_region() {
    let model = web_app(disaster(DisasterKind::LatencyInjection, 7 * DAY));
    let outcomes = run(&model, 2000);
    let rtos: Vec<f64> = outcomes.iter().map(|o| seconds(o.rto)).collect();
    let (lo, hi) = (1019.4, 1049.4);
    assert!(
        rtos.iter().all(|&r| (lo..hi + 0.001).contains(&r)),
        "outside [{lo}, {hi}]: {:?}",
        rtos.iter().find(|&&r| !(lo..hi + 0.001).contains(&r))
    );
    let (mean, tol) = mean_and_tolerance(&rtos);
    assert!((mean - 1044.106).abs() < tol, "mean {mean} +- {tol}");
    assert!(outcomes.iter().all(|o| o.rpo == Some(0)));
}

/// A latency injection that ends (after 5 min) before anyone decides: service comes
/// back in place when it ends, with nothing lost.
#[test]
fn latency_injection_that_ends_first_recovers_in_place() {
    let model = web_app(disaster(DisasterKind::LatencyInjection, 5 * MINUTE));
    for o in run(&model, 200) {
        assert_eq!(o.rto, Some(5 * MINUTE));
        assert_eq!(o.rpo, Some(0));
    }
}

/// S3 replication loses the oldest object not yet replicated, not one object's lag
/// ("Replicating objects using S3 Replication Time Control (S3 RTC)": the lag is per
/// object, 99.99% of objects within 15 min; S3 reports `OperationsPendingReplication`).
/// Region outage, Aurora Global with no lag, promotion 5 min; objects written as a
/// Poisson process of 0.1 a second, every object's lag exactly 60 s. Objects younger
/// than 60 s are missing; the oldest missing one is 60 s minus the gap back to the last
/// write before the 60 s mark, `W = max(0, 60 - X)` with `X ~ Exp(0.1/s)`. So
/// `E[W] = 60 - (1 - e^-6) / 0.1 = 50.025 s` and `W` lies in [0, 60) s. Switching the
/// mechanism off (one draw of a single object's lag) gives exactly 60 s.
#[test]
fn object_loss_is_the_oldest_unreplicated_object() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.database.kind = DbKind::Aurora;
    model.database.cross_region = CrossRegion::AuroraGlobal { region: 1 };
    model.database.replication_lag = fixed(0);
    model.object_storage.replication = ObjectReplication::Crr {
        lag: fixed(60 * SECOND),
        max_lag: 48 * 3_600 * SECOND,
        rtc: true,
    };
    model.object_storage.replica_region = Some(1);
    model.object_storage.objects_per_second = 0.1;
    let rpos: Vec<f64> = run(&model, 4000)
        .iter()
        .map(|o| o.rpo.expect("the replica survives") as f64 / SECOND as f64)
        .collect();
    assert!(
        rpos.iter().all(|&s| (0.0..60.0).contains(&s)),
        "outside [0, 60)"
    );
    let expected = 60.0 - (1.0 - (-6.0f64).exp()) / 0.1;
    let (mean, tol) = mean_and_tolerance(&rpos);
    assert!(
        (mean - expected).abs() < tol,
        "mean {mean} vs {expected} +- {tol}"
    );
}

/// The ALB fails open. One NAT gateway, in us-east-1a, serves both AZs; it fails for
/// 10 min, before people would replace it (alarm 5 m + decision 10 m). Deep health checks
/// park the 3 targets of each AZ after [30 s, 60 s) (unhealthy threshold 2 x 30 s). The
/// standby is not deployed, so Route 53 sees every endpoint unhealthy, fails open and
/// keeps sending clients to us-east-1. With every registered target unhealthy, the ALB
/// routes to all of them: nothing succeeds while outbound access is gone, and the moment
/// the NAT is back, at 10 min, all 6 serve: first success at 10 min exactly. Each AZ's
/// targets turn healthy again after the healthy threshold, 4 x 30 s plus its own check
/// phase (uniform on [0, 30 s)); once the first AZ's 3 are healthy the ALB stops failing
/// open and routes only to them (750 of 1000 rps), until the second AZ's are healthy too:
/// RTO = 10 min + 120 s + the larger of two uniform phases, in [720 s, 750 s), mean
/// 720 + 2/3 x 30 = 740 s. Without failing open, the first success would wait for the
/// first AZ's healthy threshold, at 720 s or later.
///
/// AWS, Elastic Load Balancing, "Health checks for Application Load Balancer target
/// groups": "If a target group contains only unhealthy registered targets, the load
/// balancer routes requests to all those targets, regardless of their health status."
#[test]
fn alb_fails_open_when_every_target_is_unhealthy() {
    let mut model = web_app(disaster(DisasterKind::NatGatewayFailure, 10 * MINUTE));
    model.regions[0].nat = NatLayout::Single(0);
    model.regions[1].deployment = Deployment::NotDeployed;
    model.regions[1].asg.desired = 0;
    let outcomes = run(&model, 2000);
    for o in &outcomes {
        assert_eq!(o.first_success, Some(10 * MINUTE), "{o:?}");
        assert!((720.0..750.0).contains(&seconds(o.rto)), "{o:?}");
        assert_eq!(o.rpo, Some(0));
    }
    let rtos: Vec<f64> = outcomes.iter().map(|o| seconds(o.rto)).collect();
    let (mean, tol) = mean_and_tolerance(&rtos);
    assert!((mean - 740.0).abs() < tol, "mean {mean} +- {tol}");
}

/// A NAT gateway failure (a NAT per AZ, deep health checks) that lasts 4 h; people
/// replace the gateway after 25 min (alarm 5 m + decision 10 m + replacement 10 m).
fn nat_failure_in(az: usize) -> Model {
    let mut model = web_app(disaster(DisasterKind::NatGatewayFailure, 4 * HOUR));
    model.disasters[0].az = Some(az);
    model
}

/// Target tracking scales on the load per instance that carries it. The NAT of
/// us-east-1b fails: the ALB parks its 3 targets after P in [30 s, 60 s) (unhealthy
/// threshold 2 x 30 s); the 3 of us-east-1a carry 1000 rps for 750. Parked instances
/// carry no load, so the policy needs 4 where 3 carry it: the alarm fires 120 s later and
/// raises desired capacity from 6 to 7. The ASG balances zones (3 instances each, parked
/// ones included) and launches in the first, us-east-1a; the cold launch takes 30 s +
/// 60 s and the new target's first check passes after the check phase, uniform on
/// [0, 30 s): RTO = P + 210 s + phase, in [240 s, 300 s), mean 270 s. Scaling on the
/// desired capacity instead (6 >= 4 needed) would not scale out: the AZ would wait for
/// the NAT replacement at 25 min.
///
/// AWS, EC2 Auto Scaling, "Target tracking scaling policies": the policy adds capacity
/// in proportion to the metric (e.g. average CPU utilisation, or ALB request count per
/// target) of the instances that report it; ELB, "Health checks for Application Load
/// Balancer target groups": the ALB routes only to healthy targets.
#[test]
fn target_tracking_scales_out_around_parked_instances() {
    let model = nat_failure_in(1);
    assert_eq!(model.regions[0].asg.policy, ScalingPolicy::TargetTracking);
    let rtos: Vec<f64> = run(&model, 2000).iter().map(|o| seconds(o.rto)).collect();
    assert!(
        rtos.iter().all(|&r| (240.0..300.0).contains(&r)),
        "{:?}",
        rtos.iter().find(|&&r| !(240.0..300.0).contains(&r))
    );
    let (mean, tol) = mean_and_tolerance(&rtos);
    assert!((mean - 270.0).abs() < tol, "mean {mean} +- {tol}");
}

/// The cooldown holds back simple scaling only. The NAT of us-east-1a fails: its 3
/// targets are parked after P in [30 s, 60 s); the alarm fires at P + 120 s and desired
/// capacity goes 6 -> 7. The zones tie (3 each, parked included), so the new instance
/// launches in us-east-1a, which has no outbound path: ready after 90 s + phase1, it
/// fails its first deep check and is parked too. The load still needs 4 where 3 carry it.
///
/// - Target tracking (no cooldown): the next alarm fires 120 s after that, at
///   P + 330 s + phase1; the launch goes to us-east-1b (3 against 4) and serves after
///   90 s + phase2: RTO = P + 420 s + phase1 + phase2, mean 45 + 420 + 30 = 495 s.
/// - Simple scaling (cooldown 300 s from the first activity at P + 120 s): that alarm
///   is deferred to P + 420 s: RTO = P + 510 s + phase2, mean 45 + 510 + 15 = 570 s.
///
/// AWS, EC2 Auto Scaling, "Scaling cooldowns for Amazon EC2 Auto Scaling": after a
/// scaling activity the group "waits for a cooldown period to end before any further
/// scaling activities initiated by simple scaling policies can start"; target tracking
/// and step scaling policies can scale out immediately (they use instance warm-up).
#[test]
fn simple_scaling_waits_for_its_cooldown() {
    let mut model = nat_failure_in(0);
    let mean_rto = |model: &Model, lo: f64, hi: f64| {
        let rtos: Vec<f64> = run(model, 2000).iter().map(|o| seconds(o.rto)).collect();
        assert!(
            rtos.iter().all(|&r| (lo..hi).contains(&r)),
            "{:?}",
            rtos.iter().find(|&&r| !(lo..hi).contains(&r))
        );
        mean_and_tolerance(&rtos)
    };
    let (mean, tol) = mean_rto(&model, 450.0, 540.0);
    assert!(
        (mean - 495.0).abs() < tol,
        "target tracking: {mean} +- {tol}"
    );
    model.regions[0].asg.policy = ScalingPolicy::Simple;
    let (mean, tol) = mean_rto(&model, 540.0, 600.0);
    assert!((mean - 570.0).abs() < tol, "simple: {mean} +- {tol}");
}

/// The warm pool is refilled during the trial. Same NAT failure in us-east-1a as in
/// `simple_scaling_waits_for_its_cooldown` (target tracking), with a warm pool of one
/// instance, 45 s to InService. The first scale-out, at P + 120 s, takes the pool
/// instance (ready after 45 s + phase1, parked in us-east-1a) and the group launches a
/// replacement into the pool, ready after launch + bootstrap, 90 s, at P + 210 s. The
/// second alarm fires at P + 285 s + phase1, after the refill, so the second instance
/// also comes from the pool: RTO = P + 330 s + phase1 + phase2, in [360 s, 450 s), mean
/// 45 + 330 + 30 = 405 s. Without the refill it would be a cold launch (90 s): mean 450 s.
///
/// AWS, EC2 Auto Scaling, "Warm pools for Amazon EC2 Auto Scaling": when instances leave
/// the warm pool, the group launches new instances into it to keep its size (up to the
/// maximum prepared capacity, by default the group's maximum size).
#[test]
fn a_used_warm_pool_instance_is_replaced() {
    let mut model = nat_failure_in(0);
    model.regions[0].asg.warm_pool = Some(WarmPool {
        size: 1,
        state: WarmState::Stopped,
        time_to_in_service: fixed(45 * SECOND),
    });
    let rtos: Vec<f64> = run(&model, 2000).iter().map(|o| seconds(o.rto)).collect();
    assert!(
        rtos.iter().all(|&r| (360.0..450.0).contains(&r)),
        "{:?}",
        rtos.iter().find(|&&r| !(360.0..450.0).contains(&r))
    );
    let (mean, tol) = mean_and_tolerance(&rtos);
    assert!((mean - 405.0).abs() < tol, "mean {mean} +- {tol}");
}

/// The application's database client after a Multi-AZ failover (failover 90 s, deep
/// health checks, both regions reaching the writer in us-east-1). The failover points
/// the endpoint at the standby; an application that caches the writer's address for
/// 60 s keeps using the old one until its cache expires, a uniform [0, 60 s) after the
/// writer is back: RTO uniform on [90 s, 150 s), mean 120 s. With a 10 s connect timeout
/// on top (the attempt under way against the silent old writer must time out first):
/// [100 s, 160 s), mean 130 s. Routing does not matter: while the writer is unreachable
/// every endpoint fails its deep check, Route 53 fails open, and whichever region the
/// clients are sent to serves once the application reconnects. Without the cache the
/// RTO is the failover, 90 s exactly (`multi_az_failover_time_is_the_rto`).
///
/// AWS, RDS User Guide, "Setting the JVM TTL for DNS name lookups": "The failover
/// mechanism automatically changes the Domain Name System (DNS) record of the DB
/// instance to point to the standby DB instance. As a result, you need to re-establish
/// any existing connections to your DB instance"; the JVM caches lookups for its TTL.
#[test]
fn db_client_cache_delays_the_multi_az_failover() {
    let mut model = web_app(disaster(DisasterKind::DbPrimaryFailure, 0));
    model.workload.db_client.dns_cache = 60 * SECOND;
    for (timeout, lo) in [(0, 90.0), (10, 100.0)] {
        model.workload.db_client.connect_timeout = timeout * SECOND;
        let outcomes = run(&model, 4000);
        let rtos: Vec<f64> = outcomes.iter().map(|o| seconds(o.rto)).collect();
        assert!(
            rtos.iter().all(|&r| (lo..lo + 60.0).contains(&r)),
            "{:?}",
            rtos.iter().find(|&&r| !(lo..lo + 60.0).contains(&r))
        );
        let (mean, tol) = mean_and_tolerance(&rtos);
        assert!((mean - (lo + 30.0)).abs() < tol, "mean {mean} +- {tol}");
        assert!(outcomes.iter().all(|o| o.rpo == Some(0)));
    }
}

/// Routing switches away and back (Route 53 developer guide, "Values specific for
/// failover records": clients follow a new answer as their TTL runs out; clients that
/// ignore the TTL, "Failing over a Multi-AZ DB cluster", section "Setting the JVM TTL for
/// DNS name lookups", hold it longer). The primary is lost for 2 min; the standby serves
/// only 250 of the 1000 rps (one instance, max 1). Route 53 checks every 10 s (threshold
/// 3), the TTL is 60 s, 95% of clients honour it, the others hold a stale answer
/// lognormal(median 5 min, p95 30 min).
///
/// By hand: the answer goes to the standby at T1 (about 25 s) and back at T2 (about
/// 150 s). T2 - T1 > one TTL, so every honouring client is on the standby at T2, and of
/// the stale ones F(125 s) = Phi(ln(125/300) / 1.089) = 0.21, i.e. 95% + 1% of clients.
/// The standby, judged at that share, serves c = 250 / 960 = 0.26 of its requests; the
/// share is 1 - (1 - c) x on_standby, at 99% once on_standby <= 1.35%. Honouring clients
/// come back linearly over the TTL, the 1% stale ones at F: at tau = 59.6 s after T2,
/// 0.95 x 0.6/60 + 0.01 x (1 - F(59.6 s) = 0.93) = 1.88%... just after, at tau = 59.8 s,
/// 0.95 x 0.2/60 + 0.0093 = 1.25%: the RTO is T2 + about 59.7 s (1 min), not the ~9 min
/// of re-applying the 95/5 split to the honouring clients coming back (then 4.8% of all
/// clients wait on the stale hold: F must reach 0.72, tau = 300 s x e^(1.089 x 0.58)).
///
/// Checked trial by trial against a client-by-client simulation: 20 000 clients, each
/// honouring (a fixed phase uniform over the TTL, re-resolving every TTL) or stale
/// (re-resolving a stale hold after each answer change), following the answers at the
/// trial's T1 and T2. Share at 10, 30, 50 s and 5 min after T2 and the RTO agree within
/// 4 standard errors.
#[test]
fn clients_switched_away_and_back_return_at_their_own_pace() {
    use rand::{Rng, SeedableRng};
    let unit = |rng: &mut rand_chacha::ChaCha8Rng| rng.next_u64() as f64 / u64::MAX as f64;
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 2 * MINUTE));
    model.database.region = 1;
    model.routing.health_check.interval = 10 * SECOND;
    let stale_hold = Dist::LogNormal {
        median: (5 * MINUTE) as f64,
        p95: (30 * MINUTE) as f64,
    };
    model.routing.dns = Some(DnsCaching {
        ttl: 60 * SECOND,
        honour_share: 0.95,
        stale_hold: stale_hold.clone(),
    });
    let standby = &mut model.regions[1].asg;
    (standby.min, standby.desired, standby.max) = (1, 1, 1);
    let ttl = 60 * SECOND;
    let mut sim = drsim::sim::trial::TrialSimulator::new(&model);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let n = 20_000usize;
    let mut rto_diffs = Vec::new();
    let mut after_t2 = Vec::new();
    for trial in 0..100 {
        let (outcome, trace) = sim.trace(trial);
        let mut switches: Vec<Millis> = trace.pieces.iter().map(|(_, p)| p.switched_at).collect();
        switches.dedup();
        assert_eq!(switches.len(), 3, "trial {trial}: {switches:?}");
        let (t1, t2) = (switches[1], switches[2]);
        assert!(t2 - t1 >= ttl, "trial {trial}: {t1} {t2}");
        // Clients: when each that is on the standby at T2 comes back.
        let mut back = Vec::new();
        for _ in 0..n {
            if unit(&mut rng) < 0.95 {
                let phase = rng.next_u64() % ttl;
                let last = t2 - 1 - (t2 - 1 - phase) % ttl; // last resolution before T2
                if last >= t1 {
                    back.push(last + ttl);
                }
            } else {
                let first = t1 + stale_hold.sample(&mut rng);
                let second = t2 + stale_hold.sample(&mut rng);
                if first < t2 {
                    back.push(second);
                }
            }
        }
        back.sort_unstable();
        let on_standby = |t: Millis| back.iter().filter(|&&b| b > t).count() as f64 / n as f64;
        let c = (250.0 / (1000.0 * on_standby(t2))).min(1.0);
        let share = |t: Millis| 1.0 - (1.0 - c) * on_standby(t);
        // First t >= T2 with share >= 99%: at most k clients still on the standby.
        let k = (0.01 * n as f64 / (1.0 - c)).floor() as usize;
        let reference = back[back.len() - k - 1];
        rto_diffs.push(seconds(outcome.rto) - reference as f64 / SECOND as f64);
        after_t2.push(seconds(outcome.rto) - t2 as f64 / SECOND as f64);
        for dt in [10 * SECOND, 30 * SECOND, 50 * SECOND, 5 * MINUTE] {
            let t = t2 + dt;
            let (_, piece) = trace.pieces.iter().rev().find(|(at, _)| *at <= t).unwrap();
            let simulated = piece.share_at(&model.routing, t);
            let p = share(t);
            let tolerance = 4.0 * (1.0 - c) * (p * (1.0 - p) / n as f64).sqrt() + 1e-3;
            assert!(
                (simulated - p).abs() < tolerance,
                "trial {trial}, T2 + {dt} ms: {simulated} vs {p}"
            );
        }
    }
    let (mean, tol) = mean_and_tolerance(&rto_diffs);
    assert!(
        mean.abs() < tol + 0.1,
        "RTO - client-level RTO: {mean} +- {tol}"
    );
    let (mean, tol) = mean_and_tolerance(&after_t2);
    assert!(
        (mean - 59.7).abs() < tol + 0.5,
        "RTO - T2: {mean} +- {tol} s"
    );
}

/// Downtime is charged by the share of requests failing, not the full rate for the whole
/// RTO. Active/active over two equal regions behind Global Accelerator; a latency
/// injection fails every request to us-east-1 for 1 h while its health checks stay green
/// ("Endpoint groups for standard accelerators in AWS Global Accelerator": traffic goes to
/// endpoints that pass health checks, so it keeps half the traffic) and nobody drains it
/// (detection takes 2 h). By hand: half the requests fail for exactly 1 h, then all
/// succeed: RTO 1 h, outage 0.5 x 1 h = 30 min, loss 0.5 h x 1000 USD/h = 500 USD per
/// occurrence (charging the RTO would give 1000 USD); once a year, 500 / 12 =
/// 41.67 USD a month.
#[test]
fn half_the_requests_failing_for_an_hour_costs_half_an_hour() {
    let mut model = web_app(disaster(DisasterKind::LatencyInjection, HOUR));
    model.routing.mode = RoutingMode::ActiveActive;
    model.routing.dns = None;
    for region in &mut model.regions {
        region.role = Role::Active;
    }
    model.database.kind = DbKind::Aurora;
    model.database.cross_region = CrossRegion::MultiWriter { region: 1 };
    model.recovery.detection = fixed(2 * HOUR);
    model.cost.downtime_usd_per_hour = 1000.0;
    let outcomes = run(&model, 200);
    let limits = drsim::run::stats::Limits::for_model(&model);
    let mut stats = drsim::run::stats::OutcomeStats::new(1, limits);
    for o in &outcomes {
        assert_eq!((o.rto, o.outage, o.rpo), (Some(HOUR), 30 * MINUTE, Some(0)));
        stats.add(o);
    }
    let context = drsim::analysis::context::SummaryContext::of(&model);
    let loss = drsim::analysis::cost::expected_loss(&context, &stats);
    assert_eq!(loss.by_disaster[0].mean_loss_usd, 500.0);
    assert_eq!(loss.by_disaster[0].mean_outage_hours, 0.5);
    assert!((loss.expected_loss_monthly_usd - 500.0 / 12.0).abs() < 1e-9);
}

/// The objective clock on corruption: found after D (the model's `detection_delay`),
/// decided 10 m later, restored in 20 m + 100 GB at 100 GB/h = 80 m (R). From the
/// disaster the RTO is D + 10 m + R; from the alarm 10 m + R = 90 m whatever D is; from
/// the decision R = 80 m. The alarm and the decision are recorded at D and D + 10 m.
#[test]
fn the_rto_from_detection_does_not_depend_on_how_late_corruption_is_found() {
    for found_after in [2 * HOUR, 3 * DAY] {
        let mut model = web_app(disaster(DisasterKind::DataCorruption, 0));
        model.disasters[0].detection_delay = fixed(found_after);
        for o in run(&model, 50) {
            assert_eq!(o.detected, Some(found_after));
            assert_eq!(o.decided, Some(found_after + 10 * MINUTE));
            assert_eq!(o.rto, Some(found_after + 90 * MINUTE));
            assert_eq!(o.rto_from(Clock::Disaster), o.rto);
            assert_eq!(o.rto_from(Clock::Detection), Some(90 * MINUTE));
            assert_eq!(o.rto_from(Clock::Decision), Some(80 * MINUTE));
        }
    }
}

/// One of six instances dies and the ALB replaces it: nobody has to notice, so no
/// alarm or decision is recorded and every clock gives the RTO from the disaster
/// (the documented fallback).
#[test]
fn a_failure_nobody_notices_counts_from_the_disaster_on_every_clock() {
    let model = web_app(disaster(DisasterKind::InstanceFailure, 0));
    for o in run(&model, 100) {
        assert_eq!((o.detected, o.decided), (None, None));
        assert!(o.rto.is_some());
        for clock in [Clock::Detection, Clock::Decision] {
            assert_eq!(o.rto_from(clock), o.rto);
        }
    }
}

/// The verdict on each clock, through the statistics and the summary: corruption found
/// after 2 h and back 3.5 h after it struck (see above) misses an RTO objective of 2 h
/// counted from the disaster in every trial, and meets it in every trial counted from
/// the alarm (1.5 h).
#[test]
fn corruption_meets_a_detection_clock_objective_that_it_misses_from_the_disaster() {
    let verdict = |clock: Clock| {
        let mut model = web_app(disaster(DisasterKind::DataCorruption, 0));
        model.disasters[0].objective.rto = 2 * HOUR;
        model.disasters[0].objective.rpo = DAY; // not the objective under test
        model.disasters[0].objective.clock = clock;
        let limits = drsim::run::stats::Limits::for_model(&model);
        let mut stats = drsim::run::stats::OutcomeStats::new(1, limits);
        for o in run(&model, 200) {
            stats.add(&o);
        }
        let summary = drsim::analysis::summary::Summary::new(&model, &stats);
        let d = &summary.by_disaster[0];
        (d.figures.p_rto_met, d.figures.meets_objectives)
    };
    assert_eq!(verdict(Clock::Disaster), (0.0, false));
    assert_eq!(verdict(Clock::Detection), (1.0, true));
}

/// RTO at several shares: one of six instances dies and stays in the ALB's rotation
/// until (2-1) x 30 s plus the check phase, so 5/6 = 83% of requests succeed meanwhile
/// (the others carry 833 of their 1250 req/s): 50% is never lost (RTO 0), 90% comes back
/// with the 99% recovery threshold, when the ALB takes the target out (sources.md#alb-target-group-health).
#[test]
fn the_rto_at_each_share_follows_the_share_of_requests_failing() {
    let mut model = web_app(disaster(DisasterKind::InstanceFailure, 0));
    model.simulation.rto_thresholds = vec![0.5, 0.9];
    for o in run(&model, 200) {
        assert!((30.0..60.0).contains(&seconds(o.rto)), "{:?}", o.rto);
        assert_eq!(o.rto_at[..3], [Some(0), o.rto, None]);
    }
}

/// A region outage of us-east-1 with an Aurora Global secondary in us-west-2, managed
/// failover (FailoverGlobalCluster with AllowDataLoss, docs/sources.md#aurora-global-rto),
/// replication lag 3 s.
fn aurora_global_outage(duration: Millis) -> Model {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, duration));
    model.database.kind = DbKind::Aurora;
    model.database.cross_region = CrossRegion::AuroraGlobal { region: 1 };
    model.database.replication_lag = fixed(3 * SECOND);
    model.database.promotion_time = fixed(10 * MINUTE);
    model.database.failback_time = fixed(HOUR);
    model
}

/// A failover step that has started is not undone. The region comes back after 20 min,
/// while the managed failover started at 15 min (alarm 5 m + decision 10 m) still runs
/// (10 min): a promotion cannot be called off ("Failing over ... can result in a loss of
/// write transaction data that wasn't replicated to the chosen secondary", API
/// FailoverGlobalCluster; docs/sources.md#aurora-global-rto). The old writer stays fenced
/// (writes there would be lost to the new one: split brain), so nothing is served from
/// 20 min until the promotion completes at 25 min, when both regions (6 instances each,
/// 1500 rps for 1000) serve on the new writer: RTO 25 min exactly. The lag at the failure
/// is lost: RPO 3 s. The failover was not needed, and the writer now lives in us-west-2:
/// a planned fail-back of 1 h (`failback_time`) is reported apart, on the trace as its
/// own phase from 25 min. Undoing the promotion (the former behaviour) gives RTO 20 min
/// and RPO 0, and no fail-back.
#[test]
fn a_promotion_under_way_completes_when_the_outage_ends_first() {
    let model = aurora_global_outage(20 * MINUTE);
    for o in run(&model, 200) {
        assert_eq!(o.rto, Some(25 * MINUTE), "{o:?}");
        assert_eq!(o.rpo, Some(3 * SECOND), "{o:?}");
        assert!(o.unneeded_failover, "{o:?}");
        assert_eq!(o.failback, Some(HOUR), "{o:?}");
    }
    let (_, trace) = drsim::sim::trial::TrialSimulator::new(&model).trace(0);
    let failback: Vec<_> = (trace.spans.iter())
        .filter(|s| s.phase == drsim::sim::trace::Phase::FailBack)
        .map(|s| (s.start, s.end))
        .collect();
    assert_eq!(failback, [(25 * MINUTE, 25 * MINUTE + HOUR)]);
}

/// The same failover when the outage lasts (7 days): it was needed, completes at 25 min,
/// and loses the 3 s lag; the fail-back (1 h) can only start when us-east-1 is back, at
/// 7 days. An outage that ends before anyone decides (10 min < 15 min) starts no
/// promotion: nothing is lost, service returns in place when it ends (RTO 10 min), no
/// fail-back. A multi-writer store keeps writing in us-west-2 at once and needs no
/// fail-back (the home writer catches up).
#[test]
fn a_fail_back_is_needed_only_after_a_promotion() {
    let model = aurora_global_outage(7 * DAY);
    let (o, trace) = drsim::sim::trial::TrialSimulator::new(&model).trace(0);
    assert_eq!(
        (o.rpo, o.failback, o.unneeded_failover),
        (Some(3 * SECOND), Some(HOUR), false)
    );
    let starts: Vec<Millis> = (trace.spans.iter())
        .filter(|s| s.phase == drsim::sim::trace::Phase::FailBack)
        .map(|s| s.start)
        .collect();
    assert_eq!(starts, [7 * DAY]);
    let short = aurora_global_outage(10 * MINUTE);
    for o in run(&short, 100) {
        assert_eq!(
            (o.rto, o.rpo, o.failback),
            (Some(10 * MINUTE), Some(0), None),
            "{o:?}"
        );
        assert!(!o.unneeded_failover);
    }
    let mut multi = aurora_global_outage(7 * DAY);
    multi.database.cross_region = CrossRegion::MultiWriter { region: 1 };
    for o in run(&multi, 100) {
        assert_eq!((o.rpo, o.failback), (Some(3 * SECOND), None), "{o:?}");
    }
}

/// Detach and promote (RemoveFromGlobalCluster: "The cluster becomes a standalone cluster
/// with read-write capability", docs/sources.md#aurora-global-detach): the application
/// must reach the new cluster's endpoint, through its DNS cache (60 s) and after its
/// connection attempt to the old, silent writer times out (10 s), as after an in-region
/// failover ("Setting the JVM TTL for DNS name lookups", docs/sources.md#rds-jvm-dns-ttl).
/// Shallow health checks, so routing moves to us-west-2 within minutes whatever the
/// database does. The writer is back at 15 min + 5 min; requests succeed again at
/// 20 min + 10 s + U[0, 60 s): RTO uniform on [1210 s, 1270 s), mean 1240 s. Without the
/// application's repointing the RTO would be 1200 s in every trial.
#[test]
fn the_application_follows_a_promoted_writer_through_its_cache() {
    let mut model = aurora_global_outage(7 * DAY);
    model.database.global_failover = GlobalFailover::DetachAndPromote;
    model.database.promotion_time = fixed(5 * MINUTE);
    model.workload.db_client.dns_cache = 60 * SECOND;
    model.workload.db_client.connect_timeout = 10 * SECOND;
    for region in &mut model.regions {
        region.alb.deep_health_check = false;
    }
    let rtos: Vec<f64> = run(&model, 4000).iter().map(|o| seconds(o.rto)).collect();
    assert!(
        rtos.iter().all(|&r| (1210.0..1270.0).contains(&r)),
        "{:?}",
        rtos.iter().find(|&&r| !(1210.0..1270.0).contains(&r))
    );
    let (mean, tol) = mean_and_tolerance(&rtos);
    assert!((mean - 1240.0).abs() < tol, "mean {mean} +- {tol}");
}

/// RDS cross-Region automated backups ("Replicating automated backups to another AWS
/// Region": RDS "initiates a cross-Region copy of all snapshots and transaction logs as
/// soon as they are ready", docs/sources.md#rds-cross-region-backups). The region is
/// lost; no replica, so the database is restored in us-west-2. Logs are shipped every
/// 5 min and each reaches us-west-2 2 min later. The last shipment is U[0, 5 min) old at
/// the loss: if at least 2 min old it had arrived (RPO = its age, in [2, 5) min), else
/// the one before it is the newest there (RPO = age + 5 min, in [5, 7) min): RPO uniform
/// on [2 min, 7 min), mean 4.5 min. Copying only the hourly snapshots (10 min each) gives
/// RPO in [10 min, 70 min).
#[test]
fn cross_region_automated_backups_restore_to_a_point_in_time() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    let backups = model.backups.as_mut().unwrap();
    backups.point_in_time = Some(5 * MINUTE);
    backups.copy.as_mut().unwrap().log_lag = Some(fixed(2 * MINUTE));
    let rpos: Vec<f64> = run(&model, 4000)
        .iter()
        .map(|o| o.rpo.expect("a copied log survives") as f64 / MINUTE as f64)
        .collect();
    assert!(
        rpos.iter().all(|&m| (2.0..7.0).contains(&m)),
        "{:?}",
        rpos.iter().find(|&&m| !(2.0..7.0).contains(&m))
    );
    let (mean, tol) = mean_and_tolerance(&rpos);
    assert!((mean - 4.5).abs() < tol, "mean {mean} +- {tol}");
}
