//! People and automation: when a failure is noticed and when someone acts on it.

use rand::Rng;

use crate::model::{Disaster, Millis, Recovery};

/// The people's (or automation's) events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperatorEvent {
    /// The failure is noticed (alarm, or bad data found).
    Detected,
    /// The failover decision is taken (or automation starts it).
    Decided,
}

/// From the disaster to the alarm (or, for corruption and ransomware, to someone
/// noticing the bad data).
pub fn detection_delay<R: Rng + ?Sized>(
    recovery: &Recovery,
    disaster: &Disaster,
    rng: &mut R,
) -> Millis {
    if disaster.kind.corrupts_data() {
        disaster.detection_delay.sample(rng)
    } else {
        recovery.detection.sample(rng)
    }
}

/// From the alarm to the failover starting: a human decision, or nothing when automated.
/// People are part of RTO.
pub fn decision_delay<R: Rng + ?Sized>(recovery: &Recovery, rng: &mut R) -> Millis {
    if recovery.automated {
        0
    } else {
        recovery.decision_time.sample(rng)
    }
}
