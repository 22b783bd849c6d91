// Pieces several views share: risk badges, key-value lists, section headings, links.
import { h, table, tx } from "../dom.js";
import { formatPercent, t } from "../i18n.js";
import { RISK_COLOURS } from "../graph/style.js";

export function riskBadge(cls, { scored = true } = {}) {
  if (!cls) return h("span", { class: "badge none", i18n: "risk.none" });
  return h(
    "span",
    { class: `badge risk-${cls}${scored ? "" : " label"}`, i18nTitle: scored ? "risk.model" : "risk.supervisor" },
    cls,
  );
}

export const section = (key, ...children) =>
  h("section", { class: "panel-section" }, h("h3", { i18n: key }), ...children);

export function facts(pairs) {
  return h(
    "dl",
    { class: "facts" },
    ...pairs
      .filter(([, value]) => value !== null && value !== undefined && value !== "")
      .flatMap(([key, value]) => [h("dt", { i18n: key }), h("dd", {}, value)]),
  );
}

/** Horizontal bars of the class probabilities p_A … p_D. */
export function probabilityBars(probabilities) {
  return h(
    "div",
    { class: "prob-bars", "data-testid": "probabilities" },
    ...["A", "B", "C", "D"].map((cls) => {
      const p = probabilities[cls] ?? 0;
      return h(
        "div",
        { class: "prob-row" },
        h("span", { class: "prob-label" }, cls),
        h("span", { class: "prob-track" }, h("span", { class: "prob-fill", style: `width:${(p * 100).toFixed(1)}%;background:${RISK_COLOURS[cls]}` })),
        h("span", { class: "prob-value" }, formatPercent(p)),
      );
    }),
  );
}

/** A filter's <select> ("all" first), its options named by `${prefix}.${value}`. */
export function filterSelect(filters, name, values, prefix) {
  return h("select", { name, "data-testid": `filter-${name}` }, h("option", { value: "", i18n: "common.all" }),
    ...values.map((v) => h("option", { value: v, selected: filters[name] === v, i18n: `${prefix}.${v}` }))); // prettier-ignore
}

export function enterpriseLink(uscc, name) {
  return h("a", { href: `#/enterprise/${encodeURIComponent(uscc)}/tree`, class: "enterprise-link" }, name || uscc);
}

/** 企业 / 个体工商户 / 农民专业合作社 (the API's `kind`, from the org type). */
export const kindName = (kind) => (kind ? h("span", { class: "entity-kind", dataset: { kind } }, tx(`entity_kind.${kind}`)) : "");

export const empty = (key) => h("p", { class: "empty" }, tx(key));

export const yesNo = (value) => (value ? t("common.yes") : "");

/** A table of enterprise summaries; a click on a row (not on a link) opens its family tree. */
export function enterpriseTable(items, testid) {
  return table(
    [
      { key: "detail.name", cell: (e) => enterpriseLink(e.uscc, e.name) },
      { key: "detail.uscc", cell: (e) => e.uscc, class: "mono" },
      { key: "detail.entity_kind", cell: (e) => kindName(e.kind) },
      { key: "detail.status", cell: (e) => e.status ?? "" },
      { key: "detail.region", cell: (e) => e.region_code ?? "" },
      { key: "detail.industry", cell: (e) => e.industry_code ?? "" },
      { key: "detail.established", cell: (e) => e.established ?? "" },
    ],
    items,
    {
      testid,
      onRow: (e, event) => {
        if (event.target.tagName !== "A") location.hash = `#/enterprise/${encodeURIComponent(e.uscc)}/tree`;
      },
    },
  );
}

/** Previous/next links for offset paging; `hrefAt(offset)` builds each link. */
export function pager(hrefAt, offset, pageSize, hasMore, nextTestid) {
  return h(
    "div",
    { class: "pager" },
    offset > 0 ? h("a", { href: hrefAt(Math.max(0, offset - pageSize)), i18n: "common.previous" }) : null,
    hasMore ? h("a", { href: hrefAt(offset + pageSize), i18n: "common.next", "data-testid": nextTestid }) : null,
  );
}
