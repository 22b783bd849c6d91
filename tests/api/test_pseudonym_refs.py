"""Person pseudonyms as node references: investigators expand persons and find paths
through them without ever seeing a pid (issue 7, the relationship view)."""

from __future__ import annotations

import base64
import os
import stat
import threading
from pathlib import Path

import pytest
from api_helpers import Api, uscc

from riskgraph.api import privacy
from riskgraph.api.privacy import is_pseudonym, person_tag, pseudonym, resolve_pseudonym

pytest.importorskip("riskgraph.graph.queries")

NEIGHBOURS = "/api/v1/graph/neighbours"
PATHS = "/api/v1/graph/paths"
SECRETS = ("pid-zhang", "pid-li", "张三丰", "李四")


def zhang_label() -> str:
    """How investigators see 张三丰: masked, with firm count and tag."""
    return f"张**·1家企业·#{person_tag('pid-zhang')}"


def person_alias(api: Api) -> str:
    """张三丰's pseudonym as an investigator finds it: a person next to enterprise 0."""
    answer = api.get(NEIGHBOURS, "investigator", params={"key": uscc(0)})
    assert answer.status_code == 200, answer.text
    persons = {
        item["label"].split("·")[0]: item["id"]
        for group in answer.json()["groups"]
        for item in group["items"]
        if item["kind"] == "Person"
    }
    assert set(persons) == {"张**", "李*"}  # each with its firm count and tag after a "·"
    return persons["张**"]


