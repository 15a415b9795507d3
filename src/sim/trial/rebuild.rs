//! Bringing a region up as a small dependency graph of steps.
//!
//! In a region with nothing deployed, infrastructure as code builds the network first
//! (VPC, subnets, route tables, NAT gateways, and the DB subnet group a database restore
//! needs). The database restore and the application stack both need only the network,
//! so they start together once it is built and run side by side. DNS is the last step:
//! Route 53 moves clients once the region's health check passes, which (deep check)
//! needs the stack healthy and the database up; the routing component does that step
//! on its own. So service is back after `network + max(restore, stack) + DNS`, not the
//! sum of the three.
//!
//! In a deployed region (or pilot light) the network exists: the steps start at once.

use super::{Event, RecoveryEvent, RecoveryStep, World, cx};
use crate::model::hybrid::BackupPath;
use crate::model::{Millis, RegionId, dist};
use crate::sim::components::backup;
use crate::sim::components::database::DbEvent;
use crate::sim::engine::{Scheduler, TrialRng};
use crate::sim::trace::Phase;

/// A step of bringing a region up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Infrastructure as code builds the network (and the DB subnet group).
    Network,
    /// The database is restored from a recovery point.
    Restore,
    /// Infrastructure as code deploys the application stack (ALB, launch template, ASG).
    Stack,
}

impl Step {
    const ALL: [Step; 3] = [Step::Network, Step::Restore, Step::Stack];

    fn index(self) -> usize {
        match self {
            Step::Network => 0,
            Step::Restore => 1,
            Step::Stack => 2,
        }
    }

    /// The steps that must be finished before this one starts.
    pub fn needs(self) -> &'static [Step] {
        match self {
            Step::Network => &[],
            Step::Restore | Step::Stack => &[Step::Network],
        }
    }
}

/// Which steps of a region's rebuild are wanted, started and finished (fixed size: no
/// allocation per trial).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    wanted: [bool; 3],
    started: [bool; 3],
    done: [bool; 3],
    /// How long the stack takes once it starts (drawn when people decide).
    stack_delay: Millis,
}

impl Plan {
    /// A region's plan before any disaster: its network exists unless nothing is deployed.
    pub fn new(network_built: bool) -> Plan {
        let mut plan = Plan::default();
        if network_built {
            plan.wanted[0] = true;
            plan.started[0] = true;
            plan.done[0] = true;
        }
        plan
    }

    /// Asks for `step` and, transitively, every step it needs.
    pub fn want(&mut self, step: Step) {
        self.wanted[step.index()] = true;
        for &need in step.needs() {
            self.want(need);
        }
    }

    /// `step` finished. A finished step can be asked for again (a second restore).
    pub fn finish(&mut self, step: Step) {
        let i = step.index();
        self.done[i] = true;
        if step != Step::Network {
            self.wanted[i] = false;
            self.started[i] = false;
            self.done[i] = false;
        }
    }

    /// Whether `step` has finished (for the network: whether it exists).
    pub fn is_done(&self, step: Step) -> bool {
        self.done[step.index()]
    }

    /// The next step that is wanted, not started, and whose needs are all finished;
    /// marked started.
    pub fn next_ready(&mut self) -> Option<Step> {
        let step = Step::ALL.into_iter().find(|&step| {
            let i = step.index();
            self.wanted[i]
                && !self.started[i]
                && step.needs().iter().all(|&need| self.is_done(need))
        })?;
        self.started[step.index()] = true;
        Some(step)
    }
}

