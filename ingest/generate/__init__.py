"""Calibrated synthetic enterprise registry for credit-risk classification (企业信用风险分类).

``generate_registry(n, seed, out_dir)`` writes the contract CSV files (enterprises,
persons, positions, investments, branches, violations, labels) plus ground truth
(``truth/labels.csv``, ``truth/patterns.csv``, ``truth/README.md``).

Generative process. Every stage draws from its own numpy ``Generator`` derived from
``(seed, stage)``; every date is relative to the fixed ``REFERENCE_DATE`` (2026-06-30),
never to today, so one seed gives byte-identical files. The stages fill one
``Registry`` (``registry.py``) in order; each has its own module:

1. ``entities``     -- market entities by org type; company groups (holding company ->
   subsidiaries -> ... up to 4 levels); establishment dates (younger firms more common,
   subsidiaries after their parent); GB/T 4754-2017 industries per org type; log-normal
   registered capital snapped to round amounts; paid-in capital (often 0 after the 2014
   subscription reform); branches (分公司) of larger companies.
2. ``patterns``     -- members of shell-company rings and circular-shareholding loops are
   chosen and given shell attributes (batch-registered, capital unpaid).
3. ``addresses``    -- most sites host 1-3 firms; commercial buildings used for cluster
   registration (集群注册) host 50-500; some of those are abnormal-listing hotspots.
4. ``people``       -- position slots per org type, filled by ring persons, group
   controllers, hub persons (nominee officers of dozens of firms) and ordinary persons.
5. ``investments``  -- shareholders with integer basis-point ratios (sum <= 1 per
   investee): persons, group parents, older firms (so ordinary enterprise holdings form
   a DAG), plus the planted loops A -> B -> ... -> A.
6. ``risk``         -- a latent risk per firm from its attributes (age, capital, paid-in
   ratio, industry, org type, cluster address, nominee officers) plus noise, then three
   rounds of contagion: each firm moves towards the mean latent risk of its investment,
   branch, shared-person and shared-address neighbours.
7. ``history``, ``violations`` -- status (吊销 rises with risk) and legal-representative
   changes (frequency rises with risk); violation records of six kinds with Poisson
   counts rising with risk, dates within the last five years, abnormal listings
   sometimes removed; forced abnormal listings for planted shells and hotspot firms.
8. ``classes``      -- the five SAMR indicator categories (基础属性, 动态信息, 监管信息,
   关联关系 = the neighbours' latent risk, 社会评价) are standardised and combined into a
   score with a little noise; classes are cut at the score quantiles A 40 % / B 48 % /
   C 9 % / D 3 % (an active 严重违法失信 record forces D). A supervisor's past
   classification (``labels.csv``) covers 60 % of the firms established by its as-of
   date.
9. ``names``, ``identities``, ``write`` -- names, valid USCCs and resident ID numbers
   (check characters computed vectorised in ``check_chars`` and cross-checked against
   ``riskgraph.ingest.identifiers``), then the CSV files sorted by their keys.

Reference tables (regions, industry sections, code lists) come from
``riskgraph.reference``; the generator's own tables (industry classes with their name
words and weights, org-type distributions, Chengdu weights, name parts) are the files
next to the modules (``industries.tsv``, ``org_kinds.tsv``, ``section_boost.tsv``,
``chengdu.tsv``, ``surnames.tsv``, ``name_parts.json``), read by ``tables``.
"""

from __future__ import annotations

from .params import CLASS_SHARES, LABEL_AS_OF, REFERENCE_DATE
from .pipeline import generate_registry

__all__ = [
    "CLASS_SHARES",
    "LABEL_AS_OF",
    "REFERENCE_DATE",
    "generate_registry",
]
