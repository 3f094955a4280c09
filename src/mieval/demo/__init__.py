"""Demo data generators (``mieval sample`` and the ``load_*`` demo commands): ``campaign`` (bases
and values), ``exchange`` (needs and offers), ``panels`` (the expert roster), ``practices``
(reforms and practices). The demo may import the core; the core never imports the demo.
"""
