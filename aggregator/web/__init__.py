"""The catalogue on the web: researchers' API, search and object pages, and OAI-PMH out.

``api.create_app`` builds the whole application over one Catalogue;
``server.serve`` runs it.
"""
