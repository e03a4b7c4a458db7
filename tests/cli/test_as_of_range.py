"""Every day --as-of (and every month --month) accepts works in every command; days
outside the range are refused with a clear message (exit 2), never a crash."""

from __future__ import annotations

import pytest

from nq57.cli.options import EARLIEST_DAY, LATEST_DAY, MAX_WITHIN

from conftest import invoke

AS_OF_COMMANDS = [
    ("status",),
    ("status", "-f", "json"),
    ("status", "-f", "csv"),
    ("list", "tasks"),
    ("list", "kpis"),
    ("show", "NEW/annual-new"),
    ("export",),
    ("export", "-f", "ics", "-o", "{tmp}/deadlines.ics"),
    ("export", "-f", "xlsx", "-o", "{tmp}/tasks.xlsx"),
    ("site", "-o", "{tmp}/site"),
]
WITHIN_COMMANDS = {"status", "list", "export"}


def _args(command: tuple[str, ...], tmp_path) -> list[str]:
    return [part.format(tmp=tmp_path) for part in command]


@pytest.mark.parametrize("day", [EARLIEST_DAY, LATEST_DAY], ids=str)
@pytest.mark.parametrize("command", AS_OF_COMMANDS, ids=lambda c: " ".join(c[:3]))
def test_every_accepted_day_works(in_fixtures, capsys, tmp_path, command, day):
    args = [*_args(command, tmp_path), "--data", "status", "--as-of", day.isoformat()]
    if command[0] in WITHIN_COMMANDS:
        args += ["--within", str(MAX_WITHIN)]
    code, out, err = invoke(capsys, *args)
    assert code == 0, err


@pytest.mark.parametrize("value", ["9999-12-31", "2200-01-01", "31/12/2200", "1899-12-31"])
@pytest.mark.parametrize("command", AS_OF_COMMANDS, ids=lambda c: " ".join(c[:3]))
def test_days_out_of_range_are_refused(in_fixtures, capsys, tmp_path, command, value):
    args = [*_args(command, tmp_path), "--data", "status", "--as-of", value]
    code, out, err = invoke(capsys, "--lang", "en", *args)
    assert code == 2
    assert f"--as-of '{value}' is outside the days nq57 computes for" in err
    assert "1900-01-01 to 2199-12-31" in err


def test_within_beyond_a_hundred_years_is_refused(in_fixtures, capsys):
    code, _, err = invoke(capsys, "status", "--data", "status", "--within", str(MAX_WITHIN + 1))
    assert code == 2 and "--within" in err


@pytest.mark.parametrize("month", ["1900-01", "2199-12"])
def test_every_accepted_month_reports(in_fixtures, capsys, tmp_path, month):
    target = tmp_path / month
    code, _, err = invoke(
        capsys, "report", "-m", month, "--data", "report", "-f", "both", "-o", str(target)
    )
    assert code == 0, err
    assert target.with_suffix(".docx").exists()


@pytest.mark.parametrize("month", ["2200-01", "9999-12"])
def test_months_out_of_range_are_refused(in_fixtures, capsys, month):
    code, out, err = invoke(capsys, "--lang", "en", "report", "-m", month, "--data", "report")
    assert code == 2 and out == ""
    assert f"--month '{month}' is outside the months nq57 computes for" in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("changes", "--since", "2025-01-01", "--until", "9999-12-31"), "--until '9999-12-31'"),
        (("changes", "--since", "9999-01-01"), "--since '9999-01-01'"),
        (("changes", "--since", "2025-01-01", "--until", "2025-13-01"), "--until '2025-13-01'"),
        (("history", "--from", "2025-01", "--to", "9999-12"), "--to '9999-12'"),
        (("history", "--from", "1025-01", "--to", "2025-12"), "--from '1025-01'"),
    ],
)
def test_a_refused_date_names_the_option_typed(in_fixtures, capsys, args, said):
    code, out, err = invoke(capsys, *args, "--data", "status")
    assert code == 2 and out == ""
    assert f"nq57: lỗi: {said} " in err
    assert "--as-of" not in err and "--month" not in err
