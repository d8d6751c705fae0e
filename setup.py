"""Ships the reference files inside the wheel (review/_resources/{questionnaires,data}).

The repository keeps them at the top (questionnaires/, data/) where people edit them; a built wheel
carries a copy so an installed `review` finds them through review.resources (no `../data`).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# data/ also holds the runtime database (review.duckdb) and snapshots: ship only reference files.
DATA = ("parties.csv", "instruments.yaml", "review_rules.yaml", "world/countries-50m.json", "world/countries-50m-display.json")


class BuildWithResources(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "review" / "_resources"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(ROOT / "questionnaires", target / "questionnaires",
                        ignore=shutil.ignore_patterns("__pycache__"))
        for name in DATA:
            (target / "data" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / "data" / name, target / "data" / name)


setup(cmdclass={"build_py": BuildWithResources})
