//! One trial: one disaster simulated event by event against the model's components.
//!
//! The `World` holds each component's state and turns engine events into component
//! calls; after every instant it re-reads the service state (`settle`): health checks,
//! the routing answer, scaling alarms, and the share of requests succeeding, which the
//! [`Meter`] turns into RTO.
//!
//! | file | what happens there |
//! |---|---|
//! | `disaster.rs` | the strike and the failure ending by itself |
//! | `capacity.rs` | instances, load balancers, scaling, and the share of requests served |
//! | `traffic.rs` | routing health checks and clients moving between regions |
//! | `recovery.rs` | people's decision and the failover: promotion, restore, redeploy |
//! | `trace.rs` | the timeline of one trial, for `drsim trace` |

mod capacity;
mod disaster;
mod recovery;
mod trace;
mod traffic;

pub use trace::{Trace, TraceSpan};

use rand::Rng;

use crate::model::{AzId, Deployment, DisasterKind, Millis, Model, NatLayout, RegionId};
use crate::sim::components::asg::Fleet;
use crate::sim::components::database::DbState;
use crate::sim::engine::{Process, Scheduler, TrialRng, trial_rng};
use crate::sim::service::Meter;

/// What one trial measured. Times are from the disaster's start (for corruption and
/// ransomware: from the corruption's start).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrialOutcome {
    /// Index of the disaster in [`Model::disasters`].
    pub disaster: usize,
    /// Recovery time: until the share of successful requests is back at the threshold
    /// for good. `None`: not recovered within the horizon.
    pub rto: Option<Millis>,
    /// Data-loss window. `None`: no copy of the data survived (all of it lost).
    pub rpo: Option<Millis>,
    /// Until the first successful request after the disaster (`Some(0)` if some never failed).
    pub first_success: Option<Millis>,
    /// Until full nominal capacity is back in service.
    pub full_capacity: Option<Millis>,
    /// Events the engine handled in this trial.
    pub events: u64,
}

/// Everything that happens in a trial. Region and AZ indices are small.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    /// The disaster strikes (time 0).
    Strike,
    /// The outage is over by itself (AZ, region, NAT).
    FailureEnds,
    /// The ALB takes dead targets of an AZ out of rotation; the ASG replaces them.
    TargetsUnhealthy {
        region: u16,
        az: u16,
        count: u32,
        epoch: u32,
    },
    /// Deep health checks take live targets without outbound access out of rotation.
    TargetsParked { region: u16, az: u16 },
    /// Parked targets pass their health checks again.
    TargetsUnparked { region: u16, az: u16 },
    /// A launched instance is InService and healthy in the ALB.
    InstanceReady { region: u16, az: u16, epoch: u32 },
    /// A scale-out alarm fires.
    ScaleAlarm { region: u16 },
    /// An endpoint's routing health check changes status.
    HealthFlip { region: u16, generation: u32 },
    /// A new routing answer reaches the edge (DNS or accelerator).
    RoutingApplied { generation: u32 },
    /// The failure is noticed (alarm, or bad data found).
    Detected,
    /// The failover decision is taken (or automation starts it).
    Decided,
    /// In-region database failover or repair finished.
    DbRecovered,
    /// The cross-region copy was promoted to writer.
    DbPromoted { region: u16 },
    /// A restore from backup finished.
    DbRestored { region: u16 },
    /// Infrastructure as code finished deploying a region's stack.
    StackDeployed { region: u16 },
    /// A replacement NAT gateway is in place.
    NatReplaced { region: u16, az: u16 },
}

/// State of one region during a trial.
#[derive(Clone, Debug, Default)]
struct RegionState {
    alive: bool,
    deployed: bool,
    compromised: bool,
    /// Bumped when in-flight launches are lost (region down, stack rebuilt).
    epoch: u32,
    az_up: Vec<bool>,
    nat_failed: Vec<bool>,
    /// Where a single NAT gateway currently is (it can be replaced into another AZ).
    single_nat_az: AzId,
    fleet: Fleet,
}

/// What is known of the data loss so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DataLoss {
    /// Not decided yet: no copy has taken over, the original may come back.
    Open,
    /// The serving copy lacks this window.
    Window(Millis),
    /// No copy survived.
    Lost,
}

