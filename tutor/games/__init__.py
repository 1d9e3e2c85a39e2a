"""Two small games on the sandbox machinery. Pure logic here: no UI, no torch."""
