"""Human-readable labels of the codes nq57 computes or reads (classes, statuses, ...).

Every label comes from the message catalogue (``label.*`` keys in
``nq57/messages/<lang>/output.yaml``) and is rendered when asked for, in the
language of the run: never keep one in a module-level constant. The codes
themselves (``overdue``, ``in_progress``, ...) are what JSON and CSV carry.

Catalogue keys built here from a code (dynamic prefixes): ``label.class.``,
``label.kpi.``, ``label.status.``, ``label.recurrence.``, ``label.frequency.``,
``label.decision_type.``, ``label.project_kind.``.
"""

from __future__ import annotations

import datetime as dt

from nq57.i18n import has, t

RECURRENCES = ("annual", "quarterly", "monthly")  # the recurrences that have a label
FREQUENCIES = ("monthly", "quarterly", "semiannual", "annual", "on_request")
STATUSES = ("not_started", "in_progress", "done", "cancelled")


def class_label(klass: str) -> str:
    """A task class (see :data:`nq57.analysis.tasks.CLASSES`): 'Quá hạn' / 'Overdue'."""
    return t(f"label.class.{klass}")


def group_label(column: str) -> str:
    """A column of the per-agency / per-plan tables: a class, or ``in_time``."""
    return t("label.group.in_time") if column == "in_time" else class_label(column)


def kpi_label(klass: str) -> str:
    """A KPI assessment: ``met``, ``not_met``, ``undecided``, ``no_data``."""
    return t(f"label.kpi.{klass}")


def pace_label(pace: str) -> str:
    """A KPI's pace: ``ahead``, ``on_track``, ``behind``, ``met``, ``unknown``."""
    return t(f"label.pace.{pace}")


def trend_label(trend: str | None) -> str:
    """The direction of the last measurements: ``up``, ``down``, ``flat``; None as ''."""
    return t(f"label.trend.{trend}") if trend else ""


def status_label(status: str | None) -> str:
    """A recorded status (``in_progress``, ...); an unknown one as written, None as ''."""
    if status in STATUSES:
        return t(f"label.status.{status}")
    return status or ""


def recurrence_label(recurrence: str | None) -> str:
    """'hằng năm' for ``annual`` ...; '' for none or one without a label (``continuous``)."""
    return t(f"label.recurrence.{recurrence}") if recurrence in RECURRENCES else ""


def frequency_label(frequency: str | None, default: str | None = None) -> str:
    """A reporting frequency: 'hằng tháng' for ``monthly``; unknown ones: ``default``
    (the code itself when no default is given)."""
    if frequency in FREQUENCIES:
        return t(f"label.frequency.{frequency}")
    return (frequency or "") if default is None else default


def decision_type_label(kind: str | None) -> str | None:
    """'Quyết định' for ``quyet_dinh``; None for a type without a label."""
    key = f"label.decision_type.{kind}"
    return t(key) if kind and has(key) else None


def project_kind_label(kind: str | None) -> str:
    key = f"label.project_kind.{kind}"
    return t(key) if kind and has(key) else ""


def target_with_year(target: str, year: int) -> str:
    """The target with its year unless the target names it: '≥ 80 (năm 2030)'."""
    if str(year) in target:
        return target
    return t("label.target_year", target=target, year=year).strip()


PROGRESS_SOURCES = {
    "reported": "cycle.progress_source.reported",
    "done": "cycle.progress_source.done",
    "children": "cycle.progress_source.children",
    "none": "cycle.progress_source.none",
}


def progress_text(value: int | None, source: str | None) -> str:
    """'70% (tổng hợp từ các nhiệm vụ con)'; empty when there is no figure (cancelled)."""
    if value is None or source not in PROGRESS_SOURCES:
        return ""
    return f"{value}% ({t(PROGRESS_SOURCES[source])})"


def change_value_label(field: str | None, value: str | None) -> str:
    """An old or new value of `nq57 changes` as a reader sees it: "—" for nothing (a
    field set for the first time changes from "—"), a status by its label, a ``due``
    date day-first, any other text as it is."""
    if value is None:
        return "—"
    if field == "status":
        return status_label(value)
    if field == "due":
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value
