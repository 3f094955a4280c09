"""Text matching: ``exchange`` (needs and offers of the exchange, TF-IDF and rules), ``practices``
(similar practices, on the same TF-IDF).
"""
