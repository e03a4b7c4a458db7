"""Short names of a ministry's units mean the unit of the body that writes them."""

from __future__ import annotations

from nq57.model.agencies import AgencyIndex
from nq57.model.entities import Agency, AgencyRegistry

MOST = "Bộ Khoa học và Công nghệ"
MOF = "Bộ Tài chính"
MOH = "Bộ Y tế"


def index(*extra: Agency, home: str | None = None) -> AgencyIndex:
    agencies = [
        Agency(name=MOST, kind="ministry"),
        Agency(name=MOF, kind="ministry"),
        Agency(name=MOH, kind="ministry"),
        Agency(name="Chính phủ", kind="gov-agency"),
        Agency(
            name="Văn phòng Bộ Khoa học và Công nghệ",
            aliases=["Văn phòng Bộ", "Văn Phòng Bộ"],
            kind="unit",
            parent=MOST,
        ),
        Agency(name="Văn phòng Bộ Tài chính", aliases=["Văn phòng Bộ"], kind="unit", parent=MOF),
        Agency(
            name="Vụ Kế hoạch - Tài chính (Bộ Khoa học và Công nghệ)",
            aliases=["Vụ Kế hoạch - Tài chính"],
            kind="unit",
            parent=MOST,
        ),
        Agency(name="Bảo hiểm xã hội Việt Nam", aliases=["BHXH"], kind="unit", parent=MOF),
        Agency(name="Cục Thuế", aliases=["Tổng cục Thuế"], kind="unit", parent=MOF),
        Agency(
            name="Trung tâm CNTT (Bảo hiểm xã hội Việt Nam)",
            aliases=["Trung tâm CNTT, BHXH"],
            kind="unit",
            parent="Bảo hiểm xã hội Việt Nam",
        ),
        *extra,
    ]
    return AgencyIndex.build(AgencyRegistry(agencies=agencies), home=home)


def name_of(ix: AgencyIndex, name: str, issuer: str | None = None) -> str | None:
    agency = ix.resolve(name, issuer)
    return agency.name if agency else None


def test_a_short_name_means_the_issuers_unit():
    ix = index()
    assert name_of(ix, "Văn phòng Bộ", MOF) == "Văn phòng Bộ Tài chính"
    assert name_of(ix, "Văn phòng Bộ", MOST) == "Văn phòng Bộ Khoa học và Công nghệ"


def test_a_short_name_of_another_ministrys_unit_is_not_resolved():
    ix = index()
    assert name_of(ix, "Văn phòng Bộ", MOH) is None
    assert name_of(ix, "Vụ Kế hoạch - Tài chính", MOH) is None  # one candidate, not ours
    assert ix.foreign_units("Vụ Kế hoạch - Tài chính", MOH) == [
        "Vụ Kế hoạch - Tài chính (Bộ Khoa học và Công nghệ)"
    ]
    assert ix.foreign_units("Văn phòng Bộ", MOF) == []  # resolved: nothing foreign


def test_the_repository_org_stands_in_for_a_missing_issuer():
    assert name_of(index(home=MOF), "Văn phòng Bộ") == "Văn phòng Bộ Tài chính"
    assert name_of(index(home=MOH), "Văn phòng Bộ") is None
    assert index(home=MOH).current("Văn phòng Bộ") == "Văn phòng Bộ"  # not MOST's office
    # a unit as the organisation stands for its ministry
    assert name_of(index(home="Tổng cục Thuế"), "Văn phòng Bộ") == "Văn phòng Bộ Tài chính"


def test_the_own_unit_wins_once_registered():
    own = Agency(name="Văn phòng Bộ Y tế", aliases=["Văn phòng Bộ"], kind="unit", parent=MOH)
    assert name_of(index(own), "Văn phòng Bộ", MOH) == "Văn phòng Bộ Y tế"
    assert name_of(index(own, home=MOH), "Văn phòng Bộ") == "Văn phòng Bộ Y tế"


def test_full_names_and_absolute_aliases_resolve_anywhere():
    ix = index(home=MOH)
    assert name_of(ix, "Văn phòng Bộ Tài chính", MOH) == "Văn phòng Bộ Tài chính"
    assert name_of(ix, "Tổng cục Thuế", "Chính phủ") == "Cục Thuế"
    assert name_of(ix, "Trung tâm CNTT, BHXH", MOF) == "Trung tâm CNTT (Bảo hiểm xã hội Việt Nam)"
    assert name_of(ix, "Trung tâm CNTT, BHXH", MOH) == "Trung tâm CNTT (Bảo hiểm xã hội Việt Nam)"


def test_without_any_context_the_first_entry_is_kept():
    assert name_of(index(), "Văn phòng Bộ") == "Văn phòng Bộ Khoa học và Công nghệ"
