"""The monthly report (báo cáo tháng) as one context: every figure and row it shows.

:func:`build_report` is pure — data, month, header settings and scope in, a
plain dict out (text, numbers, lists and dicts only; dates already written the
Vietnamese way). The Markdown and Word renderers take this same dict, so both
say the same thing, and a user's template sees exactly the documented keys.

Reading rules:

* the report speaks as of the month's LAST day; a task whose ``completed`` date
  (or whose cancelling update) is later is reported as not yet done (cancelled)
  then, so a report for a past month does not change when later work is recorded;
* "completed in the month": status done with ``completed`` inside the month;
  on time / late as :func:`nq57.analysis.tasks.classify` says;
* "overdue": class ``overdue`` at the month's last day, with days late; for a
  recurring task the due date shown is the end of the first period not reported;
* "due on the last day": due on the month's last day itself and not done (not
  overdue on that day, but due within the month reported: listed apart in II.);
  a recurring task whose period ends that day is listed when no update is dated
  in that period;
* "due next month": not done, not cancelled, not overdue, and due inside the
  next calendar month — for a recurring task, when a period ends in it;
* KPIs: the latest measurement dated on or before the month's last day;
* difficulties: the notes of updates dated inside the month and marked
  ``kind: difficulty``, verbatim — never a made-up sentence; proposals: those of
  ``config.yaml`` then the notes marked ``kind: proposal`` in the month;
* a header value that is not configured is the blank ``BLANK`` to fill in by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta

from nq57.analysis.filings import filings as filing_states
from nq57.analysis.kpis import KpiState, assess
from nq57.analysis.labels import (
    change_value_label,
    class_label,
    decision_type_label,
    frequency_label,
    kpi_label,
    recurrence_label,
    target_with_year,
)
from nq57.analysis.progress import Progress, attach_progress, latest_update, mean_progress
from nq57.analysis.refs import References
from nq57.analysis.scope import (
    is_collective,
    lead_group,
    plan_family,
    select_kpis,
    select_tasks,
    unit_of,
)
from nq57.analysis.stale import stale_tasks
from nq57.analysis.tasks import CLASSES, TaskState, classify_all
from nq57.i18n import catalogue, get_language, language, t
from nq57.model.config import ReportConfig
from nq57.model.dataset import DataSet
from nq57.model.deadlines import owed_period
from nq57.model.entities import Decision, Task

if TYPE_CHECKING:  # the report is given history and changes; it does not read git
    from nq57.analysis.changes import Change
    from nq57.analysis.history import Point

BLANK = "……"
NUMBER_BLANK = "…"  # Decree 30 writes the number to be filled in as "Số: …/BC-…"
KPI_CLASSES = ("met", "on_pace", "behind_pace", "not_met", "undecided", "no_data")
# Columns of the per-agency / per-plan tables: key -> classes counted (header: report_class_label).
# One column per class: a label means one thing in every table of the report.
GROUP_COLUMNS = {
    "done_on_time": ("done_on_time",),
    "done_late": ("done_late",),
    "overdue": ("overdue",),
    "due_soon": ("due_soon",),
    "on_track": ("on_track",),
    "no_deadline": ("no_deadline",),
    "cancelled": ("cancelled",),
}
CLASS_ORDER = ("overdue", "due_soon", "on_track", "no_deadline", "done_on_time", "done_late",
               "cancelled")  # fmt: skip
MOST_BEHIND = 5  # agencies named in the summary
TITLE_CHARS = 120  # a title longer than this is shortened in section II (full in the appendix)
NOTE_CHARS = 200
APPENDIX_MODES = ("none", "docx", "xlsx")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DIGITS = re.compile(r"(\d+)")


# --- small formatters (pure) --------------------------------------------------


def parse_month(text: str) -> tuple[dt.date, dt.date]:
    """'2025-09' -> (2025-09-01, 2025-09-30); ValueError when not a month."""
    m = _MONTH.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1900:
        raise ValueError(f"'{text}' is not a month; write it as YYYY-MM (e.g. 2025-09)")
    year, month = int(m.group(1)), int(m.group(2))
    first = dt.date(year, month, 1)
    return first, first + relativedelta(day=31)  # day=31: the month's last day


def fmt_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def signing_line(place: str | None, day: dt.date | None) -> str:
    """'Hà Nội, ngày 05 tháng 7 năm 2025' (Decree 30/2020: a day below 10 and a
    month below 3 take a leading zero); blanks where not configured."""
    where = place if place else BLANK
    if day is None:
        return t("filing.header.place_no_date", place=where)
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    day_text = f"{day.day:02d}"
    return t("filing.header.place_date", place=where, day=day_text, month=month, year=day.year)


def latest_value_text(k: KpiState) -> str:
    """The latest measurement as printed: "Thế giới: 44", "82,5%", "1.200 doanh nghiệp"."""
    latest = k.latest
    if latest is None:
        return ""
    value = fmt_number(latest.value)
    if k.kpi.unit:
        value += k.kpi.unit if k.kpi.unit == "%" else f" {k.kpi.unit}"
    return f"{latest.label}: {value}" if latest.label else value


def fmt_number(value: float | int) -> str:
    """A number written the way of the current language: Vietnamese '1.200,5'
    ('.' groups thousands, ',' is the decimal mark), English '1,200.5'."""
    number = float(value)
    group = t("label.number.thousands")
    if number.is_integer():
        return f"{int(number):,}".replace(",", group)
    whole, _, frac = f"{number:,.4f}".rstrip("0").partition(".")
    return whole.replace(",", group) + t("label.number.decimal") + frac


def fmt_share(part: int, total: int) -> str:
    if not total:
        return ""
    return fmt_number(round(100 * part / total, 1)) + "%"


def natural_key(text: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in _DIGITS.split(text))


def _blank(value: str | None) -> str:
    """Configured text as given; None (not configured) -> BLANK; "" -> "" (none)."""
    return BLANK if value is None else value


def _open_on_due_day(state: TaskState, day: dt.date) -> bool:
    """Due on ``day`` itself (not yet overdue then) and not done: for a recurring
    task, its period ends that day and has no update in it."""
    if state.klass not in ("due_soon", "on_track") or state.due != day:
        return False
    if state.owed is not None and state.recurrence is not None:
        bounds = owed_period(state.recurrence, state.owed, day)
        return bounds is not None and not any(
            bounds[0] <= u.date <= bounds[1] for u in state.task.updates
        )
    return True


def _next_due(state: TaskState, first: dt.date, last: dt.date) -> dt.date | None:
    """The due date inside [first, last] of a task still open, if any."""
    if state.klass not in ("due_soon", "on_track"):
        return None
    if state.owed is not None and state.recurrence is not None:
        bounds = owed_period(state.recurrence, state.owed, first)
        return bounds[1] if bounds and first <= bounds[1] <= last else None
    if state.due and first <= state.due <= last:
        return state.due
    return None


# --- rows ---------------------------------------------------------------------


class PlanNames:
    """How a plan is named in reports and on the site: its number, or its kind and number
    ("Nghị quyết 71/NQ-CP"); an id with no decision file is shown as it is."""

    def __init__(self, data: DataSet):
        self.data = data

    def plan_short(self, decision_id: str) -> str:
        decision = self.data.decisions.get(decision_id)
        return decision.number if decision else decision_id

    def plan_label(self, decision_id: str) -> str:
        decision = self.data.decisions.get(decision_id)
        return decision_label(decision) if decision else decision_id


class _Rows(PlanNames):
    """Row builders sharing the data set (labels of plans, task references)."""

    def __init__(self, data: DataSet):
        super().__init__(data)
        self.refs = References(data)
        self.stale: set[str] = set()

    def attention(self, s: TaskState, due: dt.date | None, as_of: dt.date) -> dict[str, Any]:
        """A row of section II: the task, its progress and its latest note."""
        row = self.task(s, due)
        row["progress"] = percent(s.progress)
        latest = latest_update(_with_note(s.task), as_of)
        row["note"] = shorten(latest.note or "", NOTE_CHARS) if latest else ""
        row["note_date"] = fmt_date(latest.date) if latest else ""
        row["stale"] = s.task.id in self.stale
        row["late_text"] = (
            t("filing.row.days_overdue", days=s.days_overdue)
            if s.klass == "overdue" and s.days_overdue is not None
            else ""
        )
        return row

    def task(self, s: TaskState, due: dt.date | None = None) -> dict[str, Any]:
        t = s.task
        due = due or s.due
        key = t.id.split("/", 1)[1]
        recurrence = recurrence_label(s.recurrence)
        due_text = fmt_date(due)
        if due_text and recurrence:
            due_text += f" ({recurrence})"
        deadline = "" if t.deadline is None else str(t.deadline)
        row = {
            "id": t.id,
            "reference": self.refs.of(t),
            "decision": t.decision,
            "plan": self.plan_short(t.decision),
            "ref": t.ref or key,
            "source": self.refs.of(t),
            "title": t.title,
            "short_title": shorten(t.title, TITLE_CHARS),
            "lead": "; ".join(t.lead),
            "deadline": deadline,
            "due": fmt_date(due),
            "due_text": due_text or deadline,
            "class": s.klass,
            "class_label": report_class_label(s.klass),
            "completed": fmt_date(t.completed),
            "days_overdue": s.days_overdue if s.klass == "overdue" else None,
            "days_late": None,
        }
        if s.klass == "done_late" and t.completed and s.due:
            row["days_late"] = (t.completed - s.due).days
        return row

    def kpi(self, k: KpiState, first: dt.date) -> dict[str, Any]:
        kpi, latest = k.kpi, k.latest
        value = latest_value_text(k)
        klass = kpi_class(k)
        target = kpi.target or ""
        pace = k.pace.status
        # Judged by pace while the target year is ahead; against the target once it is over.
        judged = t(f"label.pace.{pace}") if pace != "unknown" and not k.year_over else ""
        expected = ""
        if pace in ("ahead", "on_track", "behind") and k.pace.expected is not None:
            expected = t("filing.kpi.expected", value=with_unit(k.pace.expected, kpi.unit))
        return {
            "id": kpi.id,
            "ref": kpi.ref,
            "plan": self.plan_short(kpi.decision),
            "source_ref": t(
                "filing.kpi.ref", plan=self.plan_short(kpi.decision), ref=kpi.ref.rstrip(".")
            ),
            "name": kpi.name,
            "unit": kpi.unit or "",
            "target": target,
            "year": kpi.year,
            "target_text": target_with_year(target_with_unit(target, kpi.unit), kpi.year),
            "owner": kpi.owner or "",
            "value": value,
            "date": fmt_date(latest.date) if latest else "",
            "in_month": bool(latest and latest.date >= first),
            "source": (latest.source or "") if latest else "",
            "class": klass,
            "label": judged or kpi_label(klass),
            "pace": pace,
            "expected": expected,
        }


def with_unit(value: float, unit: str | None) -> str:
    """'82,5%', '1.200 doanh nghiệp', '44'."""
    text = fmt_number(round(value, 2))
    if not unit:
        return text
    return text + unit if unit == "%" else f"{text} {unit}"


def target_with_unit(target: str, unit: str | None) -> str:
    """The printed target with its unit unless it already says it: '≥ 80%',
    '≥ 1.500 doanh nghiệp'; a qualitative target ('Hoàn thành') as printed."""
    if not unit or not target or unit.lower() in target.lower():
        return target
    if not any(c.isdigit() for c in target):
        return target
    if ";" in target:  # several bounds: say the unit once
        return f"{target} ({t('filing.kpi.unit', unit=unit)})"
    return f"{target}{unit}" if unit == "%" else f"{target} {unit}"


def _with_note(task: Task) -> Task:
    """The task with only its updates that carry a note (for the latest note)."""
    notes = [u for u in task.updates if u.note and u.note.strip()]
    return task if len(notes) == len(task.updates) else task.model_copy(update={"updates": notes})


def decision_label(decision: Decision) -> str:
    kind = decision_type_label(decision.type)
    return t("label.decision", kind=kind, number=decision.number) if kind else decision.number


def report_class_label(klass: str) -> str:
    """A task class as the report names it: ``due_soon`` here means due by the end of
    next month (not the site's 30 days), and its label says so."""
    return t("filing.label.due_soon") if klass == "due_soon" else class_label(klass)


def kpi_class(k: KpiState) -> str:
    return k.klass


def _group_rows(groups: dict[str, Counter[str]], labels: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for name, counts in groups.items():
        row: dict[str, Any] = {"name": labels.get(name, name), "key": name}
        for column, classes in GROUP_COLUMNS.items():
            row[column] = sum(counts[c] for c in classes)
        row["total"] = sum(counts.values())
        rows.append(row)
    return rows


def _total_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {"name": t("filing.text.total"), "key": ""}
    for column in (*GROUP_COLUMNS, "total"):
        total[column] = sum(r[column] for r in rows)
    return total


# --- the context ----------------------------------------------------------------


def build_report(
    data: DataSet,
    month: str,
    config: ReportConfig | None = None,
    org: str | None = None,
    decision: str | None = None,
    appendix: str = "none",
    appendix_file: str = "",
    history: list[Point] | None = None,
    changes: list[Change] | None = None,
) -> dict[str, Any]:
    """The context of the monthly report for ``month`` ('YYYY-MM').

    ``history`` (points of :func:`nq57.analysis.history.history_points`, month ends up to
    the month's last day) draws the trend; ``changes`` (of
    :func:`nq57.analysis.changes.list_changes` over the month; None when the data has no
    git history) lists the deadlines changed. Both are read by the caller.

    ``appendix`` says where the full lists go: ``none``, ``docx`` (in the document,
    after the signature) or ``xlsx`` (a workbook ``appendix_file`` beside the report).
    The report is an administrative document (Decree 30/2020): its labels are
    Vietnamese whatever the interface language (``--lang``)."""
    with language("vi"):
        context = _build_report(data, month, config, org, decision, appendix, appendix_file)
        points = history or []
        recorded = [p for p in points if p.commit is not None]
        context["trend_as_now"] = bool(points) and not recorded
        # Month-ends before the data's first commit have no recorded state: left out of
        # the trend (as `nq57 history` shows them as dashes), never drawn as zeros.
        context["trend"] = trend_rows(recorded or points)
        if changes is not None:
            refs = References(data)
            extended = []
            for change in changes:
                if change.kind != "deadline_changed" or change.entity != "task":
                    continue
                task = data.tasks.get(change.id)
                extended.append(
                    {
                        "id": change.id,
                        "title": task.title if task else change.id,
                        "short_title": shorten(task.title, TITLE_CHARS) if task else change.id,
                        "reference": refs.of(task) if task else change.id,
                        "source": refs.of(task) if task else change.id,
                        "lead": "; ".join(task.lead) if task else "",
                        "old": change_value_label(change.field, change.old),  # "—": set first
                        "new": change_value_label(change.field, change.new),
                        "date": fmt_date(change.date),
                    }
                )
            context["extended"] = extended
            context["extended_note"] = context["text"]["no_extended"]
        return context


def trend_rows(points: list[Point]) -> list[dict[str, Any]]:
    """Month-end counts by class for the trend chart: {'date', 'label', class: count}."""
    rows = []
    for point in points:
        label = f"{point.date:%m}\n{point.date:%Y}"
        row: dict[str, Any] = {"date": fmt_date(point.date), "label": label}
        row.update({k: point.counts.get(k, 0) for k in CLASSES})
        rows.append(row)
    return rows


def shorten(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, cut between words with '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-–")
    return cut + "…"


def change_text(now: int, before: int) -> str:
    """'+5', '−2' (a true minus sign), '0'."""
    diff = now - before
    return f"+{diff}" if diff > 0 else f"−{-diff}" if diff < 0 else "0"


def _build_report(
    data: DataSet,
    month: str,
    config: ReportConfig | None,
    org: str | None,
    decision: str | None,
    appendix_mode: str = "none",
    appendix_file: str = "",
) -> dict[str, Any]:
    config = config or ReportConfig()
    first, last = parse_month(month)
    prev_last = first - dt.timedelta(days=1)
    next_first = last + dt.timedelta(days=1)
    next_last = next_first + relativedelta(day=31)
    rows = _Rows(data)

    tasks = select_tasks(data, decision, org)  # classify() undoes completions after `last`
    within = (next_last - last).days  # "sắp đến hạn" = due by the end of next month
    states = classify_all(tasks, last, within, data.decisions)
    attach_progress(states, data, last)
    stale = set(stale_tasks(data, last))
    rows.stale = stale
    before = classify_all(tasks, prev_last, (last - prev_last).days, data.decisions)
    before_class = {s.task.id: s.klass for s in before}
    kpi_states = [assess(k, last) for k in select_kpis(data, decision, org)]
    classes = Counter(s.klass for s in states)
    classes_before = Counter(before_class.values())

    def in_month(day: dt.date | None) -> bool:
        return day is not None and first <= day <= last

    done_in_month = [s for s in states if s.is_done and in_month(s.task.completed)]
    done_in_month.sort(key=lambda s: (s.task.completed, natural_key(s.task.id)))
    overdue = [s for s in states if s.klass == "overdue"]
    overdue.sort(key=lambda s: (-(s.days_overdue or 0), natural_key(s.task.id)))
    newly_overdue = [s for s in overdue if before_class.get(s.task.id) != "overdue"]
    newly_overdue.sort(key=lambda s: (s.due or dt.date.min, natural_key(s.task.id)))
    due_last_day = [s for s in states if _open_on_due_day(s, last)]
    due_last_day.sort(key=lambda s: natural_key(s.task.id))
    upcoming = [(s, _next_due(s, next_first, next_last)) for s in states]
    upcoming = sorted(
        ((s, d) for s, d in upcoming if d is not None),
        key=lambda p: (p[1], natural_key(p[0].task.id)),
    )

    # Per-agency and per-plan tables (every task counted once, under its first lead).
    group_of = {s.task.id: lead_group(data, s.task) for s in states}
    by_agency: dict[str, Counter[str]] = {}
    by_plan: dict[str, Counter[str]] = {}
    for s in states:
        by_agency.setdefault(group_of[s.task.id], Counter())[s.klass] += 1
        by_plan.setdefault(s.task.decision, Counter())[s.klass] += 1
    agency_rows = _group_rows(by_agency, {})
    agency_rows.sort(key=lambda r: (-r["overdue"], -r["total"], r["name"]))
    for row in agency_rows:
        entry = data.agencies.agencies.get(row["key"])
        row["short"] = entry.short if entry and entry.short else row["name"]
        row["collective"] = is_collective(data, row["key"])
    issued = {d.id: d.issued for d in data.decisions.values()}
    plan_order = sorted(by_plan, key=lambda p: (issued.get(p, dt.date.max), natural_key(p)))
    plan_rows = _group_rows({p: by_plan[p] for p in plan_order}, {})
    for row in plan_rows:
        row["label"] = rows.plan_label(row["key"])
        row["name"] = rows.plan_short(row["key"])

    # Section II: what is overdue or due, grouped by lead agency, oldest first.
    attention: dict[str, list[tuple[TaskState, dt.date | None]]] = {}
    for s in overdue:
        attention.setdefault(group_of[s.task.id], []).append((s, None))
    for s in due_last_day:
        attention.setdefault(group_of[s.task.id], []).append((s, None))
    for s, due in upcoming:
        attention.setdefault(group_of[s.task.id], []).append((s, due))
    members: dict[str, list[TaskState]] = {}
    for s in states:
        members.setdefault(group_of[s.task.id], []).append(s)
    groups: list[dict[str, Any]] = []
    for name, items in attention.items():
        items.sort(key=lambda p: (p[1] or p[0].due or dt.date.max, natural_key(p[0].task.id)))
        everyone = members[name]
        n_overdue = sum(s.klass == "overdue" for s, _ in items)
        shown = items[: config.rows_per_agency]
        groups.append(
            {
                "name": name,
                "collective": is_collective(data, name),
                "total": len(everyone),
                "overdue": n_overdue,
                "due": len(items) - n_overdue,
                "stale": sum(s.task.id in stale for s in everyone),
                "progress": _mean(everyone),
                "rows": [rows.attention(s, due, last) for s, due in shown],
                "more": len(items) - len(shown),
            }
        )
    where = ""
    if appendix_mode == "xlsx" and appendix_file:
        where = t("filing.sentence.where_xlsx", file=appendix_file)
    elif appendix_mode == "docx":
        where = t("filing.sentence.where_docx")
    for group in groups:
        group["head"] = t(
            "filing.sentence.group_head",
            name=group["name"],
            overdue=group["overdue"],
            due=group["due"],
            progress=group["progress"] or "—",
            stale=group["stale"],
        )
        group["more_text"] = (
            t("filing.sentence.more", count=group["more"], where=where) if group["more"] else ""
        )
    # Ranked as the summary ranks agencies (overdue, then not reporting); the first
    # `agencies_listed` of each kind are listed, every other one is one row of a table.
    groups.sort(key=lambda g: (-g["overdue"], -g["stale"], -g["due"], g["name"]))
    agencies = [g for g in groups if not g["collective"]]
    collective = [g for g in groups if g["collective"]]
    for kind in (agencies, collective):
        for number, group in enumerate(kind[: config.agencies_listed]):
            group["number"] = number + 1

    # Summary: the agencies most behind (overdue, then not reporting), never a collective
    # lead; in an --org report the org's units (never the org itself, which is the scope).
    if org:
        ranked: dict[str, list[TaskState]] = {}
        for s in states:
            unit = unit_of(data, s.task, org)
            if unit is not None:
                ranked.setdefault(unit, []).append(s)
    else:
        ranked = {r["key"]: members[r["key"]] for r in agency_rows if not r["collective"]}
    behind: list[dict[str, Any]] = []
    for name, everyone in ranked.items():
        n_overdue = sum(s.klass == "overdue" for s in everyone)
        n_stale = sum(s.task.id in stale for s in everyone)
        if n_overdue or n_stale:
            behind.append(
                {
                    "name": name,
                    "total": len(everyone),
                    "overdue": n_overdue,
                    "stale": n_stale,
                    "progress": _mean(everyone),
                }
            )
    behind.sort(key=lambda r: (-r["overdue"], -r["stale"], r["name"]))

    # KPIs: those with a figure known at the month's end are listed.
    kpi_counts = Counter(kpi_class(k) for k in kpi_states)
    measured = [k for k in kpi_states if k.latest is not None]
    measured.sort(key=lambda k: natural_key(k.kpi.id))
    kpis_behind = [k for k in measured if k.off_track]

    # Difficulties and proposals: notes of updates in the month marked as such (`kind`).
    difficulties: list[dict[str, Any]] = []
    proposed: list[dict[str, Any]] = []
    for s in sorted(states, key=lambda s: natural_key(s.task.id)):
        for update in s.task.updates:
            note = (update.note or "").strip()
            if not (in_month(update.date) and note and update.kind in ("difficulty", "proposal")):
                continue
            item = rows.task(s)
            item["date"] = fmt_date(update.date)
            item["note"] = note
            item["sort"] = (update.date, natural_key(s.task.id))
            (difficulties if update.kind == "difficulty" else proposed).append(item)
    for found in (difficulties, proposed):
        found.sort(key=lambda e: e.pop("sort"))

    appendix = []
    for plan in plan_order:
        in_plan = [s for s in states if s.task.decision == plan]
        in_plan.sort(key=lambda s: (s.task.source_line or 10**9, natural_key(s.task.id)))
        appendix.append(
            {
                "decision": plan,
                "name": rows.plan_short(plan),
                "label": rows.plan_label(plan),
                "title": data.decisions[plan].title if plan in data.decisions else "",
                "rows": [rows.task(s) for s in in_plan],
            }
        )

    # Filings due: late ones and those due by the end of next month, for the plans in scope.
    plans_in_scope = sorted({s.task.decision for s in states} | {d for d in plan_order})
    decisions = [data.decisions[p] for p in plans_in_scope if p in data.decisions]
    filing_rows = []
    for f in filing_states(decisions, next_first):
        due_soon = f.next_due is not None and f.next_due <= next_last
        if not (f.last_late or due_soon):
            continue
        filing_rows.append(
            {
                "plan": f.decision.number,
                "frequency": frequency_label(f.obligation.frequency),
                "to": f.obligation.to or "",
                "next_due": fmt_date(f.next_due) if f.next_due else "—",  # never a blank cell
                "late": f.last_late,
                "last_due": fmt_date(f.last_due) if f.last_late else "",
            }
        )

    total = len(states)
    counts = {k: classes[k] for k in CLASSES}
    counts.update(
        total=total,
        done=classes["done_on_time"] + classes["done_late"],
        in_time=classes["due_soon"] + classes["on_track"],
        done_in_month=len(done_in_month),
        done_on_time_in_month=sum(s.klass == "done_on_time" for s in done_in_month),
        done_late_in_month=sum(s.klass == "done_late" for s in done_in_month),
        due_next_month=len(upcoming),
        due_last_day=len(due_last_day),
        overdue_before=classes_before["overdue"],
        newly_overdue=len(newly_overdue),
        stale=sum(s.task.id in stale for s in states),
        kpis=len(kpi_states),
        kpis_behind=len(kpis_behind),
        **{f"kpi_{k}": kpi_counts[k] for k in KPI_CLASSES},
    )
    class_rows = [
        {
            "class": k,
            "label": report_class_label(k),
            "count": classes[k],
            "share": fmt_share(classes[k], total),
            "before": classes_before[k],
            "change": change_text(classes[k], classes_before[k]),
        }
        for k in CLASS_ORDER
    ]
    proposals = [p.strip() for p in config.proposals if p.strip()]
    proposals += [
        t("filing.sentence.proposal", note=p["note"], reference=p["reference"], lead=p["lead"])
        for p in proposed
    ]
    next_month_label = f"{next_first.month:02d}/{next_first.year:04d}"
    header = _header(config)
    prefix = "filing.text."
    text = {
        key[len(prefix) :]: t(key, next_month=next_month_label)
        for key in catalogue(get_language())
        if key.startswith(prefix)
    }
    if org and not ranked:  # what "Đơn vị chậm nhất" says when the org has no unit leading
        text["no_behind"] = t("filing.sentence.no_units", org=data.agencies.current(org))
    sentences = {
        "overview": t(
            "filing.sentence.overview",
            as_of=fmt_date(last),
            total=total,
            overdue=classes["overdue"],
            change=change_text(classes["overdue"], classes_before["overdue"]),
            before=fmt_date(prev_last),
            due_soon=len(due_last_day) + len(upcoming),
            next_month=next_month_label,
            done=classes["done_on_time"] + classes["done_late"],
            stale=counts["stale"],
        ),
        "groups": t(
            "filing.sentence.groups",
            next_month=next_month_label,
            rows=config.rows_per_agency,
            where=where,
        ),
        "others": t(
            "filing.sentence.others",
            count=len(agencies) - len(agencies[: config.agencies_listed]),
            listed=config.agencies_listed,
            next_month=next_month_label,
            where=where,
        ),
        "others_collective": t(
            "filing.sentence.others_collective",
            count=len(collective) - len(collective[: config.agencies_listed]),
            listed=config.agencies_listed,
            next_month=next_month_label,
            where=where,
        ),
        "completed": t(
            "filing.sentence.completed",
            month=f"{first.month:02d}/{first.year:04d}",
            count=len(done_in_month),
            on_time=counts["done_on_time_in_month"],
            late=counts["done_late_in_month"],
        ),
        "newly_overdue": t(
            "filing.sentence.newly_overdue",
            count=len(newly_overdue),
            now=classes["overdue"],
            before=fmt_date(prev_last),
            then=classes_before["overdue"],
        ),
        "kpis": t(
            "filing.sentence.kpis",
            total=len(kpi_states),
            measured=len(measured),
            behind=len(kpis_behind),
        ),
        "appendix_xlsx": t(
            "filing.sentence.appendix_xlsx", as_of=fmt_date(last), file=appendix_file
        ),
        "closing": t(
            "filing.sentence.closing",
            month=f"{first.month:02d}/{first.year:04d}",
            body=header["issuing_body"] or BLANK,
        ),
        "appendix_intro": t(
            "filing.sentence.appendix_intro",
            number=header["number_code"],
            month=f"{first.month:02d}/{first.year:04d}",
            as_of=fmt_date(last),
        ),
    }

    return {
        "month": f"{first.year:04d}-{first.month:02d}",
        "month_label": f"{first.month:02d}/{first.year:04d}",
        "next_month_label": next_month_label,
        "period_start": fmt_date(first),
        "as_of": fmt_date(last),
        "previous_as_of": fmt_date(prev_last),
        "blank": BLANK,
        "header": header,
        "text": text,
        "sentences": sentences,
        "title": t("filing.header.title"),
        "subject": t(
            "filing.header.subject",
            resolution=t("filing.header.resolution"),
            month=f"{first.month:02d}/{first.year:04d}",
        ),
        "scope": _scope(data, org, decision),
        "counts": counts,
        "class_rows": class_rows,
        "group_columns": [{"key": k, "label": report_class_label(k)} for k in GROUP_COLUMNS],
        "group_labels": {k: report_class_label(k) for k in GROUP_COLUMNS},
        "most_behind": behind[:MOST_BEHIND],
        "kpis_behind": [rows.kpi(k, first) for k in kpis_behind],
        "filings": filing_rows,
        "rows_per_agency": config.rows_per_agency,
        "agencies_listed": config.agencies_listed,
        "groups": agencies[: config.agencies_listed],
        "other_groups": [_other_row(g) for g in agencies[config.agencies_listed :]],
        "collective_groups": collective[: config.agencies_listed],
        "other_collective_groups": [_other_row(g) for g in collective[config.agencies_listed :]],
        "completed_on_time": [rows.task(s) for s in done_in_month if s.klass == "done_on_time"],
        "completed_late": [rows.task(s) for s in done_in_month if s.klass == "done_late"],
        "completed": [rows.task(s) for s in done_in_month],
        "newly_overdue": [rows.task(s) for s in newly_overdue],
        # Section III lists at most `rows_per_list` of each; the rest is counted.
        "completed_listed": [rows.task(s) for s in done_in_month[: config.rows_per_list]],
        "completed_more": _more(len(done_in_month), config.rows_per_list, where),
        "newly_overdue_listed": [rows.task(s) for s in newly_overdue[: config.rows_per_list]],
        "newly_overdue_more": _more(len(newly_overdue), config.rows_per_list, where),
        "by_agency": agency_rows,
        "by_agency_total": _total_row(agency_rows),
        "by_plan": plan_rows,
        "by_plan_total": _total_row(plan_rows),
        "overdue": [rows.task(s) for s in overdue],
        "due_last_day": [rows.task(s) for s in due_last_day],
        "kpis": [rows.kpi(k, first) for k in measured],
        "kpi_rows": [
            {"class": k, "label": kpi_label(k), "count": kpi_counts[k]} for k in KPI_CLASSES
        ],
        "difficulties": difficulties,
        "next_month": [rows.task(s, due) for s, due in upcoming],
        "proposals": proposals,
        "appendix_mode": appendix_mode,
        "appendix_file": appendix_file,
        "appendix": appendix,  # printed when appendix_mode is "docx"
        "extended": [],  # deadlines changed in the month: from the data's history (git)
        "extended_note": text["no_history"],
        "charts": {"trend": None, "classes": None, "kpis": None},
    }


def _more(count: int, listed: int, where: str) -> str:
    """'… và N nhiệm vụ khác (danh mục đầy đủ tại …).' for a list cut at ``listed``."""
    return t("filing.sentence.more", count=count - listed, where=where) if count > listed else ""


def _other_row(group: dict[str, Any]) -> dict[str, Any]:
    """One row of "Các đơn vị khác": an agency of section II not listed in full."""
    return {k: group[k] for k in ("name", "overdue", "due", "progress", "stale", "total")}


def _mean(states: list[TaskState]) -> str:
    """Mean progress of the tasks (cancelled ones left out), as '35%'."""
    return percent(mean_progress([Progress(s.progress, "none") for s in states]))


def percent(value: int | None) -> str:
    return "" if value is None else f"{value}%"


HEADER_LINE = 28  # capital letters that fit one line of the 68 mm header column (13 pt)


def balance(text: str, width: int = HEADER_LINE) -> list[str]:
    """A header name in lines: as configured when it holds "\n"; one line when it fits;
    else two lines broken between words, as even as possible (Decree 30 centres them)."""
    if "\n" in text:
        return [line.strip() for line in text.split("\n") if line.strip()]
    words = text.split()
    if len(text) <= width or len(words) < 2:
        return [text]
    best = min(
        range(1, len(words)),
        key=lambda i: (max(len(" ".join(words[:i])), len(" ".join(words[i:]))), -i),
    )
    return [" ".join(words[:best]), " ".join(words[best:])]


def _header(config: ReportConfig) -> dict[str, Any]:
    number = config.number or NUMBER_BLANK
    code = (config.code or "").strip()
    if not code:
        code = "BC-" + NUMBER_BLANK
    elif not code.upper().startswith("BC-"):
        code = "BC-" + code  # "THTK" -> "BC-THTK" (Decree 30: Số: …/BC-THTK)
    recipients = [r.strip() for r in config.recipients if r.strip()]
    parent = _blank(config.parent_body)
    issuing = _blank(config.issuing_body)
    parent_lines = balance(parent.upper()) if parent else []
    issuing_lines = balance(issuing.upper()) if issuing else []
    return {
        "parent_body": " ".join(parent.split()),  # one line (Markdown)
        "parent_body_lines": parent_lines,
        "parent_body_block": "\n".join(parent_lines),
        "issuing_body": " ".join(issuing.split()),
        "issuing_body_lines": issuing_lines,
        "issuing_body_block": "\n".join(issuing_lines),
        "number_code": f"{number}/{code}",
        "number_line": t("filing.header.number_line", number=f"{number}/{code}"),
        "place_date": signing_line(config.place, config.date),
        "signer_title": _blank(config.signer.title),
        "signer_name": _blank(config.signer.name),
        "recipients": recipients or [BLANK],
    }


def _scope(data: DataSet, org: str | None, decision: str | None) -> dict[str, Any]:
    """What the report covers, as a phrase: 'các nhiệm vụ do X chủ trì thuộc ...'."""
    parts = [t("filing.scope.items")]
    org_name = None
    if org:
        org_name = data.agencies.current(org)
        parts.append(t("filing.scope.org", org=org_name))
    decision_text = None
    if decision:
        found = data.decisions.get(decision)
        decision_text = decision_label(found) if found else decision
        family = plan_family(data, decision)
        key = "filing.scope.plan_family" if len(family) > 1 else "filing.scope.plan"
        parts.append(t(key, plan=decision_text))
    if not org and not decision:
        parts.append(t("filing.scope.all"))
    return {
        "org": org_name,
        "decision": decision,
        "decision_label": decision_text,
        "text": " ".join(parts),
    }