def assert_no_secrets(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_investigator_expands_a_person_by_its_pseudonym(api: Api) -> None:
    alias = person_alias(api)
    assert is_pseudonym(alias) and alias == pseudonym("pid-zhang")
    answer = api.get(NEIGHBOURS, "investigator", params={"key": alias, "label": "Person"})
    assert answer.status_code == 200, answer.text
    assert_no_secrets(answer.text)
    body = answer.json()
    assert body["node"] == {**body["node"], "id": alias, "kind": "Person", "label": zhang_label()}
    groups = {(g["type"], g["direction"]): g for g in body["groups"]}
    assert set(groups) == {("LEGAL_REP_OF", "out"), ("INVESTS_IN", "out")}
    assert [i["id"] for i in groups["LEGAL_REP_OF", "out"]["items"]] == [uscc(0)]
    assert groups["INVESTS_IN", "out"]["items"][0]["relationship"]["ratio"] == 0.6

    # By one relation type (what the web app pages with); the label defaults to Person.
    typed = api.get(NEIGHBOURS, "investigator", params={"key": alias, "type": "INVESTS_IN"})
    assert typed.status_code == 200, typed.text
    assert [g["type"] for g in typed.json()["groups"]] == ["INVESTS_IN"]
    assert_no_secrets(typed.text)

    # The audit log keeps the reference as the investigator gave it.
    records = [r for r in api.audit() if r["action"] == "queries.neighbours"]
    assert any(r["params"]["key"] == alias for r in records)
    assert_no_secrets(str(records))


def test_paths_through_and_from_a_person_pseudonym(api: Api) -> None:
    alias = pseudonym("pid-zhang")
    other = pseudonym("pid-li")
    answer = api.get(PATHS, "investigator", params={"from": alias, "to": other, "max_hops": 2})
    assert answer.status_code == 200, answer.text
    assert_no_secrets(answer.text)
    body = answer.json()
    assert body["length"] == 2 and body["from"]["id"] == alias and body["to"]["id"] == other
    for path in body["paths"]:
        ends = [path["nodes"][0]["properties"], path["nodes"][-1]["properties"]]
        assert [end["pid"] for end in ends] == [alias, other]
        assert path["nodes"][1]["properties"]["uscc"] == uscc(0)
    # The same through the named-query route.
    named = api.post(
        "/api/v1/queries/paths", "investigator", json={"from": uscc(1), "to": alias, "max_hops": 2}
    )
    assert named.status_code == 200, named.text
    assert_no_secrets(named.text)


def test_altered_forged_or_foreign_pseudonyms_are_404(api: Api) -> None:
    alias = pseudonym("pid-zhang")
    body = alias.removeprefix("person-")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    forged = "person-" + base64.urlsafe_b64encode(os.urandom(26)).decode().rstrip("=")
    foreign = privacy._PseudonymCodec(b"another-server-another-key-0123456789").encode("pid-zhang")
    for token in (
        "person-" + flipped,
        forged,
        foreign,
        alias + "A",
        "person-x",
        "person-" + "%%%%",
    ):
        assert resolve_pseudonym(token) is None, token
        for params in ({"key": token}, {"key": token, "label": "Person"}):
            refused = api.get(NEIGHBOURS, "investigator", params=params)
            assert refused.status_code == 404, (token, refused.text)
            assert_no_secrets(refused.text)
        refused = api.get(PATHS, "investigator", params={"from": token, "to": uscc(0)})
        assert refused.status_code == 404, refused.text
    # A genuine pseudonym of a person who is not in the graph: 404 without the pid.
    ghost = api.get(NEIGHBOURS, "investigator", params={"key": pseudonym("pid-ghost")})
    assert ghost.status_code == 404
    assert "pid-ghost" not in ghost.text and pseudonym("pid-ghost") in ghost.text
    lost = api.get(PATHS, "investigator", params={"from": pseudonym("pid-ghost"), "to": uscc(0)})
    assert lost.status_code == 404 and "pid-ghost" not in lost.text


def test_analysts_may_use_pseudonyms_too_and_see_persons_in_clear(api: Api) -> None:
    answer = api.get(NEIGHBOURS, "analyst", params={"key": pseudonym("pid-li")})
    assert answer.status_code == 200, answer.text
    assert answer.json()["node"]["id"] == "pid-li" and answer.json()["node"]["label"] == "李四"


def test_pseudonyms_are_deterministic_compact_and_keyed() -> None:
    pid = "0123456789abcdef0123456789abcdef"  # the form ingest gives pids
    token = pseudonym(pid)
    assert token == pseudonym(pid) and token != pseudonym(pid[::-1])
    assert len(token) == len("person-") + 44 and pid not in token
    assert resolve_pseudonym(token) == pid
    assert resolve_pseudonym(pseudonym("pid-张")) == "pid-张"
    other = privacy._PseudonymCodec(b"y" * 32)
    assert other.encode(pid) != token and other.decode(token) is None


def test_a_reference_with_one_flipped_byte_is_rejected() -> None:
    pid = "0123456789abcdef0123456789abcdef"
    token = pseudonym(pid)
    text = token.removeprefix(privacy.PSEUDONYM_PREFIX)
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    for index in range(len(raw)):
        for bit in (0x01, 0x80):
            altered = bytearray(raw)
            altered[index] ^= bit
            forged = privacy.PSEUDONYM_PREFIX + (
                base64.urlsafe_b64encode(bytes(altered)).rstrip(b"=").decode("ascii")
            )
            assert forged != token and resolve_pseudonym(forged) is None, (index, bit)


def test_two_keys_give_different_references(monkeypatch: pytest.MonkeyPatch) -> None:
    pids = ("0123456789abcdef0123456789abcdef", "pid-zhang", "张三丰")
    monkeypatch.setattr(privacy, "_codec", None)  # restored after the test
    privacy.set_pseudonym_key(b"first-server-key-0123456789abcdef")
    first = {pid: pseudonym(pid) for pid in pids}
    privacy.set_pseudonym_key(b"second-server-key-0123456789abcde")
    second = {pid: pseudonym(pid) for pid in pids}
    for pid in pids:
        assert first[pid] != second[pid]
        assert resolve_pseudonym(second[pid]) == pid
        assert resolve_pseudonym(first[pid]) is None  # sealed under the other key
    privacy.set_pseudonym_key(b"first-server-key-0123456789abcdef")
    assert {pid: pseudonym(pid) for pid in pids} == first


def test_the_key_file_is_made_once_and_shared(tmp_path: Path) -> None:
    path = tmp_path / "data" / "pseudonym.key"
    found: list[bytes] = []

    def load() -> None:
        found.append(privacy._read_or_create(path))

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(found)) == 1 and len(found[0]) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["pseudonym.key"]
    # A restart (a new codec from the same file) opens what the old one sealed.
    before = privacy._PseudonymCodec(found[0]).encode("pid-zhang")
    after = privacy._PseudonymCodec(privacy._read_or_create(path))
    assert after.decode(before) == "pid-zhang"
