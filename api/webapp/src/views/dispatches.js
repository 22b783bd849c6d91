// Dispatch batches (派发批次): create a batch from the active alerts with thresholds, see
// every batch with its task counts per status, open a batch's tasks (with firm names)
// and move a task along 待签收 → 处理中 → 已办结 / 退回 with a note.
import { api } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { formatDate, t } from "../i18n.js";
import { errorBlock, notifyError, notifyOk } from "../notify.js";
import { empty, enterpriseLink, facts, section } from "./common.js";

const PAGE = 50;
const STATUSES = ["待签收", "处理中", "已办结", "退回"];
/** The server's rules (riskgraph.analytics.dispatch.TASK_TRANSITIONS); it checks them again. */
const TRANSITIONS = { 待签收: ["处理中", "退回"], 处理中: ["已办结", "退回"], 退回: ["待签收"], 已办结: ["处理中"] };
const NOTE_REQUIRED = new Set(["已办结", "退回"]);
const SEVERITIES = ["high", "medium", "low"];

const statusBadge = (status, testid) =>
  h("span", { class: "status", "data-testid": testid, i18n: `dispatch.status.${status}` });
const counts = (c) =>
  h("span", { class: "counts" }, ...STATUSES.map((s) => h("span", { class: "count", dataset: { status: s } }, `${t(`dispatch.status.${s}`)} ${c[s] ?? 0} `)));

export function renderDispatches(main, side, id, query) {
  if (id) return renderBatch(main, side, id, query);
  const body = h("div", {}, spinner());
  replace(main, h("div", { class: "view" }, h("h1", { i18n: "dispatch.title" }), createForm(), body));
  api
    .dispatches({ limit: PAGE, offset: Number(query.offset ?? 0) })
    .then((page) =>
      replace(
        body,
        page.items.length
          ? table(
              [
                { key: "dispatch.batch", cell: (b) => h("a", { href: `#/dispatches/${b.bid}`, class: "mono" }, b.bid) },
                { key: "dispatch.created", cell: (b) => formatDate(b.created_at) },
                { key: "dispatch.due", cell: (b) => b.due },
                { key: "dispatch.tasks", cell: (b) => String(b.tasks) },
                { key: "dispatch.counts", cell: (b) => counts(b.counts) },
              ],
              page.items,
              { testid: "batches" },
            )
          : empty("dispatch.none"),
      ),
    )
    .catch((error) => replace(body, errorBlock(error)));
  return undefined;
}

