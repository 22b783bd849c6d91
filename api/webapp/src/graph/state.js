// The state of a graph view as a plain JSON object (docs/web.md, "View state"): what
// undo/redo restores and what saved views store. Captions are not kept (they follow
// the language); everything else a view shows is.
export const STATE_VERSION = 1;
/** Classes that only reflect the pointer or the zoom level: never saved. */
const TRANSIENT = new Set(["hover", "full", "near", "highlight", "faded"]);
const SKIPPED_DATA = new Set(["caption", "short"]);

function plainData(data) {
  const out = {};
  for (const [key, value] of Object.entries(data)) {
    if (!SKIPPED_DATA.has(key) && value !== undefined) out[key] = value;
  }
  return JSON.parse(JSON.stringify(out));
}

const kept = (ele) => ele.classes().filter((c) => !TRANSIENT.has(c));

/** The elements, their places and classes, and the viewport of a cytoscape graph. */
export function captureGraph(cy) {
  return {
    nodes: cy.nodes().map((n) => ({ data: plainData(n.data()), position: { ...n.position() }, classes: kept(n) })),
    edges: cy.edges().map((e) => ({ data: plainData(e.data()), classes: kept(e) })),
    selected: cy.nodes(":selected").map((n) => n.id()),
    viewport: { zoom: cy.zoom(), pan: { ...cy.pan() } },
  };
}

/** Replaces what `canvas` shows by a captured graph (pinned nodes locked again). */
export function restoreGraph(canvas, graph) {
  const cy = canvas.cy;
  cy.batch(() => {
    cy.elements().remove();
    cy.add([
      ...graph.nodes.map((n) => ({ group: "nodes", data: { ...n.data }, position: { ...n.position }, classes: n.classes })),
      ...graph.edges.map((e) => ({ group: "edges", data: { ...e.data }, classes: e.classes })),
    ]);
    cy.nodes(".pinned").lock();
    for (const id of graph.selected ?? []) cy.getElementById(id).select();
  });
  canvas.relabel();
  canvas.tune();
  if (graph.viewport) cy.viewport(graph.viewport);
}

/** A state checked for the shape setState expects (saved views may be old or edited). */
export function checkState(state, view) {
  const ok =
    state && typeof state === "object" && state.version === STATE_VERSION && state.view === view &&
    Array.isArray(state.nodes) && Array.isArray(state.edges) && Array.isArray(state.expansions); // prettier-ignore
  if (!ok) throw new Error(`not a ${view} view state of version ${STATE_VERSION}`);
  return state;
}

let active = null;

/** The graph view on screen ({ name, getState, setState }) or null: saved views use it. */
export const activeGraphView = () => active;

export function setActiveGraphView(view) {
  active = view;
  return () => {
    if (active === view) active = null;
  };
}
