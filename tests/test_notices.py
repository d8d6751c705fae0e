"""Reminders and notices: queued with the event in one transaction, in the recipient's language, for
the kinds each user chose, and delivered through a real SMTP server (aiosmtpd) the test starts;
with the server down a message waits in the outbox and is sent once it is back, and only once."""

from __future__ import annotations

import datetime as dt
import socket
from collections import Counter
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from review import notices, rules, submissions as subs, users
from review.access import Actor, Role
from review.errors import PermissionDenied, ReviewError, ValidationFailed
from tests.actors import SETUP
from tests.test_workflow import COMPLETE

TODAY = dt.date(2030, 1, 24)  # the tiny cycle's deadline is 2030-01-31: seven days to go


class Inbox:
    """The SMTP server's side: every message it accepted, parsed; addresses in `refuse` get a 550."""

    def __init__(self, refuse: frozenset[str] = frozenset()):
        self.received = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smtp_settings(port: int) -> notices.Smtp:
    return notices.Smtp("127.0.0.1", port, "review@secretariat.example.org", tls="none", timeout=5)


class MailServer:
    def __init__(self, port: int, refuse=frozenset()):
        self.inbox = Inbox(refuse)
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)

    def __enter__(self) -> Inbox:
        self.controller.start()
        return self.inbox

    def __exit__(self, *exc):
        self.controller.stop()


@pytest.fixture
def port():
    return free_port()


def outbox(store):
    return notices.outbox(store, SETUP)


def returned(store, a):
    subs.return_for_clarification(store, a["secretariat"], "tiny-1", "KEN", {None: "Please cite the law.", "1.1": "Which act?"})


def test_a_return_is_queued_for_those_who_edit_the_partys_answers_in_the_same_transaction(submitted, store):
    a = submitted
    returned(store, a)
    box = outbox(store)
    assert {n.email for n in box} == {"fp@example.org", "c@example.org"}  # not the observer, not France
    assert {n.kind for n in box} == {"returned"} and all(n.status == "waiting" for n in box)
    assert "Kenya" in box[0].subject and "Tiny cycle" in box[0].subject and "2 comment(s)" in box[0].body


def test_a_step_that_fails_after_queuing_leaves_no_notice(submitted, store, monkeypatch):
    real = notices.submission_steps

    def queue_then_fail(*args, **kwargs):
        assert real(*args, **kwargs) == 3  # the notice was written...
        raise RuntimeError("the database failed after the notice was queued")

    monkeypatch.setattr(notices, "submission_steps", queue_then_fail)
    with pytest.raises(RuntimeError):
        subs.validate(store, submitted["secretariat"], "tiny-1", "KEN")
    assert outbox(store) == []  # ...and rolled back with the step
    assert subs.get_submission(store, "tiny-1", "KEN").state == "submitted"


def test_a_refused_step_queues_nothing(submitted, store):
    with pytest.raises(ReviewError):
        subs.publish(store, submitted["secretariat"], "tiny-1", "FRA")  # a draft cannot be published
    assert outbox(store) == []


def test_validation_and_publication_reach_every_user_of_the_party_in_their_language(submitted, store):
    a = submitted
    notices.choose(store, a["observer"], kinds=notices.KINDS, language="fr")
    notices.choose(store, a["contributor"], kinds=["deadline"], language="ar")  # muted the others
    subs.validate(store, a["secretariat"], "tiny-1", "KEN")
    subs.publish(store, a["secretariat"], "tiny-1", "KEN")
    box = outbox(store)
    assert sorted((n.kind, n.email) for n in box) == [
        ("published", "fp@example.org"), ("published", "o@example.org"),
        ("validated", "fp@example.org"), ("validated", "o@example.org")]
    french = next(n for n in box if n.email == "o@example.org" and n.kind == "published")
    assert french.language == "fr" and "Kenya" in french.subject and "publiée" in french.subject


def test_without_a_choice_notices_come_in_the_language_of_the_users_interface(submitted, store):
    users.set_language(store, submitted["focal"], "es")
    assert notices.preferences(store, submitted["focal"]).language == "es"
    returned(store, submitted)
    spanish = next(n for n in outbox(store) if n.email == "fp@example.org")
    assert spanish.language == "es" and "devuelta para aclaraciones" in spanish.subject


def test_each_user_chooses_only_for_themselves_and_unknown_choices_are_refused(tiny_cycle, store):
    _, a = tiny_cycle
    mine = notices.preferences(store, a["focal"])
    assert mine.language == "en" and mine.wanted == set(notices.ROLE_KINDS[Role.FOCAL_POINT])
    with pytest.raises(PermissionDenied):
        notices.preferences(store, a["focal"], a["contributor"].id)
    with pytest.raises(PermissionDenied):
        notices.choose(store, a["focal"], kinds=[], language="en", user_id=a["contributor"].id)
    with pytest.raises(ValidationFailed) as refused:
        notices.choose(store, a["focal"], kinds=["deadline", "gossip"], language="tlh")
    text = refused.value.message("en")
    assert "gossip" in text and "tlh" in text and "Language of notices" in text
    assert notices.preferences(store, a["focal"]) == mine  # nothing changed
    chosen = notices.choose(store, a["secretariat"], kinds=["returned"], language="zh", user_id=a["focal"].id)
    assert chosen.wanted == {"returned"} and chosen.language == "zh"


