//! Placing points given by latitude and longitude on a flat map: an equirectangular projection
//! whose window is fitted to the points, centred on the shortest span of longitudes that holds
//! them (so a map of Asia and the Americas is centred on the Pacific, one of Europe on Greenwich).

/// A window of the globe and how it maps onto a `width` × `height` drawing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// Drawing width, in px.
    pub width: f64,
    /// Drawing height, in px.
    pub height: f64,
    /// Longitude drawn at x = `x0`, in degrees east.
    west_lon: f64,
    /// Latitude drawn at y = `y0`, in degrees north.
    north_lat: f64,
    /// Pixels per degree, the same across and down (equirectangular).
    scale: f64,
    /// Where the window's west edge is drawn.
    x0: f64,
    /// Where the window's north edge is drawn.
    y0: f64,
}

/// Smallest window fitted around the points, in degrees, so that one or two close points are not
/// blown up to the whole drawing.
const MIN_SPAN_LON: f64 = 60.0;
const MIN_SPAN_LAT: f64 = 30.0;

impl Frame {
    /// The frame that shows every `(lat, lon)` of `points` inside a `width` × `height` drawing
    /// with `margin` px kept free on every side (for labels). Coordinates out of range or not
    /// finite are clamped or ignored rather than trusted.
    pub fn fit(points: &[(f64, f64)], width: f64, height: f64, margin: f64) -> Frame {
        let points: Vec<(f64, f64)> = points
            .iter()
            .filter(|(lat, lon)| lat.is_finite() && lon.is_finite())
            .map(|&(lat, lon)| (lat.clamp(-90.0, 90.0), lon.rem_euclid(360.0)))
            .collect();
        let (west, span_lon) = shortest_lon_span(points.iter().map(|p| p.1).collect());
        let north = points.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
        let south = points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        let (north, south) = if north >= south {
            (north, south)
        } else {
            (0.0, 0.0)
        };
        // Grow the window to its minimum size around its centre.
        let grow_lon = (MIN_SPAN_LON - span_lon).max(0.0);
        let grow_lat = (MIN_SPAN_LAT - (north - south)).max(0.0);
        let west = west - grow_lon / 2.0;
        let span_lon = span_lon + grow_lon;
        let north = north + grow_lat / 2.0;
        let span_lat = (north - south) + grow_lat;

        let inner_w = (width - 2.0 * margin).max(1.0);
        let inner_h = (height - 2.0 * margin).max(1.0);
        let scale = (inner_w / span_lon).min(inner_h / span_lat);
        Frame {
            width,
            height,
            west_lon: west,
            north_lat: north,
            scale,
            x0: (width - span_lon * scale) / 2.0,
            y0: (height - span_lat * scale) / 2.0,
        }
    }

    /// Drawing coordinates `(x, y)` of a point at `lat`, `lon` degrees.
    pub fn project(&self, lat: f64, lon: f64) -> (f64, f64) {
        let east = (lon - self.west_lon).rem_euclid(360.0);
        (
            self.x0 + east * self.scale,
            self.y0 + (self.north_lat - lat) * self.scale,
        )
    }

    /// The x of the meridians at multiples of `step` degrees that fall inside the drawing.
    pub fn meridians(&self, step: f64) -> Vec<f64> {
        self.lines(step, self.west_lon, self.x0, self.width, 1.0)
    }

    /// The y of the parallels at multiples of `step` degrees that fall inside the drawing.
    pub fn parallels(&self, step: f64) -> Vec<f64> {
        self.lines(step, self.north_lat, self.y0, self.height, -1.0)
    }

    /// Positions in `[0, extent]` of the multiples of `step` degrees, on an axis where `origin`
    /// degrees sit at `at` px and degrees grow by `direction`.
    fn lines(&self, step: f64, origin: f64, at: f64, extent: f64, direction: f64) -> Vec<f64> {
        let positive = |v: f64| v.is_finite() && v > 0.0;
        if !positive(step) || !positive(self.scale) {
            return Vec::new();
        }
        // Degrees shown at px 0 and at px `extent`.
        let first = origin - direction * at / self.scale;
        let last = origin + direction * (extent - at) / self.scale;
        let (lo, hi) = if first <= last {
            (first, last)
        } else {
            (last, first)
        };
        let mut out = Vec::new();
        let mut k = (lo / step).ceil();
        while k * step <= hi && out.len() < 64 {
            let px = at + direction * (k * step - origin) * self.scale;
            out.push(px);
            k += 1.0;
        }
        out
    }
}

