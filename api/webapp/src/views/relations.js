// Relationship view (force layout): a click on a node expands its neighbours by
// relationship type, at most CAP per type and page, with the total and "show more",
// so that a hub (an address with thousands of firms) never floods the page.
import { api } from "../api.js";
import { h, replace, tx } from "../dom.js";
import { relName } from "../i18n.js";
import { errorBlock, notifyError } from "../notify.js";
import { GraphCanvas } from "../graph/canvas.js";
import { legend } from "../graph/legend.js";
import { nodeList } from "../graph/nodelist.js";
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

/** `saved`: a saved view (GET /views/{vid}) to reopen instead of expanding `uscc`. */
export function renderRelations(main, side, uscc, { saved = null } = {}) {
  const area = h("div", { class: "graph-area", "data-testid": "relations-graph" });
  const panel = h("div", { class: "expansion", "data-testid": "expansion" }, h("p", { class: "hint", i18n: "relations.hint" }));
  const listSlot = h("div");
  let view = null;
  const work = new SavedWork(() => view, uscc, saved);
  const toolbar = graphToolbar(() => view?.canvas, "relations", {
    relayout: (c) => c.layout({ name: "fcose" }).then(() => c.fit()),
    extra: work.buttons(),
  });
  replace(main, h("div", { class: "view graph-view" }, toolbar, h("div", { class: "graph-row" }, area, panel), legend(), work.panel, listSlot));
  view = new RelationsView(area, panel, side);
  replace(listSlot, nodeList(view.canvas, (data, node) => view.pick(data, node)));
  work.attach(view);
  if (saved) showEnterprise(side, uscc);
  else view.start(uscc);
  return () => view.canvas.destroy();
}

class RelationsView {
  constructor(area, panel, side) {
    this.area = area;
    this.panel = panel;
    this.side = side;
    this.expansions = new Map(); // node id → { data, groups: Map(type|direction → group) }
    this.canvas = new GraphCanvas(area, { onTap: (data, node) => this.pick(data, node) });
  }

  async start(uscc) {
    showEnterprise(this.side, uscc);
    try {
      await this.expand({ id: uscc, kind: "Enterprise" }, { root: true });
    } catch (error) {
      replace(this.area, errorBlock(error));
    }
  }

  /** A click: show the node's details and expand it the first time. */
  pick(data, node) {
    this.canvas.cy.elements().unselect();
    node.select();
    if (data.kind === "Enterprise") showEnterprise(this.side, data.id);
    else showNode(this.side, data);
    if (this.expansions.has(data.id)) this.renderPanel(data.id);
    else this.expand(data).catch(notifyError);
  }

  async expand(data, { root = false } = {}) {
    if (!EXPANDABLE.has(data.kind)) return;
    // A person the role sees masked has a pseudonym for its id (person-…); the server
    // opens it, so a person expands like any other node and its pid never shows.
    const answer = await api.neighbours({ key: data.id, label: data.kind, limit: CAP });
    const centre = answer.node;
    if (root) {
      this.canvas.addNodes([centre], { classes: "root", position: () => ({ x: 0, y: 0 }) });
    }
    const entry = { data: centre, groups: new Map() };
    this.expansions.set(centre.id, entry);
    for (const group of answer.groups.filter((g) => RELATIONS.has(g.type))) {
      entry.groups.set(key(group), { type: group.type, direction: group.direction, total: group.total, loaded: 0 });
      this.addGroup(centre.id, group);
    }
    this.canvas.cy.getElementById(centre.id).addClass("expanded");
    this.place();
    this.renderPanel(centre.id);
  }

  async more(id, group) {
    const entry = this.expansions.get(id);
    const answer = await api.neighbours({
      key: id, label: entry.data.kind, type: group.type, direction: group.direction, offset: group.loaded, limit: CAP,
    }); // prettier-ignore
    for (const page of answer.groups) this.addGroup(id, page);
    this.place();
    this.renderPanel(id);
  }

  addGroup(id, page) {
    const group = this.expansions.get(id).groups.get(key(page));
    if (!group) return;
    group.total = page.total;
    group.loaded = page.offset + page.items.length;
    const centre = this.canvas.cy.getElementById(id).position();
    this.canvas.addNodes(page.items, { position: (_, i) => ring(centre, group.loaded - page.items.length + i, group.total) });
    this.canvas.addEdges(
      page.items.map((item) => ({
        source: page.direction === "out" ? id : item.id,
        target: page.direction === "out" ? item.id : id,
        type: page.type,
        ratio: item.relationship?.ratio ?? null,
        role: item.relationship?.role ?? null,
      })),
    );
  }

  /** Small graphs get a fresh force layout; big ones keep the ring placement. */
  place() {
    if (this.canvas.cy.nodes().length > RELAYOUT_UP_TO) return;
    this.canvas.layout({ name: "fcose", randomize: false }).then(() => this.canvas.fit());
  }

  renderPanel(id) {
    const entry = this.expansions.get(id);
    const groups = [...entry.groups.values()];
    replace(
      this.panel,
      h("h3", {}, tx("relations.neighbours_of", { name: entry.data.label ?? id })),
      groups.length
        ? h(
            "ul",
            { class: "groups", "data-testid": "groups", dataset: { node: id } },
            ...groups.map((group) =>
              h(
                "li",
                { "data-testid": `group-${group.type}-${group.direction}`, dataset: { shown: String(group.loaded), total: String(group.total) } },
                h("span", { class: "rel" }, group.direction === "out" ? "→ " : "← ", relName(group.type)),
                h("span", { class: "count" }, tx("relations.shown", { shown: group.loaded, total: group.total })),
                group.loaded < group.total
                  ? h("button", {
                      class: "secondary small", "data-testid": "show-more", i18n: "relations.show_more",
                      i18nParams: { n: Math.min(CAP, group.total - group.loaded) },
                      onclick: (event) => {
                        event.currentTarget.disabled = true;
                        this.more(id, group).catch(notifyError);
                      },
                    }) // prettier-ignore
                  : null,
              ),
            ),
          )
        : h("p", { class: "hint", i18n: "relations.no_neighbours" }),
      h("p", { class: "hint" }, tx("relations.cap", { cap: CAP })),
    );
  }
}

const key = (group) => `${group.type}|${group.direction}`;

/** Spiral positions around a centre, so new neighbours never pile on one spot. */
function ring(centre, index, total) {
  const angle = index * 2.399963; // the golden angle
  const radius = 90 + 14 * Math.sqrt(index) + Math.min(total, 200) * 0.3;
  return { x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) };
}
