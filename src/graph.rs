//! The dependency graph of one plan, as a library: no SQL and no command line here.
//!
//! An edge `a → b` means "a depends on b": b must be done (or at least moving) for a to go
//! ahead. Nodes keep the order they were given in — plan order — and every result is
//! deterministic: ties are broken by that order or by id, as each method says. (Drawings show
//! the edges the other way round, dependency → dependant; that is the renderer's business.)
//!
//! Built on petgraph; the algorithms petgraph lacks (levels, the critical path, the checks)
//! are written here over a topological order, each in O(V + E).

use std::cmp::Reverse;
use std::collections::BTreeSet;
use std::collections::HashMap;
use std::collections::VecDeque;

use chrono::NaiveDate;
use chrono::TimeDelta;
use petgraph::Direction;
use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use crate::model::Initiative;
use crate::model::Kind;
use crate::model::Status;

pub struct DepGraph<'a> {
    /// Edge `a → b`: a depends on b. Node indices are the order the nodes were given in.
    g: DiGraph<&'a str, ()>,
    /// Looked up for every edge and result: a fast hash (ids are the plan's own, not an
    /// attacker's keys chosen to collide).
    index: foldhash::HashMap<&'a str, NodeIndex>,
}

/// An initiative reached from another, with how far and by which way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached<'a> {
    pub id: &'a str,
    /// Where it came among the nodes given (see [`DepGraph::position`]).
    pub position: usize,
    pub depth: usize,
    /// The initiative it was reached from, one step nearer the start (the start itself at
    /// depth 1). Following `via` back gives a shortest path; keeping whole paths would cost
    /// the square of a long chain's length.
    pub via: &'a str,
}

/// An initiative's place in the order work can go in (see [`DepGraph::levels`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leveled<'a> {
    pub id: &'a str,
    /// Where it came among the nodes given (see [`DepGraph::position`]).
    pub position: usize,
    pub level: usize,
}

/// One link of the critical path on the calendar (see [`DepGraph::schedule`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link<'a> {
    pub id: &'a str,
    pub start: NaiveDate,
    pub finish: NaiveDate,
}

/// The graph has a cycle, so it has no order; every cycle, as [`DepGraph::cycles`] names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cyclic<'a> {
    pub cycles: Vec<Vec<&'a str>>,
}

/// What [`DepGraph::check`] needs to know of one initiative, as of the day checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub kind: Kind,
    pub withdrawn: bool,
    pub due: Option<NaiveDate>,
    /// The latest reported status.
    pub status: Option<Status>,
    /// When the status is `completed`: the day of the first report of that run of
    /// `completed` (a reopened initiative completes again later).
    pub completed_on: Option<NaiveDate>,
}

/// Why a dependency will not (or not yet) be delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Undelivered {
    /// Not an initiative of the plan at all.
    Unknown,
    Withdrawn,
    Proposed,
    Cancelled,
}

impl Undelivered {
    pub fn as_str(self) -> &'static str {
        match self {
            Undelivered::Unknown => "unknown",
            Undelivered::Withdrawn => "withdrawn",
            Undelivered::Proposed => "proposed",
            Undelivered::Cancelled => "cancelled",
        }
    }
}

/// One problem [`DepGraph::check`] found. `dependant` depends on `dependency`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding<'a> {
    /// A closed path `a → b → … → a`, each depending on the next: it can never start.
    Cycle(Vec<&'a str>),
    /// A dependency that is withdrawn, only proposed, cancelled or not in the plan.
    Undelivered {
        dependant: &'a str,
        dependency: &'a str,
        why: Undelivered,
    },
    /// The dependant is due before its dependency is.
    Schedule {
        dependant: &'a str,
        dependency: &'a str,
        due: NaiveDate,
        dependency_due: NaiveDate,
    },
    /// The dependant is on track or completed while its dependency is delayed.
    AheadOfDelayed {
        dependant: &'a str,
        dependency: &'a str,
        status: Status,
    },
    /// The dependant was completed before its dependency was (or while it still is not).
    CompletedFirst {
        dependant: &'a str,
        dependency: &'a str,
        completed_on: NaiveDate,
        dependency_completed_on: Option<NaiveDate>,
        dependency_status: Option<Status>,
    },
}

impl Finding<'_> {
    /// Cycles are errors (the plan cannot be carried out); the rest are warnings.
    pub fn is_error(&self) -> bool {
        matches!(self, Finding::Cycle(_))
    }

    /// The initiative the finding is about: the dependant, or a cycle's first member.
    pub fn id(&self) -> &str {
        match self {
            Finding::Cycle(path) => path.first().copied().unwrap_or_default(),
            Finding::Undelivered { dependant, .. }
            | Finding::Schedule { dependant, .. }
            | Finding::AheadOfDelayed { dependant, .. }
            | Finding::CompletedFirst { dependant, .. } => dependant,
        }
    }

    /// The dependency involved; none for a cycle.
    pub fn dependency(&self) -> Option<&str> {
        match self {
            Finding::Cycle(_) => None,
            Finding::Undelivered { dependency, .. }
            | Finding::Schedule { dependency, .. }
            | Finding::AheadOfDelayed { dependency, .. }
            | Finding::CompletedFirst { dependency, .. } => Some(dependency),
        }
    }
}

impl<'a> DepGraph<'a> {
    /// The nodes in the order given, then the edges `(dependant, dependency)`. An edge may
    /// name a node not listed: it is added after the listed ones. Repeated edges count once.
    pub fn new(
        nodes: impl IntoIterator<Item = &'a str>,
        edges: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let mut graph = DepGraph {
            g: DiGraph::new(),
            index: foldhash::HashMap::default(),
        };
        for n in nodes {
            graph.node(n);
        }
        for (from, to) in edges {
            let (a, b) = (graph.node(from), graph.node(to));
            graph.g.update_edge(a, b, ());
        }
        graph
    }

