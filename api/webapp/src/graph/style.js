// How graph elements look: shape by kind, colour by risk class (A/B/C/D), edge labels
// by relation type and ratio. Labels are hidden when zoomed out (min-zoomed-font-size).
export const RISK_COLOURS = { A: "#2e7d32", B: "#1e88e5", C: "#fb8c00", D: "#d32f2f" };
export const NO_CLASS_COLOUR = "#9e9e9e";
export const KIND_SHAPES = {
  Enterprise: "round-rectangle",
  Person: "ellipse",
  Address: "diamond",
  Violation: "triangle",
};
const KIND_COLOURS = { Person: "#7e57c2", Address: "#00897b", Violation: "#6d4c41" };

export function nodeColour(data) {
  if (data.kind === "Enterprise") return RISK_COLOURS[data.cls] ?? NO_CLASS_COLOUR;
  if (data.kind === "Group") return RISK_COLOURS[data.cls] ?? KIND_COLOURS[data.member_kind] ?? NO_CLASS_COLOUR;
  return KIND_COLOURS[data.kind] ?? NO_CLASS_COLOUR;
}

export const graphStyle = [
  {
    selector: "node",
    style: {
      "background-color": "data(colour)",
      shape: "data(shape)",
      label: "data(short)",
      width: 26,
      height: 26,
      "font-size": 11,
      "font-family": '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif',
      color: "#222",
      "text-valign": "bottom",
      "text-margin-y": 4,
      "text-wrap": "wrap",
      "text-overflow-wrap": "anywhere", // Chinese names have no spaces to break at
      "text-max-width": 140,
      "min-zoomed-font-size": 7,
      "border-width": 1,
      "border-color": "#ffffff",
    },
  },
  { selector: "node[kind = 'Enterprise']", style: { width: 34, height: 24 } },
  { selector: "node.root", style: { "border-width": 4, "border-color": "#263238", width: 44, height: 30 } },
  { selector: "node.controller", style: { "border-width": 3, "border-color": "#ffb300" } },
  { selector: "node.expanded", style: { "border-style": "double", "border-width": 4, "border-color": "#455a64" } },
  { selector: "node.full, node.hover, node:selected", style: { label: "data(caption)", "z-index": 20 } },
  { selector: "node.hover, node:selected", style: { "min-zoomed-font-size": 0, "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 2 } },
  { selector: "node:selected", style: { "overlay-color": "#ffeb3b", "overlay-opacity": 0.35, "overlay-padding": 6 } },
  {
    selector: "edge",
    style: {
      width: 1.4,
      "line-color": "#b0bec5",
      "target-arrow-color": "#b0bec5",
      "target-arrow-shape": "triangle",
      "arrow-scale": 0.8,
      "curve-style": "bezier",
      label: "data(caption)",
      "font-size": 9,
      color: "#455a64",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.8,
      "text-background-padding": 1,
      "text-rotation": "autorotate",
      // Edge captions only when near (9 px × zoom ≥ 14 px) or next to a selected node.
      "min-zoomed-font-size": 14,
    },
  },
  { selector: "edge.near", style: { "min-zoomed-font-size": 0, "z-index": 15 } },
  { selector: "edge[type = 'INVESTS_IN']", style: { "line-color": "#5c6bc0", "target-arrow-color": "#5c6bc0" } },
  { selector: "edge[type = 'LEGAL_REP_OF']", style: { "line-color": "#8e24aa", "target-arrow-color": "#8e24aa" } },
  { selector: "edge[type = 'BRANCH_OF']", style: { "line-style": "dashed" } },
  { selector: "edge.reversed", style: { "target-arrow-shape": "none", "source-arrow-shape": "triangle", "source-arrow-color": "#b0bec5" } },
  { selector: "edge[type = 'REGISTERED_AT']", style: { "line-color": "#4db6ac", "target-arrow-color": "#4db6ac" } },
  { selector: "edge[type = 'HAS_VIOLATION']", style: { "line-color": "#a1887f", "target-arrow-color": "#a1887f" } },
  { selector: ".faded", style: { opacity: 0.15 } },
  { selector: ".collapsed", style: { display: "none" } },
  {
    selector: ".highlight",
    style: { "line-color": "#e53935", "target-arrow-color": "#e53935", width: 3.5, "z-index": 10 },
  },
  { selector: "node.highlight", style: { "border-width": 4, "border-color": "#e53935" } },
  { selector: ".hidden", style: { display: "none" } },
  { selector: ".out-of-time", style: { display: "none" } },
  { selector: "node.pinned", style: { "border-width": 3, "border-color": "#37474f", "border-style": "dashed" } },
  {
    selector: "node[kind = 'Group']",
    style: {
      shape: "round-rectangle", width: 64, height: 30, "background-color": "#eceff1", "border-width": 2,
      "border-style": "dashed", "border-color": "data(colour)", "text-valign": "center", "text-margin-y": 0,
      label: "data(caption)", "font-size": 11, "min-zoomed-font-size": 5,
    }, // prettier-ignore
  },
  { selector: "edge.big", style: { "curve-style": "haystack", "haystack-radius": 0 } },
];
