// Risk clusters (关联风险群): the ranking, and one cluster opened as a graph.
import { api } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { t } from "../i18n.js";
import { errorBlock } from "../notify.js";
import { GraphCanvas } from "../graph/canvas.js";
import { legend } from "../graph/legend.js";
import { nodeList } from "../graph/nodelist.js";
import { graphToolbar } from "../graph/toolbar.js";
import { empty, enterpriseLink, riskBadge } from "./common.js";
import { showEnterprise, showNode } from "./detail.js";

export function renderClusters(main) {
  const body = h("div", {}, spinner());
  replace(main, h("div", { class: "view" }, h("h1", { i18n: "clusters.title" }), h("p", { class: "hint", i18n: "clusters.hint" }), body));
  api
    .clusters(200)
    .then((page) =>
      replace(
        body,
        page.items.length
          ? table(
              [
                { key: "clusters.cid", cell: (c) => h("a", { href: `#/clusters/${encodeURIComponent(c.cid)}` }, c.cid), class: "mono" },
                { key: "clusters.size", cell: (c) => c.size, class: "num" },
                { key: "clusters.cd_count", cell: (c) => c.cd_count, class: "num" },
                { key: "clusters.risk_mass", cell: (c) => c.risk_mass.toFixed(2), class: "num" },
                { key: "clusters.reasons", cell: (c) => h("span", {}, ...c.reasons.map((r) => h("span", { class: "tag" }, tx(`reason.${r}`)))) },
              ],
              page.items,
              { testid: "clusters", onRow: (c) => (location.hash = `#/clusters/${encodeURIComponent(c.cid)}`) },
            )
          : empty("clusters.none"),
      ),
    )
    .catch((error) => replace(body, errorBlock(error)));
  return undefined;
}

export function renderCluster(main, side, cid) {
  let canvas = null;
  const area = h("div", { class: "graph-area", "data-testid": "cluster-graph" });
  const members = h("div", {}, spinner());
  const listSlot = h("div");
  const title = h("h1", {}, tx("clusters.one", { cid }));
  replace(main, h("div", { class: "view graph-view" }, title,
    graphToolbar(() => canvas, "cluster", { relayout: (c) => c.layout({ name: "fcose" }).then(() => c.fit()), title: () => t("clusters.one", { cid }) }),
    area, legend(), listSlot, members)); // prettier-ignore
  const pick = (data) => (data.kind === "Enterprise" ? showEnterprise(side, data.id) : showNode(side, data));
  api
    .cluster(cid)
    .then((cluster) => {
      canvas = new GraphCanvas(area, { onTap: pick });
      canvas.addNodes(cluster.nodes);
      canvas.addEdges(cluster.edges);
      canvas.layout({ name: "fcose" }).then(() => canvas.fit());
      replace(listSlot, nodeList(canvas, pick));
      replace(
        members,
        h("h3", {}, tx("clusters.members", { n: cluster.members.length })),
        table(
          [
            { key: "detail.name", cell: (m) => enterpriseLink(m.uscc, m.name) },
            { key: "detail.risk_class", cell: (m) => riskBadge(m.risk_class) },
            { key: "detail.risk_score", cell: (m) => m.risk_score?.toFixed(3) ?? "", class: "num" },
            { key: "detail.region", cell: (m) => m.region_code ?? "" },
            { key: "detail.industry", cell: (m) => m.industry_code ?? "" },
            { key: "detail.status", cell: (m) => m.status ?? "" },
          ],
          cluster.members,
          { testid: "members", onRow: (m, event) => event.target.tagName !== "A" && showEnterprise(side, m.uscc) },
        ),
      );
    })
    .catch((error) => replace(members, errorBlock(error)));
  return () => canvas?.destroy();
}
