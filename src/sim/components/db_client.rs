//! The application's side of the database connection: the writer's address it cached
//! and the pooled connections it holds.
//!
//! An in-region failover (Multi-AZ, Aurora replica) points the database endpoint's DNS
//! record at the standby: the application must look the name up again and re-establish
//! its connections (RDS User Guide, "Setting the JVM TTL for DNS name lookups";
//! docs/sources.md#rds-jvm-dns-ttl). Until then its requests keep failing although the
//! writer is back:
//!
//! - the address it cached (e.g. the JVM's `networkaddress.cache.ttl`) was looked up at
//!   a uniformly random moment of its `dns_cache` lifetime, so it expires a uniform
//!   `[0, dns_cache)` after the writer is back (one phase per trial: the application
//!   servers are taken to refresh together);
//! - then the connection attempt under way against the old, silent writer is given up
//!   only after `connect_timeout` (after a failover the client "times out" on its own:
//!   the old primary is fenced and sends nothing back).
//!
//! Both default to zero: the application follows the writer at once. Promotions and
//! restores are re-pointed by people as part of the failover and are not delayed here.

use rand::Rng;

use super::Ctx;
use crate::model::DbClient;
use crate::sim::engine::EventKey;
use crate::sim::trace::Phase;

/// The database client's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbClientEvent {
    /// The application reaches the new writer.
    Reconnected,
}

/// What the application knows of the writer during a trial.
#[derive(Clone, Debug, Default)]
pub struct AppConnection {
    /// The application reaches the current writer.
    connected: bool,
    /// The reconnection under way, if any.
    pending: Option<EventKey>,
}

impl AppConnection {
    /// Connected to the writer, as before any disaster.
    pub fn reset(&mut self) {
        self.connected = true;
        self.pending = None;
    }

    /// Whether the application's requests reach the current writer.
    pub fn connected(&self) -> bool {
        self.connected
    }

    /// The writer's address changed (in-region failover): the application keeps the old
    /// one until its cache expires and the attempt under way times out.
    pub fn writer_moved<E: From<DbClientEvent>>(&mut self, client: &DbClient, cx: &mut Ctx<E>) {
        let residual = if client.dns_cache > 0 {
            cx.rng.next_u64() % client.dns_cache
        } else {
            0
        };
        let delay = residual + client.connect_timeout;
        if delay == 0 {
            return;
        }
        if let Some(key) = self.pending.take() {
            cx.scheduler.cancel(key);
        }
        self.connected = false;
        let key = cx.activity(
            delay,
            DbClientEvent::Reconnected,
            Phase::Data,
            || "application".into(),
            || "cached writer address expires, old connections time out".into(),
        );
        self.pending = Some(key);
    }

    /// The application gives up its stale address or connections.
    pub fn handle(&mut self, event: DbClientEvent) {
        match event {
            DbClientEvent::Reconnected => {
                self.connected = true;
                self.pending = None;
            }
        }
    }
}
