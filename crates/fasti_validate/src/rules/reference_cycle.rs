//! `reference-cycle`: places `within` each other, events `part_of` each other, or events that
//! must each come after the next (`caused_by`, `after`, `before`) in a circle.
//!
//! Three graphs are checked: places by `within`; events by `part_of`; events by "comes after"
//! (`a` `caused_by` or `after` `b`, and `b` `before` `a`, each say that `a` comes after `b`).
//! Their edges come from the authority and from every source's claims (a claim's `part_of`,
//! `caused_by`, `after` and `before` speak of its event), so a cycle that no file holds alone is
//! found too. A record that names itself is a cycle of one step.
//!
//! Strongly connected components are found with an iterative Tarjan's algorithm (no recursion:
//! a chain of 40,000 places must not overflow a stack), then one shortest cycle through each
//! component's first node by breadth-first search: linear in places, events and references.
//! Each cycle is one finding that labels every step, up to [`MAX_STEPS_LABELLED`].

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use fasti_ingest::FileName;
use fasti_normalize::dataset::Ref;

use crate::{Context, LinkKind, SourceSummary};

/// The most steps of one cycle given a label each; the rest are counted in a note.
const MAX_STEPS_LABELLED: usize = 50;

/// The graphs checked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Graph {
    Within,
    PartOf,
    Order,
}

/// One step: `from` → `to`, said at `pointer` of `file`, by `kind`.
struct Step<'a> {
    from: usize,
    to: usize,
    kind: LinkKind,
    file: &'a FileName,
    pointer: &'a str,
}

pub(super) fn check(summaries: &[SourceSummary], context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let authority = context.authority;
    let mut within = Vec::new();
    for (i, place) in authority.places.iter().enumerate() {
        if let Some((to, r)) = resolved(place.within.as_ref()) {
            within.push(step(i, to, LinkKind::Within, &place.at.file, r));
        }
    }
    let mut part_of = Vec::new();
    let mut order = Vec::new();
    for (i, event) in authority.events.iter().enumerate() {
        let file = &event.at.file;
        if let Some((to, r)) = resolved(event.part_of.as_ref()) {
            part_of.push(step(i, to, LinkKind::PartOf, file, r));
        }
        for (kind, refs) in [
            (LinkKind::CausedBy, &event.caused_by),
            (LinkKind::After, &event.after),
            (LinkKind::Before, &event.before),
        ] {
            for (to, r) in refs.iter().filter_map(|r| resolved(Some(r))) {
                order.push(step(i, to, kind, file, r));
            }
        }
    }
    for summary in summaries {
        for link in &summary.links {
            let (from, to) = (link.from as usize, link.to as usize);
            let step = Step {
                from,
                to,
                kind: link.kind,
                file: &summary.file,
                pointer: &link.pointer,
            };
            if link.kind == LinkKind::PartOf {
                part_of.push(step);
            } else {
                order.push(step);
            }
        }
    }
    // `before` says the reverse of the others: `a before b` is `b` after `a`.
    for step in &mut order {
        if step.kind == LinkKind::Before {
            std::mem::swap(&mut step.from, &mut step.to);
        }
    }
    let names = |graph: Graph, i: usize| -> &str {
        match graph {
            Graph::Within => authority.places.get(i).map_or("", |p| p.at.id.as_str()),
            _ => authority.events.get(i).map_or("", |e| e.at.id.as_str()),
        }
    };
    for (graph, nodes, steps) in [
        (Graph::Within, authority.places.len(), within),
        (Graph::PartOf, authority.events.len(), part_of),
        (Graph::Order, authority.events.len(), order),
    ] {
        for cycle in cycles(nodes, steps) {
            out.push(diagnostic(graph, &cycle, &|i| names(graph, i)));
        }
    }
}

fn resolved(r: Option<&Ref>) -> Option<(usize, &Ref)> {
    let r = r?;
    Some((r.entry()?, r))
}

fn step<'a>(from: usize, to: usize, kind: LinkKind, file: &'a FileName, r: &'a Ref) -> Step<'a> {
    Step {
        from,
        to,
        kind,
        file,
        pointer: &r.pointer,
    }
}

