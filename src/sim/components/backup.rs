//! Backups: which recovery point a restore can use, and how long the restore takes.
//!
//! Backups before the disaster are not simulated one event each: the schedule is
//! periodic, so drsim draws where the disaster falls in it and walks through the
//! recovery points around it. Times here are signed milliseconds relative to the moment
//! data was lost (0 = disaster start, or corruption start).
//!
//! A backup scheduled at `s` starts at `s + U`, `U` uniform on the AWS Backup start
//! window (AWS says only that the job starts within the window; uniform is drsim's
//! assumption): the recovery point is its start. It completes `duration` later; then
//! its cross-region copy is requested. Copies of one source run one at a time, in
//! order ("the copies requested later won't start until the previous snapshot copies
//! are completed", docs/sources.md#rds-copy-snapshot), so a copy waits for the one
//! before: `done[k] = max(complete[k], done[k-1]) + copy[k]`.

use rand::Rng;

use crate::model::units::{DAY, HOUR};
use crate::model::{BackupCopy, Backups, Millis, RegionId, Schedule};

/// Where the restore happens and what it needs from a recovery point.
#[derive(Clone, Copy, Debug)]
pub struct RestoreNeed {
    /// Restore into another region: only copies that arrived there count.
    pub from_copy: bool,
    /// Latest time a backup (and copy) may complete and still be used. For an outage of
    /// the backup's region it is 0: what was in flight died with the region.
    pub deadline: i64,
    /// Time the restore starts; recovery points older than the retention are gone.
    pub restore_start: i64,
    /// Ransomware deleted every reachable recovery point (none survive without Vault Lock).
    pub deleted_by_attacker: bool,
    /// The data went bad at time 0: a point-in-time restore can stop just before it.
    pub corruption: bool,
}

/// Recovery points an attacker holding the whole account could not delete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Surviving {
    /// Where they are (and where the database is restored).
    pub region: RegionId,
    /// They are the cross-account copies, not the points taken in the backups' region.
    pub from_copy: bool,
}

/// What survives an account-wide compromise: the attacker deletes every recovery point
/// the account can delete, so only a vault locked in compliance mode (which nobody can
/// unlock, sources.md#backup-vault-lock-modes) or copies in another account remain.
pub fn after_account_compromise(backups: &Backups) -> Option<Surviving> {
    if backups.vault_lock.stops_account_compromise() {
        return Some(Surviving {
            region: backups.region,
            from_copy: false,
        });
    }
    let copy = backups.copy.as_ref().filter(|c| c.other_account)?;
    Some(Surviving {
        region: copy.region,
        from_copy: true,
    })
}

/// The chosen recovery point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecoveryPoint {
    /// Data-loss window: from the last write in the point to the loss (time 0).
    pub rpo: Millis,
}

/// Guard against pathological schedules: give up after this many recovery points.
const MAX_POINTS_WALKED: u32 = 100_000;

/// Fewest and most backups simulated before the loss to put the copy queue in its
/// steady state (see [`copy_queue_warm_up`]).
const COPY_QUEUE_WARM_UP: (u32, u32) = (16, 4096);

/// Finds the most recent usable recovery point, or `None` if none survives.
///
/// A point is usable when it was taken before the loss, completed (and, for a restore in
/// another region, copied) by the deadline, is still retained when the restore starts,
/// and was not deleted by an attacker.
pub fn recovery_point<R: Rng + ?Sized>(
    backups: &Backups,
    need: RestoreNeed,
    rng: &mut R,
) -> Option<RecoveryPoint> {
    if need.deleted_by_attacker && !backups.vault_lock.stops_ransomware() {
        return None;
    }
    if let Some(point) = point_in_time(backups, need, rng) {
        return Some(point);
    }
    let newest = if need.from_copy {
        newest_copied(backups, backups.copy.as_ref()?, need, rng)
    } else {
        newest_taken(backups, need, rng)
    }?;
    let retained = newest >= need.restore_start - backups.retention as i64;
    retained.then_some(RecoveryPoint {
        rpo: (-newest) as Millis,
    })
}

