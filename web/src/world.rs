//! The world map's geometry: the Equal Earth projection (equal-area, Šavrič, Patterson and
//! Jenny 2018), the land outline it is drawn over (Natural Earth 1:110m, public domain, converted
//! once by `scripts/world-outline.mjs` into `www/world-land.txt`), and a greedy placement of
//! labels that keeps them off each other and off the markers.

use std::sync::OnceLock;

/// Width of the map drawing, px.
pub const WIDTH: f64 = 960.0;
/// Northernmost latitude drawn.
pub const NORTH: f64 = 84.0;
/// Southernmost latitude drawn (no cloud regions further south; the outline stops at 60°S).
pub const SOUTH: f64 = -58.0;
/// Space around the world, px.
const PAD: f64 = 6.0;

const A1: f64 = 1.340264;
const A2: f64 = -0.081106;
const A3: f64 = 0.000893;
const A4: f64 = 0.003796;

/// Equal Earth in unit coordinates: x east, y north; `x` within ±2.71, `y` within ±1.32.
pub fn equal_earth(lat: f64, lon: f64) -> (f64, f64) {
    let lat = lat.clamp(-90.0, 90.0).to_radians();
    // Longitudes beyond ±180 wrap around; ±180 itself stays on its own edge (the outline's
    // pieces cut at the antimeridian end exactly there).
    let lon = if (-180.0..=180.0).contains(&lon) {
        lon
    } else {
        (lon + 180.0).rem_euclid(360.0) - 180.0
    }
    .to_radians();
    let theta = ((3f64.sqrt() / 2.0) * lat.sin()).asin();
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    let x = 2.0 * 3f64.sqrt() * lon * theta.cos()
        / (3.0 * (9.0 * A4 * t6 * t2 + 7.0 * A3 * t6 + 3.0 * A2 * t2 + A1));
    let y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
    (x, y)
}

/// Pixels per unit of [`equal_earth`].
fn scale() -> f64 {
    let (x_max, _) = equal_earth(0.0, 179.999_999);
    (WIDTH - 2.0 * PAD) / (2.0 * x_max)
}

/// Height of the map drawing, px.
pub fn height() -> f64 {
    let (_, north) = equal_earth(NORTH, 0.0);
    let (_, south) = equal_earth(SOUTH, 0.0);
    (north - south) * scale() + 2.0 * PAD
}

/// Where a point at `lat`, `lon` degrees is drawn, px from the top left. Values that are not
/// finite are drawn at the centre rather than trusted.
pub fn project(lat: f64, lon: f64) -> (f64, f64) {
    let (lat, lon) = if lat.is_finite() && lon.is_finite() {
        (lat, lon)
    } else {
        (0.0, 0.0)
    };
    let (x, y) = equal_earth(lat, lon);
    let (_, north) = equal_earth(NORTH, 0.0);
    let s = scale();
    (WIDTH / 2.0 + x * s, PAD + (north - y) * s)
}

/// The embedded outline: one ring per line of integers (tenths of a degree, first point then
/// differences).
const OUTLINE: &str = include_str!("../../www/world-land.txt");

/// The land rings as `(lat, lon)` degrees. Malformed lines are skipped.
pub fn land_rings() -> Vec<Vec<(f64, f64)>> {
    OUTLINE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|line| {
            let nums: Option<Vec<i32>> = line.split_whitespace().map(|t| t.parse().ok()).collect();
            let nums = nums?;
            let mut ring = Vec::with_capacity(nums.len() / 2);
            let (mut lon, mut lat) = (0i32, 0i32);
            for (i, pair) in nums.chunks_exact(2).enumerate() {
                if i == 0 {
                    (lon, lat) = (pair[0], pair[1]);
                } else {
                    lon += pair[0];
                    lat += pair[1];
                }
                ring.push((f64::from(lat) / 10.0, f64::from(lon) / 10.0));
            }
            (ring.len() >= 3).then_some(ring)
        })
        .collect()
}

