"""Evidence: files and links, encryption at rest, hashes, chain of custody, packets."""