/// Continuous backup (PITR) in the backup's own region: logs shipped every `interval`.
fn point_in_time<R: Rng + ?Sized>(
    backups: &Backups,
    need: RestoreNeed,
    rng: &mut R,
) -> Option<RecoveryPoint> {
    let interval = backups.point_in_time?;
    if need.from_copy {
        let lag = backups.copy.as_ref()?.log_lag.as_ref()?;
        return replicated_log_point(backups, interval, lag, need, rng);
    }
    if need.corruption {
        // Logs before the corruption were shipped long before it was found: restore to
        // the last log boundary before the corruption started.
        let since_boundary = rng.next_u64() % interval.max(1);
        return (need.restore_start >= 0).then_some(RecoveryPoint {
            rpo: since_boundary,
        });
    }
    // The writes since the last shipment died with the volume.
    Some(RecoveryPoint {
        rpo: rng.next_u64() % interval.max(1),
    })
}

/// RDS cross-Region automated backups: logs shipped every `interval` are copied to the
/// other region, each arriving a draw of `lag` after it was shipped. A restore there
/// reaches the newest shipment that had arrived by the deadline and is still retained.
fn replicated_log_point<R: Rng + ?Sized>(
    backups: &Backups,
    interval: Millis,
    lag: &crate::model::Dist,
    need: RestoreNeed,
    rng: &mut R,
) -> Option<RecoveryPoint> {
    let interval = interval.max(1);
    let mut age = rng.next_u64() % interval; // since the last shipment
    for _ in 0..MAX_POINTS_WALKED {
        let shipped = -(age as i64);
        if shipped < need.restore_start - backups.retention as i64 {
            return None;
        }
        if shipped + lag.sample(rng) as i64 <= need.deadline {
            return Some(RecoveryPoint { rpo: age });
        }
        age += interval;
    }
    None
}

/// When the backup scheduled at `scheduled` starts, somewhere in its start window.
fn started<R: Rng + ?Sized>(backups: &Backups, scheduled: i64, rng: &mut R) -> i64 {
    match backups.start_window {
        0 => scheduled,
        window => scheduled + (rng.next_u64() % window) as i64,
    }
}

/// The newest point taken before the loss and complete by the deadline, in the
/// backup's own region. Walks back from the latest scheduled backup until no earlier
/// one can be newer (a start window longer than the interval can reorder points).
fn newest_taken<R: Rng + ?Sized>(backups: &Backups, need: RestoreNeed, rng: &mut R) -> Option<i64> {
    let oldest_kept = need.restore_start - backups.retention as i64;
    let window = backups.start_window as i64;
    let mut cursor = latest_point(&backups.schedule, rng);
    let mut newest: Option<i64> = None;
    for _ in 0..MAX_POINTS_WALKED {
        let beaten = newest.is_some_and(|n| cursor.point + window <= n);
        if beaten || cursor.point + window < oldest_kept {
            break;
        }
        let taken = started(backups, cursor.point, rng);
        let complete = taken + backups.duration.sample(rng) as i64;
        if taken <= 0 && complete <= need.deadline {
            newest = newest.max(Some(taken));
        }
        cursor = previous_point(&backups.schedule, cursor);
    }
    newest
}

/// The newest point whose copy reached the other region by the deadline. Simulates
/// the copy queue forward from [`copy_queue_warm_up`] backups before the loss.
fn newest_copied<R: Rng + ?Sized>(
    backups: &Backups,
    copy: &BackupCopy,
    need: RestoreNeed,
    rng: &mut R,
) -> Option<i64> {
    let schedule = &backups.schedule;
    let last = latest_point(schedule, rng);
    let mut cursor = last;
    for _ in 0..copy_queue_warm_up(backups, copy) {
        cursor = previous_point(schedule, cursor);
    }
    let mut queue_free = i64::MIN;
    let mut newest: Option<i64> = None;
    loop {
        let taken = started(backups, cursor.point, rng);
        let complete = taken + backups.duration.sample(rng) as i64;
        let gap = schedule.gap_before(cursor.slot);
        let copying = copy.duration.sample(rng) as f64 + copy_transfer(copy, gap, rng);
        let starts = if copy.one_at_a_time {
            complete.max(queue_free)
        } else {
            complete
        };
        queue_free = starts + copying.round() as i64;
        if taken <= 0 && queue_free <= need.deadline {
            newest = newest.max(Some(taken));
        }
        if cursor.point >= last.point {
            return newest;
        }
        cursor = next_point(schedule, cursor);
    }
}

