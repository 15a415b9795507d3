//! An [`Optimization`] (`drsim optimize`) as text, JSON or Markdown: the search's
//! effort, the winning design and what it changes, and the Pareto front of cost against
//! each disaster's margin over its objective.

use std::fmt::Write as _;

use crate::analysis::optimize::{CostBasis, Evaluated, Optimization};
use crate::present::format::{signed_points, thousands, usd_whole};
use crate::present::table::{Align, text_table};

/// The formats `drsim optimize` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OptimizeFormat {
    /// Readable text.
    Text,
    /// One JSON object.
    Json,
    /// Markdown, for a pull-request comment.
    Markdown,
}

/// `result` in `format`.
pub fn render(result: &Optimization, format: OptimizeFormat) -> serde_json::Result<String> {
    Ok(match format {
        OptimizeFormat::Text => text(result, false),
        OptimizeFormat::Markdown => text(result, true),
        OptimizeFormat::Json => serde_json::to_string_pretty(result)? + "\n",
    })
}

fn basis(result: &Optimization) -> &'static str {
    match result.cost_basis {
        CostBasis::Steady => "steady monthly cost",
        CostBasis::RiskAdjusted => "risk-adjusted monthly cost",
    }
}

/// A signed whole-dollar difference: "+$120", "-$3,400".
fn signed_usd(usd: f64) -> String {
    if usd < 0.0 {
        format!("-{}", usd_whole(-usd))
    } else {
        format!("+{}", usd_whole(usd))
    }
}

/// The header, the effort, the winner and its changes, the front. Markdown wraps the
/// tables in code blocks and the titles in headings.
fn text(r: &Optimization, markdown: bool) -> String {
    let heading = |title: &str| {
        if markdown {
            format!("\n### {title}\n\n")
        } else {
            format!("\n{title}\n")
        }
    };
    let block = |body: String| {
        if markdown {
            format!("```\n{body}```\n")
        } else {
            body
        }
    };
    let mut out = String::new();
    if markdown {
        out.push_str("## drsim optimize\n\n");
    }
    let _ = writeln!(
        out,
        "Cheapest design ({}) of {} in the space {} meeting every objective; seed {}, {} trials a full run (stages {}), common random numbers.",
        basis(r),
        r.model,
        r.space,
        r.seed,
        thousands(r.trials),
        (r.stages.iter().map(|s| thousands(*s)).collect::<Vec<_>>()).join(" / "),
    );
    let _ = writeln!(
        out,
        "{} candidates in the space; {} evaluated ({} rejected at screening, {} on all trials), {} pruned by monotonicity; {} trials spent ({} for brute force).",
        thousands(r.candidates_in_space),
        thousands(r.candidates_evaluated),
        thousands(r.rejected_at_screening),
        thousands(r.confirmed),
        thousands(r.candidates_pruned),
        thousands(r.trials_spent),
        thousands(r.brute_force_trials),
    );
    if r.budget_exhausted {
        let _ = writeln!(
            out,
            "The budget of {} trials ran out before the search ended: a cheaper design may meet the objectives.",
            thousands(r.budget.unwrap_or(0))
        );
    }
    out.push_str(&heading("Winner"));
    match &r.winner {
        None => out.push_str("No candidate in the space meets every objective.\n"),
        Some(w) => {
            let _ = writeln!(
                out,
                "{}/month steady ({} vs the model's {}), {}/month risk-adjusted.",
                usd_whole(w.monthly_usd),
                signed_usd(r.monthly_difference_usd.unwrap_or(0.0)),
                usd_whole(r.input_monthly_usd),
                usd_whole(w.risk_adjusted_monthly_usd),
            );
            let mut rows = vec![vec!["knob".to_string(), "model".into(), "winner".into()]];
            for s in &w.settings {
                let change = r.changes.iter().find(|c| c.key == s.key);
                let input = match change {
                    Some(c) => c.input.clone().unwrap_or_else(|| "(none)".into()),
                    None => s.value.clone(),
                };
                let mark = if change.is_some() { " *" } else { "" };
                rows.push(vec![s.key.clone(), input, format!("{}{mark}", s.value)]);
            }
            out.push_str(&block(text_table(&rows, "  ", &[Align::Left; 3])));
            let _ = writeln!(
                out,
                "(* changed: {} of {} knobs)",
                r.changes.len(),
                w.settings.len()
            );
            out.push_str(&block(margin_table(
                std::slice::from_ref(w),
                r.cost_basis,
                false,
            )));
        }
    }
    out.push_str(&heading(
        "Pareto front: cost against each disaster's margin (P(met) - confidence, percentage points), candidates run on all trials",
    ));
    if r.pareto_front.is_empty() {
        out.push_str("No candidate ran on all trials.\n");
    } else {
        out.push_str(&block(margin_table(&r.pareto_front, r.cost_basis, true)));
    }
    out
}

/// One row per candidate: cost, verdict, each disaster's margin; the knob values when
/// `settings`.
fn margin_table(rows: &[Evaluated], basis: CostBasis, settings: bool) -> String {
    let Some(first) = rows.first() else {
        return String::new();
    };
    let mut header = vec!["$/month".to_string(), "meets".into()];
    header.extend(first.margins.iter().map(|m| m.disaster.clone()));
    if settings {
        header.push("knobs".into());
    }
    let mut table = vec![header];
    for e in rows {
        let mut row = vec![
            usd_whole(e.cost(basis)),
            if e.verdict == crate::analysis::optimize::Verdict::Meets {
                "yes"
            } else {
                "no"
            }
            .into(),
        ];
        row.extend(e.margins.iter().map(|m| signed_points(m.margin)));
        if settings {
            let knobs: Vec<String> = e
                .settings
                .iter()
                .map(|s| format!("{}={}", short_key(&s.key), s.value))
                .collect();
            row.push(knobs.join(" "));
        }
        table.push(row);
    }
    let mut align = vec![Align::Right; table[0].len()];
    if settings {
        *align.last_mut().expect("a column") = Align::Left;
    }
    text_table(&table, "  ", &align)
}

/// The last part of a model key: `warm_pool.size` of `regions.x.asg.warm_pool.size`.
fn short_key(key: &str) -> &str {
    let mut dots = key.rmatch_indices('.');
    match (dots.next(), dots.next()) {
        (Some(_), Some((i, _))) => &key[i + 1..],
        _ => key,
    }
}
