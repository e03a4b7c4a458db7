"""The interface language: one catalogue, complete in both languages, chosen per run."""

from __future__ import annotations

import ast
import pickle
import re
import shutil
from importlib import resources
from pathlib import Path

import pytest
import typer.main
import yaml

from nq57 import i18n
from nq57.cli.app import app, run
from nq57.cli.localize import localize
from nq57.i18n import LANGUAGES, M, catalogue, fields_of, language, t

SRC = Path(__file__).resolve().parents[1] / "src" / "nq57"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

# Keys built at run time from a prefix and a code (t(f"label.class.{klass}")).
DYNAMIC_PREFIXES = (
    "help.",
    "label.class.",
    "label.kpi.",
    "label.pace.",
    "label.trend.",
    "label.status.",
    "label.recurrence.",
    "label.frequency.",
    "label.decision_type.",
    "label.project_kind.",
    "browse.related.",
    "filing.text.",  # the report's headings: every key under the prefix goes to `text`
)


def _files(lang: str) -> dict[str, dict]:
    folder = resources.files("nq57") / "messages" / lang
    return {
        entry.name: yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    }


def test_every_language_has_the_same_files_and_keys():
    vi, en = _files("vi"), _files("en")
    assert sorted(vi) == sorted(en)
    for name in vi:
        assert sorted(vi[name]) == sorted(en[name]), name


@pytest.mark.parametrize("key", sorted(catalogue("vi")))
def test_both_languages_fill_the_same_fields(key):
    assert fields_of(catalogue("vi")[key]) == fields_of(catalogue("en")[key])


def test_texts_are_nfc():
    import unicodedata

    for lang in LANGUAGES:
        for key, text in catalogue(lang).items():
            assert unicodedata.is_normalized("NFC", text), (lang, key)


PREFIXES = (
    "core|framework|help|diag|validate|fmt|schema|config|cli|edit|init|import|search"
    "|label|status|browse|export|site|template|cycle|pace|sql|history|filing"
)
KEY_LIKE = re.compile(rf"^({PREFIXES})\.[a-z0-9_]+(\.[a-z0-9_]+)*$")
TEMPLATE_CALL = re.compile(r"""\bt(?:_html)?\(\s*["']([a-z_.0-9]+)["']""")
NOT_KEYS = re.compile(r"\.(ya?ml|json|j2|md|html|js|css|py|txt|docx|xlsx|csv|ics)$")


def _keys_used_in_code() -> set[str]:
    """Every text key the code names: literal arguments of t()/M()/has(), and any other
    string constant shaped like a key (keys chosen in a dict or a conditional)."""
    used: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and KEY_LIKE.match(text) and not NOT_KEYS.search(text):
                used.add(text)
    for path in [*TEMPLATES.rglob("*.j2"), *TEMPLATES.rglob("*.html"), *TEMPLATES.rglob("*.js")]:
        used.update(TEMPLATE_CALL.findall(path.read_text(encoding="utf-8")))
    return used


def test_every_key_the_code_asks_for_exists():
    missing = sorted(k for k in _keys_used_in_code() if k not in catalogue("vi"))
    assert missing == []


def test_every_key_in_the_catalogue_is_used():
    used = _keys_used_in_code()
    unused = sorted(
        key
        for key in catalogue("vi")
        if key not in used
        and not key.startswith(DYNAMIC_PREFIXES)
        and not key.startswith("framework.")  # asked for by typer/click through localize
    )
    assert unused == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_command_and_option_has_its_help_in_the_catalogue(lang):
    with language(lang):
        assert localize(typer.main.get_command(app)) == []


def test_a_message_renders_in_the_language_of_the_moment_even_after_pickling():
    message = pickle.loads(pickle.dumps(M("core.user_error", message="x")))
    with language("en"):
        assert str(message) == "nq57: error: x"
    with language("vi"):
        assert str(message) == "nq57: lỗi: x"


def test_a_missing_english_text_falls_back_to_vietnamese(monkeypatch):
    monkeypatch.setitem(catalogue("vi"), "test.only_vi", "chỉ tiếng Việt")
    with language("en"):
        assert t("test.only_vi") == "chỉ tiếng Việt"


def test_language_from_argv_takes_lang_out_anywhere_before_double_dash():
    assert i18n.language_from_argv(["status", "--lang", "en", "-f", "json"]) == (
        "en",
        ["status", "-f", "json"],
    )
    assert i18n.language_from_argv(["--lang=en", "search", "--", "--lang"]) == (
        "en",
        ["search", "--", "--lang"],
    )
    assert i18n.language_from_argv(["status"]) == (None, ["status"])


