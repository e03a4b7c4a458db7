"""`nq57 fmt`: canonical layout, comments kept, never touches what does not parse
(fixtures: tests/fixtures/fmt/messy and its canonical form tests/fixtures/fmt/expected)."""

from __future__ import annotations

import io
import random
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from nq57.edit.fmt import TOP_ORDER, _data, _load, data_files, format_text, is_ordered
from nq57.io.yamlio import round_trip_yaml

from conftest import FIXTURES, invoke

MESSY = FIXTURES / "fmt" / "messy"
EXPECTED = FIXTURES / "fmt" / "expected"


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _stamps(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*.yaml")}


@pytest.fixture
def messy(tmp_path) -> Path:
    return Path(shutil.copytree(MESSY, tmp_path / "data"))


@pytest.fixture
def canonical(tmp_path) -> Path:
    return Path(shutil.copytree(EXPECTED, tmp_path / "data"))


# --- what the files become ------------------------------------------------------------------------


def test_messy_files_become_exactly_the_canonical_ones(capsys, messy):
    code, out, err = invoke(capsys, "fmt", "--data", str(messy))
    assert code == 0, err
    assert _files(messy) == _files(EXPECTED)
    changed = sorted(line.split(": ", 1)[1] for line in out.splitlines())
    assert changed == sorted(
        str(messy / name)
        for name in (
            "agencies.yaml",
            "decisions/DEC-A.yaml",
            "tasks/DEC-A/1.yaml",
            "kpis/DEC-A/1.yaml",
        )
    ), "one line per changed file, and only those"


def test_keys_are_reordered_into_the_house_order(messy):
    text = (messy / "kpis/DEC-A/1.yaml").read_text(encoding="utf-8")
    document = _load(format_text(text, "kpi"))
    assert list(document) == [
        "id", "decision", "ref", "name", "unit", "target", "year", "owner",
        "baseline", "source_line", "measurements",
    ]  # fmt: skip
    assert list(document["baseline"]) == ["value", "date", "source"]
    assert list(document["measurements"][0]) == ["date", "value", "source"]
    assert is_ordered(document, "kpi")


def test_comments_are_kept_and_move_with_their_key(messy):
    before = (messy / "tasks/DEC-A/1.yaml").read_text(encoding="utf-8")
    after = format_text(before, "task")
    comments = sorted(line.split("#", 1)[1].strip() for line in before.splitlines() if "#" in line)
    assert comments == sorted(
        line.split("#", 1)[1].strip() for line in after.splitlines() if "#" in line
    )
    lines = after.splitlines()
    assert lines[0].startswith("# yaml-language-server:"), "the file header stays first"
    assert lines[lines.index("decision: DEC-A") - 1] == "# quyết định (decision)"
    assert lines[lines.index("updates:") - 2 : lines.index("updates:")] == ["# nhật ký (log)", ""]
    assert lines[-1] == "# cuối tệp (end of file)", "the end-of-file comment stays last"
    assert "  - Cục Thuế  # chủ trì" in lines, "a flow list's comment stays on its last item"


def test_nfd_text_becomes_nfc(capsys, messy):
    raw = (messy / "tasks/DEC-A/1.yaml").read_text(encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", raw)
    code, _, _ = invoke(capsys, "fmt", "--data", str(messy))
    assert code == 0
    for path in messy.rglob("*.yaml"):
        assert unicodedata.is_normalized("NFC", path.read_text(encoding="utf-8")), path
    code, out, _ = invoke(capsys, "validate", "--data", str(messy))
    assert "W205" not in out


def test_formatted_files_are_valid_and_hold_the_same_data(capsys, messy):
    def data(path: Path):
        return _data(_load(unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))))

    before = {path: data(path) for path in messy.rglob("*.yaml")}
    invoke(capsys, "fmt", "--data", str(messy))
    assert {path: data(path) for path in before} == before
    code, out, _ = invoke(capsys, "validate", "--data", str(messy))
    assert code == 0 and " E1" not in out


