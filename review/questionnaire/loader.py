"""Reading questionnaire definitions: schema check, then the rules a schema cannot express.

A broken definition is refused whole, with the file and the path of every error, so that a
questionnaire in use can never be half-loaded.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
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

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "questionnaire.schema.json"
QUESTIONNAIRES_DIR = questionnaires_dir()


class DefinitionError(ReviewError):
    """A questionnaire definition that breaks the schema or the engine's rules."""

    def __init__(self, source: str, errors: list[tuple[str, str]]):
        super().__init__("errors.definition_invalid", file=source, count=len(errors))
        self.source = source
        self.errors = errors

    def lines(self) -> list[str]:
        return [f"{self.source}: {path}: {message}" for path, message in self.errors]


@cache
def _validator():
    import jsonschema  # only where a definition is checked: reading a registered one needs no schema

    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top)"


def _schema_errors(data: Any) -> list[tuple[str, str]]:
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    return [(_path(e.absolute_path), e.message) for e in errors]


def _roman(number: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, ch in enumerate(number):
        value = values[ch]
        total += -value if i + 1 < len(number) and values[number[i + 1]] > value else value
    return total


def _rule_errors(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Cross-references the schema cannot check: ranges, uniqueness, code lists, blocks."""
    errors: list[tuple[str, str]] = []
    code_lists = data["code_lists"]
    obligations = {item["code"] for item in code_lists["obligation"]}
    if missing := [o for o in OBLIGATIONS if o not in obligations]:
        errors.append(("code_lists.obligation", f"missing levels: {', '.join(missing)}"))
    for name, items in code_lists.items():
        for i, item in enumerate(items):
            for level in item.get("applies_to") or ():
                if level not in obligations:
                    errors.append((f"code_lists.{name}[{i}].applies_to", f"unknown obligation '{level}'"))

    def check_questions(questions, where):
        seen = set()
        for i, q in enumerate(questions):
            here = f"{where}[{i}]"
            if q["id"] in seen:
                errors.append((f"{here}.id", f"duplicate question id '{q['id']}'"))
            seen.add(q["id"])
            if q["type"] in ("choice", "multi_choice"):
                if q.get("code_list") not in code_lists:
                    errors.append((f"{here}.code_list", f"unknown code list '{q.get('code_list')}'"))
            if q["type"] == "table":
                if not q.get("columns"):
                    errors.append((here, "a table question needs columns"))
                else:
                    check_questions(q["columns"], f"{here}.columns")
            elif "columns" in q:
                errors.append((f"{here}.columns", "only a table question has columns"))
        by_id = {q["id"]: q for q in questions}
        for i, q in enumerate(questions):
            for other, codes in (q.get("required_when") or {}).items():
                target = by_id.get(other)
                if target is None or target["type"] != "choice":
                    errors.append((f"{where}[{i}].required_when", f"'{other}' is not a choice question here"))
                    continue
                known = {item["code"] for item in code_lists.get(target.get("code_list"), [])}
                for code in codes:
                    if code not in known:
                        errors.append((f"{where}[{i}].required_when", f"'{code}' is not in code list '{target['code_list']}'"))

    for name, questions in data["question_blocks"].items():
        check_questions(questions, f"question_blocks.{name}")
    if data["default_block"] not in data["question_blocks"]:
        errors.append(("default_block", f"unknown block '{data['default_block']}'"))

    chapters = data["chapters"]
    ranges: dict[str, tuple[int, int]] = {}
    expected_first = 1
    for i, chapter in enumerate(chapters):
        first, last = chapter["articles"]
        if chapter["number"] in ranges:
            errors.append((f"chapters[{i}].number", f"duplicate chapter {chapter['number']}"))
        if _roman(chapter["number"]) != i + 1:
            errors.append((f"chapters[{i}].number", f"chapter {i + 1} must be numbered in order"))
        if first != expected_first or last < first:
            errors.append((f"chapters[{i}].articles", f"range {first}-{last} must start at {expected_first} and not run backwards"))
        ranges[chapter["number"]] = (first, last)
        expected_first = last + 1

    articles = data["articles"]
    provision_ids: set[str] = set()
    for i, article in enumerate(articles):
        here = f"articles[{i}]"
        if article["number"] != i + 1:
            errors.append((f"{here}.number", f"expected article {i + 1}, found {article['number']}"))
        bounds = ranges.get(article["chapter"])
        if bounds is None:
            errors.append((f"{here}.chapter", f"unknown chapter '{article['chapter']}'"))
        elif not bounds[0] <= article["number"] <= bounds[1]:
            errors.append((f"{here}.chapter", f"article {article['number']} lies outside chapter {article['chapter']} ({bounds[0]}-{bounds[1]})"))
        if article["obligation"] not in obligations:
            errors.append((f"{here}.obligation", f"unknown obligation '{article['obligation']}'"))
        for j, provision in enumerate(article["provisions"]):
            where = f"{here}.provisions[{j}]"
            pid = provision["id"]
            if pid.split(".")[0] != str(article["number"]):
                errors.append((f"{where}.id", f"provision '{pid}' does not belong to article {article['number']}"))
            if pid in provision_ids:
                errors.append((f"{where}.id", f"duplicate provision id '{pid}'"))
            provision_ids.add(pid)
            if provision["obligation"] not in obligations:
                errors.append((f"{where}.obligation", f"unknown obligation '{provision['obligation']}'"))
            block = provision.get("block")
            if block is not None and block not in data["question_blocks"]:
                errors.append((f"{where}.block", f"unknown block '{block}'"))
            check_questions(_provision_questions(data, provision), where + ".questions")
            for question in _provision_questions(data, provision):
                if question["type"] == "choice" and question.get("code_list") in code_lists \
                        and _offered(code_lists[question["code_list"]], provision["obligation"]) == ():
                    errors.append((f"{where}.questions", f"question '{question['id']}' offers no code on a {provision['obligation']} provision"))
    for version, moves in (data.get("maps_from") or {}).items():
        if version == data["version"]:
            errors.append((f"maps_from.{version}", "a version cannot map from itself"))
        for old, new in moves.items():
            for target in new:
                if target not in provision_ids:
                    errors.append((f"maps_from.{version}.{old}", f"'{target}' is not a provision of this version"))
    if chapters and articles and ranges and max(r[1] for r in ranges.values()) != len(articles):
        errors.append(("chapters", f"chapters cover {max(r[1] for r in ranges.values())} articles but {len(articles)} are defined"))
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
    if raw["type"] == "choice" and code_lists is not None and raw.get("code_list") in code_lists:
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


def load_file(path: str | Path) -> Questionnaire:
    """Load one definition file (YAML or JSON)."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise DefinitionError(str(path), [("(file)", "file not found")]) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DefinitionError(str(path), [("(file)", f"not readable as YAML: {exc}")]) from None
    if isinstance(data, dict):
        data = with_translations(data, path.parent / "translations")
    return from_mapping(data, str(path))


def translation_catalogues(folder: str | Path) -> dict[str, dict[str, Any]]:
    """The translation catalogues of a questionnaire folder (`translations/<lang>.yaml`), by language:
    each maps an English text, exactly as in the definition, to its text in that language."""
    found = {}
    for path in sorted(Path(folder).glob("*.yaml")) if Path(folder).is_dir() else []:
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise DefinitionError(str(path), [("(file)", f"not readable as YAML: {exc}")]) from None
        if not isinstance(doc, dict) or doc.get("language") != path.stem or not isinstance(doc.get("texts"), dict):
            raise DefinitionError(str(path), [("(file)", f"a translation catalogue needs language: {path.stem} and a texts mapping")])
        found[path.stem] = doc
    return found


def with_translations(data: dict[str, Any], folder: str | Path) -> dict[str, Any]:
    """`data` with every multilingual text (a mapping with an `en` key) completed from the catalogues
    in `folder`; a language the definition itself gives is kept. A working translation is declared in
    `translation_notes`, in the data rather than in the user's face."""
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
    for path in sorted(Path(folder).glob("*/*.yaml")):
        questionnaire = load_file(path)
        found[questionnaire.key] = questionnaire
    return found
