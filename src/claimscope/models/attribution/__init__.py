"""The attribution tagger: ONNX network, labels and MODEL_CARD.md (data files only)."""
