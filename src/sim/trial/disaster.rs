//! The disaster striking, and the failure ending by itself.

use super::{DataLoss, Event, World, cx};
use crate::model::{DisasterKind, Millis, NatLayout, RegionId, Signal};
use crate::sim::components::backup::RestoreNeed;
use crate::sim::components::database::{self, DbEvent};
use crate::sim::components::operators::{self, OperatorEvent};
use crate::sim::engine::Scheduler;
use crate::sim::trace::Phase;

/// The disaster's own events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DisasterEvent {
    /// The disaster strikes (time 0).
    Strike,
    /// The outage is over by itself (AZ, region, NAT).
    FailureEnds,
}

impl World<'_> {
    pub(super) fn on_disaster(&mut self, event: DisasterEvent, s: &mut Scheduler<Event>) {
        match event {
            DisasterEvent::Strike => self.strike(s),
            DisasterEvent::FailureEnds => self.failure_ends(s),
        }
    }

    fn strike(&mut self, s: &mut Scheduler<Event>) {
        let (r, az) = (self.struck_region, self.struck_az);
        let disaster = &self.model.disasters[self.disaster];
        let model = self.model;
        let (detect, signal) = operators::detection_delay(&model.recovery, disaster, &mut self.rng);
        self.signal = signal;
        self.struck = true;
        let place = &model.regions[r].name;
        let az_name = &model.regions[r].azs[az];
        self.trace.note(0, None, || {
            format!(
                "{}: {} strikes {place} ({az_name})",
                disaster.name,
                disaster.kind.name()
            )
        });
        match self.kind {
            DisasterKind::InstanceFailure => {
                self.data = DataLoss::Window(0);
                self.kill_one_instance(r, s);
            }
            DisasterKind::AzOutage => {
                let db_here = self.db.region == r && self.db.az == az;
                self.data = if db_here && !database::fails_over_in_region(&model.database) {
                    DataLoss::Open
                } else {
                    DataLoss::Window(0)
                };
                self.regions[r].az_up[az] = false;
                let fleet = &mut self.regions[r].fleet;
                fleet.dead[az] = fleet.routed[az];
                let count = fleet.routed[az];
                self.alb_removes_dead_targets(s, r, az, count);
                if db_here {
                    self.db_writer_fails(s);
                }
                self.park_unreachable(r, s);
                self.start_outage_clocks(s, detect);
            }
            DisasterKind::NatGatewayFailure => {
                self.data = DataLoss::Window(0);
                self.regions[r].nat_failed[az] = true;
                self.park_unreachable(r, s);
                self.start_outage_clocks(s, detect);
            }
            DisasterKind::DbPrimaryFailure => {
                self.data = DataLoss::Window(0);
                self.db_writer_fails(s);
            }
            DisasterKind::RegionOutage => {
                self.data = if self.db.region == r {
                    DataLoss::Open
                } else {
                    DataLoss::Window(0)
                };
                let state = &mut self.regions[r];
                state.alive = false;
                state.fleet.void_in_flight(s);
                state.fleet.launching.iter_mut().for_each(|n| *n = 0);
                if self.db.region == r {
                    self.writer_region_lost(r);
                }
                self.impair_recovery_regions();
                self.start_outage_clocks(s, detect);
            }
            DisasterKind::DataCorruption => {
                self.db.corrupt = true;
                self.raise_alarm_after(s, detect);
            }
            DisasterKind::Ransomware => {
                self.db.corrupt = true;
                self.regions[r].out_of_service = true;
                self.raise_alarm_after(s, detect);
            }
            DisasterKind::LatencyInjection => {
                self.data = DataLoss::Window(0);
                self.start_outage_clocks(s, detect);
            }
            DisasterKind::BadDeploy => {
                self.data = DataLoss::Window(0);
                self.raise_alarm_after(s, detect);
            }
            DisasterKind::AccountCompromise => {
                // The attacker deletes the database (and its copies in the account) and
                // every stack the account runs.
                self.db.corrupt = true;
                self.regions
                    .iter_mut()
                    .for_each(|r| r.out_of_service = true);
                self.raise_alarm_after(s, detect);
            }
        }
    }

    /// Ransomware went for the bucket too: its objects come back only from versions
    /// under a compliance lock still in retention when people act, `now`.
    fn objects_ransomed(&mut self, now: Millis) {
        let protection = self.model.object_storage.protection;
        if protection.survives_ransomware(now) {
            return;
        }
        self.objects_lost = true;
        self.data = DataLoss::Lost;
        self.trace.note(now, None, || {
            "objects overwritten and their versions deleted by the attacker: lost".into()
        });
    }

    /// Share of the requests to region `r` the disaster fails although its instances,
    /// load balancer and health checks look fine (a grey failure): 0 for the others.
    pub(super) fn failing_share(&self, r: RegionId) -> f64 {
        let fails = match self.kind {
            DisasterKind::LatencyInjection => r == self.struck_region && !self.failure_over,
            // Every region runs the bad version until it is rolled back.
            DisasterKind::BadDeploy => !self.rolled_back,
            DisasterKind::InstanceFailure
            | DisasterKind::AzOutage
            | DisasterKind::NatGatewayFailure
            | DisasterKind::DbPrimaryFailure
            | DisasterKind::RegionOutage
            | DisasterKind::DataCorruption
            | DisasterKind::Ransomware
            | DisasterKind::AccountCompromise => false,
        };
        if fails {
            self.model.disasters[self.disaster].grey_share
        } else {
            0.0
        }
    }

    /// Whether region `r`'s health checks see the grey failure and fail: a disaster
    /// with `fails_health_checks` while it fails requests there.
    pub(super) fn grey_seen_by_health_checks(&self, r: RegionId) -> bool {
        self.struck
            && self.model.disasters[self.disaster].grey_fails_health_checks
            && self.failing_share(r) > 0.0
    }

    /// Someone (or something) notices the failure after `delay`.
    fn raise_alarm_after(&mut self, s: &mut Scheduler<Event>, delay: Millis) {
        let how = match self.signal {
            Signal::Alarm => "failure noticed (alarm)",
            Signal::CustomerReport => "failure noticed (customers report errors)",
        };
        cx!(self, s).activity(
            delay,
            OperatorEvent::Detected,
            Phase::Detection,
            || "people".into(),
            || how.into(),
        );
    }

    /// An outage's two clocks: the alarm after `detect`, and its end by itself after a
    /// duration drawn from the disaster's distribution.
    fn start_outage_clocks(&mut self, s: &mut Scheduler<Event>, detect: Millis) {
        self.raise_alarm_after(s, detect);
        let disaster = &self.model.disasters[self.disaster];
        let duration = disaster.duration.sample(&mut self.rng);
        let kind = disaster.kind.name();
        cx!(self, s).activity(
            duration,
            DisasterEvent::FailureEnds,
            Phase::Fault,
            || "failure".into(),
            || format!("{kind} lasts"),
        );
    }

    /// The writer's region is gone: another writer carries on at once, losing what had
    /// not replicated yet; otherwise writes stop until a failover.
    fn writer_region_lost(&mut self, r: RegionId) {
        match database::other_writer(&self.model.database).filter(|&w| w != r) {
            Some(other) => {
                let lag = self.model.database.replication_lag.sample(&mut self.rng);
                let objects = self.object_window(other, lag);
                self.move_writer(other, 0); // at the strike
                self.set_data_window(lag.max(objects));
            }
            None => self.db.up = false,
        }
    }

    /// The writer is lost: a standby in another AZ takes over on its own, a single
    /// instance is repaired in place unless its AZ is gone.
    fn db_writer_fails(&mut self, s: &mut Scheduler<Event>) {
        let db = &self.model.database;
        self.db.up = false;
        let az_lost = self.kind == DisasterKind::AzOutage;
        let (delay, label) = if database::fails_over_in_region(db) {
            let delay = db.failover_time.sample(&mut self.rng);
            (delay, "in-region failover to the standby")
        } else if !az_lost {
            let delay = db.repair_time.sample(&mut self.rng);
            (delay, "repair of the single instance")
        } else {
            return;
        };
        cx!(self, s).activity(
            delay,
            DbEvent::Recovered,
            Phase::Data,
            || "database".into(),
            || label.into(),
        );
    }

    fn failure_ends(&mut self, s: &mut Scheduler<Event>) {
        self.failure_over = true;
        let (r, az) = (self.struck_region, self.struck_az);
        match self.kind {
            DisasterKind::AzOutage => {
                let state = &mut self.regions[r];
                state.az_up[az] = true;
                state.fleet.dead[az] = 0;
                if self.db.region == r && self.db.az == az {
                    self.db.up = true;
                }
            }
            DisasterKind::RegionOutage => {
                self.regions[r].alive = true;
                if self.db.region == r {
                    self.old_writer_back(s.now());
                }
                self.top_up(r, s);
            }
            DisasterKind::NatGatewayFailure => self.regions[r].nat_failed[az] = false,
            // Requests succeed again (see `failing_share`); a drained region stays
            // drained: failing back is a decision of its own.
            DisasterKind::LatencyInjection => {}
            // These have no duration: nothing of theirs ends by itself.
            DisasterKind::InstanceFailure
            | DisasterKind::DbPrimaryFailure
            | DisasterKind::DataCorruption
            | DisasterKind::Ransomware
            | DisasterKind::BadDeploy
            | DisasterKind::AccountCompromise => {}
        }
        if self.data == DataLoss::Open && !self.promoting {
            self.data = DataLoss::Window(0);
        }
        self.failure_ended_at = Some(s.now());
        self.unpark_all(r, s);
    }

    /// The writer's region is back. Unless a promotion of the copy has started, the old
    /// writer takes writes again; if one has, the old writer stays fenced: writes taken
    /// there would be lost to the promoted copy (split brain).
    fn old_writer_back(&mut self, now: Millis) {
        if !self.promoting {
            self.db.up = true;
            return;
        }
        self.trace.note(now, None, || {
            "the old writer is back, but the promotion under way cannot be undone: \
             it stays fenced (writes there would split the brain)"
                .into()
        });
    }

    /// What people (or automation) do about this disaster once they decide; `redeploy`
    /// is how long infrastructure as code would take.
    pub(super) fn fail_over(&mut self, redeploy: Millis, s: &mut Scheduler<Event>) {
        let model = self.model;
        let (r, az) = (self.struck_region, self.struck_az);
        match self.kind {
            DisasterKind::RegionOutage => {
                if !self.failure_over {
                    self.fail_over_app(r, redeploy, s);
                    if self.db.region == r && !self.db.up {
                        self.fail_over_data(r, s);
                    }
                }
            }
            DisasterKind::AzOutage => {
                if !self.failure_over {
                    if self.db.region == r && self.db.az == az && !self.db.up {
                        let need = RestoreNeed {
                            from_copy: false,
                            deadline: 0,
                            restore_start: s.now() as i64,
                            deleted_by_attacker: false,
                            corruption: false,
                        };
                        self.restore_in_place(need, s);
                    }
                    if matches!(model.regions[r].nat, NatLayout::Single(at) if at == az) {
                        self.replace_nat(s, r, az);
                    }
                }
            }
            DisasterKind::NatGatewayFailure => {
                if !self.failure_over {
                    self.replace_nat(s, r, az);
                }
            }
            DisasterKind::DataCorruption | DisasterKind::Ransomware => {
                let ransomware = self.kind == DisasterKind::Ransomware;
                let now = s.now() as i64;
                let need = RestoreNeed {
                    from_copy: false,
                    deadline: now,
                    restore_start: now,
                    deleted_by_attacker: ransomware,
                    corruption: true,
                };
                self.restore_in_place(need, s);
                if ransomware {
                    self.objects_ransomed(s.now());
                    self.redeploy_stack(s, r, redeploy);
                }
            }
            DisasterKind::LatencyInjection => {
                if !self.failure_over {
                    // Health checks stay green: people drain the region, which fails
                    // its endpoint (it serves the clients still coming meanwhile), and
                    // scale up where traffic goes.
                    self.regions[r].drained = true;
                    self.fail_over_app(r, redeploy, s);
                }
            }
            // Failing over does not help: every region runs the bad version.
            DisasterKind::BadDeploy => self.roll_back(redeploy, s),
            DisasterKind::AccountCompromise => self.recover_account(redeploy, s),
            // The ALB and the ASG replace an instance, the in-region standby takes over
            // from the writer: nobody's decision is needed.
            DisasterKind::InstanceFailure | DisasterKind::DbPrimaryFailure => {}
        }
    }
}
