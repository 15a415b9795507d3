//! The discrete-event core: a clock, a queue of future events and a driver loop.
//!
//! It knows nothing of clouds. A [`Process`] reacts to its own events and schedules new
//! ones; the [`Scheduler`] hands them back in order of (time, insertion sequence), so two
//! events at the same instant fire in the order they were scheduled and a run is exactly
//! reproducible. Scheduling returns an [`EventKey`]; [`Scheduler::cancel`] withdraws an
//! event that is no longer wanted (a health check superseded, a launch lost with its
//! region), so no handler has to recognise stale events.

mod rng;

use std::cmp::Ordering;
use std::collections::BinaryHeap;

pub use rng::{TrialRng, side_rng, trial_rng};

/// Simulated time in milliseconds.
pub type Time = u64;

/// Names one scheduled event, to cancel it. Keys are unique within a trial (until
/// [`Scheduler::reset`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EventKey(u64);

/// Something that reacts to events of type `E`.
pub trait Process<E> {
    /// Handles one event at the scheduler's current time.
    fn handle(&mut self, event: E, scheduler: &mut Scheduler<E>);

    /// Called after the last event of an instant has been handled, before the clock moves
    /// on: the place to observe a state that several same-time events changed together.
    fn settle(&mut self, _scheduler: &mut Scheduler<E>) {}
}

/// A queued event. `key` packs (time, insertion sequence) into one integer so the heap
/// compares once per step; its high half is the time, so the order is the same.
struct Entry<E> {
    key: u128,
    event: E,
}

impl<E> Entry<E> {
    fn time(&self) -> Time {
        (self.key >> 64) as Time
    }

    fn seq(&self) -> u64 {
        self.key as u64
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap is a max-heap: reverse so the earliest (time, seq) is on top.
        other.key.cmp(&self.key)
    }
}

/// The clock and the future-event queue.
///
/// Reuse one scheduler across trials with [`Scheduler::reset`]: the queue keeps its
/// capacity, so the hot path does not allocate.
pub struct Scheduler<E> {
    now: Time,
    seq: u64,
    handled: u64,
    queue: BinaryHeap<Entry<E>>,
    /// One bit per insertion sequence number: set when that event was cancelled.
    /// Cancelled entries stay in the heap and are dropped when they reach its top.
    cancelled: Vec<u64>,
}

impl<E> Default for Scheduler<E> {
    fn default() -> Self {
        Self::with_capacity(64)
    }
}

