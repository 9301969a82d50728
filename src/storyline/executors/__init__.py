"""Where the stages run: ``local`` (this process, optionally spaCy workers)."""