def test_canonical_files_are_not_touched(capsys, canonical):
    stamps, files = _stamps(canonical), _files(canonical)
    code, out, err = invoke(capsys, "fmt", "--data", str(canonical))
    assert (code, out) == (0, "")
    assert "0 tệp đã định dạng" in err
    assert _files(canonical) == files
    assert _stamps(canonical) == stamps, "not even rewritten with the same bytes"


def test_fmt_is_idempotent_on_the_fixtures(messy):
    sources = data_files([messy])
    assert {source.kind for source in sources} == {"agencies", "decision", "task", "kpi"}
    for source in sources:
        once = format_text(source.path.read_text(encoding="utf-8"), source.kind)
        assert format_text(once, source.kind) == once, source.display


def test_line_endings_are_kept_and_the_bom_removed(capsys, canonical):
    path = canonical / "tasks/DEC-A/2.yaml"
    crlf = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + crlf.encode("utf-8"))
    code, out, _ = invoke(capsys, "fmt", "--check", "--data", str(canonical))
    assert code == 1 and "BOM" in out
    code, _, _ = invoke(capsys, "fmt", "--data", str(canonical))
    assert code == 0
    assert path.read_bytes() == crlf.encode("utf-8")
    assert invoke(capsys, "fmt", "--check", "--data", str(canonical))[0] == 0


def test_block_text_and_quoting_only_where_needed():
    text = (
        "id: 'D/1'\ndecision: \"D\"\nref: '1.1'\ntitle: 'Có dấu: hai chấm'\n"
        "deadline: '2025'\nnote: |\n  Dòng một\n  Dòng hai\nsource_line: 7\n"
    )
    assert format_text(text, "task") == (
        "id: D/1\ndecision: D\nref: '1.1'\ntitle: 'Có dấu: hai chấm'\n"
        "deadline: '2025'\nnote: |\n  Dòng một\n  Dòng hai\nsource_line: 7\n"
    )


def test_edit_commands_keep_files_canonical(capsys, canonical):
    args = ("--data", str(canonical))
    assert invoke(capsys, "task", "update", "DEC-A/2", "--status", "in_progress",
                  "--note", "Bắt đầu: khảo sát", "--date", "2025-08-01", *args)[0] == 0  # fmt: skip
    assert invoke(capsys, "task", "done", "DEC-A/1", "--date", "2025-09-01", *args)[0] == 0
    assert invoke(capsys, "kpi", "record", "DEC-A/2", "--value", "12", "--date", "2025-09-30",
                  *args)[0] == 0  # fmt: skip
    code, out, _ = invoke(capsys, "fmt", "--check", *args)
    assert (code, out) == (0, ""), "updates/measurements go last, where the edits append them"


# --- --check and refusals -------------------------------------------------------------------------


def test_check_prints_a_diff_exits_1_and_writes_nothing(capsys, messy):
    files = _files(messy)
    code, out, err = invoke(capsys, "fmt", "--check", "--data", str(messy))
    assert code == 1
    assert _files(messy) == files
    assert f"--- {messy / 'decisions/DEC-A.yaml'}\n" in out
    assert f"+++ {messy / 'decisions/DEC-A.yaml'} (nq57 fmt)\n" in out
    assert "-references: [CV 1819/VPCP-KGVX]\n" in out
    assert "+references:\n+  - CV 1819/VPCP-KGVX\n" in out
    assert "tasks/DEC-A/2.yaml" not in out, "canonical files are not in the diff"
    assert "4 tệp cần định dạng" in err


def test_check_exits_0_on_canonical_files(capsys, canonical):
    assert invoke(capsys, "fmt", "--check", "--data", str(canonical))[:2] == (0, "")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("id: DEC-A/1\nid: DEC-A/1\n", "E102"),
        ("id: DEC-A/1\ntitle: [unclosed\n", "E100"),
        ("id: DEC-A/1\nlead:\n\t- X\n", "E101"),
        ("<<<<<<< HEAD\nid: DEC-A/1\n", "E103"),
        ("- a list\n", "E105"),
        ("base: &b {x: 1}\nother: *b\n", "E106"),
    ],
)
def test_unparseable_file_is_refused_and_left_alone(capsys, messy, text, code):
    broken = messy / "tasks/DEC-A/1.yaml"
    broken.write_text(text, encoding="utf-8")
    for check in (["--check"], []):
        result, out, err = invoke(capsys, "fmt", *check, "--data", str(messy))
        assert result == 1
        assert broken.read_text(encoding="utf-8") == text
        assert f"{broken}:" in err and f" {code} " in err
        assert f"{broken}: không định dạng" in err
    assert (messy / "decisions/DEC-A.yaml").read_bytes() == (
        EXPECTED / "decisions/DEC-A.yaml"
    ).read_bytes(), "the other files are still formatted"


