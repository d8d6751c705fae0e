"""Peer review (issue 15): the constructive dialogue of a review, a country visit or a joint
meeting, with its dates, participants and notes (one per review, changed in place and audited)."""

ID = "0075_peer_dialogue"


def apply(cur) -> None:
    cur.execute(
        """CREATE TABLE peer_dialogue (
            review_id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, starts DATE NOT NULL, ends DATE NOT NULL,
            place VARCHAR NOT NULL, participants VARCHAR NOT NULL, notes VARCHAR NOT NULL,
            recorded_at TIMESTAMP NOT NULL, recorded_by VARCHAR NOT NULL)"""
    )