/// The size part of one copy: at the copy's throughput, or at its fallback's when it
/// takes the slower path (a hybrid Direct Connect down, the VPN carrying it). Draws
/// nothing without a fallback, so other models keep their random streams.
fn copy_transfer<R: Rng + ?Sized>(copy: &BackupCopy, gap: Millis, rng: &mut R) -> f64 {
    match &copy.fallback {
        Some(slow) if crate::model::dist::unit(rng) < slow.probability => {
            copy.transfer_time_at(gap, slow.gb_per_hour)
        }
        Some(_) | None => copy.transfer_time(gap),
    }
}

/// How many backups before the loss the copy queue is simulated from (empty then). A
/// queue with load `rho` (mean copy time over the gap between backups; validation
/// keeps it below 1) forgets its start over about `1 / (1 - rho)^2` backups, so drsim
/// starts 16 times that far back: 48 backups at the bundled RDS load (0.42), 577 at
/// 5/6, where the D/M/1 test checks the steady state. Independent shipments need only
/// reach back past their own duration.
fn copy_queue_warm_up(backups: &Backups, copy: &BackupCopy) -> u32 {
    let (fewest, most) = COPY_QUEUE_WARM_UP;
    let gap = backups.schedule.shortest_gap();
    if !copy.one_at_a_time {
        // Independent shipments: reach back past eight mean shipment times (at the
        // slower path's throughput if there is one: the longer reach is safe).
        let slowest = match &copy.fallback {
            Some(slow) => copy.transfer_time_at(gap, slow.gb_per_hour),
            None => copy.transfer_time(gap),
        };
        let mean = copy.duration.mean() + slowest;
        return ((8.0 * mean / gap as f64).ceil() as u32).clamp(fewest, most);
    }
    let rho = (copy.duration.mean() + copy.transfer_time(gap)) / gap as f64;
    let slots = 16.0 / (1.0 - rho.min(0.999)).powi(2);
    (slots.ceil() as u32).clamp(fewest, most)
}

/// Restore duration: a fixed part, plus the data over the restore throughput unless
/// fast snapshot restore makes the volume fully initialised at creation.
///
/// What the size part is differs by engine: an Aurora cluster downloads its data before
/// it becomes available; an RDS instance or EBS volume is available at once but loads
/// its blocks lazily, "increased I/O latency and decreased performance" until all are
/// read (docs/sources.md#ebs-initialize). drsim counts the database back once it serves
/// at full performance (hydrated): a production load on a cold volume is assumed to time
/// out (unsourced).
pub fn restore_time<R: Rng + ?Sized>(backups: &Backups, data_gb: f64, rng: &mut R) -> Millis {
    restore_time_at(backups, data_gb, backups.restore_gb_per_hour, rng)
}

/// [`restore_time`] with the data arriving at `gb_per_hour` instead of the backups' own
/// restore throughput: a restore whose data crosses a hybrid link runs at the link's
/// bandwidth (fixed part + size x 8 / Gbit/s).
pub fn restore_time_at<R: Rng + ?Sized>(
    backups: &Backups,
    data_gb: f64,
    gb_per_hour: f64,
    rng: &mut R,
) -> Millis {
    let fixed = backups.restore_fixed.sample(rng);
    if !size_part_applies(backups) {
        return fixed;
    }
    let transfer = data_gb / gb_per_hour * HOUR as f64;
    fixed + transfer.round() as Millis
}

/// Whether a restore waits for the data (download or hydration): always, unless fast
/// snapshot restore (which validation allows only where the engine has it) initialised
/// the volume at creation.
fn size_part_applies(backups: &Backups) -> bool {
    !(backups.fast_snapshot_restore && backups.engine.has_fast_snapshot_restore())
}

/// A recovery point of the schedule: its time and, for daily schedules, its slot.
#[derive(Clone, Copy)]
struct Cursor {
    point: i64,
    slot: usize,
}

/// The latest scheduled point at or before time 0, placing the loss at a uniformly
/// random phase of the schedule.
fn latest_point<R: Rng + ?Sized>(schedule: &Schedule, rng: &mut R) -> Cursor {
    match schedule {
        Schedule::Every(interval) => Cursor {
            point: -((rng.next_u64() % (*interval).max(1)) as i64),
            slot: 0,
        },
        Schedule::DailyAt(times) => {
            let now = rng.next_u64() % DAY;
            let slot = times
                .iter()
                .rposition(|&at| at <= now)
                .unwrap_or(times.len() - 1);
            let age = (now + DAY - times[slot]) % DAY;
            Cursor {
                point: -(age as i64),
                slot,
            }
        }
    }
}

