"""Alert lifecycle: evidence and confirmation per transition, corrections, a keyed outbox
with retries and quiet hours, and the delivery log.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("transition", schema=None) as batch_op:
        batch_op.add_column(sa.Column("from_since", sa.String(length=10), nullable=True))
        batch_op.add_column(
            sa.Column("status", sa.String(length=20), nullable=False, server_default="confirmed")
        )
        batch_op.add_column(sa.Column("confidence", sa.Float(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("publishers", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(
            sa.Column("unstable", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transition_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=100), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"]),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"]),
        sa.ForeignKeyConstraint(["transition_id"], ["transition.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("transition_id", "event_id"),
    )
    op.create_index("ix_evidence_transition_id", "evidence", ["transition_id"], unique=False)
    # Every existing transition is backed by the report that made it.
    op.execute(
        "INSERT INTO evidence (transition_id, event_id, article_id, source_id, confidence, added_at)"
        " SELECT t.id, t.event_id, t.article_id, a.source_id, e.confidence, t.created_at"
        " FROM transition t JOIN event e ON e.id = t.event_id JOIN article a ON a.id = t.article_id"
    )
    op.execute(
        "UPDATE transition SET confidence = (SELECT confidence FROM event WHERE event.id = transition.event_id)"
    )

    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transition_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("before", sa.String(length=100), nullable=True),
        sa.Column("after", sa.String(length=100), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["transition_id"], ["transition.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_correction_transition_id", "correction", ["transition_id"], unique=False)

    # The outbox is rebuilt rather than altered: its old (transition, route) uniqueness has
    # no name on SQLite to drop, and a key per thing told replaces it.
    op.drop_index("ix_alert_status", table_name="alert")
    op.drop_index("ix_alert_transition_id", table_name="alert")
    op.rename_table("alert", "alert_0003")
    if op.get_bind().dialect.name == "postgresql":  # index and sequence names are schema-wide
        op.execute("ALTER INDEX alert_pkey RENAME TO alert_0003_pkey")
        op.execute("ALTER SEQUENCE alert_id_seq RENAME TO alert_0003_id_seq")
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("transition_id", sa.Integer(), nullable=True),
        sa.Column("correction_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.String(length=100), nullable=True),
        sa.Column("detail", sa.String(length=1000), nullable=True),
        sa.Column("route", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["correction_id"], ["correction.id"]),
        sa.ForeignKeyConstraint(["transition_id"], ["transition.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_alert_key", "alert", ["key"], unique=True)
    op.create_index("ix_alert_status", "alert", ["status"], unique=False)
    op.create_index("ix_alert_transition_id", "alert", ["transition_id"], unique=False)
    # Keys as the outbox writes them: channel:<transition>::<route> (no correction),
    # and a health alert's own id where its outage start is not known.
    op.execute(
        "INSERT INTO alert (id, key, kind, transition_id, source_id, detail, route, status,"
        " attempts, held, last_error, created_at, sent_at)"
        " SELECT id, CASE WHEN transition_id IS NOT NULL"
        " THEN kind || ':' || CAST(transition_id AS VARCHAR) || '::' || route"
        " ELSE kind || ':' || source_id || ':' || CAST(id AS VARCHAR) || ':' || route END,"
        " kind, transition_id, source_id, detail, route, status, attempts, false, last_error,"
        " created_at, sent_at FROM alert_0003"
    )
    op.drop_table("alert_0003")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('alert', 'id'),"
            " COALESCE((SELECT MAX(id) FROM alert), 0) + 1, false)"
        )

    op.create_table(
        "delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("transition_id", sa.Integer(), nullable=True),
        sa.Column("route", sa.String(length=100), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=1000), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alert.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_delivery_alert_id", "delivery", ["alert_id"], unique=False)
    op.create_index("ix_delivery_transition_id", "delivery", ["transition_id"], unique=False)


def downgrade() -> None:
    op.drop_table("delivery")
    op.execute("DELETE FROM alert WHERE kind NOT IN ('channel', 'feed_failing', 'feed_recovered')")
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index("ix_alert_key")
        batch_op.drop_column("key")
        batch_op.drop_column("correction_id")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("held")
        batch_op.create_unique_constraint("uq_alert_transition_route", ["transition_id", "route"])
    op.drop_table("correction")
    op.drop_table("evidence")
    with op.batch_alter_table("transition", schema=None) as batch_op:
        for column in ("unstable", "publishers", "confidence", "status", "from_since"):
            batch_op.drop_column(column)
