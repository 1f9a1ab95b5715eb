//! "SVG" and "PNG" downloads under a chart: the SVG is the chart exactly as drawn (plotters'
//! document), and the PNG is that SVG rendered by the browser onto a canvas at twice its size,
//! for slides that want a picture.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::url_state::percent_encode;

/// A `data:` address holding `svg`.
pub fn svg_data_url(svg: &str) -> String {
    format!("data:image/svg+xml;charset=utf-8,{}", percent_encode(svg))
}

/// A file name made of safe characters only.
pub fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Saves `href` as `file` through a temporary link.
pub fn save(href: &str, file: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(a) = document.create_element("a").and_then(|e| {
        e.dyn_into::<web_sys::HtmlAnchorElement>()
            .map_err(Into::into)
    }) {
        a.set_href(href);
        a.set_download(file);
        a.click();
    }
}

/// Renders `svg` (`width` x `height` px) at twice its size on a canvas and saves it as a PNG.
/// Failures (no canvas, an image that does not decode) leave nothing saved and nothing broken.
pub fn save_png(svg: &str, width: u32, height: u32, file: String) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(image) = web_sys::HtmlImageElement::new() else {
        return;
    };
    let drawn = image.clone();
    let onload = Closure::once_into_js(move || {
        let Ok(canvas) = document.create_element("canvas").and_then(|e| {
            e.dyn_into::<web_sys::HtmlCanvasElement>()
                .map_err(Into::into)
        }) else {
            return;
        };
        canvas.set_width(width * 2);
        canvas.set_height(height * 2);
        let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let _ = ctx.scale(2.0, 2.0);
        if ctx
            .draw_image_with_html_image_element(&drawn, 0.0, 0.0)
            .is_ok()
            && let Ok(png) = canvas.to_data_url_with_type("image/png")
        {
            save(&png, &file);
        }
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_src(&svg_data_url(svg));
}

/// A chart's `figure` followed by its downloads (when it was drawn, `svg`), in one box, so that
/// a grid of charts keeps one item per chart.
pub fn boxed(figure: Html, svg: Option<&str>, name: &str, width: u32, height: u32) -> Html {
    html! {
        <div class="chart-box">
            { figure }
            if let Some(svg) = svg {
                <ChartExport svg={AttrValue::from(svg.to_string())} name={AttrValue::from(name.to_string())}
                             {width} {height} />
            }
        </div>
    }
}

/// Props of [`ChartExport`].
#[derive(Debug, PartialEq, Properties)]
pub struct ChartExportProps {
    /// The chart's SVG document.
    pub svg: AttrValue,
    /// What the chart shows, for the file names (e.g. "read latency").
    pub name: AttrValue,
    /// The SVG's width, px.
    pub width: u32,
    /// The SVG's height, px.
    pub height: u32,
}

/// The two download buttons.
#[function_component(ChartExport)]
pub fn chart_export(props: &ChartExportProps) -> Html {
    let stem = file_stem(&props.name);
    let on_svg = {
        let (svg, file) = (props.svg.clone(), format!("{stem}.svg"));
        Callback::from(move |_: MouseEvent| save(&svg_data_url(&svg), &file))
    };
    let on_png = {
        let (svg, file) = (props.svg.clone(), format!("{stem}.png"));
        let (w, h) = (props.width, props.height);
        Callback::from(move |_: MouseEvent| save_png(&svg, w, h, file.clone()))
    };
    html! {
        <div class="chart-export">
            <button type="button" onclick={on_svg} data-testid="chart-svg"
                    aria-label={format!("Download {} as SVG", props.name)}>{ "SVG" }</button>
            <button type="button" onclick={on_png} data-testid="chart-png"
                    aria-label={format!("Download {} as PNG", props.name)}>{ "PNG" }</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_addresses_are_safe() {
        assert_eq!(file_stem("Read latency · SG"), "read-latency---sg");
        assert_eq!(
            svg_data_url("<svg a=\"1\"/>"),
            "data:image/svg+xml;charset=utf-8,%3Csvg%20a%3D%221%22%2F%3E"
        );
    }
}
