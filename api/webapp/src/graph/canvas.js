// One cytoscape graph: domain nodes/edges in, captions by language, layouts, export.
// Tuned for views of thousands of nodes: textures while panning/zooming, device pixel
// ratio 1, labels only when readable, straight edges and hidden edges on big graphs.
import cytoscape from "cytoscape";
import dagre from "cytoscape-dagre";
import fcose from "cytoscape-fcose";

import { formatPercent, onLangChange, relName, t } from "../i18n.js";
import { KIND_SHAPES, graphStyle, nodeColour } from "./style.js";

cytoscape.use(dagre);
cytoscape.use(fcose);

const BIG = 600;
/** Zoom at and above which every node shows its full caption (below: short ones). */
export const FULL_LABEL_ZOOM = 1.25;
const SHORT_CHARS = 8;
export const edgeId = (source, type, target) => `${source}>${type}>${target}`;

/** The effective risk class: the model's where scored, else the supervisor's label. */
export const riskClass = (node) => node.risk_class ?? node.label_class ?? null;

export class GraphCanvas {
  constructor(container, { onTap, onDoubleTap, nodeExtra, edgeText, style, nodeName, fullLabels = false } = {}) {
    this.nodeExtra = nodeExtra ?? (() => "");
    this.edgeText = edgeText ?? edgeCaption;
    this.nodeName = nodeName ?? ((d) => d.label ?? d.id);
    this.cy = cytoscape({
      container,
      style: style ?? graphStyle,
      pixelRatio: 1,
      textureOnViewport: true,
      motionBlur: false,
      hideEdgesOnViewport: false,
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
    });
    if (onTap) this.cy.on("tap", "node", (event) => onTap(event.target.data(), event.target));
    if (onDoubleTap) {
      this.cy.on("dbltap", "node", (event) => onDoubleTap(event.target.data(), event.target));
    }
    this.unsubscribe = onLangChange(() => this.relabel());
    this.container = container;
    // Labels by zoom: short captions when far, full ones when near, on hover and on
    // selection (the .full class and :selected in style.js).
    this.fullLabels = fullLabels;
    if (!fullLabels) this.cy.on("zoom", () => this.zoomLabels());
    this.cy.on("mouseover", "node", (event) => event.target.addClass("hover"));
    this.cy.on("mouseout", "node", (event) => event.target.removeClass("hover"));
    this.cy.on("select", "node", (event) => event.target.connectedEdges().addClass("near"));
    this.cy.on("unselect", "node", (event) => event.target.connectedEdges().removeClass("near"));
    // The test hook: browser tests read the graph through page.evaluate (the CSP
    // forbids nothing there); nothing else uses it.
    container.riskgraphCanvas = this;
    this.countsDue = false;
    this.cy.on("add remove", () => this.recount());
  }

  /** data-nodes / data-edges on the container: the domain elements (not group boxes). */
  recount() {
    if (this.countsDue) return;
    this.countsDue = true;
    queueMicrotask(() => {
      this.countsDue = false;
      if (this.cy.destroyed()) return;
      this.container.dataset.nodes = String(this.cy.nodes().filter((n) => n.data("kind") !== "Group").length);
      this.container.dataset.edges = String(this.cy.edges().filter((e) => e.data("type") !== "GROUP").length);
    });
  }

  zoomLabels() {
    const full = this.cy.zoom() >= FULL_LABEL_ZOOM;
    if (full === this.fullLabels) return;
    this.fullLabels = full;
    this.cy.batch(() => this.cy.nodes().toggleClass("full", full));
  }

  destroy() {
    delete this.container.riskgraphCanvas;
    this.unsubscribe();
    this.cy.destroy();
  }

  has(id) {
    return this.cy.getElementById(id).nonempty();
  }

  /** Adds domain nodes ({id, kind, label, risk_class, …}); returns the new ones. */
  addNodes(nodes, { position, classes } = {}) {
    const fresh = [];
    for (const node of nodes) {
      if (!node?.id || this.has(node.id) || fresh.some((e) => e.data.id === node.id)) continue;
      const data = {
        ...node,
        cls: riskClass(node),
        shape: KIND_SHAPES[node.kind] ?? "round-rectangle",
      };
      data.colour = nodeColour(data);
      data.caption = this.nodeCaption(data);
      data.short = shortCaption(data.caption);
      // Without a given place, new nodes go on a spiral (never all on one spot: an edge
      // whose ends overlap cannot be drawn and cytoscape warns about it).
      const place = position?.(node, fresh.length) ?? spiral(this.cy.nodes().length + fresh.length);
      fresh.push({ group: "nodes", data, classes, position: place });
    }
    const added = this.cy.add(fresh);
    if (this.fullLabels) added.addClass("full");
    return added;
  }

