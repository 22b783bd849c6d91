// Managed lists (名单管理): whitelist and sandbox tabs, add a firm with a reason and
// expiry, take one off with a reason, a firm's history, and the exit sweep with who
// left and why. The server checks roles and rules again (analysts change the lists).
import { api } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { errorBlock, notifyError, notifyOk } from "../notify.js";
import { empty, enterpriseLink, facts, riskBadge, section } from "./common.js";

const PAGE = 50;
const LISTS = ["whitelist", "sandbox"];
const enc = encodeURIComponent;

export function renderLists(main, side, query) {
  const list = LISTS.includes(query.list) ? query.list : "whitelist";
  const status = query.status === "exited" ? "exited" : "active";
  const offset = Number(query.offset ?? 0);
  const go = (changes) => {
    const params = new URLSearchParams(Object.entries({ list, status, offset: 0, ...changes }).filter(([, v]) => v !== "" && v !== 0));
    location.hash = `#/lists?${params}`;
  };
  const tabs = h("div", { class: "tabs", role: "tablist" },
    ...LISTS.map((name) => h("a", { href: `#/lists?list=${name}`, role: "tab", class: name === list ? "active" : "",
      "aria-selected": String(name === list), i18n: `lists.${name}`, "data-testid": `tab-${name}` }))); // prettier-ignore
  const statusSelect = h("select", { name: "status", "data-testid": "lists-status", onchange: (e) => go({ status: e.target.value }) },
    ...["active", "exited"].map((s) => h("option", { value: s, selected: s === status, i18n: `lists.status_${s}` }))); // prettier-ignore
  const body = h("div", {}, spinner());
  const sweepOut = h("div", { "data-testid": "sweep-result" });
  let asked = 0; // a reload after a change overtakes the answer still on its way
  const load = () => {
    const mine = ++asked;
    const latest = (draw) => (value) => mine === asked && draw(value);
    return api
      .get(`/lists/${list}`, { status, limit: PAGE, offset })
      .then(latest((page) => replace(body, entriesTable(page, list, status, side, load), pager(page, offset, go))))
      .catch(latest((error) => replace(body, errorBlock(error))));
  };
  replace(
    main,
    h(
      "div",
      { class: "view", "data-testid": "lists-view", dataset: { list } },
      h("h1", { i18n: "lists.title" }),
      tabs,
      h("p", { class: "hint", i18n: `lists.hint_${list}` }),
      h("div", { class: "filters" }, h("label", {}, tx("lists.status"), statusSelect)),
      body,
      section("lists.add_title", addForm(list, load)),
      section("lists.history_title", historyForm(side)),
      section("lists.sweep_title", sweepButton(sweepOut, load), sweepOut),
    ),
  );
  load();
  return undefined;
}

function entriesTable(page, list, status, side, reload) {
  if (!page.items.length) return empty("lists.none");
  const columns = [
    { key: "lists.firm", cell: (e) => enterpriseLink(e.uscc, e.name) },
    { key: "lists.class", cell: (e) => riskBadge(e.risk_class ?? e.label_class, { scored: e.risk_class != null }) },
    { key: "lists.reason", cell: (e) => e.reason },
    { key: "lists.entered", cell: (e) => `${e.entered_on} · ${e.entered_by}` },
    { key: "lists.expires", cell: (e) => e.expires_on ?? "" },
  ];
  if (status === "exited") {
    columns.push({ key: "lists.exit", cell: (e) => `${e.exited_on} · ${e.exited_by}: ${e.exit_reason}` });
  } else {
    columns.push({
      key: "lists.actions",
      cell: (e) => h("button", { class: "link", i18n: "lists.exit_action", "data-testid": "exit-open", onclick: () => replace(side, exitForm(list, e, side, reload)) }),
    });
  }
  return table(columns, page.items, { testid: "list-entries" });
}

function pager(page, offset, go) {
  return h(
    "div",
    { class: "pager" },
    offset > 0 ? h("button", { class: "link", i18n: "common.previous", onclick: () => go({ offset: Math.max(0, offset - PAGE) }) }) : null,
    page.next_offset !== null ? h("button", { class: "link", i18n: "common.next", onclick: () => go({ offset: page.next_offset }) }) : null,
  );
}

