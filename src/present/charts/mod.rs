//! Charts and the design-review report: plain data in, SVG or PNG out.
//!
//! Each chart kind lives in its own module and takes a plain struct (strings and numbers),
//! so the simulator, statistics and cost code never depend on the drawing library:
//!
//! - [`cdf::CdfChart`]: overlaid recovery-time CDFs, one curve per strategy;
//! - [`pareto::ParetoChart`]: monthly cost against a time percentile, with the Pareto front;
//! - [`cost_bars::CostBarsChart`]: monthly cost per strategy, stacked by component;
//! - [`timeline::TimelineChart`]: the trace of one simulated disaster.
//!
//! Every chart implements [`Chart`]; [`render`] writes it to a file atomically and
//! [`render_svg`] returns the SVG text (what [`html_report`] inlines).
//!
//! Charts are drawn at slide size (1280x720) with labels of at least 18 px and the
//! Okabe-Ito palette, which stays distinguishable with the common colour-vision deficiencies.

use std::io::Write as _;
use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::output::TempPath;

pub mod cdf;
pub mod cost_bars;
pub mod exceedance;
pub mod html_report;
mod labels;
mod legend;
pub mod pareto;
pub mod samples;
mod time_axis;
pub mod timeline;
pub mod tornado;

pub use time_axis::use_log_scale;

/// The file format a chart is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartFormat {
    /// Scalable vector graphics: text stays text, no font file needed to view it.
    Svg,
    /// A bitmap, for slides and tools that cannot show SVG.
    Png,
}

impl ChartFormat {
    /// The format a path's extension names (`.svg` or `.png`, any case), if either.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Some(Self::Svg),
            "png" => Some(Self::Png),
            _ => None,
        }
    }

    /// The file extension for this format, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Svg => "svg",
            Self::Png => "png",
        }
    }
}

/// Why a chart could not be drawn or written: the present layer's error, by the name the
/// chart code uses.
pub type ChartError = crate::present::error::PresentError;

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(err: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw(err.to_string())
    }
}

/// A chart that can be drawn on any plotters backend.
pub trait Chart {
    /// Pixel size (width, height) the chart is laid out for.
    fn size(&self) -> (u32, u32) {
        SLIDE_SIZE
    }

    /// The chart's title, for screen readers (the SVG `<title>`).
    fn title(&self) -> String;

    /// What the chart shows, in a sentence or two, for screen readers (the SVG `<desc>`).
    fn description(&self) -> String;

    /// The colours whose lines are dashed, with their SVG `stroke-dasharray`: series told
    /// apart by pattern as well as colour, for greyscale prints and colour-blind readers.
    fn dashes(&self) -> Vec<(RGBColor, &'static str)> {
        Vec::new()
    }

    /// Draws the whole chart, title included, on `area`.
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static;
}

/// The default chart size: a 16:9 slide.
pub const SLIDE_SIZE: (u32, u32) = (1280, 720);

/// Draws `chart` and returns the SVG document as a string.
pub fn render_svg<C: Chart>(chart: &C) -> Result<String, ChartError> {
    ensure_font();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, chart.size()).into_drawing_area();
        chart.draw(&root)?;
        root.present()?;
    }
    Ok(accessible(&dashed(&svg, &chart.dashes()), chart))
}

/// Dash patterns per series, in palette order: solid first, then patterns that stay
/// apart in greyscale. Charts whose series are lines use these through [`Chart::dashes`].
pub const DASHES: [&str; 7] = ["", "16 8", "4 6", "16 6 4 6", "28 8", "2 4", "10 4 2 4 2 4"];

/// The dash pattern of the `index`th series' colour, for `count` series.
pub(crate) fn series_dashes(count: usize) -> Vec<(RGBColor, &'static str)> {
    (0..count.min(PALETTE.len()))
        .filter(|i| !DASHES[*i].is_empty())
        .map(|i| (series_colour(i), DASHES[i]))
        .collect()
}

