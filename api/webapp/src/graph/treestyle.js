// The family tree's look (股权穿透): fixed-width boxes with the full name wrapped
// inside, the class as the box's colour and a badge line, orthogonal (taxi) edges
// pointing down with the share next to the outer end of each edge.
import { graphStyle } from "./style.js";

export const BOX_WIDTH = 180;
export const BOX_HEIGHT = 82;
/** Names longer than this are cut (3 lines of 13 characters fit in a box). */
export const NAME_CHARS = 38;

export const treeStyle = [
  ...graphStyle,
  {
    selector: "node",
    style: {
      shape: "round-rectangle",
      width: BOX_WIDTH,
      height: BOX_HEIGHT,
      label: "data(caption)",
      "background-color": "#ffffff",
      "border-width": 2,
      "border-color": "data(colour)",
      "text-valign": "center",
      "text-halign": "center",
      "text-margin-y": 0,
      "text-wrap": "wrap",
      "text-overflow-wrap": "anywhere",
      "text-max-width": BOX_WIDTH - 16,
      "font-size": 12,
      "line-height": 1.25,
      "min-zoomed-font-size": 4,
    },
  },
  { selector: "node[kind = 'Enterprise']", style: { width: BOX_WIDTH, height: BOX_HEIGHT, "background-color": "data(tint)" } },
  { selector: "node[kind = 'Person']", style: { "background-color": "#ede7f6" } },
  { selector: "node.root", style: { width: BOX_WIDTH, height: BOX_HEIGHT, "border-width": 4, "border-color": "#263238", "font-weight": "bold" } },
  { selector: "node.controller", style: { "border-width": 4, "border-color": "#ffb300" } },
  {
    selector: "node[kind = 'Group']",
    style: {
      width: BOX_WIDTH, height: BOX_HEIGHT, "background-color": "#eceff1", "border-style": "dashed",
      "border-color": "#546e7a", label: "data(caption)", "font-size": 13, color: "#263238",
    }, // prettier-ignore
  },
  { selector: "node.full, node.hover, node:selected", style: { label: "data(caption)" } },
  {
    selector: "edge",
    style: {
      "curve-style": "taxi",
      "taxi-direction": "downward",
      "taxi-turn": "60%",
      label: "",
      "font-size": 11,
      "min-zoomed-font-size": 5,
      color: "#283593",
    },
  },
  { selector: "edge.at-source", style: { "source-label": "data(caption)", "source-text-offset": 26, "source-text-margin-y": 8 } },
  { selector: "edge.at-target", style: { "target-label": "data(caption)", "target-text-offset": 26, "target-text-margin-y": -8 } },
  { selector: "edge[type = 'BRANCH_OF']", style: { "line-style": "dashed", "line-color": "#78909c" } },
  { selector: ".grouped", style: { display: "none" } },
];
