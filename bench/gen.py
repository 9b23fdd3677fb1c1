#!/usr/bin/env python3
"""Generates the comparison workloads of bench/compare.sh, with fixed seeds.

Every random choice comes from a 64-bit xorshift generator (benches/engines.rs mirrors it), seeded
per workload, so the files are byte-for-byte the same on every machine and Python version; nothing
random happens at run time.

Usage: bench/gen.py OUT_DIR [--quick]

Writes, per workload, into OUT_DIR/<workload>/:
  <pred>.csv   one fact per row, no header, integer columns (Pacta, Nemo, the datafrog floor)
  facts.lp     the same facts as ASP facts (clingo)
  facts.pl     the same facts as Prolog facts (SWI-Prolog)
  kind         the rule program the workload runs: tc, sg or oblig

Workloads (full size; --quick gives the small sizes in brackets):
  tc_1k    transitive closure, random digraph, 1,000 nodes, 5,000 distinct edges   [200 / 1,000]
  tc_5k    transitive closure, random digraph, 5,000 nodes, 25,000 distinct edges  [500 / 2,500]
  sg_tree  same generation on a random recursive tree of 5,000 nodes               [500]
  oblig    2,000 states, 300 treaties of 2-30 members, 1,000 attacks               [200 / 30 / 100]
"""
import os
import sys

MASK = (1 << 64) - 1


class XorShift:
    def __init__(self, seed):
        self.s = seed & MASK or 1

    def next(self):
        s = self.s
        s ^= (s << 13) & MASK
        s ^= s >> 7
        s ^= (s << 17) & MASK
        self.s = s
        return s

    def below(self, n):
        return self.next() % n


def write(dirpath, kind, relations):
    """relations: {pred: [tuple of ints]}"""
    os.makedirs(dirpath, exist_ok=True)
    for pred, rows in relations.items():
        with open(os.path.join(dirpath, pred + ".csv"), "w") as f:
            f.writelines(",".join(map(str, r)) + "\n" for r in rows)
    for ext in ("lp", "pl"):
        with open(os.path.join(dirpath, "facts." + ext), "w") as f:
            for pred, rows in relations.items():
                f.writelines("%s(%s).\n" % (pred, ",".join(map(str, r))) for r in rows)
    with open(os.path.join(dirpath, "kind"), "w") as f:
        f.write(kind + "\n")


def random_graph(nodes, edges, seed):
    """`edges` distinct directed edges (u, v), u and v uniform in 0..nodes (self-loops allowed)."""
    rng = XorShift(seed)
    seen, out = set(), []
    while len(out) < edges:
        e = (rng.below(nodes), rng.below(nodes))
        if e not in seen:
            seen.add(e)
            out.append(e)
    return out


def random_tree(nodes, seed):
    """Random recursive tree: node 0 is the root, node i > 0 gets a parent uniform in 0..i.
    parent(P, C) rows. Expected depth of a node is about ln(nodes) (about 9 for 5,000)."""
    rng = XorShift(seed)
    return [(rng.below(i), i) for i in range(1, nodes)]


def obligation(states, treaties, min_size, max_size, attacks, seed):
    """States 0..states-1, treaties 0..treaties-1; each treaty draws its size uniformly in
    min_size..=max_size and its members uniformly without replacement; attacks are distinct
    (aggressor, victim) pairs with aggressor != victim."""
    rng = XorShift(seed)
    state = [(s,) for s in range(states)]
    member = []
    for t in range(treaties):
        size = min_size + rng.below(max_size - min_size + 1)
        chosen, order = set(), []
        while len(order) < size:
            s = rng.below(states)
            if s not in chosen:
                chosen.add(s)
                order.append(s)
        member.extend((s, t) for s in order)
    seen, attack = set(), []
    while len(attack) < attacks:
        a, v = rng.below(states), rng.below(states)
        if a != v and (a, v) not in seen:
            seen.add((a, v))
            attack.append((a, v))
    return {"state": state, "member": member, "attack": attack}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    quick = "--quick" in sys.argv
    if len(args) != 1:
        sys.exit("usage: gen.py OUT_DIR [--quick]")
    out = args[0]
    if quick:
        tc1, tc5, tree, ob = (200, 1000), (500, 2500), 500, (200, 30, 100)
    else:
        tc1, tc5, tree, ob = (1000, 5000), (5000, 25000), 5000, (2000, 300, 1000)
    write(os.path.join(out, "tc_1k"), "tc", {"edge": random_graph(*tc1, 0x9E3779B97F4A7C15)})
    write(os.path.join(out, "tc_5k"), "tc", {"edge": random_graph(*tc5, 0xD1B54A32D192ED03)})
    write(os.path.join(out, "sg_tree"), "sg", {"parent": random_tree(tree, 0x2545F4914F6CDD1D)})
    write(os.path.join(out, "oblig"), "oblig",
          obligation(ob[0], ob[1], 2, 30, ob[2], 0xA0761D6478BD642F))


if __name__ == "__main__":
    main()
