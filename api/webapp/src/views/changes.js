// Monthly re-classification: the latest run's transition matrix and the change feed
// (firms whose class changed, or new ones) since a month, page by page.
import { api } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { errorBlock } from "../notify.js";
import { empty, enterpriseLink, pager } from "./common.js";

const PAGE = 50;
const CLASSES = ["A", "B", "C", "D"];

const hrefOf = (query, offset) => `#/changes?${new URLSearchParams({ ...query, offset })}`;

export function renderChanges(main, query) {
  const runBox = h("div", { "data-testid": "transitions" }, spinner());
  const feed = h("div", { "data-testid": "changes" });
  const since = h("input", { name: "since", value: query.since ?? "", pattern: "\\d{4}-\\d{2}", size: 8, placeholder: "2026-06", "data-testid": "changes-since" });
  const form = h("form", { class: "filters" }, h("label", {}, tx("changes.since"), since),
    h("button", { type: "submit", class: "secondary", i18n: "common.apply" })); // prettier-ignore
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = hrefOf({ since: since.value.trim() }, 0);
  });
  replace(main, h("div", { class: "view" }, h("h1", { i18n: "changes.title" }), runBox, h("h2", { i18n: "changes.feed" }), form, feed));
  api
    .reclassifications()
    .then(({ runs }) => {
      if (!runs.length) {
        replace(runBox, h("p", { class: "hint", i18n: "review.none" }));
        return;
      }
      const latest = runs[0];
      replace(runBox, transitionTable(latest));
      const month = query.since || latest.month;
      since.value = month;
      loadFeed(feed, { since: month }, Math.max(0, Number(query.offset ?? 0) || 0));
    })
    .catch((error) => replace(runBox, errorBlock(error)));
  return undefined;
}

function transitionTable(run) {
  const caption = h("p", { class: "hint", i18n: "changes.run", i18nParams: { month: run.month, previous: run.previous_month ?? "—", changed: run.changed, new: run.new_firms, scored: run.scored } }); // prettier-ignore
  if (!run.previous_month) return caption;
  const rows = CLASSES.map((from) => ({ from, counts: run.transitions[from] ?? {} }));
  return h(
    "div",
    {},
    caption,
    table(
      [
        { key: "changes.from_to", cell: (r) => r.from },
        ...CLASSES.map((to) => ({ key: `risk.${to}`, cell: (r) => String(r.counts[to] ?? 0), class: "num" })),
      ],
      rows,
      { testid: "transition-matrix", rowClass: () => "" },
    ),
  );
}

function loadFeed(box, query, offset) {
  replace(box, spinner());
  api
    .changes({ ...query, limit: PAGE, offset })
    .then((page) => {
      if (!page.items.length) {
        replace(box, empty("changes.none"));
        return;
      }
      replace(
        box,
        table(
          [
            { key: "detail.name", cell: (c) => enterpriseLink(c.key, c.name) },
            { key: "detail.uscc", cell: (c) => c.key, class: "mono" },
            { key: "changes.month", cell: (c) => c.month },
            { key: "changes.previous", cell: (c) => c.previous ?? h("span", { class: "hint", i18n: "changes.new" }) },
            { key: "changes.current", cell: (c) => c.current },
            { key: "detail.region", cell: (c) => c.region_code ?? "" },
          ],
          page.items,
          { testid: "change-feed" },
        ),
        pager((at) => hrefOf(query, at), offset, PAGE, page.next_offset !== null, "changes-next"),
      );
    })
    .catch((error) => replace(box, errorBlock(error)));
}
