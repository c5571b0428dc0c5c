"""Home-page sections for procurement (see directory/attention.py)."""
