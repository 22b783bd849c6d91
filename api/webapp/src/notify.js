// User-facing messages: API errors in plain words, and short confirmations.
import { h, replace, tx } from "./dom.js";
import { currentLang, t } from "./i18n.js";

let area = null;
let timer = null;
let shownOn = null; // the page (hash without its query) a notice belongs to
const page = () => location.hash.split("?")[0];

export function attachNotices(el) {
  area = el;
}

/** The i18n key and parameters that explain an API error to an investigator: a sentence
 * per error kind (`errors.kind.<code>`) where the API named one, else per status. */
export function describeError(error) {
  const byKind = `errors.kind.${error?.code}`;
  if (error?.code && ![0, 401, 403, 429, 503].includes(error.status) && t(byKind) !== byKind) {
    return [byKind, { message: error.message ?? "" }];
  }
  switch (error?.status) {
    case 0:
      return ["errors.network", {}];
    case 401:
      return ["errors.401", {}];
    case 403:
      return ["errors.403", {}];
    case 404:
      return ["errors.404", { message: error.message }];
    case 409:
    case 422:
      return ["errors.refused", { message: error.message }];
    case 429:
      return ["errors.429", { seconds: error.retryAfter ?? 1 }];
    case 503:
      return ["errors.503", { seconds: error.retryAfter ?? 5 }];
    case 504:
      return ["errors.504", {}];
    default:
      return ["errors.generic", { message: error?.message ?? String(error) }];
  }
}

/** The server's own words (English, technical) on a line of their own under a Chinese
 * sentence, never inside it; English sentences carry them already. */
function detail(error) {
  if (currentLang() !== "zh" || !error?.message || [0, 401, 403, 429, 503].includes(error.status)) return null;
  return h("div", { class: "error-detail", "data-testid": "error-detail" }, tx("errors.detail"), " ", h("span", { lang: "en" }, error.message));
}

/** An inline error block (for a panel that failed to load). */
export function errorBlock(error) {
  const [key, params] = describeError(error);
  return h("div", { class: "error-block", role: "alert", "data-testid": "error" }, tx(key, params), detail(error));
}

/** After a route change: a notice of another page goes (one shown on this page stays). */
export function leavePage() {
  if (area && shownOn !== null && shownOn !== page()) {
    clearTimeout(timer);
    replace(area);
    shownOn = null;
  }
}

function show(kind, key, params, ms, extra = null) {
  if (!area) return;
  clearTimeout(timer);
  shownOn = page();
  replace(
    area,
    h(
      "div",
      { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status", "data-testid": "notice" },
      tx(key, params),
      extra,
      h("button", { class: "link", onclick: () => replace(area), i18nTitle: "common.close" }, "×"),
    ),
  );
  if (ms) timer = setTimeout(() => replace(area), ms);
}

export function notifyError(error) {
  const [key, params] = describeError(error);
  show("error", key, params, error?.status === 429 ? 8000 : 0, detail(error));
}

export const notifyOk = (key, params) => show("ok", key, params, 4000);
