"""The `migrantsp` command line."""
