// Relationship view (force layout): a click on a node expands its neighbours by
// relationship type. A type with at most CAP neighbours shows them; a bigger one (a
// hub: an address with 321 firms) shows group nodes per kind and risk class
// ("C类企业 42"), and a click on a group brings its next CAP members. Nodes can be
// removed, hidden, pinned; an expansion can be collapsed (what it added goes); every
// change can be undone (Ctrl+Z) and redone (Ctrl+Shift+Z). A time slider shows the
// graph as of a date. getState()/setState() hand the whole view over as plain JSON.
import { api } from "../api.js";
import { h, replace, tx } from "../dom.js";
import { relName, t } from "../i18n.js";
import { errorBlock, notifyError } from "../notify.js";
import { GraphCanvas, spiral } from "../graph/canvas.js";
import { History, bindUndoKeys } from "../graph/history.js";
import { legend } from "../graph/legend.js";
import { nodeList } from "../graph/nodelist.js";
import { STATE_VERSION, captureGraph, checkState, restoreGraph, setActiveGraphView } from "../graph/state.js";
import { applyTime, timeSlider } from "../graph/timeslider.js";
import { graphToolbar } from "../graph/toolbar.js";
import { showEnterprise, showNode } from "./detail.js";
import { SavedWork } from "./saved_work.js";

export const CAP = 20;
/** Relationship types an investigator follows (not assessments or cluster bookkeeping). */
const RELATIONS = new Set([
  "LEGAL_REP_OF", "HOLDS_POSITION", "INVESTS_IN", "SHAREHOLDER_OF", "BRANCH_OF", "REGISTERED_AT", "HAS_VIOLATION",
]); // prettier-ignore
const RELAYOUT_UP_TO = 400;
const EXPANDABLE = new Set(["Enterprise", "Address", "Person", "Violation"]);
const GROUP_EDGE = "GROUP";

/** `saved`: a saved view (GET /views/{vid}) to reopen instead of expanding `uscc`. */
export function renderRelations(main, side, uscc, { saved = null } = {}) {
  const area = h("div", { class: "graph-area", "data-testid": "relations-graph" });
  const panel = h("div", { class: "expansion", "data-testid": "expansion" }, h("p", { class: "hint", i18n: "relations.hint" }));
  const listSlot = h("div");
  let view = null;
  const work = new SavedWork(() => view, uscc, saved);
  const button = (key, testid, onclick) => h("button", { class: "secondary", i18n: key, "data-testid": testid, onclick });
  const undo = button("graph.undo", "undo", () => view.history.undo());
  const redo = button("graph.redo", "redo", () => view.history.redo());
  const unhide = button("graph.show_hidden", "show-hidden", () => view.showHidden());
  const slider = timeSlider((asOf) => view.setTime(asOf));
  const toolbar = graphToolbar(() => view?.canvas, "relations", {
    relayout: () => view.relayout(),
    extra: [undo, redo, unhide, ...work.buttons()],
    title: () => view?.title() ?? "",
  });
  replace(
    main,
    h("div", { class: "view graph-view" }, toolbar, h("div", { class: "toolbar" }, slider.element),
      h("div", { class: "graph-row" }, area, panel), legend(), work.panel, listSlot), // prettier-ignore
  );
  view = new RelationsView(area, panel, side, slider);
  const sync = () => {
    undo.disabled = !view.history.canUndo;
    redo.disabled = !view.history.canRedo;
  };
  view.history.onChange = sync;
  sync();
  replace(listSlot, nodeList(view.canvas, (data, node) => view.pick(data, node)));
  const unbindUndo = bindUndoKeys(view.history);
  const onDelete = (event) => {
    if (event.key !== "Delete" || event.target?.closest?.("input, textarea, select")) return;
    if (view.selectedId && view.canvas.has(view.selectedId)) view.remove(view.selectedId).catch(notifyError);
  };
  document.addEventListener("keydown", onDelete);
  const unbind = () => {
    unbindUndo();
    document.removeEventListener("keydown", onDelete);
  };
  const unregister = setActiveGraphView({ name: "relations", getState: () => view.getState(), setState: (s) => view.setState(s) });
  work.attach(view);
  if (saved) {
    view.root = uscc;
    showEnterprise(side, uscc);
  } else view.start(uscc);
  return () => {
    unbind();
    unregister();
    view.canvas.destroy();
  };
}

