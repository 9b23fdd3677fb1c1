% Obligation workload (oblig), SWI-Prolog with tabling
% (facts state/1, member/2, attack/2 from facts.pl).
:- set_prolog_flag(table_space, 16_000_000_000).
:- initialization(main, main).
:- consult('facts.pl').
:- table obliged/2, chain/2, unprotected/1.
obliged(S, V) :- attack(A, V), member(V, T), member(S, T), S \== V, S \== A.
chain(S, V) :- obliged(S, V).
chain(S, W) :- chain(S, V), obliged(V, W).
% obliged/2 is complete before it is negated (stratified), so \+ is sound here.
unprotected(V) :- state(V), \+ obliged(_, V).
main :-
    aggregate_all(count, obliged(_, _), O),
    aggregate_all(count, chain(_, _), C),
    aggregate_all(count, unprotected(_), U),
    format("chain\t~d~nobliged\t~d~nunprotected\t~d~n", [C, O, U]).
