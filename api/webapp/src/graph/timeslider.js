// The time slider of the relationship view: "as of" a date, links that began later
// (since), ended before (until), violations recorded later (date) and nodes left with
// no link in time are hidden. Steps are the distinct dates in the graph; the last
// step shows everything. Elements without dates are always shown.
import { h, tx } from "../dom.js";

/** The dates an element carries (edges: since/until; violations: date). */
const datesOf = (ele) => [ele.data("since"), ele.data("until"), ele.data("date")].filter(Boolean).map(day);
const day = (value) => String(value).slice(0, 10);

/** Whether an element existed on `asOf` (an ISO day), by its own dates. */
export function inTime(ele, asOf) {
  if (!asOf) return true;
  const since = ele.data("since");
  const until = ele.data("until");
  const date = ele.isNode() ? ele.data("date") : null;
  if (since && day(since) > asOf) return false;
  if (until && day(until) < asOf) return false;
  return !(date && day(date) > asOf);
}

/** Hides what did not exist on `asOf` (null: shows everything again). */
export function applyTime(cy, asOf, keep = () => false) {
  cy.batch(() => {
    cy.elements().removeClass("out-of-time");
    if (!asOf) return;
    const edgesOut = cy.edges().filter((e) => !inTime(e, asOf) || !inTime(e.source(), asOf) || !inTime(e.target(), asOf));
    edgesOut.addClass("out-of-time");
    cy.nodes().forEach((node) => {
      if (keep(node)) return;
      const edges = node.connectedEdges();
      const stranded = edges.nonempty() && edges.every((e) => e.hasClass("out-of-time"));
      if (!inTime(node, asOf) || stranded) node.addClass("out-of-time");
    });
  });
}

/** The slider; `onChange(asOf | null)`. Call `refresh(cy)` after the graph changes. */
export function timeSlider(onChange) {
  let dates = [];
  const input = h("input", { type: "range", min: "0", max: "0", step: "1", value: "0", "data-testid": "time-slider", i18nTitle: "time.title" });
  const shown = h("span", { class: "time-value", "data-testid": "time-value" });
  const box = h("label", { class: "time-slider inline" }, tx("time.as_of"), input, shown);
  const asOf = () => (Number(input.value) >= dates.length ? null : dates[Number(input.value)]);
  const show = () => {
    const value = asOf();
    shown.textContent = "";
    shown.append(value ? value : tx("time.all"));
    box.dataset.asOf = value ?? "";
  };
  input.addEventListener("input", () => {
    show();
    onChange(asOf());
  });
  return {
    element: box,
    asOf,
    /** New steps from the graph's dates, keeping the chosen date where it still is one. */
    refresh(cy, keepDate = asOf()) {
      dates = [...new Set(cy.elements().map(datesOf).flat())].sort();
      input.max = String(dates.length);
      const index = keepDate ? dates.indexOf(keepDate) : -1;
      input.value = String(index >= 0 ? index : dates.length);
      input.disabled = dates.length === 0;
      show();
    },
    dates: () => [...dates],
  };
}
