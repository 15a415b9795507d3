//! The design-review report: one self-contained HTML file (inline CSS and SVG, no
//! scripts, no network) that an architect can mail, attach to a ticket or open offline.
//!
//! It is also well-formed XML (every element closed, only XML entities), so tests and
//! tools can parse it with an XML parser.

use std::fmt::Write as _;

use super::cdf::CdfChart;
use super::cost_bars::CostBarsChart;
use super::exceedance::ExceedanceChart;
use super::pareto::ParetoChart;
use super::timeline::{TimelineChart, timeline_text};
use super::{ChartError, render_svg};
use crate::present::format::{
    ms_or_never, percent_1dp, percent_interval, percent_trimmed, points, thousands,
    usd_whole_or_short,
};

/// Everything the report shows, as plain data.
#[derive(Clone, Debug, Default)]
pub struct DesignReview {
    /// Report title, e.g. "Checkout service: regional DR options".
    pub title: String,
    /// When it was generated, as the caller wants it shown (the library reads no clock,
    /// so reports are reproducible byte for byte).
    pub generated_on: String,
    /// The run's seed.
    pub seed: u64,
    /// Trials per strategy.
    pub trials: u64,
    /// The exact command line that reproduces the run.
    pub command_line: String,
    /// The objectives the strategies are judged against.
    pub objectives: Vec<Objective>,
    /// One row per strategy, in display order.
    pub strategies: Vec<StrategyRow>,
    /// Index into `strategies` of the recommended strategy, if any.
    pub recommended: Option<usize>,
    /// Why that strategy (shown under the table); may be empty.
    pub recommendation: String,
    /// Further comparisons under the main one, e.g. on the region outage alone.
    pub by_disaster: Vec<ComparisonTable>,
    /// Charts, in display order.
    pub figures: Vec<Figure>,
    /// Each strategy's key parameters and where they came from.
    pub assumptions: Vec<StrategyAssumptions>,
    /// Traces of single disasters for the recommended strategy (typical, bad, ...).
    pub traces: Vec<Trace>,
    /// Each strategy's inputs that turn recovery times into money (disaster frequencies,
    /// downtime and data-loss cost, price catalogs), shown as one table.
    pub money_inputs: Vec<StrategyAssumptions>,
    /// The near miss traced on the disaster it fails, if a strategy nearly meets.
    pub near_miss: Option<NearMiss>,
    /// The run's machine-readable results, embedded as downloads.
    pub downloads: Vec<Download>,
    /// The input that most moves the decision (from the recommended strategy's
    /// tornado), as a sentence for screen one.
    pub deciding_input: Option<String>,
}

/// The strategy that nearly meets the objectives, traced where it falls short.
#[derive(Clone, Debug)]
pub struct NearMiss {
    /// Why this strategy and this disaster, e.g. "pilot-light, $273/month cheaper than
    /// warm-standby, misses region-outage: P(RPO met) 0.5% against 95%".
    pub why: String,
    /// Its traces of that disaster.
    pub traces: Vec<Trace>,
}

/// A file embedded in the report as a `data:` link, so the report stays one file.
#[derive(Clone, Debug)]
pub struct Download {
    /// File name offered, e.g. "warm-standby.summary.json".
    pub file_name: String,
    /// Media type, e.g. "application/json".
    pub media_type: String,
    /// What it holds, shown beside the link.
    pub description: String,
    /// The file's text.
    pub content: String,
}

/// One objective, e.g. RTO "1h at 99% of disasters".
#[derive(Clone, Debug, Default)]
pub struct Objective {
    /// Short name, e.g. "RTO".
    pub name: String,
    /// The target as the model states it, e.g. "1h at 99% of disasters".
    pub target: String,
    /// Why it matters or where it comes from; may be empty.
    pub note: String,
}

/// One strategy's results. Times are in ms; `None` means the percentile was never
/// reached (some trials never recovered), shown as "never".
#[derive(Clone, Debug, Default)]
pub struct StrategyRow {
    /// Strategy name.
    pub name: String,
    /// Median recovery time.
    pub rto_p50_ms: Option<f64>,
    /// 90th percentile recovery time.
    pub rto_p90_ms: Option<f64>,
    /// 99th percentile recovery time.
    pub rto_p99_ms: Option<f64>,
    /// Recovery time at further shares of requests succeeding (`rto_thresholds`).
    pub rto_by_threshold: Vec<ShareTimes>,
    /// Median data-loss window.
    pub rpo_p50_ms: Option<f64>,
    /// 99th percentile data-loss window.
    pub rpo_p99_ms: Option<f64>,
    /// Share of disasters (0..=1) recovered within the RTO objective.
    pub p_rto_met: f64,
    /// Share of disasters (0..=1) within the RPO objective.
    pub p_rpo_met: f64,
    /// Steady-state cost, USD per month.
    pub steady_monthly_usd: f64,
    /// Steady cost plus the expected monthly cost of disasters (downtime, lost data).
    pub risk_adjusted_monthly_usd: f64,
    /// Whether no other strategy is both cheaper and faster.
    pub on_pareto_front: bool,
    /// Whether it meets every objective.
    pub meets_objectives: bool,
    /// Expected business loss from disasters, USD per month.
    pub expected_loss_monthly_usd: f64,
    /// Its figures on each disaster, in model order (the executive summary and the
    /// disaster x strategy matrix); may be empty.
    pub by_disaster: Vec<DisasterCell>,
}

/// One strategy on one disaster, judged against that disaster's own objective.
#[derive(Clone, Debug, Default)]
pub struct DisasterCell {
    /// Disaster name.
    pub disaster: String,
    /// Expected occurrences per year.
    pub per_year: f64,
    /// Share of all disasters (by frequency) that are this one.
    pub weight: f64,
    /// The objective as text, e.g. "RTO 30m, RPO 5m, in 95% of occurrences".
    pub objective: String,
    /// The confidence both probabilities must reach, 0..=1.
    pub confidence: f64,
    /// Share of its trials within the RTO objective, and the 95% interval.
    pub p_rto_met: f64,
    /// 95% confidence interval of `p_rto_met`.
    pub p_rto_met_ci95: [f64; 2],
    /// Share of its trials within the RPO objective.
    pub p_rpo_met: f64,
    /// 95% confidence interval of `p_rpo_met`.
    pub p_rpo_met_ci95: [f64; 2],
    /// 99th percentile recovery time from the disaster, ms; `None`: never reached.
    pub rto_p99_ms: Option<f64>,
    /// Trials of this disaster.
    pub trials: u64,
    /// Trials that never recovered within the horizon.
    pub never_recovered: u64,
    /// Trials where no copy of the data survived.
    pub data_unrecoverable: u64,
    /// Share of the trials in which some recovery step failed or stalled.
    pub failed_recovery_share: f64,
    /// Whether both probabilities reach `confidence`.
    pub meets: bool,
}