/// The westernmost longitude and the width of the smallest span of longitudes (degrees east,
/// in `[0, 360)`) holding them all: the circle minus its largest gap between neighbours.
fn shortest_lon_span(mut lons: Vec<f64>) -> (f64, f64) {
    lons.sort_by(f64::total_cmp);
    let (Some(&first), Some(&last)) = (lons.first(), lons.last()) else {
        return (0.0, 0.0);
    };
    // The gap that wraps around from the last longitude to the first.
    let mut best_gap = first + 360.0 - last;
    let mut west = first;
    for pair in lons.windows(2) {
        let gap = pair[1] - pair[0];
        if gap > best_gap {
            best_gap = gap;
            west = pair[1];
        }
    }
    (west, 360.0 - best_gap)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SG: (f64, f64) = (1.35, 103.82);
    const US: (f64, f64) = (38.95, -77.45);

    fn inside(f: &Frame, (x, y): (f64, f64), margin: f64) -> bool {
        (margin - 1e-9..=f.width - margin + 1e-9).contains(&x)
            && (margin - 1e-9..=f.height - margin + 1e-9).contains(&y)
    }

    #[test]
    fn asia_and_the_americas_are_drawn_across_the_pacific() {
        let f = Frame::fit(&[SG, US], 640.0, 300.0, 40.0);
        let sg = f.project(SG.0, SG.1);
        let us = f.project(US.0, US.1);
        assert!(sg.0 < us.0, "Singapore west of Virginia across the Pacific");
        assert!(us.1 < sg.1, "Virginia north of Singapore");
        assert!(inside(&f, sg, 40.0) && inside(&f, us, 40.0));
        // The window is as wide as the drawing allows.
        assert!((us.0 - sg.0 - (640.0 - 80.0)).abs() < 1e-6);
    }

    #[test]
    fn europe_is_centred_on_greenwich() {
        let f = Frame::fit(&[(53.3, -6.3), (50.1, 8.7)], 640.0, 300.0, 40.0);
        let dublin = f.project(53.3, -6.3);
        let frankfurt = f.project(50.1, 8.7);
        assert!(dublin.0 < frankfurt.0);
        assert!(inside(&f, dublin, 40.0) && inside(&f, frankfurt, 40.0));
    }

    #[test]
    fn odd_input_gives_a_usable_frame() {
        for points in [
            vec![],
            vec![(0.0, 0.0)],
            vec![(f64::NAN, 10.0), (10.0, f64::INFINITY)],
            vec![(95.0, 540.0)],
        ] {
            let f = Frame::fit(&points, 640.0, 300.0, 40.0);
            assert!(f.scale.is_finite() && f.scale > 0.0, "{points:?}");
            for &(lat, lon) in &points {
                if lat.is_finite() && lon.is_finite() {
                    let p = f.project(lat.clamp(-90.0, 90.0), lon);
                    assert!(inside(&f, p, 40.0), "{points:?}");
                }
            }
        }
    }

    #[test]
    fn graticule_lines_fall_inside_the_drawing() {
        let f = Frame::fit(&[SG, US], 640.0, 300.0, 40.0);
        let m = f.meridians(30.0);
        let p = f.parallels(30.0);
        assert!(m.len() >= 5, "{m:?}");
        assert!(!p.is_empty(), "{p:?}");
        assert!(m.iter().all(|x| (0.0..=640.0).contains(x)));
        assert!(p.iter().all(|y| (0.0..=300.0).contains(y)));
        // The equator is one of the parallels.
        let (_, equator) = f.project(0.0, 0.0);
        assert!(p.iter().any(|y| (y - equator).abs() < 1e-6));
    }
}
