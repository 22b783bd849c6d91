// Credit repair (信用修复): the queue (C and D firms first), an application form that
// picks the firm's repairable violations, review and decision with reasons, the class
// before and after, and the counts per month. The server checks statuses and roles.
import { api } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { formatDate } from "../i18n.js";
import { errorBlock, notifyError, notifyOk } from "../notify.js";
import { empty, enterpriseLink, facts, riskBadge, section } from "./common.js";

const PAGE = 50;
const STATUSES = ["submitted", "reviewed", "approved", "rejected"];
const enc = encodeURIComponent;

export function renderRepairs(main, side, query) {
  const offset = Number(query.offset ?? 0);
  const filters = { status: query.status ?? "", class: query.class ?? "", month: query.month ?? "" };
  const go = (changes) => {
    const params = new URLSearchParams(Object.entries({ ...filters, offset: 0, ...changes }).filter(([, v]) => v !== "" && v !== 0));
    location.hash = `#/repairs?${params}`;
  };
  const form = h("form", { class: "filters" },
    h("label", {}, tx("repairs.status"), h("select", { name: "status", "data-testid": "filter-status" }, h("option", { value: "", i18n: "common.all" }),
      ...STATUSES.map((s) => h("option", { value: s, selected: filters.status === s, i18n: `repairs.status_${s}` })))),
    h("label", {}, tx("repairs.class"), h("select", { name: "class", "data-testid": "filter-class" }, h("option", { value: "", i18n: "common.all" }),
      ...["A", "B", "C", "D"].map((c) => h("option", { value: c, selected: filters.class === c }, c)))),
    h("label", {}, tx("repairs.month"), h("input", { name: "month", type: "month", value: filters.month })),
    h("button", { type: "submit", class: "secondary", i18n: "common.apply" })); // prettier-ignore
  form.addEventListener("change", () => form.requestSubmit());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    go({ status: data.get("status"), class: data.get("class"), month: data.get("month") });
  });
  const body = h("div", {}, spinner());
  const stats = h("div", {}, spinner());
  const load = () => {
    api
      .get("/repairs", { ...filters, limit: PAGE, offset })
      .then((page) => replace(body, queueTable(page, side, load), pager(page, offset, go)))
      .catch((error) => replace(body, errorBlock(error)));
    api
      .get("/repairs/stats")
      .then((rows) => replace(stats, statsTable(rows)))
      .catch((error) => replace(stats, errorBlock(error)));
  };
  replace(
    main,
    h(
      "div",
      { class: "view", "data-testid": "repairs-view" },
      h("h1", { i18n: "repairs.title" }),
      h("p", { class: "hint", i18n: "repairs.hint" }),
      form,
      body,
      section("repairs.apply_title", applyForm(side, load)),
      section("repairs.stats_title", stats),
    ),
  );
  load();
  return undefined;
}

const statusBadge = (s) => h("span", { class: `status status-${s}`, i18n: `repairs.status_${s}` });

function queueTable(page, side, reload) {
  if (!page.items.length) return empty("repairs.none");
  return table(
    [
      { key: "repairs.id", cell: (r) => r.rid, class: "mono" },
      { key: "repairs.firm", cell: (r) => enterpriseLink(r.uscc, r.name) },
      { key: "repairs.class", cell: (r) => riskBadge(r.current_class) },
      { key: "repairs.status", cell: (r) => statusBadge(r.status) },
      { key: "repairs.violations", cell: (r) => String(r.violations.length) },
      { key: "repairs.applied_at", cell: (r) => formatDate(r.applied_at) },
    ],
    page.items,
    { testid: "repairs", onRow: (r, event) => event.target.tagName !== "A" && showRepair(side, r.rid, reload) },
  );
}

function pager(page, offset, go) {
  return h(
    "div",
    { class: "pager" },
    offset > 0 ? h("button", { class: "link", i18n: "common.previous", onclick: () => go({ offset: Math.max(0, offset - PAGE) }) }) : null,
    page.next_offset !== null ? h("button", { class: "link", i18n: "common.next", onclick: () => go({ offset: page.next_offset }) }) : null,
  );
}

function statsTable(rows) {
  if (!rows.length) return empty("repairs.no_stats");
  return table(
    [
      { key: "repairs.month", cell: (m) => m.month },
      { key: "repairs.received", cell: (m) => String(m.received), class: "num" },
      { key: "repairs.status_approved", cell: (m) => String(m.approved), class: "num" },
      { key: "repairs.status_rejected", cell: (m) => String(m.rejected), class: "num" },
      { key: "repairs.pending", cell: (m) => String(m.pending), class: "num" },
    ],
    rows,
    { testid: "repair-stats" },
  );
}

