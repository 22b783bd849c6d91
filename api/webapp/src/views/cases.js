// The case inbox (预警案件): alerts that share evidence come as one case. Counts per
// status, filters, high severity first, firm names with class badges, bulk status
// changes with a note; a case opens with its evidence as named entities, its firms,
// its alerts (each opens the alert's own status form) and its history.
import { api } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { currentLang, formatDate, t } from "../i18n.js";
import { errorBlock, notifyError, notifyOk } from "../notify.js";
import { showAlert } from "./alerts.js";
import { empty, enterpriseLink, facts, filterSelect, riskBadge, section } from "./common.js";

const PAGE = 50;
const STATUSES = ["open", "in_progress", "confirmed", "dismissed"];
const SEVERITIES = ["high", "medium", "low"];
const NOTE_REQUIRED = new Set(["confirmed", "dismissed"]);
const FILTERS = ["status", "severity", "assignee", "unassigned", "rule", "region"];

const title = (c) => (currentLang() === "zh" ? c.title_zh : c.title) ?? c.title_zh ?? "";
const sevBadge = (s) => h("span", { class: `sev sev-${s}`, i18n: `severity.${s}` });
const statusBadge = (s, testid) => h("span", { class: `status status-${s}`, i18n: `status.${s}`, "data-testid": testid });

function firmChip(f) {
  return h("span", { class: "case-firm" }, riskBadge(f.class, { scored: f.scored }), " ", enterpriseLink(f.uscc, f.name));
}

export function renderCases(main, side, query) {
  const offset = Number(query.offset ?? 0);
  const filters = Object.fromEntries(FILTERS.map((k) => [k, query[k] ?? ""]));
  const go = (changes) => {
    const params = new URLSearchParams(Object.entries({ ...filters, offset: 0, ...changes }).filter(([, v]) => v !== "" && v !== 0 && v !== "0"));
    location.hash = `#/alerts?${params}`;
  };
  const select = (name, values, prefix) => filterSelect(filters, name, values, prefix);
  const form = h(
    "form",
    { class: "filters" },
    h("label", {}, tx("alerts.severity"), select("severity", SEVERITIES, "severity")),
    h("label", {}, tx("cases.assignee"), h("input", { name: "assignee", value: filters.assignee, size: 8, maxlength: 64, "data-testid": "filter-assignee" })),
    h("label", {}, h("input", { type: "checkbox", name: "unassigned", checked: filters.unassigned === "true" }), tx("cases.unassigned")),
    h("label", {}, tx("alerts.rule"), h("input", { name: "rule", value: filters.rule, pattern: "R\\d{2,3}", size: 5, placeholder: "R01" })),
    h("label", {}, tx("cases.region"), h("input", { name: "region", value: filters.region, pattern: "\\d{2,12}", size: 7, placeholder: "5101" })),
    h("button", { type: "submit", class: "secondary", i18n: "common.apply" }),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    go({
      status: filters.status,
      severity: data.get("severity"),
      assignee: data.get("assignee").trim(),
      unassigned: data.get("unassigned") ? "true" : "",
      rule: data.get("rule").trim().toUpperCase(),
      region: data.get("region").trim(),
    });
  });
  const tabs = h("div", { class: "case-tabs", role: "tablist", "data-testid": "case-counts" });
  const body = h("div", {}, spinner());
  const flat = h("a", { href: "#/alerts/list", class: "hint", i18n: "cases.flat_list" });
  replace(main, h("div", { class: "view" }, h("h1", { i18n: "cases.title" }), flat, tabs, form, body));

  const load = () =>
    api
      .cases({ ...filters, unassigned: filters.unassigned === "true" ? true : undefined, limit: PAGE, offset })
      .then((page) => {
        const total = STATUSES.reduce((n, s) => n + (page.counts[s] ?? 0), 0);
        replace(tabs, ...[["", total], ...STATUSES.map((s) => [s, page.counts[s] ?? 0])].map(([s, n]) =>
          h("a", { href: "#", role: "tab", class: filters.status === s ? "active" : "", dataset: { status: s || "all", count: n },
            onclick: (e) => { e.preventDefault(); go({ ...filters, status: s }); } },
            tx(s ? `status.${s}` : "common.all"), h("span", { class: "count" }, ` ${n.toLocaleString()}`)))); // prettier-ignore
        replace(body, page.items.length ? inbox(page, side, load) : empty("cases.none"),
          h("div", { class: "pager" },
            offset > 0 ? h("button", { class: "link", i18n: "common.previous", onclick: () => go({ offset: Math.max(0, offset - PAGE) }) }) : null,
            page.next_offset !== null ? h("button", { class: "link", i18n: "common.next", onclick: () => go({ offset: page.next_offset }) }) : null)); // prettier-ignore
      })
      .catch((error) => replace(body, errorBlock(error)));
  load();
  return undefined;
}

