// The market entities behind a risk-overview cell: filtered by region code prefix, industry
// section, risk class (as the overview counts it) and kind of entity (企业, 个体工商户,
// 农民专业合作社), riskiest first, page by page.
import { api } from "../api.js";
import { h, replace, spinner, tx } from "../dom.js";
import { errorBlock } from "../notify.js";
import { empty, enterpriseTable, pager } from "./common.js";

const PAGE = 20;
const FILTERS = ["region", "section", "risk_class", "kind"];
export const ENTITY_KINDS = ["enterprise", "individual", "cooperative"];

/** `#/enterprises?region=&section=&risk_class=&kind=` for the given filters (empty ones left out). */
export function listHref(filters) {
  const params = new URLSearchParams();
  for (const name of FILTERS) if (filters[name]) params.set(name, filters[name]);
  return `#/enterprises?${params}`;
}

export function renderEnterpriseList(main, query) {
  const filters = Object.fromEntries(FILTERS.map((name) => [name, query[name] ?? ""]));
  const offset = Math.max(0, Number(query.offset ?? 0) || 0);
  const results = h("div", { class: "results", "data-testid": "list-results" }, spinner());
  const chip = (key, value) => h("span", { class: "chip" }, tx(key), ": ", value);
  replace(
    main,
    h(
      "div",
      { class: "view list-view" },
      h("h1", { i18n: "list.title" }),
      h(
        "div",
        { class: "totals", "data-testid": "list-filters" },
        chip("list.region", filters.region || tx("list.all_regions")),
        filters.section ? chip("list.section", filters.section === "none" ? tx("list.no_section") : filters.section) : null,
        filters.risk_class ? chip("list.class", tx(`risk.${filters.risk_class === "unclassified" ? "none" : filters.risk_class}`)) : null,
        kindSelect(filters),
      ),
      h("p", { class: "hint" }, tx("list.order"), " ", h("a", { href: overviewHref(filters), i18n: "list.back" })),
      results,
    ),
  );
  api
    .enterprises({ ...filters, limit: PAGE, offset })
    .then((page) => {
      const pageHref = (at) => `${listHref(filters)}&offset=${at}`;
      replace(
        results,
        page.items.length ? enterpriseTable(page.items, "list-table") : empty("list.none"),
        pager(pageHref, offset, PAGE, page.has_more, "list-next"),
      );
    })
    .catch((error) => replace(results, errorBlock(error)));
  return undefined;
}

/** The kind filter: choosing a kind reopens the list with it (the other filters kept). */
function kindSelect(filters) {
  const select = h("select", { name: "kind", "data-testid": "list-kind" },
    h("option", { value: "", i18n: "list.all_kinds" }),
    ...ENTITY_KINDS.map((k) => h("option", { value: k, selected: k === filters.kind, i18n: `entity_kind.${k}` }))); // prettier-ignore
  select.addEventListener("change", () => {
    location.hash = listHref({ ...filters, kind: select.value });
  });
  return h("label", { class: "chip" }, tx("list.kind"), ": ", select);
}

/** Back to the overview of the list's area (a district list goes back to its city). */
function overviewHref({ region }) {
  if (!region) return "#/overview";
  const level = region.length >= 4 ? "district" : region.length >= 2 ? "city" : "province";
  return `#/overview?${new URLSearchParams({ level, prefix: region.length >= 6 ? region.slice(0, 4) : region })}`;
}
