"""revision metadata: status, themes and tags stored per revision

Until now a pilot's status, themes and tags were page metadata outside the revisions, so a stale edit
could not tell who changed them and silently overwrote them. Existing revisions get the pilot's current
metadata: the best known value (the older values were never recorded).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 18:00:00

"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), server_default='idee', nullable=False))
        batch_op.add_column(sa.Column('themes', sa.Text(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('tags', sa.Text(), server_default='[]', nullable=False))

    conn = op.get_bind()
    pilots = sa.table('pilots', sa.column('id', sa.Integer), sa.column('status', sa.String))
    themes = sa.table('pilot_themes', sa.column('pilot_id', sa.Integer), sa.column('theme', sa.String))
    tags = sa.table('pilot_tags', sa.column('pilot_id', sa.Integer), sa.column('tag', sa.String))
    revisions = sa.table(
        'revisions', sa.column('pilot_id', sa.Integer), sa.column('status', sa.String),
        sa.column('themes', sa.Text), sa.column('tags', sa.Text),
    )
    by_pilot = {pid: ([], []) for pid, in conn.execute(sa.select(pilots.c.id))}
    for pid, theme in conn.execute(sa.select(themes.c.pilot_id, themes.c.theme)):
        by_pilot[pid][0].append(theme)
    for pid, tag in conn.execute(sa.select(tags.c.pilot_id, tags.c.tag)):
        by_pilot[pid][1].append(tag)
    for pid, status in conn.execute(sa.select(pilots.c.id, pilots.c.status)):
        pilot_themes, pilot_tags = by_pilot[pid]
        conn.execute(
            revisions.update().where(revisions.c.pilot_id == pid).values(
                status=status, themes=json.dumps(sorted(pilot_themes)), tags=json.dumps(sorted(pilot_tags))
            )
        )


def downgrade():
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_column('tags')
        batch_op.drop_column('themes')
        batch_op.drop_column('status')
