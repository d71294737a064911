"""Agent quantal-response solutions of finite two-player extensive-form games (game trees of
perfect information), by backward induction, vectorised over cases (the case/run axis first).

A tree is a tuple of decision `Node`s (the first is the root) and a tuple of outcome (terminal)
names; every child of a node names either another node or an outcome, and every node and outcome
except the root is reached exactly once. `utilities` has shape (n, n_outcomes, n_players):
utilities[c, k, i] is player i's payoff at outcome k in case c.

Agent quantal response (McKelvey & Palfrey 1998; Signorino 1999, 2003). Each decision node is
played by its own agent, who observes the expected utility of each of its actions with an
independent error and takes the best one. Backward induction:

    V(k)          = utilities[:, k, :]                                 (outcome k)
    EU_i(a | v)   = V(child a of v)[:, i]   for the mover i of node v
    sigma(a | v)  = F(EU(. | v))                                       (choice probabilities)
    V(v)          = sum_a sigma(a | v) V(child a of v)                 (both players)

so every agent anticipates the later agents' quantal responses (not their best responses), and
only the expected continuation payoffs enter, not the error draws. The outcome probabilities are
the products of the choice probabilities along each path from the root.

F, the error distribution, with precision `lam` (lam = 1 is the standard case):

* "probit": utility of action a = EU_a + e_a / lam with e_a iid N(0, 1) (Signorino's agent error
  model, unit variance per action). With two actions,
      sigma(a1) = Phi(lam (EU_a1 - EU_a0) / sqrt(2)),
  the sqrt(2) because the difference of two unit-variance errors has variance 2. With k > 2,
      sigma(a) = int phi(e) prod_{b != a} Phi(lam (EU_a - EU_b) + e) de,
  evaluated by Gauss-Hermite quadrature (64 nodes).
* "logit": e_a iid type-I extreme value, i.e. the logit agent QRE
      sigma(a) = exp(lam EU_a) / sum_b exp(lam EU_b).

In both, lam = 0 gives uniform play and lam -> infinity the subgame-perfect (best-response)
choice. The egame12 crisis game of Signorino / the R package `games` (player 1: status quo or
challenge; player 2: capitulate or fight) is `EGAME12`; `ladder(m)` builds an alternating
escalation ladder of m moves (`ladder(2)` has the same shape as EGAME12).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import log_ndtr, log_softmax, ndtr, softmax

_SQRT2 = np.sqrt(2.0)
_GH_X, _GH_W = np.polynomial.hermite_e.hermegauss(64)   # weight exp(-x^2/2)
_GH_W = _GH_W / _GH_W.sum()                              # -> expectations under N(0, 1)
DISTS = ("probit", "logit")


@dataclass(frozen=True)
class Node:
    """A decision node: `player` (0 = player 1, 1 = player 2) chooses among `children`, each
    the name of another node or of an outcome."""

    name: str
    player: int
    children: tuple[str, ...]


@dataclass(frozen=True)
class Tree:
    nodes: tuple[Node, ...]          # nodes[0] is the root
    outcomes: tuple[str, ...]
    n_players: int = 2
    order: tuple[int, ...] = field(init=False, repr=False)   # node indices, children before parents

    def __post_init__(self):
        object.__setattr__(self, "nodes", tuple(self.nodes))
        object.__setattr__(self, "outcomes", tuple(self.outcomes))
        names = [n.name for n in self.nodes] + list(self.outcomes)
        if not self.nodes:
            raise ValueError("tree: no decision nodes")
        if len(set(names)) != len(names):
            raise ValueError(f"tree: node and outcome names must be unique, got {names}")
        index = {n.name: i for i, n in enumerate(self.nodes)}
        seen = {name: 0 for name in names}
        for n in self.nodes:
            if not 0 <= n.player < self.n_players:
                raise ValueError(f"tree: node {n.name!r} has player {n.player}; allowed 0..{self.n_players - 1}")
            if len(n.children) < 2:
                raise ValueError(f"tree: node {n.name!r} needs at least two children")
            for c in n.children:
                if c not in seen:
                    raise ValueError(f"tree: node {n.name!r} has unknown child {c!r}")
                seen[c] += 1
        bad = [k for k, v in seen.items() if v != (0 if k == self.nodes[0].name else 1)]
        if bad:
            raise ValueError(f"tree: every node but the root and every outcome must be reached exactly "
                             f"once; not so for {bad}")
        order: list[int] = []

        def visit(i: int) -> None:   # post-order from the root: children first
            for c in self.nodes[i].children:
                if c in index:
                    visit(index[c])
            order.append(i)

        visit(0)
        if len(order) != len(self.nodes):
            raise ValueError("tree: some nodes are not reachable from the root")
        object.__setattr__(self, "order", tuple(order))


EGAME12 = Tree((Node("1", 0, ("SQ", "2")), Node("2", 1, ("CAP", "WAR"))), ("SQ", "CAP", "WAR"))


def ladder(moves: int) -> Tree:
    """Alternating escalation ladder: at rung r (r = 0..moves-1; player r mod 2) the mover stops,
    ending the game at outcome f"stop{r}", or escalates to the next rung; escalating at the last
    rung ends at outcome "top". Outcomes in order stop0, ..., stop{moves-1}, top."""
    if moves < 1:
        raise ValueError(f"ladder: moves must be >= 1, got {moves}")
    nodes = tuple(Node(f"r{r}", r % 2, (f"stop{r}", f"r{r + 1}" if r + 1 < moves else "top"))
                  for r in range(moves))
    return Tree(nodes, tuple(f"stop{r}" for r in range(moves)) + ("top",))


@dataclass(frozen=True)
class Solution:
    choice: dict[str, np.ndarray]      # node -> (n, n_children) choice probabilities
    log_choice: dict[str, np.ndarray]  # their logs (accurate in the tails)
    value: dict[str, np.ndarray]       # node -> (n, n_players) expected utilities of the subgame
    outcome: np.ndarray                # (n, n_outcomes) probability of reaching each outcome
    log_outcome: np.ndarray            # its log


def choice_probs(eu: np.ndarray, dist: str = "probit", lam=1.0) -> tuple[np.ndarray, np.ndarray]:
    """Quantal-response choice probabilities and their logs for expected utilities eu of shape
    (n, k) (one row per case, one column per action); `lam` a scalar or one value per case."""
    eu = np.asarray(eu, float)
    lam = np.asarray(lam, float)
    if lam.ndim:
        lam = lam.reshape(-1, 1)                         # one per case, broadcast over actions
    if np.any(lam < 0):
        raise ValueError("quantal response: lam must be >= 0")
    if dist == "logit":
        z = lam * eu
        return softmax(z, axis=1), log_softmax(z, axis=1)
    if dist != "probit":
        raise ValueError(f"quantal response: dist {dist!r}; allowed: {', '.join(DISTS)}")
    k = eu.shape[1]
    if k == 2:
        z = lam * (eu[:, 1:] - eu[:, :1]) / _SQRT2
        z = np.concatenate([-z, z], axis=1)
        return ndtr(z), log_ndtr(z)
    d = (lam[..., None] if lam.ndim else lam) * (eu[:, :, None] - eu[:, None, :])   # d[a, b] = EU_a - EU_b
    # log Phi(d[a, b] + e) summed over b != a (the b = a term is replaced by 0), at each node e
    lp = log_ndtr(d[..., None] + _GH_X)                  # (n, k, k, q)
    idx = np.arange(k)
    lp[:, idx, idx, :] = 0.0
    p = np.einsum("nkq,q->nk", np.exp(lp.sum(axis=2)), _GH_W)
    p = p / p.sum(axis=1, keepdims=True)
    return p, np.log(np.maximum(p, 1e-300))


def solve(tree: Tree, utilities, dist: str = "probit", lam=1.0) -> Solution:
    """Agent QRE of `tree` at `utilities` (n, n_outcomes, n_players), or (n_outcomes, n_players)
    for one case, by backward induction (see the module docstring)."""
    u = np.asarray(utilities, float)
    if u.ndim == 2:
        u = u[None]
    if u.ndim != 3 or u.shape[1:] != (len(tree.outcomes), tree.n_players):
        raise ValueError(f"solve: utilities have shape {np.shape(utilities)}; expected "
                         f"(n, {len(tree.outcomes)}, {tree.n_players})")
    n = u.shape[0]
    out_index = {k: j for j, k in enumerate(tree.outcomes)}
    value: dict[str, np.ndarray] = {}
    choice: dict[str, np.ndarray] = {}
    log_choice: dict[str, np.ndarray] = {}

    def v(name: str) -> np.ndarray:
        return u[:, out_index[name], :] if name in out_index else value[name]

    for i in tree.order:
        node = tree.nodes[i]
        cont = np.stack([v(c) for c in node.children], axis=1)      # (n, k, players)
        p, lp = choice_probs(cont[:, :, node.player], dist, lam)
        choice[node.name], log_choice[node.name] = p, lp
        value[node.name] = np.einsum("nk,nkp->np", p, cont)
    # forward pass: reach probabilities (in logs)
    log_outcome = np.empty((n, len(tree.outcomes)))
    reach = {tree.nodes[0].name: np.zeros(n)}
    for i in reversed(tree.order):                                   # parents before children
        node = tree.nodes[i]
        for j, c in enumerate(node.children):
            lr = reach[node.name] + log_choice[node.name][:, j]
            if c in out_index:
                log_outcome[:, out_index[c]] = lr
            else:
                reach[c] = lr
    return Solution(choice, log_choice, value, np.exp(log_outcome), log_outcome)
