// The investigator web app: sign-in, the shell (navigation, language, notices) and a
// hash router. Routes never carry the API key.
import { ApiError, api, onUnauthorised } from "./api.js";
import { h, replace, tx } from "./dom.js";
import { applyTo, currentLang, setLang, t } from "./i18n.js";
import { attachNotices, errorBlock, notifyError } from "./notify.js";
import { session } from "./session.js";
import { renderAlerts } from "./views/alerts.js";
import { renderCases } from "./views/cases.js";
import { renderDispatches } from "./views/dispatches.js";
import { renderCluster, renderClusters } from "./views/clusters.js";
import { renderEnterpriseList } from "./views/list.js";
import { renderModelHealth } from "./views/model_health.js";
import { renderLists } from "./views/lists.js";
import { renderRepairs } from "./views/repairs.js";
import { renderOverview } from "./views/overview.js";
import { renderPaths } from "./views/paths.js";
import { renderRelations } from "./views/relations.js";
import { renderScreens } from "./views/screens.js";
import * as search from "./views/search.js";
import { renderTree } from "./views/tree.js";
import { renderChanges } from "./views/changes.js";

const root = document.getElementById("app");
let cleanup = null;
let shell = null;

const NAV = [
  ["#/search", "nav.search"],
  ["#/paths", "nav.paths"],
  ["#/clusters", "nav.clusters"],
  ["#/alerts", "nav.alerts"],
  ["#/screens", "nav.screens"],
  ["#/dispatches", "nav.dispatches"],
  ["#/overview", "nav.overview"],
  ["#/model", "nav.model"],
  ["#/lists", "nav.lists"],
  ["#/repairs", "nav.repairs"],
  ["#/changes", "nav.changes"],
];

function langToggle() {
  return h("button", {
    class: "lang", "data-testid": "lang-toggle", i18n: "app.other_lang",
    onclick: () => setLang(currentLang() === "zh" ? "en" : "zh"),
  }); // prettier-ignore
}

function signInScreen(message) {
  const input = h("input", { type: "password", name: "key", autocomplete: "off", required: true, spellcheck: "false",
    i18nPlaceholder: "signin.placeholder", "data-testid": "key-input" }); // prettier-ignore
  const status = h("div", { class: "signin-status" }, message ?? null);
  const form = h("form", { class: "signin", "data-testid": "signin" }, h("h1", { i18n: "app.title" }),
    h("p", { class: "hint", i18n: "signin.hint" }), input,
    h("button", { type: "submit", class: "primary", i18n: "signin.go", "data-testid": "signin-go" }), status, langToggle()); // prettier-ignore
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    form.querySelector("button[type=submit]").disabled = true;
    try {
      await api.check(key);
      session.signIn(key);
      input.value = "";
      start();
    } catch (error) {
      replace(status, errorBlock(error));
      form.querySelector("button[type=submit]").disabled = false;
    }
  });
  shell = null;
  cleanup?.();
  cleanup = null;
  replace(root, h("div", { class: "signin-page" }, form));
  input.focus();
}

function buildShell() {
  const notices = h("div", { class: "notices", "aria-live": "polite" });
  attachNotices(notices);
  const main = h("main", { id: "view" });
  const side = h("aside", { id: "side", "data-testid": "side" }, h("p", { class: "hint", i18n: "side.empty" }));
  const nav = h("nav", {}, ...NAV.map(([href, key]) => h("a", { href, i18n: key, dataset: { nav: href } })));
  const header = h("header", {}, h("a", { class: "brand", href: "#/search", i18n: "app.title" }), nav,
    h("span", { class: "spacer" }), langToggle(),
    h("button", { class: "link", i18n: "signin.out", "data-testid": "sign-out", onclick: signOut })); // prettier-ignore
  replace(root, h("div", { class: "shell" }, header, notices, h("div", { class: "body" }, main, side)));
  return { main, side, nav };
}

function signOut() {
  session.signOut();
  location.hash = "";
  signInScreen();
}

function parse(hash) {
  const [path, search] = (hash.replace(/^#/, "") || "/search").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { parts, query: Object.fromEntries(new URLSearchParams(search ?? "")) };
}

function route() {
  if (!session.key()) return signInScreen();
  if (!shell) shell = buildShell();
  const { main, side, nav } = shell;
  const { parts, query } = parse(location.hash);
  cleanup?.();
  cleanup = null;
  if (parts[0] !== "enterprise") replace(side, h("p", { class: "hint", i18n: "side.empty" }));
  for (const link of nav.querySelectorAll("a")) {
    const section = parts[0] === "enterprises" ? "overview" : parts[0] ?? "search"; // a list opens from the overview
    link.classList.toggle("active", link.dataset.nav === `#/${section}`);
  }
  try {
    const [head, id, tab] = parts;
    if (head === "enterprise" && id) cleanup = renderEnterprise(main, side, id, tab, query);
    else if (head === "paths") cleanup = renderPaths(main, side, query);
    else if (head === "clusters" && id) cleanup = renderCluster(main, side, id);
    else if (head === "clusters") cleanup = renderClusters(main);
    else if (head === "alerts" && id === "list") cleanup = renderAlerts(main, side, query);
    else if (head === "alerts") cleanup = renderCases(main, side, query);
    else if (head === "screens") cleanup = renderScreens(main);
    else if (head === "dispatches") cleanup = renderDispatches(main, side, id, query);
    else if (head === "overview") cleanup = renderOverview(main, query);
    else if (head === "enterprises") cleanup = renderEnterpriseList(main, query);
    else if (head === "model") cleanup = renderModelHealth(main, query);
    else if (head === "lists") cleanup = renderLists(main, side, query);
    else if (head === "repairs") cleanup = renderRepairs(main, side, query);
    else if (head === "changes") cleanup = renderChanges(main, query);
    else search.render(main, { query });
  } catch (error) {
    notifyError(error);
  }
  applyTo(root);
}

function renderEnterprise(main, side, uscc, tab, query) {
  const tabs = h("div", { class: "tabs", role: "tablist" },
    ...[["tree", "nav.tree"], ["graph", "nav.graph"]].map(([name, key]) =>
      h("a", { href: `#/enterprise/${encodeURIComponent(uscc)}/${name}`, role: "tab", class: (tab ?? "tree") === name ? "active" : "",
        "aria-selected": String((tab ?? "tree") === name), i18n: key, "data-testid": `tab-${name}` }))); // prettier-ignore
  const body = h("div", { class: "tab-body" });
  replace(main, h("div", { class: "enterprise-view" }, h("div", { class: "crumb" }, tx("enterprise.title"), h("span", { class: "mono" }, ` ${uscc}`)), tabs, body));
  return tab === "graph" ? renderRelations(body, side, uscc) : renderTree(body, side, uscc, query);
}

function start() {
  performance.mark("rg:shell");
  route();
}

onUnauthorised(() => signInScreen(h("div", { class: "error-block", role: "alert" }, tx("errors.401"))));
window.addEventListener("hashchange", route);
window.addEventListener("unhandledrejection", (event) => {
  if (!(event.reason instanceof ApiError)) return; // a bug: leave it on the console
  event.preventDefault();
  notifyError(event.reason);
});
document.documentElement.lang = currentLang() === "zh" ? "zh-CN" : "en";
document.title = t("app.title");
start();