def test_a_reminder_reaches_the_local_smtp_server_once(tiny_cycle, store, port):
    _, a = tiny_cycle
    queued = notices.queue_reminders(store, SETUP, TODAY)
    # KEN, FRA and CHN have not submitted: their focal points and contributors (fp, c, fra) are reminded
    assert (queued.deadline, queued.late) == (3, 0)
    assert notices.queue_reminders(store, SETUP, TODAY).total == 0  # once per step, however often it runs
    with MailServer(port) as inbox:
        delivery = notices.send_due(store, SETUP, smtp_settings(port))
        assert (delivery.sent, delivery.waiting) == (3, 0)
        assert notices.send_due(store, SETUP, smtp_settings(port)).sent == 0  # no duplicate
    assert sorted(m["To"] for m in inbox.received) == ["c@example.org", "fp@example.org", "fra@example.org"]
    kenya = next(m for m in inbox.received if m["To"] == "fp@example.org")
    assert kenya["From"] == "review@secretariat.example.org"
    assert "Kenya" in kenya["Subject"] and "January 31, 2030" in kenya["Subject"]
    assert "in 7 day(s)" in kenya.get_content()
    sent = {n.email: n for n in outbox(store)}
    assert all(n.status == "sent" and n.attempts == 1 for n in sent.values())
    assert sent["fp@example.org"].message_id == kenya["Message-ID"].strip()


def test_with_the_server_down_a_message_waits_and_is_sent_once_it_is_back(submitted, store, port):
    returned(store, submitted)
    down = notices.send_due(store, SETUP, smtp_settings(port))  # nothing listens on the port
    assert (down.sent, down.retried, down.waiting) == (0, 2, 2)
    waiting = outbox(store)
    assert all(n.status == "waiting" and n.attempts == 1 and n.last_error for n in waiting)
    now = dt.datetime.now()
    with MailServer(port) as inbox:
        # backing off: not tried again before its time...
        assert notices.send_due(store, SETUP, smtp_settings(port), now=now).sent == 0
        assert inbox.received == []
        # ...and sent once it comes
        later = now + notices.RETRY_FIRST + dt.timedelta(seconds=1)
        assert notices.send_due(store, SETUP, smtp_settings(port), now=later).sent == 2
        assert notices.send_due(store, SETUP, smtp_settings(port), now=later + dt.timedelta(days=1)).sent == 0
    assert sorted(m["To"] for m in inbox.received) == ["c@example.org", "fp@example.org"]
    first = waiting[0]
    assert [outcome for _, outcome, _ in notices.attempts(store, SETUP, first.id)] == ["retry", "sent"]


def test_an_address_the_server_refuses_for_good_is_marked_failed_not_retried(submitted, store, port):
    returned(store, submitted)
    with MailServer(port, refuse=frozenset({"c@example.org"})) as inbox:
        delivery = notices.send_due(store, SETUP, smtp_settings(port))
        assert (delivery.sent, delivery.failed, delivery.waiting) == (1, 1, 0)
        assert notices.send_due(store, SETUP, smtp_settings(port), now=dt.datetime.now() + dt.timedelta(days=1)).sent == 0
    assert [m["To"] for m in inbox.received] == ["fp@example.org"]
    failed = notices.outbox(store, SETUP, "failed")
    assert [n.email for n in failed] == ["c@example.org"] and "550" in failed[0].last_error


def test_backoff_doubles_and_is_capped():
    assert [notices._backoff(n) for n in (1, 2, 3)] == [dt.timedelta(minutes=m) for m in (1, 2, 4)]
    assert notices._backoff(40) == notices.RETRY_MAX


def test_reminders_follow_the_one_definition_of_late(submitted, store):
    a = submitted  # KEN submitted, FRA draft, CHN not started
    assert notices.queue_reminders(store, SETUP, dt.date(2030, 1, 1)).total == 0  # 30 days to go: too early
    counts = notices.queue_reminders(store, SETUP, dt.date(2030, 1, 30))
    assert counts.deadline == 1  # FRA's focal point; KEN submitted; CHN has no user
    assert {n.email for n in outbox(store)} == {"fra@example.org"}
    late = notices.queue_reminders(store, SETUP, dt.date(2030, 2, 1))
    assert (late.deadline, late.late) == (0, 1)
    assert rules.is_late("draft", dt.date(2030, 1, 31), dt.date(2030, 2, 1))
    assert "was due" in outbox(store)[0].subject
    assert notices.queue_reminders(store, SETUP, dt.date(2030, 3, 1)).total == 0  # a cycle long closed: silent
    with pytest.raises(PermissionDenied):
        notices.queue_reminders(store, a["focal"], TODAY)


