// Saved views (我的视图): the list of one's own views and those shared with one
// (#/views), and a saved view reopened where it was (#/views/<vid>). Persons arrive
// masked as the reader's role requires.
import { api, raw } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { formatDate, t } from "../i18n.js";
import { errorBlock, notifyError } from "../notify.js";
import { renderRelations } from "./relations.js";
import { downloadPdf, openReport, viewPath } from "./saved_work.js";


export function renderViews(main) {
  const body = h("div", { "data-testid": "views-list" }, spinner());
  replace(main, h("div", { class: "view saved-views" }, h("h1", { i18n: "views.title" }), h("p", { class: "hint", i18n: "views.hint" }), body));
  const load = () =>
    api
      .get("/views", { limit: 200 })
      .then((page) => replace(body, page.items.length ? viewsTable(page.items, load) : h("p", { class: "hint", i18n: "views.none" })))
      .catch((error) => replace(body, errorBlock(error)));
  load();
  return undefined;
}

function viewsTable(items, reload) {
  const columns = [
    { key: "views.col_title", cell: (v) => h("a", { href: `#/views/${encodeURIComponent(v.vid)}`, "data-testid": "view-open" }, v.title) },
    { key: "views.col_owner", cell: (v) => (v.mine ? tx("views.mine") : v.created_by) },
    { key: "views.col_updated", cell: (v) => formatDate(v.updated_at) },
    { key: "views.col_nodes", class: "num", cell: (v) => String(v.node_count) },
    { key: "views.col_notes", class: "num", cell: (v) => String(v.note_count ?? 0) },
    { key: "views.col_shared", cell: (v) => [...v.shared_roles.map((r) => t(`views.role_${r}`)), ...v.shared_users].join("、") || "—" },
    {
      key: "views.col_actions",
      cell: (v) =>
        h("span", { class: "actions" },
          h("button", { class: "link", i18n: "views.report", "data-testid": "view-report", onclick: () => openReport(v.vid) }),
          h("button", { class: "link", i18n: "views.pdf", "data-testid": "view-pdf", onclick: () => downloadPdf(v.vid) }),
          v.mine
            ? h("button", { class: "link", i18n: "views.delete", "data-testid": "view-delete", onclick: () => {
                if (!window.confirm(t("views.delete_confirm", { title: v.title }))) return;
                raw("DELETE", viewPath(v.vid)).then(reload).catch(notifyError);
              } })
            : null), // prettier-ignore
    },
  ];
  return table(columns, items, { testid: "views-table" });
}

// --------------------------------------------------------------------------- #/views/<vid>

export function renderSavedView(main, side, vid) {
  let inner = null;
  let gone = false;
  replace(main, spinner());
  api
    .get(viewPath(vid))
    .then((saved) => {
      if (gone) return;
      const root = saved.state.root?.key ?? saved.state.nodes[0]?.key;
      inner = renderRelations(main, side, root, { saved });
    })
    .catch((error) => {
      if (!gone) replace(main, errorBlock(error));
    });
  return () => {
    gone = true;
    inner?.();
  };
}

