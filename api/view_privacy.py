"""Persons in saved views, through :mod:`riskgraph.api.privacy`.

A view is stored with persons by pid and without their names. On save, pseudonyms a
masked caller's browser holds (``person-…``, wherever they appear: node keys, edge
ends, position keys, composite ids) are opened back into pids. On read, for a role
without ``persons:unmasked``, every pid of a person in the view becomes its pseudonym
(again wherever it appears, also inside notes' targets) and person names are masked.
So one stored view opens unmasked only for roles that may see persons.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from riskgraph.analytics.views import ViewError
from riskgraph.api.privacy import mask_name, pseudonym, resolve_pseudonym

_TOKEN = re.compile(r"person-[A-Za-z0-9_-]{22,400}")
_PERSON_TEXT = ("label", "name", "caption")


def unseal(value: Any, path: str = "state") -> Any:
    """``value`` with every pseudonym this server issued replaced by its pid; a forged
    or foreign one raises ViewError naming where it is."""
    if isinstance(value, str):
        return _TOKEN.sub(lambda match: _open(match[0], path), value)
    if isinstance(value, list):
        return [unseal(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {unseal(k, path): unseal(item, f"{path}.{k}") for k, item in value.items()}
    return value


def _open(token: str, path: str) -> str:
    pid = resolve_pseudonym(token)
    if pid is None:
        raise ViewError(path, "holds a person reference this server did not issue")
    return pid


def person_keys(state: dict[str, Any]) -> list[str]:
    """The pids of the persons a view's state shows."""
    nodes = state.get("nodes") or []
    return sorted({n["key"] for n in nodes if isinstance(n, dict) and n.get("kind") == "Person"})


def mask_view(view: dict[str, Any], pids: list[str]) -> dict[str, Any]:
    """The view as a masked role sees it: the pids as pseudonyms everywhere (also inside
    longer strings such as edge ids), person names as 张**."""
    if not pids:
        return view
    mapping = {pid: pseudonym(pid) for pid in pids}
    pattern = re.compile("|".join(re.escape(pid) for pid in sorted(pids, key=len, reverse=True)))
    masked: dict[str, Any] = _replace(view, lambda text: pattern.sub(lambda m: mapping[m[0]], text))
    return masked


def _replace(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_replace(item, change) for item in value]
    if not isinstance(value, dict):
        return value
    out = {change(str(k)): _replace(item, change) for k, item in value.items()}
    if out.get("kind") == "Person":
        for name in _PERSON_TEXT:
            if isinstance(out.get(name), str):
                out[name] = mask_name(out[name])
    return out
