"""Awareness training: programmes, workshops, trainers, participants, certificates."""
