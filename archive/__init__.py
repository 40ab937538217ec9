"""The archive: SQLite through sqlite-utils, and the only place that writes SQL (schema,
migrations, writes, lookups, search, export, the Datasette plugin).
"""
