//! A world map of any scenario: the land (Natural Earth 1:110m) on an Equal Earth projection,
//! each region at its latitude and longitude, client populations that live away from their home
//! region, the links that carry replication labelled with their round trip (p50), the leader or
//! replica set marked, and each region's figures on hover or keyboard focus.
//!
//! Labels are placed greedily ([`crate::world::Placer`]) so that none overlaps another or a
//! marker; a link label that finds no free spot is left out (its round trip stays in the link's
//! tooltip and in the focused region's panel). Meshes with many links label only the links of
//! the focused region.
//!
//! Given a [`Moment`] (the state of a run with failures at one time, as the Drill view's
//! scrubber picks it), the map shows that state instead of the design's: regions down crossed
//! out and greyed, cut links, the region leading at that time, where each client population's
//! reads and writes go, and the same in words under the map.

use std::rc::Rc;

use meridian_core::metrics::Summary;
use meridian_core::sim::{Model, ReplicationModel, SloMetric};
use yew::prelude::*;

use crate::components::map_export::MapExport;
use crate::format::typical_latency;
use crate::run::engine::EngineOutput;
use crate::world::{
    Anchor, Placed, Placer, Rect, WIDTH, around, graticule_path, height, land_path, project,
    text_width,
};

/// Links beyond this many are labelled only for the focused region.
pub const MAX_LABELLED_LINKS: usize = 8;
/// Font size of labels, px.
const FONT: f64 = 11.0;
/// Label box height, px.
const LINE: f64 = 13.0;
/// A client population closer than this to its home region's marker is not drawn apart, px.
const CLIENT_APART_PX: f64 = 16.0;

/// What a region does in the design.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Takes every write.
    Leader,
    /// Applies the leader's writes.
    Follower,
    /// Accepts writes, like every region (multi-leader).
    Writer,
    /// Owns a share of the keys (partitioned).
    Owner,
    /// Holds this many of a quorum's replicas.
    Replicas(usize),
}

impl Role {
    /// In words.
    pub fn describe(&self) -> String {
        match self {
            Role::Leader => "leader (takes every write)".into(),
            Role::Follower => "follower".into(),
            Role::Writer => "accepts writes (multi-leader)".into(),
            Role::Owner => "owner of a share of the keys".into(),
            Role::Replicas(0) => "no replica (reads the nearest)".into(),
            Role::Replicas(1) => "quorum replica".into(),
            Role::Replicas(n) => format!("{n} quorum replicas"),
        }
    }

    /// CSS class of the marker.
    fn class(&self) -> &'static str {
        match self {
            Role::Leader | Role::Writer | Role::Owner => "wregion writer",
            Role::Replicas(n) if *n > 0 => "wregion writer",
            _ => "wregion",
        }
    }
}

/// The role of every region of `model`.
pub fn roles(model: &Model) -> Vec<Role> {
    let n = model.topology.region_count();
    (0..n)
        .map(|i| match &model.replication {
            ReplicationModel::SingleLeader { leader, .. } if *leader == i => Role::Leader,
            ReplicationModel::SingleLeader { .. } => Role::Follower,
            ReplicationModel::MultiLeader => Role::Writer,
            ReplicationModel::Partitioned { owners, .. } if owners.contains(&i) => Role::Owner,
            ReplicationModel::Partitioned { .. } => Role::Follower,
            ReplicationModel::Quorum {
                replica_regions, ..
            } => Role::Replicas(replica_regions.iter().filter(|&&r| r == i).count()),
        })
        .collect()
}

/// The region pairs the map links: the leader to each follower, every pair of writers
/// (multi-leader, partitioned owners) or of regions holding quorum replicas.
pub fn links(model: &Model) -> Vec<(usize, usize)> {
    let n = model.topology.region_count();
    let pairs_of = |set: &[usize]| {
        let mut set = set.to_vec();
        set.sort_unstable();
        set.dedup();
        let mut out = Vec::new();
        for (k, &a) in set.iter().enumerate() {
            for &b in &set[k + 1..] {
                out.push((a, b));
            }
        }
        out
    };
    match &model.replication {
        ReplicationModel::SingleLeader { leader, .. } => (0..n)
            .filter(|&i| i != *leader)
            .map(|i| (*leader, i))
            .collect(),
        ReplicationModel::MultiLeader => pairs_of(&(0..n).collect::<Vec<_>>()),
        ReplicationModel::Partitioned { owners, .. } => pairs_of(owners),
        ReplicationModel::Quorum {
            replica_regions, ..
        } => pairs_of(replica_regions),
    }
}