    /// The nodes (distinct ids) in the order given, then the edges `(dependant, dependency)`
    /// as indices into them (an index past the nodes is left out). Repeated edges count once.
    pub fn from_indices(nodes: &[&'a str], edges: &[(u32, u32)]) -> Self {
        let mut graph = DepGraph {
            g: DiGraph::with_capacity(nodes.len(), edges.len()),
            index: foldhash::HashMap::with_capacity_and_hasher(nodes.len(), Default::default()),
        };
        for n in nodes {
            graph.node(n);
        }
        let count = graph.g.node_count();
        for &(from, to) in edges {
            let (a, b) = (from as usize, to as usize);
            if a < count && b < count {
                graph
                    .g
                    .update_edge(NodeIndex::new(a), NodeIndex::new(b), ());
            }
        }
        graph
    }

    fn node(&mut self, id: &'a str) -> NodeIndex {
        let g = &mut self.g;
        *self.index.entry(id).or_insert_with(|| g.add_node(id))
    }

    /// The plan's initiatives in plan order, with their `depends_on` (a dependency that is
    /// not among them becomes a node of its own, with no edges out).
    pub fn from_initiatives<I>(initiatives: I) -> Self
    where
        I: IntoIterator<Item = &'a Initiative>,
        I::IntoIter: Clone,
    {
        let initiatives = initiatives.into_iter();
        Self::new(
            initiatives.clone().map(|i| i.id.as_str()),
            initiatives.flat_map(|i| {
                i.depends_on
                    .iter()
                    .map(move |d| (i.id.as_str(), d.as_str()))
            }),
        )
    }

    /// Where `id` came among the nodes given (for [`DepGraph::from_indices`], its index
    /// there; for [`DepGraph::new`], the order it was first named in).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).map(|n| n.index())
    }

    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.g.node_count()
    }

    pub fn is_empty(&self) -> bool {
        self.g.node_count() == 0
    }

    pub fn edge_count(&self) -> usize {
        self.g.edge_count()
    }

    /// Every node, in the order given.
    pub fn ids(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.g.node_weights().copied()
    }

    /// Every edge as `(dependant, dependency)`, in the order first given.
    pub fn edges(&self) -> impl Iterator<Item = (&'a str, &'a str)> + '_ {
        self.g
            .edge_references()
            .map(|e| (self.g[e.source()], self.g[e.target()]))
    }

    /// What `id` depends on directly, by id.
    pub fn dependencies(&self, id: &str) -> Vec<&'a str> {
        self.neighbours(id, Direction::Outgoing)
    }

    /// What the node at `position` depends on directly, as places, by id.
    pub fn dependencies_at(&self, position: usize) -> Vec<usize> {
        if position >= self.g.node_count() {
            return Vec::new();
        }
        self.sorted_neighbours(NodeIndex::new(position), Direction::Outgoing)
            .into_iter()
            .map(NodeIndex::index)
            .collect()
    }

    /// What depends on `id` directly, by id.
    pub fn dependants(&self, id: &str) -> Vec<&'a str> {
        self.neighbours(id, Direction::Incoming)
    }

    fn neighbours(&self, id: &str, dir: Direction) -> Vec<&'a str> {
        let Some(&n) = self.index.get(id) else {
            return Vec::new();
        };
        let mut out: Vec<&'a str> = self
            .g
            .neighbors_directed(n, dir)
            .map(|m| self.g[m])
            .collect();
        out.sort_unstable();
        out
    }

    /// The part of the graph on the nodes `keep` accepts, with the edges between them; the
    /// order of nodes and edges is kept.
    pub fn induced(&self, keep: impl Fn(&str) -> bool) -> DepGraph<'a> {
        DepGraph::new(
            self.ids().filter(|n| keep(n)),
            self.edges().filter(|(a, b)| keep(a) && keep(b)),
        )
    }

    /// Every dependency cycle, each as a closed path (`a → b → a`, each depending on the
    /// next) starting from its alphabetically first member so that messages are stable: one
    /// shortest cycle through that member for each strongly connected part. Self-loops
    /// included. Sorted.
    pub fn cycles(&self) -> Vec<Vec<&'a str>> {
        let mut out = Vec::new();
        for scc in tarjan_scc(&self.g) {
            let Some(&start) = scc.iter().min_by_key(|n| self.g[**n]) else {
                continue;
            };
            if scc.len() == 1 && self.g.find_edge(start, start).is_none() {
                continue;
            }
            let members: BTreeSet<NodeIndex> = scc.iter().copied().collect();
            if let Some(path) = self.shortest_cycle_through(start, &members) {
                out.push(path.into_iter().map(|n| self.g[n]).collect());
            }
        }
        out.sort();
        out
    }

    /// Breadth-first search from `start` back to itself inside one strongly connected part.
    fn shortest_cycle_through(
        &self,
        start: NodeIndex,
        members: &BTreeSet<NodeIndex>,
    ) -> Option<Vec<NodeIndex>> {
        let mut prev: HashMap<NodeIndex, NodeIndex> = HashMap::new();
        let mut queue = VecDeque::from([start]);
        while let Some(n) = queue.pop_front() {
            for m in self.sorted_neighbours(n, Direction::Outgoing) {
                if m == start {
                    let mut path = vec![n];
                    let mut cur = n;
                    while cur != start {
                        cur = *prev.get(&cur)?;
                        path.push(cur);
                    }
                    path.reverse();
                    path.push(start);
                    return Some(path);
                }
                if members.contains(&m) && !prev.contains_key(&m) {
                    prev.insert(m, n);
                    queue.push_back(m);
                }
            }
        }
        None
    }

    fn sorted_neighbours(&self, n: NodeIndex, dir: Direction) -> Vec<NodeIndex> {
        let mut next: Vec<NodeIndex> = self.g.neighbors_directed(n, dir).collect();
        next.sort_unstable_by_key(|m| self.g[*m]);
        next
    }

    /// Breadth-first walk along edges in one direction: each node once, at its least depth,
    /// reached from the alphabetically first node of the level before. O(V + E log E).
    fn walk(&self, id: &str, dir: Direction) -> Vec<Reached<'a>> {
        let Some(&start) = self.index.get(id) else {
            return Vec::new();
        };
        let mut seen = vec![false; self.g.node_count()];
        seen[start.index()] = true;
        let mut out: Vec<Reached<'a>> = Vec::new();
        let mut queue = VecDeque::from([(start, 0usize)]);
        while let Some((cur, depth)) = queue.pop_front() {
            for n in self.sorted_neighbours(cur, dir) {
                if std::mem::replace(&mut seen[n.index()], true) {
                    continue;
                }
                out.push(Reached {
                    id: self.g[n],
                    position: n.index(),
                    depth: depth + 1,
                    via: self.g[cur],
                });
                queue.push_back((n, depth + 1));
            }
        }
        out
    }

    /// For every node, the nearest nodes upstream (its dependencies, directly or through
    /// others) that `holds` accepts, reached without passing through another that it accepts:
    /// the initiatives that hold a node up, not everything behind them. Sorted by id. One pass
    /// in topological order, each node's answer built from its dependencies' (O(V + E) on a
    /// chain or a tree; never more than the answers themselves). Nodes on a cycle get none.
    pub fn nearest_upstream(
        &self,
        holds: impl Fn(&str) -> bool,
    ) -> foldhash::HashMap<&'a str, Vec<&'a str>> {
        let nearest = self.nearest_upstream_places(holds);
        (0..self.g.node_count())
            .filter(|&n| !nearest.of(n).is_empty())
            .map(|n| {
                let ids = nearest
                    .of(n)
                    .iter()
                    .map(|&d| self.g[NodeIndex::new(d as usize)]);
                (self.g[NodeIndex::new(n)], ids.collect())
            })
            .collect()
    }

    /// [`DepGraph::nearest_upstream`] by place: for the node at each place, the places of its
    /// nearest holders, sorted by their ids.
    pub fn nearest_upstream_places(&self, holds: impl Fn(&str) -> bool) -> NearestPlaces {
        // Asked once per node; merged as numbers, sorted by id once at the end.
        let holding: Vec<bool> = self.g.node_weights().map(|id| holds(id)).collect();
        let mut nearest = NearestPlaces {
            lists: vec![(0, 0); self.g.node_count()],
            flat: Vec::new(),
        };
        let mut found: Vec<u32> = Vec::new();
        for n in self.topological_prefix() {
            found.clear();
            for d in self.g.neighbors_directed(n, Direction::Outgoing) {
                if holding[d.index()] {
                    found.push(place(d.index()));
                } else {
                    found.extend_from_slice(nearest.of(d.index()));
                }
            }
            found.sort_unstable();
            found.dedup();
            nearest.lists[n.index()] = (place(nearest.flat.len()), place(found.len()));
            nearest.flat.extend_from_slice(&found);
        }
        for &(start, len) in &nearest.lists {
            let (start, len) = (start as usize, len as usize);
            nearest.flat[start..start + len]
                .sort_unstable_by_key(|&d| self.g[NodeIndex::new(d as usize)]);
        }
        nearest.flat.shrink_to_fit();
        nearest
    }

    /// For each of `ids`, how many nodes downstream of it (what depends on it, directly or
    /// through others) `counts` accepts; a node reached by several ways counts once.
    ///
    /// Sixty-four ids at a time, each a bit: one pass in topological order ORs each node's
    /// dependencies' bits into its own, and the bits of every counted node are added into
    /// bit-sliced counters (one counter per id, each bit of it in its own word, so one add is a
    /// ripple of carries that is usually a word or two long). O(⌈ids/64⌉ × (V + E)): a chain
    /// of 10,000 where every node is asked about takes a few milliseconds, not a walk per id.
    /// Nodes on a cycle are not reached.
    pub fn downstream_counts(&self, ids: &[&str], counts: impl Fn(&str) -> bool) -> Vec<usize> {
        let order = self.topological_prefix();
        let dependencies: Vec<Vec<usize>> = self
            .g
            .node_indices()
            .map(|x| {
                self.g
                    .neighbors_directed(x, Direction::Outgoing)
                    .map(|m| m.index())
                    .collect()
            })
            .collect();
        let counted: Vec<bool> = self.g.node_indices().map(|x| counts(self.g[x])).collect();
        let mut out = vec![0usize; ids.len()];
        // Bits reaching each node from upstream (its own bit not included), and each node's own.
        let mut reached = vec![0u64; self.g.node_count()];
        let mut own = vec![0u64; self.g.node_count()];
        for (chunk, chunk_ids) in ids.chunks(64).enumerate() {
            reached.fill(0);
            own.fill(0);
            for (bit, id) in chunk_ids.iter().enumerate() {
                if let Some(x) = self.index.get(id) {
                    own[x.index()] |= 1 << bit;
                }
            }
            let mut planes: Vec<u64> = Vec::new();
            for &n in &order {
                let v = n.index();
                let mut bits = 0;
                for &d in &dependencies[v] {
                    bits |= reached[d] | own[d];
                }
                reached[v] = bits;
                if counted[v] && bits != 0 {
                    add_one_each(&mut planes, bits);
                }
            }
            for (bit, slot) in out[chunk * 64..]
                .iter_mut()
                .take(chunk_ids.len())
                .enumerate()
            {
                *slot = planes
                    .iter()
                    .enumerate()
                    .map(|(p, plane)| (((plane >> bit) & 1) as usize) << p)
                    .sum();
            }
        }
        out
    }

    /// The nodes in topological order (dependencies first) as far as there is one: on a
    /// cycle, the nodes before it and none after.
    fn topological_prefix(&self) -> Vec<NodeIndex> {
        let mut waiting = vec![0usize; self.g.node_count()];
        for e in self.g.edge_references() {
            waiting[e.source().index()] += 1;
        }
        let mut queue: VecDeque<NodeIndex> = self
            .g
            .node_indices()
            .filter(|n| waiting[n.index()] == 0)
            .collect();
        let mut order = Vec::with_capacity(self.g.node_count());
        while let Some(n) = queue.pop_front() {
            order.push(n);
            for m in self.g.neighbors_directed(n, Direction::Incoming) {
                waiting[m.index()] -= 1;
                if waiting[m.index()] == 0 {
                    queue.push_back(m);
                }
            }
        }
        order
    }

    /// Everything `id` depends on, directly or through others.
    pub fn upstream(&self, id: &str) -> Vec<Reached<'a>> {
        self.walk(id, Direction::Outgoing)
    }

    /// Everything that depends on `id`, directly or through others: what a delay hits.
    pub fn impact(&self, id: &str) -> Vec<Reached<'a>> {
        self.walk(id, Direction::Incoming)
    }

    /// The nodes with every dependency before its dependants (Kahn's algorithm, starting
    /// from the nodes in the order given), or `None` when there is a cycle.
    fn topological(&self) -> Option<Vec<NodeIndex>> {
        let order = self.topological_prefix();
        (order.len() == self.g.node_count()).then_some(order)
    }

    fn cyclic(&self) -> Cyclic<'a> {
        Cyclic {
            cycles: self.cycles(),
        }
    }

    /// The order work can go in, in levels: level 1 is what depends on nothing (in this
    /// graph), and each other node is one level above the highest of its dependencies — so a
    /// level can start once every level below it is done. Sorted by level, then in the order
    /// the nodes were given (plan order). An error naming the cycles if there are any.
    pub fn levels(&self) -> Result<Vec<Leveled<'a>>, Cyclic<'a>> {
        let order = self.topological().ok_or_else(|| self.cyclic())?;
        let mut level = vec![0usize; self.g.node_count()];
        for n in order {
            level[n.index()] = 1 + self
                .g
                .neighbors_directed(n, Direction::Outgoing)
                .map(|d| level[d.index()])
                .max()
                .unwrap_or(0);
        }
        let mut out: Vec<Leveled<'a>> = self
            .g
            .node_indices()
            .map(|n| Leveled {
                id: self.g[n],
                position: n.index(),
                level: level[n.index()],
            })
            .collect();
        // Stable: plan order within a level.
        out.sort_by_key(|l| l.level);
        Ok(out)
    }

    /// The critical path on the calendar: every initiative starts no earlier than its own
    /// start, nor before each of its dependencies finishes, and lasts from its start to its due
    /// date (`dates(id)` gives both, as the plan has them). One with a due date and no start
    /// finishes on its due date (or when its dependencies let it start, if later); one with
    /// neither takes no time. The chain ending at the initiative that finishes last is
    /// returned, from its first dependency to its last dependant; ties go to the longer chain,
    /// then to the alphabetically first ids. `None` when nothing has a date; an error naming
    /// the cycles if there are any. One pass in topological order, O(V + E).
    pub fn schedule(
        &self,
        dates: impl Fn(&str) -> (Option<NaiveDate>, Option<NaiveDate>),
    ) -> Result<Option<Vec<Link<'a>>>, Cyclic<'a>> {
        let order = self.topological().ok_or_else(|| self.cyclic())?;
        let n = self.g.node_count();
        // Per node: (start, finish, links in its chain), and the dependency it waits for.
        let mut when: Vec<Option<(NaiveDate, NaiveDate, usize)>> = vec![None; n];
        let mut pred: Vec<Option<NodeIndex>> = vec![None; n];
        let rank = |when: &[Option<(NaiveDate, NaiveDate, usize)>], x: NodeIndex| {
            when[x.index()].map(|(_, finish, links)| (finish, links, Reverse(self.g[x])))
        };
        for v in order {
            let waits_for = self
                .g
                .neighbors_directed(v, Direction::Outgoing)
                .filter(|d| when[d.index()].is_some())
                .max_by_key(|d| rank(&when, *d));
            let (after, links) = waits_for
                .and_then(|d| when[d.index()])
                .map_or((None, 0), |(_, finish, links)| (Some(finish), links));
            let (start, due) = dates(self.g[v]);
            let earliest = start.max(after);
            when[v.index()] = match (earliest, start, due) {
                (Some(from), Some(s), Some(d)) => {
                    Some((from, from + (d - s).max(TimeDelta::zero()), links + 1))
                }
                (Some(from), _, due) => Some((from, due.map_or(from, |d| d.max(from)), links + 1)),
                (None, _, Some(d)) => Some((d, d, links + 1)),
                (None, _, None) => None,
            };
            pred[v.index()] = waits_for;
        }
        let Some(end) = self
            .g
            .node_indices()
            .filter(|x| when[x.index()].is_some())
            .max_by_key(|x| rank(&when, *x))
        else {
            return Ok(None);
        };
        let mut chain = Vec::new();
        let mut cur = Some(end);
        while let Some(x) = cur {
            if let Some((start, finish, _)) = when[x.index()] {
                chain.push(Link {
                    id: self.g[x],
                    start,
                    finish,
                });
            }
            cur = pred[x.index()];
        }
        chain.reverse();
        Ok(Some(chain))
    }

    /// Everything wrong with the dependencies, as of the day the facts hold for:
    ///
    /// 1. cycles among the initiatives that are not withdrawn (errors);
    /// 2. dependencies that are withdrawn, only proposed, cancelled or not in the plan;
    /// 3. scheduling conflicts: a dependant due before its dependency is due;
    /// 4. status conflicts: a dependant on track or completed while its dependency is
    ///    delayed; else a dependant completed before its dependency was completed (or while
    ///    it still is not).
    ///
    /// Withdrawn or cancelled dependants are not checked (their plans no longer matter), and
    /// a dependency reported under 2 is not checked under 3 or 4. Grouped in that order, each
    /// group in edge order (plan order of the dependants, then their `depends_on` order).
    pub fn check(&self, facts: &HashMap<&str, Facts>) -> Vec<Finding<'a>> {
        let withdrawn = |id: &str| facts.get(id).is_some_and(|f| f.withdrawn);
        let mut out: Vec<Finding<'a>> = self
            .induced(|id| !withdrawn(id))
            .cycles()
            .into_iter()
            .map(Finding::Cycle)
            .collect();
        let (mut undelivered, mut schedule, mut status) = (Vec::new(), Vec::new(), Vec::new());
        for (dependant, dependency) in self.edges() {
            let Some(a) = facts.get(dependant) else {
                continue;
            };
            if a.withdrawn || a.status == Some(Status::Cancelled) {
                continue;
            }
            let b = facts.get(dependency);
            let why = match b {
                None => Some(Undelivered::Unknown),
                Some(b) if b.withdrawn => Some(Undelivered::Withdrawn),
                Some(b) if b.kind == Kind::Proposed => Some(Undelivered::Proposed),
                Some(b) if b.status == Some(Status::Cancelled) => Some(Undelivered::Cancelled),
                Some(_) => None,
            };
            if let Some(why) = why {
                undelivered.push(Finding::Undelivered {
                    dependant,
                    dependency,
                    why,
                });
                continue;
            }
            let Some(b) = b else { continue };
            if let (Some(due), Some(dependency_due)) = (a.due, b.due)
                && due < dependency_due
            {
                schedule.push(Finding::Schedule {
                    dependant,
                    dependency,
                    due,
                    dependency_due,
                });
            }
            match a.status {
                Some(s @ (Status::OnTrack | Status::Completed))
                    if b.status == Some(Status::Delayed) =>
                {
                    status.push(Finding::AheadOfDelayed {
                        dependant,
                        dependency,
                        status: s,
                    });
                }
                Some(Status::Completed) => {
                    let Some(completed_on) = a.completed_on else {
                        continue;
                    };
                    let done_first = b.status == Some(Status::Completed)
                        && b.completed_on.is_some_and(|d| d <= completed_on);
                    if !done_first {
                        status.push(Finding::CompletedFirst {
                            dependant,
                            dependency,
                            completed_on,
                            dependency_completed_on: b.completed_on,
                            dependency_status: b.status,
                        });
                    }
                }
                _ => {}
            }
        }
        out.extend(undelivered);
        out.extend(schedule);
        out.extend(status);
        out
    }
}