  /** Adds domain edges ({source, target, type, ratio, role}) between known nodes. */
  addEdges(edges, { reverseTypes = [] } = {}) {
    const fresh = [];
    for (const edge of edges) {
      const reversed = reverseTypes.includes(edge.type);
      const [source, target] = reversed ? [edge.target, edge.source] : [edge.source, edge.target];
      const id = edgeId(edge.source, edge.type, edge.target);
      if (!this.has(source) || !this.has(target) || this.has(id) || fresh.some((e) => e.data.id === id)) continue;
      const data = { ...edge, id, source, target, from: edge.source, to: edge.target };
      data.caption = this.edgeText(data);
      fresh.push({ group: "edges", data, classes: reversed ? "reversed" : undefined });
    }
    const added = this.cy.add(fresh);
    this.tune();
    return added;
  }

  nodeCaption(data) {
    const base = data.kind === "Violation" ? `${data.label ?? t("kind.Violation")} ${data.date ?? ""}` : this.nodeName(data);
    const extra = this.nodeExtra(data);
    return extra ? `${base}\n${extra}` : base;
  }

  /** Captions again (after a language change, or for `nodes` whose data changed). */
  relabel(nodes = this.cy.nodes()) {
    this.cy.batch(() => {
      nodes.forEach((node) => {
        const caption = this.nodeCaption(node.data());
        node.data({ caption, short: shortCaption(caption) });
      });
      this.cy.edges().forEach((edge) => edge.data("caption", this.edgeText(edge.data())));
    });
  }

  /** Big graphs: straight edges and edges hidden while the viewport moves. */
  tune() {
    const big = this.cy.nodes().length > BIG;
    this.cy.edges().toggleClass("big", big);
    this.cy.renderer().hideEdgesOnViewport = big;
  }

  layout(options, eles = this.cy.elements()) {
    const big = this.cy.nodes().length > BIG;
    const defaults = {
      dagre: { name: "dagre", rankDir: "TB", nodeSep: 24, rankSep: 80, animate: false },
      fcose: {
        name: "fcose",
        quality: big ? "draft" : "default",
        animate: false,
        randomize: true,
        nodeRepulsion: 6000,
        idealEdgeLength: big ? 90 : 110,
        // Small graphs make room for the captions too (labels that do not collide).
        nodeDimensionsIncludeLabels: !big,
        numIter: big ? 1000 : 2500,
      },
    };
    const layout = eles.layout({ ...(defaults[options.name] ?? {}), ...options });
    const done = layout.promiseOn("layoutstop");
    layout.run();
    return done;
  }

  /** The elements drawn now (not hidden by a class). Class changes restyle lazily and
   * visible() answers from a cache until then, so the dirty styles are applied first. */
  shown() {
    const eles = this.cy.elements();
    eles.cleanStyle();
    return eles.filter((ele) => ele.visible());
  }

  /** Fits the graph into view, without blowing a small graph up past 1.5×. */
  fit() {
    this.cy.fit(undefined, 30);
    if (this.cy.zoom() > 1.5) {
      this.cy.zoom(1.5);
      this.cy.center();
    }
  }

  /** Fades everything but `eles` (or clears the fading when `eles` is empty). */
  highlight(eles) {
    this.cy.batch(() => {
      this.cy.elements().removeClass("highlight faded");
      if (eles && eles.nonempty()) {
        this.cy.elements().difference(eles).addClass("faded");
        eles.addClass("highlight");
      }
    });
  }

  /** The whole graph as a PNG blob at twice the screen's scale (export.js adds the frame). */
  png({ scale = 2 } = {}) {
    return this.cy.png({ output: "blob", full: true, bg: "#ffffff", scale, maxWidth: 8000, maxHeight: 8000 });
  }

  nodeRows() {
    return this.cy.nodes().filter((n) => n.data("kind") !== "Group").map((node) => {
      const d = node.data();
      return {
        id: d.id, kind: d.kind, label: d.label ?? "", risk_class: d.risk_class ?? "",
        label_class: d.label_class ?? "", risk_score: d.risk_score ?? "", level: d.level ?? "",
        share: d.share ?? "",
      }; // prettier-ignore
    });
  }

  edgeRows() {
    return this.cy.edges().filter((e) => e.data("type") !== "GROUP").map((edge) => {
      const d = edge.data();
      return { source: d.from, target: d.to, type: d.type, ratio: d.ratio ?? "", role: d.role ?? "" };
    });
  }
}

/** The first line of a caption, cut to a few characters: what a far zoom shows. */
export function shortCaption(caption) {
  const first = String(caption ?? "").split("\n")[0];
  return first.length > SHORT_CHARS ? `${first.slice(0, SHORT_CHARS)}…` : first;
}

/** The golden-angle spiral around the origin: distinct places for any number of nodes. */
export function spiral(index, around = { x: 0, y: 0 }, gap = 40) {
  const angle = index * 2.399963;
  const radius = gap * Math.sqrt(index + 1);
  return { x: around.x + radius * Math.cos(angle), y: around.y + radius * Math.sin(angle) };
}

export function edgeCaption(data) {
  if (data.type === "GROUP") return ""; // a group node's link says nothing more
  const parts = [relName(data.type)];
  if (data.ratio !== null && data.ratio !== undefined) parts.push(formatPercent(data.ratio));
  if (data.role) parts.push(data.role);
  return parts.join(" ");
}
