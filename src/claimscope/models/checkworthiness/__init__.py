"""The check-worthiness model: weights and MODEL_CARD.md (data files only)."""
