"""The jobs, one function each, with their options as one frozen dataclass: ``letter``,
``stationery`` (labels, envelopes, the calibration page), ``batch`` and ``doctor``. The command
line calls these, and so can any program (see ``appealgen/__init__``)."""
