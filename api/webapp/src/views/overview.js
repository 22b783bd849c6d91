// Risk overview (风险地图): a choropleth of the regions at the chosen level by C+D share
// (region_map.js), then the class distribution by kind of market entity (企业, 个体工商户,
// 农民专业合作社), by region and by industry section, as tables and bars of counts (plain
// SVG). Every count and every bar segment links to the entities behind it
// (#/enterprises?region=&section=&risk_class=&kind=).
import { api } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { formatPercent, t } from "../i18n.js";
import { errorBlock } from "../notify.js";
import { NO_CLASS_COLOUR, RISK_COLOURS } from "../graph/style.js";
import { listHref } from "./list.js";
import { regionMap } from "./region_map.js";
import { reviewSection } from "./review.js";

const CLASSES = ["A", "B", "C", "D", "unclassified"];
const COLOURS = { ...RISK_COLOURS, unclassified: NO_CLASS_COLOUR };
const SVG = "http://www.w3.org/2000/svg";
const WIDTH = { province: 2, city: 4, district: 6 };

export function renderOverview(main, query) {
  const level = query.level ?? "district";
  const prefix = query.prefix ?? "";
  const levelSelect = h("select", { name: "level", "data-testid": "overview-level" },
    ...["province", "city", "district"].map((l) => h("option", { value: l, selected: l === level, i18n: `overview.level_${l}` }))); // prettier-ignore
  const prefixInput = h("input", { name: "prefix", value: prefix, pattern: "\\d{0,6}", size: 7, placeholder: "5101" });
  const form = h("form", { class: "filters" }, h("label", {}, tx("overview.level"), levelSelect),
    h("label", {}, tx("overview.prefix"), prefixInput), h("button", { type: "submit", class: "secondary", i18n: "common.apply" })); // prettier-ignore
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = `#/overview?${new URLSearchParams({ level: levelSelect.value, prefix: prefixInput.value.trim() })}`;
  });
  levelSelect.addEventListener("change", () => form.requestSubmit());
  const body = h("div", {}, spinner());
  replace(main, h("div", { class: "view" }, h("h1", { i18n: "overview.title" }), form, body, reviewSection()));
  // The month-over-month change comes from the re-classification review where it exists.
  const trend = api.review({ dimension: "region", level, months: 2 }).then((r) => r.rows, () => null);
  Promise.all([api.riskMap(level, prefix), api.kindShares(prefix), trend])
    .then(([map, byKind, trendRows]) => {
      const drill = level === "district" ? null : level === "province" ? "city" : "district";
      // A region row's code, cut to the level (510100 → 5101), or the typed prefix where
      // that is narrower; an industry row keeps the typed prefix.
      const regionOf = (d) => {
        const code = d.key.slice(0, WIDTH[level]);
        return prefix.startsWith(code) ? prefix : code;
      };
      const regionFilter = (d) => ({ region: regionOf(d) });
      const sectionFilter = (d) => ({ region: prefix, section: d.key ?? "none" });
      replace(
        body,
        h("div", { class: "totals", "data-testid": "totals" }, ...CLASSES.map((c) =>
          h("a", { class: "total", href: listHref({ region: prefix, risk_class: c }), "data-testid": `total-${c}` },
            legendDot(c), tx(`risk.${c === "unclassified" ? "none" : c}`), `: ${map.totals[c] ?? 0}`))), // prettier-ignore
        h("h2", { i18n: "map.title" }),
        regionMap({ rows: map.by_region, level, prefix, trend: trendRows }),
        h("h2", { i18n: "overview.by_kind" }),
        distribution(byKind.kinds.map((k) => ({ ...k, key: k.kind })), "kind",
          (d) => ({ region: prefix, kind: d.key }), (d) => t(`entity_kind.${d.key}`)), // prettier-ignore
        h("h2", { i18n: "overview.by_region" }),
        distribution(map.by_region, "region", regionFilter, (d) =>
          drill ? h("a", { href: `#/overview?${new URLSearchParams({ level: drill, prefix: regionOf(d) })}` }, d.name ?? d.key) : d.name ?? d.key),
        h("h2", { i18n: "overview.by_industry" }),
        distribution(map.by_industry, "industry", sectionFilter, (d) => `${d.key ?? "—"} ${d.name ?? ""}`),
      );
    })
    .catch((error) => replace(body, errorBlock(error)));
  return undefined;
}

