//! One trial: one disaster simulated event by event against the model's components.
//!
//! The `World` composes the components ([`crate::sim::components`]), each owning its
//! state and its events, and routes every event to its owner. After every instant it
//! re-reads the service state (`settle`): health checks, the routing answer, scaling
//! alarms, and the share of requests succeeding, which the [`Meter`] turns into RTO.
//!
//! | file | what happens there |
//! |---|---|
//! | `disaster.rs` | the strike and the failure ending by itself ([`DisasterEvent`]) |
//! | `capacity.rs` | instances, load balancers, scaling, and the share of requests served |
//! | `recovery.rs` | people's decision and the failover: promotion, restore, redeploy ([`RecoveryEvent`]) |
//! | `correlated.rs` | correlated and global events: the recovery region impaired too, a bad deploy rolled back, the account recovered after a compromise |
//! | `rebuild.rs` | the steps that bring a region up, as a dependency graph: network, then restore and stack side by side |

mod capacity;
mod correlated;
mod disaster;
mod rebuild;
mod recovery;

pub use disaster::DisasterEvent;
pub use recovery::RecoveryEvent;

use rand::Rng;

use crate::model::{
    AzId, Clock, Deployment, DisasterKind, MAX_RTO_THRESHOLDS, Millis, Model, NatLayout, RegionId,
    Signal,
};
use crate::sim::components::alb::AlbEvent;
use crate::sim::components::asg::{AsgEvent, Fleet};
use crate::sim::components::database::{self, DbEvent, DbState};
use crate::sim::components::db_client::{AppConnection, DbClientEvent};
use crate::sim::components::operators::OperatorEvent;
use crate::sim::components::routing::{Router, RoutingEvent};
use crate::sim::engine::{Process, Scheduler, TrialRng, trial_rng};
use crate::sim::service::Meter;
use crate::sim::trace::{Recorder, Trace};

/// What one trial measured. Times are from the disaster's start (for corruption and
/// ransomware: from the corruption's start).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrialOutcome {
    /// Index of the disaster in [`Model::disasters`].
    pub disaster: usize,
    /// Recovery time: until the share of successful requests is back at the threshold
    /// for good. `None`: not recovered within the horizon.
    pub rto: Option<Millis>,
    /// The same at each share of `rto_thresholds`, in order (the rest `None`).
    pub rto_at: [Option<Millis>; MAX_RTO_THRESHOLDS],
    /// When the failure was noticed (the alarm). `None`: nobody had to notice it (the
    /// ALB, the ASG or a Multi-AZ standby recover on their own), or not within the
    /// horizon.
    pub detected: Option<Millis>,
    /// When the failover decision was taken (the alarm itself when automated). `None`
    /// as for `detected`.
    pub decided: Option<Millis>,
    /// Data-loss window. `None`: no copy of the data survived (all of it lost).
    pub rpo: Option<Millis>,
    /// Until the first successful request after the disaster (`Some(0)` if some never failed).
    pub first_success: Option<Millis>,
    /// Until full nominal capacity is back in service.
    pub full_capacity: Option<Millis>,
    /// Integral over the trial (to the horizon) of the share of requests failing, ms of
    /// full outage: what the business loses to downtime.
    pub outage: Millis,
    /// Events the engine handled in this trial.
    pub events: u64,
    /// How long the planned fail-back takes when the trial ends with the writer promoted
    /// (or restored) out of its home region; `None` when none is needed. Not in the RTO.
    pub failback: Option<Millis>,
    /// A promotion completed after the failure had ended by itself: a failover that
    /// turned out not to be needed (and lost the replication lag all the same).
    pub unneeded_failover: bool,
    /// The recovery steps that failed at least once (a launch refused, a deploy rolled
    /// back, a promotion or restore failed: `recovery.*_failure` in the model) or waited
    /// for an impaired control plane (`recovery.control_plane`).
    pub failed_steps: FailedSteps,
}

/// A recovery step that can fail or stall, as the summary breaks failed recoveries down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecoveryStep {
    /// A launch refused (insufficient capacity, throttling): `recovery.launch_failure`.
    Launch,
    /// Infrastructure as code rolled back: `recovery.iac_failure`.
    Iac,
    /// A database promotion or restore failed: `recovery.database_failure`.
    Database,
    /// An action waited for an impaired control plane: `recovery.control_plane`.
    ControlPlane,
}

