"""handsynth: the synthetic hand data engine (renders of models/hand-model.json with exact labels).

See training/README.md; `python3 -m handsynth --help` for the commands."""
