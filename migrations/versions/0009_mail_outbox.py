"""mail outbox, per-kind mail preferences and digest entries

Revision ID: 0009mail
Revises: 0008
Create Date: 2026-12-06 23:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009mail'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mail_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('to_address', sa.String(length=254), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('notification_id', sa.Integer(), nullable=True),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('claim', sa.String(length=32), nullable=True),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_mail_outbox_notification_id_notifications')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mail_outbox_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox')),
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_mail_outbox_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_user_id'), ['user_id'], unique=False)

    op.create_table(
        'mail_preferences',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('frequency', sa.String(length=10), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mail_preferences_user_id_users')),
        sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_mail_preferences')),
    )

    op.create_table(
        'mail_digest_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('notification_id', sa.Integer(), nullable=False),
        sa.Column('frequency', sa.String(length=10), nullable=False),
        sa.Column('mail_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['mail_id'], ['mail_outbox.id'], name=op.f('fk_mail_digest_entries_mail_id_mail_outbox')),
        sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_mail_digest_entries_notification_id_notifications')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mail_digest_entries_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_digest_entries')),
    )
    with op.batch_alter_table('mail_digest_entries', schema=None) as batch_op:
        batch_op.create_index('ix_mail_digest_entries_pending', ['frequency', 'mail_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_digest_entries_mail_id'), ['mail_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_digest_entries_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('mail_digest_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_digest_entries_user_id'))
        batch_op.drop_index(batch_op.f('ix_mail_digest_entries_mail_id'))
        batch_op.drop_index('ix_mail_digest_entries_pending')
    op.drop_table('mail_digest_entries')
    op.drop_table('mail_preferences')
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_outbox_user_id'))
        batch_op.drop_index('ix_mail_outbox_due')
    op.drop_table('mail_outbox')