impl World<'_> {
    /// Infrastructure as code (re)deploys region `r`'s application stack, taking `delay`
    /// once the region's network exists.
    pub(super) fn redeploy_stack(&mut self, s: &mut Scheduler<Event>, r: RegionId, delay: Millis) {
        self.regions[r].rebuild.stack_delay = delay;
        self.request_step(s, r, Step::Stack);
    }

    /// A restore into region `r` from the recovery point chosen, once the region's
    /// network (its DB subnet group) exists.
    pub(super) fn schedule_restore(&mut self, s: &mut Scheduler<Event>, r: RegionId) {
        self.request_step(s, r, Step::Restore);
    }

    fn request_step(&mut self, s: &mut Scheduler<Event>, r: RegionId, step: Step) {
        self.regions[r].rebuild.want(step);
        self.start_ready_steps(s, r);
    }

    /// Starts every step of region `r` whose needs are met: the parallel parts together.
    pub(super) fn start_ready_steps(&mut self, s: &mut Scheduler<Event>, r: RegionId) {
        while let Some(step) = self.regions[r].rebuild.next_ready() {
            self.start_step(s, r, step);
        }
    }

    /// Region `r`'s network is built: what waited for it starts.
    pub(super) fn network_built(&mut self, s: &mut Scheduler<Event>, r: RegionId) {
        self.regions[r].rebuild.finish(Step::Network);
        let name = &self.model.regions[r].name;
        self.trace
            .note(s.now(), None, || format!("network built in {name}"));
        self.start_ready_steps(s, r);
    }

    /// Starts `step` in region `r`. Each step can fail and be retried
    /// (`recovery.iac_failure`, `recovery.database_failure`): its event comes after the
    /// attempt that succeeds, or never if people give up. Infrastructure as code first
    /// waits for an impaired control plane (`recovery.control_plane`); the restore is
    /// taken as the recovery region's own database API, which it does not stall.
    fn start_step(&mut self, s: &mut Scheduler<Event>, r: RegionId, step: Step) {
        let model = self.model;
        let recovery = &model.recovery;
        let name = &model.regions[r].name;
        let now = s.now();
        match step {
            Step::Network => {
                let label = || {
                    format!(
                        "infrastructure as code builds the network of {name} (VPC, subnets, DB subnet group)"
                    )
                };
                let duration = |rng: &mut TrialRng| recovery.iac_network_time.sample(rng);
                let event = RecoveryEvent::NetworkBuilt { region: r as u16 };
                self.deploy_with_iac(s, label, duration, event);
            }
            Step::Restore => {
                let Some(backups) = &model.backups else {
                    return;
                };
                let data = model.workload.data_size_gb;
                let rate = self.restore_gb_per_hour(r, false);
                let label = || "restore from backup".to_string();
                let tries = self.attempt_step(
                    now,
                    (RecoveryStep::Database, &model.recovery.database_failure),
                    (Phase::Data, "database"),
                    label,
                    |rng| backup::restore_time_at(backups, data, rate, rng),
                );
                let Some(took) = tries.took else { return };
                cx!(self, s).activity_after(
                    tries.last_start,
                    took,
                    DbEvent::Restored { region: r as u16 },
                    Phase::Data,
                    || "database".into(),
                    label,
                );
            }
            Step::Stack => {
                // The first attempt takes the time drawn when people decided.
                let mut first = Some(self.regions[r].rebuild.stack_delay);
                let label = || format!("infrastructure as code deploys {name}");
                let duration = |rng: &mut TrialRng| {
                    first
                        .take()
                        .unwrap_or_else(|| recovery.iac_redeploy_time.sample(rng))
                };
                let event = RecoveryEvent::StackDeployed { region: r as u16 };
                self.deploy_with_iac(s, label, duration, event);
            }
        }
    }
}

impl World<'_> {
    /// The throughput of a restore into region `r`, GB per hour: the backups' own,
    /// unless the data crosses the hybrid link into the site (backups kept in AWS behind
    /// a Storage Gateway, or a fail-back home), which runs at the link's bandwidth:
    /// Direct Connect's, or the VPN's when this transfer finds DX down.
    pub(super) fn restore_gb_per_hour(&mut self, r: RegionId, failback: bool) -> f64 {
        let own = self
            .model
            .backups
            .as_ref()
            .map_or(1.0, |b| b.restore_gb_per_hour);
        let Some(hybrid) = &self.model.hybrid else {
            return own;
        };
        let stored_in_aws = hybrid.backups_over == BackupPath::StorageGateway;
        if r != hybrid.site || !(stored_in_aws || failback) {
            return own;
        }
        // Draws nothing unless DX can fail, so other models keep their random streams.
        let link = &hybrid.link;
        let dx_down = link.may_fail() && dist::unit(&mut self.rng) < link.dx_down_probability;
        link.gb_per_hour(dx_down)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_and_stack_wait_for_the_network_then_start_together() {
        let mut plan = Plan::new(false);
        plan.want(Step::Restore);
        plan.want(Step::Stack);
        assert_eq!(plan.next_ready(), Some(Step::Network));
        assert_eq!(plan.next_ready(), None, "both wait for the network");
        plan.finish(Step::Network);
        assert_eq!(plan.next_ready(), Some(Step::Restore));
        assert_eq!(plan.next_ready(), Some(Step::Stack));
        assert_eq!(plan.next_ready(), None);
    }

    #[test]
    fn a_deployed_region_starts_its_steps_at_once() {
        let mut plan = Plan::new(true);
        plan.want(Step::Stack);
        assert_eq!(plan.next_ready(), Some(Step::Stack));
        plan.finish(Step::Stack);
        plan.want(Step::Stack);
        assert_eq!(
            plan.next_ready(),
            Some(Step::Stack),
            "asked again after finishing"
        );
    }
}
