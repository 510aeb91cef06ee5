# Harm-text classifier (aman/classifier): reproduce the shipped model, evaluate it, benchmark it.
# `make train` needs the shared corpora beside the repository (override CLASSIFIER_DATA).
CLASSIFIER_DATA ?= ../shared/data/arabic-harm

.PHONY: train eval cv-classifier bench-classifier test-classifier

train: install
	$(PY) -m aman.classifier train --data-dir $(CLASSIFIER_DATA)

eval: install
	$(PY) -m aman.classifier eval --data-dir $(CLASSIFIER_DATA)

cv-classifier: install
	$(PY) -m aman.classifier crossval --data-dir $(CLASSIFIER_DATA)

bench-classifier: install
	$(PY) bench/classifier_bench.py

test-classifier: install
	$(PY) -m pytest aman/classifier/tests
