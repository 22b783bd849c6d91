// Family-tree grouping (股权穿透 with many investees): a parent shows its first
// `limit` children by share; the rest go into one group box per parent ("其余 24 家"),
// and opening the group shows them. A child shown by any parent stays shown.
const GROUP = "GROUP";

const level = (node) => node.data("level") ?? 0;
const depth = (node) => Math.abs(level(node));

/** Groups the children of every parent of the tree in `canvas`; returns { open, apply }. */
export function groupChildren(canvas, limit, caption) {
  const cy = canvas.cy;
  const children = outerChildren(cy);
  const childIds = new Set([...children.values()].flatMap((kids) => kids.map((kid) => kid.node.id())));
  const opened = new Set();

  function apply() {
    const visible = new Set(cy.nodes().filter((n) => !childIds.has(n.id())).map((n) => n.id()));
    const hiddenOf = new Map();
    const parents = [...children.keys()].map((id) => cy.getElementById(id)).sort((a, b) => depth(a) - depth(b));
    for (const parent of parents) {
      if (!visible.has(parent.id())) continue;
      const kids = children.get(parent.id());
      const shown = opened.has(parent.id()) ? kids : kids.slice(0, limit);
      for (const kid of shown) visible.add(kid.node.id());
      hiddenOf.set(parent.id(), kids.slice(shown.length).map((kid) => kid.node));
    }
    cy.batch(() => {
      cy.nodes(`[kind = "Group"]`).remove();
      cy.nodes().forEach((n) => n.toggleClass("grouped", !visible.has(n.id())));
      for (const [parentId, hidden] of hiddenOf) {
        const rest = hidden.filter((n) => !visible.has(n.id()));
        if (rest.length) addGroup(canvas, cy.getElementById(parentId), rest, caption(rest.length));
      }
    });
  }

  apply();
  return {
    open(parentId) {
      opened.add(parentId);
      apply();
    },
    apply,
  };
}

/** parent id → its children one level further out, largest share first. */
function outerChildren(cy) {
  const children = new Map();
  cy.edges().forEach((edge) => {
    const [a, b] = [edge.source(), edge.target()];
    if (depth(a) === depth(b)) return;
    const [inner, outer] = depth(a) < depth(b) ? [a, b] : [b, a];
    edge.addClass(outer === edge.target() ? "at-target" : "at-source");
    if (level(inner) !== 0 && Math.sign(level(inner)) !== Math.sign(level(outer))) return;
    if (!children.has(inner.id())) children.set(inner.id(), []);
    children.get(inner.id()).push({ node: outer, ratio: edge.data("ratio") });
  });
  for (const kids of children.values()) {
    kids.sort((x, y) => (y.ratio ?? -1) - (x.ratio ?? -1) || String(x.node.data("label")).localeCompare(String(y.node.data("label"))));
  }
  return children;
}

function addGroup(canvas, parent, members, label) {
  const first = members[0];
  const id = `group:${parent.id()}`;
  const below = level(first) > 0;
  const at = parent.position();
  canvas.addNodes(
    [{ id, kind: "Group", label, parent: parent.id(), level: level(first), count: members.length, members: members.map((n) => n.id()) }],
    { position: () => ({ x: at.x, y: at.y + (below ? 120 : -120) }) },
  );
  const [source, target] = below ? [parent.id(), id] : [id, parent.id()];
  canvas.addEdges([{ source, target, type: GROUP }]).addClass(below ? "at-target" : "at-source");
}
