// The investigator web app: sign-in, the shell (navigation, language, notices) and a
// hash router. Routes never carry the API key.
import { ApiError, api, onUnauthorised } from "./api.js";
import { h, replace, tx } from "./dom.js";
import { applyTo, currentLang, setLang, t } from "./i18n.js";
import { attachNotices, errorBlock, leavePage, notifyError } from "./notify.js";
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
import { renderConsole } from "./views/console.js";
import { renderSavedView, renderViews } from "./views/saved.js";

const root = document.getElementById("app");
let cleanup = null;
let shell = null;

// [href, i18n key, group]: entries of a group share one dropdown (nav.group.<group>);
// an entry without a group is a top-level link.
const NAV = [
  ["#/search", "nav.search"],
  ["#/paths", "nav.paths", "analysis"],
  ["#/clusters", "nav.clusters", "monitor"],
  ["#/alerts", "nav.alerts", "monitor"],
  ["#/screens", "nav.screens", "supervise"],
  ["#/dispatches", "nav.dispatches", "supervise"],
  ["#/overview", "nav.overview", "analysis"],
  ["#/model", "nav.model", "model"],
  ["#/lists", "nav.lists", "supervise"],
  ["#/repairs", "nav.repairs", "supervise"],
  ["#/changes", "nav.changes", "monitor"],
  ["#/views", "nav.views", "analysis"],
  ["#/console", "nav.console", "analysis"], // shown only to roles that may run Cypher (showConsoleLink)
];

function langToggle() {
  return h("button", {
    class: "lang", "data-testid": "lang-toggle", i18n: "app.other_lang",
    onclick: () => setLang(currentLang() === "zh" ? "en" : "zh"),
  }); // prettier-ignore
}

function signInScreen(message) {
  // Signing out changes the hash, and its hashchange may come after the form is shown:
  // a re-route while signed out keeps the form and what is typed in it.
  if (!message && root.querySelector(".signin-page")) return;
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
  const nav = h("nav", {}, ...navEntries(NAV));
  const header = h("header", {}, h("a", { class: "brand", href: "#/search", i18n: "app.title" }), nav,
    h("span", { class: "spacer" }), langToggle(),
    h("button", { class: "link", i18n: "signin.out", "data-testid": "sign-out", onclick: signOut })); // prettier-ignore
  replace(root, h("div", { class: "shell" }, header, notices, h("div", { class: "body" }, main, side)));
  showConsoleLink(nav);
  return { main, side, nav };
}

/** The console's nav link, for keys whose role may run Cypher (asked once per shell). */
function showConsoleLink(nav) {
  const link = nav.querySelector('a[data-nav="#/console"]');
  link.classList.add("hidden");
  api
    .get("/cypher/access")
    .then((access) => {
      link.classList.toggle("hidden", !access.allowed);
      nav.dataset.console = access.allowed ? "allowed" : "refused"; // the answer has come
    })
    .catch(() => {});
}

// Navigation groups (issue 17) {
const GROUP_ORDER = ["monitor", "supervise", "model", "analysis"];

/** Top-level links and one dropdown per group, groups in GROUP_ORDER (unknown ones last). */
function navEntries(entries) {
  const link = ([href, key]) => h("a", { href, i18n: key, dataset: { nav: href } });
  const groups = new Map();
  const top = [];
  for (const entry of entries) {
    if (!entry[2]) top.push(link(entry));
    else groups.set(entry[2], [...(groups.get(entry[2]) ?? []), entry]);
  }
  const rank = (g) => (GROUP_ORDER.includes(g) ? GROUP_ORDER.indexOf(g) : GROUP_ORDER.length);
  const dropdowns = [...groups.keys()].sort((a, b) => rank(a) - rank(b)).map((group) => {
    const menu = h("div", { class: "nav-menu", role: "menu", hidden: true }, ...groups.get(group).map(link));
    const button = h("button", { type: "button", class: "nav-group-button", "aria-haspopup": "true", "aria-expanded": "false",
      "data-testid": `nav-group-${group}` }, tx(`nav.group.${group}`), " ▾"); // prettier-ignore
    const box = h("div", { class: "nav-group", dataset: { group } }, button, menu);
    const open = (yes) => {
      menu.hidden = !yes;
      button.setAttribute("aria-expanded", String(yes));
    };
    button.addEventListener("click", (event) => {
      event.stopPropagation();
      const opening = menu.hidden;
      for (const other of document.querySelectorAll("header .nav-menu")) other.hidden = true;
      open(opening);
    });
    menu.addEventListener("click", () => open(false));
    document.addEventListener("click", () => open(false));
    document.addEventListener("keydown", (event) => event.key === "Escape" && open(false));
    return box;
  });
  return [...top, ...dropdowns];
}

/** Marks the link of the page shown, and its group. */
function markActive(nav, section) {
  for (const link of nav.querySelectorAll("a")) link.classList.toggle("active", link.dataset.nav === `#/${section}`);
  for (const group of nav.querySelectorAll(".nav-group")) group.classList.toggle("active", !!group.querySelector("a.active"));
}
// }

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
  markActive(nav, parts[0] === "enterprises" ? "overview" : parts[0] ?? "search"); // a list opens from the overview
  leavePage();
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
    else if (head === "console") cleanup = renderConsole(main, side);
    else if (head === "views" && id) cleanup = renderSavedView(main, side, id);
    else if (head === "views") cleanup = renderViews(main);
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
