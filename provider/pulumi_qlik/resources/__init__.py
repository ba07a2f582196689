"""One module per resource (its `XArgs`, the `X` resource and `XProvider`), its input checks beside it in `X_inputs`."""
