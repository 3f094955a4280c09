"""Development trends: ``table`` computes the trend table (per base, indicator and statistic, over
the years of a campaign); ``render`` lays it out as text and CSV.
"""
