"""Findings written from the data: ``trends`` (the campaign's development-trend findings),
``practices`` (the findings on reforms and nominated practices).
"""