impl<E> Scheduler<E> {
    /// An empty scheduler at time zero with room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> Self {
        Scheduler {
            now: 0,
            seq: 0,
            handled: 0,
            queue: BinaryHeap::with_capacity(capacity),
            cancelled: Vec::with_capacity(capacity.div_ceil(64)),
        }
    }

    /// Current simulated time.
    pub fn now(&self) -> Time {
        self.now
    }

    /// Events handled since the last reset.
    pub fn handled(&self) -> u64 {
        self.handled
    }

    /// Number of events waiting, cancelled ones not yet dropped included.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Schedules `event` at absolute time `time` (never before now).
    pub fn schedule_at(&mut self, time: Time, event: impl Into<E>) -> EventKey {
        let time = time.max(self.now);
        let key = (u128::from(time) << 64) | u128::from(self.seq);
        self.queue.push(Entry {
            key,
            event: event.into(),
        });
        self.seq += 1;
        EventKey(self.seq - 1)
    }

    /// Schedules `event` after `delay`.
    pub fn schedule_in(&mut self, delay: Time, event: impl Into<E>) -> EventKey {
        self.schedule_at(self.now.saturating_add(delay), event)
    }

    /// Withdraws a scheduled event: it will not be handled. Cancelling an event that was
    /// already handled or cancelled does nothing.
    pub fn cancel(&mut self, key: EventKey) {
        let (word, bit) = ((key.0 / 64) as usize, key.0 % 64);
        if self.cancelled.len() <= word {
            self.cancelled.resize(word + 1, 0);
        }
        self.cancelled[word] |= 1 << bit;
    }

    fn is_cancelled(&self, seq: u64) -> bool {
        let (word, bit) = ((seq / 64) as usize, seq % 64);
        self.cancelled
            .get(word)
            .is_some_and(|w| w & (1 << bit) != 0)
    }

    /// Removes and returns the next event, advancing the clock to its time.
    pub fn pop(&mut self) -> Option<(Time, E)> {
        self.next_time()?;
        let entry = self.queue.pop()?;
        self.now = entry.time();
        self.handled += 1;
        Some((self.now, entry.event))
    }

    /// Time of the next event that was not cancelled, if any; drops cancelled ones.
    pub fn next_time(&mut self) -> Option<Time> {
        while let Some(top) = self.queue.peek() {
            if !self.is_cancelled(top.seq()) {
                return Some(top.time());
            }
            self.queue.pop();
        }
        None
    }

    /// Empties the queue and sets the clock back to zero, keeping the allocation.
    pub fn reset(&mut self) {
        self.queue.clear();
        self.cancelled.clear();
        self.now = 0;
        self.seq = 0;
        self.handled = 0;
    }

    /// Runs `process` until the queue is empty or the next event is after `horizon`.
    /// Returns the number of events handled (cancelled events are not).
    pub fn run<P: Process<E>>(&mut self, process: &mut P, horizon: Time) -> u64 {
        let mut next = self.next_time();
        while let Some(time) = next.filter(|&t| t <= horizon) {
            let entry = self.queue.pop().expect("peeked");
            self.now = time;
            self.handled += 1;
            process.handle(entry.event, self);
            next = self.next_time();
            if next != Some(time) {
                process.settle(self);
                next = self.next_time();
            }
        }
        self.handled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order() {
        let mut s = Scheduler::default();
        s.schedule_at(30, 'c');
        s.schedule_at(10, 'a');
        s.schedule_at(20, 'b');
        let order: Vec<char> = std::iter::from_fn(|| s.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ['a', 'b', 'c']);
    }

    #[test]
    fn same_instant_events_are_fifo() {
        let mut s = Scheduler::default();
        for e in 0..100 {
            s.schedule_at(5, e);
        }
        let order: Vec<i32> = std::iter::from_fn(|| s.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn never_schedules_into_the_past() {
        let mut s = Scheduler::default();
        s.schedule_at(100, 1);
        s.pop();
        s.schedule_at(50, 2);
        assert_eq!(s.pop(), Some((100, 2)));
    }

    /// A process that re-schedules itself: a chain of events, each one the cause of the
    /// next, stopping at the horizon.
    struct Ticker {
        ticks: Vec<Time>,
        settled_at: Vec<Time>,
    }
    impl Process<()> for Ticker {
        fn handle(&mut self, _: (), s: &mut Scheduler<()>) {
            self.ticks.push(s.now());
            s.schedule_in(10, ());
        }
        fn settle(&mut self, s: &mut Scheduler<()>) {
            self.settled_at.push(s.now());
        }
    }

    #[test]
    fn events_schedule_further_events_until_the_horizon() {
        let mut s = Scheduler::default();
        let mut p = Ticker {
            ticks: vec![],
            settled_at: vec![],
        };
        s.schedule_at(0, ());
        let handled = s.run(&mut p, 45);
        assert_eq!(p.ticks, [0, 10, 20, 30, 40]);
        assert_eq!(handled, 5);
        assert_eq!(p.settled_at, p.ticks);
        assert_eq!(s.pending(), 1, "the event after the horizon stays queued");
    }

    #[test]
    fn settle_runs_once_per_instant() {
        struct Count(u32);
        impl Process<u8> for Count {
            fn handle(&mut self, _: u8, _: &mut Scheduler<u8>) {}
            fn settle(&mut self, _: &mut Scheduler<u8>) {
                self.0 += 1;
            }
        }
        let mut s = Scheduler::default();
        for t in [5, 5, 5, 9, 9, 12] {
            s.schedule_at(t, 0);
        }
        let mut c = Count(0);
        s.run(&mut c, 100);
        assert_eq!(c.0, 3);
    }

    #[test]
    fn a_cancelled_event_is_never_handled() {
        let mut s = Scheduler::default();
        let a = s.schedule_at(10, 'a');
        s.schedule_at(20, 'b');
        let c = s.schedule_at(20, 'c');
        s.schedule_at(30, 'd');
        s.cancel(a);
        s.cancel(c);
        let order: Vec<char> = std::iter::from_fn(|| s.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ['b', 'd']);
        assert_eq!(s.handled(), 2);
    }

    #[test]
    fn cancelling_a_handled_event_changes_nothing() {
        let mut s = Scheduler::default();
        let a = s.schedule_at(1, 'a');
        assert_eq!(s.pop(), Some((1, 'a')));
        s.cancel(a);
        s.schedule_at(2, 'b');
        assert_eq!(s.pop(), Some((2, 'b')));
    }

    #[test]
    fn cancellations_do_not_outlive_a_reset() {
        let mut s = Scheduler::default();
        let a = s.schedule_at(1, 'a');
        s.cancel(a);
        s.reset();
        s.schedule_at(1, 'b');
        assert_eq!(
            s.pop(),
            Some((1, 'b')),
            "key 0 is a new event after the reset"
        );
    }

    /// A cancelled event does not wake the process: no handle, no settle at its instant.
    #[test]
    fn a_cancelled_event_does_not_settle_its_instant() {
        struct Count(u32);
        impl Process<u8> for Count {
            fn handle(&mut self, _: u8, _: &mut Scheduler<u8>) {}
            fn settle(&mut self, _: &mut Scheduler<u8>) {
                self.0 += 1;
            }
        }
        let mut s = Scheduler::default();
        s.schedule_at(5, 0);
        let key = s.schedule_at(9, 0);
        s.cancel(key);
        let mut c = Count(0);
        assert_eq!(s.run(&mut c, 100), 1);
        assert_eq!(c.0, 1);
    }

    #[test]
    fn reset_reuses_the_queue() {
        let mut s: Scheduler<i32> = Scheduler::with_capacity(8);
        s.schedule_at(7, 1);
        s.reset();
        assert_eq!((s.now(), s.pending(), s.handled()), (0, 0, 0));
    }
}
