// A tiny element builder: text is always set as text, never parsed as HTML.
import { applyTo } from "./i18n.js";

/**
 * h("button", { class: "primary", onclick: fn, i18n: "search.go" }, "child", node)
 * Attributes starting with "on" become listeners; `i18n` (and `i18nParams`) set a
 * translated text that follows language changes; `dataset` fills data-* attributes.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      el.className = value;
    } else if (name === "dataset") {
      Object.assign(el.dataset, value);
    } else if (name === "i18n") {
      el.dataset.i18n = value;
    } else if (name === "i18nParams") {
      el.dataset.i18nParams = JSON.stringify(value);
    } else if (name === "i18nPlaceholder" || name === "i18nTitle") {
      el.dataset[name] = value;
    } else if (name === "value") {
      el.value = value;
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(el, children);
  if (attrs.i18n || attrs.i18nPlaceholder || attrs.i18nTitle) applyTo(el);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A translated text node (a span that follows language changes). */
export const tx = (key, params) => h("span", { i18n: key, i18nParams: params });

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

/** A table from column specs { key (i18n), cell(row) → node|text, class }. */
export function table(columns, rows, { onRow, rowClass, testid } = {}) {
  const head = h("tr", {}, ...columns.map((c) => h("th", { class: c.class, i18n: c.key })));
  const body = rows.map((row) => {
    const tr = h(
      "tr",
      { class: [onRow ? "clickable" : "", rowClass ? rowClass(row) : ""].join(" ").trim() },
      ...columns.map((c) => h("td", { class: c.class }, c.cell(row))),
    );
    if (onRow) tr.addEventListener("click", (event) => onRow(row, event));
    return tr;
  });
  return h(
    "table",
    { class: "grid", "data-testid": testid },
    h("thead", {}, head),
    h("tbody", {}, ...body),
  );
}

export function spinner() {
  return h("div", { class: "spinner", role: "status" }, tx("common.loading"));
}