impl DisasterCell {
    /// "P(RTO met) 99.2% [98.81, 99.5] and P(RPO met) ... against 95%", the misses
    /// first named by what falls short.
    fn verdict(&self) -> String {
        let short = |p: f64| p < self.confidence;
        let mut parts = Vec::new();
        for (name, p, ci) in [
            ("RTO", self.p_rto_met, self.p_rto_met_ci95),
            ("RPO", self.p_rpo_met, self.p_rpo_met_ci95),
        ] {
            if short(p) || self.meets {
                parts.push(format!(
                    "P({name} met) {} {}",
                    percent_1dp(p),
                    percent_interval(ci[0], ci[1])
                ));
            }
        }
        format!(
            "{} against {}",
            parts.join(" and "),
            percent_trimmed(self.confidence)
        )
    }
}

/// Recovery time until a share of requests succeeds again, ms.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ShareTimes {
    /// Share of nominal request success, 0..=1.
    pub share: f64,
    /// Median.
    pub p50_ms: Option<f64>,
    /// 99th percentile.
    pub p99_ms: Option<f64>,
}

/// A comparison of the strategies on one disaster (or any subset of the trials).
#[derive(Clone, Debug, Default)]
pub struct ComparisonTable {
    /// Heading, e.g. "Region outage only".
    pub heading: String,
    /// One row per strategy.
    pub strategies: Vec<StrategyRow>,
    /// Index into `strategies` of the strategy recommended for this case, if any.
    pub recommended: Option<usize>,
    /// Why; may be empty.
    pub recommendation: String,
}

/// A chart in the report: an already rendered SVG, or a chart struct rendered here.
#[derive(Clone, Debug)]
pub enum Figure {
    /// SVG text from [`super::render_svg`], inlined as is. It must be trusted
    /// output of this crate: anything with a script or foreign object is refused.
    Svg {
        /// Figure caption.
        caption: String,
        /// The SVG document.
        svg: String,
    },
    /// Recovery-time CDFs.
    Cdf(CdfChart),
    /// Cost versus a time percentile.
    Pareto(ParetoChart),
    /// Cost by component.
    CostBars(CostBarsChart),
    /// One disaster's trace.
    Timeline(TimelineChart),
    /// Exceedance (1 - CDF) curves on a log scale.
    Exceedance(ExceedanceChart),
}

impl Figure {
    /// The SVG text and the caption explaining how to read it.
    fn render(&self) -> (Result<String, ChartError>, String) {
        match self {
            Figure::Svg { caption, svg } => (checked_svg(svg), caption.clone()),
            Figure::Cdf(chart) if chart.zero_label.is_some() => (
                render_svg(chart),
                "Share of simulated disasters that lost at most this much data: further left \
                 and higher is better. A log axis cannot place zero, so the legend states \
                 each strategy's share of disasters that lose no data."
                    .into(),
            ),
            Figure::Cdf(chart) => (
                render_svg(chart),
                "Share of simulated disasters recovered by each time: further left and higher \
                 is better. A curve that ends below 100% had trials that never recovered."
                    .into(),
            ),
            Figure::Pareto(chart) => (
                render_svg(chart),
                "Monthly cost against the time percentile. The Pareto front links the \
                 strategies that no other strategy beats on both cost and time."
                    .into(),
            ),
            Figure::CostBars(chart) if chart.increment_over.is_some() => (
                render_svg(chart),
                "What each strategy's steady bill adds over the cheapest's, by component: \
                 what the DR design costs. Costs every strategy pays alike (internet egress) \
                 drop out; the figure over each bar is the net difference, savings included."
                    .into(),
            ),
            Figure::CostBars(chart) => (
                render_svg(chart),
                "Steady-state monthly cost, stacked by component.".into(),
            ),
            Figure::Timeline(chart) => (
                render_svg(chart),
                "One simulated disaster: activities above, requests succeeding below.".into(),
            ),
            Figure::Exceedance(chart) => (render_svg(chart), chart.caption()),
        }
    }
}

/// Refuses SVG that could run code when inlined; the report promises no scripts.
fn checked_svg(svg: &str) -> Result<String, ChartError> {
    let lower = svg.to_ascii_lowercase();
    let dangerous = ["<script", "<foreignobject", "javascript:", " on"]
        .iter()
        .any(|bad| match *bad {
            // Event attributes look like ` onload=`; plain words starting "on" in text
            // are fine, so only flag `on...=` inside a tag.
            " on" => lower.split('<').any(|tag| {
                let tag = tag.split('>').next().unwrap_or("");
                tag.split_whitespace()
                    .skip(1)
                    .any(|attr| attr.starts_with("on") && attr.contains('='))
            }),
            other => lower.contains(other),
        });
    if dangerous || !lower.trim_start().starts_with("<svg") && !lower.contains("<svg") {
        return Err(ChartError::UnsafeSvg);
    }
    Ok(svg.to_string())
}

/// A strategy's key parameters.
#[derive(Clone, Debug, Default)]
pub struct StrategyAssumptions {
    /// Strategy name.
    pub strategy: String,
    /// Key parameters, in display order.
    pub parameters: Vec<Assumption>,
}

/// One parameter: what, how much, and on whose word.
#[derive(Clone, Debug, Default)]
pub struct Assumption {
    /// Parameter name, e.g. "DNS TTL".
    pub name: String,
    /// Value as written in the model, e.g. "60s".
    pub value: String,
    /// Where the value comes from, e.g. "AWS docs" or "incident reviews 2025".
    pub source: String,
}

