"""Safety guides, self-checks and the official-account risk assessment."""
