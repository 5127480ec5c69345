"""Files: atomic writes and safe names (``files``), and joining PDFs by streaming (``pdfjoin``)."""