/// One disaster's trace for the report.
#[derive(Clone, Debug)]
pub struct Trace {
    /// Heading, e.g. "Typical (median) disaster".
    pub heading: String,
    /// The trace; drawn as a chart and printed as a text log.
    pub chart: TimelineChart,
    /// The simulator's own log of the trial, printed under the chart; when empty, a log
    /// is made from the chart's spans and markers.
    pub log: String,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// Screen, phone and print rules. Wide tables and charts scroll inside their own box
/// (`.scroll`), never the page; charts keep a minimum width so their text stays about
/// 10 px or more (19 px labels laid out at 1280 px, shown at least 720 px wide).
const STYLE: &str = r#"
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; margin: 0; color: #1a1a1a; background: #fff; }
header, main, footer { max-width: 1320px; margin: 0 auto; padding: 0 24px; }
header { border-bottom: 3px solid #0072B2; padding-bottom: 12px; }
h1 { font-size: 2rem; margin: 24px 0 8px; overflow-wrap: anywhere; }
h2 { font-size: 1.5rem; margin-top: 36px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
h3 { font-size: 1.2rem; margin-top: 24px; overflow-wrap: anywhere; }
.meta { color: #444; }
nav { display: flex; flex-wrap: wrap; gap: 4px 16px; }
nav a { color: #0072B2; }
.scroll { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; margin: 12px 0; font-size: 0.95rem; }
th, td { border: 1px solid #bbb; padding: 6px 10px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.recommended td { background: #e3f2fb; font-weight: bold; }
.badge { display: inline-block; background: #0072B2; color: #fff; border-radius: 4px; padding: 1px 6px; font-size: 0.8rem; margin-left: 6px; }
.badge.miss { background: #a84300; }
.yes { color: #00734f; }
.no { color: #a84300; }
figure { margin: 24px 0; }
figure .scroll svg { display: block; width: 100%; min-width: 720px; height: auto; max-width: 1280px; border: 1px solid #ddd; }
figcaption { color: #444; margin-top: 6px; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: 12px; overflow-x: auto; font-size: 0.9rem; }
footer pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.error { color: #a84300; font-weight: bold; }
.src { font-size: 0.8rem; color: #555; overflow-wrap: anywhere; }
table.inputs td { min-width: 10rem; max-width: 28rem; }
tr.differs th, tr.differs td { background: #fff3cc; }
.differs-mark { font-weight: bold; }
table.inputs th[scope="row"] { position: sticky; left: 0; }
footer { border-top: 1px solid #ccc; margin-top: 48px; padding-bottom: 48px; }
@media (max-width: 600px) {
  header, main, footer { padding: 0 12px; }
  h1 { font-size: 1.5rem; }
  h2 { font-size: 1.25rem; }
  table { font-size: 0.85rem; }
  th, td { padding: 4px 6px; }
  table.inputs td { min-width: 8rem; }
}
@media print {
  body { font-size: 10pt; }
  header, main, footer { max-width: none; padding: 0; }
  nav { display: none; }
  h1, h2, h3, h2 + p, h3 + p { break-after: avoid; page-break-after: avoid; }
  table, figure, tr, pre, ul, .summary { break-inside: avoid; page-break-inside: avoid; }
  table.inputs { break-inside: auto; page-break-inside: auto; }
  #near-miss, #traces { break-before: page; page-break-before: always; }
  p { orphans: 3; widows: 3; }
  .src { color: #333; }
  table.inputs th[scope="row"] { position: static; }
  .scroll { overflow: visible; }
  figure .scroll svg { min-width: 0; max-width: 100%; border: 0; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible; }
  tr.recommended td { background: none; }
  .badge { border: 1px solid #000; color: #000; background: none; }
}
"#;

/// Renders the whole report as one HTML document.
pub fn design_review_html(report: &DesignReview) -> String {
    let mut html = String::new();
    let title = escape(&report.title);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    header(&mut html, report);
    html.push_str("<main>\n");
    summary(&mut html, report);
    objectives(&mut html, report);
    comparison(&mut html, report);
    matrix(&mut html, report);
    figures(&mut html, report);
    money_inputs(&mut html, report);
    assumptions(&mut html, report);
    near_miss(&mut html, report);
    traces(&mut html, report);
    downloads(&mut html, report);
    html.push_str("</main>\n");
    footer(&mut html, report);
    html.push_str("</body>\n</html>\n");
    html
}

fn header(html: &mut String, report: &DesignReview) {
    let _ = write!(
        html,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">Generated {} by drsim {} \u{b7} seed {} \u{b7} \
         {} trials per strategy</p>\n<nav>",
        escape(&report.title),
        escape(&report.generated_on),
        env!("CARGO_PKG_VERSION"),
        report.seed,
        thousands(report.trials),
    );
    // Only sections the report has: a link to nothing would be a dead end.
    let has_matrix = (report.strategies.first()).is_some_and(|s| !s.by_disaster.is_empty());
    let links = [
        ("summary", "Decision", true),
        ("objectives", "Objectives", true),
        ("comparison", "Comparison", true),
        ("matrix", "By disaster", has_matrix),
        ("charts", "Charts", true),
        ("money", "Money inputs", !report.money_inputs.is_empty()),
        ("assumptions", "Assumptions", true),
        ("near-miss", "Near miss", report.near_miss.is_some()),
        ("traces", "Traces", true),
        ("downloads", "Data", !report.downloads.is_empty()),
        ("reproduce", "Reproduce", true),
    ];
    for (id, text, _) in links.iter().filter(|l| l.2) {
        let _ = write!(html, "<a href=\"#{id}\">{text}</a>");
    }
    html.push_str("</nav>\n</header>\n");
}

fn objectives(html: &mut String, report: &DesignReview) {
    html.push_str("<section id=\"objectives\">\n<h2>Objectives</h2>\n");
    if report.objectives.is_empty() {
        html.push_str("<p>The model states no objectives.</p>\n");
    } else {
        html.push_str("<div class=\"scroll\"><table>\n<tr><th>objective</th><th>target</th><th>why</th></tr>\n");
        for o in &report.objectives {
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&o.name),
                escape(&o.target),
                escape(&o.note)
            );
        }
        html.push_str("</table></div>\n");
    }
    html.push_str("</section>\n");
}

fn comparison(html: &mut String, report: &DesignReview) {
    html.push_str("<section id=\"comparison\">\n<h2>Strategy comparison</h2>\n");
    comparison_table(
        html,
        &report.strategies,
        report.recommended,
        &report.recommendation,
        true,
    );
    html.push_str(
        "<p>Figures over all disasters weigh each by how often it happens. \
         \"never\": some trials never got there. Risk-adjusted cost adds the expected \
         monthly cost of disasters to the steady cost.</p>\n",
    );
    for table in &report.by_disaster {
        let _ = writeln!(html, "<h3>{}</h3>", escape(&table.heading));
        comparison_table(
            html,
            &table.strategies,
            table.recommended,
            &table.recommendation,
            false,
        );
    }
    html.push_str("</section>\n");
}

fn comparison_table(
    html: &mut String,
    strategies: &[StrategyRow],
    recommended: Option<usize>,
    why: &str,
    all_disasters: bool,
) {
    // The risk-adjusted cost sums every disaster: a one-disaster table would only
    // repeat the overall figure, so it shows the steady cost alone.
    let risk_adjusted = |usd: f64| match all_disasters {
        true => num_cell(&usd_whole_or_short(usd)),
        false => String::new(),
    };
    let mut shares: Vec<f64> = (strategies.iter())
        .flat_map(|s| s.rto_by_threshold.iter().map(|t| t.share))
        .collect();
    shares.sort_by(f64::total_cmp);
    shares.dedup();
    html.push_str(
        "<div class=\"scroll\"><table>\n<tr>\
         <th>strategy</th><th>RTO p50</th><th>RTO p90</th><th>RTO p99</th>",
    );
    for &share in &shares {
        let share = percent_trimmed(share);
        let _ = write!(html, "<th>RTO@{share} p50</th><th>RTO@{share} p99</th>");
    }
    html.push_str(
        "<th>RPO p50</th><th>RPO p99</th><th>P(RTO met)</th><th>P(RPO met)</th>\
         <th>steady cost / month</th>",
    );
    if all_disasters {
        html.push_str("<th>risk-adjusted cost / month</th>");
    }
    html.push_str("<th>Pareto front</th><th>meets objectives</th></tr>\n");
    for (i, s) in strategies.iter().enumerate() {
        let (class, badge) = match recommended == Some(i) {
            true if s.meets_objectives => (
                " class=\"recommended\"",
                "<span class=\"badge\">recommended</span>",
            ),
            true => (
                " class=\"recommended\"",
                "<span class=\"badge miss\">nearest miss</span>",
            ),
            false => ("", ""),
        };
        let mut at_shares = String::new();
        for &share in &shares {
            match s.rto_by_threshold.iter().find(|t| t.share == share) {
                Some(t) => at_shares.extend([time_cell(t.p50_ms), time_cell(t.p99_ms)]),
                None => at_shares.extend([num_cell("-"), num_cell("-")]),
            }
        }
        let _ = writeln!(
            html,
            "<tr{class}><td>{}{badge}</td>{}{}{}{at_shares}{}{}{}{}{}{}{}{}</tr>",
            escape(&s.name),
            time_cell(s.rto_p50_ms),
            time_cell(s.rto_p90_ms),
            time_cell(s.rto_p99_ms),
            time_cell(s.rpo_p50_ms),
            time_cell(s.rpo_p99_ms),
            num_cell(&percent_1dp(s.p_rto_met)),
            num_cell(&percent_1dp(s.p_rpo_met)),
            num_cell(&usd_whole_or_short(s.steady_monthly_usd)),
            risk_adjusted(s.risk_adjusted_monthly_usd),
            mark(s.on_pareto_front),
            mark(s.meets_objectives),
        );
    }
    html.push_str("</table></div>\n");
    let name = match recommended.and_then(|i| strategies.get(i)) {
        None => "No strategy is recommended.".to_string(),
        Some(s) if s.meets_objectives => {
            format!("Recommended: <strong>{}</strong>.", escape(&s.name))
        }
        Some(s) => format!("Nearest miss: <strong>{}</strong>.", escape(&s.name)),
    };
    let why = if why.is_empty() {
        String::new()
    } else {
        format!(" {}.", escape(why.trim_end_matches('.')))
    };
    let _ = writeln!(html, "<p>{name}{why}</p>");
}

/// Screen one: the decision and why, the decided strategy's verdict on each
/// objective, and what each strategy's DR costs against the loss it avoids.
fn summary(html: &mut String, report: &DesignReview) {
    html.push_str("<section id=\"summary\" class=\"summary\">\n<h2>Decision</h2>\n");
    let chosen = report.recommended.and_then(|i| report.strategies.get(i));
    let _ = writeln!(html, "<p class=\"decision\">{}</p>", decision(chosen));
    if let Some(sentence) = &report.deciding_input {
        let _ = writeln!(html, "<p class=\"deciding\">{}</p>", escape(sentence));
    }
    if let Some(s) = chosen.filter(|s| !s.by_disaster.is_empty()) {
        let _ = writeln!(
            html,
            "<h3>{} on each objective (95% intervals)</h3>",
            escape(&s.name)
        );
        html.push_str(
            "<div class=\"scroll\"><table>\n<tr><th>disaster</th><th>objective</th>\
             <th>P(RTO met)</th><th>P(RPO met)</th><th>verdict</th></tr>\n",
        );
        for c in &s.by_disaster {
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{}</td>{}{}{}</tr>",
                escape(&c.disaster),
                escape(&c.objective),
                num_cell(&share_with_interval(c.p_rto_met, c.p_rto_met_ci95)),
                num_cell(&share_with_interval(c.p_rpo_met, c.p_rpo_met_ci95)),
                verdict_cell(c),
            );
        }
        html.push_str("</table></div>\n");
    }
    premiums(html, &report.strategies);
    html.push_str("</section>\n");
}

/// The headline: the recommended strategy, or that none complies and the nearest miss
/// with each objective it misses and by how much.
fn decision(chosen: Option<&StrategyRow>) -> String {
    match chosen {
        None => "No strategy to decide between.".into(),
        Some(s) if s.meets_objectives => format!(
            "Recommended: <strong>{}</strong>. It meets every per-disaster objective, at the \
             lowest risk-adjusted cost of those that do ({}/month).",
            escape(&s.name),
            usd_whole_or_short(s.risk_adjusted_monthly_usd)
        ),
        Some(s) => {
            let misses: Vec<String> = (s.by_disaster.iter())
                .filter(|c| !c.meets)
                .map(|c| {
                    let low = c.p_rto_met.min(c.p_rpo_met);
                    format!(
                        "{}: {}, short by {}",
                        escape(&c.disaster),
                        escape(&c.verdict()),
                        points(c.confidence - low)
                    )
                })
                .collect();
            let misses = if misses.is_empty() {
                String::new()
            } else {
                format!(" It misses {}.", misses.join("; "))
            };
            format!(
                "<strong>No strategy meets every objective.</strong> The nearest miss is \
                 <strong>{}</strong> ({}/month risk-adjusted).{misses}",
                escape(&s.name),
                usd_whole_or_short(s.risk_adjusted_monthly_usd)
            )
        }
    }
}

/// "99.2% [98.81, 99.5]".
fn share_with_interval(p: f64, ci: [f64; 2]) -> String {
    format!("{} {}", percent_1dp(p), percent_interval(ci[0], ci[1]))
}

fn verdict_cell(cell: &DisasterCell) -> String {
    if cell.meets {
        "<td class=\"yes\">\u{2713} met</td>".into()
    } else {
        let low = cell.p_rto_met.min(cell.p_rpo_met);
        format!(
            "<td class=\"no\">\u{2717} missed by {}</td>",
            escape(&points(cell.confidence - low))
        )
    }
}

/// Each strategy's DR premium over the cheapest to run, against the expected loss it
/// avoids compared with that cheapest.
fn premiums(html: &mut String, strategies: &[StrategyRow]) {
    let Some(cheapest) = strategies
        .iter()
        .min_by(|a, b| a.steady_monthly_usd.total_cmp(&b.steady_monthly_usd))
    else {
        return;
    };
    let _ = writeln!(
        html,
        "<h3>What the DR costs against the loss it avoids (compared with {}, the cheapest to run)</h3>",
        escape(&cheapest.name)
    );
    html.push_str(
        "<div class=\"scroll\"><table>\n<tr><th>strategy</th><th>meets objectives</th>\
         <th>steady cost / month</th><th>DR premium / month</th>\
         <th>expected loss / month</th><th>loss avoided / month</th></tr>\n",
    );
    for s in strategies {
        let premium = s.steady_monthly_usd - cheapest.steady_monthly_usd;
        let avoided = cheapest.expected_loss_monthly_usd - s.expected_loss_monthly_usd;
        let _ = writeln!(
            html,
            "<tr><td>{}</td>{}{}{}{}{}</tr>",
            escape(&s.name),
            mark(s.meets_objectives),
            num_cell(&usd_whole_or_short(s.steady_monthly_usd)),
            num_cell(&signed_usd(premium)),
            num_cell(&usd_whole_or_short(s.expected_loss_monthly_usd)),
            num_cell(&signed_usd(avoided)),
        );
    }
    html.push_str("</table></div>\n");
}

/// "+$577" or "-$12": a difference in dollars, with its sign.
fn signed_usd(usd: f64) -> String {
    if usd.round() > 0.0 {
        format!("+{}", usd_whole_or_short(usd))
    } else {
        usd_whole_or_short(usd)
    }
}

/// Disasters down, strategies across: each strategy on each disaster's own objective.
fn matrix(html: &mut String, report: &DesignReview) {
    let Some(first) = report
        .strategies
        .first()
        .filter(|s| !s.by_disaster.is_empty())
    else {
        return;
    };
    html.push_str(
        "<section id=\"matrix\">\n<h2>Disasters by strategy</h2>\n<div class=\"scroll\">\
         <table>\n<tr><th>disaster</th><th>how often</th>",
    );
    for s in &report.strategies {
        let _ = write!(html, "<th>{}</th>", escape(&s.name));
    }
    html.push_str("</tr>\n");
    for row in &first.by_disaster {
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"num\">{} a year<br/>{} of disasters</td>",
            escape(&row.disaster),
            row.per_year,
            percent_1dp(row.weight)
        );
        for s in &report.strategies {
            match s.by_disaster.iter().find(|c| c.disaster == row.disaster) {
                Some(c) => html.push_str(&matrix_cell(c)),
                None => html.push_str(&num_cell("-")),
            }
        }
        html.push_str("</tr>\n");
    }
    html.push_str(
        "</table></div>\n<p>Each cell: P(RTO met) with its 95% interval (Wilson, over the \
         disaster's trials), RTO p99 from the disaster, trials never recovered and trials \
         whose data was lost for good, out of the disaster's trials, and the share of trials \
         in which a recovery step (launch, deploy, promotion or restore) failed and was \
         retried, or waited for an impaired control plane. Green: meets that disaster's \
         objective.</p>\n</section>\n",
    );
}

fn matrix_cell(c: &DisasterCell) -> String {
    format!(
        "<td class=\"{}\">P(RTO met) {}<br/>RTO p99 {}<br/>never recovered {} of {}<br/>\
         data lost {} of {}<br/>a step failed or stalled {}</td>",
        if c.meets { "yes" } else { "no" },
        escape(&share_with_interval(c.p_rto_met, c.p_rto_met_ci95)),
        escape(&ms_or_never(c.rto_p99_ms)),
        thousands(c.never_recovered),
        thousands(c.trials),
        thousands(c.data_unrecoverable),
        thousands(c.trials),
        percent_1dp(c.failed_recovery_share),
    )
}

fn figures(html: &mut String, report: &DesignReview) {
    html.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");
    for figure in &report.figures {
        let (svg, caption) = figure.render();
        push_figure(html, svg, &caption);
    }
    html.push_str("</section>\n");
}

fn push_figure(html: &mut String, svg: Result<String, ChartError>, caption: &str) {
    html.push_str("<figure>\n");
    match svg {
        Ok(svg) => {
            let number = html.matches("<figure>").count();
            html.push_str("<div class=\"scroll\">");
            html.push_str(&inline_svg(&svg, number));
            html.push_str("</div>\n");
        }
        Err(e) => {
            let _ = writeln!(
                html,
                "<p class=\"error\">chart not drawn: {}</p>",
                escape(&e.to_string())
            );
        }
    }
    let _ = writeln!(
        html,
        "<figcaption>{}</figcaption>\n</figure>",
        escape(caption)
    );
}

/// Drops the XML prolog and namespace: inside HTML the parser knows `<svg>`, and the
/// report then holds no URL at all. The chart's `<title>` and `<desc>` get ids unique in
/// the page (`number` is the figure's), which name and describe the image.
fn inline_svg(svg: &str, number: usize) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let svg = svg[start..].replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    let id = format!("chart-{number}");
    let svg = svg
        .replacen("<title>", &format!("<title id=\"{id}-title\">"), 1)
        .replacen("<desc>", &format!("<desc id=\"{id}-desc\">"), 1);
    let svg = svg.replacen(
        "<svg",
        &format!("<svg role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\""),
        1,
    );
    if svg.ends_with('\n') { svg } else { svg + "\n" }
}

/// The inputs that turn times into money, one column per strategy.
fn money_inputs(html: &mut String, report: &DesignReview) {
    if report.money_inputs.is_empty() {
        return;
    }
    html.push_str("<section id=\"money\">\n<h2>Inputs that drive the money</h2>\n");
    html.push_str(
        "<p>Expected loss per month = sum over disasters of frequency / 12 \u{d7} mean(RTO \
         \u{d7} downtime cost + RPO \u{d7} data-loss cost). Check these before trusting \
         the risk-adjusted cost.</p>\n",
    );
    sourced_matrix(html, &report.money_inputs);
    html.push_str("</section>\n");
}

fn assumptions(html: &mut String, report: &DesignReview) {
    html.push_str("<section id=\"assumptions\">\n<h2>Assumptions</h2>\n");
    html.push_str(
        "<p>One row per assumption, one column per strategy. Rows marked \u{2260} differ \
         between strategies; a value the same for all spans every column.</p>\n",
    );
    sourced_matrix(html, &report.assumptions);
    html.push_str("</section>\n");
}

/// Rows = parameters (in first-seen order over the strategies), columns = strategies;
/// a row whose values differ is marked, a row the same everywhere is one wide cell.
fn sourced_matrix(html: &mut String, sets: &[StrategyAssumptions]) {
    // A parameter only some strategies have goes after the one before it in theirs.
    let mut names: Vec<&str> = Vec::new();
    for set in sets {
        let mut after: Option<usize> = None;
        for p in &set.parameters {
            let at = match names.iter().position(|n| *n == p.name) {
                Some(at) => at,
                None => {
                    let at = after.map_or(names.len(), |a| a + 1);
                    names.insert(at, &p.name);
                    at
                }
            };
            after = Some(at);
        }
    }
    // A head row, so a printed table split over pages repeats it.
    html.push_str("<div class=\"scroll\"><table class=\"inputs\">\n<thead><tr><th>input</th>");
    for set in sets {
        let _ = write!(html, "<th>{}</th>", escape(&set.strategy));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    for name in names {
        let cells: Vec<Option<&Assumption>> = (sets.iter())
            .map(|set| set.parameters.iter().find(|p| p.name == name))
            .collect();
        let first = cells[0];
        let same = cells.iter().all(|c| match (c, first) {
            (Some(c), Some(f)) => c.value == f.value && c.source == f.source,
            _ => false,
        });
        let differs = (cells.iter().flatten()).any(|c| Some(&c.value) != first.map(|f| &f.value))
            || cells.iter().any(Option::is_none);
        let (class, mark) = if differs {
            (
                " class=\"differs\"",
                " <span class=\"differs-mark\">\u{2260}</span>",
            )
        } else {
            ("", "")
        };
        let _ = write!(
            html,
            "<tr{class}><th scope=\"row\">{}{mark}</th>",
            escape(name)
        );
        match first {
            Some(f) if same => {
                let _ = write!(html, "<td colspan=\"{}\">{}</td>", sets.len(), sourced(f));
            }
            _ => {
                for cell in cells {
                    match cell {
                        Some(c) => {
                            let _ = write!(html, "<td>{}</td>", sourced(c));
                        }
                        None => html.push_str("<td>-</td>"),
                    }
                }
            }
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody></table></div>\n");
}

/// A value with its source under it.
fn sourced(a: &Assumption) -> String {
    format!(
        "{}<br/><span class=\"src\">{}</span>",
        escape(&a.value),
        escape(&a.source)
    )
}

/// The strategy that nearly meets, traced on the disaster it fails.
fn near_miss(html: &mut String, report: &DesignReview) {
    let Some(miss) = &report.near_miss else {
        return;
    };
    html.push_str("<section id=\"near-miss\">\n<h2>Near miss: where it falls short</h2>\n");
    let _ = writeln!(html, "<p>{}</p>", escape(&miss.why));
    for trace in &miss.traces {
        trace_figure(html, trace);
    }
    html.push_str("</section>\n");
}

/// The run's JSON summary and CSV of each strategy, as `data:` links: the report stays
/// one file, and no script runs.
fn downloads(html: &mut String, report: &DesignReview) {
    if report.downloads.is_empty() {
        return;
    }
    html.push_str(
        "<section id=\"downloads\">\n<h2>Data</h2>\n<p>The run's results, embedded in \
         this file (what <code>drsim run --format json</code> and <code>--format csv</code> \
         print for each strategy with the same seed and trials):</p>\n<ul>\n",
    );
    for d in &report.downloads {
        let _ = writeln!(
            html,
            "<li><a download=\"{}\" href=\"data:{};charset=utf-8,{}\">{}</a>: {}</li>",
            escape(&d.file_name),
            escape(&d.media_type),
            percent_encode(&d.content),
            escape(&d.file_name),
            escape(&d.description)
        );
    }
    html.push_str("</ul>\n</section>\n");
}

/// Percent-encodes `text` for a `data:` URL: everything but unreserved ASCII.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn traces(html: &mut String, report: &DesignReview) {
    let strategy = report.recommended.and_then(|i| report.strategies.get(i));
    let heading = strategy.map_or("Traces".to_string(), |s| {
        format!("Traces: {}", escape(&s.name))
    });
    let _ = writeln!(html, "<section id=\"traces\">\n<h2>{heading}</h2>");
    if report.traces.is_empty() {
        html.push_str("<p>No traces were recorded.</p>\n");
    }
    for trace in &report.traces {
        trace_figure(html, trace);
    }
    html.push_str("</section>\n");
}

/// A trace's heading, chart and text log.
fn trace_figure(html: &mut String, trace: &Trace) {
    let _ = writeln!(html, "<h3>{}</h3>", escape(&trace.heading));
    push_figure(
        html,
        render_svg(&trace.chart),
        "Activities above; requests succeeding below, on the same time axis.",
    );
    let log = if trace.log.trim().is_empty() {
        timeline_text(&trace.chart)
    } else {
        trace.log.clone()
    };
    let _ = writeln!(html, "<pre>{}</pre>", escape(log.trim_end()));
}

fn footer(html: &mut String, report: &DesignReview) {
    let _ = writeln!(
        html,
        "<footer id=\"reproduce\">\n<h2>Reproduce</h2>\n<p>Same seed, same model, same \
         drsim version ({}) give the same numbers:</p>\n<pre><code>{}</code></pre>\n</footer>",
        env!("CARGO_PKG_VERSION"),
        escape(&report.command_line)
    );
}

fn time_cell(ms: Option<f64>) -> String {
    num_cell(&ms_or_never(ms))
}

fn num_cell(text: &str) -> String {
    format!("<td class=\"num\">{}</td>", escape(text))
}

fn mark(yes: bool) -> &'static str {
    if yes {
        "<td class=\"yes\">\u{2713} yes</td>"
    } else {
        "<td class=\"no\">\u{2717} no</td>"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::charts::samples;

    fn parse(html: &str) -> roxmltree::Document<'_> {
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        roxmltree::Document::parse_with_options(html, opts)
            .unwrap_or_else(|e| panic!("report is not well-formed: {e}"))
    }

    #[test]
    fn report_is_well_formed_with_every_section() {
        let report = samples::design_review();
        let html = design_review_html(&report);
        let doc = parse(&html);
        let sections: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("section"))
            .filter_map(|n| n.attribute("id"))
            .collect();
        assert_eq!(
            sections,
            [
                "summary",
                "objectives",
                "comparison",
                "matrix",
                "charts",
                "assumptions",
                "traces"
            ],
            "money, near miss and data only when given"
        );
        assert!(doc.descendants().any(|n| n.has_tag_name("footer")));
        let svgs = doc.descendants().filter(|n| n.has_tag_name("svg")).count();
        assert_eq!(svgs, report.figures.len() + report.traces.len());
        assert_eq!(html.matches("<svg").count(), svgs);
        assert!(html.contains(env!("CARGO_PKG_VERSION")));
        assert!(html.contains("seed 42"));
        assert!(html.contains("10,000 trials"));
        assert!(html.contains("drsim run models/checkout.toml --seed 42"));
    }

    #[test]
    fn comparison_marks_recommended_front_and_objectives() {
        let report = samples::design_review();
        let html = design_review_html(&report);
        let doc = parse(&html);
        let rows: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("section") && n.attribute("id") == Some("comparison"))
            .flat_map(|s| {
                s.descendants()
                    .filter(|n| n.has_tag_name("tr"))
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(
            rows.len(),
            1 + report.strategies.len(),
            "header + one per strategy"
        );
        let highlighted: Vec<_> = rows
            .iter()
            .filter(|r| r.attribute("class") == Some("recommended"))
            .collect();
        assert_eq!(highlighted.len(), 1);
        let text: String = highlighted[0]
            .descendants()
            .filter_map(|n| n.text())
            .collect();
        assert!(text.contains("Warm standby"), "{text}");
        assert!(text.contains("recommended"));
        assert!(
            html.contains("<td class=\"num\">never</td>"),
            "p99 never reached"
        );
        assert!(html.contains("$14,810"));
    }

    fn section_text(doc: &roxmltree::Document<'_>, id: &str) -> String {
        (doc.descendants())
            .filter(|n| n.attribute("id") == Some(id))
            .flat_map(|s| s.descendants().filter(|n| n.is_text()))
            .filter_map(|n| n.text())
            .collect()
    }

    #[test]
    fn summary_names_the_recommended_strategy_and_its_premium_over_the_cheapest() {
        let html = design_review_html(&samples::design_review());
        let doc = parse(&html);
        let text = section_text(&doc, "summary");
        assert!(
            text.contains("Recommended: Warm standby. It meets every per-disaster objective"),
            "{text}"
        );
        // Steady $6,200 against Backup & restore's $380: +$5,820. Expected loss
        // $6,300 - $6,200 = $100 against $2,950 - $380 = $2,570: $2,470 avoided.
        assert!(
            text.contains("+$5,820") && text.contains("+$2,470"),
            "{text}"
        );
        assert!(
            text.contains("P(RTO met)") && text.contains("[99.6%, 100%]"),
            "{text}"
        );
        assert!(!text.contains("No strategy meets"));
    }

    /// Tightened objectives that nothing meets: the report says so, calls the strategy
    /// compare picked the nearest miss (never "recommended"), and says what it misses
    /// by: Pilot light's RTO 62% against 99% is 37 points short.
    #[test]
    fn summary_says_when_nothing_meets_and_names_the_nearest_miss() {
        let mut report = samples::design_review();
        for s in &mut report.strategies {
            s.meets_objectives = false;
            for c in &mut s.by_disaster {
                c.confidence = 0.999;
                c.meets = false;
            }
        }
        report.recommended = Some(1);
        let html = design_review_html(&report);
        let doc = parse(&html);
        let text = section_text(&doc, "summary");
        assert!(
            text.contains("No strategy meets every objective. The nearest miss is Pilot light"),
            "{text}"
        );
        assert!(
            text.contains(
                "region-outage: P(RTO met) 62.0% [61.6%, 62.4%] and P(RPO met) 99.0% \
                 [98.6%, 99.4%] against 99.9%, short by 37.9 points"
            ),
            "{text}"
        );
        assert!(
            !html.contains(">recommended<"),
            "a failing strategy badged recommended"
        );
        assert!(html.contains("nearest miss</span>"));
        assert!(html.contains("Nearest miss: <strong>Pilot light</strong>."));
    }

    #[test]
    fn matrix_has_a_row_per_disaster_and_a_column_per_strategy() {
        let report = samples::design_review();
        let html = design_review_html(&report);
        let doc = parse(&html);
        let rows: Vec<_> = (doc.descendants())
            .filter(|n| n.attribute("id") == Some("matrix"))
            .flat_map(|s| {
                s.descendants()
                    .filter(|n| n.has_tag_name("tr"))
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(rows.len(), 2, "header + region-outage");
        let cells: Vec<_> = rows[1]
            .children()
            .filter(|n| n.has_tag_name("td"))
            .collect();
        assert_eq!(cells.len(), 2 + report.strategies.len());
        let first: String = cells[2].descendants().filter_map(|n| n.text()).collect();
        assert_eq!(cells[2].attribute("class"), Some("no"));
        assert!(first.contains("P(RTO met) 0.0% [0%, 0.4%]"), "{first}");
        assert!(first.contains("RTO p99 never"), "{first}");
        assert!(first.contains("never recovered 150 of 10,000"), "{first}");
        assert!(first.contains("a step failed or stalled 25.0%"), "{first}");
        let text = section_text(&doc, "matrix");
        assert!(
            text.contains("0.05 a year") && text.contains("0.4% of disasters"),
            "{text}"
        );
    }

    fn rows_of(doc: &roxmltree::Document<'_>, id: &str) -> Vec<Vec<String>> {
        (doc.descendants())
            .filter(|n| n.attribute("id") == Some(id))
            .flat_map(|s| s.descendants().filter(|n| n.has_tag_name("tr")))
            .map(|tr| {
                (tr.children().filter(|n| n.is_element()))
                    .map(|c| {
                        (c.descendants()
                            .filter(|n| n.is_text())
                            .filter_map(|n| n.text()))
                        .collect()
                    })
                    .collect()
            })
            .collect()
    }

    /// One row per assumption, one column per strategy: a value the same everywhere is
    /// one wide cell; a differing one is marked in every column with its own source;
    /// a parameter only one strategy has sits after its neighbour there, "-" elsewhere.
    #[test]
    fn assumptions_matrix_marks_what_differs_and_spans_what_is_shared() {
        let mut report = samples::design_review();
        report.assumptions[3].parameters[2].value = "24h".into();
        report.assumptions[1].parameters.insert(
            1,
            Assumption {
                name: "warm pool".into(),
                value: "4 stopped".into(),
                source: "pilot.toml:9".into(),
            },
        );
        let html = design_review_html(&report);
        let doc = parse(&html);
        let rows = rows_of(&doc, "assumptions");
        let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            names,
            [
                "input",
                "DNS TTL",
                "warm pool \u{2260}",
                "on-call decision time",
                "snapshot interval \u{2260}"
            ]
        );
        assert_eq!(rows[0].len(), 1 + report.assumptions.len());
        assert_eq!(
            rows[1],
            ["DNS TTL", "60sRoute 53 record in models/checkout.toml"]
        );
        assert_eq!(rows[2][1..], ["-", "4 stoppedpilot.toml:9", "-", "-"]);
        assert_eq!(rows[4][4], "24hAWS Backup plan");
        assert_eq!(html.matches("<tr class=\"differs\">").count(), 2);
        assert!(html.contains("<td colspan=\"4\">60s<br/>"));
    }

    /// The money inputs get their own section, one wide cell per shared input.
    #[test]
    fn money_inputs_section_lists_each_input_with_its_source() {
        let mut report = samples::design_review();
        report.money_inputs = (report.strategies.iter())
            .map(|s| StrategyAssumptions {
                strategy: s.name.clone(),
                parameters: vec![Assumption {
                    name: "region-outage frequency".into(),
                    value: "0.05 a year".into(),
                    source: "disasters.toml:32: assumption".into(),
                }],
            })
            .collect();
        let doc_html = design_review_html(&report);
        let doc = parse(&doc_html);
        let rows = rows_of(&doc, "money");
        assert_eq!(
            rows[1],
            [
                "region-outage frequency",
                "0.05 a yeardisasters.toml:32: assumption"
            ]
        );
        report.money_inputs.clear();
        assert!(!design_review_html(&report).contains("id=\"money\""));
    }

    /// A one-disaster table omits the risk-adjusted cost: it sums every disaster, so
    /// it would repeat the overall table's figure.
    #[test]
    fn disaster_tables_do_not_repeat_the_overall_risk_adjusted_cost() {
        let mut report = samples::design_review();
        report.by_disaster = vec![ComparisonTable {
            heading: "Disaster region-outage only".into(),
            strategies: report.strategies.clone(),
            recommended: Some(2),
            recommendation: String::new(),
        }];
        let html = design_review_html(&report);
        let section = html.split("<section id=\"comparison\">").nth(1).unwrap();
        let section = section.split("</section>").next().unwrap();
        assert_eq!(
            section.matches("risk-adjusted cost / month</th>").count(),
            1
        );
        assert_eq!(section.matches("$14,810").count(), 1, "{section}");
        assert_eq!(section.matches("$14,800").count(), 2, "steady cost in both");
    }

    /// Downloads are `data:` links whose decoded text is the content, byte for byte.
    #[test]
    fn downloads_embed_the_files_as_data_links() {
        let mut report = samples::design_review();
        let content = "{\n  \"scenario\": \"a <b> & 'c' 100%\",\n  \"é\": 1\n}\n";
        report.downloads = vec![Download {
            file_name: "a.summary.json".into(),
            media_type: "application/json".into(),
            description: "a's summary".into(),
            content: content.into(),
        }];
        let html = design_review_html(&report);
        let doc = parse(&html);
        let link = (doc.descendants())
            .find(|n| n.attribute("download") == Some("a.summary.json"))
            .expect("a download link");
        let href = link.attribute("href").unwrap();
        let encoded = href
            .strip_prefix("data:application/json;charset=utf-8,")
            .unwrap();
        assert!(
            encoded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b))
        );
        let mut bytes = Vec::new();
        let mut it = encoded.bytes();
        while let Some(b) = it.next() {
            if b == b'%' {
                let hex = [it.next().unwrap(), it.next().unwrap()];
                bytes.push(u8::from_str_radix(std::str::from_utf8(&hex).unwrap(), 16).unwrap());
            } else {
                bytes.push(b);
            }
        }
        assert_eq!(String::from_utf8(bytes).unwrap(), content);
    }

    /// Every link in the navigation leads to an element of the page.
    #[test]
    fn navigation_links_only_to_sections_present() {
        let mut report = samples::design_review();
        for with_extras in [false, true] {
            if with_extras {
                report.downloads.push(Download {
                    file_name: "a.csv".into(),
                    media_type: "text/csv".into(),
                    description: String::new(),
                    content: "a\n".into(),
                });
            }
            let html = design_review_html(&report);
            let doc = parse(&html);
            let ids: Vec<&str> = doc
                .descendants()
                .filter_map(|n| n.attribute("id"))
                .collect();
            let links: Vec<&str> = (doc.descendants())
                .filter(|n| n.has_tag_name("nav"))
                .flat_map(|n| n.descendants().filter_map(|a| a.attribute("href")))
                .collect();
            for link in &links {
                assert!(ids.contains(&&link[1..]), "{link} leads nowhere");
            }
            assert_eq!(links.contains(&"#downloads"), with_extras);
            assert!(!links.contains(&"#near-miss") && !links.contains(&"#money"));
        }
    }

    #[test]
    fn no_external_resources_or_scripts() {
        let html = design_review_html(&samples::design_review());
        for needle in [
            "http://", "https://", "<script", "<link", "<img", "@import", "url(",
        ] {
            assert!(!html.contains(needle), "report contains {needle}");
        }
    }

    #[test]
    fn model_text_is_escaped() {
        let mut report = samples::design_review();
        report.strategies[0].name = "<script>alert('x')</script>".into();
        report.assumptions[0].parameters[0].value = "a & b <b>".into();
        report.figures.push(Figure::Cdf({
            let mut cdf = samples::cdf();
            cdf.series[0].label = "<script>alert(1)</script>".into();
            cdf
        }));
        report.title = "DR \"review\" <i>".into();
        let html = design_review_html(&report);
        assert!(!html.to_ascii_lowercase().contains("<script"));
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(html.contains("a &amp; b &lt;b&gt;"));
        parse(&html);
    }

    #[test]
    fn scripted_svg_is_refused() {
        let mut report = samples::design_review();
        report.figures = vec![
            Figure::Svg {
                caption: "evil".into(),
                svg: "<svg><script>alert(1)</script></svg>".into(),
            },
            Figure::Svg {
                caption: "evil too".into(),
                svg: "<svg onload=\"alert(1)\"></svg>".into(),
            },
            Figure::Svg {
                caption: "fine".into(),
                svg: render_svg(&samples::cost_bars()).unwrap(),
            },
        ];
        let html = design_review_html(&report);
        assert!(!html.contains("alert(1)"));
        assert_eq!(html.matches("chart not drawn").count(), 2);
        parse(&html);
    }
}
