"""Training and evaluation of the shipped model (needs scikit-learn; inference does not)."""
