// Search by USCC (exact) or by name (prefix); results open the enterprise.
import { api } from "../api.js";
import { h, replace, spinner } from "../dom.js";
import { errorBlock } from "../notify.js";
import { empty, enterpriseTable, pager } from "./common.js";

const PAGE = 20;

export function render(main, { query }) {
  const input = h("input", {
    type: "search", name: "q", value: query.q ?? "", autocomplete: "off", required: true,
    minlength: 2, maxlength: 200, i18nPlaceholder: "search.placeholder", "data-testid": "search-input",
  }); // prettier-ignore
  const results = h("div", { class: "results", "data-testid": "search-results" });
  const form = h(
    "form",
    { class: "search-form", role: "search" },
    input,
    h("button", { type: "submit", class: "primary", i18n: "search.go", "data-testid": "search-go" }),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (q) location.hash = `#/search?q=${encodeURIComponent(q)}`;
  });
  replace(main, h("div", { class: "view search-view" }, h("h1", { i18n: "search.title" }), form, h("p", { class: "hint", i18n: "search.hint" }), results));
  input.focus();
  if (query.q) run(results, query.q, Number(query.offset ?? 0));
}

async function run(results, q, offset) {
  performance.mark("rg:search-start");
  replace(results, spinner());
  let page;
  try {
    page = await api.search(q, { limit: PAGE, offset });
  } catch (error) {
    replace(results, errorBlock(error));
    return;
  }
  const pageHref = (at) => `#/search?q=${encodeURIComponent(q)}&offset=${at}`;
  replace(
    results,
    page.items.length ? enterpriseTable(page.items, "search-table") : empty("search.none"),
    pager(pageHref, offset, PAGE, page.has_more, "search-next"),
  );
  performance.mark("rg:search-done");
  performance.measure("rg:search", "rg:search-start", "rg:search-done");
}