function inbox(page, side, reload) {
  const selected = new Set();
  const count = h("span", { class: "hint", "data-testid": "bulk-count" });
  const target = h("select", { name: "status", "data-testid": "bulk-status" }, ...STATUSES.map((s) => h("option", { value: s, i18n: `status.${s}` })));
  const note = h("input", { name: "note", maxlength: 2000, size: 30, i18nPlaceholder: "alerts.note_placeholder", "data-testid": "bulk-note" });
  const apply = h("button", { type: "submit", class: "primary", i18n: "cases.bulk_apply", "data-testid": "bulk-apply", disabled: true });
  const sync = () => {
    replace(count, t("cases.selected", { n: selected.size }));
    apply.disabled = selected.size === 0;
    note.required = NOTE_REQUIRED.has(target.value);
  };
  target.addEventListener("change", sync);
  const bulk = h("form", { class: "bulk-bar", "data-testid": "bulk-bar" }, count, target, note, apply);
  bulk.addEventListener("submit", async (event) => {
    event.preventDefault();
    apply.disabled = true;
    try {
      const answer = await api.bulkCaseStatus([...selected], target.value, note.value.trim() || null);
      notifyOk("cases.bulk_done", { changed: answer.changed, refused: answer.refused });
      const refused = answer.results.filter((r) => !r.ok);
      if (refused.length) notifyError(new Error(refused.map((r) => `${r.id}: ${r.message}`).join("; ")));
      reload();
    } catch (error) {
      notifyError(error);
      sync();
    }
  });
  const boxes = [];
  const all = h("input", { type: "checkbox", "data-testid": "select-all", "aria-label": t("cases.select_all") });
  all.addEventListener("change", () => {
    for (const box of boxes) {
      box.checked = all.checked;
      box.dispatchEvent(new Event("change"));
    }
  });
  const pick = (c) => {
    const box = h("input", { type: "checkbox", "data-testid": "case-select", dataset: { id: c.id } });
    box.addEventListener("change", () => {
      if (box.checked) selected.add(c.id);
      else selected.delete(c.id);
      sync();
    });
    box.addEventListener("click", (e) => e.stopPropagation());
    boxes.push(box);
    return box;
  };
  sync();
  const grid = table(
    [
      { key: "cases.pick", cell: pick },
      { key: "alerts.severity", cell: (c) => sevBadge(c.severity) },
      { key: "cases.case", cell: (c) => h("div", {}, h("div", {}, title(c)), h("div", { class: "hint", i18n: "cases.size", i18nParams: { alerts: c.alert_count, firms: c.firm_count } })) },
      { key: "cases.firms", cell: (c) => h("div", { class: "case-firms" }, ...c.lead_firms.slice(0, 3).map(firmChip),
          c.firm_count > 3 ? h("span", { class: "hint", i18n: "cases.more_firms", i18nParams: { n: c.firm_count - 3 } }) : null) }, // prettier-ignore
      { key: "cases.risk", cell: (c) => (c.risk === null || c.risk === undefined ? "" : c.risk.toFixed(2)), class: "num" },
      { key: "alerts.rule", cell: (c) => c.rules.join(" "), class: "mono" },
      { key: "alerts.status", cell: (c) => statusBadge(c.status) },
      { key: "cases.assignee", cell: (c) => c.assignee ?? "" },
      { key: "alerts.last_seen", cell: (c) => formatDate(c.last_seen) },
    ],
    page.items,
    { testid: "cases", onRow: (c, event) => event.target.tagName !== "A" && showCase(side, c.id, reload) },
  );
  grid.querySelector("thead th").replaceChildren(all);
  return h("div", {}, bulk, grid);
}

async function showCase(side, id, reload) {
  replace(side, spinner());
  let c;
  try {
    c = await api.case(id);
  } catch (error) {
    replace(side, errorBlock(error));
    return;
  }
  const refresh = () => {
    reload();
    showCase(side, id, reload);
  };
  replace(side, caseDetail(c, side, refresh));
}

function entityLink(e) {
  const firm = e.cited_by[0];
  const href =
    e.kind === "firm" ? `#/enterprise/${encodeURIComponent(e.key)}/tree`
    : e.kind === "cluster" ? `#/clusters/${encodeURIComponent(e.key)}`
    : firm ? `#/enterprise/${encodeURIComponent(firm)}/${e.kind === "violation" ? "tree" : "graph"}`
    : null; // prettier-ignore
  const label = e.name ?? (e.kind === "cluster" ? e.key : t("cases.unknown_entity"));
  const text = h("span", {}, label);
  return href ? h("a", { href, class: "entity-link", dataset: { kind: e.kind } }, text) : text;
}

function entityDetail(e) {
  if (e.kind === "firm") return riskBadge(e.detail.class);
  if (e.kind === "address" && e.detail.firms) return h("span", { class: "hint", i18n: "cases.address_firms", i18nParams: { n: e.detail.firms } });
  if (e.kind === "violation") return h("span", { class: "hint" }, e.detail.date ?? "");
  return "";
}

