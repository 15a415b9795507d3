//! A [`Comparison`] as a table, JSON, CSV or Markdown (`drsim compare`, and the table
//! `drsim report` prints).

use std::fmt::Write as _;

use crate::analysis::compare::{Block, Comparison, StrategyResult, StrategyRun, rto_thresholds};
use crate::present::Format;
use crate::present::format::{
    format_duration, percent_1dp, percent_trimmed, points, seconds_or_never, thousands, usd_cents,
    usd_whole,
};
use crate::present::table::{Align, csv_text, text_table};

/// The formats `drsim compare` prints: those of [`Format`], and Markdown for a
/// pull-request comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    /// A readable text table.
    Table,
    /// One JSON object.
    Json,
    /// One CSV row per strategy and scope.
    Csv,
    /// A compact Markdown summary fit for a pull-request comment.
    Markdown,
}

impl From<Format> for CompareFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::Table => CompareFormat::Table,
            Format::Json => CompareFormat::Json,
            Format::Csv => CompareFormat::Csv,
        }
    }
}

/// The comparison of `runs` in `format`.
pub fn render(
    comparison: &Comparison,
    runs: &[StrategyRun],
    format: impl Into<CompareFormat>,
) -> serde_json::Result<String> {
    Ok(match format.into() {
        CompareFormat::Table => table(comparison),
        CompareFormat::Csv => csv(comparison),
        CompareFormat::Json => json(comparison)?,
        CompareFormat::Markdown => markdown(comparison, runs),
    })
}

/// A compact Markdown summary for a pull-request comment: the verdict, then one row per
/// strategy with its cost, DR premium over the cheapest, and pass or fail on each
/// disaster's own objective (with the lower of its two probabilities when it fails).
/// The rows and the verdict are the comparison's main scope.
pub fn markdown(comparison: &Comparison, runs: &[StrategyRun]) -> String {
    let main = &comparison.main;
    let chosen = (main.recommended.as_ref())
        .and_then(|name| main.strategies.iter().find(|s| &s.name == name));
    let mut out = match chosen {
        Some(s) if s.meets_objectives => format!("### DR review: **{}** recommended\n\n", s.name),
        Some(_) => "### DR review: no strategy meets every objective\n\n".to_string(),
        None => "### DR review\n\n".to_string(),
    };
    let _ = writeln!(out, "{}.\n", main.recommendation.trim_end_matches('.'));
    let disasters: Vec<&str> = runs.first().map_or(Vec::new(), |run| {
        (run.summary.by_disaster.iter())
            .filter(|d| {
                main.disaster
                    .as_ref()
                    .is_none_or(|name| &d.disaster == name)
            })
            .map(|d| d.disaster.as_str())
            .collect()
    });
    out.push_str("| strategy | $/month | DR premium | risk-adjusted $/month |");
    for d in &disasters {
        let _ = write!(out, " {d} |");
    }
    out.push_str(" meets all |\n|:--|--:|--:|--:|");
    out.push_str(&":-:|".repeat(disasters.len()));
    out.push_str(":-:|\n");
    let cheapest = (main.strategies.iter())
        .map(|s| s.monthly_usd)
        .fold(f64::INFINITY, f64::min);
    for (row, run) in main.strategies.iter().zip(runs) {
        let premium = row.monthly_usd - cheapest;
        let _ = write!(
            out,
            "| {} | {} | +{} | {} |",
            row.name,
            usd_whole(row.monthly_usd),
            usd_whole(premium),
            usd_whole(row.risk_adjusted_monthly_usd)
        );
        for d in &disasters {
            let cell = (run.summary.by_disaster.iter())
                .find(|e| e.disaster == *d)
                .map_or("-".to_string(), |e| {
                    let f = &e.figures;
                    if f.meets_objectives {
                        "\u{2705}".to_string()
                    } else if f.p_rto_met <= f.p_rpo_met {
                        format!("\u{274c} RTO {}", percent_1dp(f.p_rto_met))
                    } else {
                        format!("\u{274c} RPO {}", percent_1dp(f.p_rpo_met))
                    }
                });
            let _ = write!(out, " {cell} |");
        }
        let all = if row.meets_objectives {
            "\u{2705}"
        } else {
            "\u{274c}"
        };
        let _ = writeln!(out, " {all} |");
    }
    let _ = writeln!(
        out,
        "\n<sub>{} trials per strategy, seed {}. \u{2705}: the disaster meets its own \
         objective; \u{274c}: the lower of P(RTO met) and P(RPO met). DR premium: steady \
         cost over the cheapest strategy. drsim {}.</sub>",
        thousands(comparison.trials),
        comparison.seed,
        env!("CARGO_PKG_VERSION")
    );
    out
}

