"""The command line: a click group (``main``), one module per subcommand, shared options."""
