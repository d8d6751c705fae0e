"""Every outside program the project's scripts run is installed by the project's own install step:
scripts/report_screenshot.py ran pdftoppm, which no install script added (it worked only where
someone had installed poppler-utils by hand)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the Debian package of each program a script runs (a program missing here fails the test: say which)
PACKAGES = {"pdftoppm": "poppler-utils"}


def programs_run(folder: Path) -> dict[str, str]:
    """program -> the file that runs it, for `subprocess.run([...])` and the like with a literal program."""
    found = {}
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and getattr(node.func.value, "id", "") == "subprocess" and node.args
                    and isinstance(node.args[0], ast.List) and node.args[0].elts
                    and isinstance(node.args[0].elts[0], ast.Constant)):
                found[node.args[0].elts[0].value] = path.name
    return found


def installed_by_make() -> set[str]:
    """The Debian packages that the install scripts the Makefile runs ask apt-get for."""
    scripts = re.findall(r"bash (scripts/ensure-[\w-]+\.sh)", (ROOT / "Makefile").read_text())
    packages = set()
    for script in scripts:
        text = (ROOT / script).read_text()
        packages |= {word for line in text.splitlines() if "apt-get" in line and "install" in line
                     for word in re.findall(r"[a-z0-9][a-z0-9.+-]+", line)}
        for name, value in re.findall(r'^(\w+)="([^"]*)"', text, re.MULTILINE):  # packages="a b c"
            if f"${name}" in text:
                packages |= set(value.split())
    return packages


def test_every_program_a_script_runs_is_installed_by_the_install_step():
    run = programs_run(ROOT / "scripts")
    assert "pdftoppm" in run, "the report's picture is drawn by pdftoppm"
    unknown = sorted(set(run) - set(PACKAGES))
    assert not unknown, f"name the Debian package of {unknown} in PACKAGES and install it in a scripts/ensure-*.sh"
    missing = {program: PACKAGES[program] for program in run if PACKAGES[program] not in installed_by_make()}
    assert not missing, f"no scripts/ensure-*.sh that the Makefile runs installs {missing}"