/// Adds `stroke-dasharray` to every polyline stroked in a dashed colour (the series and
/// its legend sample alike). plotters draws a series as one polyline with a `stroke`
/// attribute, so the pattern runs along the whole curve.
fn dashed(svg: &str, dashes: &[(RGBColor, &str)]) -> String {
    let mut out = svg.to_string();
    for (colour, pattern) in dashes {
        let stroke = format!(
            "stroke=\"#{:02X}{:02X}{:02X}\"",
            colour.0, colour.1, colour.2
        );
        out = out
            .split("<polyline ")
            .enumerate()
            .map(|(i, part)| {
                let head = part.split("/>").next().unwrap_or("");
                if i > 0 && head.contains(&stroke) && !head.contains("stroke-dasharray") {
                    format!("stroke-dasharray=\"{pattern}\" {part}")
                } else {
                    part.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("<polyline ");
    }
    out
}

/// Puts the chart's `<title>` and `<desc>` first inside the `<svg>` element, where
/// screen readers look for its name and description.
fn accessible<C: Chart>(svg: &str, chart: &C) -> String {
    let Some(open) = svg
        .find("<svg")
        .and_then(|s| svg[s..].find('>').map(|e| s + e + 1))
    else {
        return svg.to_string();
    };
    let escape = crate::present::charts::html_report::escape;
    format!(
        "{}\n<title>{}</title>\n<desc>{}</desc>{}",
        &svg[..open],
        escape(&chart.title()),
        escape(&chart.description()),
        &svg[open..]
    )
}

/// Draws `chart` in `format` and writes it to `path` atomically.
///
/// The chart goes to a temporary file in the same directory first (a
/// [`TempPath`](crate::output::TempPath), removed if drawing fails or the run is
/// interrupted), then is renamed over `path`, so a reader (or a browser reloading the
/// report) never sees half a file.
pub fn render<C: Chart>(chart: &C, format: ChartFormat, path: &Path) -> Result<(), ChartError> {
    if path.file_name().and_then(|n| n.to_str()).is_none() {
        return Err(ChartError::NotAFilePath(path.to_path_buf()));
    }
    // The real extension last: the bitmap backend picks its encoder from it.
    let (temp, file) = TempPath::beside(path, &format!(".{}", format.extension()))
        .map_err(|e| io_error(&e.path, e.source))?;
    match format {
        ChartFormat::Svg => {
            let svg = render_svg(chart)?;
            let mut file = file;
            file.write_all(svg.as_bytes())
                .map_err(|e| io_error(temp.path(), e))?;
        }
        ChartFormat::Png => {
            drop(file);
            write_png(chart, temp.path())?;
        }
    }
    temp.persist(path).map_err(|e| io_error(&e.path, e.source))
}

fn write_png<C: Chart>(chart: &C, path: &Path) -> Result<(), ChartError> {
    ensure_font();
    let root = BitMapBackend::new(path, chart.size()).into_drawing_area();
    chart.draw(&root)?;
    root.present()?;
    Ok(())
}

fn io_error(path: &Path, source: std::io::Error) -> ChartError {
    ChartError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// The embedded font: bitmap text needs glyph outlines and plotters' layout needs glyph
/// metrics even for SVG, and embedding (DejaVu Sans, a free licence) means no machine needs
/// a font installed. SVG output still names the generic `sans-serif` family.
static FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// The family name every chart asks for.
pub(crate) const FONT: &str = "sans-serif";

fn ensure_font() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        // The bytes are a known-good TTF compiled in, so failure would be a build error.
        if plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES).is_err() {
            panic!("embedded DejaVuSans.ttf is not a valid font");
        }
    });
}

/// Text sizes in plotters units; SVG output shows them at size / 1.24 px, so 24 gives
/// about 19 px: readable on a projected slide.
pub(crate) const TITLE_SIZE: u32 = 36;
pub(crate) const LABEL_SIZE: u32 = 24;
pub(crate) const TICK_SIZE: u32 = 23;

