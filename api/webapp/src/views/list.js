// The enterprises behind a risk-overview cell: filtered by region code prefix, industry
// section and risk class (as the overview counts it), riskiest first, page by page.
import { api } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { errorBlock } from "../notify.js";
import { empty, enterpriseLink } from "./common.js";

const PAGE = 20;
const FILTERS = ["region", "section", "risk_class"];

/** `#/enterprises?region=&section=&risk_class=` for the given filters (empty ones left out). */
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
      ),
      h("p", { class: "hint" }, tx("list.order"), " ", h("a", { href: overviewHref(filters), i18n: "list.back" })),
      results,
    ),
  );
  api
    .enterprises({ ...filters, limit: PAGE, offset })
    .then((page) => {
      const pageHref = (at) => `${listHref(filters)}&offset=${at}`;
      const pager = h(
        "div",
        { class: "pager" },
        offset > 0 ? h("a", { href: pageHref(Math.max(0, offset - PAGE)), i18n: "common.previous" }) : null,
        page.has_more ? h("a", { href: pageHref(offset + PAGE), i18n: "common.next", "data-testid": "list-next" }) : null,
      );
      replace(
        results,
        page.items.length
          ? table(
              [
                { key: "detail.name", cell: (e) => enterpriseLink(e.uscc, e.name) },
                { key: "detail.uscc", cell: (e) => e.uscc, class: "mono" },
                { key: "detail.status", cell: (e) => e.status ?? "" },
                { key: "detail.region", cell: (e) => e.region_code ?? "" },
                { key: "detail.industry", cell: (e) => e.industry_code ?? "" },
                { key: "detail.established", cell: (e) => e.established ?? "" },
              ],
              page.items,
              {
                testid: "list-table",
                onRow: (e, event) => {
                  if (event.target.tagName !== "A") location.hash = `#/enterprise/${encodeURIComponent(e.uscc)}/tree`;
                },
              },
            )
          : empty("list.none"),
        pager,
      );
    })
    .catch((error) => replace(results, errorBlock(error)));
  return undefined;
}

/** Back to the overview of the list's area (a district list goes back to its city). */
function overviewHref({ region }) {
  if (!region) return "#/overview";
  const level = region.length >= 4 ? "district" : region.length >= 2 ? "city" : "province";
  return `#/overview?${new URLSearchParams({ level, prefix: region.length >= 6 ? region.slice(0, 4) : region })}`;
}