/// Routing state: endpoint health as Route 53 / the accelerator sees it, and clients
/// moving from one answer to the next.
#[derive(Clone, Debug, Default)]
struct RoutingState {
    status: Vec<bool>,
    heading_to: Vec<bool>,
    generation: Vec<u32>,
    /// Answer being (or last) published.
    published: Vec<f64>,
    publish_generation: u32,
    /// Distribution of clients when the current answer reached the edge.
    from: Vec<f64>,
    /// The current answer.
    to: Vec<f64>,
    switched_at: Millis,
}

/// One trial's state: the components and what the trial has learnt.
struct World<'m> {
    model: &'m Model,
    rng: TrialRng,
    disaster: usize,
    kind: DisasterKind,
    struck_region: RegionId,
    struck_az: AzId,
    failure_over: bool,
    regions: Vec<RegionState>,
    db: DbState,
    routing: RoutingState,
    data: DataLoss,
    pending_restore_rpo: Millis,
    meter: Option<Meter>,
    trace: Option<Trace>,
    /// Per region: instances in rotation that can serve (see `count_working`).
    working: Vec<u32>,
    scratch: Vec<f64>,
    healthy_scratch: Vec<bool>,
}

/// Runs trials of one model; keep one per thread and reuse it (no allocation per trial).
pub struct TrialSimulator<'m> {
    world: World<'m>,
    scheduler: Scheduler<Event>,
}

impl<'m> TrialSimulator<'m> {
    /// A simulator for `model`.
    pub fn new(model: &'m Model) -> Self {
        let world = World {
            model,
            rng: trial_rng(model.simulation.seed, 0),
            disaster: 0,
            kind: DisasterKind::InstanceFailure,
            struck_region: 0,
            struck_az: 0,
            failure_over: false,
            regions: vec![RegionState::default(); model.regions.len()],
            db: DbState::initial(&model.database),
            routing: RoutingState::default(),
            data: DataLoss::Open,
            pending_restore_rpo: 0,
            meter: None,
            trace: None,
            working: vec![0; model.regions.len()],
            scratch: vec![0.0; model.regions.len()],
            healthy_scratch: vec![false; model.regions.len()],
        };
        TrialSimulator {
            world,
            scheduler: Scheduler::with_capacity(64),
        }
    }

    /// Runs trial `trial`: disaster `trial % disasters`, randomness from (seed, trial).
    pub fn run(&mut self, trial: u64) -> TrialOutcome {
        self.world.trace = None;
        self.run_world(trial)
    }

    /// Runs trial `trial` as [`TrialSimulator::run`] does, recording its timeline. The
    /// outcome is the same: recording draws no random numbers.
    pub fn trace(&mut self, trial: u64) -> (TrialOutcome, Trace) {
        self.world.trace = Some(Trace::default());
        let outcome = self.run_world(trial);
        let mut trace = self.world.trace.take().expect("set above");
        trace.finish(self.world.model, &outcome);
        (outcome, trace)
    }

    fn run_world(&mut self, trial: u64) -> TrialOutcome {
        let world = &mut self.world;
        let model = world.model;
        world.reset(trial);
        self.scheduler.reset();
        self.scheduler.schedule_at(0, Event::Strike);
        let horizon = model.simulation.horizon;
        let events = self.scheduler.run(world, horizon);
        let verdict = world
            .meter
            .take()
            .expect("the strike settles the meter")
            .finish(&model.routing, horizon);
        let rpo = match world.data {
            DataLoss::Window(window) => Some(window),
            DataLoss::Open if world.failure_over => Some(0),
            DataLoss::Open | DataLoss::Lost => None,
        };
        TrialOutcome {
            disaster: world.disaster,
            rto: verdict.rto,
            rpo,
            first_success: verdict.first_success,
            full_capacity: verdict.full_capacity,
            events,
        }
    }
}

