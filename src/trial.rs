//! One trial: one disaster simulated event by event against the model's components.
//!
//! The [`World`] holds each component's state and turns engine events into component
//! calls; after every instant it re-reads the service state ([`World::settle`]): health
//! checks, the routing answer, scaling alarms, and the share of requests succeeding,
//! which the [`Meter`] turns into RTO.

use rand::Rng;

use crate::components::asg::Fleet;
use crate::components::backup::{self, RestoreNeed};
use crate::components::database::DbState;
use crate::components::{alb, asg, database, nat, operators, routing};
use crate::engine::{Process, Scheduler, TrialRng, trial_rng};
use crate::model::{
    AzId, Deployment, DisasterKind, Millis, Model, NatLayout, ObjectReplication, RegionId,
};
use crate::service::{Meter, Piece};

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

impl World<'_> {
    fn reset(&mut self, trial: u64) {
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

    fn reset_routing(&mut self) {
        let n = self.model.regions.len();
        let status: Vec<bool> = (0..n).map(|r| self.endpoint_passes(r)).collect();
        let rt = &mut self.routing;
        rt.status.clone_from(&status);
        rt.heading_to.clone_from(&status);
        rt.generation.clear();
        rt.generation.resize(n, 0);
        rt.published.resize(n, 0.0);
        routing::answer(self.model, &status, &mut rt.published);
        rt.publish_generation = 0;
        rt.from.clone_from(&rt.published);
        rt.to.clone_from(&rt.published);
        rt.switched_at = 0;
    }

    // ----- service state, derived from the components -----

    fn db_ok(&self) -> bool {
        let db = &self.db;
        let region = &self.regions[db.region];
        db.up && !db.corrupt && region.alive && region.az_up[db.az]
    }

    fn alb_ok(&self, r: RegionId) -> bool {
        let state = &self.regions[r];
        state.alive && state.deployed && !state.compromised
    }

    fn az_serves(&self, r: RegionId, az: AzId) -> bool {
        let state = &self.regions[r];
        let outbound = !self.model.workload.needs_outbound
            || nat::outbound_ok(self.nat_layout(r), az, &state.az_up, &state.nat_failed);
        self.alb_ok(r) && state.az_up[az] && outbound
    }

    fn nat_layout(&self, r: RegionId) -> NatLayout {
        match self.model.regions[r].nat {
            NatLayout::Single(_) => NatLayout::Single(self.regions[r].single_nat_az),
            layout => layout,
        }
    }

    fn working_instances(&self, r: RegionId) -> u32 {
        let fleet = &self.regions[r].fleet;
        (0..fleet.routed.len())
            .filter(|&az| self.az_serves(r, az))
            .map(|az| fleet.routed[az] - fleet.dead[az])
            .sum()
    }

    /// Whether the region's endpoint passes the routing health check.
    fn endpoint_passes(&self, r: RegionId) -> bool {
        let deep = self.model.regions[r].alb.deep_health_check;
        self.alb_ok(r) && self.working_instances(r) > 0 && (!deep || self.db_ok())
    }

    /// Share of the requests sent to region `r` that succeed when it receives `rps`:
    /// the ALB spreads them evenly over the targets in rotation; dead ones fail theirs,
    /// live ones serve up to their capacity.
    fn region_success(&self, r: RegionId, rps: f64) -> f64 {
        let routed = self.regions[r].fleet.routed_total();
        let working = self.working_instances(r);
        if routed == 0 || working == 0 || !self.db_ok() {
            return 0.0;
        }
        if rps <= 0.0 {
            return 1.0;
        }
        let capacity = self.model.workload.instance_capacity_rps;
        (f64::from(working) * capacity.min(rps / f64::from(routed)) / rps).min(1.0)
    }

    /// The success share over the coming stretch. A region's load is judged at the
    /// larger of its shares before and after the current switch: conservative while
    /// clients move, exact once they have.
    fn piece(&self) -> Piece {
        let load = self.model.workload.requests_per_second;
        let rt = &self.routing;
        let (mut a, mut b, mut full) = (0.0, 0.0, 0.0);
        for r in 0..self.model.regions.len() {
            let ok = self.region_success(r, load * rt.from[r].max(rt.to[r]));
            a += rt.from[r] * ok;
            b += (rt.to[r] - rt.from[r]) * ok;
            full += rt.to[r] * ok;
        }
        Piece {
            a,
            b,
            switched_at: rt.switched_at,
            full_capacity: full >= 1.0 - 1e-9,
        }
    }

    // ----- actions -----

    fn set_target(&mut self, r: RegionId, n: u32, s: &mut Scheduler<Event>) {
        let region = &self.model.regions[r];
        let fleet = &mut self.regions[r].fleet;
        fleet.target = fleet.target.max(n.min(region.asg.max));
        self.top_up(r, s);
    }

    /// Launches instances until the ASG's count reaches its desired capacity.
    fn top_up(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        let region = &self.model.regions[r];
        let state = &mut self.regions[r];
        if !state.alive || !state.deployed || state.compromised {
            return;
        }
        while state.fleet.counted() < state.fleet.target {
            let Some(az) = state.fleet.pick_az(&state.az_up) else {
                break;
            };
            state.fleet.launching[az] += 1;
            let delay = asg::launch_delay(&mut state.fleet, region, &mut self.rng);
            s.schedule_in(
                delay,
                Event::InstanceReady {
                    region: r as u16,
                    az: az as u16,
                    epoch: state.epoch,
                },
            );
        }
    }

    fn needed_for(&self, r: RegionId, share: f64) -> u32 {
        let w = &self.model.workload;
        asg::needed(
            &self.model.regions[r],
            w.requests_per_second * share,
            w.instance_capacity_rps,
        )
    }

    fn set_data_window(&mut self, window: Millis) {
        self.data = DataLoss::Window(window);
    }

    /// Extra window lost from object storage when service moves to region `to`.
    fn object_window(&mut self, to: RegionId, db_window: Millis) -> Millis {
        let storage = &self.model.object_storage;
        match &storage.replication {
            ObjectReplication::Crr { lag, .. } if storage.replica_region == Some(to) => {
                lag.sample(&mut self.rng)
            }
            _ => db_window,
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
            } => {
                let (r, az) = (region as usize, az as usize);
                if self.regions[r].epoch == epoch {
                    let fleet = &mut self.regions[r].fleet;
                    let n = count.min(fleet.dead[az]);
                    fleet.routed[az] -= n;
                    fleet.dead[az] -= n;
                    self.top_up(r, s);
                }
            }
            Event::TargetsParked { region, az } => {
                let (r, az) = (region as usize, az as usize);
                if !self.az_serves(r, az) && self.regions[r].az_up[az] {
                    let fleet = &mut self.regions[r].fleet;
                    fleet.parked[az] += fleet.routed[az] - fleet.dead[az];
                    fleet.routed[az] = fleet.dead[az];
                }
            }
            Event::TargetsUnparked { region, az } => {
                let (r, az) = (region as usize, az as usize);
                if self.az_serves(r, az) {
                    let fleet = &mut self.regions[r].fleet;
                    fleet.routed[az] += fleet.parked[az];
                    fleet.parked[az] = 0;
                }
            }
            Event::InstanceReady { region, az, epoch } => {
                let (r, az) = (region as usize, az as usize);
                let state = &mut self.regions[r];
                if state.epoch != epoch {
                    return;
                }
                state.fleet.launching[az] -= 1;
                if state.alive && state.az_up[az] {
                    state.fleet.routed[az] += 1;
                } else {
                    self.top_up(r, s);
                }
            }
            Event::ScaleAlarm { region } => self.scale_alarm(region as usize, s),
            Event::HealthFlip { region, generation } => {
                self.health_flip(region as usize, generation, s)
            }
            Event::RoutingApplied { generation } => self.routing_applied(generation, s.now()),
            Event::Detected => {
                let delay = operators::decision_delay(&self.model.recovery, &mut self.rng);
                s.schedule_in(delay, Event::Decided);
            }
            Event::Decided => self.decided(s),
            Event::DbRecovered => {
                if !self.db.up {
                    self.db.up = true;
                    let state = &self.regions[self.db.region];
                    if !state.az_up[self.db.az] {
                        self.db.az = state.az_up.iter().position(|&up| up).unwrap_or(self.db.az);
                    }
                }
            }
            Event::DbPromoted { region } => {
                if !self.abandoned() {
                    let lag = self.model.database.replication_lag.sample(&mut self.rng);
                    let objects = self.object_window(region as usize, lag);
                    self.move_writer(region as usize);
                    self.set_data_window(lag.max(objects));
                }
            }
            Event::DbRestored { region } => {
                if !self.abandoned() {
                    let window = self.pending_restore_rpo;
                    let r = region as usize;
                    let objects = if r == self.model.database.region {
                        window
                    } else {
                        self.object_window(r, window)
                    };
                    self.move_writer(r);
                    self.db.corrupt = false;
                    self.set_data_window(window.max(objects));
                }
            }
            Event::StackDeployed { region } => {
                let r = region as usize;
                let region_model = &self.model.regions[r];
                let state = &mut self.regions[r];
                state.deployed = true;
                state.compromised = false;
                state.epoch += 1;
                let target = state.fleet.target;
                state.fleet.reset(region_model, false);
                state.fleet.target = target;
                self.top_up(r, s);
            }
            Event::NatReplaced { region, az } => {
                let (r, az) = (region as usize, az as usize);
                let state = &mut self.regions[r];
                if let Some(live) = state.az_up.iter().position(|&up| up) {
                    state.nat_failed[az] = false;
                    if state.single_nat_az == az && !state.az_up[az] {
                        state.single_nat_az = live;
                    }
                }
                self.unpark_all(r, s);
            }
        }
    }

    fn settle(&mut self, s: &mut Scheduler<Event>) {
        self.check_endpoints(s);
        self.check_scaling(s);
        let piece = self.piece();
        let threshold = self.model.simulation.recovery_threshold;
        match &mut self.meter {
            Some(meter) => meter.advance(&self.model.routing, s.now(), piece),
            None => self.meter = Some(Meter::new(threshold, piece)),
        }
    }
}

