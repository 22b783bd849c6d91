// A filterable list of the graph's nodes: the keyboard- and screen-reader-friendly way
// to pick a node (the canvas is not accessible), and a quick "find in graph".
import { h, replace, tx } from "../dom.js";
import { riskBadge } from "../views/common.js";

const SHOWN = 100;

export function nodeList(canvas, onPick) {
  const filter = h("input", { type: "search", class: "node-filter", i18nPlaceholder: "graph.filter_nodes", "data-testid": "node-filter" });
  const list = h("ul", { class: "node-list", "data-testid": "node-list" });
  const count = h("span", { class: "hint" });
  const box = h("details", { class: "node-list-box" }, h("summary", {}, tx("graph.node_list"), " ", count), filter, list);

  function refresh() {
    const needle = filter.value.trim().toLowerCase();
    const nodes = canvas.cy.nodes().filter((n) => !needle || `${n.data("label") ?? ""} ${n.id()}`.toLowerCase().includes(needle));
    count.textContent = `(${canvas.cy.nodes().length})`;
    replace(
      list,
      ...nodes.slice(0, SHOWN).map((node) =>
        h(
          "li",
          {},
          h(
            "button",
            { class: "link", dataset: { id: node.id(), kind: node.data("kind") }, onclick: () => onPick(node.data(), node) },
            node.data("kind") === "Enterprise" ? riskBadge(node.data("cls")) : tx(`kind.${node.data("kind")}`),
            " ",
            node.data("kind") === "Group" ? node.data("caption") : node.data("label") ?? node.id(),
          ),
        ),
      ),
      nodes.length > SHOWN ? h("li", { class: "hint" }, tx("graph.more_nodes", { n: nodes.length - SHOWN })) : null,
    );
  }
  filter.addEventListener("input", refresh);
  let pending = null;
  canvas.cy.on("add remove", () => {
    clearTimeout(pending);
    pending = setTimeout(refresh, 50);
  });
  refresh();
  return box;
}
