//! Simulated time and the human units architects write ("30s", "5m", "2h", "7d"), and
//! the few number formats a lower layer's own sentences need (the recommendation of a
//! comparison names a cost and a probability). Everything else a person reads is
//! formatted in `present::format`, which re-exports these.

use std::fmt;

/// Simulated time and durations, in whole milliseconds.
///
/// Integer time keeps the event order exact and sums associative, so a run gives the
/// same bytes whatever the thread count.
pub type Millis = u64;

/// Milliseconds in one second.
pub const SECOND: Millis = 1_000;
/// Milliseconds in one minute.
pub const MINUTE: Millis = 60 * SECOND;
/// Milliseconds in one hour.
pub const HOUR: Millis = 60 * MINUTE;
/// Milliseconds in one day.
pub const DAY: Millis = 24 * HOUR;

const UNITS: [(&str, f64); 6] = [
    ("ms", 1.0),
    ("s", SECOND as f64),
    ("m", MINUTE as f64),
    ("h", HOUR as f64),
    ("d", DAY as f64),
    ("w", 7.0 * DAY as f64),
];

/// Parses "90s", "1.5h", "7d" (also "250ms", "2w") into milliseconds.
///
/// A bare number is refused: the unit is what makes a model readable.
pub fn parse_duration(text: &str) -> Result<f64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .ok_or_else(|| {
            format!("`{text}` has no unit; write e.g. \"30s\", \"5m\", \"2h\" or \"7d\"")
        })?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number followed by a unit (e.g. \"30s\")"))?;
    let scale = UNITS
        .iter()
        .find(|(name, _)| *name == unit.trim())
        .map(|(_, scale)| *scale)
        .ok_or_else(|| {
            format!("unknown time unit `{unit}` in `{text}`; use ms, s, m, h, d or w")
        })?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!("`{text}` must be a duration of zero or more"));
    }
    Ok(value * scale)
}

/// Formats milliseconds in the largest unit that keeps it readable: "850ms", "42s",
/// "12.5m", "3.2h", "2.1d".
pub fn format_duration(ms: f64) -> String {
    HumanDuration(ms).to_string()
}

/// A duration in milliseconds that displays in readable units.
#[derive(Clone, Copy, Debug)]
pub struct HumanDuration(pub f64);

impl fmt::Display for HumanDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        if !ms.is_finite() {
            return write!(f, "never");
        }
        let (value, unit) = if ms < SECOND as f64 {
            return write!(f, "{ms:.0}ms");
        } else if ms < MINUTE as f64 {
            (ms / SECOND as f64, "s")
        } else if ms < HOUR as f64 {
            (ms / MINUTE as f64, "m")
        } else if ms < DAY as f64 {
            (ms / HOUR as f64, "h")
        } else {
            (ms / DAY as f64, "d")
        };
        if value >= 100.0 || (value - value.round()).abs() < 0.05 {
            write!(f, "{value:.0}{unit}")
        } else {
            write!(f, "{value:.1}{unit}")
        }
    }
}

/// Whole dollars with thousands separators: "$14,812"; the sign is the rounded
/// value's ("-$5", but "$0" for -0.4).
pub fn usd_whole(usd: f64) -> String {
    let whole = usd.round() as i64;
    let sign = if whole < 0 { "-" } else { "" };
    format!("{sign}${}", thousands(whole.unsigned_abs()))
}

/// A share as a percentage with one decimal: "99.5%", "100.0%".
pub fn percent_1dp(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// A share as a percentage: two decimals, fewer when they are zeros ("99%", "99.5%").
pub fn percent_trimmed(share: f64) -> String {
    percent_trimmed_to(share, 2)
}

/// A share as a percentage with at most `decimals` decimals, trailing zeros dropped. A
/// share short of all never prints as "100%" (nor one above none as "0%"): it takes up
/// to 4 decimals, then reads "> 99.9999%" ("< 0.0001%").
pub fn percent_trimmed_to(share: f64, decimals: usize) -> String {
    for d in decimals..=decimals.max(4) {
        let text = format!("{:.d$}", share * 100.0);
        let text = text.trim_end_matches('0').trim_end_matches('.');
        let misleading = (text == "100" && share < 1.0) || (text == "0" && share > 0.0);
        if !misleading {
            return format!("{text}%");
        }
    }
    if share < 1.0 && share > 0.5 {
        "> 99.9999%".into()
    } else {
        "< 0.0001%".into()
    }
}

/// A difference of shares in percentage points, one decimal: "2.9 points".
pub fn points(share: f64) -> String {
    format!("{:.1} points", share * 100.0)
}

/// Digits in groups of three: "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_unit() {
        assert_eq!(parse_duration("250ms"), Ok(250.0));
        assert_eq!(parse_duration("30s"), Ok(30_000.0));
        assert_eq!(parse_duration("1.5h"), Ok(5_400_000.0));
        assert_eq!(parse_duration("7d"), Ok(7.0 * DAY as f64));
        assert_eq!(parse_duration("2w"), Ok(14.0 * DAY as f64));
    }

    #[test]
    fn refuses_missing_or_unknown_units() {
        assert!(parse_duration("30").unwrap_err().contains("no unit"));
        assert!(
            parse_duration("3y")
                .unwrap_err()
                .contains("unknown time unit")
        );
        assert!(parse_duration("-5m").is_err());
        assert!(parse_duration("m").is_err());
    }

    #[test]
    fn formats_in_readable_units() {
        assert_eq!(format_duration(850.0), "850ms");
        assert_eq!(format_duration(42_000.0), "42s");
        assert_eq!(format_duration(12.5 * MINUTE as f64), "12.5m");
        assert_eq!(format_duration(3.0 * HOUR as f64), "3h");
        assert_eq!(format_duration(f64::INFINITY), "never");
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(usd_whole(14_812.4), "$14,812");
        assert_eq!(usd_whole(-0.4), "$0");
        assert_eq!(percent_1dp(0.5), "50.0%");
    }

    #[test]
    fn a_share_short_of_all_never_prints_as_all() {
        assert_eq!(percent_trimmed(0.99965), "99.97%");
        assert_eq!(percent_trimmed(0.999996), "99.9996%");
        assert_eq!(percent_trimmed(0.99999999), "> 99.9999%");
        assert_eq!(percent_trimmed(1.0), "100%");
        assert_eq!(percent_trimmed(0.00001), "0.001%");
        assert_eq!(percent_trimmed(0.0), "0%");
    }
}
