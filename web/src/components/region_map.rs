//! A map of any topology: its regions at their latitude and longitude, client populations with
//! their round trips to the regions they reach, and replication links with the round trip and a
//! description of their lag; the leader and each client's local region are marked. The window is
//! fitted to the points (see [`crate::geo`]).

use std::rc::Rc;

use meridian_core::dist::Dist;
use meridian_core::topology::Topology;
use yew::prelude::*;

use crate::components::map_export::MapExport;
use crate::format::typical_latency;
use crate::geo::Frame;

/// A client population drawn on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientSite {
    /// Short name, drawn next to the marker (e.g. "client").
    pub name: String,
    /// Where it is (e.g. a city).
    pub place: String,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// The regions it reaches directly, with the round trip to each.
    pub links: Vec<ClientLink>,
    /// Index of its local region, if it has one.
    pub home: Option<usize>,
}

/// A client's direct route to a region.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientLink {
    /// Index of the region in the topology.
    pub region: usize,
    /// Round trip from the client to the region.
    pub rtt: Dist,
}

/// A replication link between two regions of the topology.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicationLink {
    /// Index of the region sending writes.
    pub from: usize,
    /// Index of the region applying them.
    pub to: usize,
    /// How far behind the receiving region runs, in words from the model.
    pub lag: String,
}

/// Props of [`RegionMap`].
#[derive(Debug, PartialEq, Properties)]
pub struct RegionMapProps {
    /// The regions and their round trips.
    pub topology: Rc<Topology>,
    /// Client populations.
    pub clients: Rc<Vec<ClientSite>>,
    /// Index of the leader region, if the design has one.
    #[prop_or_default]
    pub leader: Option<usize>,
    /// Links that replicate writes.
    #[prop_or_default]
    pub replication: Rc<Vec<ReplicationLink>>,
}

/// Width of the drawing, in px.
pub const W: f64 = 640.0;
/// Height of the drawing, in px.
pub const H: f64 = 300.0;
/// Space kept free around the points for labels, in px.
const MARGIN: f64 = 60.0;
/// Regions up to which every pair of regions is linked on the map; beyond, only replication
/// links are drawn, to keep the map readable.
const MAX_REGIONS_FOR_ALL_LINKS: usize = 3;
/// Client links shorter than this are drawn straight and labelled with their round trip only.
const SHORT_LINK_PX: f64 = 80.0;

/// Where the map draws each region and client: `regions[i]` for region `i`, `clients[j]` for
/// client `j`.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The projection.
    pub frame: Frame,
    /// Position of each region, in topology order.
    pub regions: Vec<(f64, f64)>,
    /// Position of each client, in the order given.
    pub clients: Vec<(f64, f64)>,
}

