"""What both sides of an accepted contact say became of it.

Each side of a contact request (the party that asked, the party asked) reports one state:
``agreed`` (a cooperation was agreed), ``under_way``, ``done`` or ``dropped``. The combined
outcome reads the two reports together; a cooperation is *realised* only where both sides say
so, so that one side's word alone never enters the network figures:

==========================================  ==================================================
reports                                     combined
==========================================  ==================================================
none                                        ``pending``
one side only                               ``one_side`` (waiting for the other's report)
both agreed / under way / done              ``realised``; its stage is the earlier of the two
                                            (agreed < under way < done): what both confirm
both dropped                                ``dropped``
one dropped, the other agreed/under way/done ``disputed`` (the pages show both reports)
==========================================  ==================================================
"""

STATES = ("agreed", "under_way", "done", "dropped")
#: The states that say a cooperation exists, in the order of its stages.
STAGES = ("agreed", "under_way", "done")
COMBINED = ("pending", "one_side", "realised", "dropped", "disputed")


def outcome_combined(requesting: str | None, responding: str | None) -> tuple[str, str | None]:
    """The combined outcome and, for a realised cooperation, its stage.

    Parameters
    ----------
    requesting, responding : str or None
        Each side's reported state (:data:`STATES`), None where the side has not reported.

    Returns
    -------
    (combined, stage) : tuple
        ``combined`` one of :data:`COMBINED` (see the module docstring); ``stage`` the
        earlier of the two stages where realised, else None.

    Examples
    --------
    >>> outcome_combined("done", "under_way")
    ('realised', 'under_way')
    >>> outcome_combined("done", "dropped")
    ('disputed', None)
    """
    for state in (requesting, responding):
        if state is not None and state not in STATES:
            raise ValueError(f"state: {state!r} is not allowed; use one of {list(STATES)}")
    reported = [s for s in (requesting, responding) if s is not None]
    if not reported:
        return "pending", None
    if len(reported) == 1:
        return "one_side", None
    dropped = [s == "dropped" for s in reported]
    if all(dropped):
        return "dropped", None
    if any(dropped):
        return "disputed", None
    return "realised", min(reported, key=STAGES.index)
