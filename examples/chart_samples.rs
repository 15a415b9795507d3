//! Renders every chart kind and the design-review report from hand-made data into
//! `output/chart-samples/`, to look at: `cargo run --example chart_samples`.

use std::fs;
use std::path::Path;

use drsim::charts::html_report::design_review_html;
use drsim::charts::{ChartFormat, samples};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new("output/chart-samples");
    fs::create_dir_all(dir)?;
    for format in [ChartFormat::Svg, ChartFormat::Png] {
        let ext = format.extension();
        drsim::charts::render(&samples::cdf(), format, &dir.join(format!("cdf.{ext}")))?;
        drsim::charts::render(
            &samples::pareto(),
            format,
            &dir.join(format!("pareto.{ext}")),
        )?;
        drsim::charts::render(
            &samples::cost_bars(),
            format,
            &dir.join(format!("cost_bars.{ext}")),
        )?;
        drsim::charts::render(
            &samples::timeline(),
            format,
            &dir.join(format!("timeline.{ext}")),
        )?;
    }
    fs::write(
        dir.join("report.html"),
        design_review_html(&samples::design_review()),
    )?;
    println!("wrote {}", dir.display());
    Ok(())
}
