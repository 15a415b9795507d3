//! Routing health checks and clients moving between regions.

use super::{Event, World};
use crate::model::{Millis, RegionId};
use crate::sim::components::routing;
use crate::sim::engine::Scheduler;

impl World<'_> {
    pub(super) fn reset_routing(&mut self) {
        let n = self.model.regions.len();
        self.count_working();
        for r in 0..n {
            self.healthy_scratch[r] = self.endpoint_passes(r);
        }
        let status = &self.healthy_scratch;
        let rt = &mut self.routing;
        rt.status.clone_from(status);
        rt.heading_to.clone_from(status);
        rt.generation.clear();
        rt.generation.resize(n, 0);
        rt.published.resize(n, 0.0);
        routing::answer(self.model, status, &mut rt.published);
        rt.publish_generation = 0;
        rt.from.clone_from(&rt.published);
        rt.to.clone_from(&rt.published);
        rt.switched_at = 0;
    }

    // ----- service state, derived from the components -----

    /// Starts or cancels a health status change wherever an endpoint's state changed.
    pub(super) fn check_endpoints(&mut self, s: &mut Scheduler<Event>) {
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
                self.schedule_activity(
                    s,
                    delay,
                    Event::HealthFlip {
                        region: r as u16,
                        generation,
                    },
                    "routing",
                    || {
                        format!(
                            "health check of {} turns {}",
                            self.model.regions[r].name,
                            if passes { "healthy" } else { "unhealthy" }
                        )
                    },
                );
            }
        }
    }

    pub(super) fn health_flip(&mut self, r: RegionId, generation: u32, s: &mut Scheduler<Event>) {
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
            self.schedule_activity(
                s,
                delay,
                Event::RoutingApplied { generation },
                "routing",
                || "new routing answer propagates".into(),
            );
        }
    }

    /// The published answer reaches clients: they start moving from wherever they are now.
    pub(super) fn routing_applied(&mut self, generation: u32, now: Millis) {
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
        if self.trace.is_some() {
            let routing = &self.model.routing;
            let threshold = self.model.simulation.recovery_threshold;
            let took = routing::time_to_move(routing, threshold) as Millis;
            self.span(
                || "clients".into(),
                now,
                now + took,
                || format!("{:.0}% of clients follow the new answer", threshold * 100.0),
            );
        }
    }
}
