"""The data format as pydantic models: decisions, tasks, KPIs and agencies.

Field-level rules live here (and so in the generated JSON Schema); rules that
span fields or files live in :mod:`nq57.check.rules`. Text fields are strict: a
number where text is expected is an error, never silently converted.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from nq57.i18n import catalogue

ID_PART = r"[A-Za-z0-9][A-Za-z0-9._-]*"
DECISION_ID = re.compile(rf"^{ID_PART}$")
ENTITY_ID = re.compile(rf"^{ID_PART}/{ID_PART}$")

DecisionType = Literal[
    "nghi_quyet", "quyet_dinh", "chi_thi", "ke_hoach", "nghi_dinh", "luat", "cong_van", "other"
]
TaskStatus = Literal["not_started", "in_progress", "done", "cancelled"]
TASK_STATUSES: tuple[str, ...] = get_args(TaskStatus)
UpdateKind = Literal["difficulty", "proposal", "result"]
UPDATE_KINDS: tuple[str, ...] = get_args(UpdateKind)


def _error(kind: str, key: str, **fields: Any) -> PydanticCustomError:
    """A validation error whose text is the catalogue's ``key`` (rendered by nq57.check.pipeline
    in the user's language; pydantic's own message is the English text)."""
    return PydanticCustomError(kind, catalogue("en")[key], {"key": key, **fields})


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _to_date(value: Any) -> dt.date:
    """Accept a YAML date or an ISO ``YYYY-MM-DD`` string; nothing else."""
    if isinstance(value, dt.datetime):
        raise _error("bad_date", "diag.date_with_time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not _ISO_DATE.fullmatch(value):
            raise _error("bad_date", "diag.date_format", value=value)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise _error("bad_date", "diag.date_not_real", value=value) from None
    raise PydanticCustomError(
        "date_type", "expected a date (YYYY-MM-DD), got {kind}", {"kind": type(value).__name__}
    )


def _whole_number(value: Any) -> Any:
    """2030.0 is the whole number 2030 (as JSON Schema and editors read it)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


WholeNumber = Annotated[StrictInt, BeforeValidator(_whole_number)]


def _whole_schema(ge: int | None = None, le: int | None = None) -> WithJsonSchema:
    """The JSON Schema of a bounded whole number, spelled out because pydantic cannot
    translate bounds that follow a before-validator."""
    schema: dict[str, Any] = {"type": "integer"}
    if ge is not None:
        schema["minimum"] = ge
    if le is not None:
        schema["maximum"] = le
    return WithJsonSchema(schema)


Year = Annotated[
    StrictInt, BeforeValidator(_whole_number), Field(ge=1900, le=2200), _whole_schema(1900, 2200)
]
DayOfMonth = Annotated[
    StrictInt, BeforeValidator(_whole_number), Field(ge=1, le=31), _whole_schema(1, 31)
]
MonthOfQuarter = Annotated[
    StrictInt, BeforeValidator(_whole_number), Field(ge=1, le=3), _whole_schema(1, 3)
]
Percent = Annotated[
    StrictInt, BeforeValidator(_whole_number), Field(ge=0, le=100), _whole_schema(0, 100)
]
LineNumber = Annotated[StrictInt, BeforeValidator(_whole_number), Field(ge=1), _whole_schema(1)]


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Date = Annotated[
    dt.date, BeforeValidator(_to_date), WithJsonSchema({"type": "string", "format": "date"})
]
Text = Annotated[StrictStr, Field(min_length=1)]
NameList = Annotated[
    list[Text],
    BeforeValidator(_one_or_many),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "array", "items": {"type": "string", "minLength": 1}},
            ]
        }
    ),
]
EntityId = Annotated[StrictStr, Field(pattern=ENTITY_ID.pattern)]
DecisionId = Annotated[StrictStr, Field(pattern=DECISION_ID.pattern)]
Number = StrictInt | StrictFloat


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, defer_build=True)


# --- decisions --------------------------------------------


