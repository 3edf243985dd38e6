"""Getting records out of museum systems (OAI-PMH, CSV exports) and scheduling it."""
