"""Store, union index, search API, web page, OAI-PMH out and the CLI that drives them."""