class Reporting(Strict):
    """A reporting obligation stated in a decision (e.g. monthly before the 5th)."""

    # The same schedule rule as _schedule_is_complete, for editors using the JSON Schema.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "allOf": [
                {
                    "if": {
                        "properties": {"frequency": {"enum": ["monthly", "quarterly"]}},
                        "required": ["frequency"],
                    },
                    "then": {
                        "required": ["due_day"],
                        "properties": {"due_day": {"type": "integer"}},
                    },
                },
                {
                    "if": {
                        "properties": {"frequency": {"enum": ["semiannual", "annual"]}},
                        "required": ["frequency"],
                    },
                    "then": {"required": ["dates"], "properties": {"dates": {"minItems": 1}}},
                },
            ]
        },
    )

    frequency: Literal["monthly", "quarterly", "semiannual", "annual", "on_request"]
    due_day: DayOfMonth | None = None
    for_period: Literal["previous", "current"] | None = Field(
        None, description="monthly: the report covers the previous month or the current one"
    )
    month_of_quarter: MonthOfQuarter | None = None
    dates: list[
        Annotated[StrictStr, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    ] = Field(default_factory=list)
    to: StrictStr | None = None
    via: StrictStr | None = None
    scope: StrictStr | None = None
    text: StrictStr | None = None
    filed: list[Date] = Field(
        default_factory=list,
        description="dates on which this report was sent (lets status flag a late filing)",
    )

    @model_validator(mode="after")
    def _schedule_is_complete(self) -> Reporting:
        if self.frequency in ("monthly", "quarterly") and self.due_day is None:
            raise _error("incomplete", "diag.reporting_needs_due_day", freq=self.frequency)
        if self.frequency in ("semiannual", "annual") and not self.dates:
            raise _error("incomplete", "diag.reporting_needs_dates", freq=self.frequency)
        return self


class Period(Strict):
    """The years a plan covers (giai đoạn, horizon): recurring tasks owe no period after
    the end of ``end`` (docs/data-format.md §4)."""

    start: Year | None = Field(None, description="first year covered")
    end: Year = Field(description="last year covered (the horizon)")

    @model_validator(mode="after")
    def _start_not_after_end(self) -> Period:
        if self.start is not None and self.start > self.end:
            raise _error("bad_period", "diag.period_order", start=self.start, end=self.end)
        return self


class Decision(Strict):
    id: DecisionId
    number: Text
    type: DecisionType
    issuer: Text
    issued: Date
    title: Text
    signer: StrictStr | None = None
    signer_title: StrictStr | None = None
    implements: list[DecisionId] = Field(default_factory=list)
    supersedes: list[DecisionId] = Field(default_factory=list)
    amends: list[DecisionId] = Field(default_factory=list)
    based_on: list[DecisionId] = Field(default_factory=list)
    reporting: list[Reporting] = Field(default_factory=list)
    effective: StrictStr | Date | None = None
    period: Period | None = Field(
        None, description="years the plan covers; recurring tasks stop after its end"
    )
    source: StrictStr | None = None
    references: list[StrictStr] = Field(default_factory=list)
    notes: StrictStr | None = None


# --- tasks ------------------------------------------------


class Update(Strict):
    date: Date
    status: TaskStatus | None = None
    progress: Percent | None = None
    note: StrictStr | None = None
    kind: UpdateKind | None = Field(
        None,
        description="what the update reports: a difficulty (khó khăn, vướng mắc), "
        "a proposal (đề xuất, kiến nghị) or a result (kết quả)",
    )


class Task(Strict):
    id: EntityId
    decision: DecisionId
    ref: StrictStr
    title: Text
    section: StrictStr | None = None
    lead: NameList = Field(default_factory=list)
    support: NameList = Field(default_factory=list)
    output: StrictStr | None = None
    approver: StrictStr | None = None
    deadline: StrictStr | WholeNumber | None = None
    due: Date | None = None
    parent: EntityId | None = None
    weight: Annotated[Number, Field(ge=0)] | None = Field(
        None, description="weight of this task in its parent's rolled-up progress (default 1)"
    )
    kpis: list[EntityId] = Field(default_factory=list)
    status: TaskStatus = "not_started"
    completed: Date | None = None
    updates: list[Update] = Field(default_factory=list)
    # Optional, documented in docs/data-format.md: kept so no printed column is lost.
    ref_derived: StrictBool | None = Field(
        None, description="ref was not printed: made from the parent's number and the position"
    )
    section_title: StrictStr | None = None
    appendix: StrictStr | None = None
    title_raw_html: StrictStr | None = None
    lead_note: StrictStr | None = None
    transferred_from: StrictStr | None = None
    focal: NameList = Field(default_factory=list)
    focal_note: StrictStr | None = None
    objective: StrictStr | None = None
    approval: StrictStr | None = None
    project_kind: Literal["new", "continuing"] | None = None
    group: StrictStr | None = None
    note: StrictStr | None = None
    source_line: LineNumber | None = None
    body_ref: list[StrictStr] = Field(default_factory=list)


# --- KPIs -------------------------------------------------


class Baseline(Strict):
    value: Number
    date: Date | None = None
    source: StrictStr | None = None


class Measurement(Strict):
    date: Date
    value: Number
    source: StrictStr | None = None
    label: StrictStr | None = Field(
        None, description="which part of a multi-part target this measures, e.g. 'Thế giới'"
    )
    note: StrictStr | None = None


class InterimTarget(Strict):
    """A milestone on the way to the final target: the value due by the end of ``year``."""

    year: Year
    target: StrictStr


class Kpi(Strict):
    id: EntityId
    decision: DecisionId
    ref: StrictStr
    name: Text
    unit: StrictStr | None = None
    target: StrictStr | None = None
    year: Year
    owner: StrictStr | None = None
    parent: EntityId | None = None
    baseline: Baseline | None = None
    targets: list[InterimTarget] = Field(
        default_factory=list,
        description="interim targets by year; they shape the trajectory that pace is judged on",
    )
    measurements: list[Measurement] = Field(default_factory=list)
    section: StrictStr | None = None
    section_title: StrictStr | None = None
    appendix: StrictStr | None = None
    owner_note: StrictStr | None = None
    support: NameList = Field(default_factory=list)
    note: StrictStr | None = None
    source_line: LineNumber | None = None


# --- agencies ---------------------------------------------


class Agency(Strict):
    name: Text
    short: StrictStr | None = None
    aliases: list[Text] = Field(default_factory=list)
    kind: StrictStr | None = None
    parent: StrictStr | None = None
    successor: StrictStr | None = None
    note: StrictStr | None = None


class AgencyRegistry(Strict):
    agencies: list[Agency] = Field(default_factory=list)


# The order fields are written in (importer, edit commands): the contract fields first.
TASK_FIELD_ORDER = (
    "id", "decision", "ref", "section", "title", "lead", "support", "output", "approver",
    "deadline", "due", "parent", "weight", "kpis", "status", "completed",
)  # fmt: skip
KPI_FIELD_ORDER = (
    "id", "decision", "ref", "section", "name", "unit", "target", "year", "owner",
    "owner_note", "support", "parent", "baseline", "measurements",
)  # fmt: skip

MODELS: dict[str, type[BaseModel]] = {
    "decision": Decision,
    "task": Task,
    "kpi": Kpi,
    "agencies": AgencyRegistry,
}