class RelationsView {
  constructor(area, panel, side, slider) {
    this.area = area;
    this.panel = panel;
    this.side = side;
    this.slider = slider;
    this.root = null;
    this.asOf = null;
    this.selectedId = null;
    this.expansions = new Map(); // node id → { data, groups: Map(type|direction → group) }
    this.history = new History();
    this.canvas = new GraphCanvas(area, {
      onTap: (data, node) => this.pick(data, node),
      nodeName: (d) => (d.kind === "Group" ? groupCaption(d) : d.label ?? d.id),
    });
    area.riskgraphView = this; // the browser tests' hook, beside the canvas's
  }

  title() {
    const root = this.root && this.canvas.cy.getElementById(this.root);
    return root?.nonempty() ? t("relations.title", { name: root.data("label") ?? this.root }) : "";
  }

  async start(uscc) {
    this.root = uscc;
    showEnterprise(this.side, uscc);
    try {
      await this.expand({ id: uscc, kind: "Enterprise" }, { root: true });
    } catch (error) {
      replace(this.area, errorBlock(error));
    }
  }

  /** Runs `change` (sync or async) as one undoable command. */
  async record(label, change) {
    const before = this.getState();
    const result = await change();
    const after = this.getState();
    this.history.push({ label, undo: () => this.setState(before), redo: () => this.setState(after) });
    return result;
  }

  /** A click: details and, the first time, the expansion; a group node opens a page. */
  pick(data, node) {
    this.canvas.cy.elements().unselect();
    node.select();
    this.selectedId = data.id;
    if (data.kind === "Group") {
      this.record("open-group", () => this.openGroup(data.id)).catch(notifyError);
      return;
    }
    if (data.kind === "Enterprise") showEnterprise(this.side, data.id);
    else showNode(this.side, data);
    if (this.expansions.has(data.id) || !EXPANDABLE.has(data.kind)) this.renderPanel(data.id);
    else this.record("expand", () => this.expand(data)).catch(notifyError);
  }

  async expand(data, { root = false } = {}) {
    // A person the role sees masked has a pseudonym for its id (person-…); the server
    // opens it, so a person expands like any other node and its pid never shows.
    const answer = await api.neighbours({ key: data.id, label: data.kind, limit: CAP, by_class: true });
    const centre = answer.node;
    if (root) {
      this.canvas.addNodes([centre], { classes: "root", position: () => ({ x: 0, y: 0 }) });
      this.root = centre.id;
    }
    const entry = { data: centre, groups: new Map() };
    this.expansions.set(centre.id, entry);
    for (const page of answer.groups.filter((g) => RELATIONS.has(g.type))) {
      const group = { type: page.type, direction: page.direction, total: page.total, loaded: 0, classes: null };
      entry.groups.set(key(page), group);
      if (page.total <= CAP) this.addItems(centre.id, group, page.items);
      else this.addClassGroups(centre.id, group, page.classes ?? []);
    }
    this.canvas.cy.getElementById(centre.id).addClass("expanded");
    this.afterChange();
    this.renderPanel(centre.id);
  }

  /** The next page of one class group (a click on it, or its button in the panel). */
  async openGroup(groupId) {
    const node = this.canvas.cy.getElementById(groupId);
    if (node.empty()) return;
    const g = node.data();
    const entry = this.expansions.get(g.hub);
    const group = entry.groups.get(key(g));
    const answer = await api.neighbours({
      key: g.hub, label: entry.data.kind, type: g.type, direction: g.direction, risk_class: g.cls, offset: g.loaded, limit: CAP,
    }); // prettier-ignore
    const [page] = answer.groups;
    const items = page?.items ?? [];
    this.addItems(g.hub, group, items, node.position());
    const loaded = g.loaded + items.length;
    const member = group.classes.find((c) => c.id === groupId);
    member.loaded = loaded;
    if (loaded >= g.total || !items.length) node.remove();
    else {
      node.data("loaded", loaded);
      this.canvas.relabel(node);
    }
    this.afterChange();
    this.renderPanel(g.hub);
  }

  addItems(hubId, group, items, around) {
    group.loaded += items.length;
    const centre = around ?? this.canvas.cy.getElementById(hubId).position();
    const start = this.canvas.cy.nodes().length;
    this.canvas.addNodes(items.map((item) => ({ ...item, by: hubId })), { position: (_, i) => spiral(start + i, centre, 30) });
    this.canvas.addEdges(
      items.map((item) => ({
        source: group.direction === "out" ? hubId : item.id,
        target: group.direction === "out" ? item.id : hubId,
        type: group.type,
        ratio: item.relationship?.ratio ?? null,
        role: item.relationship?.role ?? null,
        since: item.relationship?.since ?? null,
        until: item.relationship?.until ?? null,
        by: hubId,
      })),
    );
  }

