// Results of the analyst console: rows as a table (paged in the browser) or, when they
// hold nodes, relationships or paths, as a graph on the shared canvas; CSV of the rows.
import { h, replace, tx } from "../dom.js";
import { download, exportName, toCsv } from "../export.js";

const KEY_PROPERTY = { Enterprise: "uscc", Person: "pid", Address: "aid", Violation: "vid" };
export const PAGE = 100;

const isNode = (v) => v && typeof v === "object" && Array.isArray(v.labels) && "properties" in v;
const isRel = (v) => v && typeof v === "object" && typeof v.type === "string" && "start" in v && "end" in v;
const isPath = (v) => v && typeof v === "object" && Array.isArray(v.nodes) && Array.isArray(v.relationships);

/** A value as one line of text: nodes as (:Label name), others as JSON. */
export function cellText(value) {
  if (value === null || value === undefined) return "";
  if (isNode(value)) {
    const p = value.properties ?? {};
    return `(:${value.labels.join(":")} ${p.name ?? p.address ?? p.uscc ?? p.pid ?? p.aid ?? p.vid ?? value.id})`;
  }
  if (isRel(value)) return `[:${value.type}]`;
  if (isPath(value)) return value.nodes.map(cellText).join("—");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Domain nodes and edges found anywhere in the rows (nodes, relationships, paths, lists). */
export function graphOf(rows) {
  const nodes = new Map();
  const rels = [];
  const visit = (value, depth) => {
    if (depth > 4 || value === null || typeof value !== "object") return;
    if (isNode(value)) nodes.set(value.id, value);
    else if (isRel(value)) rels.push(value);
    else if (isPath(value)) {
      value.nodes.forEach((n) => visit(n, depth + 1));
      value.relationships.forEach((r) => visit(r, depth + 1));
    } else if (Array.isArray(value)) value.forEach((v) => visit(v, depth + 1));
  };
  for (const row of rows) for (const value of Object.values(row)) visit(value, 0);
  const domainId = new Map();
  const domainNodes = [...nodes.values()].map((node) => {
    const kind = node.labels.find((l) => l in KEY_PROPERTY) ?? node.labels[0] ?? "Node";
    const p = node.properties ?? {};
    const id = String(p[KEY_PROPERTY[kind]] ?? `${kind}:${node.id}`);
    domainId.set(node.id, id);
    return { id, kind, label: p.name ?? p.address ?? p.kind ?? id, status: p.status ?? null, date: p.date ?? null,
      risk_class: p.risk_class ?? null, label_class: p.label_class ?? null, risk_score: p.risk_score ?? null }; // prettier-ignore
  });
  const edges = rels
    .filter((r) => domainId.has(r.start) && domainId.has(r.end))
    .map((r) => ({ source: domainId.get(r.start), target: domainId.get(r.end), type: r.type,
      ratio: r.properties?.ratio ?? null, role: r.properties?.role ?? null })); // prettier-ignore
  return { nodes: domainNodes, edges };
}

/** One page of the rows as a table, with a pager when there are more. */
export function resultTable(columns, rows, page, onPage) {
  const shown = rows.slice(page * PAGE, (page + 1) * PAGE);
  const head = h("tr", {}, ...columns.map((c) => h("th", {}, c)));
  const body = shown.map((row) => h("tr", {}, ...columns.map((c) => h("td", {}, cellText(row[c])))));
  const pages = Math.ceil(rows.length / PAGE);
  const pager = pages > 1
    ? h("div", { class: "pager" },
        h("button", { class: "link", disabled: page === 0, onclick: () => onPage(page - 1), i18n: "common.previous", "data-testid": "console-prev" }),
        tx("console.page", { page: page + 1, pages }),
        h("button", { class: "link", disabled: page + 1 >= pages, onclick: () => onPage(page + 1), i18n: "common.next", "data-testid": "console-next" })) // prettier-ignore
    : null;
  return h("div", { class: "console-table" },
    h("table", { class: "grid", "data-testid": "console-table" }, h("thead", {}, head), h("tbody", {}, ...body)), pager); // prettier-ignore
}

/** The rows as CSV (UTF-8 with a BOM; nodes and maps as text, formulas neutralised). */
export function downloadCsv(columns, rows) {
  const flat = rows.map((row) => Object.fromEntries(columns.map((c) => [c, cellText(row[c])])));
  download(toCsv(flat, columns), exportName("console", "csv"));
}

/** A named query's answer as rows: the first list it holds (groups flattened). */
export function rowsOfAnswer(answer) {
  if (Array.isArray(answer)) return answer.map((item) => (item && typeof item === "object" && !Array.isArray(item) ? item : { value: item }));
  if (Array.isArray(answer?.groups)) {
    return answer.groups.flatMap((g) => g.items.map((item) => ({ type: g.type, direction: g.direction, ...item })));
  }
  for (const key of ["nodes", "items", "paths", "loops", "persons", "enterprises", "controllers"]) {
    if (Array.isArray(answer?.[key])) return answer[key];
  }
  return answer ? [answer] : [];
}

/** A named query's answer as a graph: domain nodes and edges, or uniform paths. */
export function graphOfAnswer(answer) {
  if (Array.isArray(answer?.nodes) && Array.isArray(answer?.edges)) {
    return { nodes: answer.nodes, edges: answer.edges };
  }
  if (Array.isArray(answer?.groups) && answer.node) {
    const nodes = [answer.node];
    const edges = [];
    for (const group of answer.groups) {
      for (const item of group.items) {
        nodes.push(item);
        const out = group.direction === "out";
        edges.push({ source: out ? answer.node.id : item.id, target: out ? item.id : answer.node.id, type: group.type });
      }
    }
    return { nodes, edges };
  }
  if (Array.isArray(answer?.paths)) return graphOf(answer.paths.map((path) => ({ path })));
  return { nodes: [], edges: [] };
}

export const columnsOf = (rows) => [...new Set(rows.flatMap((row) => Object.keys(row)))];

export function emptyNote() {
  return h("p", { class: "empty", "data-testid": "console-empty" }, tx("console.no_rows"));
}

export { replace };