impl World<'_> {
    fn strike(&mut self, s: &mut Scheduler<Event>) {
        let (r, az) = (self.struck_region, self.struck_az);
        let disaster = &self.model.disasters[self.disaster];
        let model = self.model;
        let detect = operators::detection_delay(&model.recovery, disaster, &mut self.rng);
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
                let delay = alb::unhealthy_delay(&model.regions[r].alb, &mut self.rng);
                let epoch = self.regions[r].epoch;
                s.schedule_in(
                    delay,
                    Event::TargetsUnhealthy {
                        region: r as u16,
                        az: az as u16,
                        count,
                        epoch,
                    },
                );
                if db_here {
                    self.db_writer_fails(s);
                }
                self.park_unreachable(r, s);
                s.schedule_in(detect, Event::Detected);
                s.schedule_in(disaster.duration.sample(&mut self.rng), Event::FailureEnds);
            }
            DisasterKind::NatGatewayFailure => {
                self.data = DataLoss::Window(0);
                self.regions[r].nat_failed[az] = true;
                self.park_unreachable(r, s);
                s.schedule_in(detect, Event::Detected);
                s.schedule_in(disaster.duration.sample(&mut self.rng), Event::FailureEnds);
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
                state.epoch += 1;
                state.fleet.launching.iter_mut().for_each(|n| *n = 0);
                if self.db.region == r {
                    self.writer_region_lost(r);
                }
                s.schedule_in(detect, Event::Detected);
                s.schedule_in(disaster.duration.sample(&mut self.rng), Event::FailureEnds);
            }
            DisasterKind::DataCorruption => {
                self.db.corrupt = true;
                s.schedule_in(detect, Event::Detected);
            }
            DisasterKind::Ransomware => {
                self.db.corrupt = true;
                self.regions[r].compromised = true;
                s.schedule_in(detect, Event::Detected);
            }
        }
    }

    /// The writer's region is gone: another writer carries on at once, losing what had
    /// not replicated yet; otherwise writes stop until a failover.
    fn writer_region_lost(&mut self, r: RegionId) {
        match database::other_writer(&self.model.database).filter(|&w| w != r) {
            Some(other) => {
                let lag = self.model.database.replication_lag.sample(&mut self.rng);
                let objects = self.object_window(other, lag);
                self.move_writer(other);
                self.set_data_window(lag.max(objects));
            }
            None => self.db.up = false,
        }
    }

    fn kill_one_instance(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        let fleet = &self.regions[r].fleet;
        let alive: u32 = (0..fleet.routed.len())
            .map(|az| fleet.routed[az] - fleet.dead[az])
            .sum();
        if alive == 0 {
            return;
        }
        let mut pick = (self.rng.next_u64() % u64::from(alive)) as u32;
        let az = (0..fleet.routed.len())
            .find(|&az| {
                let here = fleet.routed[az] - fleet.dead[az];
                if pick < here {
                    true
                } else {
                    pick -= here;
                    false
                }
            })
            .expect("an instance was picked");
        self.regions[r].fleet.dead[az] += 1;
        let delay = alb::unhealthy_delay(&self.model.regions[r].alb, &mut self.rng);
        let epoch = self.regions[r].epoch;
        s.schedule_in(
            delay,
            Event::TargetsUnhealthy {
                region: r as u16,
                az: az as u16,
                count: 1,
                epoch,
            },
        );
    }

    /// The writer is lost: a standby in another AZ takes over on its own, a single
    /// instance is repaired in place unless its AZ is gone.
    fn db_writer_fails(&mut self, s: &mut Scheduler<Event>) {
        let db = &self.model.database;
        self.db.up = false;
        let az_lost = self.kind == DisasterKind::AzOutage;
        if database::fails_over_in_region(db) {
            s.schedule_in(db.failover_time.sample(&mut self.rng), Event::DbRecovered);
        } else if !az_lost {
            s.schedule_in(db.repair_time.sample(&mut self.rng), Event::DbRecovered);
        }
    }

    /// With deep health checks, targets that lost outbound access leave the rotation.
    fn park_unreachable(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        if !self.model.regions[r].alb.deep_health_check || !self.model.workload.needs_outbound {
            return;
        }
        for az in 0..self.model.regions[r].azs.len() {
            if self.regions[r].az_up[az] && !self.az_serves(r, az) {
                let delay = alb::unhealthy_delay(&self.model.regions[r].alb, &mut self.rng);
                s.schedule_in(
                    delay,
                    Event::TargetsParked {
                        region: r as u16,
                        az: az as u16,
                    },
                );
            }
        }
    }

    fn unpark_all(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        for az in 0..self.model.regions[r].azs.len() {
            if self.regions[r].fleet.parked[az] > 0 && self.az_serves(r, az) {
                let delay = alb::healthy_delay(&self.model.regions[r].alb, &mut self.rng);
                s.schedule_in(
                    delay,
                    Event::TargetsUnparked {
                        region: r as u16,
                        az: az as u16,
                    },
                );
            }
        }
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
                    self.db.up = true;
                }
                self.top_up(r, s);
            }
            DisasterKind::NatGatewayFailure => self.regions[r].nat_failed[az] = false,
            _ => {}
        }
        if self.data == DataLoss::Open {
            self.data = DataLoss::Window(0);
        }
        self.unpark_all(r, s);
    }

    /// A failover step finishing after the failure ended by itself is not carried out:
    /// service is back where it was, with nothing lost.
    fn abandoned(&self) -> bool {
        self.failure_over
            && matches!(
                self.kind,
                DisasterKind::AzOutage | DisasterKind::RegionOutage
            )
    }

    fn move_writer(&mut self, r: RegionId) {
        let az = self.regions[r].az_up.iter().position(|&up| up).unwrap_or(0);
        self.db.region = r;
        self.db.az = az;
        self.db.up = true;
    }

    fn decided(&mut self, s: &mut Scheduler<Event>) {
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
                    let delay = model.recovery.nat_replacement_time.sample(&mut self.rng);
                    s.schedule_in(
                        delay,
                        Event::NatReplaced {
                            region: r as u16,
                            az: az as u16,
                        },
                    );
                }
            }
            DisasterKind::NatGatewayFailure if !self.failure_over => {
                let delay = model.recovery.nat_replacement_time.sample(&mut self.rng);
                s.schedule_in(
                    delay,
                    Event::NatReplaced {
                        region: r as u16,
                        az: az as u16,
                    },
                );
            }
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
                    s.schedule_in(redeploy, Event::StackDeployed { region: r as u16 });
                }
            }
            _ => {}
        }
    }

    /// Brings up capacity where traffic goes once region `lost` is routed away.
    fn fail_over_app(&mut self, lost: RegionId, redeploy: Millis, s: &mut Scheduler<Event>) {
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
                s.schedule_in(redeploy, Event::StackDeployed { region: r as u16 });
            }
        }
    }

    /// Moves the writer out of region `lost`: promote the cross-region copy, else
    /// restore the latest copied backup, else wait for the region.
    fn fail_over_data(&mut self, lost: RegionId, s: &mut Scheduler<Event>) {
        let model = self.model;
        if let Some(replica) = database::replica_region(&model.database).filter(|&rr| rr != lost) {
            let delay = model.database.promotion_time.sample(&mut self.rng);
            s.schedule_in(
                delay,
                Event::DbPromoted {
                    region: replica as u16,
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
            s.schedule_in(
                delay,
                Event::DbRestored {
                    region: copy.region as u16,
                },
            );
        }
    }

    /// Restores the database in its own region from the best clean recovery point.
    fn restore_in_place(&mut self, need: RestoreNeed, s: &mut Scheduler<Event>) {
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
                s.schedule_in(
                    delay,
                    Event::DbRestored {
                        region: self.db.region as u16,
                    },
                );
            }
            _ if need.corruption => self.data = DataLoss::Lost,
            _ => {}
        }
    }

    fn scale_alarm(&mut self, r: RegionId, s: &mut Scheduler<Event>) {
        self.regions[r].fleet.alarm_pending = false;
        let needed = self.needed_for(r, self.routing.to[r]);
        let (target, cooldown_until) = (
            self.regions[r].fleet.target,
            self.regions[r].fleet.cooldown_until,
        );
        if needed <= target {
            return;
        }
        if s.now() < cooldown_until {
            self.regions[r].fleet.alarm_pending = true;
            s.schedule_at(cooldown_until, Event::ScaleAlarm { region: r as u16 });
            return;
        }
        self.regions[r].fleet.cooldown_until = s.now() + self.model.regions[r].asg.cooldown;
        self.set_target(r, needed, s);
    }

    /// Target tracking: a running group whose share of traffic outgrows it raises an
    /// alarm after the scale-out delay.
    fn check_scaling(&mut self, s: &mut Scheduler<Event>) {
        for r in 0..self.model.regions.len() {
            let region = &self.model.regions[r];
            let state = &self.regions[r];
            if region.deployment != Deployment::Running || !state.alive || state.fleet.alarm_pending
            {
                continue;
            }
            if self.needed_for(r, self.routing.to[r]) > state.fleet.target {
                self.regions[r].fleet.alarm_pending = true;
                let delay = region.asg.scale_out_delay.sample(&mut self.rng);
                s.schedule_in(delay, Event::ScaleAlarm { region: r as u16 });
            }
        }
    }

    /// Starts or cancels a health status change wherever an endpoint's state changed.
    fn check_endpoints(&mut self, s: &mut Scheduler<Event>) {
        for r in 0..self.model.regions.len() {
            let passes = self.endpoint_passes(r);
            if passes == self.routing.heading_to[r] {
                continue;
            }
            self.routing.heading_to[r] = passes;
            self.routing.generation[r] += 1;
            if passes != self.routing.status[r] {
                let delay =
                    routing::health_flip_delay(&self.model.routing.health_check, &mut self.rng);
                let generation = self.routing.generation[r];
                s.schedule_in(
                    delay,
                    Event::HealthFlip {
                        region: r as u16,
                        generation,
                    },
                );
            }
        }
    }

    fn health_flip(&mut self, r: RegionId, generation: u32, s: &mut Scheduler<Event>) {
        if generation != self.routing.generation[r] {
            return;
        }
        self.routing.status[r] = self.routing.heading_to[r];
        routing::answer(self.model, &self.routing.status, &mut self.scratch);
        if self.scratch != self.routing.published {
            self.routing.published.clone_from(&self.scratch);
            self.routing.publish_generation += 1;
            let delay = self.model.routing.propagation.sample(&mut self.rng);
            let generation = self.routing.publish_generation;
            s.schedule_in(delay, Event::RoutingApplied { generation });
        }
    }

    /// The published answer reaches clients: they start moving from wherever they are now.
    fn routing_applied(&mut self, generation: u32, now: Millis) {
        let rt = &mut self.routing;
        if generation != rt.publish_generation {
            return;
        }
        let moved = routing::moved_share(
            &self.model.routing,
            now.saturating_sub(rt.switched_at) as f64,
        );
        for r in 0..rt.from.len() {
            rt.from[r] += (rt.to[r] - rt.from[r]) * moved;
        }
        rt.to.clone_from(&rt.published);
        rt.switched_at = now;
    }
}