/// A client population drawn apart from its home region.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientMark {
    /// Index into the model's clients.
    pub client: usize,
    /// Where it is drawn.
    pub at: (f64, f64),
    /// Its label.
    pub label: Option<Placed>,
}

/// Everything the map draws that does not depend on the focus.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLayout {
    /// Drawing height, px.
    pub height: f64,
    /// Each region's position.
    pub regions: Vec<(f64, f64)>,
    /// Each region's label (the placer always finds one for the regions of the presets).
    pub region_labels: Vec<Option<Placed>>,
    /// Each region's role.
    pub roles: Vec<Role>,
    /// Clients drawn apart from their home.
    pub clients: Vec<ClientMark>,
    /// The linked pairs.
    pub links: Vec<(usize, usize)>,
    /// The placer, with every marker and label above taken (link labels go next).
    placer: Placer,
}

/// Radius of a region marker, px.
fn radius(role: &Role) -> f64 {
    if matches!(role, Role::Leader) {
        8.0
    } else {
        6.0
    }
}

/// The id of region `i` (empty past the last region).
fn region_id(model: &Model, i: usize) -> String {
    model
        .topology
        .regions()
        .get(i)
        .map(|r| r.id.clone())
        .unwrap_or_default()
}

/// The label text of region `i`.
pub fn region_label(model: &Model, roles: &[Role], i: usize) -> String {
    let id = region_id(model, i);
    match roles.get(i) {
        Some(Role::Leader) => format!("{id} (leader)"),
        _ => id,
    }
}

/// A quadratic arc from `a` to `b` bowed to the north side by 12% of its length: its path and
/// the point at `t` along it.
fn arc(a: (f64, f64), b: (f64, f64)) -> (String, impl Fn(f64) -> (f64, f64)) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = dx.hypot(dy).max(1e-9);
    // The normal pointing up the drawing (towards smaller y).
    let (mut nx, mut ny) = (-dy / len, dx / len);
    if ny > 0.0 {
        (nx, ny) = (-nx, -ny);
    }
    let bow = 0.12 * len;
    let c = ((a.0 + b.0) / 2.0 + nx * bow, (a.1 + b.1) / 2.0 + ny * bow);
    let path = format!(
        "M{:.1},{:.1} Q{:.1},{:.1} {:.1},{:.1}",
        a.0, a.1, c.0, c.1, b.0, b.1
    );
    let at = move |t: f64| {
        let u = 1.0 - t;
        (
            u * u * a.0 + 2.0 * u * t * c.0 + t * t * b.0,
            u * u * a.1 + 2.0 * u * t * c.1 + t * t * b.1,
        )
    };
    (path, at)
}

impl MapLayout {
    /// Places the regions, their labels and the clients of `model`.
    pub fn of(model: &Model) -> MapLayout {
        let roles = roles(model);
        Self::with_labels(model, |i| region_label(model, &roles, i))
    }

    /// Like [`MapLayout::of`], with room for each region's label at any [`Moment`] ("SG (leader)",
    /// "SG (down)").
    pub fn for_moments(model: &Model) -> MapLayout {
        Self::with_labels(model, |i| format!("{} (leader)", region_id(model, i)))
    }

