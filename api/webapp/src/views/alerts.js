// The flat alert list (#/alerts/list; the inbox of cases is views/cases.js): filter,
// high severity and risk first, open one alert with its history and move its status
// with a note (required to confirm or dismiss).
import { api } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { currentLang, formatDate, t } from "../i18n.js";
import { errorBlock, notifyError, notifyOk } from "../notify.js";
import { empty, enterpriseLink, facts, filterSelect, riskBadge, section } from "./common.js";

const PAGE = 50;
const STATUSES = ["open", "in_progress", "confirmed", "dismissed"];
const SEVERITIES = ["high", "medium", "low"];
/** The server's rules (riskgraph.graph.rules.TRANSITIONS); it checks them again. */
const TRANSITIONS = {
  open: ["in_progress", "confirmed", "dismissed"],
  in_progress: ["open", "confirmed", "dismissed"],
  confirmed: ["open", "in_progress"],
  dismissed: ["open", "in_progress"],
};
const NOTE_REQUIRED = new Set(["confirmed", "dismissed"]);

export function renderAlerts(main, side, query) {
  const offset = Number(query.offset ?? 0);
  const filters = { status: query.status ?? "", severity: query.severity ?? "", rule: query.rule ?? "" };
  const select = (name, values, prefix) => filterSelect(filters, name, values, prefix);
  const form = h(
    "form",
    { class: "filters" },
    h("label", {}, tx("alerts.status"), select("status", STATUSES, "status")),
    h("label", {}, tx("alerts.severity"), select("severity", SEVERITIES, "severity")),
    h("label", {}, tx("alerts.rule"), h("input", { name: "rule", value: filters.rule, pattern: "R\\d{2,3}", size: 5, placeholder: "R01" })),
    h("button", { type: "submit", class: "secondary", i18n: "common.apply" }),
  );
  const go = (changes) => {
    const params = new URLSearchParams(Object.entries({ ...filters, offset: 0, ...changes }).filter(([, v]) => v !== "" && v !== 0));
    location.hash = `#/alerts/list?${params}`;
  };
  form.addEventListener("change", () => form.requestSubmit());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    go({ status: data.get("status"), severity: data.get("severity"), rule: data.get("rule").trim().toUpperCase() });
  });
  const body = h("div", {}, spinner());
  replace(main, h("div", { class: "view" }, h("h1", { i18n: "alerts.title" }), form, body));

  const load = () =>
    api
      .alerts({ ...filters, sort: "severity", limit: PAGE, offset })
      .then((page) => {
        const open = (alert) => showAlert(side, alert.key, load);
        replace(
          body,
          page.items.length
            ? table(
                [
                  { key: "alerts.rule", cell: (a) => a.rule, class: "mono" },
                  { key: "alerts.title_col", cell: (a) => (currentLang() === "zh" ? a.title_zh : a.title) ?? a.title_zh ?? "" },
                  { key: "alerts.subject", cell: (a) => h("span", {}, riskBadge(a.subject_class), " ", enterpriseLink(a.subject, a.subject_name)) },
                  { key: "alerts.severity", cell: (a) => h("span", { class: `sev sev-${a.severity}`, i18n: `severity.${a.severity}` }) },
                  { key: "alerts.status", cell: (a) => h("span", { class: `status status-${a.status}`, i18n: `status.${a.status}` }) },
                  { key: "alerts.last_seen", cell: (a) => formatDate(a.last_seen) },
                ],
                page.items,
                { testid: "alerts", onRow: (a, event) => event.target.tagName !== "A" && open(a) },
              )
            : empty("alerts.none"),
          h(
            "div",
            { class: "pager" },
            offset > 0 ? h("button", { class: "link", i18n: "common.previous", onclick: () => go({ offset: Math.max(0, offset - PAGE) }) }) : null,
            page.next_offset !== null ? h("button", { class: "link", i18n: "common.next", onclick: () => go({ offset: page.next_offset }) }) : null,
          ),
        );
      })
      .catch((error) => replace(body, errorBlock(error)));
  load();
  return undefined;
}

export async function showAlert(side, key, refreshList) {
  replace(side, spinner());
  let alert;
  try {
    alert = await api.alert(key);
  } catch (error) {
    replace(side, errorBlock(error));
    return;
  }
  replace(side, alertDetail(alert, async (status, note) => {
    try {
      const updated = await api.setAlertStatus(key, status, note);
      notifyOk("alerts.changed", { status: t(`status.${updated.status}`) });
      refreshList();
      showAlert(side, key, refreshList);
    } catch (error) {
      notifyError(error);
    }
  }));
}

function alertDetail(a, change) {
  const target = h("select", { name: "status", "data-testid": "alert-new-status" },
    ...TRANSITIONS[a.status].map((s) => h("option", { value: s, i18n: `status.${s}` }))); // prettier-ignore
  const note = h("textarea", { name: "note", rows: 3, maxlength: 2000, i18nPlaceholder: "alerts.note_placeholder", "data-testid": "alert-note" });
  const form = h("form", { class: "status-form" }, h("label", {}, tx("alerts.new_status"), target), note,
    h("button", { type: "submit", class: "primary", i18n: "alerts.change", "data-testid": "alert-change" })); // prettier-ignore
  const syncRequired = () => (note.required = NOTE_REQUIRED.has(target.value));
  target.addEventListener("change", syncRequired);
  syncRequired();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    form.querySelector("button").disabled = true;
    change(target.value, note.value.trim() || null);
  });
  return h(
    "div",
    { class: "detail", "data-testid": "alert-detail", dataset: { key: a.key, status: a.status } },
    h("h2", { class: "detail-title" }, `${a.rule} · `, (currentLang() === "zh" ? a.title_zh : a.title) ?? ""),
    facts([
      ["alerts.subject", enterpriseLink(a.subject, a.subject_name)],
      ["alerts.severity", tx(`severity.${a.severity}`)],
      ["alerts.status", h("span", { class: `status status-${a.status}`, "data-testid": "alert-status", i18n: `status.${a.status}` })],
      ["alerts.first_seen", formatDate(a.first_seen)],
      ["alerts.last_seen", formatDate(a.last_seen)],
      ["alerts.note", a.note],
    ]),
    section("alerts.evidence", h("ul", { class: "evidence" }, ...a.evidence.map((item) => h("li", { class: "mono" }, item)))),
    section("alerts.change_title", form),
    section(
      "alerts.history",
      a.history.length
        ? table(
            [
              { key: "alerts.at", cell: (e) => formatDate(e.at) },
              { key: "alerts.from", cell: (e) => tx(`status.${e.from_status}`) },
              { key: "alerts.to", cell: (e) => tx(`status.${e.to_status}`) },
              { key: "alerts.note", cell: (e) => e.note ?? "" },
              { key: "alerts.actor", cell: (e) => e.actor ?? "", class: "mono" },
            ],
            a.history,
            { testid: "alert-history" },
          )
        : empty("alerts.no_history"),
    ),
  );
}
