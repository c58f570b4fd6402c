"""The check-worthiness model: weights, tokenizer and MODEL_CARD.md (data files only)."""
