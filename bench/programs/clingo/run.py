#!/usr/bin/env python3
"""Grounds and solves a clingo program with the clingo Python API and prints
`relation<TAB>count` from the atoms count(relation, N) of its (single, stratified) model.
Usage: run.py PROGRAM.lp FACTS.lp"""
import sys

import clingo

ctl = clingo.Control(["--warn=none"])
for path in sys.argv[1:]:
    ctl.load(path)
ctl.ground([("base", [])])
counts = {}


def on_model(model):
    for sym in model.symbols(shown=True):
        if sym.name == "count" and len(sym.arguments) == 2:
            counts[sym.arguments[0].name] = sym.arguments[1].number


result = ctl.solve(on_model=on_model)
if not result.satisfiable:
    sys.exit("clingo: no model")
for rel in sorted(counts):
    print("%s\t%d" % (rel, counts[rel]))
