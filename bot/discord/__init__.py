"""claimdesk on Discord: slash commands over the same command functions the CLI runs.

Nothing here is imported by the ingest worker process, which only needs ``worker.py``.
"""
