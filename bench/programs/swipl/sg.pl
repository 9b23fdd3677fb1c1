% Same generation (workload sg_tree), SWI-Prolog with tabling (facts parent/2 from facts.pl).
:- set_prolog_flag(table_space, 16_000_000_000).
:- initialization(main, main).
:- consult('facts.pl').
:- table sg/2.
sg(X, Y) :- parent(P, X), parent(P, Y), X \== Y.
sg(X, Y) :- parent(A, X), sg(A, B), parent(B, Y).
main :-
    aggregate_all(count, sg(_, _), N),
    format("sg\t~d~n", [N]).
