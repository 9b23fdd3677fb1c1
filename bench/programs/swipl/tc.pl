% Transitive closure (workloads tc_1k, tc_5k), SWI-Prolog with tabling.
% Run in the workload directory: swipl tc.pl (facts edge/2 come from facts.pl).
:- set_prolog_flag(table_space, 16_000_000_000).
:- initialization(main, main).
:- consult('facts.pl').
:- table path/2.
path(X, Y) :- edge(X, Y).
path(X, Z) :- path(X, Y), edge(Y, Z).
main :-
    aggregate_all(count, path(_, _), N),
    format("path\t~d~n", [N]).
