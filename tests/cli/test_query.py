"""`nq57 query`: SQL over the views, refused statements, saved queries, --parquet."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import FIXTURES, invoke

STATUS = str(FIXTURES / "status")
AS_OF = "2025-07-15"


def query(capsys, *args: str) -> tuple[int, str, str]:
    return invoke(capsys, "query", "--data", STATUS, "--as-of", AS_OF, *args)


def rows(capsys, sql: str, *args: str) -> list[dict]:
    code, out, err = query(capsys, sql, "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


def test_counts_by_class_equal_status(capsys):
    code, out, _ = invoke(capsys, "status", "--data", STATUS, "--as-of", AS_OF, "-f", "json")
    assert code == 0
    counts = json.loads(out)["counts"]
    found = rows(capsys, "SELECT class, count(*) AS n FROM tasks GROUP BY class")
    by_class = {r["class"]: r["n"] for r in found}
    for klass in ("overdue", "due_soon", "on_track", "no_deadline", "done_on_time"):
        assert by_class.get(klass, 0) == counts[klass], klass
    assert sum(by_class.values()) == counts["total"]
    stale = rows(capsys, "SELECT count(*) AS n FROM tasks WHERE stale")
    assert stale == [{"n": counts["stale"]}]


def test_types_are_real(capsys):
    found = rows(
        capsys,
        "SELECT typeof(due) AS due, typeof(lead) AS lead, typeof(days_overdue) AS days, "
        "typeof(stale) AS stale FROM tasks LIMIT 1",
    )
    assert found == [{"due": "DATE", "lead": "VARCHAR[]", "days": "INTEGER", "stale": "BOOLEAN"}]
    early = rows(capsys, "SELECT id FROM tasks WHERE due < DATE '2025-07-01' ORDER BY id")
    assert {"id": "NEW/overdue"} in early and {"id": "NEW/yesterday"} not in early
    listed = rows(capsys, "SELECT id FROM tasks WHERE list_contains(lead, 'Cục Thuế') LIMIT 1")
    assert listed


def test_json_dates_are_iso_and_csv_has_a_header(capsys):
    found = rows(capsys, "SELECT id, due, lead FROM tasks WHERE id = 'NEW/overdue'")
    assert found[0]["due"] == "2025-06-30" and isinstance(found[0]["lead"], list)
    code, out, _ = query(capsys, "SELECT id, due FROM tasks WHERE id = 'NEW/overdue'", "-f", "csv")
    assert code == 0 and out.splitlines() == ["id,due", "NEW/overdue,2025-06-30"]
    code, out, _ = query(capsys, "SELECT id, due FROM tasks WHERE id = 'NEW/overdue'")
    assert code == 0 and "30/06/2025" in out


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "secret.csv"
    path.write_text("password\nhunter2\n", encoding="utf-8")
    return path


def refused_statements(tmp_path: Path, secret: Path) -> list[str]:
    return [
        f"SELECT * FROM read_csv('{secret}')",
        f"SELECT * FROM '{secret}'",
        f"SELECT * FROM read_text('{secret}')",
        f"COPY tasks TO '{tmp_path / 'out.csv'}'",
        f"COPY (SELECT 1) TO '{tmp_path / 'out.csv'}'",
        f"ATTACH '{tmp_path / 'other.db'}' AS other",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "PRAGMA version",
        f"EXPORT DATABASE '{tmp_path / 'dump'}'",
        "CREATE TABLE x AS SELECT 1",
        "SELECT 1; SELECT 2",
    ]


def test_refused_statements_exit_1_and_read_nothing(capsys, tmp_path, secret):
    for sql in refused_statements(tmp_path, secret):
        code, out, err = query(capsys, sql)
        assert code == 1, (sql, err)
        assert "hunter2" not in out + err, sql
        assert "Traceback" not in err and "lỗi" in err, sql
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.csv"]  # nothing written


def test_refused_statement_kinds_are_refused_before_the_data_is_read(capsys, monkeypatch):
    import nq57.cli.query as command

    def fail(*args, **kwargs):
        raise AssertionError("data loaded")

    monkeypatch.setattr(command, "load_data", fail)
    for sql in ("COPY tasks TO 'x.csv'", "ATTACH 'x.db'", "INSTALL httpfs", "LOAD x", "SET a=1"):
        code, _, err = query(capsys, sql)
        assert code == 1 and "bị từ chối" in err, sql


def test_syntax_error_shows_duckdb_message_and_position(capsys):
    code, out, err = query(capsys, "SELECT id FROM tasks WHERE")
    assert code == 1 and out == ""
    assert "syntax error" in err and "LINE 1" in err and "^" in err
    assert "Traceback" not in err
    code, _, err = query(capsys, "SELECT nope FROM tasks")
    assert code == 1 and "nope" in err and "Traceback" not in err


def test_parameters(capsys):
    found = rows(capsys, "SELECT count(*) AS n FROM tasks WHERE class = $k", "--param", "k=overdue")
    assert found == [{"n": 6}]
    code, _, err = query(capsys, "SELECT * FROM tasks WHERE class = $k")
    assert code == 2 and "$k" in err
    code, _, err = query(capsys, "SELECT 1", "--param", "k=1")
    assert code == 2 and "k" in err
    code, _, err = query(capsys, "SELECT 1", "--param", "novalue")
    assert code == 2


SAVED = """\
-- title: Quá hạn của một cơ quan
-- description: Nhiệm vụ quá hạn,
--   lâu nhất trước.
-- param: lead Cơ quan chủ trì
-- param: min_days=0 Quá hạn hơn
SELECT id, days_overdue FROM tasks
WHERE class = 'overdue' AND lead_agency = $lead AND days_overdue > CAST($min_days AS INTEGER)
ORDER BY days_overdue DESC, id
"""


@pytest.fixture
def with_saved(tmp_path) -> Path:
    data = tmp_path / "status"
    shutil.copytree(FIXTURES / "status", data)
    (data / "queries").mkdir()
    (data / "queries" / "qua-han.sql").write_text(SAVED, encoding="utf-8")
    return data


def test_saved_queries_with_parameters(capsys, with_saved):
    base = ("query", "--data", str(with_saved), "--as-of", AS_OF)
    code, out, _ = invoke(capsys, *base, "--list", "-f", "json")
    assert code == 0
    listed = json.loads(out)
    assert listed == [
        {
            "name": "qua-han",
            "title": "Quá hạn của một cơ quan",
            "description": "Nhiệm vụ quá hạn, lâu nhất trước.",
            "params": ["lead", "min_days=0"],
        }
    ]
    code, out, err = invoke(
        capsys, *base, "--saved", "qua-han", "-p", "lead=Cục Thuế", "-f", "json"
    )
    assert code == 0, err
    every = json.loads(out)
    assert every and all(r["days_overdue"] > 0 for r in every)
    code, out, _ = invoke(
        capsys,
        *base,
        "--saved",
        "qua-han",
        "-p",
        "lead=Cục Thuế",
        "-p",
        "min_days=100",
        "-f",
        "json",
    )
    assert json.loads(out) == [r for r in every if r["days_overdue"] > 100]
    code, _, err = invoke(capsys, *base, "--saved", "qua-han")
    assert code == 2 and "$lead" in err
    code, _, err = invoke(capsys, *base, "--saved", "nope")
    assert code == 2 and "qua-han" in err


def test_export_parquet_reads_back_equal_to_the_views(capsys, tmp_path):
    folder = tmp_path / "pq"
    code, _, err = invoke(
        capsys, "export", "--data", STATUS, "--as-of", AS_OF, "-f", "parquet", "-o", str(folder)
    )
    assert code == 0, err
    from nq57.analysis.views import SCHEMA, build_views
    from nq57.check.pipeline import load
    from nq57.render import sql

    views = build_views(load([FIXTURES / "status"]), dt.date.fromisoformat(AS_OF))
    con = sql.open_views(views)
    check = duckdb.connect()
    for name, columns in SCHEMA.items():
        path = folder / f"{name}.parquet"
        names = ", ".join(f'"{c}"' for c, _ in columns)
        expected = con.execute(f'SELECT {names} FROM "{name}"').fetchall()
        got = check.execute(f"SELECT {names} FROM read_parquet('{path}')")
        assert got.fetchall() == expected, name
        described = {
            r[0]: r[1] for r in check.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()
        }
        assert described == {c: t for c, t in sql.schema_of(name)}, name
    meta = check.execute(
        f"SELECT DISTINCT as_of, schema_version FROM '{folder / 'tasks.parquet'}'"
    ).fetchall()
    assert meta == [(dt.date(2025, 7, 15), 1)]
    code, _, err = invoke(
        capsys, "export", "--data", STATUS, "--as-of", AS_OF, "-f", "parquet", "-o", str(folder)
    )
    assert code == 1  # no overwrite without --force


def test_export_json_has_every_view(capsys):
    code, out, _ = invoke(capsys, "export", "--data", STATUS, "--as-of", AS_OF, "-f", "json")
    assert code == 0
    document = json.loads(out)
    assert document["schema_version"] == 1 and document["as_of"] == AS_OF
    from nq57.analysis.views import SCHEMA

    assert list(document["views"]) == list(SCHEMA)
    task = document["views"]["tasks"][0]
    assert list(task) == [c for c, _ in SCHEMA["tasks"]]


def test_parquet_option_over_a_partitioned_folder(capsys, tmp_path):
    root = tmp_path / "national"
    for org, day in (("A", "2025-06-30"), ("A", "2025-07-31"), ("B", "2025-07-31")):
        folder = root / f"org={org}" / f"as_of={day}"
        code, _, err = invoke(
            capsys, "export", "--data", STATUS, "--as-of", day, "-f", "parquet", "-o", str(folder)
        )
        assert code == 0, err
    code, out, err = invoke(
        capsys,
        "query",
        "--parquet",
        str(root),
        "-f",
        "json",
        "SELECT org, as_of, count(*) FILTER (WHERE class = 'overdue') AS overdue "
        "FROM tasks GROUP BY ALL ORDER BY org, as_of",
    )
    assert code == 0, err
    found = json.loads(out)
    assert [(r["org"], r["as_of"]) for r in found] == [
        ("A", "2025-06-30"),
        ("A", "2025-07-31"),
        ("B", "2025-07-31"),
    ]
    assert found[1]["overdue"] == found[2]["overdue"]
    outside = tmp_path / "secret.csv"
    outside.write_text("hunter2\n", encoding="utf-8")
    code, out, err = invoke(
        capsys, "query", "--parquet", str(root), f"SELECT * FROM read_csv('{outside}')"
    )
    assert code == 1 and "hunter2" not in out + err
    code, _, err = invoke(capsys, "query", "--parquet", str(root), "--data", STATUS, "SELECT 1")
    assert code == 2


def test_kpi_pace_and_off_track_equal_status(capsys):
    code, out, _ = invoke(capsys, "status", "--data", STATUS, "--as-of", AS_OF, "-f", "json")
    off_track = sorted(k["id"] for k in json.loads(out)["kpis_off_track"])
    found = rows(capsys, "SELECT id FROM kpis WHERE off_track ORDER BY id")
    assert [r["id"] for r in found] == off_track
    from nq57.analysis.kpis import assess
    from nq57.check.pipeline import load

    data = load([FIXTURES / "status"])
    paces = {k.id: assess(k, dt.date.fromisoformat(AS_OF)).pace.status for k in data.kpis.values()}
    found = rows(capsys, "SELECT id, pace, typeof(pace_target_year) AS y FROM kpis")
    assert {r["id"]: r["pace"] for r in found} == paces and found[0]["y"] == "INTEGER"


def test_export_carries_org_from_config_and_no_commit_outside_git(capsys, tmp_path):
    data = tmp_path / "status"
    shutil.copytree(FIXTURES / "status", data)
    (data / "config.yaml").write_text("org: Bộ Tài chính\n", encoding="utf-8")
    code, out, err = invoke(capsys, "export", "--data", str(data), "--as-of", AS_OF, "-f", "json")
    assert code == 0, err
    document = json.loads(out)
    assert document["org"] == "Bộ Tài chính" and document["data_commit"] is None
    folder = tmp_path / "pq"
    code, _, err = invoke(
        capsys, "export", "--data", str(data), "--as-of", AS_OF, "-f", "parquet", "-o", str(folder)
    )
    assert code == 0, err
    meta = duckdb.connect().execute(
        f"SELECT DISTINCT org, data_commit FROM '{folder / 'kpis.parquet'}'"
    )
    assert meta.fetchall() == [("Bộ Tài chính", None)]
