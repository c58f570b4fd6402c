"""Spans as objects: fragments of discontinuous spans, reviewed attributions from brat.

Existing claims get their content fragments where they can be derived: a content that
encloses its own cue (and speaker), "Control over the town, the ministry argues, allows …",
is the two pieces around them, trimmed of spaces and punctuation as the extractor trims them.

Revision ID: 0005
Revises: 0004
Landed: never edit this file once committed; change the schema in a new revision.
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_OPENING_QUOTES, _CLOSING_QUOTES = "\"“‘«", "\"”’»"


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    referred = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=f"fk_{table}_{column}_{referred}", ondelete=ondelete
    )


def _span() -> list:
    return [
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
    ]


def upgrade() -> None:
    span_fragments = op.create_table(
        "span_fragments",
        sa.Column("claim_id", sa.String(128), nullable=False),
        sa.Column("part", sa.String(10), nullable=False),
        sa.Column("part_position", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        *_span(),
        sa.PrimaryKeyConstraint(
            "claim_id", "part", "part_position", "position", name="pk_span_fragments"
        ),
        _fk("span_fragments", "claim_id", "claims.id"),
        sa.CheckConstraint(
            "part IN ('speaker', 'cue', 'content', 'relay', 'hedge', 'place')",
            name=op.f("ck_span_fragments_part"),
        ),
    )
    op.create_table(
        "annotation_imports",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("document_id", sa.String(16), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("ann_sha256", sa.String(64), nullable=False),
        sa.Column("imported_by", sa.Text, nullable=False),
        sa.Column("imported_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_annotation_imports"),
        _fk("annotation_imports", "document_id", "documents.id"),
    )
    op.create_index(
        "ix_annotation_imports_document_id", "annotation_imports", ["document_id"]
    )
    op.create_table(
        "reviewed_attributions",
        sa.Column("claim_id", sa.String(128), nullable=False),
        sa.Column("import_id", sa.Integer, nullable=False),
        sa.Column("document_id", sa.String(16), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("added", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("claim_id", name="pk_reviewed_attributions"),
        _fk("reviewed_attributions", "claim_id", "claims.id"),
        _fk("reviewed_attributions", "import_id", "annotation_imports.id"),
        _fk("reviewed_attributions", "document_id", "documents.id"),
    )
    op.create_index(
        "ix_reviewed_attributions_document_id", "reviewed_attributions", ["document_id"]
    )
    op.create_index(
        "ix_reviewed_attributions_import_id", "reviewed_attributions", ["import_id"]
    )
    op.create_table(
        "reviewed_spans",
        sa.Column("claim_id", sa.String(128), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        *_span(),
        sa.PrimaryKeyConstraint("claim_id", "role", "position", name="pk_reviewed_spans"),
        _fk("reviewed_spans", "claim_id", "reviewed_attributions.claim_id"),
        sa.CheckConstraint(
            "role IN ('speaker', 'cue', 'content')", name=op.f("ck_reviewed_spans_role")
        ),
    )
    _derive_content_fragments(span_fragments)


def _derive_content_fragments(span_fragments: sa.Table) -> None:
    """Content fragments of the claims already stored, around a cue inside their content."""
    claims = sa.table(
        "claims", *(sa.column(name) for name in (
            "id", "document_id", "content_start", "content_end", "cue_start", "cue_end",
            "speaker_start", "speaker_end",
        ))
    )
    documents = sa.table("documents", sa.column("id"), sa.column("text"))
    connection = op.get_bind()
    inside = sa.and_(claims.c.cue_start > claims.c.content_start,
                     claims.c.cue_end < claims.c.content_end)
    query = (
        sa.select(claims, documents.c.text)
        .join(documents, documents.c.id == claims.c.document_id)
        .where(inside)
    )
    rows = []
    for claim in connection.execute(query):
        gap = [claim.cue_start, claim.cue_end]
        if claim.speaker_start is not None and claim.content_start < claim.speaker_start \
                and claim.speaker_end < claim.content_end:
            gap = [min(gap[0], claim.speaker_start), max(gap[1], claim.speaker_end)]
        pieces = [_trimmed(claim.text, claim.content_start, gap[0]),
                  _trimmed(claim.text, gap[1], claim.content_end)]
        pieces = [(a, b) for a, b in pieces if b > a]
        if len(pieces) == 2:
            rows += [
                {"claim_id": claim.id, "part": "content", "part_position": 0, "position": n,
                 "text": claim.text[a:b], "start": a, "end": b}
                for n, (a, b) in enumerate(pieces)
            ]
    if rows:
        op.bulk_insert(span_fragments, rows)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    def loose(char: str, keep: str) -> bool:
        return char.isspace() or unicodedata.category(char).startswith("P") and char not in keep

    while start < end and loose(text[start], _OPENING_QUOTES):
        start += 1
    while end > start and loose(text[end - 1], _CLOSING_QUOTES):
        end -= 1
    return start, end


def downgrade() -> None:
    for table in ("reviewed_spans", "reviewed_attributions", "annotation_imports",
                  "span_fragments"):
        op.drop_table(table)
