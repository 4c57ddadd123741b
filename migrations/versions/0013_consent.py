"""consent: partners listed by another organisation's member become open invitations

Before this, the new-pilot form added listed partners at once. Now a listed organisation is invited and takes
part only once one of its own members accepts (services/invitations.py). Listings made without that consent
become open invitations; the organisation's own joins, accepted invitations and imported content (no author)
stay as they are. The pilots concerned are queued for re-indexing (their organisations are searchable).

Revision ID: 0013consent
Revises: 0009activity
Create Date: 2026-12-07 00:20:00

"""
from alembic import op


revision = "0013consent"
down_revision = "0009activity"
branch_labels = None
depends_on = None

# Partner and supplier rows added by a member of another organisation: listed, never agreed to.
UNCONFIRMED = """
    FROM participations p JOIN users u ON u.id = p.created_by_id
    WHERE p.role IN ('partner', 'supplier') AND u.organisation_id <> p.organisation_id
"""


def upgrade():
    op.execute(
        "INSERT INTO change_log (pilot_id, operation, created_at) "
        f"SELECT DISTINCT p.pilot_id, 'upsert', CURRENT_TIMESTAMP {UNCONFIRMED}"
    )
    op.execute(
        "INSERT INTO invitations (pilot_id, organisation_id, invited_by_id, message, created_at) "
        f"SELECT p.pilot_id, p.organisation_id, p.created_by_id, '', p.created_at {UNCONFIRMED} "
        "AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.pilot_id = p.pilot_id "
        "AND i.organisation_id = p.organisation_id)"
    )
    op.execute(f"DELETE FROM participations WHERE id IN (SELECT p.id {UNCONFIRMED})")


def downgrade():
    # Nothing to undo in the schema; an organisation that has not accepted is not made a partner again.
    pass
