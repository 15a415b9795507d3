//! The bill and its risk as a table, JSON or CSV.
//!
//! [`CostReport`] is the one shape behind all three: its JSON keys are stable
//! (`monthly_usd`, `disaster_monthly_usd`, `expected_loss_monthly_usd`,
//! `risk_adjusted_monthly_usd`, `tail_loss_p99_usd`, `hours_per_month`, `catalog`,
//! `breakdown`, `by_region`, `by_component`, `by_disaster`, `notes`); figures that were
//! not computed (no simulation behind `drsim cost`) are `null`. CSV has one row per
//! line item.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::Catalog;
use super::bill::{Bill, LineItem};
use super::risk::{DisasterCost, DisasterLoss, ExtraItem, LossSummary};

/// Output format of a cost report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for a terminal.
    Table,
    /// One JSON object.
    Json,
    /// One row per line item.
    Csv,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "table" => Ok(Format::Table),
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            _ => Err(format!("unknown format `{s}`; use table, json or csv")),
        }
    }
}

/// One disaster's cost in a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisasterEntry {
    /// Disaster name.
    pub name: String,
    /// Expected occurrences per year.
    pub per_year: f64,
    /// How long the failover lasts, hours.
    pub failover_hours: f64,
    /// Failover resources of one occurrence, USD.
    pub failover_per_occurrence_usd: f64,
    /// Failover resources per month, frequency-weighted.
    pub disaster_monthly_usd: f64,
    /// The failover resources.
    pub failover_items: Vec<ExtraItem>,
    /// Business loss from the simulation, when there was one.
    pub loss: Option<DisasterLoss>,
}

/// Everything a cost report shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostReport {
    /// Catalog name.
    pub catalog: String,
    /// Catalog file.
    pub catalog_file: String,
    /// Hours in the billing month.
    pub hours_per_month: f64,
    /// Steady monthly bill, USD.
    pub monthly_usd: f64,
    /// Failover resources per month, frequency-weighted.
    pub disaster_monthly_usd: Option<f64>,
    /// Expected business loss per month (needs a simulation).
    pub expected_loss_monthly_usd: Option<f64>,
    /// Steady + disaster-time + expected loss (needs a simulation).
    pub risk_adjusted_monthly_usd: Option<f64>,
    /// p99 loss of one disaster (needs a simulation).
    pub tail_loss_p99_usd: Option<f64>,
    /// Line items.
    pub breakdown: Vec<LineItem>,
    /// Monthly totals by region (`global` for global services).
    pub by_region: BTreeMap<String, f64>,
    /// Monthly totals by component.
    pub by_component: BTreeMap<String, f64>,
    /// Per disaster.
    pub by_disaster: Vec<DisasterEntry>,
    /// Things priced at zero or left out, and why.
    pub notes: Vec<String>,
}

impl CostReport {
    /// Builds a report from a bill and, when known, the disasters' failover costs and
    /// the simulated losses (both in model order).
    pub fn new(
        bill: &Bill,
        catalog: &Catalog,
        disasters: Option<&[DisasterCost]>,
        losses: Option<&LossSummary>,
    ) -> CostReport {
        let report = CostReport::without_losses(bill, catalog, disasters);
        match losses {
            Some(losses) => report.with_losses(losses),
            None => report,
        }
    }

    /// The report before any simulation: bill and failover costs, no loss figures.
    pub fn without_losses(
        bill: &Bill,
        catalog: &Catalog,
        disasters: Option<&[DisasterCost]>,
    ) -> CostReport {
        let monthly = bill.total();
        let disaster_monthly = disasters.map(|ds| ds.iter().map(|d| d.monthly_usd).sum::<f64>());
        let by_disaster = disasters
            .unwrap_or_default()
            .iter()
            .map(|d| entry(d, None))
            .collect();
        CostReport {
            catalog: catalog.name.clone(),
            catalog_file: catalog.path.display().to_string(),
            hours_per_month: bill.hours_per_month,
            monthly_usd: monthly,
            disaster_monthly_usd: disaster_monthly,
            expected_loss_monthly_usd: None,
            risk_adjusted_monthly_usd: None,
            tail_loss_p99_usd: None,
            breakdown: bill.items.clone(),
            by_region: bill.by_region().into_iter().collect(),
            by_component: bill.by_component().into_iter().collect(),
            by_disaster,
            notes: bill.notes.clone(),
        }
    }

    /// Adds the simulated losses (in model order). A sharded run prices without them and
    /// adds them after the merge, through this same step, so both give the same bytes.
    pub fn with_losses(mut self, losses: &LossSummary) -> CostReport {
        let expected = losses.expected_loss_monthly_usd;
        self.expected_loss_monthly_usd = Some(expected);
        self.risk_adjusted_monthly_usd =
            Some(self.monthly_usd + self.disaster_monthly_usd.unwrap_or(0.0) + expected);
        self.tail_loss_p99_usd = Some(losses.tail_loss_p99_usd);
        for (entry, loss) in self.by_disaster.iter_mut().zip(&losses.by_disaster) {
            entry.loss = Some(loss.clone());
        }
        self
    }