/// The land as one SVG path (computed once; the projection is fixed).
pub fn land_path() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        let mut d = String::new();
        for ring in land_rings() {
            let mut before: Option<f64> = None;
            for &(lat, lon) in &ring {
                let (x, y) = project(lat.max(SOUTH - 2.0), lon);
                // A jump across the antimeridian starts a new piece instead of crossing the map.
                let jump = before.is_none_or(|b| (lon - b).abs() > 180.0);
                d.push_str(&format!("{}{x:.1},{y:.1}", if jump { "M" } else { "L" }));
                before = Some(lon);
            }
            d.push('Z');
        }
        d
    })
}

/// The graticule every 30°: meridians and parallels as one SVG path.
pub fn graticule_path() -> String {
    let mut d = String::new();
    for k in -6..=6 {
        let lon = f64::from(k) * 30.0;
        let lon = lon.clamp(-179.999, 179.999);
        let mut lat = SOUTH;
        let mut first = true;
        while lat <= NORTH + 1e-9 {
            let (x, y) = project(lat, lon);
            d.push_str(&format!("{}{x:.1},{y:.1}", if first { "M" } else { "L" }));
            first = false;
            lat += 4.0;
        }
    }
    for k in -1..=2 {
        let lat = f64::from(k) * 30.0;
        let (x0, y) = project(lat, -179.999);
        let (x1, _) = project(lat, 179.999);
        d.push_str(&format!("M{x0:.1},{y:.1}L{x1:.1},{y:.1}"));
    }
    d
}

/// An axis-aligned box, px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Whether two boxes overlap (touching edges do not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    /// Whether the box lies inside `0..width` × `0..height`.
    pub fn inside(&self, width: f64, height: f64) -> bool {
        self.x >= 0.0 && self.y >= 0.0 && self.x + self.w <= width && self.y + self.h <= height
    }
}

/// How a placed label is anchored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Text starts at `x`.
    Start,
    /// Text is centred on `x`.
    Middle,
    /// Text ends at `x`.
    End,
}

impl Anchor {
    /// The SVG `text-anchor` value.
    pub fn svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// A label put on the map: the text's baseline point, its anchor and its box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// Baseline x.
    pub x: f64,
    /// Baseline y.
    pub y: f64,
    /// Anchor.
    pub anchor: Anchor,
    /// The box it covers.
    pub rect: Rect,
}

/// Approximate width of `text` at `font_px`, px.
pub fn text_width(text: &str, font_px: f64) -> f64 {
    text.chars().count() as f64 * font_px * 0.62 + 2.0
}

/// Greedy label placement: every label goes to the first of its candidate spots that stays on
/// the drawing and clear of the obstacles and of the labels placed before it.
#[derive(Debug, Clone, PartialEq)]
pub struct Placer {
    width: f64,
    height: f64,
    taken: Vec<Rect>,
}

impl Placer {
    /// A placer for a `width` × `height` drawing with `obstacles` (markers) already taken.
    pub fn new(width: f64, height: f64, obstacles: Vec<Rect>) -> Self {
        Placer {
            width,
            height,
            taken: obstacles,
        }
    }

    /// The label's spot for text of `w` × `h` px around the point `(x, y)`, trying the spots
    /// `candidates` (offsets and anchors, in order of preference); `None` if every spot collides.
    pub fn place(
        &mut self,
        (x, y): (f64, f64),
        w: f64,
        h: f64,
        candidates: &[(f64, f64, Anchor)],
    ) -> Option<Placed> {
        for &(dx, dy, anchor) in candidates {
            let bx = match anchor {
                Anchor::Start => x + dx,
                Anchor::Middle => x + dx - w / 2.0,
                Anchor::End => x + dx - w,
            };
            // (dx, dy) moves the baseline; the box sits above it, with a little descent.
            let rect = Rect {
                x: bx,
                y: y + dy - h + 3.0,
                w,
                h,
            };
            if rect.inside(self.width, self.height) && !self.taken.iter().any(|t| t.overlaps(&rect))
            {
                self.taken.push(rect);
                return Some(Placed {
                    x: x + dx,
                    y: y + dy,
                    anchor,
                    rect,
                });
            }
        }
        None
    }

    /// Marks `rect` as taken.
    pub fn take(&mut self, rect: Rect) {
        self.taken.push(rect);
    }
}

