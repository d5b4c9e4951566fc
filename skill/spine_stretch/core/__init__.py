"""Pure coaching logic: standard library only, no I/O."""