/// Okabe-Ito colours, ordered so the first few are the most distinct on white; yellow last
/// because it is faint on a white background.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];

/// The colour of the `index`th series, cycling through [`PALETTE`].
pub fn series_colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// Colour for objectives and thresholds: near-black, so it reads as a reference, not data.
pub(crate) const REFERENCE: RGBColor = RGBColor(0x33, 0x33, 0x33);

/// Draws a dashed straight line from `from` to `to` (in chart coordinates) as separate
/// dash segments.
pub(crate) fn dashed_segments(
    from: (f64, f64),
    to: (f64, f64),
    dashes: usize,
) -> Vec<[(f64, f64); 2]> {
    broken_line(from, to, dashes, 0.6)
}

/// Like [`dashed_segments`] with short dashes: a dotted line, for secondary guides.
pub(crate) fn dotted_segments(
    from: (f64, f64),
    to: (f64, f64),
    dots: usize,
) -> Vec<[(f64, f64); 2]> {
    broken_line(from, to, dots, 0.25)
}

/// `count` pieces along from..to, each covering `fill` of its share of the length.
fn broken_line(from: (f64, f64), to: (f64, f64), count: usize, fill: f64) -> Vec<[(f64, f64); 2]> {
    let lerp = |t: f64| (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
    (0..count)
        .map(|i| {
            let start = i as f64 / count as f64;
            let end = (i as f64 + fill) / count as f64;
            [lerp(start), lerp(end)]
        })
        .collect()
}

/// Fills the background and draws the title; returns the area left for the plot.
pub(crate) fn titled<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<DrawingArea<DB, Shift>, ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE)?;
    // A top margin: glyphs of a title flush with the edge lose their ascenders.
    let area = area.margin(14, 0, 0, 0);
    Ok(area.titled(title, (FONT, TITLE_SIZE).into_font().color(&BLACK))?)
}

/// Dollar ticks at 1, 2 or 5 times a power of ten, at most seven.
pub(crate) fn usd_ticks(max: f64) -> Vec<f64> {
    let rough = max / 6.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| max / s <= 7.0)
        .unwrap_or(10.0 * power);
    (0..=((max / step).floor() as usize))
        .map(|k| k as f64 * step)
        .collect()
}

#[cfg(test)]
pub(crate) mod test_svg {
    //! Helpers for checking the SVG that plotters writes.

