// Autocomplete for any field that takes an enterprise (or another party): as the user
// types (debounced), GET /search proposes matches by any part of the name; arrow keys
// move, Enter or a click picks, Escape closes. The picked hit's key is kept on the input
// (`input.dataset.key`) while its name shows; typing again forgets it.
import { api } from "./api.js";
import { h, replace, tx } from "./dom.js";
import { riskBadge } from "./views/common.js";

const DELAY_MS = 200;
const MIN_CHARS = 2;
let lists = 0;

/**
 * Attach suggestions to `input`. Options: `kind` (enterprise, person, address or
 * undefined for all the role may see), `limit`, `onPick(hit)`.
 * Returns { resolve } : the key for the current text (the picked one, else the best exact
 * or only match found by a search), or null.
 */
export function autocomplete(input, { kind = "enterprise", limit = 8, onPick } = {}) {
  const id = `ac-list-${++lists}`;
  const list = h("ul", { class: "ac-list", role: "listbox", id, hidden: true, "data-testid": `ac-${input.name || "list"}` });
  const wrap = h("span", { class: "ac-wrap" });
  input.replaceWith(wrap);
  wrap.append(input, list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", id);
  input.setAttribute("aria-expanded", "false");
  let hits = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  const close = () => {
    list.hidden = true;
    active = -1;
    input.setAttribute("aria-expanded", "false");
  };
  const mark = () => {
    [...list.children].forEach((li, i) => li.classList.toggle("active", i === active));
    input.setAttribute("aria-activedescendant", active >= 0 ? `${id}-${active}` : "");
  };
  const pick = (hit) => {
    clearTimeout(timer); // a question still waiting or on its way must not reopen the list
    asked++;
    input.value = hit.name;
    input.dataset.key = hit.key;
    input.dataset.kind = hit.kind;
    close();
    onPick?.(hit);
  };
  const show = () => {
    replace(list, ...hits.map((hit, i) => {
      const li = h("li", { role: "option", id: `${id}-${i}`, class: "ac-item", "data-testid": "ac-item" },
        h("span", { class: "ac-name" }, hit.name),
        h("span", { class: `ac-kind kind-${hit.kind}` }, tx(`search.kind_${hit.kind}`)),
        hit.kind === "enterprise" ? riskBadge(hit.class) : null,
        hit.region ? h("span", { class: "ac-meta" }, hit.region) : null); // prettier-ignore
      li.addEventListener("mousedown", (event) => {
        event.preventDefault(); // keep the focus on the input
        pick(hit);
      });
      return li;
    }));
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
    active = -1;
  };
  const ask = async () => {
    const q = input.value.trim();
    if (q.length < MIN_CHARS) return close();
    const mine = ++asked;
    try {
      const page = await api.find(q, { kind, limit });
      if (mine !== asked) return undefined; // a later keystroke asked again
      hits = page.items;
      show();
    } catch {
      close();
    }
    return undefined;
  };

  input.addEventListener("input", () => {
    delete input.dataset.key;
    delete input.dataset.kind;
    clearTimeout(timer);
    timer = setTimeout(ask, DELAY_MS);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      active = (active + step + hits.length) % hits.length;
      mark();
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      pick(hits[active]);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));

  return {
    /** The key for what the input holds now: the picked hit's, else an exact or sole match. */
    async resolve() {
      if (input.dataset.key) return input.dataset.key;
      const q = input.value.trim();
      if (!q) return null;
      if (/^person-/.test(q)) return q; // a pseudonym handed on from another view
      const page = await api.find(q, { kind, limit: 2 });
      const exact = page.items.filter((hit) => hit.match === "exact");
      if (exact.length === 1) return exact[0].key;
      return page.items.length === 1 ? page.items[0].key : null;
    },
  };
}
