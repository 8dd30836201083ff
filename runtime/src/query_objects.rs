//! Objects read back from query pairs, the server's side of
//! [`Query::push_object`](crate::Query::push_object): the pairs become a tree of texts, and
//! the tree is decoded into the parameter's type, each text parsed as the type asks for (a
//! number where the field is a number), as `serde_urlencoded` does for flat forms.

use serde::de::value::{Error, MapDeserializer, SeqDeserializer, StringDeserializer};
use serde::de::{self, Deserializer, IntoDeserializer, Visitor};

/// Bracket nesting taken from a pair's name; deeper names are refused, so a hostile query
/// cannot make a deep tree.
const MAX_DEPTH: usize = 16;

/// Query texts arranged as the names' brackets say.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// A value.
    Text(String),
    /// Members by name, in the order they first appeared.
    Members(Vec<(String, Node)>),
    /// Items: `name[]=a&name[]=b`, or a name given more than once.
    Items(Vec<Node>),
}

impl Default for Node {
    fn default() -> Self {
        Node::Members(Vec::new())
    }
}

impl Node {
    /// Adds `value` under the member path `path` (`["state"]`, `["labels", ""]` for
    /// `labels[]`, `["0", "name"]`). A text given twice under one name becomes items.
    pub(crate) fn insert(&mut self, path: &[&str], value: String) -> Result<(), String> {
        let Some((first, rest)) = path.split_first() else {
            return Err(String::from("a member name is empty"));
        };
        if path.len() > MAX_DEPTH {
            return Err(format!("members are nested deeper than {MAX_DEPTH} levels"));
        }
        if first.is_empty() {
            let Node::Items(items) = self else {
                return Err(String::from("`[]` follows a name that is not a list"));
            };
            if rest.is_empty() {
                items.push(Node::Text(value));
                return Ok(());
            }
            let mut item = Node::default();
            item.insert(rest, value)?;
            items.push(item);
            return Ok(());
        }
        let Node::Members(members) = self else {
            return Err(format!(
                "`{first}` names a member of a value that is not an object"
            ));
        };
        let index = match members.iter().position(|(name, _)| name == first) {
            Some(index) => index,
            None => {
                let node = match rest.first() {
                    None | Some(&"") => Node::Items(Vec::new()),
                    Some(_) => Node::default(),
                };
                members.push(((*first).to_owned(), node));
                members.len() - 1
            }
        };
        let node = &mut members[index].1;
        if rest.is_empty() {
            // Texts gather as items; one text alone is read as a text.
            return match node {
                Node::Items(items) => {
                    items.push(Node::Text(value));
                    Ok(())
                }
                _ => Err(format!(
                    "`{first}` is given both as a value and as an object"
                )),
            };
        }
        node.insert(rest, value)
    }

    /// The tree with every list of one text made that text, as a name given once is a value.
    pub(crate) fn settle(self) -> Node {
        match self {
            Node::Items(items) if items.len() == 1 && matches!(items[0], Node::Text(_)) => {
                items.into_iter().next().unwrap_or_default()
            }
            Node::Items(items) => Node::Items(items.into_iter().map(Node::settle).collect()),
            Node::Members(members) => Node::Members(
                members
                    .into_iter()
                    .map(|(name, node)| (name, node.settle()))
                    .collect(),
            ),
            text => text,
        }
    }
}

/// The member path of a pair named `name[a][b]` under the parameter `parameter`: `["a", "b"]`;
/// `None` when the pair belongs to something else.
pub(crate) fn bracket_path<'a>(parameter: &str, name: &'a str) -> Option<Vec<&'a str>> {
    let mut rest = name.strip_prefix(parameter)?;
    if rest.is_empty() {
        return None;
    }
    let mut path = Vec::new();
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[')?;
        let close = inner.find(']')?;
        path.push(&inner[..close]);
        rest = &inner[close + 1..];
    }
    Some(path)
}

/// Decodes `T` from `node`.
pub(crate) fn decode<T: de::DeserializeOwned>(node: Node) -> Result<T, String> {
    T::deserialize(node).map_err(|error| error.to_string())
}

impl<'de> IntoDeserializer<'de, Error> for Node {
    type Deserializer = Node;

    fn into_deserializer(self) -> Node {
        self
    }
}

impl Node {
    fn text(&self) -> Option<&str> {
        match self {
            Node::Text(text) => Some(text),
            _ => None,
        }
    }

    /// Members named by indexes (`[0]`, `[1]`) are items, in index order.
    fn into_items(self) -> Result<Vec<Node>, Node> {
        match self {
            Node::Items(items) => Ok(items),
            Node::Members(members)
                if members.iter().all(|(name, _)| {
                    !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit())
                }) =>
            {
                let mut members: Vec<(usize, Node)> = members
                    .into_iter()
                    .map(|(name, node)| (name.parse().unwrap_or(usize::MAX), node))
                    .collect();
                members.sort_by_key(|(index, _)| *index);
                Ok(members.into_iter().map(|(_, node)| node).collect())
            }
            other => Err(other),
        }
    }
}

