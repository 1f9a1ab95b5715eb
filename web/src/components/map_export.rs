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

/// The SVG namespace.
const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// The drawing `svg` as a standalone SVG document `width` x `height` px with [`MAP_CSS`]
/// inside, or `None` when the browser cannot copy it.
pub fn standalone_svg(svg: &web_sys::Element, width: f64, height: f64) -> Option<String> {
    let document = web_sys::window()?.document()?;
    let copy: web_sys::Element = svg.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    copy.set_attribute("width", &format!("{width:.0}")).ok()?;
    copy.set_attribute("height", &format!("{height:.0}")).ok()?;
    let style = document.create_element_ns(Some(SVG_NS), "style").ok()?;
    style.set_text_content(Some(MAP_CSS));
    copy.insert_before(&style, copy.first_child().as_ref())
        .ok()?;
    web_sys::XmlSerializer::new()
        .ok()?
        .serialize_to_string(&copy)
        .ok()
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