function createForm() {
  const severity = h("select", { name: "severity_at_least", "data-testid": "dispatch-severity" },
    ...SEVERITIES.map((s) => h("option", { value: s, i18n: `severity.${s}` }))); // prettier-ignore
  const form = h(
    "form",
    { class: "filters", "data-testid": "dispatch-form" },
    h("label", {}, tx("dispatch.rules"), h("input", { name: "rules", size: 12, placeholder: "R02,R15", pattern: "(R\\d{2,3})(,R\\d{2,3})*" })),
    h("label", {}, tx("dispatch.region"), h("input", { name: "region", size: 6, placeholder: "5101", pattern: "\\d{1,6}" })),
    h("label", {}, tx("dispatch.severity_at_least"), severity),
    h("label", {}, tx("dispatch.min_alerts_in_region"), h("input", { name: "min_alerts_in_region", type: "number", min: 1, max: 100000, value: 5, "data-testid": "dispatch-min" })),
    h("button", { type: "submit", class: "primary", i18n: "dispatch.create", "data-testid": "dispatch-create" }),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const rules = String(data.get("rules")).trim().toUpperCase();
    const body = {
      severity_at_least: data.get("severity_at_least"),
      min_alerts_in_region: Number(data.get("min_alerts_in_region")),
      ...(rules ? { rules: rules.split(",") } : {}),
      ...(String(data.get("region")).trim() ? { region: String(data.get("region")).trim() } : {}),
    };
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true; // one batch per click
    try {
      const created = await api.createDispatch(body);
      notifyOk("dispatch.created_n", { tasks: created.tasks });
      location.hash = `#/dispatches/${created.batch.bid}`;
    } catch (error) {
      notifyError(error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function renderBatch(main, side, bid, query) {
  const offset = Number(query.offset ?? 0);
  const status = query.status ?? "";
  const body = h("div", {}, spinner());
  const filter = h("select", { name: "status", "data-testid": "task-filter" }, h("option", { value: "", i18n: "common.all" }),
    ...STATUSES.map((s) => h("option", { value: s, selected: s === status, i18n: `dispatch.status.${s}` }))); // prettier-ignore
  filter.addEventListener("change", () => (location.hash = `#/dispatches/${bid}${filter.value ? `?status=${encodeURIComponent(filter.value)}` : ""}`));
  replace(main, h("div", { class: "view" }, h("h1", {}, tx("dispatch.batch"), " ", h("span", { class: "mono" }, bid)),
    h("p", {}, h("a", { href: "#/dispatches", i18n: "dispatch.back" })), h("label", {}, tx("dispatch.filter"), filter), body)); // prettier-ignore
  const load = () =>
    api
      .dispatch(bid, { limit: PAGE, offset, ...(status ? { status } : {}) })
      .then((detail) => {
        const open = (task) => showTask(side, bid, task, load);
        replace(
          body,
          facts([
            ["dispatch.created", formatDate(detail.batch.created_at)],
            ["dispatch.created_by", detail.batch.created_by],
            ["dispatch.due", detail.batch.due],
            ["dispatch.counts", h("span", { "data-testid": "batch-counts" }, counts(detail.batch.counts))],
          ]),
          detail.tasks.length
            ? table(
                [
                  { key: "dispatch.task", cell: (x) => x.tid.slice(-5), class: "mono" },
                  { key: "dispatch.firm", cell: (x) => enterpriseLink(x.uscc, x.firm_name) },
                  { key: "dispatch.unit", cell: (x) => x.unit_name ?? "" },
                  { key: "dispatch.rules", cell: (x) => x.rules.join(", "), class: "mono" },
                  { key: "dispatch.status_col", cell: (x) => statusBadge(x.status) },
                  { key: "dispatch.note", cell: (x) => x.note ?? "" },
                ],
                detail.tasks,
                { testid: "tasks", onRow: (x, event) => event.target.tagName !== "A" && open(x) },
              )
            : empty("dispatch.no_tasks"),
          h(
            "div",
            { class: "pager" },
            offset > 0 ? h("a", { href: `#/dispatches/${bid}?offset=${Math.max(0, offset - PAGE)}`, i18n: "common.previous" }) : null,
            detail.next_offset !== null ? h("a", { href: `#/dispatches/${bid}?offset=${detail.next_offset}`, i18n: "common.next" }) : null,
          ),
        );
      })
      .catch((error) => replace(body, errorBlock(error)));
  load();
  return undefined;
}

function showTask(side, bid, task, refresh) {
  const target = h("select", { name: "status", "data-testid": "task-new-status" },
    ...TRANSITIONS[task.status].map((s) => h("option", { value: s, i18n: `dispatch.status.${s}` }))); // prettier-ignore
  const note = h("textarea", { name: "note", rows: 3, maxlength: 2000, i18nPlaceholder: "dispatch.note_placeholder", "data-testid": "task-note" });
  const form = h("form", { class: "status-form" }, h("label", {}, tx("dispatch.new_status"), target), note,
    h("button", { type: "submit", class: "primary", i18n: "dispatch.change", "data-testid": "task-change" })); // prettier-ignore
  const syncRequired = () => (note.required = NOTE_REQUIRED.has(target.value));
  target.addEventListener("change", syncRequired);
  syncRequired();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    form.querySelector("button").disabled = true;
    try {
      const updated = await api.setTaskStatus(bid, task.tid, target.value, note.value.trim() || null);
      notifyOk("dispatch.changed", { status: t(`dispatch.status.${updated.status}`) });
      refresh();
      showTask(side, bid, updated, refresh);
    } catch (error) {
      notifyError(error);
      form.querySelector("button").disabled = false;
    }
  });
  replace(
    side,
    h(
      "div",
      { class: "detail", "data-testid": "task-detail", dataset: { tid: task.tid, status: task.status } },
      h("h2", { class: "detail-title" }, task.firm_name ?? task.uscc),
      facts([
        ["dispatch.firm", enterpriseLink(task.uscc, task.firm_name)],
        ["dispatch.unit", task.unit_name],
        ["dispatch.status_col", statusBadge(task.status, "task-status")],
        ["dispatch.rules", task.rules.join(", ")],
        ["dispatch.note", task.note],
      ]),
      section("dispatch.alerts", h("ul", { class: "evidence" }, ...task.alerts.map((key) => h("li", { class: "mono" }, key)))),
      TRANSITIONS[task.status].length ? section("dispatch.change_title", form) : null,
    ),
  );
}