function applyForm(side, reload) {
  const uscc = h("input", { name: "uscc", required: true, maxlength: 64, size: 22, i18nPlaceholder: "repairs.uscc", "data-testid": "apply-uscc" });
  const picks = h("div", { class: "violation-picks", "data-testid": "apply-violations" });
  const reason = h("textarea", { name: "reason", rows: 3, maxlength: 2000, required: true, i18nPlaceholder: "repairs.reason", "data-testid": "apply-reason" });
  const submit = h("button", { type: "submit", class: "primary", i18n: "repairs.apply", disabled: true, "data-testid": "apply-go" });
  const find = h("button", { type: "button", class: "secondary", i18n: "repairs.find", "data-testid": "apply-find" });
  find.addEventListener("click", async () => {
    replace(picks, spinner());
    try {
      const firm = await api.get(`/repairs/violations/${enc(uscc.value.trim().toUpperCase())}`);
      const boxes = firm.violations.map((v) =>
        h("label", { class: v.repairable ? "" : "muted" },
          h("input", { type: "checkbox", name: "violation", value: v.vid, disabled: !v.repairable }),
          ` ${v.kind ?? ""} ${v.case_no ?? v.vid} · ${v.date ?? ""} · ${v.status ?? ""}`)); // prettier-ignore
      replace(picks, h("p", { class: "hint" }, firm.name ?? firm.uscc, " ", riskBadge(firm.current_class)), ...(boxes.length ? boxes : [empty("repairs.no_violations")]));
      submit.disabled = !firm.violations.some((v) => v.repairable);
    } catch (error) {
      replace(picks, errorBlock(error));
      submit.disabled = true;
    }
  });
  const form = h("form", { class: "status-form", "data-testid": "apply-form" }, h("div", { class: "filters" }, uscc, find), picks, reason, submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const violations = [...picks.querySelectorAll("input[name=violation]:checked")].map((box) => box.value);
    try {
      const made = await api.post("/repairs", { uscc: uscc.value.trim().toUpperCase(), violations, reason: reason.value.trim() });
      notifyOk("repairs.applied", { rid: made.rid });
      form.reset();
      replace(picks);
      submit.disabled = true;
      reload();
      showRepair(side, made.rid, reload);
    } catch (error) {
      notifyError(error);
    }
  });
  return form;
}

async function showRepair(side, rid, reload) {
  replace(side, spinner());
  let r;
  try {
    r = await api.get(`/repairs/${enc(rid)}`);
  } catch (error) {
    replace(side, errorBlock(error));
    return;
  }
  const act = async (path, body, key) => {
    try {
      await api.post(`/repairs/${enc(rid)}:${path}`, body);
      notifyOk(key);
      reload();
      showRepair(side, rid, reload);
    } catch (error) {
      notifyError(error);
    }
  };
  replace(
    side,
    h(
      "div",
      { class: "detail", "data-testid": "repair-detail", dataset: { rid: r.rid, status: r.status } },
      h("h2", { class: "detail-title" }, r.name ?? r.uscc),
      facts([
        ["repairs.id", h("span", { class: "mono" }, r.rid)],
        ["repairs.status", h("span", { "data-testid": "repair-status" }, statusBadge(r.status))],
        ["repairs.firm", enterpriseLink(r.uscc, r.name)],
        ["repairs.reason", r.reason],
        ["repairs.applicant", `${r.applicant} · ${formatDate(r.applied_at)}`],
        ["repairs.class_at_application", r.class_at_application],
        ["repairs.opinion", r.review_opinion ? `${r.review_opinion} (${r.reviewer})` : null],
        ["repairs.decision", r.decision_reasons ? `${r.decision_reasons} (${r.decider})` : null],
        ["repairs.before_after", r.class_before ? h("span", { "data-testid": "repair-classes" }, riskBadge(r.class_before), " → ", r.class_after ? riskBadge(r.class_after) : "—") : null],
        ["repairs.rescore", r.rescore],
      ]),
      section(
        "repairs.violations",
        table(
          [
            { key: "repairs.kind", cell: (v) => v.kind ?? "" },
            { key: "repairs.case_no", cell: (v) => v.case_no ?? v.vid, class: "mono" },
            { key: "repairs.date", cell: (v) => v.date ?? "" },
            { key: "repairs.violation_status", cell: (v) => v.status ?? "" },
          ],
          r.items ?? [],
          { testid: "repair-violations" },
        ),
      ),
      r.status === "submitted" ? section("repairs.review_title", textForm("opinion", "repairs.opinion", "review", (text) => act("review", { opinion: text }, "repairs.reviewed"))) : null,
      r.status === "reviewed" ? section("repairs.decide_title", decideForm((decision, reasons) => act("decide", { decision, reasons }, "repairs.decided"))) : null,
    ),
  );
}

function textForm(name, placeholder, testid, send) {
  const text = h("textarea", { name, rows: 3, maxlength: 2000, required: true, i18nPlaceholder: placeholder, "data-testid": `${testid}-text` });
  const form = h("form", { class: "status-form" }, text, h("button", { type: "submit", class: "primary", i18n: `repairs.${testid}`, "data-testid": `${testid}-go` }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    form.querySelector("button").disabled = true;
    send(text.value.trim());
  });
  return form;
}

function decideForm(send) {
  const decision = h("select", { name: "decision", "data-testid": "decide-choice" },
    h("option", { value: "approve", i18n: "repairs.approve" }), h("option", { value: "reject", i18n: "repairs.reject" })); // prettier-ignore
  const reasons = h("textarea", { name: "reasons", rows: 3, maxlength: 2000, required: true, i18nPlaceholder: "repairs.reasons", "data-testid": "decide-text" });
  const form = h("form", { class: "status-form" }, decision, reasons, h("button", { type: "submit", class: "primary", i18n: "repairs.decide", "data-testid": "decide-go" }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    form.querySelector("button").disabled = true;
    send(decision.value, reasons.value.trim());
  });
  return form;
}
