"""The plot scripts' helpers: python/edopt/plotting.py (the figures the Python module draws too),
loaded by path so that the scripts need only matplotlib, not a built edopt."""
import importlib.util
import os
import sys

_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python", "edopt",
                     "plotting.py")
_spec = importlib.util.spec_from_file_location("edopt_plotting", _PATH)
plotting = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(plotting)
rows, save, FORMATS = plotting.rows, plotting.save, plotting.FORMATS


def output_format(default="png"):
    """--format png|pdf|svg from the command line (removed from sys.argv): the extension of the
    files a script names itself."""
    if "--format" in sys.argv:
        i = sys.argv.index("--format")
        if i + 1 >= len(sys.argv) or sys.argv[i + 1] not in FORMATS:
            sys.exit("--format: expected one of " + ", ".join(FORMATS))
        fmt = sys.argv[i + 1]
        del sys.argv[i:i + 2]
        return fmt
    return default