def test_a_peer_review_stage_is_told_to_the_reviews_experts_and_whoever_acts_at_it(tiny_cycle, store, port):
    _, a = tiny_cycle
    with store.transaction() as cur:
        cur.execute("INSERT INTO peer_review VALUES ('tiny-1/KEN', 'tiny-1', 'KEN', 'd1', 0, 'submitted', NULL, now())")
        cur.execute("INSERT INTO peer_review_reviewer VALUES ('tiny-1/KEN', 'FRA', false), ('tiny-1/KEN', 'CHN', false)")
        cur.execute("INSERT INTO peer_review_stage VALUES ('tiny-1/KEN', 'submitted', DATE '2030-02-01', now(), 'x'), "
                    "('tiny-1/KEN', 'desk_review', DATE '2030-02-25', NULL, NULL), "  # late: 3 days ago
                    "('tiny-1/KEN', 'dialogue', DATE '2030-03-01', NULL, NULL), "  # the secretariat's, tomorrow
                    "('tiny-1/KEN', 'draft_report', DATE '2030-03-05', NULL, NULL), "  # the reviewers', in 5 days
                    "('tiny-1/KEN', 'agreed', DATE '2030-03-07', NULL, NULL)")  # the reviewed Party's, in 7 days
    expert = users.create_user(store, SETUP, email="expert@example.org", name="E", role=Role.REVIEWER, party="FRA")
    gone = users.create_user(store, SETUP, email="gone@example.org", name="G", role=Role.REVIEWER, party="CHN")
    users.create_user(store, SETUP, email="idle@example.org", name="I", role=Role.REVIEWER, party="FRA")  # not on this review
    with store.transaction() as cur:
        cur.execute("INSERT INTO peer_review_expert VALUES ('tiny-1/KEN', ?, 'FRA', now(), 'x', NULL, NULL), "
                    "('tiny-1/KEN', ?, 'CHN', now(), 'x', now(), 'x')", [expert.id, gone.id])
    def reach(stage):  # the review completes the stages up to `stage`
        with store.transaction() as cur:
            cur.execute("UPDATE peer_review SET stage = ? WHERE id = 'tiny-1/KEN'", [stage])
            cur.execute("UPDATE peer_review_stage SET done_at = now(), done_by = 'x' WHERE review_id = 'tiny-1/KEN' "
                        "AND done_at IS NULL AND planned <= (SELECT planned FROM peer_review_stage "
                        "WHERE review_id = 'tiny-1/KEN' AND stage = ?)", [stage])

    day = dt.date(2030, 2, 28)
    # only the stage under way is told: the desk review, late; not the dialogue due tomorrow, the draft
    # report or the agreement, which nobody can complete before it (they were all told at once)
    assert notices.queue_reminders(store, SETUP, day).stage_due == 1
    assert notices.queue_reminders(store, SETUP, day).stage_due == 0  # once per stage and step
    reach("desk_review")
    assert notices.queue_reminders(store, SETUP, day).stage_due == 2  # the dialogue, tomorrow
    reach("draft_report")
    assert notices.queue_reminders(store, SETUP, day).stage_due == 2  # the agreement, in 7 days
    told = Counter(n.email for n in outbox(store) if n.kind == "stage_due")
    # the expert of every stage; the secretariat of its own; KEN's focal point of the agreement; never
    # KEN's contributor or observer, France's focal point, the expert removed or one of another review
    assert told == {"expert@example.org": 3, "sec@example.org": 1, "fp@example.org": 1}
    with MailServer(port) as inbox:
        assert notices.send_due(store, SETUP, smtp_settings(port)).sent == 5
    subjects = {(m["To"], str(m["Subject"]).strip()) for m in inbox.received}
    assert ("sec@example.org", "Peer review of Kenya (Tiny cycle): Constructive dialogue due on March 1, 2030") in subjects
    assert ("fp@example.org", "Peer review of Kenya (Tiny cycle): Report agreed due on March 7, 2030") in subjects
    assert ("expert@example.org", "Late: peer review of Kenya (Tiny cycle): Desk review was planned for February 25, 2030") \
        in subjects
    late = next(m for m in inbox.received if str(m["Subject"]).strip().startswith("Late"))
    assert "3 day(s) ago" in late.get_content()
    assert notices.queue_reminders(store, SETUP, dt.date(2030, 3, 6)).stage_due == 2  # the agreement, tomorrow
    # a week after its date a late stage is no longer told (the dashboard keeps showing it late)
    assert notices.queue_reminders(store, SETUP, dt.date(2030, 3, 15)).stage_due == 0


