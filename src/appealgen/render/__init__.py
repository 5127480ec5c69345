"""HTML and PDF bytes: Jinja2 templates (``html``), the locked-down WeasyPrint engine
(``engine``) and the engine process started early by the command line (``prewarm``).

Importing this package loads nothing heavy: the prewarmed process imports ``engine`` alone.
"""
