"""User templates cannot read files or call Python they were not given."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, invoke

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% include '/etc/passwd' %}",
    "{% import '/etc/hostname' as h %}",
    "{{ self.__init__.__globals__ }}",
]


@pytest.mark.parametrize("body", ESCAPES)
def test_template_escape_attempts_are_refused(body, tmp_path, capsys, monkeypatch):
    template = tmp_path / "evil.md.j2"
    template.write_text(body, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke(
        capsys,
        "report",
        "--month",
        "2025-09",
        "--data",
        str(FIXTURES / "report"),
        "--template",
        str(template),
        "--no-charts",
    )
    assert code == 1, out + err
    assert "root:" not in out and "uid=" not in out
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.md.j2"]  # nothing written


def test_report_writes_only_where_asked(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "out" / "bc.md"
    target.parent.mkdir()
    code, _, _ = invoke(
        capsys,
        "report",
        "--month",
        "2025-09",
        "--data",
        str(FIXTURES / "report"),
        "--output",
        str(target),
        "--no-charts",
    )
    assert code == 0
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "out",
        "out/bc-phu-luc.xlsx",  # the appendix, beside the report
        "out/bc.md",
    ]
