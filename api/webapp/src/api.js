// The only way the app talks to the server: the public API under /api/v1 with the
// key in the Authorization header. The key never goes into a URL.
import { session } from "./session.js";

const BASE = "/api/v1";

export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

const unauthorisedHandlers = new Set();
/** `fn(error)` runs when the server refuses the key (401): the session is over. */
export const onUnauthorised = (fn) => unauthorisedHandlers.add(fn);

function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== null && value !== "") search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

async function request(method, path, { params, body, key } = {}) {
  const token = key ?? session.key();
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(`${BASE}${path}${query(params)}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  } catch (cause) {
    throw new ApiError(0, "network", String(cause?.message ?? cause));
  }
  const payload = await response.json().catch(() => null);
  if (response.ok) return payload;
  const retry = Number(response.headers.get("Retry-After")) || undefined;
  const error = new ApiError(
    response.status,
    payload?.error ?? `http_${response.status}`,
    payload?.message ?? response.statusText,
    retry,
  );
  error.details = payload?.details; // e.g. where a refused query went wrong
  if (response.status === 401 && key === undefined) {
    for (const fn of unauthorisedHandlers) fn(error);
  }
  throw error;
}

/** A request whose answer is not JSON (DELETE's empty answer, a CSV, a report, a PDF):
 * the same key header; the Response, or an ApiError when it failed. */
export async function raw(method, path, body) {
  const headers = { Authorization: `Bearer ${session.key()}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
  });
  if (!response.ok) {
    const payload = await response.json().catch(() => null);
    throw new ApiError(response.status, payload?.error ?? `http_${response.status}`, payload?.message ?? response.statusText);
  }
  return response;
}

export const api = {
  get: (path, params) => request("GET", path, { params }),
  post: (path, body) => request("POST", path, { body }),
  /** Checks a key before it is kept: any 2xx from a cheap authenticated route. */
  check: (key) => request("GET", "/queries", { key }),

  search(text, { limit = 20, offset = 0 } = {}) {
    const value = text.trim();
    const isKey = /^[0-9A-HJ-NPQRTUWXY]{18}$/i.test(value);
    const params = isKey ? { uscc: value } : { name: value, match: "prefix", limit, offset };
    return request("GET", "/enterprises", { params });
  },
  /** Search (GET /search): firms, persons (roles that see them), addresses by any part of a name. */
  find: (q, { kind, limit = 20 } = {}) => request("GET", "/search", { params: { q: q.trim(), kind, limit } }),
  /** Filtered listing (region code prefix, industry section, risk class), riskiest first. */
  enterprises: (params) => request("GET", "/enterprises", { params }),
  enterprise: (uscc) => request("GET", `/enterprises/${encodeURIComponent(uscc)}`),
  explanation: (uscc) => request("GET", `/enterprises/${encodeURIComponent(uscc)}/explanation`),
  familyTree: (uscc, up, down) =>
    request("GET", `/enterprises/${encodeURIComponent(uscc)}/family-tree`, { params: { up, down } }),
  neighbours: (params) => request("GET", "/graph/neighbours", { params }),
  paths: (from, to, maxHops) =>
    request("GET", "/graph/paths", { params: { from, to, max_hops: maxHops, limit: 20 } }),
  clusters: (limit = 100) => request("GET", "/clusters", { params: { limit } }),
  cluster: (cid) => request("GET", `/clusters/${encodeURIComponent(cid)}`),
  alerts: (params) => request("GET", "/alerts", { params }),
  alert: (key) => request("GET", `/alerts/${encodeURIComponent(key)}`),
  setAlertStatus: (key, status, note) =>
    request("POST", `/alerts/${encodeURIComponent(key)}/status`, { body: { status, note } }),
  cases: (params) => request("GET", "/cases", { params }),
  case: (id) => request("GET", `/cases/${encodeURIComponent(id)}`),
  assignCase: (id, assignee, note) =>
    request("POST", `/cases/${encodeURIComponent(id)}:assign`, { body: { assignee, note } }),
  bulkCaseStatus: (ids, status, note) => request("POST", "/cases:bulk-status", { body: { ids, status, note } }),
  riskMap: (level, prefix) => request("GET", "/stats/risk-map", { params: { level, prefix } }),
  /** Risk classes per kind of market entity (企业, 个体工商户, 农民专业合作社). */
  kindShares: (prefix) => request("GET", "/stats/kinds", { params: { prefix } }),
  model: () => request("GET", "/model"),
  review: (params) => request("GET", "/review", { params }),
  changes: (params) => request("GET", "/scores/changes", { params }),
  reclassifications: () => request("GET", "/reclassifications"),
  dispatches: (params) => request("GET", "/dispatches", { params }),
  dispatch: (bid, params) => request("GET", `/dispatches/${encodeURIComponent(bid)}`, { params }),
  createDispatch: (body) => request("POST", "/dispatches", { body }),
  setTaskStatus: (bid, tid, status, note) =>
    request("POST", `/dispatches/${encodeURIComponent(bid)}/tasks/${encodeURIComponent(tid)}:status`, {
      body: { status, note },
    }),
};
