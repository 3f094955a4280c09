"""Expert panels: ``vocabulary`` (roles, organisation kinds, fields), ``roster`` (the roster
files), ``optimiser`` (panel assignment with OR-Tools CP-SAT), ``scoring`` (aggregation of the
experts' scores).
"""
