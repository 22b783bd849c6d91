// Path finder (查关系): every shortest path between two parties (enterprises, persons,
// addresses), drawn left to right, with the persons and addresses between them; a
// listed path highlights on click. A masked person is named by its pseudonym.
import { api } from "../api.js";
import { h, replace, spinner, tx } from "../dom.js";
import { relName, t } from "../i18n.js";
import { errorBlock } from "../notify.js";
import { GraphCanvas } from "../graph/canvas.js";
import { legend } from "../graph/legend.js";
import { graphToolbar } from "../graph/toolbar.js";
import { showEnterprise, showNode } from "./detail.js";
import { autocomplete } from "../autocomplete.js";

const HOP_WIDTH = 230;
const ROW_HEIGHT = 90;
const KEY_PROPERTY = { Enterprise: "uscc", Person: "pid", Address: "aid", Violation: "vid" };

/** The last ends asked for, so that "path from here" keeps an earlier "to" and back. */
const lastEnds = { from: "", to: "" };

export function renderPaths(main, side, query) {
  let canvas = null;
  query = { ...query, from: query.from ?? lastEnds.from, to: query.to ?? lastEnds.to };
  lastEnds.from = query.from;
  lastEnds.to = query.to;
  const field = (name, key) =>
    h("label", {}, tx(key), h("input", { name, value: query[name] ?? "", required: true, maxlength: 200,
      autocomplete: "off", i18nPlaceholder: "paths.key_placeholder", "data-testid": `path-${name}` })); // prettier-ignore
  const hops = h("select", { name: "max_hops", "data-testid": "path-hops" },
    ...[1, 2, 3, 4, 5, 6].map((n) => h("option", { value: n, selected: n === Number(query.max_hops ?? 4) }, String(n)))); // prettier-ignore
  const form = h("form", { class: "path-form" }, field("from", "paths.from"), field("to", "paths.to"),
    h("label", {}, tx("paths.max_hops"), hops), h("button", { type: "submit", class: "primary", i18n: "paths.find", "data-testid": "path-go" })); // prettier-ignore
  const result = h("div", { class: "path-result", "data-testid": "path-result" });
  // any party the role may see, by name (or key); kind null: enterprises, persons, addresses
  const ends = ["from", "to"].map((name) => autocomplete(form.elements[name], { kind: null }));
  let refused = false; // the form said why it cannot ask: a late answer must not hide that
  const refuse = (block) => {
    refused = true;
    replace(result, block);
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const keys = [];
    for (const [i, name] of ["from", "to"].entries()) {
      let key = null;
      try {
        key = await ends[i].resolve();
      } catch (error) {
        refuse(errorBlock(error));
        return;
      }
      if (!key) {
        refuse(h("p", { class: "empty", "data-testid": "path-unresolved" }, tx("paths.unresolved", { text: data.get(name).trim() })));
        return;
      }
      keys.push(key);
    }
    location.hash = `#/paths?${new URLSearchParams({ from: keys[0], to: keys[1], max_hops: data.get("max_hops") })}`;
  });
  const area = h("div", { class: "graph-area", "data-testid": "paths-graph" });
  const title = () => `${t("paths.title")}: ${query.from} → ${query.to}`;
  replace(main, h("div", { class: "view graph-view" }, h("h1", { i18n: "paths.title" }), form,
    graphToolbar(() => canvas, "paths", { relayout: (c) => layout(c, c.cy.nodes(".root").first().id()), title }), area, legend(), result)); // prettier-ignore
  if (!query.from || !query.to) return undefined;

  replace(result, spinner());
  api
    .paths(query.from.trim(), query.to.trim(), Number(query.max_hops ?? 4))
    .then((answer) => {
      if (refused) return;
      if (!answer.paths.length) {
        replace(result, h("p", { class: "empty", "data-testid": "no-path" }, tx("paths.none", { hops: query.max_hops ?? 4 })));
        return;
      }
      canvas = new GraphCanvas(area, {
        onTap: (data) => (data.kind === "Enterprise" ? showEnterprise(side, data.id) : showNode(side, data)),
        fullLabels: true,
      });
      const paths = answer.paths.map(domainPath);
      for (const path of paths) {
        canvas.addNodes(path.nodes);
        canvas.addEdges(path.edges);
      }
      canvas.cy.getElementById(answer.from.id).addClass("root");
      canvas.cy.getElementById(answer.to.id).addClass("root");
      canvas.cy.edges().addClass("near"); // a few paths: every link named
      layout(canvas, answer.from.id);
      replace(result, h("p", {}, tx("paths.found", { n: paths.length, length: answer.length })), pathList(canvas, paths));
    })
    .catch((error) =>
      refused ? undefined : replace(result, error?.status === 404 ? h("p", { class: "empty", "data-testid": "path-unresolved" }, tx("paths.not_found")) : errorBlock(error)),
    );
  return () => canvas?.destroy();
}

