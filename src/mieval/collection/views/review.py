"""Review pages for the evaluation office: submissions, queries, evidence, audit, rules."""

urlpatterns: list = []
