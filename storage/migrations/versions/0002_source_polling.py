"""source polling: schedule and health per source, page retries, history, feed-health alerts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Server defaults fill the rows that exist already.
    with op.batch_alter_table("source_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feed_url", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("ttl_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("outage_alerted", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(sa.Column("page_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("page_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("history", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(batch_op.f("ix_article_page_due_at"), ["page_due_at"], unique=False)

    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="channel")
        )
        batch_op.add_column(sa.Column("source_id", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("detail", sa.String(length=1000), nullable=True))
        batch_op.alter_column("transition_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM alert WHERE transition_id IS NULL")  # feed-health alerts
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.alter_column("transition_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("detail")
        batch_op.drop_column("source_id")
        batch_op.drop_column("kind")

    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_page_due_at"))
        batch_op.drop_column("history")
        batch_op.drop_column("page_attempts")
        batch_op.drop_column("page_due_at")

    with op.batch_alter_table("source_state", schema=None) as batch_op:
        batch_op.drop_column("outage_alerted")
        batch_op.drop_column("failing_since")
        batch_op.drop_column("next_poll_at")
        batch_op.drop_column("ttl_minutes")
        batch_op.drop_column("feed_url")
