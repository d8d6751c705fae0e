"""Every registered action has a label in every language: a refusal or an audit line names the
action in words, never as its code (`actions.<name>`)."""

from review import i18n
from review.access import ACTIONS


def test_every_action_is_named_in_words_in_every_language():
    missing = {lang: [name for name in ACTIONS if f"actions.{name}" not in i18n.messages(lang)] for lang in i18n.LANGUAGES}
    assert missing == {lang: [] for lang in i18n.LANGUAGES}