impl RecoveryStep {
    /// Every step, in the order outputs list them.
    pub const ALL: [RecoveryStep; 4] = [
        RecoveryStep::Launch,
        RecoveryStep::Iac,
        RecoveryStep::Database,
        RecoveryStep::ControlPlane,
    ];

    /// Its name in outputs.
    pub fn name(self) -> &'static str {
        match self {
            RecoveryStep::Launch => "launch",
            RecoveryStep::Iac => "iac",
            RecoveryStep::Database => "database",
            RecoveryStep::ControlPlane => "control_plane",
        }
    }

    /// Its position in [`RecoveryStep::ALL`].
    pub fn index(self) -> usize {
        match self {
            RecoveryStep::Launch => 0,
            RecoveryStep::Iac => 1,
            RecoveryStep::Database => 2,
            RecoveryStep::ControlPlane => 3,
        }
    }
}

/// The set of recovery steps that failed or stalled in one trial.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FailedSteps(u8);

impl FailedSteps {
    /// No step failed.
    pub const NONE: FailedSteps = FailedSteps(0);

    /// The set with `step` added.
    #[must_use]
    pub fn with(self, step: RecoveryStep) -> FailedSteps {
        FailedSteps(self.0 | 1 << step.index())
    }

    /// Adds `step` if `failed`.
    pub fn add_if(&mut self, failed: bool, step: RecoveryStep) {
        if failed {
            *self = self.with(step);
        }
    }

    /// Whether `step` failed or stalled.
    pub fn contains(self, step: RecoveryStep) -> bool {
        self.0 & 1 << step.index() != 0
    }

    /// Whether any step failed or stalled.
    pub fn any(self) -> bool {
        self.0 != 0
    }
}

impl TrialOutcome {
    /// Whether some recovery step failed or stalled.
    pub fn recovery_failed(&self) -> bool {
        self.failed_steps.any()
    }

    /// The RTO counted from `clock`: from the alarm or the decision if there was one (a
    /// trial that nobody had to notice counts from the disaster), and 0 if service was
    /// back before that instant. `None`: not recovered.
    pub fn rto_from(&self, clock: Clock) -> Option<Millis> {
        let start = match clock {
            Clock::Disaster => None,
            Clock::Detection => self.detected,
            Clock::Decision => self.decided,
        };
        self.rto.map(|rto| rto.saturating_sub(start.unwrap_or(0)))
    }
}

/// Everything that happens in a trial: the events of each component, by owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// The disaster strikes, or ends by itself.
    Disaster(DisasterEvent),
    /// People (or automation) notice and decide.
    Operators(OperatorEvent),
    /// Health checks and the routing answer.
    Routing(RoutingEvent),
    /// Load balancer target health.
    Alb(AlbEvent),
    /// Launches and scaling.
    Asg(AsgEvent),
    /// The database writer.
    Database(DbEvent),
    /// The application's connection to the writer.
    DbClient(DbClientEvent),
    /// Recovery steps that rebuild infrastructure.
    Recovery(RecoveryEvent),
}

macro_rules! from_component_event {
    ($($variant:ident($event:ty)),* $(,)?) => {
        $(impl From<$event> for Event {
            fn from(event: $event) -> Self {
                Event::$variant(event)
            }
        })*
    };
}

from_component_event!(
    Disaster(DisasterEvent),
    Operators(OperatorEvent),
    Routing(RoutingEvent),
    Alb(AlbEvent),
    Asg(AsgEvent),
    Database(DbEvent),
    DbClient(DbClientEvent),
    Recovery(RecoveryEvent),
);

/// A component's context, borrowed from the world's fields (so that the component,
/// another field, can be borrowed beside it).
macro_rules! cx {
    ($world:ident, $scheduler:expr) => {
        $crate::sim::components::Ctx {
            model: $world.model,
            scheduler: &mut *$scheduler,
            rng: &mut $world.rng,
            trace: &mut $world.trace,
        }
    };
}
use cx;