/// Spots tried around a marker of radius `r`: right, left, above, below, then the diagonals
/// and further out.
pub fn around(r: f64) -> Vec<(f64, f64, Anchor)> {
    let mut out = Vec::new();
    for k in [1.0, 2.2, 3.6] {
        let d = r + 3.0 + (k - 1.0) * 8.0;
        out.extend([
            (d, 4.0, Anchor::Start),
            (-d, 4.0, Anchor::End),
            (0.0, -d - 1.0, Anchor::Middle),
            (0.0, d + 11.0, Anchor::Middle),
            (d * 0.8, -d * 0.8, Anchor::Start),
            (-d * 0.8, -d * 0.8, Anchor::End),
            (d * 0.8, d * 0.8 + 10.0, Anchor::Start),
            (-d * 0.8, d * 0.8 + 10.0, Anchor::End),
        ]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_earth_matches_its_published_extent() {
        let (x, y) = equal_earth(90.0, 180.0 - 1e-9);
        assert!((y - 1.317_362).abs() < 1e-5, "{y}");
        let (x0, _) = equal_earth(0.0, 180.0 - 1e-9);
        assert!((x0 - 2.706_63).abs() < 1e-5, "{x0}");
        // The published width-to-height ratio of the whole map, 2.0546.
        assert!((x0 / y - 2.0546).abs() < 1e-3);
        assert!(x < x0, "narrower at the pole");
        assert_eq!(equal_earth(0.0, 0.0), (0.0, 0.0));
    }

    #[test]
    fn east_is_right_north_is_up_and_everything_fits() {
        let h = height();
        assert!(h > 300.0 && h < WIDTH / 1.5, "{h}");
        let sg = project(1.35, 103.82);
        let us = project(38.95, -77.45);
        assert!(us.0 < sg.0 && us.1 < sg.1);
        for (lat, lon) in [(NORTH, -180.0), (SOUTH, 179.9), (0.0, 0.0), (f64::NAN, 3.0)] {
            let (x, y) = project(lat, lon);
            assert!(
                (0.0..=WIDTH).contains(&x) && (0.0..=h).contains(&y),
                "{lat} {lon}"
            );
        }
    }

    #[test]
    fn the_outline_is_the_continents() {
        let rings = land_rings();
        assert!(rings.len() > 40, "{}", rings.len());
        let points: usize = rings.iter().map(Vec::len).sum();
        assert!((1000..5000).contains(&points), "{points}");
        // Every point on the globe and inside the drawn window; no ring crosses the antimeridian.
        for &(lat, lon) in rings.iter().flatten() {
            assert!((-60.0..=84.0).contains(&lat) && (-180.0..=180.0).contains(&lon));
        }
        for ring in &rings {
            assert!(ring.windows(2).all(|w| (w[0].1 - w[1].1).abs() <= 180.0));
            // No edge of a drawn ring runs across the map (a point at +180 drawn at -180 would).
            let drawn: Vec<(f64, f64)> = ring.iter().map(|&(lat, lon)| project(lat, lon)).collect();
            for (a, b) in drawn.iter().zip(drawn.iter().cycle().skip(1)) {
                assert!((a.0 - b.0).abs() < WIDTH / 4.0, "{a:?} {b:?}");
            }
        }
        // +180 and -180 are the two edges.
        assert!(project(66.0, 180.0).0 > WIDTH / 2.0 && project(66.0, -180.0).0 < WIDTH / 2.0);
        assert_eq!(project(10.0, 190.0), project(10.0, -170.0));
        assert!(land_path().starts_with('M') && land_path().ends_with('Z'));
    }

    #[test]
    fn the_placer_never_overlaps_and_says_when_it_cannot_place() {
        let mut p = Placer::new(
            100.0,
            100.0,
            vec![Rect {
                x: 45.0,
                y: 45.0,
                w: 10.0,
                h: 10.0,
            }],
        );
        let spots = around(5.0);
        let a = p.place((50.0, 50.0), 30.0, 12.0, &spots).unwrap();
        let b = p.place((50.0, 50.0), 30.0, 12.0, &spots).unwrap();
        assert!(!a.rect.overlaps(&b.rect));
        assert!(a.rect.inside(100.0, 100.0) && b.rect.inside(100.0, 100.0));
        assert_eq!(p.place((50.0, 50.0), 300.0, 12.0, &spots), None);
    }
}
