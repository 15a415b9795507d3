//! Renders every chart kind and the design-review report from hand-made data into
//! `output/chart-samples/`, to look at: `cargo run --example chart_samples`.

use std::fs;
use std::path::Path;

use drsim::present::charts::html_report::design_review_html;
use drsim::present::charts::{ChartFormat, render, samples};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new("output/chart-samples");
    fs::create_dir_all(dir)?;
    for format in [ChartFormat::Svg, ChartFormat::Png] {
        let path = |name: &str| dir.join(format!("{name}.{}", format.extension()));
        render(&samples::cdf(), format, &path("cdf"))?;
        render(&samples::pareto(), format, &path("pareto"))?;
        render(&samples::rpo_pareto(), format, &path("pareto_rpo"))?;
        render(&samples::cost_bars(), format, &path("cost_bars"))?;
        render(&samples::timeline(), format, &path("timeline"))?;
    }
    fs::write(
        dir.join("report.html"),
        design_review_html(&samples::design_review()),
    )?;
    println!("wrote {}", dir.display());
    Ok(())
}