    /// Places the regions with labels as wide as `label` gives, and the clients.
    fn with_labels(model: &Model, label: impl Fn(usize) -> String) -> MapLayout {
        let h = height();
        let topo = &model.topology;
        let roles = roles(model);
        let regions: Vec<(f64, f64)> = topo
            .regions()
            .iter()
            .map(|r| project(r.lat, r.lon))
            .collect();
        let marker_box = |(x, y): (f64, f64), r: f64| Rect {
            x: x - r - 1.0,
            y: y - r - 1.0,
            w: 2.0 * r + 2.0,
            h: 2.0 * r + 2.0,
        };
        let clients_apart: Vec<(usize, (f64, f64))> = model
            .clients
            .iter()
            .enumerate()
            .filter(|(_, c)| c.lat.is_finite() && c.lon.is_finite() && (c.lat, c.lon) != (0.0, 0.0))
            .filter_map(|(i, c)| {
                let at = project(c.lat, c.lon);
                let home = regions.get(c.home)?;
                ((at.0 - home.0).hypot(at.1 - home.1) > CLIENT_APART_PX).then_some((i, at))
            })
            .collect();
        let mut obstacles: Vec<Rect> = regions
            .iter()
            .zip(&roles)
            .map(|(&p, role)| marker_box(p, radius(role)))
            .collect();
        obstacles.extend(clients_apart.iter().map(|&(_, at)| marker_box(at, 4.0)));
        let mut placer = Placer::new(WIDTH, h, obstacles);
        let region_labels = (0..regions.len())
            .map(|i| {
                let text = label(i);
                placer.place(
                    regions[i],
                    text_width(&text, FONT + 1.0),
                    LINE,
                    &around(radius(&roles[i])),
                )
            })
            .collect();
        let clients = clients_apart
            .into_iter()
            .map(|(i, at)| {
                let text = &model.clients[i].name;
                ClientMark {
                    client: i,
                    at,
                    label: placer.place(at, text_width(text, FONT), LINE, &around(4.0)),
                }
            })
            .collect();
        MapLayout {
            height: h,
            regions,
            region_labels,
            roles,
            clients,
            links: links(model),
            placer,
        }
    }

    /// Labels for the links to draw labelled: all of them when there are few, otherwise those
    /// of `focus`. Each is placed along its arc where it is clear, or left out.
    pub fn link_labels(&self, model: &Model, focus: Option<usize>) -> Vec<(usize, Option<Placed>)> {
        let mut placer = self.placer.clone();
        let few = self.links.len() <= MAX_LABELLED_LINKS;
        self.links
            .iter()
            .enumerate()
            .filter(|(_, (a, b))| few || focus.is_some_and(|f| f == *a || f == *b))
            .map(|(k, &(a, b))| {
                let text = typical_latency(model.topology.rtt(a, b));
                let w = text_width(&text, FONT);
                let (_, at) = arc(self.regions[a], self.regions[b]);
                let spot = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78].iter().find_map(|&t| {
                    placer.place(
                        at(t),
                        w,
                        LINE,
                        &[(0.0, -3.0, Anchor::Middle), (0.0, 12.0, Anchor::Middle)],
                    )
                });
                (k, spot)
            })
            .collect()
    }
}

/// A region's figure for the SLO's percentile, when its summary has it.
fn at_percentile(s: &Summary, p: f64) -> Option<f64> {
    [
        (50.0, s.p50),
        (90.0, s.p90),
        (95.0, s.p95),
        (99.0, s.p99),
        (99.9, s.p999),
    ]
    .iter()
    .find(|(q, _)| (q - p).abs() < 1e-9)
    .map(|&(_, v)| v)
}

/// The SLO verdicts for region `i`: objectives limited to it (from the report), else the
/// scenario's whole-population objectives checked against its clients' own figures.
pub fn region_verdicts(
    model: &Model,
    output: &EngineOutput,
    i: usize,
) -> Vec<(String, Option<bool>, String)> {
    let report = &output.report;
    let own: Vec<_> = model
        .slos
        .iter()
        .zip(&report.slos)
        .filter(|(m, _)| m.region == Some(i))
        .map(|(_, v)| {
            let pass = (v.samples > 0).then_some(v.pass);
            (v.label.clone(), pass, crate::format::millis(v.measured_ms))
        })
        .collect();
    if !own.is_empty() {
        return own;
    }
    let Some(rr) = report.regions.get(i) else {
        return Vec::new();
    };
    model
        .slos
        .iter()
        .filter(|m| m.region.is_none())
        .filter_map(|m| {
            let s = match m.metric {
                SloMetric::ReadLatency => &rr.read_latency,
                SloMetric::WriteLatency => &rr.write_latency,
                SloMetric::Staleness => &rr.staleness,
                // Recovery objectives are per run, not per region.
                SloMetric::Rto | SloMetric::Rpo => return None,
            };
            let v = at_percentile(s, m.percentile)?;
            let pass = (s.count > 0).then_some(v < m.below_ms);
            Some((
                format!("{} (its clients)", m.label),
                pass,
                crate::format::millis(v),
            ))
        })
        .collect()
}

