"""The agencies registry generator (databuild.agencies) and the committed
data/agencies.yaml, plus the agency names used by data/decisions/*.yaml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from databuild.agencies import (
    BUNDLED,
    KINDS,
    RegistryError,
    Row,
    alias_index,
    build,
    generate,
    main,
    read_corrections,
    read_tsv,
    render,
    resolve,
)
from nq57.edit.fmt import TOP_ORDER
from nq57.model.agencies import fold

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"
REGISTRY = ROOT / "data" / "agencies.yaml"
DECISIONS = ROOT / "data" / "decisions"
BTC = "Bộ Tài chính"
BKHCN = "Bộ Khoa học và Công nghệ"


def load(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    return load(REGISTRY)["agencies"]


@pytest.fixture(scope="module")
def tsv_rows() -> list[Row]:
    return read_tsv(SOURCES / "agencies.tsv")


@pytest.fixture(scope="module")
def corrections() -> dict:
    return read_corrections(SOURCES / "agencies-corrections.yaml")


# --- the committed file ------------------------------------------------------------


def test_regenerating_gives_the_committed_file():
    assert generate(SOURCES) == REGISTRY.read_text(encoding="utf-8")


def test_the_registry_nq57_init_ships_is_the_committed_one(tmp_path):
    """`nq57 init` copies src/nq57/defaults/agencies.yaml; the generator writes both."""
    assert BUNDLED.read_text(encoding="utf-8") == REGISTRY.read_text(encoding="utf-8")
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert main(["--sources", str(SOURCES), "--out", str(first), "--out", str(second)]) == 0
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    assert main(["--sources", str(SOURCES), "--out", str(first), "--check"]) == 0
    first.write_text("agencies: []\n", encoding="utf-8")
    assert main(["--sources", str(SOURCES), "--out", str(first), "--check"]) == 1


def test_generation_is_deterministic(tsv_rows, corrections):
    assert render(build(tsv_rows, corrections)) == render(build(list(tsv_rows), corrections))


def test_every_tsv_name_resolves_to_one_entry_or_entries_with_distinct_parents(
    entries, tsv_rows, corrections
):
    skipped = {item["printed"] for item in corrections["not_agencies"]}
    index = alias_index(entries)
    for row in tsv_rows:
        if row.printed in skipped:
            assert fold(row.printed) not in index
            continue
        matches = index.get(fold(row.printed), [])
        assert matches, f"tsv line {row.line}: {row.printed!r} resolves to no entry"
        if len(matches) > 1:
            parents = [m["parent"] for m in matches]
            assert None not in parents and len(set(parents)) == len(parents), row.printed


def test_entries_are_well_formed(entries):
    names = [e["name"] for e in entries]
    assert len(names) == len(set(names))
    for e in entries:
        assert list(e)[:1] == ["name"]
        assert set(e) <= {"name", "short", "aliases", "kind", "parent", "successor", "note"}
        assert e["kind"] in KINDS
        assert e["parent"] is None or e["parent"] in names
        assert e["successor"] is None or e["successor"] in names
        assert e["name"] not in e["aliases"]
        assert len(e["aliases"]) == len(set(e["aliases"]))
        if e.get("short"):
            assert e["short"] in e["aliases"]
    folded = {fold(name): name for name in names}
    assert len(folded) == len(names)
    for e in entries:
        for alias in e["aliases"]:
            assert folded.get(fold(alias), e["name"]) == e["name"], alias


def test_order_government_ministries_units_groups(entries):
    kinds = [e["kind"] for e in entries]
    assert [e["name"] for e in entries[:2]] == ["Chính phủ", "Thủ tướng Chính phủ"]
    first_unit = kinds.index("unit")
    first_group = kinds.index("group")
    assert set(kinds[2:first_unit]) >= {"ministry"}
    assert kinds[2] == "ministry"
    assert all(e["parent"] is None for e in entries[:first_unit])
    assert all(k == "group" for k in kinds[first_group:])
    assert "group" not in kinds[:first_group]


def test_ambiguous_short_names_are_told_apart_by_issuer(entries):
    for short, btc_name, bkhcn_name in [
        ("Vụ Pháp chế", "Vụ Pháp chế (Bộ Tài chính)", "Vụ Pháp chế (Bộ Khoa học và Công nghệ)"),
        (
            "Vụ Tổ chức cán bộ",
            "Vụ Tổ chức cán bộ (Bộ Tài chính)",
            "Vụ Tổ chức cán bộ (Bộ Khoa học và Công nghệ)",
        ),
        ("Văn phòng Bộ", "Văn phòng Bộ Tài chính", "Văn phòng Bộ Khoa học và Công nghệ"),
        ("Văn phòng", "Văn phòng Bộ Tài chính", "Văn phòng Bộ Khoa học và Công nghệ"),
        (
            "Các đơn vị thuộc Bộ",
            "Các đơn vị thuộc Bộ Tài chính",
            "Các đơn vị thuộc Bộ Khoa học và Công nghệ",
        ),
    ]:
        assert resolve(entries, short) is None
        assert resolve(entries, short, issuer=BTC)["name"] == btc_name
        assert resolve(entries, short, issuer=BKHCN)["name"] == bkhcn_name


def test_known_names_resolve(entries):
    cases = {
        "Cục CNTT": "Cục Công nghệ thông tin và chuyển đổi số",
        "KBNN": "Kho bạc Nhà nước",
        "Ngân hàng hàng Nhà nước": "Ngân hàng Nhà nước Việt Nam",
        "Bộ Khoa học và Công nghệ (Nhiệm vụ của Bộ Thông tin và Truyền thông chuyển sang)": BKHCN,
        "Các Bộ, ngành, địa phương": "Các bộ, ngành, địa phương",
        "Vụ I": "Vụ Tài chính quốc phòng, an ninh, đặc biệt",
        "Cục Quản lý Nợ và Tài chính đối ngoại": "Cục Quản lý nợ và Tài chính đối ngoại",
    }
    for printed, name in cases.items():
        assert resolve(entries, printed)["name"] == name


def test_merged_bodies_have_successors(entries):
    by_name = {e["name"]: e for e in entries}
    expected = {
        "Bộ Kế hoạch và Đầu tư": BTC,
        "Bộ Thông tin và Truyền thông": BKHCN,
        "Bộ Lao động - Thương binh và Xã hội": "Bộ Nội vụ",
        "Bộ Tài nguyên và Môi trường": "Bộ Nông nghiệp và Môi trường",
        "Bộ Nông nghiệp và Phát triển nông thôn": "Bộ Nông nghiệp và Môi trường",
        "Bộ Giao thông vận tải": "Bộ Xây dựng",
        "Tổng cục Thuế": "Cục Thuế",
        "Tổng cục Hải quan": "Cục Hải quan",
        "Cục Quản lý nợ và Tài chính đối ngoại": "Cục Quản lý nợ và Kinh tế đối ngoại",
    }
    for old, new in expected.items():
        assert by_name[old]["successor"] == new
        assert by_name[old]["note"]
        assert by_name[new]["successor"] is None


# --- generator rules on small inputs --------------------------------------------------


def row(printed, canonical, kind, context="national/any", line=2):
    return Row(printed=printed, context=context, canonical=canonical, kind=kind, line=line)


def test_unit_suffix_dropped_unless_names_collide():
    rows = [
        row(BTC, BTC, "ministry"),
        row(BKHCN, BKHCN, "ministry"),
        row("Cục Thuế", "Cục Thuế (Bộ Tài chính)", "unit-BTC"),
        row("Vụ Pháp chế", "Vụ Pháp chế (Bộ Tài chính)", "unit-BTC", "BTC"),
        row("Vụ PC", "Vụ Pháp chế (Bộ Tài chính)", "unit-BTC", "BTC-internal"),
        row("Vụ Pháp chế", "Vụ Pháp chế (Bộ KH&CN)", "unit-BKHCN", "BKHCN"),
    ]
    got = {e["name"]: e for e in build(rows, {})}
    assert got["Cục Thuế"]["parent"] == BTC
    assert got["Vụ Pháp chế (Bộ Tài chính)"]["aliases"] == ["Vụ Pháp chế", "Vụ PC"]
    assert got["Vụ Pháp chế (Bộ Khoa học và Công nghệ)"]["parent"] == BKHCN


def test_groups_named_after_printed_form_with_context_parent():
    rows = [
        row(BTC, BTC, "ministry"),
        row("Các đơn vị liên quan", "RELATED units", "group", "BTC"),
        row("các đơn vị liên quan", "RELATED units", "group", "BTC"),
    ]
    (ministry, group) = build(rows, {})
    assert ministry["name"] == BTC
    assert group == {
        "name": "Các đơn vị liên quan",
        "short": None,
        "aliases": ["các đơn vị liên quan"],
        "kind": "group",
        "parent": BTC,
        "successor": None,
        "note": None,
    }


def test_corrections_move_skip_and_add():
    rows = [
        row(BTC, BTC, "ministry"),
        row("-", "(none)", "other"),
        row("Bộ KH&ĐT", "Bộ Tài chính", "ministry"),
    ]
    corrections = {
        "rows": [{"printed": "Bộ KH&ĐT", "entry": "Bộ Kế hoạch và Đầu tư", "reason": "old"}],
        "not_agencies": [{"printed": "-", "reason": "empty"}],
        "add": [{"name": "Bộ Kế hoạch và Đầu tư", "kind": "ministry", "successor": BTC}],
        "canonical": {BTC: {"short": "BTC"}},
    }
    got = build(rows, corrections)
    assert [e["name"] for e in got] == [BTC, "Bộ Kế hoạch và Đầu tư"]
    assert got[0]["aliases"] == ["BTC"]
    assert got[1]["aliases"] == ["Bộ KH&ĐT"]


@pytest.mark.parametrize(
    "corrections, message",
    [
        ({"canonical": {"Nope": {"short": "N"}}}, "unknown tsv canonical"),
        ({"rows": [{"printed": "Nope", "entry": BTC}]}, "unknown tsv name"),
        ({"add": [{"name": "X", "kind": "unit", "parent": "Nope"}]}, "is not an entry"),
        ({"add": [{"name": "X", "kind": "agency"}]}, "unknown kind"),
        ({"add": [{"name": "X", "kind": "other", "aliases": [BTC]}]}, "another entry's name"),
        (
            {
                "add": [
                    {"name": "X", "kind": "other", "aliases": ["Y"]},
                    {"name": "Z", "kind": "other", "aliases": ["Y"]},
                ]
            },
            "without distinct parents",
        ),
    ],
)
def test_bad_corrections_are_rejected(corrections, message):
    with pytest.raises(RegistryError, match=message):
        build([row(BTC, BTC, "ministry")], corrections)


# --- decisions ----------------------------------------------------------------------

DECISION_TYPES = {
    "nghi_quyet",
    "quyet_dinh",
    "chi_thi",
    "ke_hoach",
    "nghi_dinh",
    "luat",
    "cong_van",
    "other",
}
# the house order `nq57 fmt` writes decisions in
DECISION_FIELDS = list(TOP_ORDER["decision"])
FREQUENCIES = {"monthly", "quarterly", "semiannual", "annual", "on_request"}


def decision_files():
    return sorted(DECISIONS.glob("*.yaml"))


def test_the_thirteen_decisions_exist():
    assert {p.stem for p in decision_files()} == {
        "1057-QD-BTC-2025",
        "71-NQ-CP-2025",
        "07-CT-TTg-2025",
        "1754-QD-BTC-2025",
        "3392-QD-BKHCN-2023",
        "57-NQ-TW-2024",
        "03-NQ-CP-2025",
        "201-QD-BTC-2025",
        "159-QD-BKHDT-2025",
        "168-QD-BTC-2025",
        "2500-QD-BKHDT-2024",
        "3026-QD-BKHCN-2021",
        "1484-QD-BTC-2022",
    }


@pytest.mark.parametrize("path", decision_files(), ids=lambda p: p.stem)
def test_decision_file(path, entries):
    d = load(path)
    ids = {p.stem for p in decision_files()}
    assert d["id"] == path.stem
    keys = list(d)
    assert keys == [k for k in DECISION_FIELDS if k in d], "unknown field or field order"
    for key in ("number", "type", "issuer", "issued", "title"):
        assert d.get(key), key
    assert d["type"] in DECISION_TYPES
    assert isinstance(d["issued"], dt.date)
    assert " " * 2 not in d["title"] and d["title"] == d["title"].strip()
    assert resolve(entries, d["issuer"]) is not None, d["issuer"]
    for rel in ("implements", "based_on", "supersedes", "amends"):
        for ref in d.get(rel, []):
            assert ref in ids and ref != d["id"], (rel, ref)
    if "source" in d:
        assert (ROOT / d["source"]).exists()
    for item in d.get("reporting", []):
        assert item["frequency"] in FREQUENCIES
        assert resolve(entries, item["to"], issuer=d["issuer"]) is not None, item["to"]
        assert item["text"] in _collapsed_source(d), item["text"][:60]
        if item["frequency"] in ("monthly", "quarterly"):
            assert 1 <= item["due_day"] <= 31
        if item["frequency"] == "monthly":
            assert item["for_period"] in ("previous", "current")
        if item["frequency"] == "quarterly":
            assert item["month_of_quarter"] in (1, 2, 3)
        if item["frequency"] in ("semiannual", "annual") and "dates" in item:
            for date in item["dates"]:
                dt.date.fromisoformat(f"2024-{date}")


def _collapsed_source(decision: dict) -> str:
    return " ".join((ROOT / decision["source"]).read_text(encoding="utf-8").split())


def test_required_reporting_obligations():
    def reporting(decision_id):
        return load(DECISIONS / f"{decision_id}.yaml")["reporting"]

    r1057 = reporting("1057-QD-BTC-2025")
    assert {k: r1057[0][k] for k in ("frequency", "due_day", "for_period", "to", "via")} == {
        "frequency": "monthly",
        "due_day": 5,
        "for_period": "previous",
        "to": "Vụ Ngân sách nhà nước",
        "via": "Tổ giúp việc",
    }
    assert r1057[1]["frequency"] == "semiannual"
    assert r1057[1]["dates"] == ["06-10", "11-20"]
    assert r1057[1]["to"] == "Vụ Pháp chế (Bộ Tài chính)"
    (r71,) = reporting("71-NQ-CP-2025")
    assert (r71["frequency"], r71["due_day"], r71["month_of_quarter"], r71["to"]) == (
        "quarterly",
        15,
        3,
        BKHCN,
    )
    r1754 = reporting("1754-QD-BTC-2025")[0]
    assert (r1754["frequency"], r1754["due_day"], r1754["for_period"], r1754["to"]) == (
        "monthly",
        20,
        "current",
        "Cục Công nghệ thông tin và chuyển đổi số",
    )