def _help(capsys, *args: str, env: dict | None = None, monkeypatch=None) -> str:
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    code = run([*args, "--help"])
    assert code == 0
    return capsys.readouterr().out


def test_vietnamese_is_the_default_and_lang_en_switches(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("NQ57_LANG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert "Cách dùng:" in _help(capsys)
    assert "Usage:" in _help(capsys, "--lang", "en")
    assert "Usage:" in _help(capsys, "status", "--lang", "en")


def test_environment_and_config_choose_the_language(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NQ57_LANG", "en")
    assert "Usage:" in _help(capsys)
    monkeypatch.delenv("NQ57_LANG")
    data = tmp_path / "data"
    for folder in ("decisions", "tasks", "kpis"):
        (data / folder).mkdir(parents=True)
    (data / "config.yaml").write_text("lang: en\n", encoding="utf-8")
    assert "Usage:" in _help(capsys)
    assert "Cách dùng:" in _help(capsys, "--lang", "vi")  # the command line wins
    monkeypatch.setenv("NQ57_LANG", "vi")
    assert "Cách dùng:" in _help(capsys)  # and the environment beats the config


@pytest.mark.parametrize(
    "args, env, origin",
    [
        (["--lang", "fr", "status"], {}, "--lang"),
        (["status"], {"NQ57_LANG": "de"}, "$NQ57_LANG"),
    ],
)
def test_an_unknown_language_is_a_usage_error_in_both_languages(
    capsys, monkeypatch, tmp_path, args, env, origin
):
    monkeypatch.chdir(tmp_path)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert run(args) == 2
    err = capsys.readouterr().err
    assert origin in err and "không được hỗ trợ" in err and "vi, en" in err


def test_usage_errors_are_translated(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NQ57_LANG", raising=False)
    assert run(["status", "--bogus"]) == 2
    err = capsys.readouterr().err
    assert "Lỗi: không có tuỳ chọn --bogus" in err
    assert "Xem 'nq57 status -h'" in err
    assert run(["--lang", "en", "status", "--bogus"]) == 2
    assert "Error: No such option: --bogus" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args, vietnamese, english",
    [
        (["status", "--within", "abc"], "'--within': cần một số nguyên", "not a whole number"),
        (["status", "--within", "-3"], "phải lớn hơn hoặc bằng 0", "must be at least 0"),
        (
            ["validate", "--format", "xml"],
            "'xml' không phải là một trong: 'text', 'json'",
            "'xml' is not one of 'text', 'json'",
        ),
        (["statu"], "Không có lệnh 'statu'. Có phải ý bạn là 'status'?", "Did you mean 'status'?"),
    ],
)
def test_bad_values_and_unknown_commands_are_explained_in_the_language(
    capsys, monkeypatch, tmp_path, args, vietnamese, english
):
    monkeypatch.chdir(tmp_path)
    assert run(args) == 2
    err = capsys.readouterr().err
    assert vietnamese in err and "[TUỲ CHỌN]" in err
    assert run(["--lang", "en", *args]) == 2
    err = capsys.readouterr().err
    assert english in err and "[OPTIONS]" in err


# --- no user-facing Vietnamese text outside the catalogue ------------------------

VIETNAMESE = frozenset(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)
ANY = None  # every Vietnamese constant of the module is allowed
# Modules whose Vietnamese string constants are NOT user-facing text: module ->
# (reason, the constants allowed, or ANY). Anything else Vietnamese belongs in the catalogue.
ALLOWED_VIETNAMESE: dict[str, tuple[str, frozenset[str] | None]] = {
    "nq57.analysis.scope": (
        "recognises a collective lead ('Các bộ, ngành, …') in agency names read from the data",
        frozenset({"các "}),
    ),
    "nq57.analysis.search": ("folds search text, đ -> d", frozenset({"đ", "Đ"})),
    "nq57.edit.tableimport": (
        "parses a pasted table: sub-item and continuation patterns, đ -> d folding",
        frozenset(
            {
                r"^\((\d+|[a-zđ])\)$|^([a-zđ])\)$",
                r"^(?:[-+•] |\(\d+\) |[a-zđà-ỹ])",
                "đ",
                "Đ",
            }
        ),
    ),
    "nq57.edit.tables.common": (
        "reads source tables: agency names that must not be split, collective-lead "
        "phrases as printed in decisions, đ -> d folding for file keys",
        ANY,
    ),
    "nq57.edit.tables.cells": ("splits agency cells of source tables (regexes)", ANY),
    "nq57.model.deadlines": ("folds printed deadline phrases to parse them, đ -> d", ANY),
    "nq57.model.targets": ("folds printed KPI targets to parse them, đ -> d", ANY),
    "nq57.model.entities": (
        "JSON-schema descriptions (English, like the schema) quoting the Vietnamese words "
        "a data file holds",
        ANY,
    ),
    "nq57.render.templating": ("a regex class: Vietnamese letters are word characters", ANY),
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _vietnamese_constants() -> dict[str, list[tuple[int, str]]]:
    """Module -> (line, text) of every string constant holding a Vietnamese letter
    (docstrings left out: they document the code, nobody sees them when nq57 runs)."""
    found: dict[str, list[tuple[int, str]]] = {}
    for path in sorted(SRC.rglob("*.py")):
        module = ".".join(("nq57", *path.relative_to(SRC).with_suffix("").parts))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and VIETNAMESE.intersection(node.value)
            ):
                found.setdefault(module, []).append((node.lineno, node.value))
    return found


def test_no_vietnamese_text_outside_the_catalogue():
    """User-facing text comes from the catalogue (messages/<lang>/*.yaml); the only
    Vietnamese constants left in the code read Vietnamese input (ALLOWED_VIETNAMESE)."""
    stray = []
    for module, constants in _vietnamese_constants().items():
        _reason, allowed = ALLOWED_VIETNAMESE.get(module, ("", frozenset()))
        for line, text in constants:
            if allowed is not ANY and text not in allowed:
                stray.append(f"{module}:{line}: {text!r}")
    assert stray == [], "move these texts into the catalogue (or allow them, with a reason)"


def test_the_vietnamese_allowlist_has_no_stale_entry():
    found = _vietnamese_constants()
    stale = []
    for module, (_reason, allowed) in ALLOWED_VIETNAMESE.items():
        texts = {text for _, text in found.get(module, [])}
        if not texts or (allowed is not ANY and allowed - texts):
            stale.append(module)
    assert stale == []


# --- the compiled catalogue (read at every start instead of the YAML files) -----------------------


@pytest.fixture
def own_catalogue(tmp_path, monkeypatch):
    """A copy of the Vietnamese sources and an empty cache folder; catalogue() uncached."""
    shutil.copytree(SRC / "messages" / "vi", tmp_path / "messages" / "vi")
    monkeypatch.setattr(i18n, "MESSAGES", str(tmp_path / "messages"))
    monkeypatch.setenv("NQ57_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "messages" / "vi", tmp_path / "cache" / "messages", i18n.catalogue.__wrapped__


def test_the_compiled_catalogue_holds_the_sources_texts(own_catalogue):
    sources, compiled, load = own_catalogue
    expected = {k: v for document in _files("vi").values() for k, v in document.items()}
    assert load("vi") == expected  # compiled from the YAML files
    assert len(list(compiled.iterdir())) == 1
    assert load("vi") == expected  # read back from the compiled file


def test_an_edited_catalogue_is_never_served_stale(own_catalogue):
    sources, compiled, load = own_catalogue
    load("vi")
    with (sources / "core.yaml").open("a", encoding="utf-8") as handle:
        handle.write('test.added: "mới thêm"\n')
    assert load("vi")["test.added"] == "mới thêm"
    assert len(list(compiled.iterdir())) == 1  # the old compiled file is gone
    (sources / "zz.yaml").write_text('test.other: "khác"\n', encoding="utf-8")
    assert load("vi")["test.other"] == "khác"
    (sources / "zz.yaml").unlink()
    assert "test.other" not in load("vi")


def test_a_broken_or_unwritable_cache_is_only_slower(own_catalogue, monkeypatch, tmp_path):
    sources, compiled, load = own_catalogue
    expected = load("vi")
    (path,) = compiled.iterdir()
    path.write_bytes(b"\x00 not marshal")
    assert load("vi") == expected
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("NQ57_CACHE_DIR", str(blocked / "cache"))  # cannot be created
    assert load("vi") == expected


def test_a_key_defined_twice_is_refused_when_compiling(own_catalogue):
    sources, compiled, load = own_catalogue
    (sources / "zz.yaml").write_text('core.aborted: "lần hai"\n', encoding="utf-8")
    with pytest.raises(i18n.CatalogueError, match="defined twice"):
        load("vi")
