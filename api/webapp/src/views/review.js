// Regional and industry review (区域、行业风险研判): class counts and shares of the latest
// re-classified month per region or industry section, the C+D share per month as a small
// SVG sparkline, its change, and the fastest-rising rows flagged. A row opens the firms
// behind it (#/enterprises?region= or ?section=).
import { api } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { formatPercent } from "../i18n.js";
import { errorBlock } from "../notify.js";
import { listHref } from "./list.js";

const SVG = "http://www.w3.org/2000/svg";

/** The review block of the overview: its own filters (dimension, level, months). */
export function reviewSection() {
  const state = { dimension: "region", level: "city", months: 6 };
  const pick = (name, values, labelOf) => {
    const select = h("select", { name, "data-testid": `review-${name}` },
      ...values.map((v) => h("option", { value: v, selected: String(v) === String(state[name]), i18n: labelOf(v) }))); // prettier-ignore
    select.addEventListener("change", () => {
      state[name] = select.value;
      load();
    });
    return select;
  };
  const body = h("div", {}, spinner());
  const form = h("div", { class: "filters" },
    h("label", {}, tx("review.dimension"), pick("dimension", ["region", "industry"], (v) => `review.dimension_${v}`)),
    h("label", {}, tx("overview.level"), pick("level", ["province", "city", "district"], (v) => `overview.level_${v}`)),
    h("label", {}, tx("review.months"), pick("months", [3, 6, 12], (v) => `review.months_${v}`))); // prettier-ignore
  const section = h("section", { class: "review", "data-testid": "review" }, h("h2", { i18n: "review.title" }), form, body);
  function load() {
    replace(body, spinner());
    api
      .review(state)
      .then((answer) => replace(body, reviewTable(answer)))
      .catch((error) => replace(body, errorBlock(error)));
  }
  load();
  return section;
}

function reviewTable(answer) {
  if (!answer.months.length) return h("p", { class: "hint", i18n: "review.none" });
  const filtersOf = (row) => (answer.dimension === "region" ? { region: row.value } : { section: row.value });
  const arrow = (change) => (change === null ? "" : change > 0 ? "▲ " : change < 0 ? "▼ " : "= ");
  return h(
    "div",
    {},
    h("p", { class: "hint", i18n: "review.rule", i18nParams: { months: `${answer.months[0]} – ${answer.months.at(-1)}`, ...answer.rule } }),
    table(
      [
        { key: "overview.name", cell: (r) => h("a", { href: listHref(filtersOf(r)) }, r.name ? `${r.name} (${r.value})` : r.value) },
        { key: "overview.total", cell: (r) => String(r.total), class: "num" },
        ...["A", "B", "C", "D"].map((c) => ({ key: `risk.${c}`, cell: (r) => `${r.counts[c]} · ${formatPercent(r.shares[c])}`, class: "num" })),
        { key: "overview.cd_share", cell: (r) => formatPercent(r.high_share), class: "num" },
        { key: "review.trend", cell: (r) => sparkline(r.series) },
        { key: "review.change_month", cell: (r) => `${arrow(r.change_month)}${formatPercent(r.change_month)}`, class: "num" },
        { key: "review.rise", cell: (r) => `${arrow(r.rise)}${formatPercent(r.rise)}`, class: "num" },
        { key: "review.flag", cell: (r) => (r.flagged ? h("span", { class: "flag", "data-testid": "review-flag", i18n: "review.flagged" }) : "") },
      ],
      answer.rows,
      {
        testid: "review-table",
        rowClass: (r) => (r.flagged ? "flagged" : ""),
        onRow: (r, event) => {
          if (event.target.closest("a")) return;
          location.hash = listHref(filtersOf(r));
        },
      },
    ),
  );
}

/** The C+D share per month as a polyline (months without firms are gaps). */
function sparkline(series) {
  const width = 90;
  const height = 22;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("class", "sparkline");
  svg.dataset.testid = "sparkline";
  const step = series.length > 1 ? (width - 4) / (series.length - 1) : 0;
  const points = series
    .map((p, i) => (p.high_share === null ? null : `${(2 + i * step).toFixed(1)},${(height - 2 - p.high_share * (height - 4)).toFixed(1)}`))
    .filter(Boolean);
  const line = document.createElementNS(SVG, points.length > 1 ? "polyline" : "circle");
  if (points.length > 1) line.setAttribute("points", points.join(" "));
  else if (points.length === 1) {
    const [x, y] = points[0].split(",");
    line.setAttribute("cx", x);
    line.setAttribute("cy", y);
    line.setAttribute("r", "2");
  }
  const tip = document.createElementNS(SVG, "title");
  tip.textContent = series.map((p) => `${p.month}: ${formatPercent(p.high_share)}`).join("\n");
  svg.append(tip, line);
  return svg;
}
