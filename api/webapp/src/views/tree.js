// Family tree (族谱 / 股权穿透): shareholders up to the ultimate controllers with their
// cumulative shares, investees down, branches, drawn as boxes in layers (dagre, top
// down). A parent shows its first GROUP_AFTER children by share and one group box
// "其余 24 家" for the rest (a click opens them); levels collapse from the toolbar, a
// double click folds or unfolds what hangs off a node.
import { api } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { formatPercent, relName, t } from "../i18n.js";
import { errorBlock } from "../notify.js";
import { GraphCanvas, riskClass } from "../graph/canvas.js";
import { NAME_CHARS, treeStyle } from "../graph/treestyle.js";
import { groupChildren } from "../graph/treegroups.js";
import { legend } from "../graph/legend.js";
import { nodeList } from "../graph/nodelist.js";
import { graphToolbar } from "../graph/toolbar.js";
import { empty, enterpriseLink, yesNo } from "./common.js";
import { showEnterprise, showNode } from "./detail.js";

const DEPTHS = [1, 2, 3, 4, 5, 6];
/** Children shown per parent before the rest go into a group box. */
export const GROUP_AFTER = 8;
const TINTS = { A: "#e8f5e9", B: "#e3f2fd", C: "#fff3e0", D: "#ffebee" };

export function renderTree(main, side, uscc, query) {
  const up = Number(query.up ?? 3);
  const down = Number(query.down ?? 3);
  let canvas = null;
  const area = h("div", { class: "graph-area", "data-testid": "tree-graph" });
  const levels = h("div", { class: "levels", "data-testid": "levels" });
  const below = h("div", { class: "below" }, spinner());
  const listSlot = h("div");
  const depth = (key, value, name) => {
    const select = h("select", { name, "data-testid": `depth-${name}` },
      ...DEPTHS.map((d) => h("option", { value: d, selected: d === value }, String(d)))); // prettier-ignore
    select.addEventListener("change", () => {
      const params = new URLSearchParams({ up: String(up), down: String(down), [name]: select.value });
      location.hash = `#/enterprise/${encodeURIComponent(uscc)}/tree?${params}`;
    });
    return h("label", { class: "inline" }, tx(key), select);
  };
  const toolbar = graphToolbar(() => canvas, "family-tree", {
    relayout: (c) => layout(c),
    title: () => t("tree.title", { name: canvas?.cy.nodes(".root").data("label") ?? uscc }),
    extra: [depth("tree.up", up, "up"), depth("tree.down", down, "down")],
  });
  replace(main, h("div", { class: "view graph-view" }, toolbar, levels, area, legend(), listSlot, below));

  let groups = null;
  const pick = (data) => {
    if (data.kind === "Group") {
      groups.open(data.key);
      layout(canvas);
    } else if (data.kind === "Enterprise") showEnterprise(side, data.id);
    else showNode(side, data);
  };
  api
    .familyTree(uscc, up, down)
    .then((tree) => {
      canvas = new GraphCanvas(area, {
        onTap: pick,
        onDoubleTap: (_, node) => fold(canvas, node),
        nodeExtra: (d) => boxLine(d),
        nodeName: (d) => boxName(d),
        edgeText: (d) => (d.type === "BRANCH_OF" ? relName(d.type) : formatPercent(d.ratio)),
        style: treeStyle,
      });
      const controllers = new Set((tree.controllers ?? []).filter((c) => c.actual_controller).map((c) => c.id));
      canvas.addNodes(tree.nodes.map((n) => ({ ...n, tint: TINTS[riskClass(n)] ?? "#f5f5f5" })), {});
      canvas.cy.batch(() => {
        canvas.cy.getElementById(tree.root.id).addClass("root");
        for (const id of controllers) canvas.cy.getElementById(id).addClass("controller");
      });
      canvas.addEdges(tree.edges, { reverseTypes: ["BRANCH_OF"] });
      groups = groupChildren(canvas, GROUP_AFTER, (n) => t("tree.group_rest", { n }));
      layout(canvas);
      replace(levels, ...levelChips(canvas, tree));
      replace(listSlot, nodeList(canvas, pick));
      replace(below, controllersTable(tree), tree.truncated ? h("p", { class: "hint", i18n: "tree.truncated" }) : null);
    })
    .catch((error) => {
      replace(area, errorBlock(error));
      replace(below); // no spinner left under the error
    });
  showEnterprise(side, uscc);
  return () => canvas?.destroy();
}