function caseDetail(c, side, refresh) {
  const assignee = h("input", { name: "assignee", value: c.assignee ?? "", maxlength: 64, size: 12, "data-testid": "case-assignee" });
  const assign = h("form", { class: "inline-form" }, assignee, h("button", { type: "submit", class: "secondary", i18n: "cases.assign", "data-testid": "case-assign" }));
  assign.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api.assignCase(c.id, assignee.value.trim() || null);
      notifyOk("cases.assigned", { who: assignee.value.trim() || "-" });
      refresh();
    } catch (error) {
      notifyError(error);
    }
  });
  const target = h("select", { name: "status", "data-testid": "case-new-status" }, ...STATUSES.filter((s) => s !== c.status).map((s) => h("option", { value: s, i18n: `status.${s}` })));
  const note = h("textarea", { name: "note", rows: 2, maxlength: 2000, i18nPlaceholder: "alerts.note_placeholder", "data-testid": "case-note" });
  const change = h("form", { class: "status-form" }, h("label", {}, tx("alerts.new_status"), target), note,
    h("button", { type: "submit", class: "primary", i18n: "alerts.change", "data-testid": "case-change" })); // prettier-ignore
  const syncNote = () => (note.required = NOTE_REQUIRED.has(target.value));
  target.addEventListener("change", syncNote);
  syncNote();
  change.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const answer = await api.bulkCaseStatus([c.id], target.value, note.value.trim() || null);
      const [result] = answer.results;
      if (!result.ok) throw new Error(result.message);
      notifyOk("alerts.changed", { status: t(`status.${result.status}`) });
      refresh();
    } catch (error) {
      notifyError(error);
    }
  });
  return h(
    "div",
    { class: "detail", "data-testid": "case-detail", dataset: { id: c.id, status: c.status } },
    h("h2", { class: "detail-title" }, title(c)),
    facts([
      ["cases.id", h("span", { class: "mono" }, c.id)],
      ["alerts.severity", sevBadge(c.severity)],
      ["alerts.status", statusBadge(c.status, "case-status")],
      ["cases.size_label", tx("cases.size", { alerts: c.alert_count, firms: c.firm_count })],
      ["cases.risk", c.risk === null || c.risk === undefined ? null : c.risk.toFixed(3)],
      ["cases.assignee", c.assignee ?? t("cases.nobody")],
      ["alerts.first_seen", formatDate(c.first_seen)],
      ["alerts.last_seen", formatDate(c.last_seen)],
    ]),
    section("cases.assign_title", assign),
    section("alerts.change_title", change),
    section("cases.evidence", c.entities.length
      ? h("ul", { class: "entities", "data-testid": "case-entities" }, ...c.entities.map((e) =>
          h("li", { dataset: { kind: e.kind } }, h("span", { class: "entity-kind", i18n: `cases.kind.${e.kind}` }), " ", entityLink(e), " ", entityDetail(e),
            e.alerts ? h("span", { class: "hint", i18n: "cases.cited", i18nParams: { n: e.alerts } }) : null)))
      : empty("cases.no_entities")), // prettier-ignore
    section("cases.firms", table(
      [
        { key: "detail.name", cell: (f) => enterpriseLink(f.uscc, f.name) },
        { key: "cases.class", cell: (f) => riskBadge(f.class, { scored: f.scored }) },
        { key: "cases.risk", cell: (f) => (f.risk_score === null || f.risk_score === undefined ? "" : f.risk_score.toFixed(3)), class: "num" },
      ],
      c.firms,
      { testid: "case-firms" },
    )), // prettier-ignore
    section("cases.alerts", table(
      [
        { key: "alerts.rule", cell: (a) => a.rule, class: "mono" },
        { key: "alerts.title_col", cell: (a) => title(a) },
        { key: "alerts.subject", cell: (a) => a.subject, class: "mono" },
        { key: "alerts.status", cell: (a) => statusBadge(a.status) },
      ],
      c.alerts,
      { testid: "case-alerts", onRow: (a) => showAlert(side, a.key, refresh) },
    )), // prettier-ignore
    section("alerts.history", c.history.length
      ? table(
          [
            { key: "alerts.at", cell: (e) => formatDate(e.at) },
            { key: "cases.event", cell: (e) => tx(`cases.event.${e.kind}`) },
            { key: "alerts.to", cell: (e) => (e.to_status ? tx(`status.${e.to_status}`) : e.assignee ?? e.other ?? "") },
            { key: "alerts.note", cell: (e) => e.note ?? "" },
            { key: "alerts.actor", cell: (e) => e.actor ?? "", class: "mono" },
          ],
          c.history,
          { testid: "case-history" },
        )
      : empty("alerts.no_history")), // prettier-ignore
  );
}
