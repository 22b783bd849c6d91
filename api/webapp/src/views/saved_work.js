// The saved-view tools inside the relationship view: save (with the picture the report
// shows), share by link with keys or roles, notes on nodes and links, the case report.
import { api, raw } from "../api.js";
import { h, replace, tx } from "../dom.js";
import { download } from "../export.js";
import { formatDate, relName, t } from "../i18n.js";
import { notifyError, notifyOk } from "../notify.js";
import { session } from "../session.js";
import { restore, snapshot } from "../graph/snapshot.js";

const PICTURE = { output: "base64uri", full: true, bg: "#ffffff", scale: 1, maxWidth: 1600, maxHeight: 1600 };
const SHARE_ROLES = ["investigator", "analyst"];
/** The caller's key id (``rgk_<id>_<secret>``), as the server names authors. */
const myKeyId = () => (session.key() ?? "").split("_")[1] ?? "";


export const viewPath = (vid) => `/views/${encodeURIComponent(vid)}`;
export const viewLink = (vid) => `${location.origin}${location.pathname}#/views/${encodeURIComponent(vid)}`;

/** The case report in a new tab (fetched with the key, shown from a blob URL). */
export async function openReport(vid) {
  const tab = window.open("about:blank", "_blank");
  try {
    const blob = await (await raw("GET", `${viewPath(vid)}/report`)).blob();
    const url = URL.createObjectURL(new Blob([blob], { type: "text/html" }));
    if (tab) tab.location.href = url;
    else window.open(url, "_blank");
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (error) {
    tab?.close();
    notifyError(error);
  }
}

export async function downloadPdf(vid) {
  try {
    const blob = await (await raw("GET", `${viewPath(vid)}/report.pdf`)).blob();
    download(blob, `riskgraph-${vid}.pdf`);
  } catch (error) {
    notifyError(error);
  }
}


/** The saved-view tools of a relationship view: toolbar buttons (save, share, report),
 * and a panel with the title, the share form and the notes. */
export class SavedWork {
  constructor(getView, root, saved) {
    this.getView = getView;
    this.root = root;
    this.saved = saved ?? null;
    this.title = h("input", { class: "view-title", maxlength: 200, "data-testid": "view-title", i18nPlaceholder: "views.title_placeholder", value: saved?.title ?? "" });
    this.panel = h("div", { class: "saved-work", "data-testid": "saved-work" });
    this.notesBox = h("div", { class: "notes", "data-testid": "notes" });
    this.shareBox = h("div", { class: "share hidden", "data-testid": "share-box" });
    this.selection = null;
    replace(this.panel, this.shareBox, this.notesBox);
  }

  buttons() {
    const button = (key, testid, onclick) => h("button", { class: "secondary", i18n: key, "data-testid": testid, onclick });
    return [
      this.title,
      button("views.save", "view-save", () => this.save().catch(notifyError)),
      button("views.share", "view-share", () => this.toggleShare()),
      button("views.report", "view-report", () => (this.saved ? openReport(this.saved.vid) : notifyOk("views.save_first"))),
      button("views.pdf", "view-pdf", () => (this.saved ? downloadPdf(this.saved.vid) : notifyOk("views.save_first"))),
    ];
  }

  /** Called once the RelationsView exists: restores a saved view, follows selection. */
  attach(view) {
    const cy = view.canvas.cy;
    cy.style()
      .selector("node.noted").style({ "border-color": "#f9a825", "border-width": 4, "border-style": "solid" })
      .selector("edge.noted").style({ "line-color": "#f9a825", "target-arrow-color": "#f9a825", width: 3 })
      .update(); // prettier-ignore
    cy.on("select", "node, edge", (event) => this.select(event.target));
    cy.on("tap", "edge", (event) => {
      cy.elements().unselect();
      event.target.select();
    });
    if (this.saved) {
      restore(view, this.saved.state);
      view.area.dataset.restored = this.saved.vid;
      performance.mark("rg:view-restored");
    }
    this.renderNotes();
  }

  async save() {
    const view = this.getView();
    const title = this.title.value.trim() || `${t("views.untitled")} ${new Date().toLocaleString()}`;
    const state = snapshot(view, this.root);
    const own = this.saved?.mine;
    const saved = own
      ? await api.post(viewPath(this.saved.vid), { title, state })
      : await api.post("/views", { title, state });
    this.saved = saved;
    this.title.value = saved.title;
    history.replaceState(null, "", `#/views/${encodeURIComponent(saved.vid)}`);
    const png = await view.canvas.cy.png(PICTURE);
    await api.post(`${viewPath(saved.vid)}/picture`, { png }).catch(notifyError);
    notifyOk("views.saved_ok", { title: saved.title });
    this.renderNotes();
    view.area.dataset.saved = saved.vid; // last: the save, its picture and the notes are done
  }

  toggleShare() {
    if (!this.saved) return notifyOk("views.save_first");
    if (!this.saved.mine) return notifyOk("views.not_owner");
    const open = this.shareBox.classList.toggle("hidden") === false;
    if (!open) return undefined;
    const users = h("input", { "data-testid": "share-users", i18nPlaceholder: "views.share_users", value: this.saved.shared_users.join(", ") });
    const roles = SHARE_ROLES.map((role) =>
      h("label", {}, h("input", { type: "checkbox", value: role, "data-testid": `share-role-${role}`, checked: this.saved.shared_roles.includes(role) }), tx(`views.role_${role}`)),
    );
    const link = h("input", { readonly: true, class: "link-box", "data-testid": "share-link", value: viewLink(this.saved.vid) });
    const submit = h("button", { class: "primary", i18n: "views.share_go", "data-testid": "share-go", onclick: async () => {
      const body = {
        users: users.value.split(/[\s,，、]+/).filter(Boolean),
        roles: roles.map((l) => l.querySelector("input")).filter((i) => i.checked).map((i) => i.value),
      };
      try {
        const shared = await api.post(`${viewPath(this.saved.vid)}/share`, body);
        this.saved = { ...this.saved, ...shared };
        notifyOk("views.shared_ok");
      } catch (error) {
        notifyError(error);
      }
    } }); // prettier-ignore
    replace(this.shareBox, h("h3", { i18n: "views.share_title" }), h("p", { class: "hint", i18n: "views.share_hint" }), users, ...roles, submit, h("p", {}, tx("views.share_link"), link));
    return undefined;
  }

  select(element) {
    this.selection = element;
    this.renderNotes();
  }

  target(element) {
    if (element.isNode()) return { node: element.id() };
    const d = element.data();
    return { edge: { source: d.from, type: d.type, target: d.to } };
  }

  describe(target) {
    const cy = this.getView()?.canvas.cy;
    const name = (id) => cy?.getElementById(id).data("label") ?? id;
    if (target.node) return name(target.node);
    return `${name(target.edge.source)} → ${name(target.edge.target)}（${relName(target.edge.type)}）`;
  }

  markNoted() {
    const cy = this.getView()?.canvas.cy;
    if (!cy) return;
    cy.elements().removeClass("noted");
    for (const note of this.saved?.notes ?? []) {
      const id = note.target.node ?? `${note.target.edge.source}>${note.target.edge.type}>${note.target.edge.target}`;
      cy.getElementById(id).addClass("noted");
    }
  }

  renderNotes() {
    this.markNoted();
    if (!this.saved) {
      replace(this.notesBox, h("h3", { i18n: "views.notes" }), h("p", { class: "hint", i18n: "views.notes_save_first" }));
      return;
    }
    const notes = this.saved.notes ?? [];
    const text = h("textarea", { rows: 2, maxlength: 2000, "data-testid": "note-text", i18nPlaceholder: "views.note_placeholder" });
    const selected = this.selection && this.selection.inside() ? this.selection : null;
    const form = selected
      ? h("div", { class: "note-form" }, h("p", {}, tx("views.note_on", { name: this.describe(this.target(selected)) })), text,
          h("button", { class: "primary", i18n: "views.note_add", "data-testid": "note-add", onclick: () => this.addNote(selected, text.value) })) // prettier-ignore
      : h("p", { class: "hint", i18n: "views.note_pick" });
    replace(
      this.notesBox,
      h("h3", {}, tx("views.notes_n", { n: notes.length })),
      form,
      h("ul", { class: "note-list", "data-testid": "note-list" },
        ...notes.map((note) => h("li", { "data-testid": "note", dataset: { nid: note.nid } },
          h("button", { class: "link", onclick: () => this.focus(note.target) }, this.describe(note.target)),
          h("span", { class: "note-text" }, note.text),
          h("span", { class: "note-meta" }, `${note.author} · ${formatDate(note.created_at)}`),
          note.author.endsWith(`:${myKeyId()}`) || this.saved.mine
            ? h("button", { class: "link", i18n: "views.delete", "data-testid": "note-delete", onclick: () => this.deleteNote(note) })
            : null))), // prettier-ignore
    );
  }

  focus(target) {
    const cy = this.getView()?.canvas.cy;
    const id = target.node ?? `${target.edge.source}>${target.edge.type}>${target.edge.target}`;
    const element = cy?.getElementById(id);
    if (!element || element.empty()) return;
    cy.elements().unselect();
    element.select();
    cy.center(element);
  }

  async addNote(element, text) {
    if (!text.trim()) return;
    try {
      const note = await api.post(`${viewPath(this.saved.vid)}/notes`, { target: this.target(element), text });
      this.saved = { ...this.saved, notes: [...(this.saved.notes ?? []), note] };
      notifyOk("views.note_ok");
      this.renderNotes();
    } catch (error) {
      notifyError(error);
    }
  }

  async deleteNote(note) {
    try {
      await raw("DELETE", `${viewPath(this.saved.vid)}/notes/${encodeURIComponent(note.nid)}`);
      this.saved = { ...this.saved, notes: this.saved.notes.filter((n) => n.nid !== note.nid) };
      this.renderNotes();
    } catch (error) {
      notifyError(error);
    }
  }
}
