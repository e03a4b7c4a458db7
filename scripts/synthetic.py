"""Synthetic nq57 data at national scale, for benchmarks.

    .venv/bin/python scripts/synthetic.py OUT --tasks 30000 --decisions 100 --kpis 1000 --seed 57

Writes a data folder in the real format (docs/data-format.md) that ``nq57 validate``
accepts with 0 errors (warnings are expected, as in the real data: W201 for relative
deadlines, W204 for rows without an output, W203 for rows without a deadline):

- ``decisions/``: a root plan (57-NQ-TW-2024) and plans that implement it and each
  other (a DAG: a plan only implements earlier ones), with reporting obligations;
- ``tasks/<DECISION>/``: keys in the styles of the five imported documents (``16``,
  ``89-117``, ``II-10a``, ``A-1``, ``pl01-I-u1``, ``pl02-1.1-2``, ``I-1``), section
  headings with sub-items (``parent`` in the same plan) and cross-plan ``parent`` links
  to plans it implements (no cycles), 0-4 ``updates``, some ``status: done`` with
  ``completed``;
- ``kpis/<DECISION>/``: targets, units and years drawn from the real KPIs, sub-KPIs,
  baselines and 0-6 measurements;
- ``agencies.yaml``: a copy of the real registry; every agency name used comes from it.

Text comes from the real data folder (``--source-data``, default: this repository's
``data/``): titles are built by an order-2 word chain over the real task titles (NFC
Vietnamese, 60-600 characters), deadlines, outputs, units and targets are drawn from
the real values with their real frequencies. The output is a function of the seed,
the counts and the source data only (no hash-order or clock dependence).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import random
import re
import shutil
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from nq57.edit.fmt import canonical_scalar
from nq57.model.order import NESTED_ORDER, TOP_ORDER

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO / "data"
AS_OF = dt.date(2025, 7, 15)  # updates are recorded up to the benchmark's status date
MANIFEST = ".synthetic.json"  # dot-file: skipped by the nq57 loader and the floor loop

# The house order of `nq57 fmt` (nq57.model.order), so that the generated files are
# canonical, as a data repository kept by the pre-commit hook is. `dump` writes the keys
# a mapping has, in this order.
TASK_ORDER = list(TOP_ORDER["task"])
KPI_ORDER = list(TOP_ORDER["kpi"])
DECISION_ORDER = list(TOP_ORDER["decision"])
ITEM_ORDER = {  # mappings inside lists, by the list's key
    "measurements": list(NESTED_ORDER[("kpi", "measurements")]),
    "reporting": list(NESTED_ORDER[("decision", "reporting")]),
}


# --- YAML output in the house style -------------------------------------------------

_BAD_START = set("-?:,[]{}#&*!|>'\"%@`= \t")
_RESERVED = {"~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", "="}
_RESOLVER = yaml.resolver.Resolver()  # YAML 1.1 implicit types (PyYAML, the floor loop)
_YAML12 = re.compile(  # YAML 1.2 core schema numbers and timestamps (ruamel, nq57)
    r"""^(?:[-+]?[0-9_]+|0o[0-7]+|0x[0-9a-fA-F]+
    |[-+]?(?:\.[0-9_]+|[0-9_]+(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
    |[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$""",
    re.VERBOSE,
)


def _plain_ok(text: str) -> bool:
    if not text or text[0] in _BAD_START or text[-1] in " :" or text.lower() in _RESERVED:
        return False
    if ": " in text or " #" in text or any(c in text for c in "\n\r\t"):
        return False
    if _YAML12.match(text):
        return False
    tag = _RESOLVER.resolve(yaml.nodes.ScalarNode, text, (True, False))
    return tag == "tag:yaml.org,2002:str"


def scalar(value: Any) -> str:
    """One scalar as `nq57 fmt` writes it (YAML 1.2: ``N`` is text), else plain when YAML
    1.1 and 1.2 both read it back as the same text."""
    if isinstance(value, dt.date):
        value = value.isoformat()
    canonical = canonical_scalar(value)
    if canonical is not None:
        return canonical
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if _plain_ok(text) else "'" + text.replace("'", "''") + "'"


def dump(fields: dict[str, Any], order: list[str]) -> str:
    """A mapping of scalars, flat mappings, lists of scalars and lists of flat mappings
    (whose values may be lists of scalars)."""
    lines: list[str] = []
    for key in order:
        value = fields.get(key)
        if value is None or value == []:
            continue
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines.extend(f"  {k}: {scalar(v)}" for k, v in value.items() if v is not None)
            continue
        if not isinstance(value, list):
            lines.append(f"{key}: {scalar(value)}")
            continue
        lines.append(f"{key}:")
        item_order = ITEM_ORDER.get(key)
        for item in value:
            if not isinstance(item, dict):
                lines.append(f"  - {scalar(item)}")
                continue
            if item_order is not None:
                item = {k: item[k] for k in sorted(item, key=item_order.index)}
            first = True
            for k, v in item.items():
                if v is None or v == []:
                    continue
                lead = "  - " if first else "    "
                first = False
                if isinstance(v, list):
                    lines.append(f"{lead}{k}:")
                    lines.extend(f"      - {scalar(x)}" for x in v)
                else:
                    lines.append(f"{lead}{k}: {scalar(v)}")
    missing = set(fields) - set(order)
    if missing:
        raise ValueError(f"fields without a place in the house order: {sorted(missing)}")
    return "\n".join(lines) + "\n"


# --- vocabulary from the real data --------------------------------------------------


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _load(path: Path) -> dict:
    with open(path, "rb") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


class Chain:
    """An order-2 word chain: realistic Vietnamese without copying whole rows."""

    END = ""

    def __init__(self, texts: list[str]):
        self.starts: list[tuple[str, str]] = []
        self.next: dict[tuple[str, str], list[str]] = {}
        for text in texts:
            words = _nfc(text).split()
            if len(words) < 3:
                continue
            self.starts.append((words[0], words[1]))
            for a, b, c in zip(words[:-1], words[1:], [*words[2:], self.END], strict=True):
                self.next.setdefault((a, b), []).append(c)
        if not self.starts:
            raise ValueError("no text to build a vocabulary from")

    def text(self, rng: random.Random, low: int, high: int) -> str:
        """Text of length within [low, high] (median near low + 1/6 of the span).

        Past the drawn length it stops at the next end of a real row or punctuation
        (within a dozen words), else at a word boundary."""
        target = low + int((high - low) * min(1.0, rng.lognormvariate(-2.0, 0.7)))
        state = rng.choice(self.starts)
        words = list(state)
        length = len(state[0]) + 1 + len(state[1])
        extra = 0
        while length < high:
            if length >= target:
                if words[-1][-1] in ".;,:" or extra > 12:
                    break
                extra += 1
            word = rng.choice(self.next.get(state) or [self.END])
            if word == self.END:
                if length >= target:
                    break
                if words[-1][-1] not in ".;,:":
                    words[-1] += ";"
                state = rng.choice(self.starts)
                new = list(state)
            else:
                new = [word]
                state = (state[1], word)
            for w in new:
                words.append(w)
                length += len(w) + 1
        while len(" ".join(words)) > high and len(words) > 2:
            words.pop()
        text = " ".join(words).rstrip(",;:-–(")
        while len(text) < low:  # very short chains: pad with another clause
            text += " và " + " ".join(rng.choice(self.starts))
        return unicodedata.normalize("NFC", text)


class Vocabulary:
    """Word chains, weighted value lists and agency names from a real data folder."""

    def __init__(self, source: Path):
        titles, section_titles, kpi_names, decision_titles = [], [], [], []
        self.deadlines: Counter[str] = Counter()
        self.outputs: Counter[str] = Counter()
        self.approvers: Counter[str] = Counter()
        self.targets: Counter[str] = Counter()
        self.units: Counter[str] = Counter()
        self.years: Counter[int] = Counter()
        for path in sorted((source / "tasks").glob("*/*.yaml")):
            raw = path.read_bytes()
            doc = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            titles.append(str(doc["title"]))
            if doc.get("section_title"):
                section_titles.append(str(doc["section_title"]))
            if doc.get("deadline") is not None:
                self.deadlines[_nfc(str(doc["deadline"]))] += 1
            if doc.get("output"):
                self.outputs[_nfc(str(doc["output"]))] += 1
            if doc.get("approver"):
                self.approvers[_nfc(str(doc["approver"]))] += 1
        for path in sorted((source / "kpis").glob("*/*.yaml")):
            raw = path.read_bytes()
            doc = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            kpi_names.append(str(doc["name"]))
            if doc.get("target"):
                self.targets[_nfc(str(doc["target"]))] += 1
            if doc.get("unit") is not None:
                self.units[_nfc(str(doc["unit"]))] += 1
            self.years[int(doc["year"])] += 1
        for path in sorted((source / "decisions").glob("*.yaml")):
            decision_titles.append(str(_load(path)["title"]))
        self.registry_path = source / "agencies.yaml"
        registry = self.registry_path.read_bytes()
        self.fingerprint = source_fingerprint(source)
        entries = yaml.load(registry, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        entries = entries.get("agencies") or []
        if not titles or not entries:
            raise SystemExit(f"{source}: need real tasks and an agencies.yaml to learn from")
        self.title_chain = Chain(titles)
        self.section_chain = Chain(section_titles or titles)
        self.kpi_chain = Chain(kpi_names or titles)
        self.decision_chain = Chain(decision_titles + titles[:50])
        # Canonical names (common), printed variants (aliases, short names; rarer).
        self.names = [e["name"] for e in entries]
        # A sub-unit's short name ("Vụ Pháp chế") resolves only within its own ministry's
        # plans; a random issuer would make it a W200, so only top-level variants are drawn.
        self.variants = [
            v
            for e in entries
            if not e.get("parent")
            for v in [e.get("short"), *(e.get("aliases") or [])]
            if v
        ]
        by_kind: dict[str, list[str]] = {}
        for e in entries:
            by_kind.setdefault(e.get("kind") or "other", []).append(e["name"])
        self.ministries = by_kind.get("ministry", self.names)
        self.issuers = [
            n for k in ("ministry", "gov-agency", "province") for n in by_kind.get(k, [])
        ] or self.names
        self.units_of_ministries = by_kind.get("unit", self.names)
        self.canonical = set(self.names)


def source_fingerprint(source: Path = DEFAULT_SOURCE) -> str:
    """Hash of the real files the vocabulary is learnt from (cache key for generated data)."""
    digest = hashlib.sha256()
    for pattern in ("tasks/*/*.yaml", "kpis/*/*.yaml", "decisions/*.yaml"):
        for path in sorted(source.glob(pattern)):
            digest.update(path.read_bytes())
    digest.update((source / "agencies.yaml").read_bytes())
    return digest.hexdigest()[:16]


def generator_fingerprint() -> str:
    """Hash of this file: data generated by another version is regenerated."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _weighted(rng: random.Random, counter: Counter) -> Any:
    keys = sorted(counter, key=lambda k: (-counter[k], str(k)))
    return rng.choices(keys, weights=[counter[k] for k in keys])[0]


# --- ids and numbering ----------------------------------------------------------------


def roman(n: int) -> str:
    out = ""
    for value, sym in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out += sym
            n -= value
    return out


def letters(n: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA (section labels of the 07/CT-TTg style)."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


# A row: (key, ref, section, parent key in the same plan or None, section number)
Row = tuple[str, str, str, str | None, int]


def rows_nqcp(rng: random.Random, n: int) -> list[Row]:
    """71/NQ-CP: items '16.' keyed '16', sub-items '(117)' keyed '89-117' under '89.'."""
    rows: list[Row] = []
    item = sub = sec = 0
    while len(rows) < n:
        sec += 1
        for _ in range(rng.randint(4, 30)):
            if len(rows) >= n:
                break
            item += 1
            key = str(item)
            rows.append((key, f"{item}.", f"{roman(sec)}.", None, sec))
            if rng.random() < 0.15:
                for _ in range(rng.randint(2, 8)):
                    if len(rows) >= n:
                        break
                    sub += 1
                    rows.append((f"{item}-{sub}", f"({sub})", f"{roman(sec)}.", key, sec))
    return rows


def rows_btc(rng: random.Random, n: int) -> list[Row]:
    """1057/QĐ-BTC: 'II-10', letter children 'II-10a' (ref '10a')."""
    rows: list[Row] = []
    sec = 0
    while len(rows) < n:
        sec += 1
        s = roman(sec)
        for item in range(1, rng.randint(3, 40)):
            if len(rows) >= n:
                break
            key = f"{s}-{item}"
            rows.append((key, str(item), s, None, sec))
            if rng.random() < 0.1:
                for j in range(rng.randint(2, 5)):
                    if len(rows) >= n:
                        break
                    letter = "abcde"[j]
                    rows.append((f"{key}{letter}", f"{item}{letter}", s, key, sec))
    return rows


def rows_ct(rng: random.Random, n: int) -> list[Row]:
    """07/CT-TTg: 'A-1' ... 'C-5'."""
    rows: list[Row] = []
    sec = 0
    while len(rows) < n:
        sec += 1
        s = letters(sec)
        for item in range(1, rng.randint(5, 90)):
            if len(rows) >= n:
                break
            rows.append((f"{s}-{item}", str(item), s, None, sec))
    return rows


def rows_pl(rng: random.Random, n: int) -> list[Row]:
    """1754/QĐ-BTC: 'pl01-I-1', unnumbered 'pl01-I-u1', 'pl02-1.1' + children 'pl02-1.1-2'."""
    rows: list[Row] = []
    sec = 0
    while len(rows) < n:
        sec += 1
        s = roman(sec)
        if sec % 2:  # Phụ lục 01 layout
            numbered = unnumbered = 0
            for _ in range(rng.randint(3, 35)):
                if len(rows) >= n:
                    break
                if rng.random() < 0.1:
                    unnumbered += 1
                    rows.append((f"pl01-{s}-u{unnumbered}", "", s, None, sec))
                else:
                    numbered += 1
                    rows.append((f"pl01-{s}-{numbered}", str(numbered), s, None, sec))
        else:  # Phụ lục 02 layout
            for item in range(1, rng.randint(3, 12)):
                if len(rows) >= n:
                    break
                key = f"pl02-{sec}.{item}"
                rows.append((key, f"{sec}.{item}", s, None, sec))
                if rng.random() < 0.3:
                    for j in range(1, rng.randint(2, 6)):
                        if len(rows) >= n:
                            break
                        rows.append((f"{key}-{j}", "", s, key, sec))
    return rows


def rows_kh(rng: random.Random, n: int) -> list[Row]:
    """3392/QĐ-BKHCN: 'I-1' ... 'XV-2'."""
    rows: list[Row] = []
    sec = 0
    while len(rows) < n:
        sec += 1
        for item in range(1, rng.randint(2, 12)):
            if len(rows) >= n:
                break
            rows.append((f"{roman(sec)}-{item}", str(item), roman(sec), None, sec))
    return rows


STYLES = {"nqcp": rows_nqcp, "btc": rows_btc, "ct": rows_ct, "pl": rows_pl, "kh": rows_kh}

# (type code in the id, printed type, model type)
DOC_TYPES = (
    ("QD", "QĐ", "quyet_dinh"),
    ("NQ", "NQ", "nghi_quyet"),
    ("CT", "CT", "chi_thi"),
    ("KH", "KH", "ke_hoach"),
)
ISSUER_CODES = {
    "Chính phủ": "CP",
    "Thủ tướng Chính phủ": "TTg",
    "Bộ Tài chính": "BTC",
    "Bộ Khoa học và Công nghệ": "BKHCN",
    "Bộ Công an": "BCA",
    "Bộ Nội vụ": "BNV",
    "Bộ Y tế": "BYT",
    "Bộ Xây dựng": "BXD",
    "Bộ Tư pháp": "BTP",
    "Bộ Công Thương": "BCT",
    "Bộ Giáo dục và Đào tạo": "BGDDT",
    "Bộ Nông nghiệp và Môi trường": "BNNMT",
    "Ngân hàng Nhà nước Việt Nam": "NHNN",
    "Văn phòng Chính phủ": "VPCP",
}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Quốc", "Hữu", "Thanh", "Ngọc", "Xuân"]
GIVEN = ["Thắng", "Hùng", "Lan", "Hà", "Dũng", "Khắng", "Chính", "Tuấn", "Hương", "Phúc"]
SIGNER_TITLES = ["Bộ trưởng", "KT. Bộ trưởng, Thứ trưởng", "Thủ tướng", "Chủ tịch"]
NOTES = [
    "Đã xây dựng dự thảo, đang lấy ý kiến các đơn vị liên quan",
    "Đã trình cấp có thẩm quyền xem xét, ban hành",
    "Đang rà soát, hoàn thiện hồ sơ",
    "Đã hoàn thành, đưa vào khai thác sử dụng",
    "Đã báo cáo kết quả thực hiện",
    "Chậm tiến độ do chờ hướng dẫn của bộ chủ quản",
    "Đã tổ chức hội thảo lấy ý kiến chuyên gia",
    "Đang triển khai thí điểm tại một số đơn vị",
    "Đã ký hợp đồng, đang triển khai",
    "Dừng thực hiện theo chỉ đạo của Lãnh đạo Bộ",
]


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _names(rng: random.Random, vocab: Vocabulary, k: int, pool: list[str]) -> list[str]:
    out: list[str] = []
    while len(out) < k:
        name = rng.choice(vocab.variants) if rng.random() < 0.12 else rng.choice(pool)
        if name not in out:
            out.append(name)
    return out


def _split(rng: random.Random, total: int, parts: int, root_share: bool = False) -> list[int]:
    """Spread ``total`` over ``parts`` with skewed (log-normal) weights, deterministically."""
    weights = [rng.lognormvariate(0, 1) for _ in range(parts)]
    if not root_share and parts > 1:
        weights[0] = 0.0  # the root resolution (57-NQ/TW) has no task rows, as in the real data
    s = sum(weights)
    raw = [w / s * total for w in weights]
    counts = [math.floor(r) for r in raw]
    order = sorted(range(parts), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


# --- the generator --------------------------------------------------------------------


def generate(
    out: Path,
    tasks: int = 30000,
    decisions: int = 100,
    kpis: int = 1000,
    seed: int = 57,
    source: Path = DEFAULT_SOURCE,
    force: bool = False,
) -> dict:
    """Write the data folder ``out``; returns the manifest (counts and fingerprint)."""
    if decisions < 1 or tasks < 0 or kpis < 0:
        raise ValueError("need at least one decision and non-negative counts")
    vocab = Vocabulary(source)
    rng = random.Random(f"nq57-synthetic/{seed}")
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"{out} is not empty; pass --force to overwrite")
        for sub in ("decisions", "tasks", "kpis"):
            shutil.rmtree(out / sub, ignore_errors=True)
    (out / "decisions").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(vocab.registry_path, out / "agencies.yaml")

    plans = _decisions(rng, vocab, decisions)
    task_counts = _split(rng, tasks, decisions)
    kpi_counts = _split(rng, kpis, decisions)
    kpi_ids = _kpis(rng, vocab, plans, kpi_counts, out)
    task_ids: list[list[str]] = [[] for _ in plans]
    written = 0
    for index in range(len(plans)):
        written += _tasks(rng, vocab, plans, index, task_counts[index], task_ids, kpi_ids, out)
    for plan in plans:
        fields = {k: v for k, v in plan.items() if k != "style"}
        _write(out / "decisions" / f"{plan['id']}.yaml", dump(fields, DECISION_ORDER))
    manifest = {
        "tasks": written,
        "decisions": len(plans),
        "kpis": sum(len(k) for k in kpi_ids),
        "seed": seed,
        "source_fingerprint": vocab.fingerprint,
        "generator": generator_fingerprint(),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _decisions(rng: random.Random, vocab: Vocabulary, count: int) -> list[dict]:
    root = {
        "id": "57-NQ-TW-2024",
        "number": "57-NQ/TW",
        "type": "nghi_quyet",
        "issuer": "Bộ Chính trị" if "Bộ Chính trị" in vocab.canonical else vocab.issuers[0],
        "issued": dt.date(2024, 12, 22),
        "title": "Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi "
        "số quốc gia",
        "style": "nqcp",
    }
    plans = [root]
    used = {root["id"]}
    issuers = [n for n in ISSUER_CODES if n in vocab.canonical] or vocab.issuers[:1]
    start = dt.date(2023, 1, 1)
    span = (dt.date(2025, 6, 30) - start).days
    # Issue dates in plan order, so a plan only implements earlier ones.
    days = sorted(rng.randint(0, span) for _ in range(count - 1))
    for i, day in enumerate(days, start=1):
        issuer = rng.choice(issuers)
        code = ISSUER_CODES.get(issuer, "UB")
        type_code, printed, kind = rng.choice(DOC_TYPES)
        issued = start + dt.timedelta(days=day)
        while True:
            number = rng.randint(1, 3999)
            did = f"{number}-{type_code}-{code}-{issued.year}"
            if did not in used:
                break
        used.add(did)
        earlier = [p["id"] for p in plans]
        implements = [root["id"]]
        if i > 1 and rng.random() < 0.5:
            implements += rng.sample(earlier[1:], k=min(len(earlier) - 1, rng.randint(1, 3)))
        supersedes = (
            [rng.choice(earlier[1:])] if i > 3 and rng.random() < 0.08 else []
        )  # replaced plans stay in the data set, as 03/NQ-CP does
        plans.append(
            {
                "id": did,
                "number": f"{number}/{printed}-{code}",
                "type": kind,
                "issuer": issuer,
                "issued": issued,
                "title": "Ban hành Kế hoạch triển khai " + vocab.decision_chain.text(rng, 60, 300),
                "signer": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                "signer_title": rng.choice(SIGNER_TITLES),
                "effective": "on signing",
                "implements": sorted(set(implements), key=implements.index),
                "based_on": [root["id"]],
                "supersedes": supersedes,
                "reporting": _reporting(rng, vocab, issued),
                "references": ["NQ 57-NQ/TW ngày 22/12/2024"],
                "source": f"data/sources/{did}.txt",
                "style": rng.choice(sorted(STYLES)),
            }
        )
    return plans


def _reporting(rng: random.Random, vocab: Vocabulary, issued: dt.date) -> list[dict]:
    out = []
    for _ in range(rng.randint(1, 3)):
        frequency = rng.choice(["monthly", "quarterly", "semiannual", "annual", "on_request"])
        ob: dict[str, Any] = {"frequency": frequency}
        if frequency == "monthly":
            ob["due_day"] = rng.randint(1, 28)
            ob["for_period"] = rng.choice(["previous", "current"])
        elif frequency == "quarterly":
            ob["due_day"] = rng.randint(1, 28)
            ob["month_of_quarter"] = rng.randint(1, 3)
        elif frequency in ("semiannual", "annual"):
            n = 2 if frequency == "semiannual" else 1
            ob["dates"] = sorted(
                f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(n)
            )
        ob["to"] = rng.choice(vocab.ministries)
        if rng.random() < 0.3:
            ob["via"] = rng.choice(vocab.units_of_ministries)
        ob["text"] = "Định kỳ báo cáo kết quả thực hiện: " + vocab.title_chain.text(rng, 40, 200)
        if frequency != "on_request" and rng.random() < 0.5:
            ob["filed"] = sorted({_day(rng, issued, AS_OF) for _ in range(rng.randint(1, 4))})
        out.append(ob)
    return out


def _kpis(
    rng: random.Random, vocab: Vocabulary, plans: list[dict], counts: list[int], out: Path
) -> list[list[str]]:
    ids: list[list[str]] = []
    try:
        from nq57.model.targets import parse_target  # labels of multi-part targets, when available
    except ImportError:  # pragma: no cover - the generator also runs without nq57
        parse_target = None
    for plan, count in zip(plans, counts, strict=True):
        did = plan["id"]
        mine: list[str] = []
        folder = out / "kpis" / did
        if count:
            folder.mkdir(parents=True, exist_ok=True)
        n = 0
        line = rng.randint(50, 400)
        section_title = vocab.section_chain.text(rng, 20, 120)
        while len(mine) < count:
            n += 1
            parent_key = str(n)
            children = rng.randint(2, 9) if rng.random() < 0.1 and count - len(mine) > 3 else 0
            keys = [(parent_key, f"{n}", None)]
            keys += [(f"{n}.{j}", f"{n}.{j}", parent_key) for j in range(1, children + 1)]
            for key, ref, parent in keys:
                if len(mine) >= count:
                    break
                line += rng.randint(1, 6)
                target = _weighted(rng, vocab.targets) if vocab.targets else None
                is_parent = bool(children) and parent is None
                if is_parent and rng.random() < 0.5:
                    target = None
                issued = plan["issued"]
                kpi: dict[str, Any] = {
                    "id": f"{did}/{key}",
                    "decision": did,
                    "ref": ref,
                    "section": "I",
                    "name": vocab.kpi_chain.text(rng, 30, 250),
                    "unit": _weighted(rng, vocab.units) if vocab.units else None,
                    "target": target,
                    "year": _weighted(rng, vocab.years) if vocab.years else 2030,
                    "owner": rng.choice(vocab.names) if rng.random() < 0.85 else None,
                    "parent": f"{did}/{parent}" if parent else None,
                    "section_title": section_title,
                    "appendix": "Phụ lục I",
                    "source_line": line,
                }
                if rng.random() < 0.4:
                    kpi["baseline"] = {
                        "value": rng.randint(0, 60),
                        "date": dt.date(2024, 12, 31),
                        "source": "Báo cáo năm 2024",
                    }
                labels: list[str | None] = [None]
                if target and parse_target is not None:
                    found = [c.label for c in parse_target(target).comparisons if c.label]
                    labels = found or [None]
                dates = sorted(_day(rng, issued, AS_OF) for _ in range(rng.randint(0, 6)))
                kpi["measurements"] = [
                    {
                        "date": d,
                        "value": rng.randint(0, 120)
                        if rng.random() < 0.6
                        else round(rng.uniform(0, 100), 1),
                        "label": rng.choice(labels),
                        "source": "Báo cáo định kỳ" if rng.random() < 0.3 else None,
                    }
                    for d in dates
                ]
                _write(folder / f"{key}.yaml", dump(kpi, KPI_ORDER))
                mine.append(kpi["id"])
        ids.append(mine)
    return ids


def _deadline(rng: random.Random, vocab: Vocabulary) -> str | None:
    return _weighted(rng, vocab.deadlines) if vocab.deadlines else "Tháng 12/2025"


def _tasks(
    rng: random.Random,
    vocab: Vocabulary,
    plans: list[dict],
    index: int,
    count: int,
    task_ids: list[list[str]],
    kpi_ids: list[list[str]],
    out: Path,
) -> int:
    plan = plans[index]
    did = plan["id"]
    if not count:
        return 0
    folder = out / "tasks" / did
    folder.mkdir(parents=True, exist_ok=True)
    rows = STYLES[plan["style"]](rng, count)
    # Cross-plan parents point into plans this one implements (earlier plans): no cycles.
    targets = [
        i for i, p in enumerate(plans[:index]) if p["id"] in plan["implements"] and task_ids[i]
    ]
    section_titles: dict[int, str] = {}
    appendix = rng.choice(["Phụ lục", "Phụ lục I", "Phụ lục II", "Phụ lục 01"])
    line = rng.randint(80, 400)
    issued = plan["issued"]
    start = max(issued, dt.date(2024, 1, 1))
    for key, ref, section, parent, sec in rows:
        line += rng.randint(2, 12)
        if sec not in section_titles:
            section_titles[sec] = vocab.section_chain.text(rng, 20, 200)
        if parent is None and targets and rng.random() < 0.05:
            other = rng.choice(targets)
            parent_id = rng.choice(task_ids[other])
        else:
            parent_id = f"{did}/{parent}" if parent else None
        task: dict[str, Any] = {
            "id": f"{did}/{key}",
            "decision": did,
            "ref": ref,
            "section": section,
            "title": vocab.title_chain.text(rng, 60, 600),
            "lead": _names(rng, vocab, rng.choice([1, 1, 1, 2]), vocab.names)
            if rng.random() < 0.97
            else [],
            "support": _names(rng, vocab, rng.randint(1, 5), vocab.names)
            if rng.random() < 0.55
            else [],
            "output": _weighted(rng, vocab.outputs)
            if vocab.outputs and rng.random() < 0.6
            else None,
            "approver": _weighted(rng, vocab.approvers)
            if vocab.approvers and rng.random() < 0.05
            else None,
            "deadline": _deadline(rng, vocab) if rng.random() < 0.96 else None,
            "parent": parent_id,
            "section_title": section_titles[sec],
            "appendix": appendix,
            "source_line": line,
        }
        if rng.random() < 0.06:
            task["due"] = _day(rng, issued, dt.date(2026, 12, 31))
        if kpi_ids[index] and rng.random() < 0.05:
            task["kpis"] = rng.sample(kpi_ids[index], k=min(2, len(kpi_ids[index])))
        if rng.random() < 0.04 and "Bộ Thông tin và Truyền thông" in vocab.canonical:
            task["lead_note"] = "(Nhiệm vụ của Bộ Thông tin và Truyền thông chuyển sang)"
            task["transferred_from"] = "Bộ Thông tin và Truyền thông"
        if rng.random() < 0.01:
            task["note"] = vocab.title_chain.text(rng, 20, 120)
        _progress(rng, task, start)
        _write(folder / f"{key}.yaml", dump(task, TASK_ORDER))
        task_ids[index].append(task["id"])
    return len(rows)


def _progress(rng: random.Random, task: dict, start: dt.date) -> None:
    """0-4 updates; the last may close the task (done + completed) or cancel it."""
    n = rng.choices([0, 1, 2, 3, 4], weights=[40, 20, 18, 12, 10])[0]
    if not n:
        return
    dates = sorted(_day(rng, start, AS_OF) for _ in range(n))
    progress = 0
    updates = []
    ending = rng.choices(["open", "done", "cancelled"], weights=[68, 30, 2])[0]
    for i, date in enumerate(dates):
        last = i == n - 1
        progress = min(95, progress + rng.randint(5, 40))
        update: dict[str, Any] = {"date": date}
        if last and ending == "done":
            update.update(status="done", progress=100, note=NOTES[3])
        elif last and ending == "cancelled":
            update.update(status="cancelled", note=NOTES[9])
        else:
            if rng.random() < 0.7:
                update["status"] = "in_progress"
            if rng.random() < 0.8:
                update["progress"] = progress
            if rng.random() < 0.9:
                update["note"] = rng.choice(NOTES[:9])
        updates.append(update)
    task["updates"] = updates
    if ending == "done":
        task["status"] = "done"
        task["completed"] = dates[-1]
    elif ending == "cancelled":
        task["status"] = "cancelled"
    else:
        task["status"] = "in_progress"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="data folder to write")
    parser.add_argument("--tasks", type=int, default=30000)
    parser.add_argument("--decisions", type=int, default=100)
    parser.add_argument("--kpis", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=57)
    parser.add_argument("--source-data", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--force", action="store_true", help="overwrite a non-empty OUT")
    args = parser.parse_args(argv)
    manifest = generate(
        args.out, args.tasks, args.decisions, args.kpis, args.seed, args.source_data, args.force
    )
    print(json.dumps(manifest), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