def test_a_match_accepted_is_told_to_the_providers_users(demo_store):
    from review.matching.matches import act
    from review.matching.report import match_report

    line = next(ln for ln in match_report(demo_store, SETUP, "review-2026").lines if ln["state"] == "suggested")
    focal = users.find_by_email(demo_store, f"{line['party'].lower()}.focal@demo.example.org").actor
    before = {n.id for n in outbox(demo_store)}
    act(demo_store, focal, line["need_key"], line["offer_id"], "accept")
    new = [n for n in outbox(demo_store) if n.id not in before]
    assert new and {n.kind for n in new} == {"match_accepted"}
    roles = {users.find_by_email(demo_store, n.email).role for n in new}
    assert Role.SECRETARIAT in roles and line["offer_id"] in new[0].subject


def test_smtp_settings_come_from_the_environment_and_a_bad_one_is_named(tmp_path):
    assert notices.smtp_from_env({}) is None
    secret = tmp_path / "smtp-password"
    secret.write_text("s3cret\n")
    smtp = notices.smtp_from_env({"REVIEW_SMTP_HOST": "mail.example.org", "REVIEW_SMTP_FROM": "r@example.org",
                                  "REVIEW_SMTP_USER": "review", "REVIEW_SMTP_PASSWORD_FILE": str(secret)})
    assert (smtp.port, smtp.tls, smtp.user, smtp.password) == (587, "starttls", "review", "s3cret")
    assert "s3cret" not in repr(smtp)
    assert notices.smtp_from_env({"REVIEW_SMTP_HOST": "m", "REVIEW_SMTP_FROM": "r@x", "REVIEW_SMTP_TLS": "ssl"}).port == 465
    for env, name in [({"REVIEW_SMTP_PORT": "70000"}, "REVIEW_SMTP_PORT"), ({"REVIEW_SMTP_TLS": "maybe"}, "REVIEW_SMTP_TLS"),
                      ({"REVIEW_SMTP_FROM": "nobody"}, "REVIEW_SMTP_FROM"),
                      ({"REVIEW_SMTP_PASSWORD_FILE": str(tmp_path / "absent")}, "REVIEW_SMTP_PASSWORD_FILE")]:
        with pytest.raises(ReviewError) as refused:
            notices.smtp_from_env({"REVIEW_SMTP_HOST": "m", "REVIEW_SMTP_FROM": "r@x", **env})
        assert name in refused.value.message("en")


def test_a_deactivated_account_is_told_nothing(submitted, store):
    a = submitted
    users.set_active(store, SETUP, a["contributor"].id, False)
    returned(store, a)
    assert {n.email for n in outbox(store)} == {"fp@example.org"}


def test_the_background_sender_reminds_and_delivers(tiny_cycle, store, port):
    with MailServer(port) as inbox:
        sender = notices.Sender(store, SETUP, smtp_settings(port), every=3600, today=lambda: TODAY)
        sender.tick()
        sender.tick()  # the day's reminders once
    assert len(inbox.received) == 3


def test_reminder_step_is_the_smallest_threshold_reached():
    deadline = dt.date(2030, 1, 31)
    assert rules.reminder_step(deadline, dt.date(2030, 1, 16)) is None
    assert rules.reminder_step(deadline, dt.date(2030, 1, 17)) == 14
    assert rules.reminder_step(deadline, dt.date(2030, 1, 24)) == 7
    assert rules.reminder_step(deadline, deadline) == 1  # the deadline day itself is still on time
    assert rules.reminder_step(deadline, dt.date(2030, 2, 1)) is None
    assert rules.deadline_reminder("submitted", deadline, dt.date(2030, 1, 30)) is None
    assert rules.deadline_reminder("draft", deadline, dt.date(2030, 1, 30)) == 1


def test_matches_newly_suggested_are_told_to_each_party_once(demo_store):
    from review.matching.report import match_report

    suggested = [ln for ln in match_report(demo_store, SETUP, "review-2026").lines if ln["state"] == "suggested"]
    parties = {ln["party"] for ln in suggested}
    queued = notices.queue_suggestions(demo_store, SETUP, "review-2026")
    told = [n for n in outbox(demo_store) if n.kind == "match_suggested"]
    assert queued == len(told) > 0
    assert {n.about.removeprefix("party/") for n in told} <= parties
    kenya_like = told[0]
    party = kenya_like.about.removeprefix("party/")
    mine = [ln for ln in suggested if ln["party"] == party]
    assert all(ln["offer_id"] in kenya_like.body for ln in mine) and f"{len(mine)} technical" in kenya_like.subject
    assert notices.queue_suggestions(demo_store, SETUP, "review-2026") == 0  # each pair told once
