"""The logged-in user is checked once per page run (`app.context.page_run`): never kept past the
run, never seen by another session's thread, forgotten at a login and a logout within the run
(the whole app's deactivation on the next run: tests/test_login.py)."""

from __future__ import annotations

import threading

from app import context


def test_the_user_is_checked_once_per_run_and_never_kept_past_it_or_shared(monkeypatch):
    checks = []
    monkeypatch.setattr(context, "_checked_user", lambda: checks.append(1) or f"user {len(checks)}")
    with context.page_run():
        assert context.current_user() == context.current_user() == "user 1"
        seen = []
        other = threading.Thread(target=lambda: seen.append(context.current_user()))  # another session's run
        other.start()
        other.join()
        assert seen == ["user 2"], "another thread checks for itself"
        context._forget_user()  # what log_in and logout do
        assert context.current_user() == "user 3"
    assert context.current_user() == "user 4", "outside a run, every call checks"
    with context.page_run():
        assert context.current_user() == "user 5", "the next run checks again"