/// Where one client population's requests go at a [`Moment`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MomentRoute {
    /// Index into the model's clients.
    pub client: usize,
    /// The region its reads go to (`None`: no healthy region).
    pub reads: Option<usize>,
    /// The region its writes go to (`None`: refused).
    pub writes: Option<usize>,
}

/// The state of the regions and clients at one time of a run with failures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Moment {
    /// The time, s.
    pub at_s: f64,
    /// Regions down.
    pub down: Vec<usize>,
    /// Region pairs that cannot reach each other (partitions).
    pub cut: Vec<(usize, usize)>,
    /// Regions accepting writes as leader (single leader; two or more is split brain).
    pub leaders: Vec<usize>,
    /// Labels of the faults active then.
    pub faults: Vec<String>,
    /// Where each client population's requests go.
    pub routes: Vec<MomentRoute>,
}

impl Moment {
    /// The moment in words, e.g. "At 30 s: SG down; leader US; VN reads at US, writes to US".
    pub fn describe(&self, model: &Model) -> String {
        let id = |r: usize| {
            model
                .topology
                .regions()
                .get(r)
                .map_or_else(|| "?".to_string(), |g| g.id.clone())
        };
        let ids = |rs: &[usize]| rs.iter().map(|&r| id(r)).collect::<Vec<_>>().join(", ");
        let mut parts = Vec::new();
        if self.down.is_empty() && self.cut.is_empty() {
            parts.push("every region up".to_string());
        }
        if !self.down.is_empty() {
            parts.push(format!("{} down", ids(&self.down)));
        }
        for &(a, b) in &self.cut {
            parts.push(format!("{} and {} cut off from each other", id(a), id(b)));
        }
        if matches!(model.replication, ReplicationModel::SingleLeader { .. }) {
            parts.push(match self.leaders.len() {
                0 => "no leader accepts writes".to_string(),
                1 => format!("leader {}", ids(&self.leaders)),
                _ => format!("split brain: {} accept writes", ids(&self.leaders)),
            });
        }
        for r in &self.routes {
            let Some(c) = model.clients.get(r.client) else {
                continue;
            };
            parts.push(format!(
                "{} reads {}, writes {}",
                c.name,
                r.reads
                    .map_or_else(|| "find no region".to_string(), |g| format!("at {}", id(g))),
                r.writes
                    .map_or_else(|| "refused".to_string(), |g| format!("to {}", id(g)))
            ));
        }
        let time = if (self.at_s - self.at_s.round()).abs() < 1e-9 {
            format!("{:.0}", self.at_s)
        } else {
            format!("{:.1}", self.at_s)
        };
        format!("At {time} s: {}", parts.join("; "))
    }
}

/// Props of [`WorldMap`].
#[derive(Debug, PartialEq, Properties)]
pub struct WorldMapProps {
    /// The scenario's model.
    pub model: Rc<Model>,
    /// Its run, when finished (for the figures on focus).
    #[prop_or_default]
    pub output: Option<Rc<EngineOutput>>,
    /// The state at one time of the run, drawn instead of the design's roles.
    #[prop_or_default]
    pub moment: Option<Moment>,
    /// Called with a region's index when it is clicked, or activated with Enter or Space.
    #[prop_or_default]
    pub on_region: Option<Callback<usize>>,
    /// What activating a region does, added to each region's accessible name (with
    /// [`Self::on_region`]), e.g. "activate to add it to the drill".
    #[prop_or_default]
    pub region_action: AttrValue,
}

