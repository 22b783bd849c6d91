// The relationship view's state as a plain JSON object for saved views, and back:
// nodes (kind + key, position, what the style needs), edges, the expansions with how
// many of each group are loaded (so "show more" goes on from there), the viewport.
// Person names are never part of it: the server stores persons by key and fills in
// their names, masked as the reader's role requires, when the view is opened.
// (src/graph/state.js holds the view's full state for undo and redo; saved views keep
// this smaller, server-checked form.)
export const STATE_VERSION = 1;
const round = (value) => Math.round(value * 10) / 10;
const STYLE_FIELDS = ["risk_class", "label_class", "risk_score", "date"];
const GROUP_FIELDS = ["hub", "type", "direction", "member_kind", "cls", "risk_class", "rclass", "total", "loaded", "by"];

/** The state of a RelationsView (its canvas and expansions) rooted at `root`. */
export function snapshot(view, root) {
  const cy = view.canvas.cy;
  const nodes = cy.nodes().map((node) => {
    const data = node.data();
    const position = node.position();
    const entry = { kind: data.kind, key: data.id, x: round(position.x), y: round(position.y) };
    if (data.kind === "Group") {
      // a group node ("C类企业 42") keeps what its caption and its next page need
      for (const field of GROUP_FIELDS) if (data[field] !== undefined) entry[field] = data[field];
      return entry;
    }
    if (data.kind !== "Person" && data.label) entry.label = data.label;
    for (const field of STYLE_FIELDS) if (data[field] !== undefined && data[field] !== null) entry[field] = data[field];
    return entry;
  });
  const edges = cy.edges().map((edge) => {
    const d = edge.data();
    const entry = { source: d.from, target: d.to, type: d.type, ratio: d.ratio ?? null, role: d.role ?? null };
    if (d.by !== undefined) entry.by = d.by;
    return entry;
  });
  const expansions = [...view.expansions.entries()].map(([key, entry]) => ({
    key,
    groups: [...entry.groups.values()].map((g) => {
      const out = { type: g.type, direction: g.direction, total: g.total, loaded: g.loaded };
      if (Array.isArray(g.classes)) out.classes = g.classes.map((c) => ({ ...c }));
      return out;
    }),
  }));
  const pan = cy.pan();
  return {
    version: STATE_VERSION,
    root: { kind: "Enterprise", key: root },
    nodes,
    edges,
    expansions,
    viewport: { zoom: round(cy.zoom() * 1000) / 1000, pan: { x: round(pan.x), y: round(pan.y) } },
  };
}

/** Draws a saved state into an empty RelationsView: the same nodes where they were,
 * the edges, the expansions (panel and "show more"), the viewport. */
export function restore(view, state) {
  const canvas = view.canvas;
  const rootKey = state.root?.key;
  const byKey = new Map(state.nodes.map((n) => [n.key, n]));
  const domain = state.nodes.map(({ key, x, y, ...rest }) => ({ ...rest, id: key }));
  canvas.cy.batch(() => {
    canvas.addNodes(domain, { position: (node) => ({ x: byKey.get(node.id).x ?? 0, y: byKey.get(node.id).y ?? 0 }) });
    canvas.addEdges(state.edges ?? []);
    canvas.cy.getElementById(rootKey).addClass("root");
  });
  for (const item of state.expansions ?? []) {
    const node = canvas.cy.getElementById(item.key);
    if (node.empty()) continue;
    const groups = new Map(item.groups.map((g) => [`${g.type}|${g.direction}`, { total: 0, loaded: 0, ...g }]));
    view.expansions.set(item.key, { data: node.data(), groups });
    node.addClass("expanded");
  }
  const viewport = state.viewport;
  if (viewport?.zoom && viewport?.pan) canvas.cy.viewport({ zoom: viewport.zoom, pan: viewport.pan });
  else canvas.fit();
  if (view.expansions.has(rootKey)) view.renderPanel(rootKey);
}
