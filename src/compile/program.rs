//! The expression arena under construction: identical nodes are shared (hash-consing).
//! Nodes are added after their operands, so operands always have smaller ids.

use std::collections::HashMap;

use crate::ruleset::{Aggregate, ArgumentRange, Node, NodeId, Program};

/// A hashable identity of a node: its tag, its operands, and for calls the argument list.
type NodeKey = (u8, u64, u32, u32, Vec<NodeId>);

/// Builds a [`Program`], handing out one id per distinct node.
#[derive(Debug, Default)]
pub(super) struct ProgramBuilder {
    program: Program,
    index: HashMap<NodeKey, NodeId>,
}

impl ProgramBuilder {
    /// The id of `node`, adding it when no identical node exists.
    pub fn node(&mut self, node: Node) -> NodeId {
        self.intern(key(&node, Vec::new()), |program| {
            program.nodes.push(node);
        })
    }

    /// The id of a call of `function` on `arguments`, shared with identical calls.
    pub fn call(&mut self, function: Aggregate, arguments: Vec<NodeId>) -> NodeId {
        let key = (9, function as u64, 0, 0, arguments.clone());
        self.intern(key, |program| {
            let start = u32::try_from(program.arguments.len()).unwrap_or(u32::MAX);
            let len = u32::try_from(arguments.len()).unwrap_or(u32::MAX);
            program.arguments.extend(arguments);
            program
                .nodes
                .push(Node::Call(function, ArgumentRange { start, len }));
        })
    }

    fn intern(&mut self, key: NodeKey, add: impl FnOnce(&mut Program)) -> NodeId {
        if let Some(&id) = self.index.get(&key) {
            return id;
        }
        add(&mut self.program);
        let id = u32::try_from(self.program.nodes.len() - 1).unwrap_or(u32::MAX);
        self.index.insert(key, id);
        id
    }

    /// The finished program.
    pub fn finish(self) -> Program {
        self.program
    }

    /// How many nodes there are so far (for tests and statistics).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.program.nodes.len()
    }
}

fn key(node: &Node, arguments: Vec<NodeId>) -> NodeKey {
    match *node {
        Node::Constant(value) => (0, value.to_bits(), 0, 0, arguments),
        Node::Answer(question) => (1, u64::from(question), 0, 0, arguments),
        Node::Not(a) => (2, 0, a, 0, arguments),
        Node::Negate(a) => (3, 0, a, 0, arguments),
        Node::And(a, b) => (4, 0, a, b, arguments),
        Node::Or(a, b) => (5, 0, a, b, arguments),
        Node::Compare(op, a, b) => (6, op as u64, a, b, arguments),
        Node::Arithmetic(op, a, b) => (7, op as u64, a, b, arguments),
        Node::In(a, mask) => (8, mask, a, 0, arguments),
        Node::Call(function, range) => (10, function as u64, range.start, range.len, arguments),
    }
}

#[cfg(test)]
mod tests {
    use super::ProgramBuilder;
    use crate::ruleset::{Aggregate, ArithmeticOp, Node};

    #[test]
    fn identical_nodes_are_shared_and_operands_come_first() {
        let mut builder = ProgramBuilder::default();
        let a = builder.node(Node::Answer(0));
        let b = builder.node(Node::Answer(1));
        assert_eq!(builder.node(Node::Answer(0)), a);
        let avg = builder.call(Aggregate::Avg, vec![a, b]);
        assert_eq!(builder.call(Aggregate::Avg, vec![a, b]), avg);
        assert_ne!(builder.call(Aggregate::Avg, vec![b, a]), avg);
        let one = builder.node(Node::Constant(1.0));
        let sum = builder.node(Node::Arithmetic(ArithmeticOp::Add, avg, one));
        assert_eq!(
            builder.node(Node::Arithmetic(ArithmeticOp::Add, avg, one)),
            sum
        );
        assert_eq!(builder.len(), 6);
        let program = builder.finish();
        assert!(avg > a && avg > b && sum > avg && sum > one);
        assert_eq!(program.arguments.len(), 4);
    }
}