/// State of one region during a trial.
#[derive(Clone, Debug, Default)]
struct RegionState {
    alive: bool,
    deployed: bool,
    /// The stack is out of service until a redeploy: held by an attacker (ransomware,
    /// account compromise).
    out_of_service: bool,
    /// People drained the region (latency injection): its endpoint fails its health
    /// check so clients leave, while it still serves those that have not left yet.
    drained: bool,
    az_up: Vec<bool>,
    nat_failed: Vec<bool>,
    /// Where a single NAT gateway currently is (it can be replaced into another AZ).
    single_nat_az: AzId,
    fleet: Fleet,
    /// The steps bringing the region up: network, restore, stack.
    rebuild: rebuild::Plan,
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

/// One trial's state: the components and what the trial has learnt.
struct World<'m> {
    model: &'m Model,
    rng: TrialRng,
    /// The trial's number (its random streams are keyed by it).
    trial: u64,
    disaster: usize,
    kind: DisasterKind,
    struck_region: RegionId,
    struck_az: AzId,
    failure_over: bool,
    /// When the failure ended by itself, if it did.
    failure_ended_at: Option<Millis>,
    /// A promotion of the cross-region copy has started (it cannot be undone).
    promoting: bool,
    /// The promotion completed after the failure had ended by itself.
    unneeded_failover: bool,
    /// The recovery steps that failed or stalled so far.
    failed_steps: FailedSteps,
    /// When an impaired control plane works again (0: not impaired); `None` until the
    /// trial's first control-plane action draws it.
    control_plane_until: Option<Millis>,
    /// Correlated and grey events: until when launches in the regions taking over are
    /// refused (0: not impaired), whether a bad deploy was rolled back, and what
    /// noticed the failure.
    impaired_until: Millis,
    rolled_back: bool,
    /// The disaster has struck (health checks before it pass).
    struck: bool,
    signal: Signal,
    /// When the writer last moved to another region.
    writer_moved_at: Millis,
    regions: Vec<RegionState>,
    db: DbState,
    /// The application's cached writer address and connections.
    app: AppConnection,
    router: Router,
    data: DataLoss,
    pending_restore_rpo: Millis,
    /// Ransomware destroyed the objects (no version survived): the restore cannot
    /// bring the data back whole.
    objects_lost: bool,
    /// When the alarm went off, and when the failover was decided.
    detected_at: Option<Millis>,
    decided_at: Option<Millis>,
    meter: Option<Meter>,
    trace: Recorder,
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
            trial: 0,
            disaster: 0,
            kind: DisasterKind::InstanceFailure,
            struck_region: 0,
            struck_az: 0,
            failure_over: false,
            failure_ended_at: None,
            promoting: false,
            unneeded_failover: false,
            failed_steps: FailedSteps::NONE,
            control_plane_until: None,
            impaired_until: 0,
            rolled_back: false,
            struck: false,
            signal: Signal::Alarm,
            writer_moved_at: 0,
            regions: vec![RegionState::default(); model.regions.len()],
            db: DbState::initial(&model.database),
            app: AppConnection::default(),
            router: Router::default(),
            data: DataLoss::Open,
            pending_restore_rpo: 0,
            objects_lost: false,
            detected_at: None,
            decided_at: None,
            meter: None,
            trace: Recorder::default(),
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
        self.world.trace.record(false);
        self.run_world(trial)
    }

    /// Runs trial `trial` as [`TrialSimulator::run`] does, recording its timeline. The
    /// outcome is the same: recording draws no random numbers.
    pub fn trace(&mut self, trial: u64) -> (TrialOutcome, Trace) {
        self.world.trace.record(true);
        let outcome = self.run_world(trial);
        let mut trace = self.world.trace.take().expect("recording was switched on");
        trace.finish(self.world.model, outcome.rto, outcome.full_capacity);
        (outcome, trace)
    }

    fn run_world(&mut self, trial: u64) -> TrialOutcome {
        let world = &mut self.world;
        let model = world.model;
        world.reset(trial);
        self.scheduler.reset();
        self.scheduler.schedule_at(0, DisasterEvent::Strike);
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
        // Fail-back can start once the writer has moved and its home region is back
        // (at the horizon if it is not back by then).
        let from = world
            .writer_moved_at
            .max(world.failure_ended_at.unwrap_or(horizon));
        let failback = world.failback(from);
        TrialOutcome {
            disaster: world.disaster,
            rto: verdict.rto,
            rto_at: verdict.rto_at,
            detected: world.detected_at,
            decided: world.decided_at,
            rpo,
            first_success: verdict.first_success,
            full_capacity: verdict.full_capacity,
            outage: verdict.outage,
            events,
            failback,
            unneeded_failover: world.unneeded_failover,
            failed_steps: world.failed_steps,
        }
    }
}