/// The comparison as pretty JSON, with a final newline.
pub fn json(comparison: &Comparison) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(comparison)? + "\n")
}

/// The comparison as a text table (one block per scope), the rules and the recommendation.
pub fn table(comparison: &Comparison) -> String {
    let o = &comparison.objectives;
    let mut out = format!(
        "{} trials per strategy, seed {}; default objectives: RTO {}, RPO {}, met in {} of a \
         disaster's occurrences (each strategy is judged per disaster against its own model's)\n",
        comparison.trials,
        comparison.seed,
        format_duration(o.rto_seconds * 1000.0),
        format_duration(o.rpo_seconds * 1000.0),
        percent_1dp(o.confidence)
    );
    for block in std::iter::once(&comparison.main).chain(&comparison.by_disaster) {
        out.push('\n');
        write_block(&mut out, block);
    }
    out.push_str(
        "\n* on the Pareto front of steady monthly cost against RTO p99 (no other strategy is \
         both cheaper and faster)\n\
         meets: every disaster meets its own objective; worst miss: the disaster furthest \
         from it, in confidence points\n\
         recommended: the lowest risk-adjusted cost among those meeting every objective \
         (over all disasters, \"(all)\" in a disaster's table)\n",
    );
    out
}

fn write_block(out: &mut String, block: &Block) {
    let scope = match &block.disaster {
        None => "All disasters (weighted by frequency)".to_string(),
        Some(name) => format!("Disaster {name} only"),
    };
    let _ = writeln!(out, "{scope}");
    let shares = rto_thresholds(&block.strategies);
    let mut header: Vec<String> = ["strategy", "RTO p50", "RTO p90", "RTO p99"]
        .map(String::from)
        .into();
    for &share in &shares {
        let share = percent_trimmed(share);
        header.extend([format!("RTO@{share} p50"), format!("RTO@{share} p99")]);
    }
    // A disaster's block shows the all-disasters risk-adjusted cost (what recommends),
    // so its header says so rather than pass it off as that disaster's.
    let risk_adjusted = match block.disaster {
        None => "risk-adj $/mo",
        Some(_) => "risk-adj $/mo (all)",
    };
    header.extend(
        [
            "RPO p50",
            "RPO p99",
            "P(RTO)",
            "P(RPO)",
            "$/month",
            risk_adjusted,
            "front",
            "meets",
            "worst miss",
        ]
        .map(String::from),
    );
    let mut rows = vec![header];
    rows.extend(block.strategies.iter().map(|s| {
        let mut cells = vec![
            s.name.clone(),
            seconds_or_never(s.rto_seconds.p50),
            seconds_or_never(s.rto_seconds.p90),
            seconds_or_never(s.rto_seconds.p99),
        ];
        for &share in &shares {
            cells.extend(match s.rto_at(share) {
                Some(q) => [q.p50, q.p99].map(seconds_or_never),
                None => ["-".to_string(), "-".to_string()],
            });
        }
        cells.extend([
            seconds_or_never(s.rpo_seconds.p50),
            seconds_or_never(s.rpo_seconds.p99),
            percent_1dp(s.p_rto_met),
            percent_1dp(s.p_rpo_met),
            usd_whole(s.monthly_usd),
            usd_whole(s.risk_adjusted_monthly_usd),
            if s.on_pareto_front { "*" } else { "" }.into(),
            if s.meets_objectives { "yes" } else { "no" }.into(),
            s.worst_miss.as_ref().map_or(String::new(), |m| {
                format!("{} {}", m.disaster, points(m.shortfall))
            }),
        ]);
        cells
    }));
    // The strategy's name left-aligned, the figures right-aligned.
    out.push_str(&text_table(&rows, "", &[Align::Left]));
    let _ = writeln!(out, "recommended: {}", block.recommendation);
}

