"""``vigil demo``: two weeks of a sample accounting firm, replayed in seconds."""
