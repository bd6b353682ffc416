//! The tree of parameters the deserializer walks: keys split at `.` into nested nodes, and the
//! list view of a node whose children are named `0..n`.

use super::UnflattenError;
use crate::flatten::MAX_DEPTH;
use crate::params::Params;

/// A value in the tree of parameters: a raw value, or named children in byte order.
#[derive(Debug)]
pub(super) enum Node<'a> {
    Leaf(&'a str),
    Branch(Vec<(&'a str, Node<'a>)>),
}

/// Builds the tree of `params`, rejecting empty segments, too deep keys and leaf-and-parent keys.
pub(super) fn build_tree(params: &Params) -> Result<Node<'_>, UnflattenError> {
    let mut root: Vec<(&str, Node<'_>)> = Vec::new();
    for (key, value) in params.iter() {
        if key.split('.').count() > MAX_DEPTH {
            return Err(UnflattenError::TooDeep {
                key: key.to_owned(),
            });
        }
        let mut children = &mut root;
        let mut end = 0;
        let mut segments = key.split('.').peekable();
        while let Some(segment) = segments.next() {
            if segment.is_empty() {
                return Err(UnflattenError::EmptySegment {
                    key: key.to_owned(),
                });
            }
            end += segment.len();
            let prefix = || key.get(..end).unwrap_or(key).to_owned();
            let found =
                children.binary_search_by(|(name, _)| name.as_bytes().cmp(segment.as_bytes()));
            if segments.peek().is_none() {
                match found {
                    Ok(_) => return Err(UnflattenError::LeafAndParent { key: prefix() }),
                    Err(at) => children.insert(at, (segment, Node::Leaf(value))),
                }
                break;
            }
            let at = match found {
                Ok(at) => at,
                Err(at) => {
                    children.insert(at, (segment, Node::Branch(Vec::new())));
                    at
                }
            };
            children = match children.get_mut(at) {
                Some((_, Node::Branch(next))) => next,
                _ => return Err(UnflattenError::LeafAndParent { key: prefix() }),
            };
            end += 1;
        }
    }
    Ok(Node::Branch(root))
}

/// Why the children of a node are not a list.
pub(super) enum IndexProblem<'a> {
    Bad(&'a str),
    Gap(usize),
}

/// Whether `name` is a list index in canonical form: `0`, or digits without a leading zero.
fn is_index(name: &str) -> bool {
    match name.as_bytes() {
        [b'0'] => true,
        [b'1'..=b'9', rest @ ..] => rest.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// The children of a node in index order, when their names are exactly `0..n`.
pub(super) fn index_children<'a>(
    children: &'a [(&'a str, Node<'a>)],
) -> Result<Vec<Option<&'a Node<'a>>>, IndexProblem<'a>> {
    if let Some((name, _)) = children.iter().find(|(name, _)| !is_index(name)) {
        return Err(IndexProblem::Bad(name));
    }
    let mut slots = vec![None; children.len()];
    for (name, node) in children {
        // An index past the end leaves some slot below it empty: that is the gap reported.
        if let Some(slot) = name.parse::<usize>().ok().and_then(|i| slots.get_mut(i)) {
            *slot = Some(node);
        }
    }
    match slots.iter().position(Option::is_none) {
        Some(missing) => Err(IndexProblem::Gap(missing)),
        None => Ok(slots),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flatten::fixtures::params;
    use crate::flatten::from_params;

    #[test]
    fn a_key_cannot_be_both_leaf_and_parent() {
        let err = |pairs: &[(&str, &str)]| from_params::<serde_json::Value>(&params(pairs));
        let lp = |key: &str| Err(UnflattenError::LeafAndParent { key: key.into() });
        assert_eq!(err(&[("A", "1"), ("A.B", "2")]), lp("A"));
        // `-` sorts before `.`, so the leaf and its children are not next to each other.
        assert_eq!(
            err(&[("A.B", "1"), ("A.B-c", "x"), ("A.B.C", "2")]),
            lp("A.B")
        );
        assert_eq!(
            err(&[("X.A.B.C", "1"), ("X.A.B", "2"), ("X.A-", "")]),
            lp("X.A.B")
        );
        assert_eq!(err(&[("A.B", "1"), ("A.B.C.D", "2")]), lp("A.B"));
    }

    #[test]
    fn too_deep_and_empty_segment_keys() {
        let key = vec!["a"; MAX_DEPTH + 1].join(".");
        assert_eq!(
            from_params::<serde_json::Value>(&params(&[(key.as_str(), "x")])),
            Err(UnflattenError::TooDeep { key: key.clone() })
        );
        for bad in ["A..B", "A.", ".A", "."] {
            assert_eq!(
                from_params::<serde_json::Value>(&params(&[(bad, "x")])),
                Err(UnflattenError::EmptySegment { key: bad.into() })
            );
        }
    }
}