function shareText(d) {
  if (d.level === 0 || d.level === undefined) return "";
  if (d.share === null || d.share === undefined) return d.level ? t("tree.share_unknown") : "";
  return `${d.level < 0 ? t("tree.holds") : t("tree.held")} ${formatPercent(d.share)}`;
}

/** The full name, cut only past what three lines of a box hold. */
function boxName(d) {
  if (d.kind === "Group") return t("tree.group_rest", { n: d.count });
  const name = d.label ?? d.id;
  return name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS - 1)}…` : name;
}

/** The box's last line: the class badge (enterprises) and the cumulative share. */
function boxLine(d) {
  if (d.kind === "Group") return "";
  const cls = riskClass(d);
  const badge = d.kind === "Enterprise" ? (cls ? t("tree.class_badge", { cls }) : t("risk.none")) : t(`kind.${d.kind}`);
  const share = shareText(d);
  return share ? `${badge} · ${share}` : badge;
}

/** Zoom below which box captions get too small to read: a wide tree is shown from
 * its root at this zoom (pan to see the rest) rather than fitted into illegibility. */
const READABLE_ZOOM = 0.55;

/** Layers top-down over what is shown (folded and grouped boxes take no room). */
function layout(canvas) {
  const shown = canvas.shown();
  return canvas
    .layout({ name: "dagre", rankDir: "TB", nodeSep: 28, rankSep: 90, edgeSep: 10 }, shown)
    .then(() => {
      canvas.fit();
      if (canvas.cy.zoom() >= READABLE_ZOOM) return;
      canvas.cy.zoom(READABLE_ZOOM);
      canvas.cy.center(canvas.cy.nodes(".root"));
    });
}

/** One chip per level: a click hides that level and everything further out. */
function levelChips(canvas, tree) {
  const present = [...new Set(tree.nodes.map((n) => n.level))].sort((a, b) => a - b);
  const state = { min: present[0] ?? 0, max: present.at(-1) ?? 0 };
  const chips = [];
  const apply = () => {
    canvas.cy.batch(() => {
      canvas.cy.nodes().forEach((n) => {
        const level = n.data("level") ?? 0;
        n.toggleClass("collapsed", level < state.min || level > state.max);
      });
    });
    layout(canvas);
    for (const chip of chips) {
      const level = Number(chip.dataset.level);
      chip.classList.toggle("off", level < state.min || level > state.max);
    }
  };
  for (const level of present) {
    const count = tree.nodes.filter((n) => n.level === level).length;
    const key = level < 0 ? "tree.level_up" : level > 0 ? "tree.level_down" : "tree.level_root";
    const chip = h("button", { class: "chip", dataset: { level: String(level) }, "data-testid": `level-${level}` },
      tx(key, { n: Math.abs(level), count })); // prettier-ignore
    chip.addEventListener("click", () => {
      if (level < 0) state.min = state.min <= level ? level + 1 : level;
      if (level > 0) state.max = state.max >= level ? level - 1 : level;
      apply();
    });
    chips.push(chip);
  }
  return [h("span", { class: "hint", i18n: "tree.levels" }), ...chips];
}

/** Double click: hide (or show again) the nodes reached only through this one. */
function fold(canvas, node) {
  const level = node.data("level") ?? 0;
  const reach = level < 0 ? node.predecessors("node") : level > 0 ? node.successors("node") : canvas.cy.collection();
  const folded = !node.hasClass("folded");
  node.toggleClass("folded", folded);
  reach.toggleClass("collapsed", folded);
  layout(canvas);
}

function controllersTable(tree) {
  const rows = tree.controllers ?? [];
  return h(
    "section",
    { class: "panel-section" },
    h("h3", { i18n: "tree.controllers" }),
    rows.length
      ? table(
          [
            { key: "detail.name", cell: (c) => (c.kind === "Enterprise" ? enterpriseLink(c.id, c.label) : c.label ?? "") },
            { key: "detail.kind", cell: (c) => tx(`kind.${c.kind}`) },
            { key: "tree.share", cell: (c) => (c.share === null ? t("tree.share_unknown") : formatPercent(c.share)), class: "num" },
            { key: "tree.known_share", cell: (c) => formatPercent(c.known_share), class: "num" },
            { key: "tree.paths", cell: (c) => c.paths, class: "num" },
            { key: "tree.beneficial_owner", cell: (c) => yesNo(c.beneficial_owner) },
            { key: "tree.actual_controller", cell: (c) => yesNo(c.actual_controller) },
          ],
          rows,
          { testid: "controllers" },
        )
      : empty("tree.no_controllers"),
  );
}
