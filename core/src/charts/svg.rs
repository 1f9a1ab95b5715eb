//! The charts' SVG backend: plotters' [`SVGBackend`] with a text measure of its own, and the
//! legends drawn with that measure.
//!
//! Plotters sizes some parts of a chart from the size of its text (the caption's height, a
//! legend's box), and measures text differently by target: natively with a fixed estimate, in
//! WebAssembly with the browser's canvas. The same chart would then differ by a pixel or ten
//! between `meridian --svg` and the page. [`SvgBackend`] answers every measure from
//! [`text_size`], a pure function of the font size and the text, and [`draw_legend`] lays out
//! legends with it, so the SVG is the same wherever it is drawn. (The SVG viewer renders the text
//! with its own fonts anyway; the estimate only places boxes around it.)

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// The width and height, px, given to `text` in a font of `size` px: 0.7 em per character and
/// 1.24 em of height, the em being the size over 1.24² (plotters' own estimate without a font
/// engine, counted in characters rather than bytes).
pub fn text_size(size: f64, text: &str) -> (u32, u32) {
    let em = size / 1.24 / 1.24;
    let width = libm::round(em * 0.7 * text.chars().count() as f64);
    let height = libm::round(em) + libm::round(em * 0.24);
    (width.max(0.0) as u32, height.max(0.0) as u32)
}

/// Plotters' SVG backend writing into a string, measuring text with [`text_size`].
pub struct SvgBackend<'a>(SVGBackend<'a>);

impl fmt::Debug for SvgBackend<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SvgBackend")
            .field("size", &self.0.get_size())
            .finish()
    }
}

impl<'a> SvgBackend<'a> {
    /// A backend of `size` px writing its document into `out`.
    pub fn with_string(out: &'a mut String, size: (u32, u32)) -> Self {
        SvgBackend(SVGBackend::with_string(out, size))
    }
}

impl DrawingBackend for SvgBackend<'_> {
    type ErrorType = <SVGBackend<'static> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_text(text, style, pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        Ok(text_size(style.size(), text))
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }
}

/// One entry of a legend: its text and its sample line.
#[derive(Debug, Clone)]
pub struct LegendEntry {
    /// The text.
    pub label: String,
    /// The sample line's style.
    pub style: ShapeStyle,
    /// The sample's strokes, as `(from, to)` px right of the sample's start.
    pub strokes: Vec<(i32, i32)>,
}

impl LegendEntry {
    /// An entry whose sample is two strokes of `dash` px with a gap of `gap` px (a solid line
    /// when `gap` is 0).
    pub fn dashed(label: &str, style: ShapeStyle, dash: i32, gap: i32) -> Self {
        LegendEntry {
            label: label.into(),
            style,
            strokes: alloc::vec![(0, dash), (dash + gap, 2 * dash + gap)],
        }
    }
}

/// Where a legend goes in its area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corner {
    /// Top right.
    UpperRight,
    /// Bottom right.
    LowerRight,
}

/// Width of a legend's sample column, px.
const SAMPLE_WIDTH: i32 = 30;
/// Padding inside a legend's box, px.
const PADDING: i32 = 6;

/// Draws a legend of `entries` in `corner` of `area` (a plot's pixel area): a box of
/// `background` with a border of `border`, one line per entry in a font of `size` px, its
/// sample on the left. Laid out with [`text_size`], so it is the same on every target.
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    size: f64,
    corner: Corner,
    background: ShapeStyle,
    border: ShapeStyle,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    if entries.is_empty() {
        return Ok(());
    }
    // A line of text and its spacing: 1.2 times the font size.
    let line = (libm::round(size * 1.2) as i32).max(1);
    let text_w = entries
        .iter()
        .map(|e| text_size(size, &e.label).0 as i32)
        .max()
        .unwrap_or(0);
    let w = text_w + SAMPLE_WIDTH + 2 * PADDING;
    let h = line * entries.len() as i32 + 2 * PADDING;
    let (area_w, area_h) = area.dim_in_pixel();
    let x = area_w as i32 - w - 5;
    let y = match corner {
        Corner::UpperRight => 5,
        Corner::LowerRight => area_h as i32 - h - 5,
    };
    area.draw(&Rectangle::new([(x, y), (x + w, y + h)], background))?;
    area.draw(&Rectangle::new([(x, y), (x + w, y + h)], border))?;
    let font = ("sans-serif", size)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (i, e) in entries.iter().enumerate() {
        let mid = y + PADDING + line * i as i32 + line / 2;
        area.draw(&Text::new(
            e.label.clone(),
            (x + PADDING + SAMPLE_WIDTH, mid),
            font.clone(),
        ))?;
        for &(a, b) in &e.strokes {
            let x0 = x + PADDING;
            area.draw(&PathElement::new([(x0 + a, mid), (x0 + b, mid)], e.style))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_measured_by_its_characters_and_size() {
        assert_eq!(text_size(16.0, ""), (0, 12));
        assert_eq!(text_size(12.0, "p95"), (16, 10));
        // Characters, not bytes: "≤" is one.
        assert_eq!(text_size(12.0, "≤"), text_size(12.0, "x"));
    }
}
