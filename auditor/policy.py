"""The clauses of section 2 ("School-sanctioned use") of Islwyn High School's Social Media Policy.

Each clause keeps the policy's own words, so a report can quote what the school agreed to, and says how it is audited.
The map from clause to checks is derived from the checks' own metadata (`auditor.checks`); a clause that no check
audits automatically must say so with `manual_only`, and a test holds the two together.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Clause:
    id: str
    summary: str
    text: str
    # Audited by a person, not by a check: the reports carry it as a checklist item instead of a result.
    manual_only: bool = False
    # No automatic check in this version yet: reports list the clause for a person to check, never as passed.
    planned: bool = False


CLAUSES: dict[str, Clause] = {
    c.id: c
    for c in (
        Clause(
            "SMP-2.1",
            "A dedicated educational account whose username includes IHS, linked to a school email address",
            "Staff should set up a distinct and dedicated social media site or account for educational purposes. This "
            "should be entirely separate from any personal social media accounts held by that member of staff, and "
            "ideally should be linked to an official school email account. We would request that the username on an "
            "account includes IHS, for example @HistoryIHS, so that pages are easily identified.",
        ),
        Clause(
            "SMP-2.2",
            "The account is notified to the Head of Department or SLT, and its login shared with the monitoring lead",
            "The URL and identity of the site should be notified to the appropriate Head of Department or member of "
            "the SLT before access is permitted for students. The username and password should also be shared with "
            "Heather Davies for safety and monitoring purposes.",
        ),
        Clause(
            "SMP-2.3",
            "Content is solely professional and reflects well on the school",
            "The content of any school-sanctioned social media site should be solely professional and should reflect "
            "well on the school.",
        ),
        Clause(
            "SMP-2.4",
            "No photos of children without written consent, no children named in photos, no personal information",
            "Staff must not publish photographs of children without the written consent of parents/ carers, identify "
            "by name any children featured in photographs, or allow personally identifying information to be "
            "published on school social media accounts. You may include the full name of the child with consent which "
            "is obtained from parents in the admissions paperwork.",
        ),
        Clause(
            "SMP-2.5",
            "Links to external sites are appropriate and safe",
            "Care must be taken that any links to external sites from the account are appropriate and safe.",
        ),
        Clause(
            "SMP-2.6",
            "Inappropriate comments and abuse are removed immediately and reported to SLT",
            "Any inappropriate comments on or abuse of school-sanctioned social media should immediately be removed "
            "and reported to a member of SLT.",
        ),
        Clause(
            "SMP-2.7",
            "No private direct messaging of pupils",
            "Staff should not engage with any direct messaging of pupils through social media where the message is "
            "not public.",
        ),
        Clause(
            "SMP-2.8",
            "The About or Info page links to the ICT Acceptable Use Policy on the school website",
            "All social media accounts created for educational purposes should include a link in the About or Info "
            "page to the ICT Acceptable Use Policy on the school website. This will indicate that the account is "
            "officially sanctioned by Islwyn High School.",
        ),
        Clause(
            "SMP-2.9",
            "Posts shared via the website, Facebook and Twitter are professional and open to SLT scrutiny",
            "All posts that you wish to share via the school website, Facebook and Twitter will need to be "
            "professional in nature and will be subject to scrutiny by SLT at any time.",
            # The school-wide report is how SLT exercise that scrutiny; it carries this clause as a checklist item.
            manual_only=True,
        ),
    )
}

OUT_OF_SCOPE_NOTE = (
    "Section 1 of the policy (staff's personal social media) is out of scope: this audit covers only the school "
    "accounts registered in its configuration."
)
