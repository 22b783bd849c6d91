// Pieces several views share: risk badges, key-value lists, section headings, links.
import { h, tx } from "../dom.js";
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

export function enterpriseLink(uscc, name) {
  return h("a", { href: `#/enterprise/${encodeURIComponent(uscc)}/tree`, class: "enterprise-link" }, name || uscc);
}

export const empty = (key) => h("p", { class: "empty" }, tx(key));

export const yesNo = (value) => (value ? t("common.yes") : "");
