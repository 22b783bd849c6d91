// Family-tree grouping (股权穿透 with many investees): a parent shows its first
// `limit` children by share on each side (shareholders above, investees below); the
// rest go into one group box per parent and side ("其余 24 家"), and opening the group
// shows them. A child shown by any parent stays shown.
const GROUP = "GROUP";

const level = (node) => node.data("level") ?? 0;
const depth = (node) => Math.abs(level(node));

/** Groups the children of every parent of the tree in `canvas`; returns { open, apply }
 * (`open(key)` with a group node's `key`). */
export function groupChildren(canvas, limit, caption) {
  const cy = canvas.cy;
  const children = outerChildren(cy);
  const childIds = new Set([...children.values()].flatMap(({ kids }) => kids.map((kid) => kid.node.id())));
  const opened = new Set();

  function apply() {
    const visible = new Set(cy.nodes().filter((n) => !childIds.has(n.id())).map((n) => n.id()));
    const hiddenOf = new Map();
    const keys = [...children.keys()].sort((a, b) => depth(children.get(a).owner) - depth(children.get(b).owner));
    for (const key of keys) {
      const { owner, kids } = children.get(key);
      if (!visible.has(owner.id())) continue;
      const shown = opened.has(key) ? kids : kids.slice(0, limit);
      for (const kid of shown) visible.add(kid.node.id());
      hiddenOf.set(key, kids.slice(shown.length).map((kid) => kid.node));
    }
    cy.batch(() => {
      cy.nodes(`[kind = "Group"]`).remove();
      cy.nodes().forEach((n) => n.toggleClass("grouped", !visible.has(n.id())));
      for (const [key, hidden] of hiddenOf) {
        const rest = hidden.filter((n) => !visible.has(n.id()));
        if (rest.length) addGroup(canvas, key, children.get(key).owner, rest, caption(rest.length));
      }
    });
  }

  apply();
  return {
    open(key) {
      opened.add(key);
      apply();
    },
    apply,
  };
}

/** "parent id|side" → the parent (owner) and its children one level further out on
 * that side, largest share first. */
function outerChildren(cy) {
  const children = new Map();
  cy.edges().forEach((edge) => {
    const [a, b] = [edge.source(), edge.target()];
    if (depth(a) === depth(b)) return;
    const [inner, outer] = depth(a) < depth(b) ? [a, b] : [b, a];
    edge.addClass(outer === edge.target() ? "at-target" : "at-source");
    if (level(inner) !== 0 && Math.sign(level(inner)) !== Math.sign(level(outer))) return;
    const key = `${inner.id()}|${level(outer) > 0 ? "down" : "up"}`;
    if (!children.has(key)) children.set(key, { owner: inner, kids: [] });
    children.get(key).kids.push({ node: outer, ratio: edge.data("ratio") });
  });
  for (const { kids } of children.values()) {
    kids.sort((x, y) => (y.ratio ?? -1) - (x.ratio ?? -1) || String(x.node.data("label")).localeCompare(String(y.node.data("label"))));
  }
  return children;
}

function addGroup(canvas, key, parent, members, label) {
  const first = members[0];
  const id = `group:${key}`;
  const below = level(first) > 0;
  const at = parent.position();
  canvas.addNodes(
    // (never a `parent` field: cytoscape would make the group a compound child)
    [{ id, kind: "Group", label, key, owner: parent.id(), level: level(first), count: members.length, members: members.map((n) => n.id()) }],
    { position: () => ({ x: at.x, y: at.y + (below ? 120 : -120) }) },
  );
  const [source, target] = below ? [parent.id(), id] : [id, parent.id()];
  canvas.addEdges([{ source, target, type: GROUP }]).addClass(below ? "at-target" : "at-source");
}
