"""One story × language × preset through the stages: load → speak → plan → draw → write →
render → package. ``render``, ``check``, ``preview`` and the benchmarks all call it."""
