"""The panel leader (组长) the system proposes to the evaluation office.

Plain Python on pandas, no Django. The rule (the office decides; this is only the proposal):

1. professional members first: a member holding the role ``professional`` (an expert may hold
   both roles) before any member who is only operational; a panel without a professional member
   gets its most senior member of any role;
2. then the most senior: ``seniority`` is the expert's experience in evaluation, counted as the
   seats (expert-times, 专家人次) the expert held in published panels of *other* campaigns
   (the roster file carries no years of service, so the platform's own record is the measure);
3. ties by the expert's code, ascending, so that the proposal never depends on the order rows
   come in.
"""

import pandas as pd

from mieval.core.panels.vocabulary import ExpertRole

#: The columns :func:`leader_propose` reads.
MEMBER_COLUMNS = ("expert", "roles", "seniority")


def leader_propose(members: pd.DataFrame) -> str | None:
    """The code of the member to propose as the panel's leader, None for a panel without members.

    Parameters
    ----------
    members : DataFrame
        One row per member: ``expert`` (code), ``roles`` (an iterable of role codes) and
        ``seniority`` (a whole number of seats held before, 0 or more). Not modified.

    Raises
    ------
    ValueError
        A column is missing, or a seniority is negative or missing.
    """
    missing = [c for c in MEMBER_COLUMNS if c not in members.columns]
    if missing:
        raise ValueError(f"members lacks the column(s) {', '.join(missing)}")
    if members.empty:
        return None
    seniority = pd.to_numeric(members["seniority"], errors="coerce")
    bad = members.loc[seniority.isna() | (seniority < 0), "expert"].tolist()
    if bad:
        raise ValueError(
            f"seniority must be a whole number of 0 or more; not for {', '.join(map(str, bad))}"
        )
    ranked = pd.DataFrame(
        {
            "expert": members["expert"].astype(str),
            "not_professional": [
                ExpertRole.PROFESSIONAL not in set(roles or ()) for roles in members["roles"]
            ],
            "seniority": seniority,
        }
    ).sort_values(
        ["not_professional", "seniority", "expert"], ascending=[True, False, True], kind="stable"
    )
    return str(ranked["expert"].iloc[0])
