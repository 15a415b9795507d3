//! Correlated and global events (issue #11): the recovery region impaired with the
//! region it takes over from, a bad deploy rolled back in every region, and the
//! recovery after an account-wide compromise.

use super::{DataLoss, Event, RecoveryEvent, World, cx};
use crate::model::units::format_duration;
use crate::model::{Millis, dist};
use crate::sim::components::backup::{self, RestoreNeed};
use crate::sim::engine::{Scheduler, TrialRng};
use crate::sim::trace::Phase;

impl World<'_> {
    /// A region outage also impairs the regions taking over, with the model's
    /// probability (`recovery.recovery_region`): their launches needing EC2 capacity
    /// are refused until the impairment ends (see `Fleet::top_up`).
    pub(super) fn impair_recovery_regions(&mut self) {
        let impairment = &self.model.recovery.recovery_region;
        // Draws nothing unless it can happen, so other models keep their random streams.
        if impairment.probability <= 0.0 || dist::unit(&mut self.rng) >= impairment.probability {
            return;
        }
        self.impaired_until = impairment.impaired_for.sample(&mut self.rng);
        let lasts = format_duration(self.impaired_until as f64);
        self.trace.note(0, None, || {
            format!(
                "the recovery region is impaired too: launches needing capacity are refused for {lasts}"
            )
        });
    }

    /// Rolls a bad deploy back in every region: a traffic shift back to the previous
    /// version's target group with blue/green, else a redeploy of the previous version
    /// through infrastructure as code (taking `redeploy` the first time, failing and
    /// retried as `recovery.iac_failure` says).
    pub(super) fn roll_back(&mut self, redeploy: Millis, s: &mut Scheduler<Event>) {
        let model = self.model;
        let recovery = &model.recovery;
        if recovery.rollback.blue_green {
            let shift = recovery.rollback.shift_time.sample(&mut self.rng);
            cx!(self, s).activity(
                shift,
                RecoveryEvent::RolledBack,
                Phase::Capacity,
                || "load balancers".into(),
                || "blue/green: listeners shift traffic back to the previous version".into(),
            );
            return;
        }
        let mut first = Some(redeploy);
        let label = || "infrastructure as code redeploys the previous version everywhere".into();
        let duration = |rng: &mut TrialRng| {
            first
                .take()
                .unwrap_or_else(|| recovery.iac_redeploy_time.sample(rng))
        };
        self.deploy_with_iac(s, label, duration, RecoveryEvent::RolledBack);
    }

    /// Every region runs the previous version again.
    pub(super) fn rolled_back(&mut self, now: Millis) {
        self.rolled_back = true;
        self.trace.note(now, None, || {
            "bad deploy rolled back in every region".into()
        });
    }

    /// After an account-wide compromise: restore the database where recovery points
    /// survived (a compliance-mode vault, or the copies in another account) and deploy
    /// the stack there; without either, the data is lost.
    pub(super) fn recover_account(&mut self, redeploy: Millis, s: &mut Scheduler<Event>) {
        let model = self.model;
        let surviving = model
            .backups
            .as_ref()
            .and_then(|b| Some((b, backup::after_account_compromise(b)?)));
        let Some((backups, surviving)) = surviving else {
            self.trace.note(s.now(), None, || {
                "the attacker deleted every recovery point the account holds \
                 (no compliance-mode Vault Lock, no copy in another account)"
                    .into()
            });
            self.data = DataLoss::Lost;
            return;
        };
        let now = s.now() as i64;
        let need = RestoreNeed {
            from_copy: surviving.from_copy,
            deadline: now,
            restore_start: now,
            deleted_by_attacker: false,
            corruption: true,
        };
        let Some(point) = backup::recovery_point(backups, need, &mut self.rng) else {
            self.data = DataLoss::Lost;
            return;
        };
        let r = surviving.region;
        let (name, kept) = (&model.regions[r].name, surviving.from_copy);
        self.trace.note(s.now(), None, || {
            let what = if kept {
                "the copies in another account"
            } else {
                "the compliance-mode vault"
            };
            format!("recovery points survived in {what} ({name})")
        });
        self.pending_restore_rpo = point.rpo;
        let needed = self.needed_for(r, 1.0);
        let max = model.regions[r].asg.max;
        self.regions[r].fleet.raise_target(needed, max);
        self.schedule_restore(s, r);
        self.redeploy_stack(s, r, redeploy);
    }
}
