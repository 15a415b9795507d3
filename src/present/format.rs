//! Every number a person reads: money, shares and durations, each written one way per
//! purpose, in one place.
//!
//! - Money: [`usd_whole`] ("$14,812", tables and sentences), [`usd_whole_or_short`]
//!   (the HTML report's tables: whole dollars, the short form from $10M), [`usd_short`]
//!   (chart ticks and labels: "$12.3k"), [`usd_cents`] ("14812.40", cost tables and CSV)
//!   and [`usd_unit_price`] ("0.0960", a catalog price).
//! - Shares: [`percent_1dp`] ("99.5%"), [`percent_0dp`] ("90%"), [`percent_trimmed`]
//!   (up to two decimals, trailing zeros dropped) and [`percent_interval`].
//! - Counts: [`thousands`] ("10,000 trials").
//! - Durations: [`format_duration`] (milliseconds in readable units; it lives in
//!   [`crate::model::units`] because `drsim validate` describes models with it, as do
//!   [`percent_trimmed`] and the per-trial CSV's column names),
//!   [`seconds_or_never`] and [`ms_or_never`].
//!
//! Where two variants differ, they differ on purpose (and in their output): a renamed
//! variant would change a byte of some report.

pub use crate::model::units::{
    format_duration, percent_1dp, percent_trimmed, percent_trimmed_to, points, thousands, usd_whole,
};

/// Whole dollars with thousands separators ("$14,810") below $10M, then the short
/// form of [`usd_short`] ("$12.3M"). The sign is the value's: -0.4 is "-$0".
pub fn usd_whole_or_short(usd: f64) -> String {
    if usd.abs() >= 1e7 {
        return usd_short(usd);
    }
    let sign = if usd < 0.0 { "-" } else { "" };
    format!("{sign}${}", thousands(usd.abs().round() as u64))
}

/// US dollars for axis ticks and chart labels: "$950", "$12.3k", "$148k", "$1.2M".
pub fn usd_short(usd: f64) -> String {
    let abs = usd.abs();
    // One decimal while it carries information ("$14.8k"), none when it is ".0" ("$5k").
    let short = |value: f64, unit: &str| {
        let text = format!("{value:.1}");
        let text = text.strip_suffix(".0").unwrap_or(&text);
        format!("${text}{unit}")
    };
    if abs >= 1e6 {
        short(usd / 1e6, "M")
    } else if abs >= 1e5 {
        format!("${:.0}k", usd / 1e3)
    } else if abs >= 1e3 {
        short(usd / 1e3, "k")
    } else {
        format!("${usd:.0}")
    }
}

/// Dollars and cents, no symbol or separators: "14812.40" (cost tables and CSV).
pub fn usd_cents(usd: f64) -> String {
    format!("{usd:.2}")
}

/// A unit price, to a hundredth of a cent: "0.0960".
pub fn usd_unit_price(usd: f64) -> String {
    format!("{usd:.4}")
}

/// A share as a whole percentage: "90%".
pub fn percent_0dp(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// A confidence interval of shares, with as many decimals (2 to 4) as it takes for a
/// narrow interval not to print as "[90%, 90%]".
pub fn percent_interval(lo: f64, hi: f64) -> String {
    let (lo, hi) = (2..=4)
        .map(|d| (percent_trimmed_to(lo, d), percent_trimmed_to(hi, d)))
        .find(|(l, h)| l != h)
        .unwrap_or_else(|| (percent_trimmed(lo), percent_trimmed(hi)));
    format!("[{lo}, {hi}]")
}

/// Seconds in readable units; `None` (the outcome never happened) is "never".
pub fn seconds_or_never(seconds: Option<f64>) -> String {
    seconds.map_or_else(|| "never".to_string(), |s| format_duration(s * 1000.0))
}

/// Milliseconds in readable units; `None` is "never".
pub fn ms_or_never(ms: Option<f64>) -> String {
    ms.map_or_else(|| "never".to_string(), format_duration)
}

/// A share as signed percentage points to one decimal ("+1.2", "-0.4"): a margin over
/// an objective's confidence (`drsim optimize`).
pub fn signed_points(share: f64) -> String {
    format!("{:+.1}", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_dollars_group_thousands() {
        assert_eq!(usd_whole(14_812.4), "$14,812");
        assert_eq!(usd_whole(380.0), "$380");
        assert_eq!(usd_whole(-1_234_567.0), "-$1,234,567");
        // The sign is the rounded value's.
        assert_eq!(usd_whole(-0.4), "$0");
    }

    #[test]
    fn report_dollars_are_whole_then_short() {
        assert_eq!(usd_whole_or_short(6_200.4), "$6,200");
        assert_eq!(usd_whole_or_short(-50.0), "-$50");
        assert_eq!(usd_whole_or_short(-0.4), "-$0");
        assert_eq!(usd_whole_or_short(12_300_000.0), "$12.3M");
    }

    #[test]
    fn short_dollars_for_charts() {
        assert_eq!(usd_short(950.0), "$950");
        assert_eq!(usd_short(1_250.0), "$1.2k");
        assert_eq!(usd_short(12_300.0), "$12.3k");
        assert_eq!(usd_short(5_000.0), "$5k");
        assert_eq!(usd_short(148_000.0), "$148k");
        assert_eq!(usd_short(2_500_000.0), "$2.5M");
    }

    #[test]
    fn cents_and_unit_prices() {
        assert_eq!(usd_cents(14_812.4), "14812.40");
        assert_eq!(usd_cents(-0.0 + 0.0), "0.00");
        assert_eq!(usd_unit_price(0.096), "0.0960");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent_1dp(0.995), "99.5%");
        assert_eq!(percent_1dp(1.0), "100.0%");
        assert_eq!(percent_0dp(0.9), "90%");
        assert_eq!(percent_trimmed(0.99), "99%");
        assert_eq!(percent_trimmed(0.995), "99.5%");
        assert_eq!(percent_trimmed(0.001), "0.1%");
        assert_eq!(percent_trimmed(1.0), "100%");
        assert_eq!(percent_trimmed(0.123456), "12.35%");
    }

    #[test]
    fn narrow_intervals_get_the_decimals_they_need() {
        assert_eq!(percent_interval(0.5, 0.75), "[50%, 75%]");
        assert_eq!(percent_interval(0.898747, 0.901253), "[89.87%, 90.13%]");
        assert_eq!(percent_interval(0.89995, 0.90004), "[89.995%, 90.004%]");
        assert_eq!(percent_interval(1.0, 1.0), "[100%, 100%]");
    }

    #[test]
    fn durations_or_never() {
        assert_eq!(seconds_or_never(None), "never");
        assert_eq!(seconds_or_never(Some(90.0)), format_duration(90_000.0));
        assert_eq!(ms_or_never(None), "never");
        assert_eq!(ms_or_never(Some(850.0)), "850ms");
    }
}
