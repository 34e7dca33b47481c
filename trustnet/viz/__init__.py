"""The browser page: a what-if tool on the Mesa model, served by Solara (``trustnet viz``)."""
