// The detail panel: profile, officers, investors, violations, risk class with
// probabilities and model version, and the model's explanation on request.
import { api } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { formatDate, formatPercent } from "../i18n.js";
import { errorBlock } from "../notify.js";
import { empty, enterpriseLink, facts, kindName, probabilityBars, riskBadge, section, yesNo } from "./common.js";
import { loadExplanation } from "./explanation.js";

/** How the registry names things per kind of market entity: an individual business
 * (个体工商户) has an operator (经营者) and funds (资金数额), a cooperative
 * (农民专业合作社) a legal representative and its members' contributions. */
const NAMING = {
  enterprise: { legalRep: "detail.legal_rep", capital: "detail.registered_capital", investors: "detail.investors", investor: "detail.investor" },
  individual: { legalRep: "detail.operator", capital: "detail.funds", investors: "detail.investors", investor: "detail.investor" },
  cooperative: { legalRep: "detail.legal_rep", capital: "detail.member_contribution", investors: "detail.members", investor: "detail.member" },
};

let current = 0;

/** Fills `panel` with one enterprise; a later call wins over a slower earlier one. */
export async function showEnterprise(panel, uscc) {
  const ticket = ++current;
  replace(panel, spinner());
  let detail;
  try {
    detail = await api.enterprise(uscc);
  } catch (error) {
    if (ticket === current) replace(panel, errorBlock(error));
    return;
  }
  if (ticket !== current) return;
  replace(panel, enterpriseDetail(detail));
}

/** A non-enterprise node (person, address, violation) as the graph knows it. Persons
 * and addresses can start or end a path search; a masked person goes there by its
 * pseudonym, which the server opens without ever showing the pid. */
export function showNode(panel, data) {
  current++;
  const ref = encodeURIComponent(data.id);
  replace(
    panel,
    h(
      "div",
      { class: "detail node-detail", "data-testid": "node-detail", dataset: { kind: data.kind } },
      h("h2", { class: "detail-title" }, data.label ?? data.id),
      facts([
        ["detail.kind", tx(`kind.${data.kind}`)],
        ["detail.key", data.id.startsWith("person-") ? tx("detail.masked_person") : data.id],
        ["detail.date", data.date],
        ["detail.status", data.status],
      ]),
      PATH_ENDS.has(data.kind)
        ? h(
            "div",
            { class: "detail-actions" },
            h("a", { href: `#/paths?from=${ref}`, i18n: "paths.from_here", "data-testid": "path-from-here" }),
            h("a", { href: `#/paths?to=${ref}`, i18n: "paths.to_here", "data-testid": "path-to-here" }),
          )
        : null,
    ),
  );
}

/** What the path finder connects (the server's PATH_ENDPOINTS). */
const PATH_ENDS = new Set(["Enterprise", "Person", "Address"]);

function enterpriseDetail(d) {
  const names = NAMING[d.kind] ?? NAMING.enterprise;
  const risk = d.risk ?? {};
  const scored = Boolean(risk.risk_class);
  const explanationSlot = h("div", { class: "explanation" });
  return h(
    "div",
    { class: "detail", "data-testid": "detail", dataset: { uscc: d.uscc, kind: d.kind ?? "enterprise" } },
    h("h2", { class: "detail-title" }, riskBadge(risk.risk_class), " ", d.name ?? d.uscc),
    h(
      "div",
      { class: "detail-actions" },
      h("a", { href: `#/enterprise/${encodeURIComponent(d.uscc)}/tree`, i18n: "nav.tree" }),
      h("a", { href: `#/enterprise/${encodeURIComponent(d.uscc)}/graph`, i18n: "nav.graph" }),
      h("a", { href: `#/paths?from=${encodeURIComponent(d.uscc)}`, i18n: "paths.from_here" }),
    ),
    section(
      "detail.risk",
      scored
        ? h(
            "div",
            {},
            facts([
              ["detail.risk_class", riskBadge(risk.risk_class)],
              ["detail.risk_score", risk.risk_score?.toFixed(4)],
              ["detail.model_version", risk.model_version],
              ["detail.scored_at", formatDate(risk.scored_at)],
            ]),
            probabilityBars({ A: risk.p_A, B: risk.p_B, C: risk.p_C, D: risk.p_D }),
            h("button", { class: "secondary", "data-testid": "explain", i18n: "detail.explain",
              onclick: (event) => loadExplanation(event.currentTarget, explanationSlot, d.uscc) }), // prettier-ignore
            explanationSlot,
          )
        : empty("detail.unscored"),
    ),
    section(
      "detail.profile",
      facts([
        ["detail.uscc", d.uscc],
        ["detail.entity_kind", kindName(d.kind)],
        ["detail.org_type", d.org_type],
        ["detail.status", d.status],
        ["detail.established", d.established],
        ["detail.region", d.region_code],
        ["detail.industry", d.industry_code],
        [names.capital, d.registered_capital === null ? null : `${d.registered_capital} 万元`],
        ["detail.paid_in_capital", d.paid_in_capital === null ? null : `${d.paid_in_capital} 万元`],
        ["detail.address", d.address],
      ]),
    ),
    section(
      "detail.officers",
      d.positions.length
        ? table(
            [
              { key: "detail.person", cell: (p) => personCell(p.person) },
              { key: "detail.role", cell: (p) => p.role ?? "" },
              { key: names.legalRep, cell: (p) => yesNo(p.legal_representative) },
              { key: "detail.since", cell: (p) => p.since ?? "" },
              { key: "detail.until", cell: (p) => p.until ?? "" },
            ],
            d.positions,
            { testid: "officers" },
          )
        : empty("common.none"),
    ),
    section(
      names.investors,
      d.investors.length
        ? table(
            [
              { key: names.investor, cell: (i) => (i.kind === "enterprise" && i.uscc ? enterpriseLink(i.uscc, i.name) : i.person ? personCell(i.person) : i.name ?? "") },
              { key: "detail.ratio", cell: (i) => formatPercent(i.ratio), class: "num" },
              { key: "detail.amount", cell: (i) => i.amount ?? "", class: "num" },
              { key: "detail.since", cell: (i) => i.since ?? "" },
            ],
            d.investors,
            { testid: "investors" },
          )
        : empty("common.none"),
    ),
    section(
      "detail.violations",
      d.violations.length
        ? table(
            [
              { key: "detail.date", cell: (v) => v.date ?? "" },
              { key: "detail.violation_kind", cell: (v) => v.kind ?? "" },
              { key: "detail.authority", cell: (v) => v.authority ?? "" },
              { key: "detail.status", cell: (v) => v.status ?? "" },
              { key: "detail.removed_on", cell: (v) => v.removed_on ?? "" },
            ],
            d.violations,
            { testid: "violations" },
          )
        : empty("common.none"),
    ),
    d.truncated ? h("p", { class: "hint", i18n: "detail.truncated" }) : null,
  );
}

/** A person's (possibly masked) name with a link that starts a path search from them;
 * `ref` is their pseudonym for roles that do not see the pid. */
function personCell(person) {
  if (!person?.ref) return person?.name ?? "";
  const href = `#/paths?from=${encodeURIComponent(person.ref)}`;
  return h("span", {}, person.name ?? "", " ",
    h("a", { href, class: "mini", i18n: "paths.from_here", "data-testid": "person-path" }));
}
