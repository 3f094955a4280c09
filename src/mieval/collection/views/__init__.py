"""Pages of data collection: ``entry`` (a base officer enters, uploads and submits the base's
data) and ``review`` (the office checks, queries, approves; evidence, audit, rules)."""