/// One cycle of each strongly connected component that has one, as its steps in order, each
/// component's starting at its lowest node. Steps are taken in a fixed order (by nodes, file and
/// pointer), so the cycle chosen is the same every run.
fn cycles(nodes: usize, mut steps: Vec<Step<'_>>) -> Vec<Vec<Step<'_>>> {
    steps.retain(|s| s.from < nodes && s.to < nodes);
    if steps.is_empty() {
        return Vec::new();
    }
    steps.sort_by(|a, b| (a.from, a.to, a.file, a.pointer).cmp(&(b.from, b.to, b.file, b.pointer)));
    // Outgoing steps of each node: `steps[first[n]..first[n + 1]]`.
    let mut first = vec![0_usize; nodes + 1];
    for s in &steps {
        first[s.from + 1] += 1;
    }
    for n in 0..nodes {
        first[n + 1] += first[n];
    }
    let component = components(nodes, &steps, &first);
    let mut size = vec![0_usize; nodes];
    for &c in &component {
        size[c] += 1;
    }
    // Each component's lowest node starts its cycle: components are visited by their lowest node.
    let mut done = vec![false; nodes];
    let mut found: Vec<Vec<usize>> = Vec::new();
    let mut parent: Vec<Option<usize>> = vec![None; nodes];
    for start in 0..nodes {
        let c = component[start];
        if done[c] {
            continue;
        }
        done[c] = true;
        let self_loop = steps[first[start]..first[start + 1]]
            .iter()
            .position(|s| s.to == start);
        if let Some(at) = self_loop {
            found.push(vec![first[start] + at]);
            continue;
        }
        if size[c] < 2 {
            continue;
        }
        // Breadth-first from `start` within its component, back to `start`.
        let mut queue = std::collections::VecDeque::from([start]);
        let mut seen_nodes = vec![start];
        let mut closing = None;
        'search: while let Some(n) = queue.pop_front() {
            for (k, s) in steps[first[n]..first[n + 1]].iter().enumerate() {
                if component[s.to] != c {
                    continue;
                }
                if s.to == start {
                    closing = Some(first[n] + k);
                    break 'search;
                }
                if parent[s.to].is_none() {
                    parent[s.to] = Some(first[n] + k);
                    seen_nodes.push(s.to);
                    queue.push_back(s.to);
                }
            }
        }
        if let Some(last) = closing {
            let mut path = vec![last];
            let mut n = steps[last].from;
            while n != start {
                let Some(p) = parent[n] else { break };
                path.push(p);
                n = steps[p].from;
            }
            path.reverse();
            found.push(path);
        }
        for n in seen_nodes {
            parent[n] = None;
        }
    }
    // Move the chosen steps out, in order.
    let mut slots: Vec<Option<Step<'_>>> = steps.into_iter().map(Some).collect();
    found
        .into_iter()
        .map(|path| path.into_iter().filter_map(|i| slots[i].take()).collect())
        .collect()
}

