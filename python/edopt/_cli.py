"""The `edopt` command of a pip-installed package: runs the binary built with the module."""
import os
import sys


def main():
    binary = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin", "edopt")
    if not os.path.exists(binary):
        sys.exit("edopt: the command-line binary was not built with this package")
    os.execv(binary, [binary] + sys.argv[1:])