impl Process<Event> for World<'_> {
    fn handle(&mut self, event: Event, s: &mut Scheduler<Event>) {
        match event {
            Event::Disaster(event) => self.on_disaster(event, s),
            Event::Operators(event) => self.on_operators(event, s),
            Event::Routing(event) => self.router.handle(event, &mut cx!(self, s)),
            Event::Alb(event) => self.on_alb(event, s),
            Event::Asg(event) => self.on_asg(event, s),
            Event::Database(event) => {
                let was_up = self.db.up;
                self.on_database(event, s.now());
                // An in-region failover points the endpoint at the standby, a promotion
                // makes the copy's endpoint the writer's: the application must find the
                // new address and reconnect.
                let failed_over = match event {
                    DbEvent::Recovered => {
                        !was_up
                            && self.db.up
                            && database::fails_over_in_region(&self.model.database)
                    }
                    DbEvent::Promoted { .. } => true,
                    DbEvent::Restored { .. } => false,
                };
                if failed_over {
                    let client = &self.model.workload.db_client;
                    self.app.writer_moved(client, &mut cx!(self, s));
                }
            }
            Event::DbClient(event) => self.app.handle(event),
            Event::Recovery(event) => self.on_recovery(event, s),
        }
    }

    fn settle(&mut self, s: &mut Scheduler<Event>) {
        self.count_working();
        self.check_endpoints(s);
        self.check_scaling(s);
        let piece = self.piece();
        self.trace.piece(s.now(), piece);
        let simulation = &self.model.simulation;
        match &mut self.meter {
            Some(meter) => meter.advance(&self.model.routing, s.now(), piece),
            None => {
                let (threshold, extra) =
                    (simulation.recovery_threshold, &simulation.rto_thresholds);
                self.meter = Some(Meter::new(threshold, extra, piece));
            }
        }
    }
}

impl World<'_> {
    fn reset(&mut self, trial: u64) {
        let model = self.model;
        self.rng = trial_rng(model.simulation.seed, trial);
        self.trial = trial;
        self.disaster = (trial % model.disasters.len() as u64) as usize;
        let disaster = &model.disasters[self.disaster];
        self.kind = disaster.kind;
        self.struck_region = disaster.region;
        let azs = model.regions[disaster.region].azs.len();
        self.struck_az = disaster
            .az
            .unwrap_or_else(|| (self.rng.next_u64() % azs as u64) as usize);
        self.failure_over = false;
        self.failure_ended_at = None;
        self.promoting = false;
        self.unneeded_failover = false;
        self.failed_steps = FailedSteps::NONE;
        self.control_plane_until = None;
        self.impaired_until = 0;
        self.rolled_back = false;
        self.struck = false;
        self.signal = Signal::Alarm;
        self.writer_moved_at = 0;
        for (state, region) in self.regions.iter_mut().zip(&model.regions) {
            let n = region.azs.len();
            state.alive = true;
            state.deployed = region.deployment != Deployment::NotDeployed;
            state.rebuild = rebuild::Plan::new(state.deployed);
            state.out_of_service = false;
            state.drained = false;
            state.az_up.clear();
            state.az_up.resize(n, true);
            state.nat_failed.clear();
            state.nat_failed.resize(n, false);
            state.single_nat_az = match region.nat {
                NatLayout::Single(az) => az,
                NatLayout::PerAz | NatLayout::None => 0,
            };
            state
                .fleet
                .reset(region, region.deployment == Deployment::Running);
        }
        self.db = DbState::initial(&model.database);
        self.app.reset();
        self.data = DataLoss::Open;
        self.pending_restore_rpo = 0;
        self.objects_lost = false;
        self.detected_at = None;
        self.decided_at = None;
        self.meter = None;
        self.count_working();
        for r in 0..model.regions.len() {
            self.healthy_scratch[r] = self.endpoint_passes(r);
        }
        self.router.reset(model, &self.healthy_scratch);
    }

    /// Starts or calls off a health status change wherever an endpoint's state changed.
    fn check_endpoints(&mut self, s: &mut Scheduler<Event>) {
        for r in 0..self.model.regions.len() {
            let passes = self.endpoint_passes(r);
            self.router.observe(r, passes, &mut cx!(self, s));
        }
    }
}
