// Downloads of the current view: PNG from cytoscape, nodes and edges as CSV (UTF-8 with
// a BOM so that spreadsheet programs read Chinese correctly).
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { KIND_SHAPES, NO_CLASS_COLOUR, RISK_COLOURS, nodeColour } from "./graph/style.js";

/** The frame around an exported graph, in CSS pixels (times the scale). */
export const FRAME = { pad: 24, header: 64, legend: 44 };

const LEGEND = [
  ...Object.keys(RISK_COLOURS).map((cls) => ({ key: `risk.${cls}`, colour: RISK_COLOURS[cls], shape: "round-rectangle" })),
  { key: "risk.none", colour: NO_CLASS_COLOUR, shape: "round-rectangle" },
  ...["Person", "Address", "Violation"].map((kind) => ({ key: `kind.${kind}`, colour: nodeColour({ kind }), shape: KIND_SHAPES[kind] })),
];

/** The graph at `scale` with a title, the date and time of the export and a legend drawn in. */
export async function framedPng(canvas, { title = "", scale = 2 } = {}) {
  const bitmap = await createImageBitmap(await canvas.png({ scale }));
  const pad = FRAME.pad * scale;
  const header = FRAME.header * scale;
  const legendHeight = FRAME.legend * scale;
  const out = document.createElement("canvas");
  out.width = Math.max(bitmap.width + 2 * pad, 640 * scale);
  out.height = header + bitmap.height + legendHeight + pad;
  const ctx = out.getContext("2d");
  const font = (px, weight = "normal") => `${weight} ${px * scale}px "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif`;
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = "#212121";
  ctx.font = font(20, "bold");
  ctx.textBaseline = "alphabetic";
  ctx.fillText(title || t("app.title"), pad, pad + 20 * scale);
  ctx.fillStyle = "#616161";
  ctx.font = font(12);
  ctx.fillText(t("export.stamp", { when: new Date().toLocaleString(), app: t("app.title") }), pad, pad + 40 * scale);
  ctx.strokeStyle = "#e0e0e0";
  ctx.strokeRect(pad / 2, header - 6 * scale, out.width - pad, bitmap.height + 12 * scale);
  ctx.drawImage(bitmap, pad, header);
  drawLegend(ctx, pad, header + bitmap.height + 18 * scale, scale, font);
  return new Promise((resolve, reject) => out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("PNG export failed"))), "image/png"));
}

function shapePath(ctx, shape, x, y, size) {
  const corners = {
    diamond: [[0.5, 0], [1, 0.5], [0.5, 1], [0, 0.5]],
    triangle: [[0.5, 0], [1, 1], [0, 1]],
  }[shape]; // prettier-ignore
  ctx.beginPath();
  if (shape === "ellipse") ctx.arc(x + size / 2, y + size / 2, size / 2, 0, 2 * Math.PI);
  else if (!corners) ctx.rect(x, y, size, size);
  else corners.forEach(([cx, cy], i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, x + cx * size, y + cy * size));
  ctx.closePath();
}

function drawLegend(ctx, x, y, scale, font) {
  ctx.font = font(12);
  ctx.textBaseline = "middle";
  let at = x;
  for (const item of LEGEND) {
    const size = 12 * scale;
    ctx.fillStyle = item.colour;
    shapePath(ctx, item.shape, at, y, size);
    ctx.fill();
    ctx.fillStyle = "#212121";
    const label = t(item.key);
    ctx.fillText(label, at + size + 4 * scale, y + size / 2);
    at += size + 4 * scale + ctx.measureText(label).width + 16 * scale;
  }
}

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
