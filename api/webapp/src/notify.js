// User-facing messages: API errors in plain words, and short confirmations.
import { h, replace, tx } from "./dom.js";

let area = null;
let timer = null;

export function attachNotices(el) {
  area = el;
}

/** The i18n key and parameters that explain an API error to an investigator. */
export function describeError(error) {
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

/** An inline error block (for a panel that failed to load). */
export function errorBlock(error) {
  const [key, params] = describeError(error);
  return h("div", { class: "error-block", role: "alert", "data-testid": "error" }, tx(key, params));
}

function show(kind, key, params, ms) {
  if (!area) return;
  clearTimeout(timer);
  replace(
    area,
    h(
      "div",
      { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status", "data-testid": "notice" },
      tx(key, params),
      h("button", { class: "link", onclick: () => replace(area), i18nTitle: "common.close" }, "×"),
    ),
  );
  if (ms) timer = setTimeout(() => replace(area), ms);
}

export function notifyError(error) {
  const [key, params] = describeError(error);
  show("error", key, params, error?.status === 429 ? 8000 : 0);
}

export const notifyOk = (key, params) => show("ok", key, params, 4000);
