// Downloads of the current view: PNG from cytoscape, nodes and edges as CSV (UTF-8 with
// a BOM so that spreadsheet programs read Chinese correctly).
import { h } from "./dom.js";

export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, class: "hidden" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function cell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  // A leading = + - @ would run as a formula in a spreadsheet.
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows, columns) {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const lines = [cols.join(","), ...rows.map((row) => cols.map((c) => cell(row[c])).join(","))];
  return new Blob([`\ufeff${lines.join("\r\n")}\r\n`], { type: "text/csv;charset=utf-8" });
}

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "");
export const exportName = (view, ext) => `riskgraph-${view}-${stamp()}.${ext}`;

export const NODE_COLUMNS = ["id", "kind", "label", "risk_class", "label_class", "risk_score", "level", "share"];
export const EDGE_COLUMNS = ["source", "target", "type", "ratio", "role"];