/// The strongly connected component of each node (Tarjan's algorithm, with an explicit stack).
fn components(nodes: usize, steps: &[Step<'_>], first: &[usize]) -> Vec<usize> {
    const NONE: usize = usize::MAX;
    let mut index = vec![NONE; nodes];
    let mut low = vec![0_usize; nodes];
    let mut on_stack = vec![false; nodes];
    let mut component = vec![NONE; nodes];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut components = 0;
    // (node, next outgoing step to look at)
    let mut calls: Vec<(usize, usize)> = Vec::new();
    for root in 0..nodes {
        if index[root] != NONE {
            continue;
        }
        calls.push((root, first[root]));
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(n, at)) = calls.last() {
            if at < first[n + 1] {
                let to = steps[at].to;
                if let Some(call) = calls.last_mut() {
                    call.1 += 1;
                }
                if index[to] == NONE {
                    index[to] = next_index;
                    low[to] = next_index;
                    next_index += 1;
                    stack.push(to);
                    on_stack[to] = true;
                    calls.push((to, first[to]));
                } else if on_stack[to] {
                    low[n] = low[n].min(index[to]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[n]);
            }
            if low[n] == index[n] {
                while let Some(m) = stack.pop() {
                    on_stack[m] = false;
                    component[m] = components;
                    if m == n {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

fn diagnostic<'a>(graph: Graph, cycle: &[Step<'_>], name: &dyn Fn(usize) -> &'a str) -> Diagnostic {
    let Some(first) = cycle.first() else {
        unreachable!("a cycle has a step")
    };
    // The records in the order the cycle passes them, as the references read.
    let said = |s: &Step<'_>| -> (usize, usize) {
        if s.kind == LinkKind::Before {
            (s.to, s.from)
        } else {
            (s.from, s.to)
        }
    };
    let label = |s: &Step<'_>| {
        let (from, to) = said(s);
        Label::new(s.file.clone(), Anchor::value(s.pointer.to_owned())).with_message(format!(
            "`{}` {} `{}`",
            name(from),
            s.kind.verb(),
            name(to)
        ))
    };
    let mut path: Vec<String> = cycle
        .iter()
        .take(6)
        .map(|s| format!("`{}`", name(s.from)))
        .collect();
    if cycle.len() > 6 {
        path.push(format!("… ({} more)", cycle.len() - 6));
    }
    path.push(format!("`{}`", name(first.from)));
    let (what, relation) = match graph {
        Graph::Within => ("places", "`within`"),
        Graph::PartOf => ("events", "`part_of`"),
        Graph::Order => ("events", "`caused_by`, `after` and `before`"),
    };
    let message = if cycle.len() == 1 {
        let (from, to) = said(first);
        debug_assert_eq!(from, to);
        format!("`{}` {} itself", name(from), first.kind.verb())
    } else {
        format!(
            "{what} form a cycle of {} steps through {relation}: {}",
            cycle.len(),
            path.join(" › ")
        )
    };
    let mut found = Diagnostic::new(Rule::ReferenceCycle, message, label(first));
    for s in cycle.iter().skip(1).take(MAX_STEPS_LABELLED - 1) {
        found = found.with_related(label(s));
    }
    if cycle.len() > MAX_STEPS_LABELLED {
        found.notes.push(format!(
            "only the first {MAX_STEPS_LABELLED} of the {} steps are labelled",
            cycle.len()
        ));
    }
    let help = match graph {
        Graph::Within => "a place cannot contain itself: fix the `within` that is wrong",
        Graph::PartOf => "an event cannot be part of itself: fix the `part_of` that is wrong",
        Graph::Order => {
            "an event cannot come after itself: fix the `caused_by`, `after` or `before` that is wrong"
        }
    };
    found.with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(edges: &[(usize, usize)], file: &FileName) -> Vec<Step<'static>> {
        // Pointers name the edge, so that the cycle found can be read back.
        let pointers: Vec<&'static str> = edges
            .iter()
            .map(|(a, b)| &*Box::leak(format!("{a}->{b}").into_boxed_str()))
            .collect();
        let file: &'static FileName = Box::leak(Box::new(file.clone()));
        edges
            .iter()
            .zip(pointers)
            .map(|(&(from, to), pointer)| Step {
                from,
                to,
                kind: LinkKind::PartOf,
                file,
                pointer,
            })
            .collect()
    }

    fn found(nodes: usize, edges: &[(usize, usize)]) -> Vec<Vec<&'static str>> {
        let file: FileName = std::sync::Arc::from("t.yaml");
        cycles(nodes, steps(edges, &file))
            .into_iter()
            .map(|cycle| cycle.into_iter().map(|s| s.pointer).collect())
            .collect()
    }

    #[test]
    fn finds_one_cycle_per_component_from_its_lowest_node() {
        assert_eq!(found(3, &[(0, 1), (1, 2)]), Vec::<Vec<&str>>::new());
        assert_eq!(found(2, &[(1, 1)]), [["1->1"]]);
        assert_eq!(
            found(5, &[(3, 4), (4, 3), (0, 1), (1, 2), (2, 0), (2, 1)]),
            [vec!["0->1", "1->2", "2->0"], vec!["3->4", "4->3"]]
        );
    }

    #[test]
    fn a_cycle_of_forty_thousand_steps_overflows_no_stack() {
        let n = 40_000;
        let edges: Vec<(usize, usize)> = (0..n).map(|i| (i, (i + 1) % n)).collect();
        let cycles = found(n, &edges);
        assert_eq!(cycles.len(), 1);
        assert_eq!(cycles[0].len(), n);
    }
}
