"""`nq57 site`: a static HTML dashboard, built from one context.

:func:`build_context` is pure — data and as-of date in, a plain dict out (text,
numbers, lists; dates written the Vietnamese way). :func:`render_site` turns it
into files (relative path -> bytes) with the shipped Jinja templates
(``templates/site/*.html.j2``, autoescaped, in the sandboxed environment of
:mod:`nq57.render.templating`) and the shipped assets. Only :func:`write_site` touches
the disk. The same data and as-of date always give the same bytes: no clock, no
absolute paths, every list in a fixed order.

The counts are those of ``nq57 status`` (:func:`nq57.analysis.status.build_status`),
so the dashboard and the command never disagree. Links are relative, so the
folder works offline from disk and on GitHub/GitLab Pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import Any

from jinja2 import DictLoader, TemplateError
from markupsafe import Markup, escape

from nq57.analysis.filings import Filing
from nq57.analysis.history import Point
from nq57.analysis.kpis import KpiState
from nq57.analysis.labels import (
    class_label,
    frequency_label,
    kpi_label,
    progress_text,
    project_kind_label,
    recurrence_label,
    status_label,
    target_with_year,
)
from nq57.analysis.progress import Progress, mean_progress
from nq57.analysis.refs import References
from nq57.analysis.report import (
    KPI_CLASSES,
    PlanNames,
    fmt_date,
    fmt_number,
    fmt_share,
    kpi_class,
    latest_value_text,
    natural_key,
    target_with_unit,
)
from nq57.analysis.scope import is_collective, lead_group
from nq57.analysis.search import fold
from nq57.analysis.status import agency_members, build_status, member_counts
from nq57.analysis.tasks import CLASSES, TaskState
from nq57.analysis.views import build_views
from nq57.errors import Nq57Error
from nq57.i18n import get_language, t, template
from nq57.io.listing import entity_files
from nq57.model.dataset import DataSet
from nq57.model.entities import Task
from nq57.model.queries import SavedQuery
from nq57.render import sql
from nq57.render.kpi_chart import pace_chart
from nq57.render.templating import (
    TemplateProblem,
    describe_template_error,
    environment,
    templates_dir,
)
from nq57.render.trend_chart import trend_chart

SITE_TEMPLATES = "site"
TREND_MONTHS = 5  # month ends shown on the first page before the as-of date
PAGES = ("index", "agencies", "plans", "kpis")
ASSETS = ("assets/style.css", "assets/app.js")
MANIFEST = ".nq57-site"  # the files the last build wrote: only those are ever replaced
MAX_STEM = 120


# --- file names -------------------------------------------------------------------


def safe_stem(entity_id: str) -> str:
    """A file name for an id: ``D/K`` -> ``D~K``. Ids are ``[A-Za-z0-9._-]`` on both
    sides of the ``/``, so ``~`` cannot occur in them and the mapping is one-to-one."""
    stem = entity_id.replace("/", "~")
    if len(stem) > MAX_STEM:
        stem = f"{stem[:MAX_STEM]}-{_digest(entity_id)}"
    return stem


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


_SLUG = re.compile(r"[^a-z0-9]+")


def agency_stems(names: list[str]) -> dict[str, str]:
    """Agency name -> file stem: ``Bộ Tài chính`` -> ``bo-tai-chinh`` (unique, as for ids)."""
    return _unique(names, lambda n: _SLUG.sub("-", fold(n)).strip("-")[:MAX_STEM] or "x")


def page_stems(ids: list[str]) -> dict[str, str]:
    """Id -> file stem (:func:`safe_stem`), unique as :func:`_unique` makes them."""
    return _unique(ids, safe_stem)


def _unique(names: list[str], stem_of) -> dict[str, str]:
    """Name -> stem, unique also on case-insensitive file systems (Windows, macOS): names
    whose stems differ only by case get a short hash of the name appended."""
    stems = {n: stem_of(n) for n in names}
    clashes = Counter(s.lower() for s in stems.values())
    return {n: s if clashes[s.lower()] == 1 else f"{s}-{_digest(n)}" for n, s in stems.items()}


# --- the context ------------------------------------------------------------------


class _Builder(PlanNames):
    def __init__(
        self,
        data: DataSet,
        as_of: dt.date,
        within: int,
        agency_history: dict[str, list[Point]] | None = None,
        history: list[Point] | None = None,
    ):
        self.data = data
        self.agency_history = agency_history or {}
        self.history = history or []
        self.report = build_status(data, as_of, within)
        self.states = {s.task.id: s for s in self.report.states}
        self.stems = page_stems(sorted(self.states))
        self.kpi_ids = set(data.kpis)
        self.refs = References(data)
        self.children = data.children()
        self.kpi_tasks: dict[str, list[str]] = {}
        for task_id in sorted(data.tasks, key=natural_key):
            for kpi_id in data.tasks[task_id].kpis:
                self.kpi_tasks.setdefault(kpi_id, []).append(task_id)

    # links (relative to the site root) -----------------------------------------

    def task_href(self, task_id: str) -> str | None:
        stem = self.stems.get(task_id)
        return f"tasks/{stem}.html" if stem else None

    @staticmethod
    def plan_href(decision_id: str) -> str:
        return f"plans.html#plan-{safe_stem(decision_id)}"

    @staticmethod
    def kpi_anchor(kpi_id: str) -> str:
        return f"kpi-{safe_stem(kpi_id)}"

    # rows -------------------------------------------------------------------------

    def task_row(self, s: TaskState) -> dict[str, Any]:
        task = s.task
        due = s.due
        recurrence = recurrence_label(s.recurrence)
        return {
            "id": task.id,
            "href": self.task_href(task.id),
            "plan": self.plan_short(task.decision),
            "ref": task.ref,
            "key": ", ".join(self.refs.within(task)),  # where it is printed in its plan
            "title": task.title,
            "lead": "; ".join(task.lead),
            "deadline": "" if task.deadline is None else str(task.deadline),
            "due": fmt_date(due),
            "recurrence": recurrence or "",
            "class": s.klass,
            "class_label": class_label(s.klass),
            "days_overdue": s.days_overdue,
            "days_left": s.days_left,
            "completed": fmt_date(task.completed),
        }

    def counts_row(self, counts: Counter) -> dict[str, Any]:
        return {"counts": {k: counts[k] for k in CLASSES}, "total": sum(counts.values())}

    def filing_row(self, f: Filing) -> dict[str, Any]:
        return {
            "plan": f.decision.number,
            "href": self.plan_href(f.decision.id),
            "frequency": frequency_label(f.obligation.frequency),
            "to": f.obligation.to or "",
            "next_due": fmt_date(f.next_due),
            "last_due": fmt_date(f.last_due),
            "late": f.last_late,
            "days_late": f.days_late,
        }

    def kpi_row(self, k: KpiState) -> dict[str, Any]:
        kpi, latest = k.kpi, k.latest
        value = latest_value_text(k)
        target = kpi.target or ""
        percent = None if k.progress is None else round(100 * k.progress)
        klass = kpi_class(k)
        return {
            "id": kpi.id,
            "anchor": self.kpi_anchor(kpi.id),
            "plan": self.plan_short(kpi.decision),
            "plan_href": self.plan_href(kpi.decision),
            "ref": kpi.ref,
            "name": kpi.name,
            "owner": kpi.owner or "",
            "target": target_with_year(target_with_unit(target, kpi.unit), kpi.year),
            "unit": kpi.unit or "",
            "baseline": fmt_number(kpi.baseline.value) if kpi.baseline else "",
            "value": value,
            "date": fmt_date(latest.date) if latest else "",
            "class": klass,
            "label": kpi_label(klass),
            "progress": "" if percent is None else f"{percent}%",
            "bar": None if percent is None else max(0, min(100, percent)),
            "tasks": [{"id": i, "href": self.task_href(i)} for i in self.kpi_tasks.get(kpi.id, [])],
            "chart": pace_chart(k, self.report.as_of),
        }

    # pages ------------------------------------------------------------------------

    def overview(self) -> dict[str, Any]:
        counts = self.report.counts
        total = counts["total"]
        rows, x = [], 0.0
        for klass in CLASSES:
            width = 1000 * counts[klass] / total if total else 0
            rows.append(
                {
                    "class": klass,
                    "label": class_label(klass),
                    "count": counts[klass],
                    "share": fmt_share(counts[klass], total),
                    "x": round(x, 2),
                    "width": round(width, 2),
                }
            )
            x += width
        kpi_counts = Counter(kpi_class(k) for k in self.report.kpis)
        stems = agency_stems([group.name for group in self.report.by_agency])
        groups: dict[str, list[TaskState]] = {}
        for s in self.report.overdue:  # most days late first
            groups.setdefault(lead_group(self.data, s.task), []).append(s)
        overdue_groups = [
            {
                "name": name,
                "href": f"agencies/{stems[name]}.html" if name in stems else None,
                "collective": is_collective(self.data, name),
                "rows": [self.task_row(s) for s in members],
            }
            for name, members in sorted(groups.items(), key=lambda g: (-len(g[1]), g[0]))
        ]
        behind = [
            {
                "name": g.name,
                "href": f"agencies/{stems[g.name]}.html",
                "overdue": g.counts["overdue"],
                "stale": g.stale,
                "total": g.total,
                "progress": percent_text(g.progress),
            }
            for g in self.report.by_agency
            if (g.counts["overdue"] or g.stale) and not is_collective(self.data, g.name)
        ]
        behind.sort(key=lambda r: (-r["overdue"], -r["stale"], r["name"]))
        trend = self.trend()
        return {
            "total": total,
            "most_behind": behind[:5],
            "overdue_groups": overdue_groups,
            "kpis_behind": [self.kpi_row(k) for k in self.report.kpis_off_track],
            "trend": trend,
            "trend_chart": trend_chart(trend),
            "classes": rows,
            "overdue": [self.task_row(s) for s in self.report.overdue],
            "due_soon": [self.task_row(s) for s in self.report.upcoming],
            "filings": [self.filing_row(f) for f in self.report.filings],
            "kpi_total": len(self.report.kpis),
            "kpi_classes": [
                {"class": k, "label": kpi_label(k), "count": kpi_counts[k]} for k in KPI_CLASSES
            ],
        }

    def trend(self) -> list[dict[str, Any]]:
        """Counts at the last month ends: as recorded (the whole data's history; the
        agencies' rows do not add up to it), else today's data classified at each month end."""
        by_date: dict[dt.date, Counter[str]] = {}
        for p in self.history:
            by_date[p.date] = Counter({k: p.counts.get(k, 0) for k in CLASSES})
        recorded = bool(by_date)
        if not recorded:
            day = self.report.as_of.replace(day=1) - dt.timedelta(days=1)
            for _ in range(TREND_MONTHS):
                states = build_status(self.data, day, self.report.within).states
                by_date[day] = Counter(s.klass for s in states)
                day = day.replace(day=1) - dt.timedelta(days=1)
        now = Counter(s.klass for s in self.report.states)
        by_date[self.report.as_of] = now
        rows = []
        for day in sorted(by_date)[-(TREND_MONTHS + 1) :]:
            counts = by_date[day]
            rows.append(
                {
                    "date": fmt_date(day),
                    "overdue": counts["overdue"],
                    "open": counts["due_soon"] + counts["on_track"],
                    "done": counts["done_on_time"] + counts["done_late"],
                    "recorded": recorded,
                }
            )
        return rows

    def agencies(self) -> dict[str, Any]:
        names = [group.name for group in self.report.by_agency]
        stems = agency_stems(names)
        # An agency's page holds the tasks `report --org AGENCY` reports on (agencies_of):
        # its own, its merged predecessors' and its units'; a task led by several agencies
        # is on each of their pages.
        members = agency_members(self.data, self.report)
        stale = {s.task.id for s in self.report.stale}
        rows = []
        for group in self.report.by_agency:
            group = member_counts(group.name, members.get(group.name, []), stale)
            entry = self.data.agencies.agencies.get(group.name)
            short = entry.short if entry and entry.short else ""
            tasks = sorted(members.get(group.name, []), key=_attention_order)
            rows.append(
                {
                    "name": group.name,
                    "short": short,
                    "file": f"{stems[group.name]}.html",
                    "href": f"agencies/{stems[group.name]}.html",
                    "tasks": [self.task_row(s) for s in tasks],
                    **self.counts_row(group.counts),
                    "stale": group.stale,
                    "progress": percent_text(group.progress),
                    "history": [
                        {
                            "date": fmt_date(p.date),
                            "commit": (p.commit or "")[:8],
                            "counts": {k: p.counts.get(k, 0) for k in CLASSES},
                            "total": p.counts.get("total", 0),
                            "stale": p.counts.get("stale", 0),
                        }
                        for p in self.agency_history.get(group.name, [])
                    ],
                }
            )
        total = Counter(s.klass for s in self.report.states)
        everyone = mean_progress([Progress(s.progress, "none") for s in self.report.states])
        return {
            "rows": rows,
            "total": {
                **self.counts_row(total),
                "stale": len(self.report.stale),
                "progress": percent_text(everyone),
            },
        }

    def plans(self) -> list[dict[str, Any]]:
        data = self.data
        ids = set(data.decisions) | {t.decision for t in data.tasks.values()}
        order = sorted(
            ids,
            key=lambda p: (
                data.decisions[p].issued if p in data.decisions else dt.date.max,
                natural_key(p),
            ),
        )
        by_plan: dict[str, list[TaskState]] = {}
        for s in self.report.states:
            by_plan.setdefault(s.task.decision, []).append(s)
        kpis_of: dict[str, list[str]] = {}
        for kpi_id in sorted(data.kpis, key=natural_key):
            kpis_of.setdefault(data.kpis[kpi_id].decision, []).append(kpi_id)
        plans = []
        for plan in order:
            decision = data.decisions.get(plan)
            kpis = kpis_of.get(plan, [])
            members = by_plan.get(plan, [])
            members.sort(key=lambda s: (s.task.source_line or 10**9, natural_key(s.task.id)))
            implemented_by = sorted(
                (d.id for d in data.decisions.values() if plan in d.implements), key=natural_key
            )
            plans.append(
                {
                    "id": plan,
                    "anchor": f"plan-{safe_stem(plan)}",
                    "number": self.plan_short(plan),
                    "label": self.plan_label(plan),
                    "title": decision.title if decision else "",
                    "issuer": decision.issuer if decision else "",
                    "issued": fmt_date(decision.issued) if decision else "",
                    "implements": self._plan_links(decision.implements if decision else []),
                    "amends": self._plan_links(decision.amends if decision else []),
                    "supersedes": self._plan_links(decision.supersedes if decision else []),
                    "implemented_by": self._plan_links(implemented_by),
                    "kpis": len(kpis),
                    "kpis_href": f"kpis.html#{self.kpi_anchor(kpis[0])}" if kpis else None,
                    "tasks": [self.task_row(s) for s in members],
                    **self.counts_row(Counter(s.klass for s in members)),
                }
            )
        return plans

    def _plan_links(self, ids: list[str]) -> list[dict[str, Any]]:
        return [self._plan_link(p) for p in ids]

    def _plan_link(self, decision_id: str) -> dict[str, Any]:
        known = decision_id in self.data.decisions
        href = self.plan_href(decision_id) if known else None
        return {"id": decision_id, "label": self.plan_short(decision_id), "href": href}

    def task_page(self, s: TaskState) -> dict[str, Any]:
        task = s.task
        row = {**self.task_row(s), "reference": self.refs.of(task)}
        source = self.data.file_of("task", task.id)
        return {
            **row,
            "file": f"{self.stems[task.id]}.html",
            "plan_label": self.plan_label(task.decision),
            "plan_href": self.plan_href(task.decision),
            "fields": _task_fields(task, s, row, source.rel if source else ""),
            "updates": [
                {
                    "date": fmt_date(u.date),
                    "status": status_label(u.status) if u.status else "",
                    "progress": "" if u.progress is None else f"{u.progress}%",
                    "note": u.note or "",
                }
                for u in sorted(task.updates, key=lambda u: u.date)
            ],
            "chain": self._chain(task),
            "children": [
                self.task_row(self.states[c])
                for c in sorted(self.children.get(task.id, []), key=natural_key)
                if c in self.states
            ],
            "kpis": [
                {
                    "id": k,
                    "name": self.data.kpis[k].name if k in self.kpi_ids else "",
                    "href": f"kpis.html#{self.kpi_anchor(k)}" if k in self.kpi_ids else None,
                }
                for k in task.kpis
            ],
        }

    def _chain(self, task: Task) -> list[dict[str, Any]]:
        """From the top plan down to the task's parent: plans, then parent tasks."""
        tasks: list[dict[str, Any]] = []
        seen = {task.id}
        node, top = task.parent, task
        while node and node not in seen:
            seen.add(node)
            parent = self.data.tasks.get(node)
            title = parent.title if parent else t("site.task.not_in_data")
            tasks.append(
                {"kind": "task", "label": node, "title": title, "href": self.task_href(node)}
            )
            if parent is None:
                break
            top, node = parent, parent.parent
        plans: list[dict[str, Any]] = []
        plan: str | None = top.decision
        while plan and plan not in (p["id"] for p in plans):
            link = self._plan_link(plan)
            plans.append({**link, "kind": "plan", "title": self.plan_label(plan)})
            decision = self.data.decisions.get(plan)
            plan = decision.implements[0] if decision and decision.implements else None
        chain = plans[::-1] + tasks[::-1]
        for depth, entry in enumerate(chain):
            entry["depth"] = depth
        return chain


def _attention_order(s: TaskState) -> tuple:
    """Overdue first (most days late first), then by due date, then by id."""
    return (
        CLASSES.index(s.klass),
        -(s.days_overdue or 0),
        s.due or dt.date.max,
        natural_key(s.task.id),
    )


def percent_text(value: int | None) -> str:
    return "" if value is None else f"{value}%"


def _task_fields(
    task: Task, s: TaskState, row: dict[str, Any], source: str
) -> list[dict[str, str]]:
    due = row["due"] + (f" ({row['recurrence']})" if row["recurrence"] and row["due"] else "")
    missed = ""
    if s.missed_period:
        missed = f"{fmt_date(s.missed_period[0])} – {fmt_date(s.missed_period[1])}"
    klass = row["class_label"]
    if s.klass == "overdue" and s.days_overdue is not None:
        klass += " " + t("site.task.days_overdue", days=s.days_overdue)
    elif s.klass in ("due_soon", "on_track") and s.days_left is not None:
        klass += " " + t("site.task.days_left", days=s.days_left)
    section = task.section or ""
    if task.section_title:
        dot = "" if not section or section.endswith(".") else "."
        section = f"{section}{dot} {task.section_title}".strip()
    pairs = [
        ("filing.site.reference", row.get("reference", "")),
        ("site.field.id", task.id),
        ("site.field.ref", task.ref),
        ("site.field.section", section),
        ("site.field.appendix", task.appendix or ""),
        ("site.field.group", task.group or ""),
        ("site.field.lead", "; ".join(task.lead)),
        ("site.field.lead_note", task.lead_note or ""),
        ("site.field.transferred_from", task.transferred_from or ""),
        ("site.field.support", "; ".join(task.support)),
        ("site.field.focal", "; ".join(task.focal)),
        ("site.field.output", task.output or ""),
        ("site.field.approver", task.approver or ""),
        ("site.field.objective", task.objective or ""),
        ("site.field.approval", task.approval or ""),
        ("site.field.project_kind", project_kind_label(task.project_kind)),
        ("site.field.deadline", row["deadline"]),
        ("site.field.due_set", fmt_date(task.due)),
        ("site.field.due", due),
        ("site.field.missed_period", missed),
        ("site.field.status", status_label(task.status)),
        ("site.field.class", klass),
        ("cycle.site.progress", progress_text(s.progress, s.progress_source)),
        ("site.field.completed", row["completed"]),
        ("site.field.note", task.note or ""),
    ]
    return [{"label": t(key), "value": value} for key, value in pairs if value]


def query_pages(
    data: DataSet, as_of: dt.date, within: int, queries: list[SavedQuery]
) -> list[dict[str, Any]]:
    """Each saved query run with its default parameters, as a page of the site."""
    if not queries:
        return []

    con = sql.open_views(build_views(data, as_of, within, entity_files(data.roots)))
    stems = _unique([q.name for q in queries], lambda n: _SLUG.sub("-", n.lower()) or "x")
    pages = []
    for q in queries:
        page: dict[str, Any] = {
            "name": q.name,
            "file": f"{stems[q.name]}.html",
            "title": q.title,
            "description": q.description,
            "params": [vars(p) for p in q.params],
            "sql": q.sql,
            "columns": [],
            "rows": [],
            "problem": "",
        }
        needed = [p.name for p in q.params if p.default is None]
        try:
            wanted = sql.check(con, q.sql)
            needed = sorted(set(needed) & wanted)
            if needed:
                names = ", ".join(f"${n}" for n in needed)
                page["problem"] = t("sql.site.needs_params", names=names, name=q.name)
            else:
                defaults = {p.name: p.default for p in q.params if p.name in wanted}
                result = sql.run(con, q.sql, defaults)
                page["columns"] = result.columns
                page["rows"] = [[sql.site_cell(v) for v in row] for row in result.rows]
        except sql.QueryError as exc:
            page["problem"] = t("sql.site.failed", message=exc)
        pages.append(page)
    return pages


def build_context(
    data: DataSet,
    as_of: dt.date,
    within: int = 30,
    queries: list[SavedQuery] | None = None,
    *,
    agency_history: dict[str, list[Point]] | None = None,
    history: list[Point] | None = None,
) -> dict[str, Any]:
    """Everything the dashboard shows, as of ``as_of`` (pure; saved queries run in memory);
    ``history`` and ``agency_history`` (:func:`nq57.analysis.history.site_history`) add
    the counts at past month-ends, the whole data's and each agency's."""
    b = _Builder(data, as_of, within, agency_history, history)
    kpis = sorted(b.report.kpis, key=lambda k: natural_key(k.kpi.id))
    return {
        "lang": get_language(),
        "title": t("site.title"),
        "as_of": fmt_date(as_of),
        "as_of_iso": as_of.isoformat(),
        "within": within,
        "invalid_files": len(data.invalid_files),
        "class_order": [{"class": k, "label": class_label(k)} for k in CLASSES],
        "overview": b.overview(),
        "agencies": b.agencies(),
        "plans": b.plans(),
        "kpis": [b.kpi_row(k) for k in kpis],
        "tasks": [b.task_page(b.states[i]) for i in sorted(b.states, key=natural_key)],
        "queries": query_pages(data, as_of, within, queries or []),
    }


# --- rendering --------------------------------------------------------------------


def _site_dir() -> Path:
    return templates_dir() / SITE_TEMPLATES


def _environment():
    folder = _site_dir()
    if not folder.is_dir():
        raise TemplateProblem(t("site.error.no_templates", folder=folder))
    sources = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.html.j2"))}
    env = environment(markdown=True)  # sandboxed, autoescaped, strict undefined
    env.loader = DictLoader(sources)  # only the shipped site templates can be included
    env.globals["t"] = t  # page texts from the catalogue (site.* keys), escaped as any text
    env.globals["t_html"] = t_html
    return env


def t_html(key: str, /, **fields: Any) -> Markup:
    """A catalogue text with HTML in some fields: the text and plain fields are
    escaped, fields marked safe (``"<code>x</code>"|safe`` in a template) are not."""
    return Markup(escape(template(key))).format(**fields)


def render_site(context: dict[str, Any]) -> dict[str, bytes]:
    """The files of the site: relative path ('/'-separated) -> content."""
    env = _environment()
    files: dict[str, bytes] = {}

    def render(template: str, target: str, root: str, **extra: Any) -> None:
        try:
            text = env.get_template(template).render(context, root=root, **extra)
        except TemplateError as exc:
            raise TemplateProblem(describe_template_error(_site_dir() / template, exc)) from None
        files[target] = text.encode("utf-8")

    for page in PAGES:
        render(f"{page}.html.j2", f"{page}.html", "", page=page)
    for task in context["tasks"]:
        render("task.html.j2", f"tasks/{task['file']}", "../", page="task", task=task)
    for agency in context["agencies"]["rows"]:
        target = f"agencies/{agency['file']}"
        render("agency.html.j2", target, "../", page="agencies", agency=agency)
    for query in context.get("queries", []):
        target = f"queries/{query['file']}"
        render("query.html.j2", target, "../", page="query", query=query)
    for asset in ASSETS:
        files[asset] = (_site_dir() / asset).read_bytes()
    return dict(sorted(files.items()))


def build_site(
    data: DataSet,
    as_of: dt.date,
    within: int = 30,
    queries: list[SavedQuery] | None = None,
    *,
    agency_history: dict[str, list[Point]] | None = None,
    history: list[Point] | None = None,
) -> dict[str, bytes]:
    context = build_context(
        data, as_of, within, queries, agency_history=agency_history, history=history
    )
    return render_site(context)


# --- writing ----------------------------------------------------------------------


def check_output(output: Path, force: bool) -> None:
    """Refuse a file, or a non-empty folder without ``force``."""
    if output.exists() and not output.is_dir():
        raise Nq57Error(t("site.error.not_folder", path=output))
    if output.is_dir() and any(output.iterdir()) and not force:
        raise Nq57Error(t("site.error.not_empty", path=output))


def _ours(rel: str) -> bool:
    """A path a build of the site can have written (a manifest is not trusted further)."""
    page = rel in {f"{p}.html" for p in PAGES} or rel in ASSETS
    return page or re.fullmatch(r"(tasks|agencies|queries)/[A-Za-z0-9._~-]+\.html", rel) is not None


def write_site(files: dict[str, bytes], output: Path, force: bool = False) -> int:
    """Write the files under ``output``; with ``force``, files of an earlier build
    (listed in its manifest) that this build does not produce are removed. Nothing
    else in the folder is touched. Returns the number of files written."""
    check_output(output, force)
    manifest = output / MANIFEST
    stale: list[str] = []
    if manifest.is_file():
        previous = manifest.read_text(encoding="utf-8").splitlines()
        stale = [p for p in previous if p not in files and _ours(p)]
    for rel, content in files.items():
        target = output / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    for rel in stale:
        path = output / rel
        if path.is_file():
            path.unlink()
    manifest.write_text("".join(f"{p}\n" for p in files), encoding="utf-8")
    return len(files)
