"""The coordinator's match queue: proposals to review, unmatched cases, referrals, connections."""
