"""Source formats -> core record -> LIDO / CIDOC-CRM / index documents (pure, no I/O)."""
