//! A map of the two regions and the client, with each link's round-trip time and the replication
//! link's lag, placed by latitude and longitude on a Pacific-centred projection.

use meridian_core::kata86::{CLIENT_LAT_LON, CLIENT_PLACE, Kata86Config, Kata86Params, Region};
use yew::prelude::*;

/// Props of [`RegionMap`].
#[derive(Debug, PartialEq, Properties)]
pub struct RegionMapProps {
    /// The parameters of the results on screen.
    pub params: Kata86Params,
}

const W: f64 = 640.0;
const H: f64 = 300.0;
/// Western edge of the window, in degrees east.
const WEST_LON: f64 = 40.0;
/// Width of the window in degrees of longitude (to 60° W).
const SPAN_LON: f64 = 260.0;
const TOP_LAT: f64 = 62.0;
const BOTTOM_LAT: f64 = -16.0;

/// Projects latitude/longitude to SVG coordinates (equirectangular).
fn project((lat, lon): (f64, f64)) -> (f64, f64) {
    let x = (lon - WEST_LON).rem_euclid(360.0) / SPAN_LON * W;
    let y = (TOP_LAT - lat) / (TOP_LAT - BOTTOM_LAT) * H;
    (x, y)
}

/// A quadratic curve from `a` to `b`, bowed upwards by `bow` px, and its midpoint.
fn arc(a: (f64, f64), b: (f64, f64), bow: f64) -> (String, (f64, f64)) {
    let ctrl = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0 - bow);
    let mid = (
        0.25 * a.0 + 0.5 * ctrl.0 + 0.25 * b.0,
        0.25 * a.1 + 0.5 * ctrl.1 + 0.25 * b.1,
    );
    (
        format!(
            "M{:.1},{:.1} Q{:.1},{:.1} {:.1},{:.1}",
            a.0, a.1, ctrl.0, ctrl.1, b.0, b.1
        ),
        mid,
    )
}

/// The region map.
#[function_component(RegionMap)]
pub fn region_map(props: &RegionMapProps) -> Html {
    let p = &props.params;
    let cfg = &p.config;
    let client = project(CLIENT_LAT_LON);
    let sg = project(Region::Sg.lat_lon());
    let us = project(Region::Us.lat_lon());
    let at = |r: Region| if r == Region::Sg { sg } else { us };

    // Meridians every 30°, starting at 60° E.
    let graticule: Html = (0..9)
        .map(|i| {
            let x = (i as f64 * 30.0 + 20.0) / SPAN_LON * W;
            html! { <line class="graticule" x1={x.to_string()} y1="0" x2={x.to_string()} y2={H.to_string()} /> }
        })
        .chain([0.0f64, 30.0, 60.0].into_iter().map(|lat| {
            let (_, y) = project((lat, 0.0));
            html! { <line class="graticule" x1="0" y1={y.to_string()} x2={W.to_string()} y2={y.to_string()} /> }
        }))
        .collect();

    // The client's link bows north and the replication link south, so their labels never meet.
    let (client_us_path, client_us_mid) = arc(client, us, 60.0);
    let (repl_path, repl_mid) = arc(sg, us, -110.0);
    let lag_text = format!(
        "SG↔US {} ms RTT · lag {}–{} ms, {:.0}% spikes +{}–{} s",
        cfg.rtt_between_regions_ms,
        cfg.replication_base_ms,
        cfg.replication_base_ms + cfg.replication_jitter_ms,
        Kata86Config::SPIKE_PROBABILITY * 100.0,
        Kata86Config::SPIKE_MIN_MS / 1000,
        (Kata86Config::SPIKE_MIN_MS + Kata86Config::SPIKE_SPREAD_MS) / 1000,
    );

    let region_marker = |r: Region| -> Html {
        let (x, y) = at(r);
        let mut roles = Vec::new();
        if r == p.leader {
            roles.push("leader");
        }
        if r == p.client {
            roles.push("client's local region");
        }
        let class = if r == p.leader {
            "region leader"
        } else {
            "region follower"
        };
        // SG's label sits below its marker, US's above (two lines when it has a role).
        let label_y = match (r, roles.is_empty()) {
            (Region::Sg, _) => y + 30.0,
            (Region::Us, true) => y - 20.0,
            (Region::Us, false) => y - 36.0,
        };
        // US sits near the right edge, so its label ends at the marker instead of centring on it.
        let (label_x, label_class) = match r {
            Region::Sg => (x, "region-label"),
            Region::Us => (x + 12.0, "region-label east"),
        };
        html! {
            <g class={class} data-testid={format!("region-{}", r.code())}>
                <circle cx={x.to_string()} cy={y.to_string()} r="11" />
                <text x={x.to_string()} y={(y + 4.0).to_string()} class="region-code">{ r.code() }</text>
                <text x={label_x.to_string()} y={label_y.to_string()} class={label_class}>
                    { r.place() }
                    if !roles.is_empty() {
                        <tspan x={label_x.to_string()} dy="14" class="region-role">{ roles.join(" · ") }</tspan>
                    }
                </text>
            </g>
        }
    };

    html! {
        <svg class="region-map" viewBox={format!("0 0 {W} {H}")} role="img" data-testid="region-map"
             aria-label={format!("Map: client in {CLIENT_PLACE}, regions SG and US, leader {}", p.leader)}>
            <rect class="ocean" x="0" y="0" width={W.to_string()} height={H.to_string()} />
            { graticule }
            <path class="link replication" d={repl_path} />
            <text class="link-label" x={(repl_mid.0 + 40.0).to_string()} y={(sg.1.max(repl_mid.1) + 24.0).to_string()}>{ lag_text }</text>
            <line class={classes!("link", "client-link", (p.client == Region::Sg).then_some("local"))}
                  x1={client.0.to_string()} y1={client.1.to_string()} x2={sg.0.to_string()} y2={sg.1.to_string()} />
            <text class="link-label" x={(client.0 - 48.0).to_string()} y={((client.1 + sg.1) / 2.0 + 4.0).to_string()}>
                { format!("{} ms", cfg.rtt_client_to(Region::Sg)) }
            </text>
            <path class={classes!("link", "client-link", (p.client == Region::Us).then_some("local"))} d={client_us_path} />
            <text class="link-label" x={client_us_mid.0.to_string()} y={(client_us_mid.1 - 8.0).to_string()}>
                { format!("client→US {} ms", cfg.rtt_client_to(Region::Us)) }
            </text>
            { region_marker(Region::Sg) }
            { region_marker(Region::Us) }
            <g class="client" data-testid="client-marker">
                <rect x={(client.0 - 6.0).to_string()} y={(client.1 - 6.0).to_string()} width="12" height="12" />
                <text x={(client.0 - 12.0).to_string()} y={(client.1 - 18.0).to_string()} class="client-label">
                    { "client" }
                    <tspan x={(client.0 - 12.0).to_string()} dy="13">{ CLIENT_PLACE }</tspan>
                </text>
            </g>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_puts_asia_left_of_the_americas() {
        let sg = project(Region::Sg.lat_lon());
        let us = project(Region::Us.lat_lon());
        assert!(sg.0 < us.0);
        assert!(us.1 < sg.1, "Virginia is north of Singapore");
        for (x, y) in [sg, us, project(CLIENT_LAT_LON)] {
            assert!((0.0..=W).contains(&x) && (0.0..=H).contains(&y));
        }
    }
}