impl Process<Event> for World<'_> {
    fn handle(&mut self, event: Event, s: &mut Scheduler<Event>) {
        match event {
            Event::Strike => self.strike(s),
            Event::FailureEnds => self.failure_ends(s),
            Event::TargetsUnhealthy {
                region,
                az,
                count,
                epoch,
            } => self.targets_unhealthy(region as usize, az as usize, count, epoch, s),
            Event::TargetsParked { region, az } => {
                self.targets_parked(region as usize, az as usize)
            }
            Event::TargetsUnparked { region, az } => {
                self.targets_unparked(region as usize, az as usize)
            }
            Event::InstanceReady { region, az, epoch } => {
                self.instance_ready(region as usize, az as usize, epoch, s)
            }
            Event::ScaleAlarm { region } => self.scale_alarm(region as usize, s),
            Event::HealthFlip { region, generation } => {
                self.health_flip(region as usize, generation, s)
            }
            Event::RoutingApplied { generation } => self.routing_applied(generation, s.now()),
            Event::Detected => self.detected(s),
            Event::Decided => self.decided(s),
            Event::DbRecovered => self.db_recovered(s.now()),
            Event::DbPromoted { region } => self.db_promoted(region as usize, s.now()),
            Event::DbRestored { region } => self.db_restored(region as usize, s.now()),
            Event::StackDeployed { region } => self.stack_deployed(region as usize, s),
            Event::NatReplaced { region, az } => self.nat_replaced(region as usize, az as usize, s),
        }
    }

    fn settle(&mut self, s: &mut Scheduler<Event>) {
        self.count_working();
        self.check_endpoints(s);
        self.check_scaling(s);
        let piece = self.piece();
        if let Some(trace) = &mut self.trace {
            trace.pieces.push((s.now(), piece));
        }
        let threshold = self.model.simulation.recovery_threshold;
        match &mut self.meter {
            Some(meter) => meter.advance(&self.model.routing, s.now(), piece),
            None => self.meter = Some(Meter::new(threshold, piece)),
        }
    }
}

impl World<'_> {
    pub(super) fn reset(&mut self, trial: u64) {
        let model = self.model;
        self.rng = trial_rng(model.simulation.seed, trial);
        self.disaster = (trial % model.disasters.len() as u64) as usize;
        let disaster = &model.disasters[self.disaster];
        self.kind = disaster.kind;
        self.struck_region = disaster.region;
        let azs = model.regions[disaster.region].azs.len();
        self.struck_az = disaster
            .az
            .unwrap_or_else(|| (self.rng.next_u64() % azs as u64) as usize);
        self.failure_over = false;
        for (state, region) in self.regions.iter_mut().zip(&model.regions) {
            let n = region.azs.len();
            state.alive = true;
            state.deployed = region.deployment != Deployment::NotDeployed;
            state.compromised = false;
            state.epoch = 0;
            state.az_up.clear();
            state.az_up.resize(n, true);
            state.nat_failed.clear();
            state.nat_failed.resize(n, false);
            state.single_nat_az = match region.nat {
                NatLayout::Single(az) => az,
                _ => 0,
            };
            state
                .fleet
                .reset(region, region.deployment == Deployment::Running);
        }
        self.db = DbState::initial(&model.database);
        self.data = DataLoss::Open;
        self.pending_restore_rpo = 0;
        self.meter = None;
        self.reset_routing();
    }

    /// Records an instant in the trace (the text is only built when tracing).
    fn note(&mut self, at: Millis, text: impl FnOnce() -> String) {
        if let Some(trace) = &mut self.trace {
            trace.log.push((at, text()));
        }
    }

    /// Schedules `event` after `delay` and, when tracing, records the wait as an
    /// activity on row `row`.
    fn schedule_activity(
        &mut self,
        s: &mut Scheduler<Event>,
        delay: Millis,
        event: Event,
        row: &str,
        label: impl FnOnce() -> String,
    ) {
        let now = s.now();
        self.span(|| row.to_string(), now, now + delay, label);
        s.schedule_in(delay, event);
    }

    /// Records an activity in the trace, on row `row`.
    fn span(
        &mut self,
        row: impl FnOnce() -> String,
        start: Millis,
        end: Millis,
        label: impl FnOnce() -> String,
    ) {
        if let Some(trace) = &mut self.trace {
            trace.spans.push(TraceSpan {
                row: row(),
                label: label(),
                start,
                end,
            });
        }
    }
}