    /// Parses an SVG string, panicking with the error if it is not well-formed XML.
    pub fn parse(svg: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("bad SVG: {e}\n{svg}"))
    }

    /// `rgb(0,114,178)`-style colour string plotters writes for `colour`.
    pub fn svg_colour(colour: plotters::style::RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2)
    }

    /// The number of `tag` elements whose `attr` equals `value`.
    pub fn count(doc: &roxmltree::Document<'_>, tag: &str, attr: &str, value: &str) -> usize {
        doc.descendants()
            .filter(|n| n.has_tag_name(tag))
            .filter(|n| {
                n.attribute(attr)
                    .is_some_and(|v| v.eq_ignore_ascii_case(value))
            })
            .count()
    }

    /// The text of every `<text>` element.
    pub fn texts(doc: &roxmltree::Document<'_>) -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or("").trim().to_string())
            .collect()
    }

    /// Points in each `polyline` whose stroke is `colour`.
    pub fn polyline_lengths(doc: &roxmltree::Document<'_>, colour: &str) -> Vec<usize> {
        doc.descendants()
            .filter(|n| n.has_tag_name("polyline"))
            .filter(|n| {
                n.attribute("stroke")
                    .is_some_and(|v| v.eq_ignore_ascii_case(colour))
            })
            .map(|n| {
                n.attribute("points")
                    .unwrap_or("")
                    .split_whitespace()
                    .count()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_extension() {
        assert_eq!(
            ChartFormat::from_path(Path::new("a/b.SVG")),
            Some(ChartFormat::Svg)
        );
        assert_eq!(
            ChartFormat::from_path(Path::new("b.png")),
            Some(ChartFormat::Png)
        );
        assert_eq!(ChartFormat::from_path(Path::new("b.pdf")), None);
    }

    #[test]
    fn usd_ticks_are_round() {
        assert_eq!(usd_ticks(16_520.0), vec![0.0, 5e3, 10e3, 15e3]);
        assert_eq!(
            usd_ticks(120.0),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 120.0]
        );
    }

    #[test]
    fn temp_file_keeps_extension_and_directory() {
        let dir = tempfile::tempdir().unwrap();
        let (temp, _) = TempPath::beside(&dir.path().join("chart.png"), ".png").unwrap();
        assert_eq!(temp.path().parent(), Some(dir.path()));
        assert_eq!(temp.path().extension().unwrap(), "png");
    }
}

#[cfg(test)]
mod file_tests {
    use std::fs;

    use super::*;

    /// Decodes a PNG file into (width, height, distinct RGB colours).
    fn decode(path: &Path) -> (u32, u32, usize) {
        let file = fs::File::open(path).unwrap();
        let mut reader = png::Decoder::new(file).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        let channels = info.color_type.samples();
        let colours: std::collections::HashSet<&[u8]> = buf[..info.buffer_size()]
            .chunks(channels)
            .map(|px| &px[..3])
            .collect();
        (info.width, info.height, colours.len())
    }

    #[test]
    fn png_files_have_the_signature_and_the_requested_size() {
        let dir = tempfile::tempdir().unwrap();
        type Draw<'a> = &'a dyn Fn(&Path) -> Result<(), ChartError>;
        let charts: [(&str, Draw<'_>, (u32, u32)); 4] = [
            (
                "cdf.png",
                &|p| render(&samples::cdf(), ChartFormat::Png, p),
                SLIDE_SIZE,
            ),
            (
                "pareto.png",
                &|p| render(&samples::pareto(), ChartFormat::Png, p),
                SLIDE_SIZE,
            ),
            (
                "bars.png",
                &|p| render(&samples::cost_bars(), ChartFormat::Png, p),
                SLIDE_SIZE,
            ),
            (
                "timeline.png",
                &|p| render(&samples::timeline(), ChartFormat::Png, p),
                (1280, 800),
            ),
        ];
        for (name, draw, size) in charts {
            let path = dir.path().join(name);
            draw(&path).unwrap();
            let bytes = fs::read(&path).unwrap();
            assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{name}");
            let (w, h, colours) = decode(&path);
            assert_eq!((w, h), size, "{name}");
            // Text is antialiased and series are coloured: a blank or text-less image
            // would have only a handful of colours.
            assert!(colours > 50, "{name}: only {colours} colours");
        }
        // Nothing but the charts is left behind: the temporary files were renamed.
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 4, "{left:?}");
    }

    #[test]
    fn empty_inputs_still_draw() {
        render_svg(&cdf::CdfChart::default()).unwrap();
        render_svg(&pareto::ParetoChart::default()).unwrap();
        render_svg(&cost_bars::CostBarsChart::default()).unwrap();
        render_svg(&timeline::TimelineChart::default()).unwrap();
        let html = html_report::design_review_html(&html_report::DesignReview::default());
        assert!(html.contains("No strategy is recommended"));
    }

    #[test]
    fn svg_file_is_written_and_replaces_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cdf.svg");
        fs::write(&path, "old").unwrap();
        render(&samples::cdf(), ChartFormat::Svg, &path).unwrap();
        let svg = fs::read_to_string(&path).unwrap();
        assert!(svg.starts_with("<svg"));
        test_svg::parse(&svg);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn unwritable_path_is_an_error_naming_it() {
        let err = render(
            &samples::cdf(),
            ChartFormat::Svg,
            Path::new("/nonexistent-dir/x.svg"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("/nonexistent-dir/"), "{err}");
    }
}
