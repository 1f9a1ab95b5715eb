//! A histogram from the simulation, drawn by core's [`meridian_core::charts`] as inline SVG.

use std::rc::Rc;

use meridian_core::charts::{HistogramSpec, Marker, RGBColor, histogram_chart};
use meridian_core::metrics::Bin;
use yew::prelude::*;

use super::chart_export::chart_box;

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
pub fn histogram_chart_view(props: &HistogramProps) -> Html {
    let spec = HistogramSpec {
        title: &props.title,
        x_label: &props.x_label,
        count_label: &props.count_label,
        bins: &props.bins,
        markers: &props.markers,
        color: props.color,
    };
    chart_box(
        &histogram_chart(&spec, WIDTH, HEIGHT),
        "chart",
        &props.testid,
    )
}
