"""The app uses no Streamlit API that Streamlit has announced it will remove: the project pins
`streamlit<2`, so a 1.x release may drop one, and a deprecated call also writes a warning to the
server's log on every run (`st.components.v1.html` did, once per page run of every logged-in user)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Streamlit's deprecations that concern calls this app could make (Streamlit's changelog and the
# warnings it logs): the components' html/iframe (now st.iframe), the container width flag (now
# width=), the experimental names that became stable.
DEPRECATED = re.compile(r"components\.v1|components\.(html|iframe)\(|use_container_width|st\.experimental_")


def test_no_page_or_helper_calls_a_deprecated_streamlit_api():
    found = []
    for path in [ROOT / "streamlit_app.py", *sorted((ROOT / "app").rglob("*.py"))]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DEPRECATED.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "deprecated Streamlit calls:\n" + "\n".join(found)
