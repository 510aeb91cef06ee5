"""Hash banks: PDQ/MD5 banks with provenance, matching, exchange (wraps aman.hashing)."""
