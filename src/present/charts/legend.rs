//! A legend strip under the title, outside the plot, so it never hides data.
//!
//! plotters' built-in legend sits inside the plot area, where it covered curves in
//! practice; this one wraps its entries into centred rows across the chart's width.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, FONT, LABEL_SIZE};

/// What an entry's sample looks like.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Swatch {
    /// A solid line, for a series.
    Line(RGBColor),
    /// A dashed line, for an objective or threshold.
    Dashed(RGBColor),
    /// A dotted line, for secondary guides such as event markers.
    Dotted(RGBColor),
    /// A filled block, for bars.
    Block(RGBColor),
    /// A filled circle, for points.
    Dot(RGBColor),
    /// An open triangle, for points.
    Triangle(RGBColor),
}

/// One legend entry.
#[derive(Clone, Debug)]
pub(crate) struct LegendEntry {
    /// Text shown beside the swatch.
    pub label: String,
    /// The sample mark.
    pub swatch: Swatch,
}

impl LegendEntry {
    pub fn new(label: impl Into<String>, swatch: Swatch) -> Self {
        Self {
            label: label.into(),
            swatch,
        }
    }
}

const SWATCH_WIDTH: i32 = 40;
const SWATCH_GAP: i32 = 10;
const ENTRY_GAP: i32 = 36;
const ROW_HEIGHT: i32 = 34;

/// Draws the legend in a strip at the top of `area` and returns the area below it.
pub(crate) fn with_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
) -> Result<DrawingArea<DB, Shift>, ChartError>
where
    DB::ErrorType: 'static,
{
    if entries.is_empty() {
        return Ok(area.clone());
    }
    let font = (FONT, LABEL_SIZE).into_font().color(&BLACK);
    let width = area.dim_in_pixel().0 as i32 - 40;
    let mut rows: Vec<Vec<(i32, &LegendEntry)>> = vec![Vec::new()];
    let mut row_width = 0;
    for entry in entries {
        let text_width = area.estimate_text_size(&entry.label, &font)?.0 as i32;
        let entry_width = SWATCH_WIDTH + SWATCH_GAP + text_width;
        let needed = if row_width == 0 {
            entry_width
        } else {
            row_width + ENTRY_GAP + entry_width
        };
        if needed > width && row_width > 0 {
            rows.push(Vec::new());
            row_width = entry_width;
        } else {
            row_width = needed;
        }
        if let Some(row) = rows.last_mut() {
            row.push((entry_width, entry));
        }
    }
    let height = rows.len() as i32 * ROW_HEIGHT + 12;
    let (strip, rest) = area.split_vertically(height as u32);
    let full_width = strip.dim_in_pixel().0 as i32;
    for (r, row) in rows.iter().enumerate() {
        let total: i32 = row.iter().map(|e| e.0).sum::<i32>() + ENTRY_GAP * (row.len() as i32 - 1);
        let mut x = (full_width - total) / 2;
        let y = r as i32 * ROW_HEIGHT + ROW_HEIGHT / 2 + 4;
        for (entry_width, entry) in row {
            draw_swatch(&strip, entry.swatch, x, y)?;
            let label_font = font.clone().pos(Pos::new(HPos::Left, VPos::Center));
            strip.draw(&Text::new(
                entry.label.clone(),
                (x + SWATCH_WIDTH + SWATCH_GAP, y),
                label_font,
            ))?;
            x += entry_width + ENTRY_GAP;
        }
    }
    Ok(rest)
}

fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    x: i32,
    y: i32,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let end = x + SWATCH_WIDTH;
    match swatch {
        Swatch::Line(c) => {
            area.draw(&PathElement::new(vec![(x, y), (end, y)], c.stroke_width(5)))?
        }
        Swatch::Dashed(c) => {
            for k in 0..3 {
                let x0 = x + k * 15;
                area.draw(&PathElement::new(
                    vec![(x0, y), (x0 + 9, y)],
                    c.stroke_width(3),
                ))?;
            }
        }
        Swatch::Dotted(c) => {
            for k in 0..5 {
                let x0 = x + k * 9;
                area.draw(&PathElement::new(
                    vec![(x0, y), (x0 + 3, y)],
                    c.stroke_width(3),
                ))?;
            }
        }
        Swatch::Block(c) => area.draw(&Rectangle::new(
            [(x + 8, y - 11), (end - 8, y + 11)],
            c.filled(),
        ))?,
        Swatch::Dot(c) => area.draw(&Circle::new((x + SWATCH_WIDTH / 2, y), 10, c.filled()))?,
        Swatch::Triangle(c) => area.draw(&TriangleMarker::new(
            (x + SWATCH_WIDTH / 2, y),
            11,
            c.stroke_width(4),
        ))?,
    }
    Ok(())
}