/// Adds 1 to each of the 64 bit-sliced counters whose bit is set in `bits`: `planes[p]` holds
/// bit `p` of every counter.
fn add_one_each(planes: &mut Vec<u64>, bits: u64) {
    let mut carry = bits;
    for plane in planes.iter_mut() {
        let next = *plane & carry;
        *plane ^= carry;
        carry = next;
        if carry == 0 {
            return;
        }
    }
    planes.push(carry);
}

/// Each node's nearest holders ([`DepGraph::nearest_upstream_places`]) as places, all lists
/// in one array: a national plan's run to millions of entries, and a list apiece would spend
/// more on their own upkeep than on the places.
pub struct NearestPlaces {
    /// Where each node's list starts in `flat`, and its length.
    lists: Vec<(u32, u32)>,
    flat: Vec<u32>,
}

impl NearestPlaces {
    /// The places of the nearest holders of the node at `place`, sorted by their ids.
    pub fn of(&self, place: usize) -> &[u32] {
        self.lists.get(place).map_or(&[], |&(start, len)| {
            let start = start as usize;
            &self.flat[start..start + len as usize]
        })
    }
}

/// A place or a count of places, as stored: a plan has far fewer than four billion
/// initiatives (and dependencies between them).
fn place(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use proptest::prelude::*;

    use super::*;

    fn graph<'a>(edges: &[(&'a str, &'a str)]) -> DepGraph<'a> {
        let nodes: Vec<&str> = edges.iter().flat_map(|(a, b)| [*a, *b]).collect();
        DepGraph::new(nodes, edges.iter().copied())
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn names_the_whole_cycle() {
        let g = graph(&[
            ("sky", "skoleportal"),
            ("skoleportal", "iam"),
            ("iam", "sky"),
            ("x", "sky"),
        ]);
        assert_eq!(g.cycles(), vec![vec!["iam", "sky", "skoleportal", "iam"]]);
    }

    #[test]
    fn self_loop_is_a_cycle() {
        let g = graph(&[("a", "a")]);
        assert_eq!(g.cycles(), vec![vec!["a", "a"]]);
        assert_eq!(
            g.levels(),
            Err(Cyclic {
                cycles: vec![vec!["a", "a"]]
            })
        );
    }

    #[test]
    fn impact_walks_dependants_with_depth_and_path() {
        let g = graph(&[
            ("innlogging", "nett"),
            ("minside", "innlogging"),
            ("chatbot", "minside"),
        ]);
        let hit: Vec<(&str, usize)> = g.impact("nett").iter().map(|r| (r.id, r.depth)).collect();
        assert_eq!(hit, vec![("innlogging", 1), ("minside", 2), ("chatbot", 3)]);
        let via: Vec<&str> = g.impact("nett").iter().map(|r| r.via).collect();
        assert_eq!(via, vec!["nett", "innlogging", "minside"]);
        let up: Vec<&str> = g.upstream("chatbot").iter().map(|r| r.id).collect();
        assert_eq!(up, vec!["minside", "innlogging", "nett"]);
        assert!(g.impact("nowhere").is_empty());
    }

    /// The shapes that once made walks quadratic: a chain and a fan of 10,000.
    #[test]
    fn chains_and_fans_of_ten_thousand() {
        const N: usize = 10_000;
        let ids: Vec<String> = (0..N).map(|k| format!("n{k}")).collect();
        let all: Vec<&str> = ids.iter().map(String::as_str).collect();
        let chain = DepGraph::new(all.clone(), (1..N).map(|k| (all[k], all[k - 1])));
        let counts = chain.downstream_counts(&all, |_| true);
        assert!(counts.iter().enumerate().all(|(k, c)| *c == N - 1 - k));
        let nearest = chain.nearest_upstream(|_| true);
        assert_eq!(nearest[all[N - 1]], [all[N - 2]]);
        assert_eq!(
            chain.impact(all[0]).last().map(|r| (r.depth, r.via)),
            Some((N - 1, all[N - 2]))
        );
        let fan = DepGraph::new(all.clone(), (1..N).map(|k| (all[k], all[0])));
        assert_eq!(fan.downstream_counts(&all[..1], |_| true), [N - 1]);
        assert_eq!(fan.nearest_upstream(|id| id == "n0").len(), N - 1);
    }

    #[test]
    fn levels_follow_the_highest_dependency_in_plan_order() {
        // Plan order: c, b, a, d. a and c depend on nothing; b on c; d on a and b.
        let g = DepGraph::new(["c", "b", "a", "d"], [("b", "c"), ("d", "a"), ("d", "b")]);
        let got: Vec<(&str, usize)> = g
            .levels()
            .unwrap()
            .iter()
            .map(|l| (l.id, l.level))
            .collect();
        assert_eq!(got, vec![("c", 1), ("a", 1), ("b", 2), ("d", 3)]);
    }

    /// On the calendar, overlapping work is not added up: a four-year plan's path fits in four
    /// years, each link starting when its dependency finishes (or at its own start, if later).
    #[test]
    fn the_critical_path_is_a_chain_of_dates_not_a_sum_of_durations() {
        // b depends on a, c on b, d on a; e has no dates at all.
        let g = DepGraph::new(
            ["a", "b", "c", "d", "e"],
            [("b", "a"), ("c", "b"), ("d", "a"), ("e", "c")],
        );
        let dates: HashMap<&str, (Option<NaiveDate>, Option<NaiveDate>)> = [
            ("a", (Some(d("2021-01-01")), Some(d("2021-12-31")))),
            // Planned to start before a is done: scheduled after it, for its full length.
            ("b", (Some(d("2021-06-01")), Some(d("2022-05-31")))),
            // Only a due date, before b can finish: finishes when it can start.
            ("c", (None, Some(d("2022-01-31")))),
            ("d", (Some(d("2022-01-01")), Some(d("2022-03-31")))),
            ("e", (None, None)),
        ]
        .into_iter()
        .collect();
        let chain = g.schedule(|id| dates[id]).unwrap().unwrap();
        let got: Vec<(&str, NaiveDate, NaiveDate)> =
            chain.iter().map(|l| (l.id, l.start, l.finish)).collect();
        assert_eq!(
            got,
            [
                ("a", d("2021-01-01"), d("2021-12-31")),
                ("b", d("2021-12-31"), d("2022-12-30")),
                ("c", d("2022-12-30"), d("2022-12-30")),
                ("e", d("2022-12-30"), d("2022-12-30")),
            ]
        );
        assert_eq!(
            DepGraph::new(["x"], []).schedule(|_| (None, None)),
            Ok(None)
        );
    }

    fn facts(kind: Kind, due: Option<&str>, status: Option<Status>) -> Facts {
        Facts {
            kind,
            withdrawn: false,
            due: due.map(d),
            status,
            completed_on: None,
        }
    }

    #[test]
    fn check_reports_cycles_even_though_a_stored_plan_cannot_hold_one() {
        let g = graph(&[("a", "b"), ("b", "a"), ("c", "a")]);
        let f: HashMap<&str, Facts> = ["a", "b", "c"]
            .into_iter()
            .map(|id| (id, facts(Kind::Initiative, None, None)))
            .collect();
        let found = g.check(&f);
        assert_eq!(found, vec![Finding::Cycle(vec!["a", "b", "a"])]);
        assert!(found[0].is_error());
        assert_eq!(found[0].id(), "a");
    }

    #[test]
    fn check_reports_each_kind_of_conflict_once_per_dependency() {
        use Status::*;
        let g = DepGraph::new(
            [
                "old", "idea", "stop", "base", "late", "ahead", "done", "early", "w",
            ],
            [
                ("base", "old"),
                ("base", "idea"),
                ("base", "stop"),
                ("base", "ghost"),
                ("ahead", "late"),
                ("done", "base"),
                ("early", "late"),
                ("early", "done"),
                ("w", "late"),
            ],
        );
        let mut f: HashMap<&str, Facts> = HashMap::new();
        f.insert("old", facts(Kind::Initiative, None, None));
        f.get_mut("old").unwrap().withdrawn = true;
        f.insert("idea", facts(Kind::Proposed, None, None));
        f.insert("stop", facts(Kind::Initiative, None, Some(Cancelled)));
        f.insert(
            "base",
            facts(Kind::Initiative, Some("2024-01-01"), Some(AtRisk)),
        );
        f.insert(
            "late",
            facts(Kind::Initiative, Some("2025-06-30"), Some(Delayed)),
        );
        f.insert(
            "ahead",
            facts(Kind::Initiative, Some("2025-12-31"), Some(OnTrack)),
        );
        let mut done = facts(Kind::Initiative, Some("2023-01-01"), Some(Completed));
        done.completed_on = Some(d("2023-02-01"));
        f.insert("done", done);
        let mut early = facts(Kind::Initiative, None, Some(Completed));
        early.completed_on = Some(d("2023-01-15"));
        f.insert("early", early);
        let mut w = facts(Kind::Initiative, Some("2020-01-01"), Some(OnTrack));
        w.withdrawn = true;
        f.insert("w", w);

        let found = g.check(&f);
        let expected = vec![
            Finding::Undelivered {
                dependant: "base",
                dependency: "old",
                why: Undelivered::Withdrawn,
            },
            Finding::Undelivered {
                dependant: "base",
                dependency: "idea",
                why: Undelivered::Proposed,
            },
            Finding::Undelivered {
                dependant: "base",
                dependency: "stop",
                why: Undelivered::Cancelled,
            },
            Finding::Undelivered {
                dependant: "base",
                dependency: "ghost",
                why: Undelivered::Unknown,
            },
            Finding::Schedule {
                dependant: "done",
                dependency: "base",
                due: d("2023-01-01"),
                dependency_due: d("2024-01-01"),
            },
            Finding::AheadOfDelayed {
                dependant: "ahead",
                dependency: "late",
                status: OnTrack,
            },
            Finding::CompletedFirst {
                dependant: "done",
                dependency: "base",
                completed_on: d("2023-02-01"),
                dependency_completed_on: None,
                dependency_status: Some(AtRisk),
            },
            Finding::AheadOfDelayed {
                dependant: "early",
                dependency: "late",
                status: Completed,
            },
            Finding::CompletedFirst {
                dependant: "early",
                dependency: "done",
                completed_on: d("2023-01-15"),
                dependency_completed_on: Some(d("2023-02-01")),
                dependency_status: Some(Completed),
            },
        ];
        assert_eq!(found, expected);
        assert!(found.iter().all(|x| !x.is_error()));

        // Completed the same day as its dependency, or after it: no conflict.
        f.get_mut("early").unwrap().completed_on = Some(d("2023-02-01"));
        let again = g.check(&f);
        assert!(!again.iter().any(|x| matches!(
            x,
            Finding::CompletedFirst {
                dependant: "early",
                ..
            }
        )));
    }

    #[test]
    fn a_cycle_through_a_withdrawn_initiative_is_no_cycle() {
        let g = graph(&[("a", "b"), ("b", "a")]);
        let mut f: HashMap<&str, Facts> = HashMap::new();
        f.insert("a", facts(Kind::Initiative, None, None));
        let mut b = facts(Kind::Initiative, None, None);
        b.withdrawn = true;
        f.insert("b", b);
        assert_eq!(
            g.check(&f),
            vec![Finding::Undelivered {
                dependant: "a",
                dependency: "b",
                why: Undelivered::Withdrawn
            }]
        );
    }

    // ----------------------------------------------------------------------------------------
    // Properties, against brute force on small random graphs
    // ----------------------------------------------------------------------------------------

    /// Node names that sort like their numbers (`n00` … `n29`).
    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("n{i:02}")).collect()
    }

    /// A random DAG: `n` nodes and edges i → j ("i depends on j") only with i < j.
    fn dag(max: usize) -> impl Strategy<Value = (usize, Vec<(usize, usize)>)> {
        (1..=max).prop_flat_map(|n| {
            let pairs = proptest::collection::vec((0..n, 0..n), 0..=n * 3);
            (Just(n), pairs).prop_map(|(n, pairs)| {
                let edges = pairs
                    .into_iter()
                    .filter(|(i, j)| i != j)
                    .map(|(i, j)| (i.min(j), i.max(j)))
                    .collect();
                (n, edges)
            })
        })
    }

    /// Any directed graph, self-loops included.
    fn any_graph(max: usize) -> impl Strategy<Value = (usize, Vec<(usize, usize)>)> {
        (1..=max).prop_flat_map(|n| (Just(n), proptest::collection::vec((0..n, 0..n), 0..=n * 2)))
    }

    fn build<'a>(names: &'a [String], edges: &[(usize, usize)]) -> DepGraph<'a> {
        DepGraph::new(
            names.iter().map(String::as_str),
            edges
                .iter()
                .map(|&(i, j)| (names[i].as_str(), names[j].as_str())),
        )
    }

    /// reach[i][j]: a path of one edge or more leads from i to j.
    fn closure(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<bool>> {
        let mut reach = vec![vec![false; n]; n];
        for &(i, j) in edges {
            reach[i][j] = true;
        }
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    if reach[i][k] && reach[k][j] {
                        reach[i][j] = true;
                    }
                }
            }
        }
        reach
    }

    proptest! {
        #[test]
        fn order_respects_every_edge((n, edges) in dag(30)) {
            let names = names(n);
            let g = build(&names, &edges);
            let levels = g.levels().unwrap();
            prop_assert_eq!(levels.len(), n);
            let level: HashMap<&str, usize> = levels.iter().map(|l| (l.id, l.level)).collect();
            for &(i, j) in &edges {
                prop_assert!(level[names[i].as_str()] > level[names[j].as_str()]);
            }
            // Exactly one above the highest dependency, and plan order within a level.
            for (i, name) in names.iter().enumerate() {
                let highest = edges.iter().filter(|e| e.0 == i).map(|e| level[names[e.1].as_str()]).max();
                prop_assert_eq!(level[name.as_str()], 1 + highest.unwrap_or(0));
            }
            let keys: Vec<(usize, &str)> = levels.iter().map(|l| (l.level, l.id)).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            prop_assert_eq!(keys, sorted);
        }

        #[test]
        fn impact_is_reverse_reachability((n, edges) in dag(20), start in 0..20usize) {
            let start = start % n;
            let names = names(n);
            let g = build(&names, &edges);
            let reach = closure(n, &edges);
            let hit = g.impact(&names[start]);
            let got: BTreeSet<&str> = hit.iter().map(|r| r.id).collect();
            let want: BTreeSet<&str> = (0..n).filter(|&i| reach[i][start]).map(|i| names[i].as_str()).collect();
            prop_assert_eq!(got.len(), hit.len(), "each node once");
            prop_assert_eq!(got, want);
            // Each step is real (`id` depends on `via`), one level nearer the start.
            let edge_set: HashSet<(&str, &str)> = g.edges().collect();
            let depth: HashMap<&str, usize> = hit.iter().map(|r| (r.id, r.depth)).collect();
            for r in &hit {
                prop_assert!(edge_set.contains(&(r.id, r.via)));
                let before = if r.via == names[start] { 0 } else { depth[r.via] };
                prop_assert_eq!(before + 1, r.depth);
            }
            let mut dist = vec![usize::MAX; n];
            dist[start] = 0;
            for _ in 0..n {
                for &(i, j) in &edges {
                    if dist[j] != usize::MAX {
                        dist[i] = dist[i].min(dist[j] + 1);
                    }
                }
            }
            for r in &hit {
                let i = names.iter().position(|x| x == r.id).unwrap();
                prop_assert_eq!(r.depth, dist[i]);
            }
            // And upstream is the same the other way.
            let up: BTreeSet<&str> = g.upstream(&names[start]).iter().map(|r| r.id).collect();
            let want_up: BTreeSet<&str> = (0..n).filter(|&j| reach[start][j]).map(|j| names[j].as_str()).collect();
            prop_assert_eq!(up, want_up);
        }

        /// Against the transitive closure: the counts are the sizes of the downstream sets,
        /// and the nearest holders are the holders upstream with no holder between.
        #[test]
        fn downstream_counts_and_nearest_holders_agree_with_brute_force(
            (n, edges) in dag(70),
            holders in proptest::collection::vec(any::<bool>(), 70),
        ) {
            let names = names(n);
            let g = build(&names, &edges);
            let reach = closure(n, &edges);
            let counted = |id: &str| id.len().is_multiple_of(2);
            let all: Vec<&str> = names.iter().map(String::as_str).collect();
            let got = g.downstream_counts(&all, counted);
            for s in 0..n {
                let want = (0..n).filter(|&i| i != s && reach[i][s] && counted(&names[i])).count();
                prop_assert_eq!(got[s], want, "{}", names[s]);
            }
            let holds = |id: &str| names.iter().position(|x| x == id).is_some_and(|k| holders[k]);
            let nearest = g.nearest_upstream(holds);
            for v in 0..n {
                // h holds v up when some path from v to h (each step to a dependency) meets
                // no other holder before h: a search from v that stops at holders.
                let mut want: BTreeSet<&str> = BTreeSet::new();
                let mut seen = vec![false; n];
                let mut stack = vec![v];
                while let Some(x) = stack.pop() {
                    for &(from, to) in &edges {
                        if from == x && !std::mem::replace(&mut seen[to], true) {
                            if holders[to] {
                                want.insert(names[to].as_str());
                            } else {
                                stack.push(to);
                            }
                        }
                    }
                }
                let got: BTreeSet<&str> = nearest.get(names[v].as_str()).into_iter().flatten().copied().collect();
                prop_assert_eq!(got, want, "{}", names[v]);
            }
        }

        #[test]
        fn cycles_agree_with_brute_force((n, edges) in any_graph(12)) {
            let names = names(n);
            let g = build(&names, &edges);
            let reach = closure(n, &edges);
            let on_cycle: Vec<usize> = (0..n).filter(|&i| reach[i][i]).collect();
            let cycles = g.cycles();
            prop_assert_eq!(cycles.is_empty(), on_cycle.is_empty());
            prop_assert_eq!(g.levels().is_err(), !on_cycle.is_empty());
            prop_assert_eq!(g.schedule(|_| (None, None)).is_err(), !on_cycle.is_empty());
            // One cycle per strongly connected part that has one.
            let parts: BTreeSet<Vec<usize>> = on_cycle
                .iter()
                .map(|&i| on_cycle.iter().copied().filter(|&j| reach[i][j] && reach[j][i]).collect())
                .collect();
            prop_assert_eq!(cycles.len(), parts.len());
            let edge_set: HashSet<(&str, &str)> = g.edges().collect();
            for c in &cycles {
                prop_assert!(c.len() >= 2);
                prop_assert_eq!(c.first(), c.last());
                for w in c.windows(2) {
                    prop_assert!(edge_set.contains(&(w[0], w[1])));
                }
                let members: HashSet<&&str> = c[..c.len() - 1].iter().collect();
                prop_assert_eq!(members.len(), c.len() - 1, "a simple cycle");
                prop_assert_eq!(Some(&c[0]), c.iter().min(), "starts from its first member");
            }
        }

        /// The schedule against a fixpoint of its own rule: the chain is real, each link starts
        /// no earlier than its own start nor before the link before it finishes, and it ends
        /// at the latest finish of all.
        #[test]
        fn the_schedule_is_a_real_chain_that_finishes_last(
            (n, edges) in dag(9),
            spans in proptest::collection::vec((0i64..400, 0i64..400, 0u8..4), 9),
        ) {
            let names = names(n);
            let g = build(&names, &edges);
            let base = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
            let day = |k: i64| base + chrono::Days::new(k as u64);
            let dates_of = |i: usize| {
                let (a, len, kind) = spans[i];
                match kind {
                    0 => (Some(day(a)), Some(day(a + len))),
                    1 => (None, Some(day(a))),
                    2 => (Some(day(a)), None),
                    _ => (None, None),
                }
            };
            let index = |id: &str| names.iter().position(|x| x == id).unwrap();
            let chain = g.schedule(|id| dates_of(index(id))).unwrap();
            let mut finish: Vec<Option<NaiveDate>> = vec![None; n];
            for _ in 0..n {
                for v in 0..n {
                    let after = edges.iter().filter(|e| e.0 == v).filter_map(|e| finish[e.1]).max();
                    let (start, due) = dates_of(v);
                    finish[v] = match (start.max(after), start, due) {
                        (Some(f), Some(s), Some(d)) => Some(f + (d - s).max(chrono::TimeDelta::zero())),
                        (Some(f), _, due) => Some(due.map_or(f, |d| d.max(f))),
                        (None, _, due) => due,
                    };
                }
            }
            let latest = finish.iter().flatten().max().copied();
            match chain {
                None => prop_assert!(latest.is_none()),
                Some(c) => {
                    prop_assert_eq!(c.last().map(|l| l.finish), latest);
                    let edge_set: HashSet<(&str, &str)> = g.edges().collect();
                    for w in c.windows(2) {
                        prop_assert!(edge_set.contains(&(w[1].id, w[0].id)));
                        prop_assert!(w[1].start >= w[0].finish);
                    }
                    for l in &c {
                        prop_assert!(l.finish >= l.start);
                        if let (Some(s), _) = dates_of(index(l.id)) {
                            prop_assert!(l.start >= s);
                        }
                    }
                }
            }
        }
    }
}
