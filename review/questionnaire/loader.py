"""Reading questionnaire definitions: schema check, then the rules a schema cannot express.

A broken definition is refused whole, with the file and the path of every error, so that a
questionnaire in use can never be half-loaded.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from review.errors import ReviewError
from review.resources import questionnaires_dir
from review.questionnaire.model import (
    OBLIGATIONS,
    Article,
    Chapter,
    CodeItem,
    CodeList,
    Provision,
    Question,
    Questionnaire,
)
from review.questionnaire.types import CODE, CODES, ROWS, TYPES

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "questionnaire.schema.json"
QUESTIONNAIRES_DIR = questionnaires_dir()


class DefinitionError(ReviewError):
    """A questionnaire definition that breaks the schema or the engine's rules."""

    def __init__(self, source: str, errors: list["DefinitionProblem"]):
        super().__init__("errors.definition_invalid", file=source, count=len(errors))
        self.source = source
        self.errors = errors

    def lines(self) -> list[str]:
        return [f"{self.source}: {error[0]}: [{error.code}] {error[1]}" for error in self.errors]


@cache
def _validator():
    import jsonschema  # only where a definition is checked: reading a registered one needs no schema

    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top)"


class DefinitionProblem(tuple):
    """One error in a definition: `(path, message)` (it unpacks as that pair) with a stable `code`
    naming its rule family (CODES), as the workbook importer's problems have."""

    code: str

    def __new__(cls, path: str, message: str, code: str) -> "DefinitionProblem":
        made = super().__new__(cls, (path, message))
        made.code = code
        return made


# the stable code of each rule family; docs/questionnaire-format.md lists them (a test checks both agree)
CODES = {
    "QF001": "the file is missing or is not readable as YAML",
    "QS001": "the definition breaks the JSON Schema (shape, types, unknown keys, patterns)",
    "QL001": "code lists: a level of the obligation list is missing, or applies_to names an unknown level",
    "QQ001": "questions: a duplicate id, an unknown code list, a table without columns or columns elsewhere",
    "QQ002": "conditions: required_when names no choice question of the provision, or a code not in its list",
    "QB001": "blocks: the default block or a provision's block does not exist",
    "QC001": "chapters: numbered out of order or twice, article ranges that do not follow on or do not cover the articles",
    "QA001": "articles: out of order, outside their chapter's range, or with an unknown obligation level",
    "QP001": "provisions: an id outside its article or used twice, an unknown obligation, a choice offering no code",
    "QM001": "maps between versions: a version mapping from itself, or a target that is not a provision",
    "QT001": "translations: a catalogue without its language or its texts mapping",
    "QY001": "question types: a type the table of question types does not have, or a table as a table's column",
}


