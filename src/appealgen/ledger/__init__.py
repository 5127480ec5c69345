"""The action ledger: what appealgen produced (case, official, channel, language, count, day,
station), never who asked for it. An SQLite file (``store``), read back as counts and the
report-back text an Urgent Action asks for (``tally``)."""