/// The panel of figures of the focused region.
fn focus_panel(model: &Model, output: Option<&EngineOutput>, roles: &[Role], i: usize) -> Html {
    let Some(region) = model.topology.regions().get(i) else {
        return Html::default();
    };
    let total_rate: f64 = model.clients.iter().map(|c| c.rate_per_s).sum();
    let homed: Vec<String> = model
        .clients
        .iter()
        .filter(|c| c.home == i)
        .map(|c| c.name.clone())
        .collect();
    let share: f64 = model
        .clients
        .iter()
        .filter(|c| c.home == i)
        .map(|c| c.rate_per_s)
        .sum::<f64>()
        / total_rate.max(f64::MIN_POSITIVE);
    let clients = if homed.is_empty() {
        "no clients homed here".to_string()
    } else {
        format!(
            "clients homed here: {} ({:.0}% of requests)",
            homed.join(", "),
            share * 100.0
        )
    };
    let figures = match output.and_then(|o| o.report.regions.get(i).map(|r| (o, r))) {
        Some((o, r)) => {
            let verdicts = region_verdicts(model, o, i);
            html! {
                <>
                    <p data-testid="map-focus-figures">
                        { format!("read p95 {} · staleness p95 {} · write p95 {}",
                            crate::format::millis(r.read_latency.p95),
                            crate::format::millis(r.staleness.p95),
                            crate::format::millis(r.write_latency.p95)) }
                    </p>
                    if verdicts.is_empty() {
                        <p class="muted">{ "No SLO applies to this region's clients." }</p>
                    } else {
                        <ul class="verdicts">
                            { for verdicts.into_iter().map(|(label, pass, v)| {
                                let (class, word) = match pass {
                                    Some(true) => ("pass", "pass"),
                                    Some(false) => ("fail", "fail"),
                                    None => ("none", "not evaluated: no samples"),
                                };
                                html! { <li class={class}>{ format!("{label}: {v} · {word}") }</li> }
                            }) }
                        </ul>
                    }
                </>
            }
        }
        None => html! { <p class="muted">{ "Figures appear when the run finishes." }</p> },
    };
    let links: Vec<String> = (0..model.topology.region_count())
        .filter(|&j| j != i)
        .map(|j| {
            format!(
                "{} {}",
                model.topology.regions()[j].id,
                typical_latency(model.topology.rtt(i, j))
            )
        })
        .collect();
    html! {
        <>
            <h3>{ format!("{} · {}", region.id, region.name) }</h3>
            <p>{ format!("{} · {clients}", roles.get(i).map(Role::describe).unwrap_or_default()) }</p>
            { figures }
            <p class="muted">{ format!("Round trips (p50): {}", links.join(" · ")) }</p>
        </>
    }
}

/// Region `i`'s label at `moment`: its id, and "(leader)" or "(down)".
fn moment_label(model: &Model, moment: &Moment, i: usize) -> String {
    let id = model
        .topology
        .regions()
        .get(i)
        .map(|r| r.id.clone())
        .unwrap_or_default();
    if moment.down.contains(&i) {
        format!("{id} (down)")
    } else if moment.leaders.contains(&i) {
        format!("{id} (leader)")
    } else {
        id
    }
}

/// What a [`Moment`] adds to the map: cut links, and a line from each client population to the
/// region its reads (solid) or writes (dashed) go to when that is not its home.
fn moment_marks(layout: &MapLayout, model: &Model, moment: &Moment) -> Html {
    let id = |r: usize| {
        model
            .topology
            .regions()
            .get(r)
            .map_or_else(String::new, |g| g.id.clone())
    };
    let cuts: Html = moment
        .cut
        .iter()
        .filter_map(|&(a, b)| {
            let (pa, pb) = (*layout.regions.get(a)?, *layout.regions.get(b)?);
            let (path, _) = arc(pa, pb);
            Some(html! {
                <path class="wcut" d={path} data-testid="map-cut">
                    <title>{ format!("{} and {} cannot reach each other", id(a), id(b)) }</title>
                </path>
            })
        })
        .collect();
    let routes: Html = moment
        .routes
        .iter()
        .filter_map(|r| {
            let client = model.clients.get(r.client)?;
            let from = layout
                .clients
                .iter()
                .find(|c| c.client == r.client)
                .map(|c| c.at)
                .or_else(|| layout.regions.get(client.home).copied())?;
            let line = |to: Option<usize>, kind: &'static str| -> Option<Html> {
                let to = to.filter(|&t| t != client.home)?;
                let (x, y) = *layout.regions.get(to)?;
                Some(html! {
                    <line class={classes!("wroute", kind)} data-testid={format!("map-route-{kind}")}
                          x1={format!("{:.1}", from.0)} y1={format!("{:.1}", from.1)}
                          x2={format!("{x:.1}")} y2={format!("{y:.1}")}>
                        <title>{ format!("{}'s {kind} go to {}", client.name, id(to)) }</title>
                    </line>
                })
            };
            Some(html! {
                <>
                    { line(r.reads, "reads").unwrap_or_default() }
                    { line(r.writes, "writes").unwrap_or_default() }
                </>
            })
        })
        .collect();
    html! { <g class="moment">{ cuts }{ routes }</g> }
}

