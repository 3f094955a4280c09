"""Checks of submitted data: ``rules`` (the rule expressions and the rules file), ``outliers``
(history and peer outliers), ``run`` (runs rules and outliers over a data set), ``render`` (the
findings as text).
"""
