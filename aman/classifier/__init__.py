"""Arabic harm-text classifier: post scores and helpline triage suggestions. No Django import.

The stable interface other apps call::

    from aman.classifier import load_default

    clf = load_default()                       # the shipped model, loaded once per process
    post = clf.classify_post("...")            # PostResult: scores, labels, harmful, hate_type
    report = clf.triage_report("...")          # TriageResult: category, urgency, flags, reason

Its output is a suggestion that a person confirms; it never decides alone. See docs/classifier.md.
"""

from aman.classifier.model import (
    HATE_TYPES,
    POST_LABELS,
    Classifier,
    ModelError,
    PostResult,
    TriageResult,
    load_default,
)
from aman.classifier.normalize import detect_language, prepare
from aman.classifier.triage import CATEGORIES, FLAGS, URGENCIES

__all__ = [
    "CATEGORIES",
    "FLAGS",
    "HATE_TYPES",
    "POST_LABELS",
    "URGENCIES",
    "Classifier",
    "ModelError",
    "PostResult",
    "TriageResult",
    "detect_language",
    "load_default",
    "prepare",
]
