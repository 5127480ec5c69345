"""Pure view models, no I/O and no HTML: letters and their address slips (``letters``,
``addresses``), label sheets (``label_sheets``), the calibration page (``calibration``) and
envelopes (``envelopes``), built from the shared page model (``sheets``) and text fitting
(``fit``)."""
