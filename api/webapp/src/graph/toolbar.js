// The toolbar every graph view has: fit, relayout, export PNG and CSV.
import { h } from "../dom.js";
import { EDGE_COLUMNS, NODE_COLUMNS, download, exportName, framedPng, toCsv } from "../export.js";
import { notifyError } from "../notify.js";

export function graphToolbar(getCanvas, view, { relayout, extra = [], title } = {}) {
  const button = (key, testid, onclick) => h("button", { class: "secondary", i18n: key, "data-testid": testid, onclick });
  const withCanvas = (fn) => () => {
    const canvas = getCanvas();
    if (canvas) fn(canvas);
  };
  return h(
    "div",
    { class: "toolbar" },
    ...extra,
    button("graph.fit", "fit", withCanvas((c) => c.fit())),
    relayout ? button("graph.relayout", "relayout", withCanvas(relayout)) : null,
    button("graph.export_png", "export-png", withCanvas(async (c) => {
      try {
        download(await framedPng(c, { title: title?.() ?? "" }), exportName(view, "png"));
      } catch (error) {
        notifyError(error);
      }
    })),
    button("graph.export_nodes", "export-nodes", withCanvas((c) => download(toCsv(c.nodeRows(), NODE_COLUMNS), exportName(`${view}-nodes`, "csv")))),
    button("graph.export_edges", "export-edges", withCanvas((c) => download(toCsv(c.edgeRows(), EDGE_COLUMNS), exportName(`${view}-edges`, "csv")))),
  );
}
