"""The sentence encoder: int8 ONNX network, tokenizer and MODEL_CARD.md (data files only)."""
