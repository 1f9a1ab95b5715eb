//! A histogram from the simulation, drawn by [`crate::charts`] as inline SVG.

use std::rc::Rc;

use meridian_core::metrics::Bin;
use plotters::style::RGBColor;
use yew::prelude::*;

use super::chart_export::boxed;
use crate::charts::{HistogramSpec, Marker, describe, histogram_svg};

/// Props of [`HistogramChart`].
#[derive(Debug, PartialEq, Properties)]
pub struct HistogramProps {
    /// Caption.
    pub title: AttrValue,
    /// x-axis label.
    pub x_label: AttrValue,
    /// What the bars count (the y axis), e.g. "reads".
    #[prop_or(AttrValue::Static("reads"))]
    pub count_label: AttrValue,
    /// Bars from the simulation.
    pub bins: Rc<Vec<Bin>>,
    /// Percentile and SLO lines.
    pub markers: Vec<Marker>,
    /// Bar colour.
    pub color: RGBColor,
    /// Test id of the wrapper element.
    pub testid: AttrValue,
}

/// Width of the drawn SVG, in px (it scales with CSS).
const WIDTH: u32 = 560;
/// Height of the drawn SVG, in px.
const HEIGHT: u32 = 300;

/// One histogram.
#[function_component(HistogramChart)]
pub fn histogram_chart(props: &HistogramProps) -> Html {
    let spec = HistogramSpec {
        title: &props.title,
        x_label: &props.x_label,
        count_label: &props.count_label,
        bins: &props.bins,
        markers: &props.markers,
        color: props.color,
    };
    let drawn = histogram_svg(&spec, WIDTH, HEIGHT);
    let body = match &drawn {
        // The SVG is generated here from numbers, never from user text, so it is safe to inline.
        Ok(svg) => Html::from_html_unchecked(AttrValue::from(svg.clone())),
        Err(e) => html! { <p class="chart-error">{ format!("Could not draw the chart: {e}") }</p> },
    };
    let figure = html! {
        <figure class="chart" data-testid={props.testid.clone()} role="img"
                aria-label={describe(&spec, "histogram, log count scale")}>
            { body }
        </figure>
    };
    boxed(figure, drawn.as_deref().ok(), &props.title, WIDTH, HEIGHT)
}
