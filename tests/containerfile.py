"""The Containerfile read as data, for the tests that check it and replay it where no container engine
runs: its instructions, what its build stage copies from the context (less what .dockerignore leaves
out), that context laid out in a folder as the build stage sees it, and the runtime stage's environment,
command and health check."""

from __future__ import annotations

import fnmatch
import json
import shlex
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTAINERFILE = ROOT / "Containerfile"


def instructions() -> list[tuple[str, str]]:
    """(instruction, arguments) in order, continuation lines joined and comments dropped."""
    lines, current = [], ""
    for raw in CONTAINERFILE.read_text().splitlines():
        if raw.strip().startswith("#") or not raw.strip():
            continue
        current += raw.rstrip().removesuffix("\\") + " "
        if not raw.rstrip().endswith("\\"):
            lines.append(current.strip())
            current = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def copies() -> list[tuple[list[str], str]]:
    """(sources, destination) of every COPY from the build context (not those from an earlier stage)."""
    found = []
    for op, args in instructions():
        words = shlex.split(args)
        if op == "COPY" and not any(w.startswith("--from") for w in words):
            words = [w for w in words if not w.startswith("--")]
            found.append((words[:-1], words[-1]))
    return found


def copied() -> list[str]:
    """The sources of every COPY from the build context."""
    return [source for sources, _ in copies() for source in sources]


def ignored(path: str) -> bool:
    """Whether .dockerignore leaves `path` (relative to the repository) out of the build context."""
    patterns = [p.strip() for p in (ROOT / ".dockerignore").read_text().splitlines()
                if p.strip() and not p.startswith("#")]
    parts = Path(path).parts
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return any(fnmatch.fnmatch(prefix, p.removeprefix("**/")) or fnmatch.fnmatch(prefix, p)
               or (p.startswith("**/") and fnmatch.fnmatch(Path(prefix).name, p.removeprefix("**/")))
               for p in patterns for prefix in prefixes)


def stage_build_context(workdir: Path) -> Path:
    """`workdir` as the build stage's WORKDIR is when its COPY lines have run: each source from the
    repository, less what .dockerignore leaves out, where COPY puts it (into a folder when the
    destination ends with "/" or there are several sources; else as the destination itself)."""
    for sources, destination in copies():
        into = destination.endswith("/") or len(sources) > 1
        for source in sources:
            target = workdir / destination / Path(source).name if into else workdir / destination
            path = ROOT / source
            if path.is_dir():
                shutil.copytree(path, target, dirs_exist_ok=True, ignore=lambda folder, names: [
                    n for n in names if ignored(str((Path(folder) / n).relative_to(ROOT)))])
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
    return workdir


def _runtime() -> list[tuple[str, str]]:
    """The instructions of the last stage (the image that runs)."""
    ops = instructions()
    start = max(i for i, (op, _) in enumerate(ops) if op == "FROM")
    return ops[start:]


def environment() -> dict[str, str]:
    """The runtime stage's ENV, as NAME=value pairs."""
    env = {}
    for op, args in _runtime():
        if op == "ENV":
            env.update(word.split("=", 1) for word in shlex.split(args))
    return env


def command() -> list[str]:
    """The runtime stage's CMD (exec form, a JSON list)."""
    return json.loads(next(args for op, args in reversed(_runtime()) if op == "CMD"))


def health_check() -> list[str]:
    """The command of the runtime stage's HEALTHCHECK (exec form, after its options)."""
    args = next(args for op, args in _runtime() if op == "HEALTHCHECK")
    return json.loads(args[args.index("CMD") + len("CMD"):].strip())