/// One CSV row per strategy and scope (`disaster` empty for all disasters). Shares of
/// `rto_thresholds` add `rto_at_SHARE_p50_s` and `rto_at_SHARE_p99_s` columns after the
/// RTO's (SHARE in percent; empty for a strategy that does not time that share).
pub fn csv(comparison: &Comparison) -> String {
    let blocks = || std::iter::once(&comparison.main).chain(&comparison.by_disaster);
    let all: Vec<StrategyResult> = blocks().flat_map(|b| b.strategies.clone()).collect();
    let shares = rto_thresholds(&all);
    let mut header: Vec<String> = [
        "disaster",
        "strategy",
        "file",
        "rto_p50_s",
        "rto_p90_s",
        "rto_p99_s",
    ]
    .map(String::from)
    .into();
    for &share in &shares {
        let percent = percent_trimmed(share);
        let percent = percent.trim_end_matches('%');
        header.extend(["p50", "p99"].map(|q| format!("rto_at_{percent}_{q}_s")));
    }
    header.extend(
        [
            "rpo_p50_s",
            "rpo_p99_s",
            "p_rto_met",
            "p_rpo_met",
            "monthly_usd",
            "risk_adjusted_monthly_usd",
            "on_pareto_front",
            "meets_objectives",
            "worst_miss_disaster",
            "worst_miss_shortfall",
            "recommended",
            "failed_recovery_share",
            "rto_failed_p50_s",
            "rto_failed_p99_s",
            "rto_clean_p50_s",
            "rto_clean_p99_s",
        ]
        .map(String::from),
    );
    let num = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
    let shares = &shares;
    let rows = blocks().flat_map(|block| {
        block.strategies.iter().map(move |s| {
            let mut cells = vec![
                block.disaster.clone().unwrap_or_default(),
                s.name.clone(),
                s.file.clone(),
                num(s.rto_seconds.p50),
                num(s.rto_seconds.p90),
                num(s.rto_seconds.p99),
            ];
            for &share in shares {
                let q = s.rto_at(share);
                cells.extend([q.and_then(|q| q.p50), q.and_then(|q| q.p99)].map(num));
            }
            cells.extend([
                num(s.rpo_seconds.p50),
                num(s.rpo_seconds.p99),
                s.p_rto_met.to_string(),
                s.p_rpo_met.to_string(),
                usd_cents(s.monthly_usd),
                usd_cents(s.risk_adjusted_monthly_usd),
                s.on_pareto_front.to_string(),
                s.meets_objectives.to_string(),
                (s.worst_miss.as_ref()).map_or(String::new(), |m| m.disaster.clone()),
                (s.worst_miss.as_ref()).map_or(String::new(), |m| m.shortfall.to_string()),
                (block.recommended.as_deref() == Some(&s.name)).to_string(),
                s.failed_recovery_share.to_string(),
            ]);
            let split = &s.rto_by_failed_recovery_seconds;
            for q in [&split.failed, &split.clean] {
                cells.extend([q.p50, q.p99].map(num));
            }
            cells
        })
    });
    csv_text(std::iter::once(header).chain(rows))
}
