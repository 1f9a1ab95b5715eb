// Converts Natural Earth's land outline at 1:110m, as packaged in TopoJSON by the npm package
// `world-atlas` (file land-110m.json), into the compact text the page's world map embeds:
// www/world-land.txt. Run once; the output is committed, so neither the page nor its build needs
// npm or the network:
//
//   npm install --prefix /tmp/world-atlas world-atlas@2.0.2
//   node scripts/world-outline.mjs /tmp/world-atlas/node_modules/world-atlas/land-110m.json > www/world-land.txt
//
// Source and licence: Natural Earth (https://www.naturalearthdata.com/), land polygons 1:110m,
// public domain ("all versions of Natural Earth raster + vector map data ... are in the public
// domain"); TopoJSON packaging by world-atlas 2.0.2 (ISC licence, Mike Bostock).
//
// What it does: decodes the TopoJSON arcs (quantized, delta-encoded), joins them into rings,
// cuts rings that cross the antimeridian (Fiji, Chukotka) into pieces on either side, simplifies each ring with Douglas-Peucker (tolerance TOLERANCE degrees), drops rings smaller
// than MIN_AREA square degrees and everything south of 60°S (no cloud regions there), and writes
// one ring per line: the first point in tenths of a degree (lon lat), then the differences from
// the point before, all as integers.
import { readFileSync } from 'node:fs';

const TOLERANCE = 0.3;
const MIN_AREA = 1.5;
const SOUTH_LIMIT = -60;

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/world-outline.mjs PATH/TO/land-110m.json > www/world-land.txt');
  process.exit(2);
}
const topo = JSON.parse(readFileSync(file, 'utf8'));
const { scale, translate } = topo.transform;

// Each arc as absolute [lon, lat] points.
const arcs = topo.arcs.map((arc) => {
  let x = 0;
  let y = 0;
  return arc.map(([dx, dy]) => {
    x += dx;
    y += dy;
    return [x * scale[0] + translate[0], y * scale[1] + translate[1]];
  });
});

function ring(indices) {
  const out = [];
  for (const i of indices) {
    const pts = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
    // Consecutive arcs share their joining point.
    out.push(...(out.length ? pts.slice(1) : pts));
  }
  return out;
}

// A ring that jumps across the antimeridian becomes pieces that each stay on one side (the
// piece before the first jump continues the piece after the last one, around the ring).
function splitAtAntimeridian(points) {
  const pieces = [[]];
  for (let i = 0; i < points.length; i++) {
    if (i > 0 && Math.abs(points[i][0] - points[i - 1][0]) > 180) pieces.push([]);
    pieces[pieces.length - 1].push(points[i]);
  }
  if (pieces.length > 1) {
    const last = pieces.pop();
    pieces[0] = last.concat(pieces[0]);
  }
  return pieces;
}

function perpendicular(p, a, b) {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const len = Math.hypot(dx, dy);
  if (len === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  return Math.abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / len;
}

function simplify(points, tolerance) {
  if (points.length < 3) return points;
  const keep = new Array(points.length).fill(false);
  keep[0] = keep[points.length - 1] = true;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    let worst = -1;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      const d = perpendicular(points[i], points[first], points[last]);
      if (d > worst) { worst = d; index = i; }
    }
    if (worst > tolerance) {
      keep[index] = true;
      stack.push([first, index], [index, last]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

function area(points) {
  let a = 0;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    a += (points[j][0] + points[i][0]) * (points[j][1] - points[i][1]);
  }
  return Math.abs(a / 2);
}

const lines = [
  '# Land outline for the page\'s world map: Natural Earth 1:110m land (public domain), via the',
  '# npm package world-atlas 2.0.2; made by scripts/world-outline.mjs (simplified, quantized).',
  '# One ring per line: first point lon lat in tenths of a degree, then differences.',
];
let points = 0;
for (const geometry of topo.objects.land.geometries) {
  const polygons = geometry.type === 'Polygon' ? [geometry.arcs] : geometry.arcs;
  for (const polygon of polygons) {
    for (const piece of polygon.flatMap((indices) => splitAtAntimeridian(ring(indices)))) {
      const r = simplify(piece, TOLERANCE);
      if (r.length < 4 || area(r) < MIN_AREA) continue;
      if (Math.max(...r.map((p) => p[1])) < SOUTH_LIMIT) continue;
      const q = r.map(([lon, lat]) => [Math.round(lon * 10), Math.round(Math.max(lat, SOUTH_LIMIT) * 10)]);
      const out = [q[0][0], q[0][1]];
      for (let i = 1; i < q.length; i++) {
        const [dx, dy] = [q[i][0] - q[i - 1][0], q[i][1] - q[i - 1][1]];
        if (dx === 0 && dy === 0) continue;
        out.push(dx, dy);
      }
      points += out.length / 2;
      lines.push(out.join(' '));
    }
  }
}
process.stdout.write(lines.join('\n') + '\n');
console.error(`${lines.length - 3} rings, ${points} points`);