  addClassGroups(hubId, group, classes) {
    const centre = this.canvas.cy.getElementById(hubId).position();
    group.classes = classes.map((c) => ({ ...c, id: `group:${hubId}|${group.type}|${group.direction}|${c.kind}|${c.cls}`, loaded: 0 }));
    const start = this.canvas.cy.nodes().length;
    const nodes = group.classes.map((c) => ({
      id: c.id, kind: "Group", hub: hubId, type: group.type, direction: group.direction, member_kind: c.kind,
      cls: c.cls === "none" ? null : c.cls, risk_class: c.cls === "none" ? null : c.cls, rclass: c.cls, total: c.total, loaded: 0, by: hubId,
    })); // prettier-ignore
    this.canvas.addNodes(nodes, { position: (_, i) => spiral(start + i, centre, 50) });
    this.canvas.addEdges(
      nodes.map((n) => ({ source: group.direction === "out" ? hubId : n.id, target: group.direction === "out" ? n.id : hubId, type: GROUP_EDGE, by: hubId })),
    );
  }

  afterChange() {
    this.slider.refresh(this.canvas.cy, this.asOf);
    this.asOf = this.slider.asOf();
    applyTime(this.canvas.cy, this.asOf, (n) => n.id() === this.root);
    this.place();
  }

  /** Small graphs get a fresh force layout (pinned nodes stay); big ones keep the spiral. */
  place() {
    if (this.canvas.cy.nodes().length > RELAYOUT_UP_TO) return;
    this.relayout();
  }

  relayout() {
    const shown = this.canvas.shown();
    return this.canvas.layout({ name: "fcose", randomize: false }, shown).then(() => this.canvas.fit());
  }

  // ---- commands on the selected node (the panel's buttons, Delete) ----

  remove(id) {
    return this.record("remove", () => {
      this.canvas.cy.getElementById(id).remove();
      this.expansions.delete(id);
      this.afterEdit();
    });
  }

  hide(id) {
    return this.record("hide", () => {
      this.canvas.cy.getElementById(id).addClass("hidden").unselect();
      this.afterEdit();
    });
  }

  showHidden() {
    if (this.canvas.cy.nodes(".hidden").empty()) return undefined;
    return this.record("show-hidden", () => this.canvas.cy.nodes(".hidden").removeClass("hidden"));
  }

  pin(id) {
    return this.record("pin", () => {
      const node = this.canvas.cy.getElementById(id);
      const pinned = !node.hasClass("pinned");
      node.toggleClass("pinned", pinned);
      if (pinned) node.lock();
      else node.unlock();
      this.renderPanel(id);
    });
  }

  /** Removes what the expansion of `id` added, and what their own expansions added. */
  collapse(id) {
    if (!this.expansions.has(id)) return undefined;
    return this.record("collapse", () => {
      const cy = this.canvas.cy;
      const hubs = [id];
      const gone = cy.collection();
      for (let i = 0; i < hubs.length; i += 1) {
        const added = cy.elements().filter((ele) => ele.data("by") === hubs[i] && ele.id() !== this.root);
        gone.merge(added);
        added.nodes().forEach((n) => this.expansions.has(n.id()) && hubs.push(n.id()));
      }
      cy.batch(() => gone.remove());
      for (const hub of hubs) this.expansions.delete(hub);
      cy.getElementById(id).removeClass("expanded");
      this.afterEdit();
    });
  }

  afterEdit() {
    this.slider.refresh(this.canvas.cy, this.asOf);
    this.asOf = this.slider.asOf();
    applyTime(this.canvas.cy, this.asOf, (n) => n.id() === this.root);
    this.renderPanel(this.selectedId);
  }

  /** The slider moved (not a command: dragging would fill the history). */
  setTime(asOf) {
    this.asOf = asOf;
    applyTime(this.canvas.cy, asOf, (n) => n.id() === this.root);
  }

  // ---- state ----

  /** The view as plain JSON (docs/web.md, "View state"). */
  getState() {
    return {
      version: STATE_VERSION,
      view: "relations",
      root: this.root,
      ...captureGraph(this.canvas.cy),
      expansions: [...this.expansions].map(([id, entry]) => ({
        id,
        data: entry.data,
        groups: [...entry.groups.values()].map((g) => ({ ...g, classes: g.classes && g.classes.map((c) => ({ ...c })) })),
      })),
      filters: { as_of: this.asOf },
    };
  }

