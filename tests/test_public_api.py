"""The public surface stays small and importing it stays cheap."""

import subprocess
import sys

import claimscope


def test_public_names_are_exactly_these():
    assert sorted(claimscope.__all__) == sorted([
        "Claim", "ClaimscopeError", "Document", "Extraction", "ModelError", "ReadError",
        "ReadFailure", "RulesError", "Span", "Speaker", "StoreError", "__version__",
    ])
    for name in claimscope.__all__:
        assert hasattr(claimscope, name)


def test_importing_claimscope_loads_no_model_or_database_driver():
    code = "import sys, claimscope; print(any(m in sys.modules for m in ('spacy', 'sqlalchemy')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
