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
export const edgeId = (source, type, target) => `${source}>${type}>${target}`;

/** The effective risk class: the model's where scored, else the supervisor's label. */
export const riskClass = (node) => node.risk_class ?? node.label_class ?? null;

export class GraphCanvas {
  constructor(container, { onTap, onDoubleTap, nodeExtra } = {}) {
    this.nodeExtra = nodeExtra ?? (() => "");
    this.cy = cytoscape({
      container,
      style: graphStyle,
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
  }

  destroy() {
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
      fresh.push({ group: "nodes", data, classes, position: position?.(node, fresh.length) });
    }
    const added = this.cy.add(fresh);
    this.container.dataset.nodes = String(this.cy.nodes().length);
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
      data.caption = edgeCaption(data);
      fresh.push({ group: "edges", data, classes: reversed ? "reversed" : undefined });
    }
    const added = this.cy.add(fresh);
    this.tune();
    this.container.dataset.edges = String(this.cy.edges().length);
    return added;
  }

  nodeCaption(data) {
    const base = data.kind === "Violation" ? `${data.label ?? t("kind.Violation")} ${data.date ?? ""}` : data.label ?? data.id;
    const extra = this.nodeExtra(data);
    return extra ? `${base}\n${extra}` : base;
  }

  relabel() {
    this.cy.batch(() => {
      this.cy.nodes().forEach((node) => node.data("caption", this.nodeCaption(node.data())));
      this.cy.edges().forEach((edge) => edge.data("caption", edgeCaption(edge.data())));
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
        idealEdgeLength: 90,
        numIter: big ? 1000 : 2500,
      },
    };
    const layout = eles.layout({ ...(defaults[options.name] ?? {}), ...options });
    const done = layout.promiseOn("layoutstop");
    layout.run();
    return done;
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

  png() {
    return this.cy.png({ output: "blob", full: true, bg: "#ffffff", scale: 1, maxWidth: 8000, maxHeight: 8000 });
  }

  nodeRows() {
    return this.cy.nodes().map((node) => {
      const d = node.data();
      return {
        id: d.id, kind: d.kind, label: d.label ?? "", risk_class: d.risk_class ?? "",
        label_class: d.label_class ?? "", risk_score: d.risk_score ?? "", level: d.level ?? "",
        share: d.share ?? "",
      }; // prettier-ignore
    });
  }

  edgeRows() {
    return this.cy.edges().map((edge) => {
      const d = edge.data();
      return { source: d.from, target: d.to, type: d.type, ratio: d.ratio ?? "", role: d.role ?? "" };
    });
  }
}

function edgeCaption(data) {
  const parts = [relName(data.type)];
  if (data.ratio !== null && data.ratio !== undefined) parts.push(formatPercent(data.ratio));
  if (data.role) parts.push(data.role);
  return parts.join(" ");
}
