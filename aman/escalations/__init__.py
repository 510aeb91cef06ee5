"""Escalations: notices to platforms, police hand-offs and hotline referrals."""
