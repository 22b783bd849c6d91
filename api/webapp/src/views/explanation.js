// The model's explanation of one firm's class, in words: the features grouped by the
// SAMR indicator categories (基础属性、动态信息、监管信息、关联关系、社会评价), each with
// its label, its value in its unit and its contribution, then the neighbours by name.
import { api } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { currentLang, onLangChange } from "../i18n.js";
import { errorBlock } from "../notify.js";
import { enterpriseLink } from "./common.js";

/** The categories in the order of the SAMR indicator system. */
const CATEGORIES = ["基础属性", "动态信息", "监管信息", "关联关系", "社会评价"];

/** Loads the explanation of `uscc` into `slot` (the button is disabled meanwhile). */
export async function loadExplanation(button, slot, uscc) {
  button.disabled = true;
  replace(slot, spinner());
  try {
    const explanation = await api.explanation(uscc);
    const draw = () => replace(slot, explanationView(explanation));
    draw();
    const stop = onLangChange(() => (slot.isConnected ? draw() : stop()));
  } catch (error) {
    replace(slot, errorBlock(error));
  } finally {
    button.disabled = false;
  }
}

/** Words in the current language (`{zh, en}`), falling back to Chinese. */
const say = (words) => (words ? (words[currentLang()] ?? words.zh) : "");

function explanationView(e) {
  return h(
    "div",
    { class: "explained", "data-testid": "explanation" },
    h("p", { class: "hint" }, tx("detail.explained_by", { model: e.model, method: e.method, version: e.model_version })),
    e.exact === false ? h("p", { class: "hint warn", "data-testid": "explain-approximate", i18n: "explain.approximate" }) : null,
    h("h4", { i18n: "detail.top_features" }),
    ...groups(e.features ?? []),
    h("h4", { i18n: "detail.top_neighbours" }),
    (e.neighbours ?? []).length
      ? table(
          [
            { key: "detail.neighbour", cell: neighbourCell, class: "words" },
            { key: "detail.relation", cell: relationCell, class: "words" },
            { key: "detail.contribution", cell: contribution, class: "num contribution" },
          ],
          e.neighbours,
          { testid: "neighbour-reasons" },
        )
      : h("p", { class: "empty", i18n: "common.none" }),
  );
}

/** One block per category that has features: its heading, summed contribution and rows. */
function groups(features) {
  const known = [...CATEGORIES, ...new Set(features.map((f) => f.category?.zh).filter((c) => !CATEGORIES.includes(c)))];
  const blocks = [];
  for (const name of known) {
    const rows = features.filter((f) => (f.category?.zh ?? "基础属性") === name);
    if (!rows.length) continue;
    const total = rows.reduce((sum, f) => sum + (f.contribution ?? 0), 0);
    blocks.push(
      h(
        "section",
        { class: "explain-group", "data-testid": "explain-group", dataset: { category: name } },
        h("h5", {}, say(rows[0].category), " ", contribution({ contribution: total })),
        table(
          [
            { key: "detail.feature", cell: featureCell, class: "words" },
            { key: "detail.value", cell: (f) => h("span", { dataset: { unit: f.unit ?? "" } }, say(f.text)), class: "num value" },
            { key: "detail.contribution", cell: contribution, class: "num contribution" },
          ],
          rows,
          { testid: "features" },
        ),
      ),
    );
  }
  return blocks;
}

function featureCell(f) {
  const behind = (f.neighbours ?? []).filter((n) => n.name || n.key);
  return h(
    "span",
    { title: f.code },
    say(f.label) || f.code,
    behind.length ? h("span", { class: "behind" }, tx("explain.behind"), behind.map((n, i) => [i ? "、" : "", nodeName(n)])) : null,
  );
}

/** A node by name: firms link to their detail, persons show their (masked) name. */
function nodeName(n) {
  if (n.type === "enterprise") return enterpriseLink(n.key, n.name ?? n.key);
  if (n.type === "person") return h("span", { class: "person" }, n.name ?? tx("detail.masked_person"));
  return h("span", {}, n.name ?? n.key);
}

function neighbourCell(n) {
  return h("span", {}, h("span", { class: "kind-tag" }, tx(`kind.${kindOf(n.type)}`)), " ", nodeName(n));
}

function relationCell(n) {
  const via = n.via_name ?? (n.via ? n.via : null);
  return h(
    "span",
    {},
    say(n.relation_label) || n.relation || "",
    via ? h("span", { class: "behind" }, tx("explain.via"), via) : null,
    n.hops ? h("span", { class: "hops" }, tx("explain.hops", { hops: n.hops })) : null,
  );
}

const kindOf = (type) => ({ person: "Person", address: "Address", violation: "Violation" })[type] ?? "Enterprise";

function contribution(item) {
  const value = item.contribution ?? 0;
  return h("span", { class: value >= 0 ? "up" : "down" }, `${value >= 0 ? "▲" : "▼"} ${Math.abs(value).toFixed(3)}`);
}