@cache
def _fast_validator():
    """The same schema checked by jsonschema-rs (compiled, about fifty times faster): it only says
    whether a definition meets the schema; the errors of one that does not are listed by `_validator`."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _schema_errors(data: Any) -> list[tuple[str, str]]:
    """Every way `data` breaks the JSON Schema. A definition the fast validator finds valid has none
    (the reference validator would walk it in vain: most of a catalogue's load); for any other, and
    for data holding values JSON has no type for (a YAML date), the reference validator says what is
    wrong, so its messages and its verdict are the ones shown."""
    try:
        if _fast_validator().is_valid(data):
            return []
    except (TypeError, ValueError):
        pass
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    return [DefinitionProblem(_path(e.absolute_path), e.message, "QS001") for e in errors]


def _roman(number: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, ch in enumerate(number):
        value = values[ch]
        total += -value if i + 1 < len(number) and values[number[i + 1]] > value else value
    return total


Errors = list  # of DefinitionProblem


def _obligation_codes(data: Mapping[str, Any]) -> set[str]:
    return {item["code"] for item in data["code_lists"]["obligation"]}


def _check_code_lists(data: Mapping[str, Any], errors: Errors) -> None:
    """QL001: the obligation levels the engine needs, and the levels codes apply to."""
    obligations = _obligation_codes(data)
    if missing := [o for o in OBLIGATIONS if o not in obligations]:
        errors.append(DefinitionProblem("code_lists.obligation", f"missing levels: {', '.join(missing)}", "QL001"))
    for name, items in data["code_lists"].items():
        for i, item in enumerate(items):
            for level in item.get("applies_to") or ():
                if level not in obligations:
                    errors.append(DefinitionProblem(f"code_lists.{name}[{i}].applies_to", f"unknown obligation '{level}'", "QL001"))


def _stored(q: Mapping[str, Any]) -> str | None:
    """What a question of this definition stores (None for a type the table does not have)."""
    kind = TYPES.get(q["type"])
    return kind.stored if kind else None


def _check_type(q: Mapping[str, Any], here: str, column: bool, errors: Errors) -> bool:
    """QY001: the question's type is in the table of question types (`review.questionnaire.types`),
    and one a column may have if it is a table's column."""
    kind = TYPES.get(q["type"])
    if kind is None:
        errors.append(DefinitionProblem(f"{here}.type", f"unknown question type '{q['type']}' (known: {', '.join(TYPES)})", "QY001"))
        return False
    if column and not kind.column:
        errors.append(DefinitionProblem(f"{here}.type", f"a table's column cannot be of type '{q['type']}'", "QY001"))
        return False
    return True


def _check_questions(data: Mapping[str, Any], questions: list, where: str, errors: Errors, columns: bool = False) -> None:
    """QY001 (types), QQ001 (each question) and QQ002 (conditions between the questions of one
    provision or block, or the columns of one table)."""
    code_lists = data["code_lists"]
    seen = set()
    for i, q in enumerate(questions):
        here = f"{where}[{i}]"
        if q["id"] in seen:
            errors.append(DefinitionProblem(f"{here}.id", f"duplicate question id '{q['id']}'", "QQ001"))
        seen.add(q["id"])
        if not _check_type(q, here, columns, errors):
            continue
        stored = TYPES[q["type"]].stored
        if stored in (CODE, CODES) and q.get("code_list") not in code_lists:
            errors.append(DefinitionProblem(f"{here}.code_list", f"unknown code list '{q.get('code_list')}'", "QQ001"))
        if stored == ROWS:
            if not q.get("columns"):
                errors.append(DefinitionProblem(here, "a table question needs columns", "QQ001"))
            else:
                _check_questions(data, q["columns"], f"{here}.columns", errors, columns=True)
        elif "columns" in q:
            errors.append(DefinitionProblem(f"{here}.columns", "only a table question has columns", "QQ001"))
    by_id = {q["id"]: q for q in questions}
    for i, q in enumerate(questions):
        for other, codes in (q.get("required_when") or {}).items():
            target = by_id.get(other)
            if target is None or _stored(target) != CODE:
                errors.append(DefinitionProblem(f"{where}[{i}].required_when", f"'{other}' is not a choice question here", "QQ002"))
                continue
            known = {item["code"] for item in code_lists.get(target.get("code_list"), [])}
            for code in codes:
                if code not in known:
                    errors.append(DefinitionProblem(f"{where}[{i}].required_when",
                                                    f"'{code}' is not in code list '{target['code_list']}'", "QQ002"))


def _check_blocks(data: Mapping[str, Any], errors: Errors) -> None:
    """QB001, and the questions of each block."""
    for name, questions in data["question_blocks"].items():
        _check_questions(data, questions, f"question_blocks.{name}", errors)
    if data["default_block"] not in data["question_blocks"]:
        errors.append(DefinitionProblem("default_block", f"unknown block '{data['default_block']}'", "QB001"))


def _chapter_ranges(data: Mapping[str, Any], errors: Errors) -> dict[str, tuple[int, int]]:
    """QC001: chapters in order, each range following on from the last."""
    ranges: dict[str, tuple[int, int]] = {}
    expected_first = 1
    for i, chapter in enumerate(data["chapters"]):
        first, last = chapter["articles"]
        if chapter["number"] in ranges:
            errors.append(DefinitionProblem(f"chapters[{i}].number", f"duplicate chapter {chapter['number']}", "QC001"))
        if _roman(chapter["number"]) != i + 1:
            errors.append(DefinitionProblem(f"chapters[{i}].number", f"chapter {i + 1} must be numbered in order", "QC001"))
        if first != expected_first or last < first:
            errors.append(DefinitionProblem(f"chapters[{i}].articles",
                                            f"range {first}-{last} must start at {expected_first} and not run backwards", "QC001"))
        ranges[chapter["number"]] = (first, last)
        expected_first = last + 1
    articles = data["articles"]
    if data["chapters"] and articles and ranges and max(r[1] for r in ranges.values()) != len(articles):
        errors.append(DefinitionProblem(
            "chapters", f"chapters cover {max(r[1] for r in ranges.values())} articles but {len(articles)} are defined", "QC001"))
    return ranges


def _check_articles(data: Mapping[str, Any], ranges: dict[str, tuple[int, int]], errors: Errors) -> set[str]:
    """QA001 (articles) and QP001 (their provisions); returns the provision ids."""
    obligations, code_lists = _obligation_codes(data), data["code_lists"]
    provision_ids: set[str] = set()
    for i, article in enumerate(data["articles"]):
        here = f"articles[{i}]"
        if article["number"] != i + 1:
            errors.append(DefinitionProblem(f"{here}.number", f"expected article {i + 1}, found {article['number']}", "QA001"))
        bounds = ranges.get(article["chapter"])
        if bounds is None:
            errors.append(DefinitionProblem(f"{here}.chapter", f"unknown chapter '{article['chapter']}'", "QA001"))
        elif not bounds[0] <= article["number"] <= bounds[1]:
            errors.append(DefinitionProblem(
                f"{here}.chapter",
                f"article {article['number']} lies outside chapter {article['chapter']} ({bounds[0]}-{bounds[1]})", "QA001"))
        if article["obligation"] not in obligations:
            errors.append(DefinitionProblem(f"{here}.obligation", f"unknown obligation '{article['obligation']}'", "QA001"))
        for j, provision in enumerate(article["provisions"]):
            where = f"{here}.provisions[{j}]"
            pid = provision["id"]
            if pid.split(".")[0] != str(article["number"]):
                errors.append(DefinitionProblem(f"{where}.id", f"provision '{pid}' does not belong to article {article['number']}", "QP001"))
            if pid in provision_ids:
                errors.append(DefinitionProblem(f"{where}.id", f"duplicate provision id '{pid}'", "QP001"))
            provision_ids.add(pid)
            if provision["obligation"] not in obligations:
                errors.append(DefinitionProblem(f"{where}.obligation", f"unknown obligation '{provision['obligation']}'", "QP001"))
            block = provision.get("block")
            if block is not None and block not in data["question_blocks"]:
                errors.append(DefinitionProblem(f"{where}.block", f"unknown block '{block}'", "QB001"))
            _check_questions(data, _provision_questions(data, provision), where + ".questions", errors)
            for question in _provision_questions(data, provision):
                if _stored(question) == CODE and question.get("code_list") in code_lists \
                        and _offered(code_lists[question["code_list"]], provision["obligation"]) == ():
                    errors.append(DefinitionProblem(
                        f"{where}.questions",
                        f"question '{question['id']}' offers no code on a {provision['obligation']} provision", "QP001"))
    return provision_ids


def _check_maps(data: Mapping[str, Any], provision_ids: set[str], errors: Errors) -> None:
    """QM001: maps from earlier versions point at this version's provisions."""
    for version, moves in (data.get("maps_from") or {}).items():
        if version == data["version"]:
            errors.append(DefinitionProblem(f"maps_from.{version}", "a version cannot map from itself", "QM001"))
        for old, new in moves.items():
            for target in new:
                if target not in provision_ids:
                    errors.append(DefinitionProblem(f"maps_from.{version}.{old}", f"'{target}' is not a provision of this version", "QM001"))


def _rule_errors(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Cross-references the schema cannot check, one validator per rule family (CODES)."""
    errors: Errors = []
    _check_code_lists(data, errors)
    _check_blocks(data, errors)
    ranges = _chapter_ranges(data, errors)
    provision_ids = _check_articles(data, ranges, errors)
    _check_maps(data, provision_ids, errors)
    return errors


def _provision_questions(data: Mapping[str, Any], provision: Mapping[str, Any]) -> list[dict]:
    """The block a provision answers (the default one unless institutional) plus its own questions."""
    if "block" in provision:
        block = provision["block"]
    else:
        block = None if provision["obligation"] == "institutional" else data["default_block"]
    return list(data["question_blocks"].get(block, [])) + list(provision.get("questions") or [])


def _offered(items: list, obligation: str) -> tuple[str, ...] | None:
    """The codes of a code list offered on a provision of this obligation level; None when the list
    restricts nothing (no code names the levels it applies to)."""
    if not any(item.get("applies_to") for item in items):
        return None
    return tuple(i["code"] for i in items if not i.get("applies_to") or obligation in i["applies_to"])


def _question(raw: Mapping[str, Any], code_lists: Mapping[str, Any] | None = None, obligation: str | None = None) -> Question:
    choices = None
    if _stored(raw) == CODE and code_lists is not None and raw.get("code_list") in code_lists:
        choices = _offered(code_lists[raw["code_list"]], obligation)
    return Question(
        id=raw["id"],
        type=raw["type"],
        label=raw["label"],
        help=raw.get("help"),
        required=bool(raw.get("required", False)),
        required_when={k: tuple(v) for k, v in (raw.get("required_when") or {}).items()},
        code_list=raw.get("code_list"),
        max_length=raw.get("max_length"),
        max_rows=raw.get("max_rows"),
        min=raw.get("min"),
        max=raw.get("max"),
        columns=tuple(_question(c) for c in raw.get("columns") or ()),
        choices=choices,
        private=bool(raw.get("private", False)),
    )


def fingerprint(data: Mapping[str, Any]) -> str:
    """A hash of what answers depend on: provision ids, question ids and types, code lists."""
    shape = {
        "id": data["id"],
        "version": data["version"],
        # where a code is offered is part of the shape (an answer valid on one version is valid on it
        # for good); a code offered everywhere stays just its code, so older fingerprints hold
        "code_lists": {k: [i["code"] + ("@" + "+".join(i["applies_to"]) if i.get("applies_to") else "") for i in v]
                       for k, v in sorted(data["code_lists"].items())},
        "provisions": [
            [p["id"], [[q["id"], q["type"], [c["id"] for c in q.get("columns") or []]] for q in _provision_questions(data, p)]]
            for a in data["articles"]
            for p in a["provisions"]
        ],
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]


def from_mapping(data: Any, source: str = "<definition>", registered: bool = False) -> Questionnaire:
    """Build a questionnaire from parsed data, or raise DefinitionError listing every problem.

    A `registered` definition, read back from the database, met the schema when it was registered:
    only the rules are checked again (the schema validator is the costliest import of a CLI call)."""
    errors = [] if registered else _schema_errors(data)
    if not errors:
        errors = _rule_errors(data)
    if errors:
        raise DefinitionError(source, errors)
    code_lists = {
        name: CodeList(name, tuple(CodeItem(i["code"], i["label"], i.get("score"), i.get("weight"), tuple(i.get("applies_to") or ()))
                                   for i in items))
        for name, items in data["code_lists"].items()
    }
    chapters = tuple(Chapter(c["number"], c["title"], *c["articles"]) for c in data["chapters"])
    articles = tuple(
        Article(
            number=a["number"],
            chapter=a["chapter"],
            title=a["title"],
            obligation=a["obligation"],
            provisions=tuple(
                Provision(
                    id=p["id"],
                    article=a["number"],
                    chapter=a["chapter"],
                    ref=p["ref"],
                    text=p["text"],
                    obligation=p["obligation"],
                    questions=tuple(_question(q, data["code_lists"], p["obligation"]) for q in _provision_questions(data, p)),
                    checked=p.get("checked"),
                )
                for p in a["provisions"]
            ),
        )
        for a in data["articles"]
    )
    return Questionnaire(
        id=data["id"],
        version=data["version"],
        instrument=data["instrument"],
        title=data["title"],
        description=data.get("description"),
        translation_notes=data.get("translation_notes") or {},
        code_lists=code_lists,
        chapters=chapters,
        articles=articles,
        source=data,
        fingerprint=fingerprint(data),
        maps_from={v: {old: tuple(new) for old, new in moves.items()} for v, moves in (data.get("maps_from") or {}).items()},
    )


@lru_cache(maxsize=32)
def from_registered(definition: str, source: str) -> Questionnaire:
    """A registered definition as stored (its JSON text), parsed once per process for each content:
    the cycles' reads (`cycles.questionnaire`) and the analysis views (`analysis.scope`) share it,
    where each parsed it on its own. Registered: it met the JSON Schema when it was stored, so only
    its rules are checked again; a definition corrected in place is other text, parsed anew."""
    return from_mapping(json.loads(definition), source, registered=True)


def load_file(path: str | Path) -> Questionnaire:
    """Load one definition file (YAML or JSON)."""
    return _load_file(Path(path), {})


def _load_file(path: Path, translations: dict[Path, dict[str, dict[str, Any]]]) -> Questionnaire:
    """`load_file`, with the translation catalogues already read, by folder (read here when absent):
    the versions of a questionnaire share one folder of catalogues."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise DefinitionError(str(path), [DefinitionProblem("(file)", "file not found", "QF001")]) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DefinitionError(str(path), [DefinitionProblem("(file)", f"not readable as YAML: {exc}", "QF001")]) from None
    if isinstance(data, dict):
        folder = path.parent / "translations"
        if folder not in translations:
            translations[folder] = translation_catalogues(folder)
        data = with_translations(data, folder, translations[folder])
    return from_mapping(data, str(path))


def translation_catalogues(folder: str | Path) -> dict[str, dict[str, Any]]:
    """The translation catalogues of a questionnaire folder (`translations/<lang>.yaml`), by language:
    each maps an English text, exactly as in the definition, to its text in that language."""
    found = {}
    for path in sorted(Path(folder).glob("*.yaml")) if Path(folder).is_dir() else []:
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise DefinitionError(str(path), [DefinitionProblem("(file)", f"not readable as YAML: {exc}", "QF001")]) from None
        if not isinstance(doc, dict) or doc.get("language") != path.stem or not isinstance(doc.get("texts"), dict):
            raise DefinitionError(str(path), [DefinitionProblem(
                "(file)", f"a translation catalogue needs language: {path.stem} and a texts mapping", "QT001")])
        found[path.stem] = doc
    return found


def with_translations(data: dict[str, Any], folder: str | Path,
                      catalogues: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """`data` with every multilingual text (a mapping with an `en` key) completed from the catalogues
    in `folder` (`catalogues`, when the caller already read them); a language the definition itself gives is kept. A working translation is declared in
    `translation_notes`, in the data rather than in the user's face."""
    if catalogues is None:
        catalogues = translation_catalogues(folder)
    if not catalogues:
        return data

    def fill(node: Any) -> Any:
        if isinstance(node, dict):
            node = {k: fill(v) for k, v in node.items()}
            if isinstance(node.get("en"), str):
                for lang, doc in catalogues.items():
                    text = doc["texts"].get(node["en"])
                    if isinstance(text, str) and text.strip() and not str(node.get(lang) or "").strip():
                        node[lang] = text
            return node
        if isinstance(node, list):
            return [fill(v) for v in node]
        return node

    out = fill({k: v for k, v in data.items() if k != "translation_notes"})
    notes = dict(data.get("translation_notes") or {})
    for lang, doc in catalogues.items():
        if doc.get("status") == "working-translation" and lang not in notes:
            notes[lang] = "Working translation awaiting review by UN language services."
    if "translation_notes" in data or notes:
        out["translation_notes"] = notes
    return out


def catalogue(folder: str | Path = QUESTIONNAIRES_DIR) -> dict[tuple[str, str], Questionnaire]:
    """Every definition under `folder` (`<id>/<version>.yaml`), keyed by (id, version)."""
    found = {}
    translations: dict[Path, dict[str, dict[str, Any]]] = {}  # (read once per folder)
    for path in sorted(Path(folder).glob("*/*.yaml")):
        questionnaire = _load_file(path, translations)
        found[questionnaire.key] = questionnaire
    return found
