"""The wheel installs in a fresh virtual environment (not editable) and runs init, demo, status, template
and the app from an unrelated folder: every locale, questionnaire and reference file is inside the
package. The wheel is built as the Containerfile's build stage builds it, from the files that stage copies
and nothing else, and the runtime stage's own command (`review init`, then `review serve`) is run with the
image's environment until its health check answers: the image replayed where no container engine runs
(tests/test_containerfile.py builds the real image where one does). The dependencies come from this
environment's site-packages (a .pth file, no registry), the wheel itself with `pip install --no-deps
--no-index`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import sysconfig
import venv
import time
import zipfile
from pathlib import Path

import pytest

from tests import containerfile

ROOT = Path(__file__).resolve().parent.parent


def _run(args, cwd, **kw):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "REVIEW_DB", "VIRTUAL_ENV")}
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=240, **kw)
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-4000:])
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("wheel")
    context = containerfile.stage_build_context(base / "src")  # (the build stage's WORKDIR)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "dist"), "."], cwd=context)
    wheel = next((base / "dist").glob("cop_review-*.whl"))
    target = base / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=base).strip())
    # The shared environment's packages (dependencies and pip) are reachable, after the venv's own.
    (site / "zz_shared_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], cwd=base)
    work = base / "elsewhere"
    work.mkdir()
    return wheel, target, work


def test_the_wheel_ships_every_resource(installed):
    wheel, _, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in ("en", "zh", "fr", "es", "ru", "ar"):
        assert any(n.startswith(f"review/locales/{lang}/") and n.endswith(".yaml") for n in names), lang
    for rel in ("data/parties.csv", "data/instruments.yaml", "data/world/countries-50m.json",
                "questionnaires/uncc-self-assessment/1.0.yaml"):
        assert f"review/_resources/{rel}" in names, rel
    assert "review/schema/questionnaire.schema.json" in names and "streamlit_app.py" in names
    assert not any(n.endswith(".duckdb") for n in names)


def test_installed_commands_run_outside_the_checkout(installed):
    _, target, work = installed
    python, review = str(target / "bin" / "python"), str(target / "bin" / "review")
    where = _run([python, "-c", "import review, app; print(review.__file__); print(app.__file__)"], cwd=work)
    assert str(ROOT) not in where and str(target) in where
    db = str(work / "review.duckdb")
    _run([review, "--db", db, "init"], cwd=work)
    _run([review, "--db", db, "demo"], cwd=work)
    status = json.loads(_run([review, "--db", db, "status", "--json"], cwd=work))
    assert status["parties"]
    party = status["parties"][0]["party"]
    out = work / "t.xlsx"
    _run([review, "--db", db, "template", "--party", party, "--cycle", status["cycle"], "--lang", "ar",
          "--out", str(out)], cwd=work)
    assert zipfile.is_zipfile(out)
    # The app of the installed package renders its first page on that database.
    script = (
        "import os, app; from pathlib import Path; from streamlit.testing.v1 import AppTest\n"
        f"os.environ['REVIEW_DB'] = {db!r}\n"
        "at = AppTest.from_file(str(Path(app.__file__).parent.parent / 'streamlit_app.py'), default_timeout=120).run()\n"
        "assert not at.exception, [e.value for e in at.exception]\n"
        "print(len(at.markdown) + len(at.title))\n"
    )
    assert int(_run([python, "-c", script], cwd=work).strip()) > 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_images_command_migrates_then_serves_until_its_health_check_answers(installed, tmp_path):
    """The runtime stage's CMD and HEALTHCHECK, run as the image runs them: the installed commands on
    the PATH, its ENV (the database in the volume, here a new folder), another port; then a stop
    signal ends the server (`review serve` becomes it), as `podman stop` would."""
    _, target, _ = installed
    port = str(_free_port())
    volume = tmp_path / "data"
    volume.mkdir()
    image_env = containerfile.environment()
    db = volume / Path(image_env["REVIEW_DB"]).name
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(image_env, REVIEW_DB=str(db), PATH=f"{target / 'bin'}{os.pathsep}{env['PATH']}")
    cmd = [word.replace("8501", port) for word in containerfile.command()]
    check = [str(target / "bin" / "python") if word == "python" else word.replace("8501", port)
             for word in containerfile.health_check()]
    server = subprocess.Popen(cmd, cwd=volume, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, start_new_session=True)
    try:
        deadline, healthy = time.monotonic() + 120, False
        while not healthy and time.monotonic() < deadline and server.poll() is None:
            healthy = subprocess.run(check, cwd=volume, env=env, capture_output=True, timeout=30).returncode == 0
            if not healthy:
                time.sleep(0.5)
        assert healthy, f"no answer to the health check; server exited with {server.poll()}"
        listed = subprocess.run([str(target / "bin" / "review"), "cycles", "list", "--json"], cwd=volume,
                                env=env, capture_output=True, text=True, timeout=120)
    finally:
        server.send_signal(signal.SIGTERM)  # to the server alone: `sh -c ... exec review serve` made it the server
        try:
            out, _ = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            out, _ = server.communicate()
            pytest.fail("the server did not stop on SIGTERM: " + out[-2000:])
    assert "migration(s) applied" in out
    assert db.is_file() and listed.returncode == 0 and json.loads(listed.stdout) == []
    # nothing left listening: the stop reached Streamlit itself, not only the command that started it
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", int(port))) != 0
