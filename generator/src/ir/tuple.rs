//! Tuples: arrays whose positions have schemas of their own (3.1
//! `prefixItems`). The 3.1 lowering (`load/v31/schema.rs`) writes one as a
//! 3.0 array whose `items` is an `anyOf` of the positions (then of the
//! rest, when `items` gives one), marked with [`TUPLE_EXTENSION`]; a 3.0
//! reader without it sees an array of any of them.

use super::schema::{Lowerer, SchemaRef};
use super::view::View;
use super::{Kind, Position, Shape, Tuple, TypeKind};
use crate::diagnostics::child;
use crate::naming::{self, Place};
use openapiv3::ReferenceOr;
use serde_json::Value;

/// The extension keyword marking a lowered tuple:
/// `{"count": <positions>, "rest": <whether a last anyOf member gives the rest>}`.
pub const TUPLE_EXTENSION: &str = "x-prefix-items";

/// What the mark says, when a schema carries a well-formed one.
struct Mark {
    count: usize,
    rest: bool,
}

fn mark(view: &View<'_>) -> Option<Mark> {
    let m = view.data.extensions.get(TUPLE_EXTENSION)?;
    let count = usize::try_from(m.get("count")?.as_u64()?).ok()?;
    let rest = m.get("rest").and_then(Value::as_bool).unwrap_or(false);
    (count > 0).then_some(Mark { count, rest })
}

/// Whether a schema is marked as a tuple (it becomes a type of its own).
pub(super) fn is_tuple(view: &View<'_>) -> bool {
    mark(view).is_some()
}

impl<'a> Lowerer<'a> {
    /// The tuple type of an array schema marked as one (`None` when it is
    /// not, or its mark does not match its `items`).
    pub(super) fn lower_tuple(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        name_hint: &str,
        is_component: bool,
    ) -> Option<Shape> {
        let mark = mark(view)?;
        let Some(ReferenceOr::Item(items)) = view.items else {
            return None;
        };
        let members = View::of(items).any_of;
        if members.len() != mark.count + usize::from(mark.rest) {
            return None;
        }
        let min = view.min_items.map_or(0, |n| n as u64);
        let max = view.max_items.map(|n| n as u64);
        // Positions past `maxItems` can never be filled.
        let count = max.map_or(mark.count, |m| mark.count.min(m as usize));
        let name = self.type_name(name_hint, is_component);
        let at = child(pointer, "prefixItems");
        let items: Vec<Position> = members[..count]
            .iter()
            .enumerate()
            .map(|(i, m)| Position {
                shape: self.lower(
                    SchemaRef::from(m),
                    &child(&at, &i.to_string()),
                    &naming::hint(&name, Place::Position(i)),
                ),
                boxed: false,
            })
            .collect();
        let open = max.is_none_or(|m| m > count as u64);
        let rest = match (open, mark.rest) {
            (false, _) => None,
            (true, true) => Some(self.lower(
                SchemaRef::from(&members[mark.count]),
                &child(pointer, "items"),
                &naming::hint(&name, Place::Item),
            )),
            (true, false) => Some(Shape::new(Kind::Json)),
        };
        let tuple = Tuple {
            required: (min as usize).min(count),
            min_items: (min > count as u64).then_some(min),
            max_items: max.filter(|m| *m > count as u64),
            items,
            rest,
        };
        let shape = self.add_type(name, view, pointer, TypeKind::Tuple(tuple));
        Some(Shape {
            nullable: view.nullable(),
            ..shape
        })
    }
}