/// The map.
#[function_component(WorldMap)]
pub fn world_map(props: &WorldMapProps) -> Html {
    let focus = use_state(|| None::<usize>);
    let svg_ref = use_node_ref();
    let model = &props.model;
    let moment = props.moment.as_ref();
    let layout = use_memo((model.clone(), moment.is_some()), |(m, timed)| {
        if *timed {
            MapLayout::for_moments(m)
        } else {
            MapLayout::of(m)
        }
    });
    let regions = model.topology.regions();
    let focus_now = focus.filter(|&i| i < regions.len());
    let link_labels = layout.link_labels(model, focus_now);
    let h = layout.height;

    let link_paths: Html = layout
        .links
        .iter()
        .map(|&(a, b)| {
            let (path, _) = arc(layout.regions[a], layout.regions[b]);
            let active = focus_now.is_some_and(|f| f == a || f == b);
            let title = format!(
                "{} ↔ {}: round trip p50 {}",
                regions[a].id,
                regions[b].id,
                typical_latency(model.topology.rtt(a, b))
            );
            html! {
                <path class={classes!("wlink", active.then_some("active"))} d={path}>
                    <title>{ title }</title>
                </path>
            }
        })
        .collect();
    let link_texts: Html = link_labels
        .iter()
        .filter_map(|&(k, spot)| {
            let p = spot?;
            let (a, b) = layout.links[k];
            Some(html! {
                <text class="wlink-label" x={format!("{:.1}", p.x)} y={format!("{:.1}", p.y)}
                      text-anchor={p.anchor.svg()} data-testid="link-label"
                      font-size={FONT.to_string()} font-family="sans-serif">
                    { typical_latency(model.topology.rtt(a, b)) }
                </text>
            })
        })
        .collect();
    let clients: Html = layout
        .clients
        .iter()
        .filter_map(|c| {
            let client = model.clients.get(c.client)?;
            let home = *layout.regions.get(client.home)?;
            let (x, y) = c.at;
            Some(html! {
                <g class="wclient" data-testid="client-population">
                    <line x1={format!("{x:.1}")} y1={format!("{y:.1}")} x2={format!("{:.1}", home.0)} y2={format!("{:.1}", home.1)}>
                        <title>{ format!("{} → {}: access round trip {}", client.name,
                            regions.get(client.home).map(|r| r.id.clone()).unwrap_or_default(),
                            typical_latency(&client.access_rtt)) }</title>
                    </line>
                    <rect x={format!("{:.1}", x - 4.0)} y={format!("{:.1}", y - 4.0)} width="8" height="8" />
                    if let Some(p) = c.label {
                        <text class="wclient-label" x={format!("{:.1}", p.x)} y={format!("{:.1}", p.y)}
                              text-anchor={p.anchor.svg()} font-size={FONT.to_string()} font-family="sans-serif">{ client.name.clone() }</text>
                    }
                </g>
            })
        })
        .collect();
    let markers: Html = regions
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let (x, y) = layout.regions[i];
            let role = &layout.roles[i];
            let down = moment.is_some_and(|m| m.down.contains(&i));
            let (class, r_px, state) = match moment {
                Some(_) if down => ("wregion down", 6.0, ", down"),
                Some(m) if m.leaders.contains(&i) => ("wregion writer", 8.0, ", leading"),
                Some(_) => ("wregion", 6.0, ""),
                None => (role.class(), radius(role), ""),
            };
            let set = focus.clone();
            let unset = focus.clone();
            let enter = focus.clone();
            let leave = focus.clone();
            let on_click = props
                .on_region
                .clone()
                .map(|cb| cb.reform(move |_: MouseEvent| i));
            let on_key = props.on_region.clone().map(|cb| {
                Callback::from(move |e: KeyboardEvent| {
                    if e.key() == "Enter" || e.key() == " " {
                        e.prevent_default();
                        cb.emit(i);
                    }
                })
            });
            let action = if props.on_region.is_some() && !props.region_action.is_empty() {
                format!("; {}", props.region_action)
            } else {
                String::new()
            };
            html! {
                <g class={classes!(class, (focus_now == Some(i)).then_some("focused"))}
                   tabindex="0" role="button" data-testid={format!("wregion-{}", r.id)}
                   aria-label={format!("{} ({}), {}{state}{action}", r.id, r.name, role.describe())}
                   onclick={on_click} onkeydown={on_key}
                   onfocus={Callback::from(move |_: FocusEvent| set.set(Some(i)))}
                   onblur={Callback::from(move |_: FocusEvent| unset.set(None))}
                   onmouseenter={Callback::from(move |_: MouseEvent| enter.set(Some(i)))}
                   onmouseleave={Callback::from(move |_: MouseEvent| leave.set(None))}>
                    <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r={r_px.to_string()} />
                    if down {
                        <path class="cross" d={format!("M{:.1},{:.1} L{:.1},{:.1} M{:.1},{:.1} L{:.1},{:.1}",
                            x - 9.0, y - 9.0, x + 9.0, y + 9.0, x - 9.0, y + 9.0, x + 9.0, y - 9.0)} />
                    }
                    <circle class="hit" cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="14" />
                </g>
            }
        })
        .collect();
    let region_texts: Html = layout
        .region_labels
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let p = (*p)?;
            Some(html! {
                <text class={classes!("wregion-label", (focus_now == Some(i)).then_some("focused"))}
                      x={format!("{:.1}", p.x)} y={format!("{:.1}", p.y)} text-anchor={p.anchor.svg()}
                      data-testid="region-label" font-size={(FONT + 1.0).to_string()} font-weight="600"
                      font-family="sans-serif">
                    { match moment {
                        Some(m) => moment_label(model, m, i),
                        None => region_label(model, &layout.roles, i),
                    } }
                </text>
            })
        })
        .collect();

    let writers: Vec<&str> = regions
        .iter()
        .zip(&layout.roles)
        .filter(|(_, r)| !matches!(r, Role::Follower | Role::Replicas(0)))
        .map(|(g, _)| g.id.as_str())
        .collect();
    let aria = format!(
        "World map of {} regions ({}); {}: {}",
        regions.len(),
        regions
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        match model.replication {
            ReplicationModel::SingleLeader { .. } => "leader",
            ReplicationModel::MultiLeader => "every region accepts writes",
            ReplicationModel::Partitioned { .. } => "owners",
            ReplicationModel::Quorum { .. } => "quorum replicas in",
        },
        writers.join(", ")
    );
    let aria = match moment {
        Some(m) => format!("{aria}. {}", m.describe(model)),
        None => aria,
    };
    let moment_marks = moment.map_or_else(Html::default, |m| moment_marks(&layout, model, m));
    let hint = if layout.links.len() > MAX_LABELLED_LINKS {
        "Hover or focus (Tab) a region for its figures and the round trips of its links."
    } else {
        "Hover or focus (Tab) a region for its figures. Links are labelled with their round trip (p50)."
    };
    html! {
        <figure class="world" data-testid="world-map-figure">
            <svg class="world-map" viewBox={format!("0 0 {WIDTH} {h:.0}")} role="img" aria-label={aria}
                 data-testid="world-map" ref={svg_ref.clone()}>
                <rect class="sea" x="0" y="0" width={WIDTH.to_string()} height={format!("{h:.0}")} />
                <path class="graticule" d={graticule_path()} />
                <path class="land" d={land_path()} />
                { link_paths }
                { moment_marks }
                { clients }
                { markers }
                { region_texts }
                { link_texts }
            </svg>
            <figcaption>
                if let Some(m) = moment {
                    <p class="map-moment" data-testid="map-moment" aria-live="polite">{ m.describe(model) }</p>
                }
                <div class="map-focus" data-testid="map-focus" aria-live="polite">
                    {
                        match focus_now {
                            Some(i) => focus_panel(model, props.output.as_deref(), &layout.roles, i),
                            None => html! { <p class="muted">{ hint }</p> },
                        }
                    }
                </div>
                <p class="legend muted">
                    if moment.is_some() {
                        { "At the scrubbed time: orange, the region leading; grey and crossed out, regions \
                           down; red dashed arcs, cut links; lines from clients, where their reads (solid) \
                           and writes (dashed) go when not at home. " }
                    } else {
                        { "Filled orange: regions that accept writes (leader, writers, owners or quorum \
                           replicas); blue: followers. " }
                    }
                    { "Squares: client populations away from their home region. \
                       Land: Natural Earth 1:110m (public domain), Equal Earth projection." }
                </p>
                <MapExport svg={svg_ref} name={AttrValue::from(format!("world map {}", model.name))}
                           width={WIDTH} height={h} />
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::scenario::{PRESETS, Scenario};

    fn model(name: &str) -> Model {
        Scenario::preset(name).unwrap().validate().unwrap()
    }

    #[test]
    fn every_preset_is_laid_out_without_overlaps() {
        for p in PRESETS {
            let m = model(p.name);
            let layout = MapLayout::of(&m);
            assert_eq!(layout.regions.len(), m.topology.region_count());
            let mut boxes: Vec<Rect> = layout
                .region_labels
                .iter()
                .map(|l| {
                    l.unwrap_or_else(|| panic!("{}: a region label found no spot", p.name))
                        .rect
                })
                .collect();
            boxes.extend(
                layout
                    .clients
                    .iter()
                    .filter_map(|c| c.label.map(|l| l.rect)),
            );
            let focus_sets = [None, Some(0), Some(m.topology.region_count() - 1)];
            for focus in focus_sets {
                let mut all = boxes.clone();
                all.extend(
                    layout
                        .link_labels(&m, focus)
                        .into_iter()
                        .filter_map(|(_, p)| p.map(|p| p.rect)),
                );
                for (i, a) in all.iter().enumerate() {
                    assert!(a.inside(WIDTH, layout.height), "{}: {a:?}", p.name);
                    for b in &all[i + 1..] {
                        assert!(!a.overlaps(b), "{}: {a:?} overlaps {b:?}", p.name);
                    }
                    for &(x, y) in &layout.regions {
                        assert!(
                            !a.overlaps(&Rect {
                                x: x - 5.0,
                                y: y - 5.0,
                                w: 10.0,
                                h: 10.0
                            }),
                            "{}: a label covers a marker",
                            p.name
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn roles_and_links_follow_the_replication() {
        let single = model("aws8-single-leader");
        let r = roles(&single);
        assert_eq!(r.iter().filter(|x| **x == Role::Leader).count(), 1);
        assert_eq!(links(&single).len(), 7);
        let multi = model("aws8-multi-leader");
        assert_eq!(links(&multi).len(), 28);
        assert!(roles(&multi).iter().all(|x| *x == Role::Writer));
        let quorum = model("quorum-r2w2");
        assert_eq!(links(&quorum).len(), 3);
        // Every link of a small design is labelled; a mesh only for the focused region.
        let l = MapLayout::of(&single);
        assert!(
            l.link_labels(&single, None)
                .iter()
                .filter(|(_, p)| p.is_some())
                .count()
                >= 6
        );
        let mesh = MapLayout::of(&multi);
        assert!(mesh.link_labels(&multi, None).is_empty());
        assert_eq!(mesh.link_labels(&multi, Some(2)).len(), 7);
    }
}
