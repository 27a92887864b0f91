"""Extra ``ropa`` subcommands, one module each. A module here defines ``register(subparsers)`` that adds its
parser and sets ``func`` to a function ``(args) -> int`` (exit code); ``ropa.cli`` discovers them in this
package, so a new command never edits cli.py."""
