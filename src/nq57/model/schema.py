"""JSON Schema of the data format, generated from the pydantic models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from nq57.i18n import t
from nq57.model.entities import AgencyRegistry, Decision, Kpi, Task

# file name -> (model, catalogue key of the title editors show)
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "nq57-decision.schema.json": (Decision, "schema.title.decision"),
    "nq57-task.schema.json": (Task, "schema.title.task"),
    "nq57-kpi.schema.json": (Kpi, "schema.title.kpi"),
    "nq57-agencies.schema.json": (AgencyRegistry, "schema.title.agencies"),
}


def schema_for(model: type[BaseModel]) -> dict[str, Any]:
    schema: dict[str, Any] = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (model, title) in SCHEMAS.items():
        schema = schema_for(model)
        schema["title"] = t(title)
        path = folder / name
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