function addForm(list, reload) {
  const uscc = h("input", { name: "uscc", required: true, maxlength: 64, size: 22, i18nPlaceholder: "lists.uscc", "data-testid": "add-uscc" });
  const reason = h("input", { name: "reason", required: true, maxlength: 500, size: 40, i18nPlaceholder: "lists.reason", "data-testid": "add-reason" });
  const expires = h("input", { name: "expires_on", type: "date", "data-testid": "add-expires" });
  const form = h("form", { class: "filters", "data-testid": "add-form" }, uscc, reason,
    h("label", {}, tx(list === "sandbox" ? "lists.expires_sandbox" : "lists.expires_optional"), expires),
    h("button", { type: "submit", class: "primary", i18n: "lists.add", "data-testid": "add-go" })); // prettier-ignore
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { uscc: uscc.value.trim().toUpperCase(), reason: reason.value.trim(), expires_on: expires.value || null };
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true; // one entry per click
    try {
      await api.post(`/lists/${list}`, body);
      notifyOk("lists.added", { uscc: body.uscc });
      form.reset();
      reload();
    } catch (error) {
      notifyError(error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function exitForm(list, entry, side, reload) {
  const reason = h("textarea", { name: "reason", rows: 3, maxlength: 500, required: true, i18nPlaceholder: "lists.exit_reason", "data-testid": "exit-reason" });
  const form = h("form", { class: "status-form" }, reason, h("button", { type: "submit", class: "primary", i18n: "lists.exit_action", "data-testid": "exit-go" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api.post(`/lists/${list}/${enc(entry.uscc)}:exit`, { reason: reason.value.trim() });
      notifyOk("lists.exited", { uscc: entry.uscc });
      reload();
      showHistory(side, entry.uscc);
    } catch (error) {
      notifyError(error);
    }
  });
  return h("div", { class: "detail", "data-testid": "exit-panel" },
    h("h2", { class: "detail-title" }, entry.name ?? entry.uscc),
    facts([["lists.reason", entry.reason], ["lists.entered", `${entry.entered_on} · ${entry.entered_by}`], ["lists.expires", entry.expires_on]]),
    section("lists.exit_title", form)); // prettier-ignore
}

function historyForm(side) {
  const uscc = h("input", { name: "uscc", required: true, maxlength: 64, size: 22, i18nPlaceholder: "lists.uscc", "data-testid": "history-uscc" });
  const form = h("form", { class: "filters" }, uscc, h("button", { type: "submit", class: "secondary", i18n: "lists.show_history", "data-testid": "history-go" }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    showHistory(side, uscc.value.trim().toUpperCase());
  });
  return form;
}

async function showHistory(side, uscc) {
  replace(side, spinner());
  try {
    const answer = await api.get(`/lists/history/${enc(uscc)}`);
    replace(side, h("div", { class: "detail", "data-testid": "list-history" },
      h("h2", { class: "detail-title" }, tx("lists.history_title"), ` ${answer.uscc}`),
      answer.entries.length
        ? table([
            { key: "lists.list", cell: (e) => tx(`lists.${e.list}`) },
            { key: "lists.entered", cell: (e) => `${e.entered_on} · ${e.entered_by}: ${e.reason}` },
            { key: "lists.exit", cell: (e) => (e.status === "exited" ? `${e.exited_on} · ${e.exited_by}: ${e.exit_reason}` : tx("lists.status_active")) },
          ], answer.entries, { testid: "history-entries" })
        : empty("lists.no_history"))); // prettier-ignore
  } catch (error) {
    replace(side, errorBlock(error));
  }
}

function sweepButton(out, reload) {
  const button = h("button", { class: "secondary", i18n: "lists.sweep", "data-testid": "sweep-go" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const report = await api.post("/lists:sweep", {});
      replace(out, h("p", { class: "hint", "data-testid": "sweep-summary" }, tx("lists.swept", { checked: report.checked, exited: report.exited })),
        report.exits.length ? table([
          { key: "lists.list", cell: (e) => tx(`lists.${e.list}`) },
          { key: "lists.firm", cell: (e) => enterpriseLink(e.uscc) },
          { key: "lists.rule", cell: (e) => tx(`lists.rule_${e.rule}`) },
          { key: "lists.evidence", cell: (e) => e.evidence.join("; "), class: "mono" },
        ], report.exits, { testid: "sweep-exits" }) : null); // prettier-ignore
      reload();
    } catch (error) {
      notifyError(error);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}
