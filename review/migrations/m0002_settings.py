"""Settings of this installation, such as whether it holds the synthetic demo."""

ID = "0002_settings"


def apply(cur) -> None:
    cur.execute("CREATE TABLE setting (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
