"""The stages of the pipeline; each module does one job (see ``storyline.pipeline``)."""