function legendDot(cls) {
  return h("i", { class: "swatch", style: `background:${COLOURS[cls]}` });
}

/** A count that opens the enterprises it counts (a plain number when there are none). */
function countLink(count, filters, testid) {
  if (!count) return "0";
  return h("a", { href: listHref(filters), class: "count-link", title: t("overview.open_list"), "data-testid": testid }, String(count));
}

function distribution(rows, testid, filtersOf, name) {
  const risky = (d) => (d.counts.C ?? 0) + (d.counts.D ?? 0);
  const sorted = [...rows].sort((a, b) => risky(b) - risky(a) || b.total - a.total);
  return h(
    "div",
    { class: "distribution", "data-testid": `${testid}-distribution` },
    bars(sorted.slice(0, 30), name, filtersOf),
    table(
      [
        { key: "overview.name", cell: name },
        ...CLASSES.map((c) => ({
          key: `risk.${c === "unclassified" ? "none" : c}`,
          cell: (d) => countLink(d.counts[c] ?? 0, { ...filtersOf(d), risk_class: c }, `${testid}-cell-${c}`),
          class: "num",
        })),
        { key: "overview.total", cell: (d) => countLink(d.total, filtersOf(d), `${testid}-cell-total`), class: "num" },
        { key: "overview.cd_share", cell: (d) => formatPercent((d.shares.C ?? 0) + (d.shares.D ?? 0)), class: "num" },
      ],
      sorted,
      { testid },
    ),
  );
}

/** Horizontal stacked bars of class counts on one scale (the largest row fills the width),
 * rows with the most C/D enterprises first, each ending in its C+D count and total;
 * a segment links to its enterprises. */
function bars(rows, name, filtersOf) {
  const rowHeight = 18;
  const labelWidth = 170;
  const countWidth = 110;
  const width = 640;
  const most = Math.max(1, ...rows.map((row) => row.total));
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${rows.length * rowHeight + 4}`);
  svg.setAttribute("class", "chart");
  svg.setAttribute("role", "img");
  rows.forEach((row, i) => {
    const y = i * rowHeight + 2;
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", "0");
    label.setAttribute("y", String(y + 12));
    const caption = name(row);
    label.textContent = (typeof caption === "string" ? caption : caption.textContent).slice(0, 16);
    svg.append(label);
    let x = labelWidth;
    for (const cls of CLASSES) {
      const count = row.counts[cls] ?? 0;
      if (!count) continue;
      const share = count / row.total;
      const rect = document.createElementNS(SVG, "rect");
      const w = (count / most) * (width - labelWidth - countWidth);
      rect.setAttribute("x", String(x));
      rect.setAttribute("y", String(y));
      rect.setAttribute("width", String(w));
      rect.setAttribute("height", String(rowHeight - 4));
      rect.setAttribute("fill", COLOURS[cls]);
      const tip = document.createElementNS(SVG, "title");
      tip.textContent = `${cls}: ${row.counts[cls]} (${formatPercent(share)})`;
      rect.append(tip);
      const link = document.createElementNS(SVG, "a");
      link.setAttribute("href", listHref({ ...filtersOf(row), risk_class: cls }));
      link.setAttribute("class", "bar-link");
      link.dataset.testid = "bar-link";
      link.append(rect);
      svg.append(link);
      x += w;
    }
    const figures = document.createElementNS(SVG, "text");
    figures.setAttribute("x", String(x + 4));
    figures.setAttribute("y", String(y + 12));
    figures.setAttribute("class", "bar-count");
    figures.dataset.testid = "bar-count";
    const high = (row.counts.C ?? 0) + (row.counts.D ?? 0);
    figures.textContent = `${row.total} · C+D ${high}`;
    svg.append(figures);
  });
  return svg;
}