def test_a_file_that_cannot_be_formatted_safely_is_left_alone(capsys, messy):
    # Blank lines kept by `|+` are part of the text; moving the block would change it.
    path = messy / "tasks/DEC-A/2.yaml"
    text = "note: |+\n  Dòng một\n\n# ghi chú\nid: DEC-A/2\ndecision: DEC-A\nref: '2'\ntitle: T\n"
    path.write_text(text, encoding="utf-8")
    code, _, err = invoke(capsys, "fmt", "--data", str(messy))
    assert code == 1
    assert path.read_text(encoding="utf-8") == text
    assert f"{path}: không định dạng: định dạng sẽ làm thay đổi dữ liệu" in err
    assert "1 tệp không định dạng được" in err
    path.write_text(text, encoding="utf-8")
    code, _, err = invoke(capsys, "--lang", "en", "fmt", "--data", str(messy))
    assert code == 1
    assert f"{path}: not formatted: formatting would change the data" in err
    assert ", 1 not formatted" in err


def test_paths_limit_what_is_formatted(capsys, messy, monkeypatch):
    monkeypatch.chdir(messy.parent)
    code, _, err = invoke(capsys, "fmt", "data/kpis", ".pre-commit-config.yaml")
    assert code == 2 and "'.pre-commit-config.yaml' nằm ngoài thư mục dữ liệu" in err
    code, out, _ = invoke(capsys, "fmt", "data/kpis", "data/tasks/DEC-A/1.yaml")
    assert code == 0
    assert sorted(out.splitlines()) == [
        "đã định dạng: data/kpis/DEC-A/1.yaml",
        "đã định dạng: data/tasks/DEC-A/1.yaml",
    ]
    assert (messy / "decisions/DEC-A.yaml").read_bytes() == (
        MESSY / "decisions/DEC-A.yaml"
    ).read_bytes()