  setState(state) {
    checkState(state, "relations");
    this.root = state.root;
    restoreGraph(this.canvas, state);
    this.expansions = new Map(
      state.expansions.map((e) => [e.id, { data: e.data, groups: new Map(e.groups.map((g) => [key(g), { ...g }])) }]),
    );
    this.asOf = state.filters?.as_of ?? null;
    this.slider.refresh(this.canvas.cy, this.asOf);
    applyTime(this.canvas.cy, this.asOf, (n) => n.id() === this.root);
    const selected = this.canvas.cy.nodes(":selected");
    this.selectedId = selected.nonempty() ? selected.id() : null;
    this.renderPanel(this.selectedId);
  }

  // ---- the side panel ----

  renderPanel(id) {
    const node = id ? this.canvas.cy.getElementById(id) : null;
    if (!node || node.empty()) {
      replace(this.panel, h("p", { class: "hint", i18n: "relations.hint" }));
      return;
    }
    const entry = this.expansions.get(id);
    const groups = entry ? [...entry.groups.values()] : [];
    replace(
      this.panel,
      h("h3", {}, tx("relations.neighbours_of", { name: node.data("label") ?? id })),
      this.actions(node),
      !entry
        ? null
        : groups.length
          ? h("ul", { class: "groups", "data-testid": "groups", dataset: { node: id } }, ...groups.map((g) => this.groupItem(id, g)))
          : h("p", { class: "hint", i18n: "relations.no_neighbours" }),
      h("p", { class: "hint" }, tx("relations.cap", { cap: CAP })),
    );
  }

  actions(node) {
    const id = node.id();
    const act = (key, testid, fn) => h("button", { class: "secondary small", i18n: key, "data-testid": testid, onclick: () => Promise.resolve(fn()).catch(notifyError) });
    return h(
      "div",
      { class: "node-actions", "data-testid": "node-actions" },
      act("graph.remove", "remove-node", () => this.remove(id)),
      act("graph.hide", "hide-node", () => this.hide(id)),
      this.expansions.has(id) ? act("graph.collapse", "collapse-node", () => this.collapse(id)) : null,
      act(node.hasClass("pinned") ? "graph.unpin" : "graph.pin", "pin-node", () => this.pin(id)),
    );
  }

  groupItem(id, group) {
    const classes = group.classes ?? [];
    const shown = group.loaded;
    return h(
      "li",
      { "data-testid": `group-${group.type}-${group.direction}`, dataset: { shown: String(shown), total: String(group.total), grouped: String(Boolean(group.classes)) } },
      h("span", { class: "rel" }, group.direction === "out" ? "→ " : "← ", relName(group.type)),
      h("span", { class: "count" }, tx("relations.shown", { shown, total: group.total })),
      classes.length
        ? h(
            "ul",
            { class: "class-groups" },
            ...classes.map((c) =>
              h(
                "li",
                { "data-testid": "class-group", dataset: { id: c.id, cls: c.cls, kind: c.kind, total: String(c.total), shown: String(c.loaded) } },
                h("span", {}, groupCaption({ member_kind: c.kind, rclass: c.cls, total: c.total, loaded: 0 })),
                c.loaded < c.total && this.canvas.has(c.id)
                  ? h("button", {
                      class: "secondary small", "data-testid": "open-group", i18n: "relations.show_more",
                      i18nParams: { n: Math.min(CAP, c.total - c.loaded) },
                      onclick: (event) => {
                        event.currentTarget.disabled = true;
                        this.record("open-group", () => this.openGroup(c.id)).catch(notifyError);
                      },
                    }) // prettier-ignore
                  : null,
              ),
            ),
          )
        : null,
    );
  }
}

const key = (group) => `${group.type}|${group.direction}`;

/** "C类企业 42", "自然人 57"; once pages are open, what is left: "C类企业 还有 22". */
function groupCaption(g) {
  const rclass = g.rclass ?? "none";
  const what = g.member_kind === "Enterprise" && rclass !== "none" ? t("relations.class_firms", { cls: rclass }) : t(`kind.${g.member_kind}`);
  return g.loaded ? t("relations.group_left", { what, n: g.total - g.loaded }) : t("relations.group", { what, n: g.total });
}
