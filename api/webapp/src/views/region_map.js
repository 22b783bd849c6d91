// The overview's choropleth (风险地图): every region at the chosen level coloured by its
// share of C+D firms. Outlines come from the app's own assets (built by geo.mjs from npm
// packages; nothing is fetched from elsewhere), drawn with d3-geo as SVG paths. A region
// is joined to the counts on its administrative code: a district outline takes the
// counts of its own code, else of its city's, else of its province's (firms registered
// under a city-level code colour all of that city's districts). Hovering shows name,
// firms, C+D count and share and the change over the last re-classified month; a click
// opens the region's firms.
import { geoMercator, geoPath } from "d3-geo";
import { feature } from "topojson-client";
import { h, replace, tx } from "../dom.js";
import { formatPercent } from "../i18n.js";
import { listHref } from "./list.js";

/* global RG_REGIONS_URL */
const SVG = "http://www.w3.org/2000/svg";
const WIDTH = { province: 2, city: 4, district: 6 };
/** Upper bounds of the C+D share bins and their colours (light to dark). */
export const BINS = [0.05, 0.1, 0.15, 0.2, 0.3, Infinity];
const BIN_COLOURS = ["#fef0d9", "#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"];
const NO_FIRMS = "#eceff1";

let outlines = null;

/** The region outlines (GeoJSON features with 6-digit ids), loaded once. */
function loadOutlines() {
  outlines ??= fetch(RG_REGIONS_URL)
    .then((response) => {
      if (!response.ok) throw new Error(`regions: HTTP ${response.status}`);
      return response.json();
    })
    .then((topo) => feature(topo, topo.objects.regions).features)
    .catch((error) => {
      outlines = null;
      throw error;
    });
  return outlines;
}

const cut = (code, width) => code.slice(0, width).padEnd(6, "0");
const highCount = (row) => (row.counts.C ?? 0) + (row.counts.D ?? 0);
export const colourOf = (share) => BIN_COLOURS[BINS.findIndex((upper) => share < upper)];

/**
 * The map element for `rows` (the risk map's `by_region`: key = region code at `level`),
 * `trend` (the review's rows at the same level, or null) and the typed `prefix`.
 */
export function regionMap({ rows, level, prefix, trend }) {
  const box = h("div", { class: "region-map", "data-testid": "region-map" }, h("p", { class: "hint", i18n: "common.loading" }));
  loadOutlines()
    .then((features) => replace(box, ...drawMap(features, { rows, level, prefix, trend })))
    .catch(() => replace(box, h("p", { class: "hint", i18n: "map.unavailable" })));
  return box;
}

function drawMap(features, { rows, level, prefix, trend }) {
  const width = WIDTH[level];
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const changeOf = new Map((trend ?? []).map((row) => [cut(String(row.value), width), row.change_month]));
  const shown = features.filter((f) => f.id.startsWith(prefix));
  // The row a region takes: its own code at the level, else its city's, else its province's.
  const rowOf = (code) => [width, 4, 2].filter((w) => w <= width).map((w) => byKey.get(cut(code, w))).find(Boolean);
  const withFirms = shown.filter((f) => rowOf(f.id));
  const size = [760, 520];
  const projection = geoMercator().fitExtent([[6, 6], [size[0] - 6, size[1] - 6]],
    { type: "FeatureCollection", features: withFirms.length ? withFirms : shown }); // prettier-ignore
  const path = geoPath(projection);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${size[0]} ${size[1]}`);
  svg.setAttribute("class", "map");
  svg.dataset.level = level; // internal borders show at district level only
  svg.setAttribute("role", "img");
  const tip = h("div", { class: "map-tip", role: "tooltip", "data-testid": "map-tip", hidden: true });
  const groups = new Map();
  for (const f of shown) {
    const row = rowOf(f.id);
    const key = row ? row.key : cut(f.id, width);
    let group = groups.get(key);
    if (!group) {
      group = document.createElementNS(SVG, "g");
      group.setAttribute("class", row ? "region has-firms" : "region");
      group.dataset.region = key;
      group.dataset.testid = "map-region";
      const fill = row ? colourOf(row.total ? highCount(row) / row.total : 0) : NO_FIRMS;
      group.setAttribute("fill", fill);
      group.setAttribute("stroke", fill);
      if (row) wire(group, row, { level, changeOf, tip });
      groups.set(key, group);
    }
    const d = path(f);
    if (!d) continue;
    const outline = document.createElementNS(SVG, "path");
    outline.setAttribute("d", d);
    outline.dataset.code = f.id;
    group.append(outline);
  }
  // Regions with firms on top, so their hover outline is not hidden by a neighbour.
  svg.append(...[...groups.values()].sort((a, b) => a.classList.contains("has-firms") - b.classList.contains("has-firms")));
  const missing = rows.filter((row) => !groups.has(row.key));
  return [
    h("div", { class: "map-frame" }, svg, tip),
    legend(),
    missing.length
      ? h("p", { class: "hint", "data-testid": "map-missing" }, tx("map.missing"), missing.map((r) => r.name ?? r.key).join("、"))
      : null,
  ];
}

function wire(group, row, { level, changeOf, tip }) {
  const high = highCount(row);
  const share = row.total ? high / row.total : 0;
  const change = changeOf.get(row.key);
  const region = row.key.slice(0, WIDTH[level]);
  group.setAttribute("tabindex", "0");
  group.setAttribute("aria-label", `${row.name ?? row.key}: ${row.total}`);
  const show = (event) => {
    replace(
      tip,
      h("strong", {}, row.name ?? row.key, h("span", { class: "mono" }, ` ${row.key}`)),
      h("div", {}, tx("map.firms"), `: ${row.total}`),
      h("div", {}, tx("map.high"), `: ${high} · ${formatPercent(share)}`),
      change === undefined || change === null
        ? null
        : h("div", {}, tx("map.change_month"), `: ${change > 0 ? "▲" : change < 0 ? "▼" : "="} ${formatPercent(Math.abs(change))}`),
      h("div", { class: "hint" }, tx("map.click")),
    );
    tip.hidden = false;
    const frame = tip.parentElement.getBoundingClientRect();
    tip.style.left = `${Math.min(event.clientX - frame.left + 12, frame.width - 200)}px`;
    tip.style.top = `${event.clientY - frame.top + 12}px`;
    group.classList.add("hover");
  };
  group.addEventListener("mousemove", show);
  group.addEventListener("mouseleave", () => {
    tip.hidden = true;
    group.classList.remove("hover");
  });
  const open = () => {
    location.hash = listHref({ region });
  };
  group.addEventListener("click", open);
  group.addEventListener("keydown", (event) => {
    if (event.key === "Enter") open();
  });
}

function legend() {
  const lower = [0, ...BINS.slice(0, -1)];
  return h(
    "div",
    { class: "map-legend", "data-testid": "map-legend" },
    tx("overview.cd_share"),
    ...lower.map((from, i) =>
      h("span", { class: "legend-item" }, h("i", { class: "swatch", style: `background:${BIN_COLOURS[i]}` }),
        BINS[i] === Infinity ? `≥ ${formatPercent(from)}` : `${formatPercent(from)} – ${formatPercent(BINS[i])}`)), // prettier-ignore
    h("span", { class: "legend-item" }, h("i", { class: "swatch", style: `background:${NO_FIRMS}` }), tx("map.no_firms")),
  );
}
