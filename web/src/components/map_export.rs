//! "SVG" and "PNG" downloads of a map. A map is drawn by the page (not by plotters) and styled
//! by `www/style.css`, so its download is the drawing as it is on screen (the hovered region
//! included), copied with the map's own style rules written into it in the light theme (taken
//! from `style.css` when the page is built, see `web/build.rs`): the file looks the same in any
//! viewer. The PNG is that SVG rendered by the browser at twice its size, as for the charts.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use meridian_core::charts::file_stem;

use crate::components::chart_export::{save, save_png, svg_data_url};

/// The map rules of `www/style.css` with the light theme's colours, for a standalone SVG.
pub const MAP_CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/map-export.css"));

/// The drawing `svg` as a standalone SVG document `width` x `height` px with [`MAP_CSS`]
/// inside, or `None` when the browser cannot copy it.
pub fn standalone_svg(svg: &web_sys::Element, width: f64, height: f64) -> Option<String> {
    let copy: web_sys::Element = svg.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    copy.set_attribute("width", &format!("{width:.0}")).ok()?;
    copy.set_attribute("height", &format!("{height:.0}")).ok()?;
    let text = web_sys::XmlSerializer::new()
        .ok()?
        .serialize_to_string(&copy)
        .ok()?;
    Some(with_style(&text, MAP_CSS))
}

/// `svg` (a serialised `<svg ...>` element) with a `<style>` element holding `css` as its first
/// child. Written into the text rather than made as a DOM element: the page's
/// Content-Security-Policy refuses inline style elements, even in a detached copy.
fn with_style(svg: &str, css: &str) -> String {
    let Some(open_end) = svg.find('>') else {
        return svg.to_string();
    };
    // A self-closing root (`<svg .../>`) gets its children and closing tag written out.
    let (head, rest) = if svg[..open_end].ends_with('/') {
        (&svg[..open_end - 1], "</svg>".to_string())
    } else {
        (&svg[..open_end], svg[open_end + 1..].to_string())
    };
    let escaped = css
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!("{head}><style>{escaped}</style>{rest}")
}

/// Props of [`MapExport`].
#[derive(Debug, PartialEq, Properties)]
pub struct MapExportProps {
    /// The map's `svg` element.
    pub svg: NodeRef,
    /// What the map shows, for the file names.
    pub name: AttrValue,
    /// The drawing's width, px.
    pub width: f64,
    /// The drawing's height, px.
    pub height: f64,
}

/// The two download buttons of a map.
#[function_component(MapExport)]
pub fn map_export(props: &MapExportProps) -> Html {
    let stem = file_stem(&props.name);
    let (w, h) = (props.width, props.height);
    let on_svg = {
        let (node, file) = (props.svg.clone(), format!("{stem}.svg"));
        Callback::from(move |_: MouseEvent| {
            if let Some(svg) = node.cast().and_then(|e| standalone_svg(&e, w, h)) {
                save(&svg_data_url(&svg), &file);
            }
        })
    };
    let on_png = {
        let (node, file) = (props.svg.clone(), format!("{stem}.png"));
        Callback::from(move |_: MouseEvent| {
            if let Some(svg) = node.cast().and_then(|e| standalone_svg(&e, w, h)) {
                save_png(&svg, w.round() as u32, h.round() as u32, file.clone());
            }
        })
    };
    html! {
        <div class="chart-export map-export">
            <button type="button" onclick={on_svg} data-testid="map-svg"
                    aria-label={format!("Download {} as SVG", props.name)}>{ "SVG" }</button>
            <button type="button" onclick={on_png} data-testid="map-png"
                    aria-label={format!("Download {} as PNG", props.name)}>{ "PNG" }</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_style_goes_in_as_the_first_child_with_its_text_escaped() {
        assert_eq!(
            with_style(r#"<svg a="1"><g/></svg>"#, "a > b { fill: red; }"),
            r#"<svg a="1"><style>a &gt; b { fill: red; }</style><g/></svg>"#
        );
        assert_eq!(
            with_style(r#"<svg a="1"/>"#, "x"),
            r#"<svg a="1"><style>x</style></svg>"#
        );
    }

    #[test]
    fn the_export_styles_are_the_maps_in_the_light_theme() {
        // Light colours written in, no variables, no dark theme, no focus rings.
        assert!(
            MAP_CSS.contains(".world-map .sea { fill: #eef4fa; }"),
            "{MAP_CSS}"
        );
        assert!(MAP_CSS.contains(".world-map .land { fill: #dfe5dc;"));
        assert!(MAP_CSS.contains(".world-map .wcut {"));
        assert!(MAP_CSS.contains(".region-map .ocean {"));
        for absent in [
            "var(",
            "#17212c",
            ":focus",
            ".focused",
            "@media",
            ".world-map {",
        ] {
            assert!(!MAP_CSS.contains(absent), "{absent} in {MAP_CSS}");
        }
    }
}
