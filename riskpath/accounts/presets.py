"""Area presets from the partnerships in the source documents: each area's bank-holiday
calendar and the agencies named in its meetings' membership lists. Agencies only: the
documents' named representatives are never copied into riskpath."""

from __future__ import annotations

from dataclasses import dataclass

from riskpath.accounts.enums import AgencyKind as K


@dataclass(frozen=True)
class AreaPreset:
    key: str
    name: str
    calendar: str
    agencies: tuple[tuple[str, str], ...]
    # Agencies that are first responders under the National Referral Mechanism (police,
    # local authorities, some charities): only they may make an NRM referral.
    first_responders: frozenset[str] = frozenset()


PRESETS: dict[str, AreaPreset] = {
    p.key: p
    for p in [
        AreaPreset(
            key="south-gloucestershire",
            name="South Gloucestershire",
            calendar="england-and-wales",
            agencies=(
                ("Violence Reduction Unit", K.LOCAL_AUTHORITY),
                ("Youth Justice Service", K.YOUTH_JUSTICE),
                ("Education Safeguarding", K.EDUCATION),
                ("Children's Social Care", K.SOCIAL_CARE),
                ("Exploitation Team", K.SOCIAL_CARE),
                ("Avon and Somerset Police - Violence Reduction", K.POLICE),
                ("Police Missing Persons Co-ordinator", K.POLICE),
                ("ASB Police Team", K.POLICE),
                ("Young People's Drug and Alcohol Service", K.HEALTH),
                ("Barnardo's BASE", K.VOLUNTARY),
                ("Young People's Support Service", K.LOCAL_AUTHORITY),
                ("MASH Health", K.HEALTH),
                ("St Giles Trust", K.VOLUNTARY),
                ("Breakthrough Mentoring", K.VOLUNTARY),
            ),
            first_responders=frozenset(
                {
                    "Children's Social Care",
                    "Exploitation Team",
                    "Avon and Somerset Police - Violence Reduction",
                    "Police Missing Persons Co-ordinator",
                    "ASB Police Team",
                    "Barnardo's BASE",
                }
            ),
        ),
        AreaPreset(
            key="north-east-lincolnshire",
            name="North East Lincolnshire",
            calendar="england-and-wales",
            agencies=(
                ("Children's Social Care (CASS)", K.SOCIAL_CARE),
                ("Business Support", K.LOCAL_AUTHORITY),
                ("Youth Offending Service", K.YOUTH_JUSTICE),
                ("Prevention and Early Help", K.LOCAL_AUTHORITY),
                ("Young Minds Matter", K.HEALTH),
                ("Police Vulnerable Persons Unit", K.POLICE),
                ("Health Safeguarding Children", K.HEALTH),
                ("Alternative Education", K.EDUCATION),
                ("Access and Inclusion, Education Services", K.EDUCATION),
                ("SEN Service", K.EDUCATION),
            ),
            first_responders=frozenset(
                {"Children's Social Care (CASS)", "Police Vulnerable Persons Unit"}
            ),
        ),
        AreaPreset(
            key="isle-of-man",
            name="Isle of Man",
            calendar="isle-of-man",
            agencies=(
                ("Children Social Care", K.SOCIAL_CARE),
                ("Isle of Man Constabulary", K.POLICE),
                ("Schools", K.EDUCATION),
                ("Manx Care", K.HEALTH),
                ("CAMHS", K.HEALTH),
                ("Probation", K.YOUTH_JUSTICE),
                ("Youth Justice", K.YOUTH_JUSTICE),
                ("Early Help", K.LOCAL_AUTHORITY),
            ),
            first_responders=frozenset({"Children Social Care", "Isle of Man Constabulary"}),
        ),
    ]
}
