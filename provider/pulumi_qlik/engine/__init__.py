"""The one home of what every provider and function shares with the Pulumi engine.

- :mod:`.unknowns` and :mod:`.props`: values the engine does not know yet, in and out; a resource's inputs.
- :mod:`.redaction` and :mod:`.secret_inputs`: the names of a resource's secret inputs, their values hidden from
  the provider's logs and errors, and the markers that keep derived outputs secret.
- :mod:`.provider`: the base `QlikProvider` (settings from the stack config, one Qlik client per region), with
  the worker pool widened by :mod:`.concurrency`; :mod:`.program`: settings read in the program process.
"""