/// A text parsed into a number or boolean, or handed on as a text for the visitor to refuse.
macro_rules! parse_text {
    ($($method:ident => $visit:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.text().map(str::parse) {
                Some(Ok(value)) => visitor.$visit(value),
                Some(Err(_)) | None => self.deserialize_any(visitor),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Text(text) => visitor.visit_string(text),
            Node::Members(members) => {
                let mut map = MapDeserializer::new(
                    members
                        .into_iter()
                        .map(|(name, node)| (StringKey(name), node)),
                );
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
            Node::Items(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
        }
    }

    parse_text! {
        deserialize_bool => visit_bool,
        deserialize_i8 => visit_i8,
        deserialize_i16 => visit_i16,
        deserialize_i32 => visit_i32,
        deserialize_i64 => visit_i64,
        deserialize_u8 => visit_u8,
        deserialize_u16 => visit_u16,
        deserialize_u32 => visit_u32,
        deserialize_u64 => visit_u64,
        deserialize_f32 => visit_f32,
        deserialize_f64 => visit_f64,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.into_items() {
            Ok(items) => Node::Items(items).deserialize_any(visitor),
            // One text where a list is expected is a list of one.
            Err(text @ Node::Text(_)) => Node::Items(vec![text]).deserialize_any(visitor),
            Err(other) => other.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::Text(text) => visitor.visit_enum(text.into_deserializer()),
            other => other.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct tuple tuple_struct map struct
        identifier ignored_any
    }
}

/// A member name, given to the visitor as a string.
struct StringKey(String);

impl<'de> IntoDeserializer<'de, Error> for StringKey {
    type Deserializer = StringDeserializer<Error>;

    fn into_deserializer(self) -> Self::Deserializer {
        self.0.into_deserializer()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    fn tree(pairs: &[(&str, &str)]) -> Node {
        let mut root = Node::default();
        for (name, value) in pairs {
            let path = bracket_path("filter", name).expect("a member of filter");
            root.insert(&path, (*value).to_owned()).expect("inserted");
        }
        root.settle()
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Filter {
        state: Option<String>,
        limit: Option<i64>,
        ratio: Option<f64>,
        open: Option<bool>,
        labels: Option<Vec<String>>,
        owner: Option<Owner>,
        rules: Option<Vec<Owner>>,
        #[serde(flatten)]
        rest: BTreeMap<String, serde_json::Value>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Owner {
        login: String,
        id: u32,
    }

    #[test]
    fn bracketed_pairs_decode_into_typed_members() {
        let filter: Filter = decode(tree(&[
            ("filter[state]", "open"),
            ("filter[limit]", "5"),
            ("filter[ratio]", "0.5"),
            ("filter[open]", "true"),
            ("filter[labels][]", "bug"),
            ("filter[labels][]", "ui"),
            ("filter[owner][login]", "octo"),
            ("filter[owner][id]", "7"),
            ("filter[rules][1][login]", "b"),
            ("filter[rules][0][login]", "a"),
            ("filter[rules][0][id]", "1"),
            ("filter[rules][1][id]", "2"),
            ("filter[other]", "kept"),
        ]))
        .expect("decodes");
        assert_eq!(
            filter,
            Filter {
                state: Some("open".into()),
                limit: Some(5),
                ratio: Some(0.5),
                open: Some(true),
                labels: Some(vec!["bug".into(), "ui".into()]),
                owner: Some(Owner {
                    login: "octo".into(),
                    id: 7
                }),
                rules: Some(vec![
                    Owner {
                        login: "a".into(),
                        id: 1
                    },
                    Owner {
                        login: "b".into(),
                        id: 2
                    }
                ]),
                rest: BTreeMap::from([("other".into(), serde_json::json!("kept"))]),
            }
        );
    }

    #[test]
    fn one_text_is_a_list_of_one_and_a_repeated_name_a_list() {
        let filter: Filter = decode(tree(&[("filter[labels]", "bug")])).expect("decodes");
        assert_eq!(filter.labels, Some(vec!["bug".into()]));
        let filter: Filter =
            decode(tree(&[("filter[labels]", "a"), ("filter[labels]", "b")])).expect("decodes");
        assert_eq!(filter.labels, Some(vec!["a".into(), "b".into()]));
    }

    #[test]
    fn wrong_texts_and_shapes_are_errors_not_panics() {
        let error = decode::<Filter>(tree(&[("filter[limit]", "many")])).unwrap_err();
        assert!(error.contains("many"), "{error}");
        let mut root = Node::default();
        root.insert(&["owner"], "x".into()).unwrap();
        assert!(root.insert(&["owner", "login"], "y".into()).is_err());
        let deep: Vec<&str> = std::iter::repeat_n("a", MAX_DEPTH + 1).collect();
        assert!(Node::default().insert(&deep, "v".into()).is_err());
        assert_eq!(bracket_path("filter", "filter"), None);
        assert_eq!(bracket_path("filter", "filters[a]"), None);
        assert_eq!(bracket_path("filter", "filter[a"), None);
        assert_eq!(bracket_path("filter", "filter[a][]"), Some(vec!["a", ""]));
    }
}
