"""Pulumi functions (`get_x` / `get_x_output` pairs): they run in the program process, not in a provider."""
