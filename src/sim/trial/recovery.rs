//! People and the failover: the decision, promotion, restore, redeploy, NAT replacement.

use super::{DataLoss, Event, World};
use crate::model::{AzId, DisasterKind, Millis, NatLayout, ObjectReplication, RegionId};
use crate::sim::components::backup::{self, RestoreNeed};
use crate::sim::components::{database, operators, routing};
use crate::sim::engine::Scheduler;

impl World<'_> {
    /// The alarm went off: people (or automation) take over.
    pub(super) fn detected(&mut self, s: &mut Scheduler<Event>) {
        let delay = operators::decision_delay(&self.model.recovery, &mut self.rng);
        let automated = self.model.recovery.automated;
        let now = s.now();
        self.note(now, || "alarm: failure detected".into());
        self.span(
            || "people".into(),
            now,
            now + delay,
            || {
                if automated {
                    "automation starts".into()
                } else {
                    "people decide to fail over".into()
                }
            },
        );
        s.schedule_in(delay, Event::Decided);
    }

    pub(super) fn decided(&mut self, s: &mut Scheduler<Event>) {
        let model = self.model;
        let (r, az) = (self.struck_region, self.struck_az);
        let redeploy = model.recovery.iac_redeploy_time.sample(&mut self.rng);
        match self.kind {
            DisasterKind::RegionOutage if !self.failure_over => {
                self.fail_over_app(r, redeploy, s);
                if self.db.region == r && !self.db.up {
                    self.fail_over_data(r, s);
                }
            }
            DisasterKind::AzOutage if !self.failure_over => {
                if self.db.region == r && self.db.az == az && !self.db.up {
                    self.restore_in_place(
                        RestoreNeed {
                            from_copy: false,
                            deadline: 0,
                            restore_start: s.now() as i64,
                            deleted_by_attacker: false,
                            corruption: false,
                        },
                        s,
                    );
                }
                if matches!(model.regions[r].nat, NatLayout::Single(at) if at == az) {
                    self.replace_nat(s, r, az);
                }
            }
            DisasterKind::NatGatewayFailure if !self.failure_over => self.replace_nat(s, r, az),
            DisasterKind::DataCorruption | DisasterKind::Ransomware => {
                let ransomware = self.kind == DisasterKind::Ransomware;
                let now = s.now() as i64;
                self.restore_in_place(
                    RestoreNeed {
                        from_copy: false,
                        deadline: now,
                        restore_start: now,
                        deleted_by_attacker: ransomware,
                        corruption: true,
                    },
                    s,
                );
                if ransomware {
                    self.redeploy_stack(s, r, redeploy);
                }
            }
            _ => {}
        }
    }

    /// Infrastructure as code rebuilds region `r`'s stack, done after `delay`.
    fn redeploy_stack(&mut self, s: &mut Scheduler<Event>, r: RegionId, delay: Millis) {
        let name = &self.model.regions[r].name;
        let event = Event::StackDeployed { region: r as u16 };
        self.schedule_activity(s, delay, event, "infrastructure", || {
            format!("infrastructure as code deploys {name}")
        });
    }

    /// People replace the NAT gateway of `az` (into a live AZ) and fix the route tables.
    fn replace_nat(&mut self, s: &mut Scheduler<Event>, r: RegionId, az: AzId) {
        let delay = self
            .model
            .recovery
            .nat_replacement_time
            .sample(&mut self.rng);
        let event = Event::NatReplaced {
            region: r as u16,
            az: az as u16,
        };
        self.schedule_activity(s, delay, event, "network", || {
            "replace the NAT gateway, update route tables".into()
        });
    }

    /// Brings up capacity where traffic goes once region `lost` is routed away.
    pub(super) fn fail_over_app(
        &mut self,
        lost: RegionId,
        redeploy: Millis,
        s: &mut Scheduler<Event>,
    ) {
        let n = self.model.regions.len();
        self.healthy_scratch
            .iter_mut()
            .enumerate()
            .for_each(|(r, h)| *h = r != lost);
        routing::answer(self.model, &self.healthy_scratch, &mut self.scratch);
        for r in 0..n {
            if r == lost || self.scratch[r] <= 0.0 {
                continue;
            }
            let needed = self.needed_for(r, self.scratch[r]);
            if self.regions[r].deployed {
                self.set_target(r, needed, s);
            } else {
                self.regions[r].fleet.target = needed;
                self.redeploy_stack(s, r, redeploy);
            }
        }
    }

    /// Moves the writer out of region `lost`: promote the cross-region copy, else
    /// restore the latest copied backup, else wait for the region.
    pub(super) fn fail_over_data(&mut self, lost: RegionId, s: &mut Scheduler<Event>) {
        let model = self.model;
        if let Some(replica) = database::replica_region(&model.database).filter(|&rr| rr != lost) {
            let delay = model.database.promotion_time.sample(&mut self.rng);
            self.schedule_activity(
                s,
                delay,
                Event::DbPromoted {
                    region: replica as u16,
                },
                "database",
                || {
                    format!(
                        "promote the cross-region copy in {}",
                        model.regions[replica].name
                    )
                },
            );
            return;
        }
        let Some(backups) = &model.backups else {
            return;
        };
        let Some(copy) = backups.copy.as_ref().filter(|c| c.region != lost) else {
            return;
        };
        let need = RestoreNeed {
            from_copy: true,
            deadline: 0,
            restore_start: s.now() as i64,
            deleted_by_attacker: false,
            corruption: false,
        };
        if let Some(point) = backup::recovery_point(backups, need, &mut self.rng) {
            self.pending_restore_rpo = point.rpo;
            let delay = backup::restore_time(backups, model.workload.data_size_gb, &mut self.rng);
            self.schedule_activity(
                s,
                delay,
                Event::DbRestored {
                    region: copy.region as u16,
                },
                "database",
                || "restore from backup".into(),
            );
        }
    }

    /// Restores the database in its own region from the best clean recovery point.
    pub(super) fn restore_in_place(&mut self, need: RestoreNeed, s: &mut Scheduler<Event>) {
        let model = self.model;
        let point = model
            .backups
            .as_ref()
            .and_then(|b| backup::recovery_point(b, need, &mut self.rng));
        match (point, &model.backups) {
            (Some(point), Some(backups)) => {
                self.pending_restore_rpo = point.rpo;
                let delay =
                    backup::restore_time(backups, model.workload.data_size_gb, &mut self.rng);
                self.schedule_activity(
                    s,
                    delay,
                    Event::DbRestored {
                        region: self.db.region as u16,
                    },
                    "database",
                    || "restore from backup".into(),
                );
            }
            _ if need.corruption => self.data = DataLoss::Lost,
            _ => {}
        }
    }

    /// A failover step finishing after the failure ended by itself is not carried out:
    /// service is back where it was, with nothing lost.
    pub(super) fn abandoned(&self) -> bool {
        self.failure_over
            && matches!(
                self.kind,
                DisasterKind::AzOutage | DisasterKind::RegionOutage
            )
    }

    pub(super) fn move_writer(&mut self, r: RegionId) {
        let az = self.regions[r].az_up.iter().position(|&up| up).unwrap_or(0);
        self.db.region = r;
        self.db.az = az;
        self.db.up = true;
    }

    pub(super) fn set_data_window(&mut self, window: Millis) {
        self.data = DataLoss::Window(window);
    }

    /// Extra window lost from object storage when service moves to region `to`.
    pub(super) fn object_window(&mut self, to: RegionId, db_window: Millis) -> Millis {
        let storage = &self.model.object_storage;
        match &storage.replication {
            ObjectReplication::Crr { lag, .. } if storage.replica_region == Some(to) => {
                lag.sample(&mut self.rng)
            }
            _ => db_window,
        }
    }

    /// In-region failover or repair finished.
    pub(super) fn db_recovered(&mut self, now: Millis) {
        if self.db.up {
            return;
        }
        self.db.up = true;
        let state = &self.regions[self.db.region];
        if !state.az_up[self.db.az] {
            self.db.az = state.az_up.iter().position(|&up| up).unwrap_or(self.db.az);
        }
        self.note(now, || {
            "database writer available again in its region".into()
        });
    }

    /// The cross-region copy became the writer.
    pub(super) fn db_promoted(&mut self, r: RegionId, now: Millis) {
        if self.abandoned() {
            return;
        }
        let lag = self.model.database.replication_lag.sample(&mut self.rng);
        let objects = self.object_window(r, lag);
        self.move_writer(r);
        self.set_data_window(lag.max(objects));
        let name = &self.model.regions[r].name;
        self.note(now, || {
            format!("database copy in {name} promoted to writer")
        });
    }

    /// A restore from backup finished; its recovery point decides the data loss.
    pub(super) fn db_restored(&mut self, r: RegionId, now: Millis) {
        if self.abandoned() {
            return;
        }
        let window = self.pending_restore_rpo;
        let objects = if r == self.model.database.region {
            window
        } else {
            self.object_window(r, window)
        };
        self.move_writer(r);
        self.db.corrupt = false;
        self.set_data_window(window.max(objects));
        let name = &self.model.regions[r].name;
        self.note(now, || format!("database restored in {name}"));
    }

    /// Infrastructure as code finished: a fresh, empty stack that launches its instances.
    pub(super) fn stack_deployed(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        let region_model = &self.model.regions[r];
        let state = &mut self.regions[r];
        state.deployed = true;
        state.compromised = false;
        state.epoch += 1;
        let target = state.fleet.target;
        state.fleet.reset(region_model, false);
        state.fleet.target = target;
        let name = &region_model.name;
        self.note(s.now(), || format!("stack deployed in {name}"));
        self.top_up(r, s);
    }

    /// A replacement NAT gateway is in place (in a live AZ for a single shared NAT).
    pub(super) fn nat_replaced(&mut self, r: RegionId, az: AzId, s: &mut Scheduler<Event>) {
        let state = &mut self.regions[r];
        if let Some(live) = state.az_up.iter().position(|&up| up) {
            state.nat_failed[az] = false;
            if state.single_nat_az == az && !state.az_up[az] {
                state.single_nat_az = live;
            }
        }
        self.note(s.now(), || "NAT gateway replaced".into());
        self.unpark_all(r, s);
    }
}
