//! A sensitivity analysis as a tornado table, JSON or CSV.

use crate::analysis::sensitivity::{Answer, Sensitivity, Swing};
use crate::analysis::uncertainty::{InputUncertainty, Spread};
use crate::present::Format;
use crate::present::format::{percent_1dp, seconds_or_never, usd_whole};
use crate::present::table::{Align, csv_text, text_table};

/// The sensitivity in `format`.
pub fn render(s: &Sensitivity, format: Format) -> serde_json::Result<String> {
    Ok(match format {
        Format::Table => table(s),
        Format::Csv => csv(s),
        Format::Json => serde_json::to_string_pretty(s)? + "\n",
    })
}

/// Width of the longest tornado bar, in characters.
const BAR: usize = 20;

/// The header, the base answer, and one row per input, largest swing first, with a bar
/// as long as its swing in P(RTO met) (the tornado).
pub fn table(s: &Sensitivity) -> String {
    let scope = s
        .disaster
        .as_deref()
        .unwrap_or("all disasters (weighted by frequency)");
    let mut out = format!(
        "Sensitivity of {}, {scope}: {} trials per variant, seed {}, {} runs with common \
         random numbers\nbase: {}\n\n",
        s.scenario,
        s.trials,
        s.seed,
        s.runs,
        answer_text(&s.base)
    );
    let widest = (s.inputs.iter())
        .map(|i| i.swing_p_rto_met.abs())
        .fold(0.0, f64::max);
    let mut rows = vec![header()];
    rows.extend(s.inputs.iter().map(|i| row(i, widest)));
    let align = [Align::Left, Align::Left, Align::Left, Align::Left];
    out.push_str(&text_table(&rows, "", &align));
    out.push_str(
        "\n(u) the value in the model is marked unsourced where it is written. Swings are high \
         minus low; a \"never\" quantile counts as the horizon.\n",
    );
    if s.inputs.iter().any(|i| i.range_from_model) {
        out.push_str("(m) low and high are the range written in the model, not the default.\n");
    }
    out
}

fn answer_text(a: &Answer) -> String {
    format!(
        "P(RTO met) {}, RTO p99 {}, RPO p99 {}, risk-adjusted {}/month",
        percent_1dp(a.p_rto_met),
        seconds_or_never(a.rto_p99_seconds),
        seconds_or_never(a.rpo_p99_seconds),
        usd_whole(a.risk_adjusted_monthly_usd)
    )
}

fn header() -> Vec<String> {
    [
        "input",
        "value",
        "low / high",
        "P(RTO met) swing",
        "P(RTO met) low / high",
        "RTO p99 low / high",
        "RPO p99 low / high",
        "$/month low / high",
    ]
    .map(String::from)
    .to_vec()
}

fn row(i: &Swing, widest: f64) -> Vec<String> {
    let mark = if i.unsourced { " (u)" } else { "" };
    let bar_len = if widest > 0.0 {
        (i.swing_p_rto_met.abs() / widest * BAR as f64).round() as usize
    } else {
        0
    };
    let sign = if i.swing_p_rto_met < 0.0 { "-" } else { "+" };
    vec![
        format!("{}{mark}", i.name),
        i.value.clone(),
        format!(
            "{} / {}{}",
            i.low,
            i.high,
            if i.range_from_model { " (m)" } else { "" }
        ),
        format!(
            "{}{} {}",
            sign,
            percent_1dp(i.swing_p_rto_met.abs()),
            "#".repeat(bar_len)
        ),
        low_high(i, |a| percent_1dp(a.p_rto_met)),
        low_high(i, |a| seconds_or_never(a.rto_p99_seconds)),
        low_high(i, |a| seconds_or_never(a.rpo_p99_seconds)),
        low_high(i, |a| usd_whole(a.risk_adjusted_monthly_usd)),
    ]
}

/// "low / high" of one figure of an input's two answers.
fn low_high(i: &Swing, figure: impl Fn(&Answer) -> String) -> String {
    format!("{} / {}", figure(&i.at_low), figure(&i.at_high))
}

/// One CSV row per input, largest swing first, after the header.
pub fn csv(s: &Sensitivity) -> String {
    let header = [
        "input",
        "unsourced",
        "value",
        "low",
        "high",
        "swing_p_rto_met",
        "swing_rto_p99_s",
        "swing_rpo_p99_s",
        "swing_risk_adjusted_usd",
        "p_rto_met_low",
        "p_rto_met_high",
    ]
    .map(String::from)
    .to_vec();
    let rows = s.inputs.iter().map(|i| {
        vec![
            i.name.clone(),
            i.unsourced.to_string(),
            i.value.clone(),
            i.low.clone(),
            i.high.clone(),
            format!("{:.6}", i.swing_p_rto_met),
            format!("{:.3}", i.swing_rto_p99_seconds),
            format!("{:.3}", i.swing_rpo_p99_seconds),
            format!("{:.2}", i.swing_risk_adjusted_monthly_usd),
            format!("{:.6}", i.at_low.p_rto_met),
            format!("{:.6}", i.at_high.p_rto_met),
        ]
    });
    csv_text(std::iter::once(header).chain(rows))
}

/// The headline figures over the model's input ranges: as written, over the input
/// draws, and over as many blocks of the written model (the random spread).
pub fn uncertainty_table(u: &InputUncertainty) -> String {
    let mut out = format!(
        "Input uncertainty: {} draws of the ranged inputs (centred Latin hypercube), {} \
         trials each with common random numbers;\nrandom spread: the same figure over {} \
         blocks of {} trials of the model as written\n",
        u.draws, u.trials_per_draw, u.draws, u.trials_per_draw
    );
    for i in &u.inputs {
        out.push_str(&format!(
            "  {}: {} to {} (as written {})\n",
            i.name, i.low, i.high, i.value
        ));
    }
    out.push('\n');
    let header = [
        "figure",
        "as written",
        "input uncertainty min / median / max",
        "random spread min / median / max",
    ];
    let mut rows = vec![header.map(String::from).to_vec()];
    rows.extend(u.figures.iter().map(|f| {
        let show = |v: Option<f64>| match f.figure {
            "p_rto_met" => v.map_or("-".to_string(), percent_1dp),
            "risk_adjusted_monthly_usd" => v.map_or("-".to_string(), usd_whole),
            _ => seconds_or_never(v),
        };
        let spread = |s: &Spread| format!("{} / {} / {}", show(s.min), show(s.median), show(s.max));
        let name = match f.figure {
            "rto_p99_seconds" => "RTO p99",
            "p_rto_met" => "P(RTO met)",
            "rpo_p99_seconds" => "RPO p99",
            _ => "risk-adjusted $/month",
        };
        vec![
            name.to_string(),
            show(f.nominal),
            spread(&f.input_uncertainty),
            spread(&f.random_spread),
        ]
    }));
    let align = [Align::Left, Align::Right, Align::Right, Align::Right];
    out.push_str(&text_table(&rows, "", &align));
    out
}
