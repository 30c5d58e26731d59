"""Detection details: the cues behind each event, the tracked issues of each article.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cues", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issues", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_column("issues")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("cues")