    /// The report in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Table => table(self),
            Format::Json => json(self),
            Format::Csv => csv(self),
        }
    }
}

fn entry(d: &DisasterCost, loss: Option<&DisasterLoss>) -> DisasterEntry {
    DisasterEntry {
        name: d.name.clone(),
        per_year: d.per_year,
        failover_hours: d.hours,
        failover_per_occurrence_usd: d.per_occurrence_usd,
        disaster_monthly_usd: d.monthly_usd,
        failover_items: d.items.clone(),
        loss: loss.cloned(),
    }
}

/// The report as pretty JSON.
pub fn json(report: &CostReport) -> String {
    serde_json::to_string_pretty(report).expect("cost reports serialise")
}

/// One CSV row per line item, with a header.
pub fn csv(report: &CostReport) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "region",
        "component",
        "description",
        "quantity",
        "unit",
        "unit_price_usd",
        "monthly_usd",
        "price_item",
    ];
    out.write_record(header).expect("writing to memory");
    for item in &report.breakdown {
        let region = item.region.as_deref().unwrap_or(super::bill::GLOBAL);
        let row = [
            region,
            &item.component,
            &item.description,
            &item.quantity.to_string(),
            &item.unit,
            &item.unit_price_usd.to_string(),
            &format!("{:.2}", item.monthly_usd),
            &item.price_item,
        ];
        out.write_record(row).expect("writing to memory");
    }
    String::from_utf8(out.into_inner().expect("flushing to memory")).expect("CSV of UTF-8 fields")
}

/// Aligned text: line items, totals by region and component, then the risk figures.
pub fn table(report: &CostReport) -> String {
    let mut out = String::new();
    let h = report.hours_per_month;
    let _ = writeln!(
        out,
        "Monthly cost, catalog {} ({h} h/month), USD",
        report.catalog
    );
    let _ = writeln!(out);
    out.push_str(&items_table(&report.breakdown));
    let _ = writeln!(out);
    totals(&mut out, "By region", &report.by_region);
    totals(&mut out, "By component", &report.by_component);
    risk_lines(&mut out, report);
    for note in &report.notes {
        let _ = writeln!(out, "note: {note}");
    }
    out
}

fn items_table(items: &[LineItem]) -> String {
    let header = [
        "region",
        "component",
        "description",
        "quantity",
        "unit",
        "unit price",
        "monthly",
    ];
    let rows: Vec<[String; 7]> = items
        .iter()
        .map(|i| {
            [
                i.region
                    .clone()
                    .unwrap_or_else(|| super::bill::GLOBAL.into()),
                i.component.clone(),
                i.description.clone(),
                format!("{:.2}", i.quantity),
                i.unit.clone(),
                format!("{:.4}", i.unit_price_usd),
                format!("{:.2}", i.monthly_usd),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    push_row(&mut out, &header.map(String::from), &widths);
    for row in &rows {
        push_row(&mut out, row, &widths);
    }
    out
}

fn push_row(out: &mut String, cells: &[String; 7], widths: &[usize; 7]) {
    let mut line = String::new();
    for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
        // Numbers (quantity, unit price, monthly) align right.
        if i == 3 || i >= 5 {
            let _ = write!(line, "{cell:>w$}  ");
        } else {
            let _ = write!(line, "{cell:<w$}  ");
        }
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

fn totals(out: &mut String, title: &str, sums: &BTreeMap<String, f64>) {
    let _ = writeln!(out, "{title}");
    let width = sums.keys().map(String::len).max().unwrap_or(0);
    for (name, usd) in sums {
        let _ = writeln!(out, "  {name:<width$}  {usd:>12.2}");
    }
    let _ = writeln!(out);
}

fn risk_lines(out: &mut String, report: &CostReport) {
    let figure = |v: Option<f64>| {
        v.map_or_else(
            || "n/a (needs a simulation)".to_string(),
            |v| format!("{v:>12.2}"),
        )
    };
    let _ = writeln!(
        out,
        "Steady monthly bill                     {:>12.2}",
        report.monthly_usd
    );
    let _ = writeln!(
        out,
        "Disaster-time cost per month            {}",
        figure(report.disaster_monthly_usd)
    );
    let _ = writeln!(
        out,
        "Expected loss per month                 {}",
        figure(report.expected_loss_monthly_usd)
    );
    let _ = writeln!(
        out,
        "Risk-adjusted monthly cost              {}",
        figure(report.risk_adjusted_monthly_usd)
    );
    let _ = writeln!(
        out,
        "p99 loss of one disaster (tail risk)    {}",
        figure(report.tail_loss_p99_usd)
    );
    for d in &report.by_disaster {
        let _ = write!(
            out,
            "  {}: {}/year, failover {:.2} USD each",
            d.name,
            d.per_year,
            d.failover_per_occurrence_usd + 0.0 // no "-0.00"
        );
        if let Some(loss) = &d.loss {
            let _ = write!(
                out,
                ", mean loss {:.2}, p99 loss {:.2} ({} trials)",
                loss.mean_loss_usd, loss.p99_loss_usd, loss.trials
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out);
}