/// Places every region and client on the drawing.
pub fn layout(topology: &Topology, clients: &[ClientSite]) -> Layout {
    let points: Vec<(f64, f64)> = topology
        .regions()
        .iter()
        .map(|r| (r.lat, r.lon))
        .chain(clients.iter().map(|c| (c.lat, c.lon)))
        .collect();
    let frame = Frame::fit(&points, W, H, MARGIN);
    let at = |&(lat, lon): &(f64, f64)| frame.project(lat, lon);
    let regions = points[..topology.region_count()].iter().map(at).collect();
    let clients = points[topology.region_count()..].iter().map(at).collect();
    Layout {
        frame,
        regions,
        clients,
    }
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

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Where a label of about `chars` characters goes next to a marker at `x`: centred on it unless
/// that would run off the drawing, then ending or starting at the marker.
fn label_x(x: f64, chars: usize) -> (f64, &'static str) {
    let half = chars as f64 * 3.2;
    if x + half > W - 4.0 {
        (x + 12.0, "region-label east")
    } else if x - half < 4.0 {
        (x - 12.0, "region-label west")
    } else {
        (x, "region-label")
    }
}

/// The map.
#[function_component(RegionMap)]
pub fn region_map(props: &RegionMapProps) -> Html {
    let svg_ref = use_node_ref();
    let topo = &props.topology;
    let regions = topo.regions();
    let at = layout(topo, &props.clients);
    let region_at = |i: usize| at.regions.get(i).copied();

    let graticule: Html = at
        .frame
        .meridians(30.0)
        .into_iter()
        .map(|x| html! { <line class="graticule" x1={x.to_string()} y1="0" x2={x.to_string()} y2={H.to_string()} /> })
        .chain(at.frame.parallels(30.0).into_iter().map(|y| {
            html! { <line class="graticule" x1="0" y1={y.to_string()} x2={W.to_string()} y2={y.to_string()} /> }
        }))
        .collect();

    // Replication links bow south, client links north, so their labels do not meet.
    let replication: Html = props
        .replication
        .iter()
        .filter_map(|l| {
            let (a, b) = (region_at(l.from)?, region_at(l.to)?);
            let (ra, rb) = (regions.get(l.from)?, regions.get(l.to)?);
            let (path, mid) = arc(a, b, -0.25 * distance(a, b));
            let text = format!(
                "{}↔{} {} RTT · {}",
                ra.id,
                rb.id,
                typical_latency(topo.rtt(l.from, l.to)),
                l.lag
            );
            Some(html! {
                <>
                    <path class="link replication" d={path} />
                    <text class="link-label" x={mid.0.to_string()} y={(mid.1 + 22.0).min(H - 6.0).to_string()}>{ text }</text>
                </>
            })
        })
        .collect();

    let other_links: Html = if regions.len() <= MAX_REGIONS_FOR_ALL_LINKS {
        let replicated = |a: usize, b: usize| {
            props
                .replication
                .iter()
                .any(|l| (l.from, l.to) == (a, b) || (l.from, l.to) == (b, a))
        };
        (0..regions.len())
            .flat_map(|a| (a + 1..regions.len()).map(move |b| (a, b)))
            .filter(|&(a, b)| !replicated(a, b))
            .filter_map(|(a, b)| {
                let (pa, pb) = (region_at(a)?, region_at(b)?);
                let mid = ((pa.0 + pb.0) / 2.0, (pa.1 + pb.1) / 2.0);
                Some(html! {
                    <>
                        <line class="link" x1={pa.0.to_string()} y1={pa.1.to_string()} x2={pb.0.to_string()} y2={pb.1.to_string()} />
                        <text class="link-label" x={mid.0.to_string()} y={(mid.1 - 6.0).to_string()}>
                            { format!("{}↔{} {}", regions[a].id, regions[b].id, typical_latency(topo.rtt(a, b))) }
                        </text>
                    </>
                })
            })
            .collect()
    } else {
        Html::default()
    };

    let client_links: Html = props
        .clients
        .iter()
        .zip(&at.clients)
        .flat_map(|(c, &from)| {
            c.links.iter().filter_map(move |l| {
                let to = region_at(l.region)?;
                let region = regions.get(l.region)?;
                let class = classes!("link", "client-link", (c.home == Some(l.region)).then_some("local"));
                let rtt = typical_latency(&l.rtt);
                let len = distance(from, to);
                Some(if len < SHORT_LINK_PX {
                    let mid = ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0);
                    html! {
                        <>
                            <line class={class} x1={from.0.to_string()} y1={from.1.to_string()} x2={to.0.to_string()} y2={to.1.to_string()} />
                            <text class="link-label" x={(mid.0 - 30.0).to_string()} y={(mid.1 + 4.0).to_string()}>{ rtt }</text>
                        </>
                    }
                } else {
                    let (path, mid) = arc(from, to, 0.13 * len);
                    html! {
                        <>
                            <path class={class} d={path} />
                            <text class="link-label" x={mid.0.to_string()} y={(mid.1 - 8.0).max(12.0).to_string()}>
                                { format!("{}→{} {rtt}", c.name, region.id) }
                            </text>
                        </>
                    }
                })
            })
        })
        .collect();

    let centre_y = H / 2.0;
    let region_markers: Html = regions
        .iter()
        .zip(&at.regions)
        .enumerate()
        .map(|(i, (r, &(x, y)))| {
            let leader = props.leader == Some(i);
            let mut roles = Vec::new();
            if leader {
                roles.push("leader".to_string());
            }
            let homed: Vec<&ClientSite> = props.clients.iter().filter(|c| c.home == Some(i)).collect();
            match homed.as_slice() {
                [] => {}
                [_] if props.clients.len() == 1 => roles.push("client's local region".into()),
                many => roles.extend(many.iter().map(|c| format!("local to {}", c.name))),
            }
            let class = if leader { "region leader" } else { "region follower" };
            let role_text = roles.join(" · ");
            // Labels sit on the side away from the middle of the map: below southern regions,
            // above northern ones (two lines when there is a role).
            let label_y = match (y > centre_y, roles.is_empty()) {
                (true, _) => y + 30.0,
                (false, true) => y - 20.0,
                (false, false) => y - 36.0,
            };
            let (lx, label_class) = label_x(x, r.name.chars().count().max(role_text.chars().count()));
            html! {
                <g class={class} data-testid={format!("region-{}", r.id)}>
                    <circle cx={x.to_string()} cy={y.to_string()} r="11" />
                    <text x={x.to_string()} y={(y + 4.0).to_string()} class="region-code">{ r.id.clone() }</text>
                    <text x={lx.to_string()} y={label_y.to_string()} class={label_class}>
                        { r.name.clone() }
                        if !roles.is_empty() {
                            <tspan x={lx.to_string()} dy="14" class="region-role">{ role_text }</tspan>
                        }
                    </text>
                </g>
            }
        })
        .collect();

    let client_markers: Html = props
        .clients
        .iter()
        .zip(&at.clients)
        .map(|(c, &(x, y))| {
            // Up and to the left of the marker, or to the right when that would leave the map.
            let width = c.name.chars().count().max(c.place.chars().count()) as f64 * 6.0;
            let (lx, class) = if x - 12.0 - width < 4.0 {
                (x + 12.0, "client-label west")
            } else {
                (x - 12.0, "client-label")
            };
            html! {
                <g class="client" data-testid="client-marker">
                    <rect x={(x - 6.0).to_string()} y={(y - 6.0).to_string()} width="12" height="12" />
                    <text x={lx.to_string()} y={(y - 18.0).to_string()} class={class}>
                        { c.name.clone() }
                        <tspan x={lx.to_string()} dy="13">{ c.place.clone() }</tspan>
                    </text>
                </g>
            }
        })
        .collect();

    let clients: Vec<String> = props
        .clients
        .iter()
        .map(|c| format!("{} in {}", c.name, c.place))
        .collect();
    let ids: Vec<String> = regions.iter().map(|r| r.id.clone()).collect();
    let mut aria = format!("Map: regions {}", and_list(&ids));
    if !clients.is_empty() {
        aria = format!("Map: {}, regions {}", and_list(&clients), and_list(&ids));
    }
    if let Some(leader) = props.leader.and_then(|i| regions.get(i)) {
        aria.push_str(&format!(", leader {}", leader.id));
    }

    html! {
        <div class="region-map-box">
        <svg class="region-map" viewBox={format!("0 0 {W} {H}")} role="img" data-testid="region-map"
             aria-label={aria} ref={svg_ref.clone()}>
            <rect class="ocean" x="0" y="0" width={W.to_string()} height={H.to_string()} />
            { graticule }
            { replication }
            { other_links }
            { client_links }
            { region_markers }
            { client_markers }
        </svg>
        <MapExport svg={svg_ref} name="region map" width={W} height={H} />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::topology::TopologyBuilder;

    #[test]
    fn every_region_and_client_is_placed_inside_the_drawing() {
        let topo = TopologyBuilder::new()
            .region("SG", "Singapore", 1.35, 103.82)
            .region("US", "Virginia", 38.95, -77.45)
            .link("SG", "US", Dist::constant(180.0))
            .build()
            .unwrap();
        let clients = [ClientSite {
            name: "client".into(),
            place: "Ho Chi Minh City".into(),
            lat: 10.82,
            lon: 106.63,
            links: vec![],
            home: None,
        }];
        let at = layout(&topo, &clients);
        assert_eq!(at.regions.len(), 2);
        assert_eq!(at.clients.len(), 1);
        for (x, y) in at.regions.iter().chain(&at.clients) {
            assert!((MARGIN..=W - MARGIN).contains(x) && (MARGIN..=H - MARGIN).contains(y));
        }
        assert!(
            at.regions[0].0 < at.regions[1].0,
            "Asia left of the Americas"
        );
    }

    #[test]
    fn lists_read_naturally() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&s(&[])), "");
        assert_eq!(and_list(&s(&["SG"])), "SG");
        assert_eq!(and_list(&s(&["SG", "US"])), "SG and US");
        assert_eq!(and_list(&s(&["a", "b", "c"])), "a, b and c");
    }
}
