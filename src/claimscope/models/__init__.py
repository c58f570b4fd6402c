"""Trained models shipped with claimscope, each with its MODEL_CARD.md."""
