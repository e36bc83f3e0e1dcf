"""The UAV-incident classifier: pure functions from a post's text to a `Classification`.

Nothing here does I/O or imports storage, sources, alerts or the service.
"""

from bot.classify.classifier import CLASSIFIER_VERSION, classify

__all__ = ["CLASSIFIER_VERSION", "classify"]
