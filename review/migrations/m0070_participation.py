"""Which States are Parties to an instrument, and since when: signature, the instrument of consent
(ratification, acceptance, approval, accession) and the date it entered into force for the State."""

ID = "0070_participation"


def apply(cur) -> None:
    cur.execute(
        """CREATE TABLE participation (
            instrument VARCHAR NOT NULL, party VARCHAR NOT NULL, signature_date DATE, consent_date DATE,
            consent_kind VARCHAR, in_force_date DATE, recorded_at TIMESTAMP NOT NULL, recorded_by VARCHAR NOT NULL,
            PRIMARY KEY (instrument, party))"""
    )
