// Chinese by default, English on request; the choice (not sensitive) is kept in localStorage.
import en from "./i18n/en.js";
import zh from "./i18n/zh.js";

const DICTS = { zh, en };
const STORAGE = "riskgraph.lang";
const listeners = new Set();
let lang = DICTS[localStorage.getItem(STORAGE)] ? localStorage.getItem(STORAGE) : "zh";

export const currentLang = () => lang;

/** The text for `key` in the current language, `{name}` placeholders filled. */
export function t(key, params) {
  const text = DICTS[lang][key] ?? DICTS.zh[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

/** Re-translate every marked element under `root` (itself included). */
export function applyTo(root) {
  const marked = root.querySelectorAll
    ? [root, ...root.querySelectorAll("[data-i18n],[data-i18n-placeholder],[data-i18n-title]")]
    : [];
  for (const el of marked) {
    if (!el.dataset) continue;
    const params = el.dataset.i18nParams ? JSON.parse(el.dataset.i18nParams) : undefined;
    if (el.dataset.i18n) el.textContent = t(el.dataset.i18n, params);
    if (el.dataset.i18nPlaceholder) el.placeholder = t(el.dataset.i18nPlaceholder);
    if (el.dataset.i18nTitle) el.title = t(el.dataset.i18nTitle);
  }
}

export function setLang(next) {
  if (!DICTS[next] || next === lang) return;
  lang = next;
  localStorage.setItem(STORAGE, next);
  document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
  document.title = t("app.title");
  applyTo(document.body);
  for (const fn of listeners) fn(next);
}

/** Called after each language change (graphs re-label their elements). */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Translation of a relationship type, falling back to the type itself. */
export const relName = (type) => t(`rel.${type}`) === `rel.${type}` ? type : t(`rel.${type}`);

export function formatPercent(value, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(value)) return "";
  return `${(value * 100).toFixed(digits)}%`;
}

export function formatDate(value) {
  if (!value) return "";
  return String(value).replace("T", " ").replace(/\.\d+Z?$|Z$/, "").slice(0, 16);
}
