"""The Containerfile: every path it copies exists and is not left out of the build context, the wheel is
built from everything it needs (the reference files setup.py ships, the packages, the app), the image has
the fonts the PDF reports use and runs the migrations before it serves. Where a container engine answers
(`docker info`), the image is built and its `review init` run; elsewhere that test is skipped, saying why,
and tests/test_wheel.py replays the image without an engine: the wheel built from the build stage's
context alone, installed in a fresh environment, and the runtime stage's command and health check run."""

from __future__ import annotations

import ast
import shutil
import subprocess
import tomllib

import pytest

from tests.containerfile import CONTAINERFILE, ROOT, command, copied, ignored, instructions


def _setup_data() -> tuple[str, ...]:
    tree = ast.parse((ROOT / "setup.py").read_text())
    found = next(n.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == "DATA" for t in n.targets))
    return ast.literal_eval(found)


def _covered(path: str, sources: list[str]) -> bool:
    return not ignored(path) and any(s in (".", "./") or path == s or path.startswith(s.rstrip("/") + "/")
                                      for s in sources)


def test_every_copied_path_exists_and_is_in_the_build_context():
    sources = copied()
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), f"Containerfile copies {source}, which does not exist"
        assert not ignored(source), f"Containerfile copies {source}, which .dockerignore leaves out"
    assert "test_containerfile.py" in (ROOT / "docs" / "operations.md").read_text()  # the production guide covers it


def test_the_wheel_is_built_from_everything_it_ships():
    sources = copied()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    needed = ["pyproject.toml", "setup.py", project["project"]["readme"], "questionnaires",
              *(f"{m}.py" for m in project["tool"]["setuptools"]["py-modules"]),
              *(p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]),
              *(f"data/{name}" for name in _setup_data())]
    assert [n for n in needed if not _covered(n, sources)] == []
    assert not _covered("data/review.duckdb", sources), "a database must never enter the image"


def test_the_image_has_the_report_fonts_and_migrates_before_serving():
    from review.pdf import FONTS

    ops = instructions()
    installs = " ".join(args for op, args in ops if op == "RUN" and "apt-get install" in args)
    assert {package for _, package in FONTS.values()} <= set(installs.split())
    line = command()[-1]
    assert line.index("review init") < line.index("review serve") and "&&" in line
    assert any(op == "RUN" and "pip install" in args and ".whl" in args for op, args in ops)
    assert ("USER", "review") in ops


def _engine() -> str | None:
    """Why no image can be built here, or None when a container engine answers."""
    if shutil.which("docker") is None:
        return "no docker client on this machine"
    try:
        done = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        return "`docker info` did not answer within 30 s"
    if done.returncode != 0:
        return "no container engine answers `docker info`: " + (done.stderr.strip().splitlines() or ["?"])[-1]
    return None


def test_the_image_builds_and_initializes_its_database():
    why = _engine()
    if why:
        pytest.skip(why)
    tag = "cop-review:test-containerfile"
    built = subprocess.run(["docker", "build", "-f", str(CONTAINERFILE), "-t", tag, str(ROOT)],
                           capture_output=True, text=True, timeout=1800)
    assert built.returncode == 0, built.stderr[-4000:]
    try:
        ran = subprocess.run(["docker", "run", "--rm", tag, "sh", "-c",
                              "review init && test -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf "
                              "&& review cycles list --json"], capture_output=True, text=True, timeout=600)
        assert ran.returncode == 0, ran.stderr[-4000:]
        assert "migration(s) applied" in ran.stdout and ran.stdout.rstrip().endswith("[]")
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=120)
