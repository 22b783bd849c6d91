// Search (检索): any part of a firm's name, a USCC, an address or (roles that see persons)
// a person's name; each hit shows its kind, class, score, region and status. The box
// proposes matches while typing (src/autocomplete.js).
import { api } from "../api.js";
import { autocomplete } from "../autocomplete.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { errorBlock } from "../notify.js";
import { empty, enterpriseLink, riskBadge } from "./common.js";

const LIMIT = 50;
const KINDS = ["", "enterprise", "person", "address"];

export function render(main, { query }) {
  const input = h("input", {
    type: "search", name: "q", value: query.q ?? "", autocomplete: "off", required: true,
    maxlength: 100, i18nPlaceholder: "search.placeholder", "data-testid": "search-input",
  }); // prettier-ignore
  const kind = h("select", { name: "kind", "data-testid": "search-kind" },
    ...KINDS.map((k) => h("option", { value: k, selected: k === (query.kind ?? ""), i18n: `search.kind_${k || "all"}` }))); // prettier-ignore
  const results = h("div", { class: "results", "data-testid": "search-results" });
  const form = h(
    "form",
    { class: "search-form", role: "search" },
    input,
    kind,
    h("button", { type: "submit", class: "primary", i18n: "search.go", "data-testid": "search-go" }),
  );
  const go = (q, k) => {
    location.hash = `#/search?${new URLSearchParams(k ? { q, kind: k } : { q })}`;
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (q) go(q, kind.value);
  });
  replace(main, h("div", { class: "view search-view" }, h("h1", { i18n: "search.title" }), form, h("p", { class: "hint", i18n: "search.hint" }), results));
  autocomplete(input, { kind: null, onPick: (hit) => open(hit) });
  input.focus();
  if (query.q) run(results, query.q, query.kind || undefined);
}

/** A picked hit opens where it lives: a firm its family tree, a person or address its relations. */
function open(hit) {
  if (hit.kind === "enterprise") location.hash = `#/enterprise/${encodeURIComponent(hit.key)}/tree`;
  else location.hash = `#/search?${new URLSearchParams({ q: hit.name, kind: hit.kind })}`;
}

async function run(results, q, kind) {
  performance.mark("rg:search-start");
  replace(results, spinner());
  let page;
  try {
    page = await api.find(q, { kind, limit: LIMIT });
  } catch (error) {
    replace(results, errorBlock(error));
    return;
  }
  replace(results, page.items.length ? hitTable(page.items) : empty("search.none"));
  performance.mark("rg:search-done");
  performance.measure("rg:search", "rg:search-start", "rg:search-done");
}

function hitTable(items) {
  return table(
    [
      { key: "detail.name", cell: (x) => (x.kind === "enterprise" ? enterpriseLink(x.key, x.name) : x.name) },
      { key: "search.kind", cell: (x) => h("span", { class: `ac-kind kind-${x.kind}` }, tx(`search.kind_${x.kind}`)) },
      { key: "search.class", cell: (x) => (x.kind === "enterprise" ? riskBadge(x.class) : "") },
      { key: "search.score", cell: (x) => (x.score === null || x.score === undefined ? "" : x.score.toFixed(2)), class: "num" },
      { key: "detail.region", cell: (x) => x.region ?? "" },
      { key: "detail.status", cell: (x) => x.status ?? (x.firms !== null && x.firms !== undefined ? tx("search.firms", { n: x.firms }) : "") },
      { key: "search.match", cell: (x) => tx(`search.match_${x.match}`) },
    ],
    items,
    {
      testid: "search-table",
      onRow: (x, event) => {
        if (x.kind === "enterprise" && event.target.tagName !== "A") location.hash = `#/enterprise/${encodeURIComponent(x.key)}/tree`;
      },
    },
  );
}