def test_no_data_folder_is_a_usage_error(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke(capsys, "fmt")[0] == 2
    assert invoke(capsys, "fmt", "--data", str(tmp_path / "missing"))[0] == 2


# --- any valid document ---------------------------------------------------------------------------

_text = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\u2028\u2029\x85\ufeff"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s)
_names = st.lists(_text, min_size=1, max_size=3)
_OPTIONAL = {
    "section": _text,
    "lead": _names,
    "support": _names,
    "output": _text,
    "deadline": st.one_of(_text, st.integers(2020, 2030)),
    "due": st.just("2025-12-31"),
    "kpis": st.just(["D/1"]),
    "status": st.sampled_from(["not_started", "in_progress"]),
    "section_title": _text,
    "appendix": _text,
    "focal": _names,
    "group": _text,
    "project_kind": st.sampled_from(["new", "continuing"]),
    "note": _text,
    "source_line": st.integers(1, 9999),
}


@st.composite
def task_files(draw) -> tuple[str, dict[str, str]]:
    """A valid task written in a random layout: any key order, flow or block lists,
    wider indentation, decomposed accents, a comment above some keys."""
    task = {"id": "D/1", "decision": "D", "ref": draw(_text), "title": draw(_text)}
    for key in draw(st.lists(st.sampled_from(sorted(_OPTIONAL)), unique=True)):
        task[key] = draw(_OPTIONAL[key])
    if draw(st.booleans()):
        task["updates"] = [
            {"note": draw(_text), "progress": draw(st.integers(0, 100)), "date": f"2025-01-0{i}"}
            for i in range(1, draw(st.integers(1, 3)) + 1)
        ]
    keys = draw(st.permutations(list(task)))
    decompose = draw(st.booleans())
    seed = draw(st.integers(0, 2**16))
    rng = random.Random(seed)
    document = CommentedMap()
    for key in keys:
        document[key] = _styled(task[key], rng, decompose)
    comments = {}
    for key in keys[1:]:
        if rng.random() < 0.5:
            comments[key] = f"c-{key} {rng.randint(0, 99)}"
            document.yaml_set_comment_before_after_key(key, before=comments[key])
    for number, item in enumerate(document.get("updates", [])):
        if not item.fa.flow_style() and rng.random() < 0.5:
            field = rng.choice(list(item))
            item.yaml_add_eol_comment(f"e-{number}-{field}", field)
            comments[f"e-{number}-{field}"] = ""  # a comment on a line: kept, with its key
    yaml = round_trip_yaml()
    if draw(st.booleans()):
        yaml.indent(mapping=4, sequence=6, offset=4)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    text = buffer.getvalue()
    # ruamel's emitter can write text its own parser rejects (a plain "?0" inside a flow
    # mapping); such a file is not a valid input, so the example is discarded.
    try:
        round_trip_yaml().load(text)
    except Exception:
        reject()
    return text, comments


def _styled(value, rng: random.Random, decompose: bool):
    if isinstance(value, str):
        return unicodedata.normalize("NFD", value) if decompose else value
    if isinstance(value, list):
        seq = CommentedSeq(_styled(v, rng, decompose) for v in value)
        if rng.random() < 0.5:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        mapping = CommentedMap((k, _styled(v, rng, decompose)) for k, v in items)
        if rng.random() < 0.3:
            mapping.fa.set_flow_style()
        return mapping
    return value


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=task_files())
def test_any_valid_task_formats_idempotently_keeping_data_and_comments(case):
    text, comments = case
    once = format_text(text, "task")
    assert format_text(once, "task") == once, "fmt is idempotent"
    assert unicodedata.is_normalized("NFC", once)
    document = _load(once)
    assert is_ordered(document, "task")
    assert list(document) == [k for k in TOP_ORDER["task"] if k in document]
    assert _data(document) == _data(_load(unicodedata.normalize("NFC", text)))
    lines = once.splitlines()
    for key, comment in comments.items():
        if key.startswith("e-"):
            field = key.split("-", 2)[2]
            (line,) = [line for line in lines if line.endswith(f"  # {key}")]
            assert line.lstrip(" -").startswith(f"{field}:"), "a line comment stays on its line"
            continue
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        assert lines[at - 1] == f"# {comment}", f"the comment above {key} moved with it"
    assert _block_style(document), "no flow lists or mappings"


def _block_style(node) -> bool:
    if isinstance(node, dict | list):
        children = node.values() if isinstance(node, dict) else node
        flow = bool(node) and node.fa.flow_style()
        return not flow and all(_block_style(child) for child in children)
    return True


# --- files that cannot be read (issue 18) ---------------------------------------------------------


@pytest.mark.parametrize("target", ["missing.yaml", "../../../elsewhere.yaml"])
def test_check_reports_a_broken_or_outside_symlink_as_validate_does(
    capsys, canonical, tmp_path, target
):
    (tmp_path / "elsewhere.yaml").write_text("id: X\n", encoding="utf-8")
    link = canonical / "tasks/DEC-A/9.yaml"
    link.symlink_to(target)
    _, out, _ = invoke(capsys, "validate", "--data", str(canonical))
    (reported,) = [line for line in out.splitlines() if line.startswith(f"{link}:")]
    assert " E108 " in reported
    for check in (["--check"], []):
        code, out, err = invoke(capsys, "fmt", *check, "--data", str(canonical))
        assert code == 1, "a data file that cannot be read does not pass"
        assert reported in err.splitlines()
        assert "1 tệp không định dạng được" in err
    code, _, err = invoke(
        capsys, "fmt", "--check", "--data", str(canonical), str(canonical / "kpis")
    )
    assert code == 0 and str(link) not in err, "paths still limit what is checked"