/** Hops left to right from the first party: one column per hop (the breadth-first
 * distance), the parties of a column spread evenly, wide enough apart for the captions
 * under the nodes and on the links. */
function layout(canvas, from) {
  const columns = new Map();
  canvas.cy.elements().bfs({
    roots: canvas.cy.getElementById(from),
    directed: false,
    visit: (node, _edge, _prev, _i, depth) => {
      if (!columns.has(depth)) columns.set(depth, []);
      columns.get(depth).push(node.id());
    },
  });
  const place = new Map();
  for (const [hop, ids] of columns) {
    ids.sort();
    ids.forEach((id, i) => place.set(id, { x: hop * HOP_WIDTH, y: (i - (ids.length - 1) / 2) * ROW_HEIGHT }));
  }
  return canvas.layout({ name: "preset", positions: (node) => place.get(node.id()) ?? { x: 0, y: 0 } }).then(() => canvas.fit());
}

/** The paths as text; a click highlights one path (a second click shows all again). */
function pathList(canvas, paths) {
  let selected = null;
  const items = paths.map((path) => {
    const steps = [];
    path.nodes.forEach((node, i) => {
      steps.push(h("span", { class: `step kind-${node.kind}` }, node.label ?? node.id));
      const edge = path.edges[i];
      if (edge) {
        const forward = edge.source === node.id;
        steps.push(h("span", { class: "via" }, forward ? ` —${relName(edge.type)}→ ` : ` ←${relName(edge.type)}— `));
      }
    });
    const li = h("li", { class: "clickable", "data-testid": "path-item", tabindex: "0" }, ...steps);
    const select = () => {
      const again = selected === li;
      selected = again ? null : li;
      const ids = new Set([...path.nodes.map((n) => n.id), ...path.edges.map((e) => e.id)]);
      canvas.highlight(again ? null : canvas.cy.elements().filter((ele) => ids.has(ele.id())));
      for (const item of items) item.classList.toggle("active", item === selected);
    };
    li.addEventListener("click", select);
    li.addEventListener("keydown", (event) => event.key === "Enter" && select());
    return li;
  });
  return h("ol", { class: "path-list" }, ...items);
}

/** A path of the uniform store form as domain nodes and edges in walking order. */
function domainPath(path) {
  const byInternal = new Map();
  const nodes = path.nodes.map((node) => {
    const kind = node.labels.find((l) => l in KEY_PROPERTY) ?? node.labels[0];
    const p = node.properties;
    const id = p[KEY_PROPERTY[kind]] ?? node.id;
    byInternal.set(node.id, id);
    return {
      id, kind, label: p.name ?? p.address ?? p.kind ?? id, status: p.status ?? null, date: p.date ?? null,
      risk_class: p.risk_class ?? null, label_class: p.label_class ?? null, risk_score: p.risk_score ?? null,
    }; // prettier-ignore
  });
  const edges = path.relationships.map((rel) => {
    const source = byInternal.get(rel.start);
    const target = byInternal.get(rel.end);
    return { id: `${source}>${rel.type}>${target}`, source, target, type: rel.type, ratio: rel.properties?.ratio ?? null, role: rel.properties?.role ?? null };
  });
  return { nodes, edges };
}
