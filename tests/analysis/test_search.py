"""`nq57 search`: words without accents find Vietnamese text; all words must occur."""

from __future__ import annotations

import json
import unicodedata

import pytest

from nq57.analysis.search import fold

from conftest import FIXTURES, invoke

MINIMAL = str(FIXTURES / "minimal")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def ids(capsys, *args: str) -> list[tuple[str, str]]:
    code, out, err = invoke(capsys, "search", *args, "--format", "json", "--limit", "0")
    assert code == 0, err
    return [(r["kind"], r["id"]) for r in json.loads(out)["results"]]


@pytest.fixture
def data(copy_fixture):
    """minimal, plus a task stored in NFD and one in capitals with Đ."""
    folder = copy_fixture("minimal")
    tasks = folder / "tasks" / "DEC-A"
    (tasks / "3.yaml").write_text(
        nfd("id: DEC-A/3\ndecision: DEC-A\nref: '3.'\ntitle: Đào tạo nhân lực số cho địa phương\n"),
        encoding="utf-8",
    )
    (tasks / "4.yaml").write_text(
        "id: DEC-A/4\ndecision: DEC-A\nref: '4.'\ntitle: ĐỔI MỚI SÁNG TẠO TRONG DOANH NGHIỆP\n",
        encoding="utf-8",
    )
    return str(folder)


def test_fold_drops_accents_case_and_the_stroke_of_d():
    assert fold("Chuyển đổi SỐ") == "chuyen doi so"
    assert fold("ĐỔI MỚI Đ đ") == "doi moi d d"
    assert fold(nfd("Hoàn thiện thể chế")) == fold("Hoàn thiện thể chế") == "hoan thien the che"


def test_words_without_accents_find_vietnamese(capsys):
    assert ids(capsys, "chuyen doi so", "--data", MINIMAL) == [("task", "DEC-A/1")]
    assert ids(capsys, "CHUYỂN ĐỔI", "--data", MINIMAL) == [("task", "DEC-A/1")]
    assert ids(capsys, nfd("chuyển đổi số"), "--data", MINIMAL) == [("task", "DEC-A/1")]


def test_d_and_capital_d_with_stroke(capsys, data):
    assert ids(capsys, "dao tao", "--data", data) == [("task", "DEC-A/3")]  # stored as NFD
    assert ids(capsys, "Đào tạo", "--data", data) == [("task", "DEC-A/3")]
    assert ids(capsys, "doi moi sang tao", "--data", data) == [("task", "DEC-A/4")]
    assert ids(capsys, "đổi mới", "--data", data) == [("task", "DEC-A/4")]


def test_every_word_must_occur(capsys):
    assert ids(capsys, "hoa don", "--data", MINIMAL) == [("task", "DEC-B/1")]
    assert ids(capsys, "hoa don nghi dinh", "--data", MINIMAL) == []
    # words may sit in different fields: "thue" in the lead, "hoa don" in the title
    code, out, _ = invoke(capsys, "search", "thue hoa don", "--data", MINIMAL, "-f", "json")
    (hit,) = json.loads(out)["results"]
    assert hit["id"] == "DEC-B/1" and hit["field"] == "title"
    assert hit["fields"] == ["title", "lead"]


def test_words_match_at_word_starts(capsys):
    assert ids(capsys, "oa don", "--data", MINIMAL) == []  # not inside "hóa"
    assert ids(capsys, "cong nghe", "--data", MINIMAL) != []
    assert ids(capsys, "ong nghe", "--data", MINIMAL) == []  # not inside "công"


def test_tasks_kpis_and_decisions_title_matches_first(capsys):
    found = ids(capsys, "bo khoa hoc", "--data", MINIMAL)
    assert found == [("decision", "DEC-A"), ("task", "DEC-A/1"), ("kpi", "DEC-A/1")]
    assert ids(capsys, "dich vu cong", "--data", MINIMAL) == [("kpi", "DEC-A/1")]
    assert ids(capsys, "ke hoach", "--data", MINIMAL)[0] == ("decision", "DEC-B")
    # "hệ thống" is DEC-B/1's title but only DEC-A/2's output: the title match ranks first
    assert ids(capsys, "he thong", "--data", MINIMAL) == [("task", "DEC-B/1"), ("task", "DEC-A/2")]


def test_kind_narrows_the_search_and_can_be_repeated(capsys):
    assert ids(capsys, "bo khoa hoc", "--data", MINIMAL, "--kind", "kpi") == [("kpi", "DEC-A/1")]
    both = ids(capsys, "bo khoa hoc", "--data", MINIMAL, "-k", "task", "-k", "decision")
    assert both == [("decision", "DEC-A"), ("task", "DEC-A/1")]
    code, _, err = invoke(capsys, "search", "x", "--data", MINIMAL, "--kind", "agency")
    assert code == 2 and "--kind" in err


def test_json_shape_and_limit(capsys):
    code, out, _ = invoke(
        capsys, "search", "bo", "--data", MINIMAL, "--format", "json", "--limit", "2"
    )
    payload = json.loads(out)
    assert code == 0 and payload["query"] == "bo"
    assert payload["total"] > 2 and len(payload["results"]) == 2
    assert set(payload["results"][0]) == {
        "kind",
        "id",
        "title",
        "field",
        "snippet",
        "fields",
        "primary",
    }


def test_table_shows_field_and_snippet(capsys):
    code, out, _ = invoke(capsys, "search", "van hanh", "--data", MINIMAL)
    assert code == 0
    assert "DEC-B/1" in out and "updates.note" in out and "Đã vận hành" in out
    code, out, _ = invoke(capsys, "search", "khong co gi", "--data", MINIMAL)
    assert code == 0 and "Không tìm thấy" in out


def test_empty_query_is_a_usage_error(capsys):
    code, _, err = invoke(capsys, "search", "  ", "--data", MINIMAL)
    assert code == 2 and "Traceback" not in err


def test_the_exact_phrase_ranks_before_scattered_words():
    """'hoa don dien tu' (the help's example): titles holding the phrase come first,
    then all the words in a title, then words spread over fields."""
    from nq57.analysis.search import search
    from nq57.model.dataset import DataSet
    from nq57.model.entities import Task

    def task(key: str, title: str, output: str = "Báo cáo") -> Task:
        return Task.model_validate(
            {
                "id": f"D/{key}",
                "decision": "D",
                "ref": key,
                "title": title,
                "lead": ["X"],
                "output": output,
                "deadline": "2025",
            }
        )

    data = DataSet(roots=[])
    for t in (
        task("a", "Điện tử hóa hồ sơ", "Đơn giản"),  # words spread: last
        task("b", "Tử tế với đơn vị hóa chất điện lực"),  # every word, no phrase
        task("c", "Xây dựng hệ thống", "Triển khai hóa đơn điện tử"),  # phrase, not title
        task("d", "Mở rộng hóa đơn điện tử khởi tạo từ máy tính tiền"),  # phrase in title
    ):
        data.tasks[t.id] = t
    assert [h.id for h in search(data, "hoa don dien tu")] == ["D/d", "D/c", "D/b", "D/a"]
