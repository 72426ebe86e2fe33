"""Shared core of Guichet Maprocuration: pure Python, no Qt, no HTTP, no SQL.

Both the backend and the desktop client build on these modules, so that a reference,
a signature or a journal hash means exactly the same thing on both sides of the wire.
"""
