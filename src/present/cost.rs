//! A [`CostReport`] as a table, JSON or CSV (`drsim cost`, and the cost part of
//! `drsim run`'s table).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::analysis::cost::bill::GLOBAL;
use crate::analysis::cost::{CostReport, LineItem};
use crate::present::Format;
use crate::present::format::{usd_cents, usd_unit_price};
use crate::present::table::{Align, csv_text, text_table};

/// The report in `format`.
pub fn render(report: &CostReport, format: Format) -> String {
    match format {
        Format::Table => table(report),
        Format::Json => json(report),
        Format::Csv => csv(report),
    }
}

/// The report as pretty JSON.
pub fn json(report: &CostReport) -> String {
    serde_json::to_string_pretty(report).expect("cost reports serialise")
}

/// One CSV row per line item, with a header.
pub fn csv(report: &CostReport) -> String {
    let header = [
        "region",
        "component",
        "description",
        "quantity",
        "unit",
        "unit_price_usd",
        "monthly_usd",
        "price_item",
    ]
    .map(String::from);
    let rows = report.breakdown.iter().map(|item| {
        [
            item.region.as_deref().unwrap_or(GLOBAL).to_string(),
            item.component.clone(),
            item.description.clone(),
            item.quantity.to_string(),
            item.unit.clone(),
            item.unit_price_usd.to_string(),
            usd_cents(item.monthly_usd),
            item.price_item.clone(),
        ]
    });
    csv_text(std::iter::once(header).chain(rows))
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
    if !report.region_catalogs.is_empty() {
        let by_region: Vec<String> = (report.region_catalogs.iter())
            .map(|(region, catalog)| format!("{region} {catalog}"))
            .collect();
        let _ = writeln!(out, "Catalog by region: {}", by_region.join(", "));
    }
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
    let mut rows = vec![header.map(String::from).to_vec()];
    rows.extend(items.iter().map(|i| {
        vec![
            i.region.clone().unwrap_or_else(|| GLOBAL.into()),
            i.component.clone(),
            i.description.clone(),
            format!("{:.2}", i.quantity),
            i.unit.clone(),
            usd_unit_price(i.unit_price_usd),
            usd_cents(i.monthly_usd),
        ]
    }));
    // Numbers (quantity, unit price, monthly) align right.
    use Align::{Left, Right};
    text_table(&rows, "", &[Left, Left, Left, Right, Left, Right, Right])
}

fn totals(out: &mut String, title: &str, sums: &BTreeMap<String, f64>) {
    let _ = writeln!(out, "{title}");
    let width = sums.keys().map(String::len).max().unwrap_or(0);
    for (name, usd) in sums {
        let _ = writeln!(out, "  {name:<width$}  {:>12}", usd_cents(*usd));
    }
    let _ = writeln!(out);
}

fn risk_lines(out: &mut String, report: &CostReport) {
    let figure = |v: Option<f64>| {
        v.map_or_else(
            || "n/a (needs a simulation)".to_string(),
            |v| format!("{:>12}", usd_cents(v)),
        )
    };
    let _ = writeln!(
        out,
        "Steady monthly bill                     {:>12}",
        usd_cents(report.monthly_usd)
    );
    for (label, value) in [
        ("Disaster-time cost per month", report.disaster_monthly_usd),
        ("Expected loss per month", report.expected_loss_monthly_usd),
        (
            "Risk-adjusted monthly cost",
            report.risk_adjusted_monthly_usd,
        ),
        (
            "p99 loss of one disaster (tail risk)",
            report.tail_loss_p99_usd,
        ),
    ] {
        let _ = writeln!(out, "{label:<40}{}", figure(value));
    }
    for d in &report.by_disaster {
        let _ = write!(
            out,
            "  {}: {}/year, failover {} USD each",
            d.name,
            d.per_year,
            usd_cents(d.failover_per_occurrence_usd + 0.0) // no "-0.00"
        );
        if let Some(loss) = &d.loss {
            let _ = write!(
                out,
                ", mean loss {}, p99 loss {} ({} trials)",
                usd_cents(loss.mean_loss_usd),
                usd_cents(loss.p99_loss_usd),
                loss.trials
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load::load_model;

    #[test]
    fn report_formats_carry_the_same_figures() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/warm-standby.toml");
        let model = load_model(&path).unwrap();
        let report = crate::analysis::cost::report(&model, None).unwrap();
        let json: serde_json::Value = serde_json::from_str(&render(&report, Format::Json)).unwrap();
        for key in [
            "monthly_usd",
            "disaster_monthly_usd",
            "expected_loss_monthly_usd",
            "risk_adjusted_monthly_usd",
            "tail_loss_p99_usd",
            "hours_per_month",
            "catalog",
            "region_catalogs",
            "breakdown",
            "by_region",
            "by_component",
        ] {
            assert!(json.get(key).is_some(), "{key} missing");
        }
        assert!(json["expected_loss_monthly_usd"].is_null());
        assert_eq!(json["monthly_usd"].as_f64().unwrap(), report.monthly_usd);
        let csv = render(&report, Format::Csv);
        assert_eq!(csv.lines().count(), report.breakdown.len() + 1);
        assert!(csv.starts_with(
            "region,component,description,quantity,unit,unit_price_usd,monthly_usd,price_item\n"
        ));
        let table = render(&report, Format::Table);
        assert!(table.contains(&usd_cents(report.monthly_usd)), "{table}");
        assert!(table.contains("By component"));
    }
}
