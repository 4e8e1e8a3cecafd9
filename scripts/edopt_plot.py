"""Helpers shared by the plot scripts: CSV rows as dicts, atomic PNG writes."""
import csv
import os


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def save(fig, path):
    """Writes the figure to a temporary file and renames it into place."""
    fig.tight_layout()
    fig.savefig(path + ".tmp.png", dpi=120)
    os.replace(path + ".tmp.png", path)
