//! The dependency graph of one plan. An edge `a → b` means "a depends on b": b must be done
//! (or at least moving) for a to go ahead. Built on petgraph; deterministic in plan order.

use std::collections::BTreeSet;
use std::collections::HashMap;
use std::collections::HashSet;
use std::collections::VecDeque;

use petgraph::Direction;
use petgraph::algo::tarjan_scc;
use petgraph::graphmap::DiGraphMap;

use crate::model::Initiative;

pub struct DepGraph<'a> {
    g: DiGraphMap<&'a str, ()>,
}

/// An initiative reached from another, with how far and by which way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached<'a> {
    pub id: &'a str,
    pub depth: usize,
    /// From the start to `id`, both included.
    pub path: Vec<&'a str>,
}

impl<'a> DepGraph<'a> {
    pub fn new(
        nodes: impl IntoIterator<Item = &'a str>,
        edges: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let mut g = DiGraphMap::new();
        for n in nodes {
            g.add_node(n);
        }
        for (from, to) in edges {
            g.add_edge(from, to, ());
        }
        DepGraph { g }
    }

    pub fn from_initiatives(initiatives: &'a [Initiative]) -> Self {
        Self::new(
            initiatives.iter().map(|i| i.id.as_str()),
            initiatives.iter().flat_map(|i| {
                i.depends_on
                    .iter()
                    .map(move |d| (i.id.as_str(), d.as_str()))
            }),
        )
    }

    pub fn contains(&self, id: &str) -> bool {
        self.g.contains_node(id)
    }

    /// Every dependency cycle, each as a closed path (`a → b → a`), starting from its
    /// alphabetically first member so that messages are stable. Self-loops included.
    pub fn cycles(&self) -> Vec<Vec<&'a str>> {
        let mut out = Vec::new();
        for scc in tarjan_scc(&self.g) {
            let Some(&start) = scc.iter().min() else {
                continue;
            };

            if scc.len() == 1 && !self.g.contains_edge(start, start) {
                continue;
            }
            let members: BTreeSet<&str> = scc.iter().copied().collect();
            if let Some(path) = self.shortest_cycle_through(start, &members) {
                out.push(path);
            }
        }
        out.sort();
        out
    }

    /// Breadth-first search from `start` back to itself inside one strongly connected part.
    fn shortest_cycle_through(
        &self,
        start: &'a str,
        members: &BTreeSet<&str>,
    ) -> Option<Vec<&'a str>> {
        let mut prev: HashMap<&str, &str> = HashMap::new();
        let mut queue = VecDeque::from([start]);
        while let Some(n) = queue.pop_front() {
            let mut next: Vec<&str> = self.g.neighbors_directed(n, Direction::Outgoing).collect();
            next.sort_unstable();
            for m in next {
                if m == start {
                    let mut path = vec![n];
                    let mut cur = n;
                    while cur != start {
                        cur = *prev.get(cur)?;
                        path.push(cur);
                    }
                    path.reverse();
                    path.push(start);
                    return Some(path);
                }
                if members.contains(m) && !prev.contains_key(m) {
                    prev.insert(m, n);
                    queue.push_back(m);
                }
            }
        }
        None
    }

    /// Breadth-first walk along edges in one direction: each node once, at its least depth.
    fn walk(&self, id: &str, dir: Direction) -> Vec<Reached<'a>> {
        let Some(start) = self.g.nodes().find(|n| *n == id) else {
            return Vec::new();
        };
        let mut seen: HashSet<&str> = HashSet::from([start]);
        let mut out: Vec<Reached<'a>> = Vec::new();
        let mut queue = VecDeque::from([Reached {
            id: start,
            depth: 0,
            path: vec![start],
        }]);
        while let Some(cur) = queue.pop_front() {
            let mut next: Vec<&'a str> = self.g.neighbors_directed(cur.id, dir).collect();
            next.sort_unstable();
            for n in next {
                if !seen.insert(n) {
                    continue;
                }
                let mut path = cur.path.clone();
                path.push(n);
                let reached = Reached {
                    id: n,
                    depth: cur.depth + 1,
                    path,
                };
                out.push(reached.clone());
                queue.push_back(reached);
            }
        }
        out
    }

    /// Everything `id` depends on, directly or through others.
    pub fn upstream(&self, id: &str) -> Vec<Reached<'a>> {
        self.walk(id, Direction::Outgoing)
    }

    /// Everything that depends on `id`, directly or through others: what a delay hits.
    pub fn impact(&self, id: &str) -> Vec<Reached<'a>> {
        self.walk(id, Direction::Incoming)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph<'a>(edges: &[(&'a str, &'a str)]) -> DepGraph<'a> {
        let nodes: Vec<&str> = edges.iter().flat_map(|(a, b)| [*a, *b]).collect();
        DepGraph::new(nodes, edges.iter().copied())
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
        assert_eq!(
            g.impact("nett")[2].path,
            vec!["nett", "innlogging", "minside", "chatbot"]
        );
        let up: Vec<&str> = g.upstream("chatbot").iter().map(|r| r.id).collect();
        assert_eq!(up, vec!["minside", "innlogging", "nett"]);
    }
}
