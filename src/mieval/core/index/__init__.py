"""Composite indices, COINr-style: framework, data steps, weights, aggregation, uncertainty.

Plain pandas/numpy, no Django. The public functions take and return long frames
``unit, code, value`` (plus ``year`` for panel data); see each module's docstring.

- :mod:`.framework`: the framework TOML (hierarchy and pipeline), ``framework_read``.
- :mod:`.steps`: ``denominate``, ``screen``, ``impute``, ``treat``, ``normalise``.
- :mod:`.weights`: ``equal_weights``, ``ahp_weights``, ``entropy_weights``, ``critic_weights``,
  ``pca_weights``.
- :mod:`.aggregate`: ``generalised_mean``, ``aggregate``, ``rank_scores``, ``topsis``.
- :mod:`.build`: ``index_build`` runs a framework and returns every stage and the scores.
- :mod:`.results`: ``group_ranks``, ``strengths_weaknesses``, ``rank_changes``.
- :mod:`.uncertainty`: ``monte_carlo``, ``index_sensitivity``, ``sobol_indices``.
- :mod:`.io`: the units and values readers of ``mieval index``.
"""

from mieval.core.index.build import IndexBuild, index_build
from mieval.core.index.framework import IndexDefinition, framework_parse, framework_read

__all__ = ["IndexBuild", "IndexDefinition", "framework_parse", "framework_read", "index_build"]
