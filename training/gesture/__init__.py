"""Synthetic labelled data and the small classifier for hand gestures (src/core/gesture)."""