/// The number of daily slots (1 for a periodic schedule).
fn slots(schedule: &Schedule) -> usize {
    match schedule {
        Schedule::Every(_) => 1,
        Schedule::DailyAt(times) => times.len(),
    }
}

/// The scheduled point before `cursor`.
fn previous_point(schedule: &Schedule, cursor: Cursor) -> Cursor {
    let n = slots(schedule);
    Cursor {
        point: cursor.point - schedule.gap_before(cursor.slot) as i64,
        slot: (cursor.slot + n - 1) % n,
    }
}

/// The scheduled point after `cursor`.
fn next_point(schedule: &Schedule, cursor: Cursor) -> Cursor {
    let slot = (cursor.slot + 1) % slots(schedule);
    Cursor {
        point: cursor.point + schedule.gap_before(slot) as i64,
        slot,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::units::MINUTE;
    use crate::model::{BackupCopy, BackupEngine, CopySize, Dist};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn hourly(copy_minutes: u64) -> Backups {
        Backups {
            schedule: Schedule::Every(HOUR),
            engine: BackupEngine::Rds,
            start_window: 0,
            region: 0,
            duration: Dist::Fixed(0.0),
            copy: Some(BackupCopy {
                region: 1,
                duration: Dist::Fixed((copy_minutes * MINUTE) as f64),
                log_lag: None,
                gb_per_hour: None,
                size: CopySize::Changes(5.0),
                one_at_a_time: true,
                fallback: None,
                other_account: false,
            }),
            retention: 35 * DAY,
            vault_lock: crate::model::VaultLock::Off,
            point_in_time: None,
            restore_gb_per_hour: 100.0,
            restore_fixed: Dist::Fixed((10 * MINUTE) as f64),
            fast_snapshot_restore: false,
        }
    }

    fn region_outage() -> RestoreNeed {
        RestoreNeed {
            from_copy: true,
            deadline: 0,
            restore_start: 0,
            deleted_by_attacker: false,
            corruption: false,
        }
    }

    /// Hourly backups, 10-minute copy, region lost at a random time: RPO is uniform on
    /// [10 min, 70 min). Checked on its mean and its quartiles (Monte Carlo tolerance).
    #[test]
    fn hourly_backup_with_copy_gives_uniform_rpo_from_10_to_70_minutes() {
        let backups = hourly(10);
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let n = 40_000;
        let mut rpos: Vec<f64> = (0..n)
            .map(|_| {
                recovery_point(&backups, region_outage(), &mut rng)
                    .unwrap()
                    .rpo as f64
                    / MINUTE as f64
            })
            .collect();
        rpos.sort_by(f64::total_cmp);
        assert!(rpos[0] >= 10.0 && rpos[n - 1] < 70.0);
        let mean = rpos.iter().sum::<f64>() / n as f64;
        let sd = 60.0 / 12f64.sqrt();
        assert!(
            (mean - 40.0).abs() < 4.0 * sd / (n as f64).sqrt(),
            "mean {mean}"
        );
        // Quantile q of U[10,70] is 10 + 60q; its sampling sd is 60 sqrt(q(1-q)/n).
        for q in [0.25, 0.5, 0.75] {
            let got = rpos[(q * n as f64) as usize];
            let tolerance = 4.0 * 60.0 * (q * (1.0 - q) / n as f64).sqrt();
            assert!((got - (10.0 + 60.0 * q)).abs() < tolerance, "q{q}: {got}");
        }
    }

    /// RPOs of `n` region outages restored from the copies, in minutes.
    fn outage_rpos(backups: &Backups, n: usize, seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..n)
            .map(|_| {
                let point = recovery_point(backups, region_outage(), &mut rng).unwrap();
                point.rpo as f64 / MINUTE as f64
            })
            .collect()
    }

    /// Mean and 4 standard errors of a sample (the Monte Carlo tolerance).
    fn mean_and_tolerance(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, 4.0 * (var / n).sqrt())
    }

    /// Hourly backups with AWS Backup's minimum 60-minute start window
    /// (docs/sources.md#backup-start-window), each job starting uniformly in it, copied in
    /// 10 min; region lost at a uniform phase `f` after the latest scheduled time.
    /// Derived by hand: the backup scheduled `j` hours before that time is usable when its
    /// start `U_j` <= f + 60j - 10. For f >= 10 the latest is usable with probability
    /// (f - 10)/60 and loses (f + 10)/2 on average, else the one before loses f + 30; for
    /// f < 10 the one before is usable with probability (f + 50)/60 and loses (f + 70)/2,
    /// else the one before that loses f + 90. Integrating over f: (2277.8 + 422.2) / 60 =
    /// 45 min (40 without the window), within [10, 130).
    #[test]
    fn start_window_delays_the_recovery_point_by_a_random_share_of_an_hour() {
        let mut backups = hourly(10);
        backups.start_window = HOUR;
        let rpos = outage_rpos(&backups, 40_000, 17);
        assert!(rpos.iter().all(|&m| (10.0..130.0).contains(&m)));
        let (mean, tol) = mean_and_tolerance(&rpos);
        assert!((mean - 45.0).abs() < tol, "mean {mean} +- {tol}");
    }

    /// Copies queue one behind the other (docs/sources.md#rds-copy-snapshot). Hourly
    /// backups, instant, each copy exponential with mean 50 min: a D/M/1 queue. The
    /// newest copy's age at a random moment (the RPO) is, for a first-come-first-served
    /// queue with periodic arrivals T, T/2 + E[time in system] (Kaul, Yates and Gruteser's
    /// age of information), and in D/M/1 the time in system is exponential with mean
    /// m / (1 - s), s the root in (0, 1) of s = exp(-(T/m)(1 - s)): s = 0.6863, so
    /// E[RPO] = 30 + 50 / 0.3137 = 189.4 min. Copies side by side would lose far less.
    #[test]
    fn queued_copies_lag_as_a_d_m_1_queue() {
        // Load 5/6 as derived above; and 11/12 (s = 0.8513, 369.7 min), where the queue
        // remembers longest: the warm-up must still reach the steady state.
        for (mean_copy, n) in [(50.0, 20_000), (55.0, 10_000)] {
            let mut backups = hourly(0);
            backups.copy.as_mut().unwrap().duration = Dist::Exponential {
                mean: mean_copy * MINUTE as f64,
            };
            let mut s = 0.5f64;
            for _ in 0..500 {
                s = (-(60.0 / mean_copy) * (1.0 - s)).exp();
            }
            let expected = 30.0 + mean_copy / (1.0 - s);
            let rpos = outage_rpos(&backups, n, 23);
            let (mean, tol) = mean_and_tolerance(&rpos);
            assert!(
                (mean - expected).abs() < tol,
                "copy {mean_copy} min: mean {mean} +- {tol}, expected {expected}"
            );
        }
    }

    /// Shipments from an on-premises site travel independently: with the same hourly
    /// backups and exponential 50 min transfers, the point scheduled `j` hours before the
    /// latest (at phase f) has arrived with probability 1 - exp(-(f + 60j)/50), on its
    /// own, so E[RPO] = mean over f of sum_j (f + 60j) P(j arrived) prod_{i<j} P(i not),
    /// evaluated below (72.2 min, far below the 189.4 min of the queue).
    #[test]
    fn independent_shipments_do_not_queue() {
        let mut backups = hourly(0);
        let copy = backups.copy.as_mut().unwrap();
        copy.duration = Dist::Exponential {
            mean: (50 * MINUTE) as f64,
        };
        copy.one_at_a_time = false;
        let steps = 6000;
        let expected = (0..steps)
            .map(|k| {
                let f = (k as f64 + 0.5) * 60.0 / steps as f64;
                let (mut none_yet, mut sum) = (1.0, 0.0);
                for j in 0..200 {
                    let age = f + 60.0 * j as f64;
                    let arrived = 1.0 - (-age / 50.0).exp();
                    sum += age * none_yet * arrived;
                    none_yet *= 1.0 - arrived;
                }
                sum
            })
            .sum::<f64>()
            / steps as f64;
        let rpos = outage_rpos(&backups, 20_000, 31);
        let (mean, tol) = mean_and_tolerance(&rpos);
        assert!(
            (mean - expected).abs() < tol,
            "mean {mean} +- {tol}, expected {expected}"
        );
    }

    /// Aurora copies carry the whole data every time (docs/sources.md#aurora-copy-snapshot):
    /// 100 GB at 200 GB/h plus 10 min fixed is 40 min a copy, under the hour, so no
    /// queue: RPO uniform on [40, 100) min, mean 70. Incremental copies of 5 GB a day
    /// carry 0.21 GB an hour (3.75 s): mean 40 min + 3.75 s.
    #[test]
    fn full_copies_take_their_size_over_the_throughput() {
        let mut backups = hourly(10);
        let copy = backups.copy.as_mut().unwrap();
        copy.gb_per_hour = Some(200.0);
        copy.size = CopySize::Full(100.0);
        let full = outage_rpos(&backups, 20_000, 29);
        assert!(full.iter().all(|&m| (40.0..100.0).contains(&m)));
        let (mean, tol) = mean_and_tolerance(&full);
        assert!((mean - 70.0).abs() < tol, "full: mean {mean} +- {tol}");
        backups.copy.as_mut().unwrap().size = CopySize::Changes(5.0);
        let changes = outage_rpos(&backups, 20_000, 29);
        let (mean, tol) = mean_and_tolerance(&changes);
        let expected = 40.0 + 3.75 / 60.0;
        assert!(
            (mean - expected).abs() < tol,
            "changes: mean {mean} +- {tol}"
        );
    }

    #[test]
    fn in_region_restore_does_not_wait_for_the_copy() {
        let backups = hourly(10);
        let need = RestoreNeed {
            from_copy: false,
            ..region_outage()
        };
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        for _ in 0..1000 {
            assert!(recovery_point(&backups, need, &mut rng).unwrap().rpo < HOUR);
        }
    }

    #[test]
    fn ransomware_deletes_unlocked_backups_but_not_locked_ones() {
        let mut backups = hourly(10);
        let need = RestoreNeed {
            deleted_by_attacker: true,
            ..region_outage()
        };
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        assert_eq!(recovery_point(&backups, need, &mut rng), None);
        backups.vault_lock = crate::model::VaultLock::Governance;
        assert!(recovery_point(&backups, need, &mut rng).is_some());
    }

    #[test]
    fn corruption_found_after_the_retention_leaves_no_clean_point() {
        let backups = hourly(10);
        let found_late = RestoreNeed {
            from_copy: false,
            deadline: (40 * DAY) as i64,
            restore_start: (40 * DAY) as i64,
            deleted_by_attacker: false,
            corruption: true,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        assert_eq!(recovery_point(&backups, found_late, &mut rng), None);
    }

    #[test]
    fn no_copy_means_nothing_to_restore_in_another_region() {
        let mut backups = hourly(10);
        backups.copy = None;
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        assert_eq!(recovery_point(&backups, region_outage(), &mut rng), None);
    }

    #[test]
    fn point_in_time_restore_loses_under_one_log_interval() {
        let mut backups = hourly(10);
        backups.point_in_time = Some(5 * MINUTE);
        let need = RestoreNeed {
            from_copy: false,
            ..region_outage()
        };
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        for _ in 0..1000 {
            assert!(recovery_point(&backups, need, &mut rng).unwrap().rpo < 5 * MINUTE);
        }
    }

    /// Daily backups at 02:00 and 14:00 with instant completion: RPO is uniform on [0, 12h).
    #[test]
    fn twice_daily_schedule_gives_rpo_below_twelve_hours() {
        let mut backups = hourly(0);
        backups.schedule = Schedule::DailyAt(vec![2 * HOUR, 14 * HOUR]);
        let need = RestoreNeed {
            from_copy: false,
            ..region_outage()
        };
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let n = 20_000;
        let mean = (0..n)
            .map(|_| recovery_point(&backups, need, &mut rng).unwrap().rpo as f64 / HOUR as f64)
            .inspect(|&h| assert!(h < 12.0))
            .sum::<f64>()
            / n as f64;
        let tolerance = 4.0 * (12.0 / 12f64.sqrt()) / (n as f64).sqrt();
        assert!((mean - 6.0).abs() < tolerance, "mean {mean}");
    }

    /// EBS volumes load lazily: without fast snapshot restore the restore lasts until
    /// hydrated (size over throughput); with it the volume is fully initialised at
    /// creation (docs/sources.md#ebs-initialize): the fixed part only.
    #[test]
    fn fast_snapshot_restore_skips_the_hydration() {
        let mut backups = hourly(10);
        backups.engine = BackupEngine::Ebs;
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        assert_eq!(
            restore_time(&backups, 200.0, &mut rng),
            10 * MINUTE + 2 * HOUR
        );
        backups.fast_snapshot_restore = true;
        assert_eq!(restore_time(&backups, 200.0, &mut rng), 10 * MINUTE);
    }

    #[test]
    fn restore_time_grows_with_data_size() {
        let backups = hourly(10);
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        assert_eq!(
            restore_time(&backups, 200.0, &mut rng),
            10 * MINUTE + 2 * HOUR
        );
    }
}
