"""'Think before you post' and pre-publication checks, API keys, comment moderation."""
