//! People and automation: when a failure is noticed and when someone acts on it.

use rand::Rng;

use crate::model::{Disaster, Millis, Recovery, Signal};

/// The people's (or automation's) events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperatorEvent {
    /// The failure is noticed (alarm, or bad data found).
    Detected,
    /// The failover decision is taken (or automation starts it).
    Decided,
}

/// From the disaster to the alarm (or, for corruption and ransomware, to someone
/// noticing the bad data), and what noticed it. A grey failure with an error-rate alarm
/// (`recovery.error_alarm`) is noticed when the alarm fires, or, when its share of
/// failing requests stays under the threshold, when customers report it.
pub fn detection_delay<R: Rng + ?Sized>(
    recovery: &Recovery,
    disaster: &Disaster,
    rng: &mut R,
) -> (Millis, Signal) {
    if disaster.kind.corrupts_data() {
        return (disaster.detection_delay.sample(rng), Signal::Alarm);
    }
    match recovery
        .error_alarm
        .as_ref()
        .filter(|_| disaster.kind.is_grey())
    {
        Some(alarm) => match alarm.fires_after(disaster.grey_share) {
            Some(after) => (after, Signal::Alarm),
            None => (alarm.customer_report.sample(rng), Signal::CustomerReport),
        },
        None => (recovery.detection.sample(rng), Signal::Alarm),
    }
}

/// From the signal to the failover starting: the disaster's decision time for that
/// signal (`decision_after_alarm`, `decision_after_report`), else `decision_time`. An
/// alarm starts automation at once; customers' reports reach people, who decide even
/// when the failover is automated. People are part of RTO.
pub fn decision_delay<R: Rng + ?Sized>(
    recovery: &Recovery,
    disaster: &Disaster,
    signal: Signal,
    rng: &mut R,
) -> Millis {
    let own = match signal {
        Signal::Alarm if recovery.automated => return 0,
        Signal::Alarm => disaster.decision.after_alarm.as_ref(),
        Signal::CustomerReport => disaster.decision.after_report.as_ref(),
    };
    own.unwrap_or(&recovery.decision_time).sample(rng)
}
