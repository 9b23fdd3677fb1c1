#!/usr/bin/env python3
"""Runs a Nemo program through nemo-python and prints `relation<TAB>count` for every predicate
count_R of the program (the program counts R itself with #count, so no tuple crosses into Python).
Usage: run.py PROGRAM.rls RELATION...   (CSV resources are read relative to the current directory)"""
import sys

from nmo_python import NemoEngine, load_file

engine = NemoEngine(load_file(sys.argv[1]))
engine.reason()
for rel in sys.argv[2:]:
    rows = list(engine.result("count_" + rel))
    # #count over an empty relation derives no fact: that is a count of 0.
    n = int(rows[0][0]) if rows else 0
    print("%s\t%d" % (rel, n))
