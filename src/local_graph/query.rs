//! The OData system query options the local Graph understands: `$filter`, `$orderby`,
//! `$select`, `$expand` and `$search`, evaluated over entities stored as JSON objects.
//!
//! What is not understood is refused with a [`QueryError`] (answered `400 Bad Request`, the
//! option as the error's `target`), never ignored: a test that passes against the local Graph
//! must not rely on an option that had no effect.
//!
//! Every parser here is bounded (see [`MAX_OPTION_LEN`], [`MAX_FILTER_DEPTH`] and
//! [`MAX_FILTER_TERMS`]) and fuzzed by the `query_options` target in `fuzz/`.
//!
//! Why one file of about 860 lines: the options share the property lookup, the operand
//! model and the error type, and `$filter`'s tokenizer, parser and evaluator (two thirds of
//! it) read best together; its unit tests are in `query/tests.rs`.

use std::cmp::Ordering;

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};

/// The type of a property, as far as queries are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `Edm.String`.
    String,
    /// A string enum with these wire values, in declaration order (which is how values of
    /// the enum compare).
    Enum(&'static [&'static str]),
    /// `Edm.DateTimeOffset`, stored as RFC 3339 text.
    DateTime,
    /// A collection of strings.
    Strings,
}

impl Kind {
    fn edm_name(self) -> &'static str {
        match self {
            Kind::String => "Edm.String",
            Kind::Enum(_) => "an enum",
            Kind::DateTime => "Edm.DateTimeOffset",
            Kind::Strings => "Collection(Edm.String)",
        }
    }
}

/// A property of an entity type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Property {
    /// The wire name, such as `displayName`.
    pub name: &'static str,
    pub kind: Kind,
    /// Set by the service: ignored in a create body, refused in an update body.
    pub read_only: bool,
}

/// A query option the local Graph cannot apply: answered with `400` and `target` set to
/// the option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryError {
    /// The query option, such as `$filter`.
    pub target: &'static str,
    /// What is wrong, Graph's wording where there is one.
    pub message: String,
}

impl QueryError {
    /// The error for a value of `length` bytes, beyond [`MAX_OPTION_LEN`].
    pub(crate) fn too_long(target: &'static str, length: usize) -> Self {
        QueryError::new(
            target,
            format!(
                "The query option {target} is {length} bytes long; the local Graph reads at \
                 most {MAX_OPTION_LEN}."
            ),
        )
    }

    fn new(target: &'static str, message: impl Into<String>) -> Self {
        QueryError {
            target,
            message: message.into(),
        }
    }
}

fn find<'a>(
    properties: &'a [Property],
    name: &str,
    entity: &str,
    target: &'static str,
) -> Result<&'a Property, QueryError> {
    properties
        .iter()
        .find(|property| property.name == name)
        .ok_or_else(|| {
            QueryError::new(
                target,
                format!(
                    "Could not find a property named '{name}' on type 'microsoft.graph.{entity}'."
                ),
            )
        })
}

// ---------------------------------------------------------------------------
// $select and $expand
// ---------------------------------------------------------------------------

/// Checks `$select` and returns the names to keep, or `None` for all (`*` or no `$select`).
pub(crate) fn select(
    items: &[String],
    properties: &[Property],
    entity: &str,
) -> Result<Option<Vec<&'static str>>, QueryError> {
    check_length("$select", &items.join(","))?;
    let items: Vec<&str> = items.iter().map(|item| item.trim()).collect();
    if items.is_empty() || items.contains(&"*") {
        return Ok(None);
    }
    items
        .iter()
        .map(|item| find(properties, item, entity, "$select").map(|property| property.name))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Keeps the selected properties of `object`, and always `id` and `@odata.type`, as Graph
/// does.
pub(crate) fn apply_select(object: &mut Map<String, Value>, selected: &[&str]) {
    object.retain(|key, _| key == "id" || key == "@odata.type" || selected.contains(&key.as_str()));
}

/// These entity types have no navigation properties, so any `$expand` names a property that
/// does not exist.
pub(crate) fn expand(items: &[String], entity: &str) -> Result<(), QueryError> {
    check_length("$expand", &items.join(","))?;
    match items
        .iter()
        .map(|item| item.trim())
        .find(|item| !item.is_empty())
    {
        Some(item) => Err(QueryError::new(
            "$expand",
            format!(
                "Parsing OData Select and Expand failed: Could not find a property named '{item}' \
                 on type 'microsoft.graph.{entity}'."
            ),
        )),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------
// $orderby
// ---------------------------------------------------------------------------

/// One `$orderby` key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OrderBy {
    property: Property,
    descending: bool,
}

/// Parses `$orderby` items (`name`, `name asc`, `name desc`).
pub(crate) fn order_by(
    items: &[String],
    properties: &[Property],
    entity: &str,
) -> Result<Vec<OrderBy>, QueryError> {
    let mut keys = Vec::new();
    check_length("$orderby", &items.join(","))?;
    for item in items {
        let words: Vec<&str> = item.split_whitespace().collect();
        let (name, descending) = match words.as_slice() {
            [name] => (*name, false),
            [name, direction] if direction.eq_ignore_ascii_case("asc") => (*name, false),
            [name, direction] if direction.eq_ignore_ascii_case("desc") => (*name, true),
            _ => {
                return Err(QueryError::new(
                    "$orderby",
                    format!(
                        "'{item}' is not a property name optionally followed by 'asc' or 'desc'."
                    ),
                ));
            }
        };
        let property = *find(properties, name, entity, "$orderby")?;
        if property.kind == Kind::Strings {
            return Err(QueryError::new(
                "$orderby",
                format!(
                    "The $orderby expression must evaluate to a single value of primitive type; \
                     '{name}' is a collection."
                ),
            ));
        }
        keys.push(OrderBy {
            property,
            descending,
        });
    }
    Ok(keys)
}

/// Compares two entities by the `$orderby` keys; `null` sorts first in ascending order.
pub(crate) fn compare(
    a: &Map<String, Value>,
    b: &Map<String, Value>,
    keys: &[OrderBy],
) -> Ordering {
    for key in keys {
        let left = Operand::of(a, &key.property);
        let right = Operand::of(b, &key.property);
        let ordering = match (&left, &right) {
            (Operand::Null, Operand::Null) => Ordering::Equal,
            (Operand::Null, _) => Ordering::Less,
            (_, Operand::Null) => Ordering::Greater,
            _ => left.compare(&right).unwrap_or(Ordering::Equal),
        };
        let ordering = if key.descending {
            ordering.reverse()
        } else {
            ordering
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

// ---------------------------------------------------------------------------
// $search
// ---------------------------------------------------------------------------

/// A parsed `$search`: a case-insensitive substring of one string property, or of any.
#[derive(Debug, Clone)]
pub(crate) struct Search {
    property: Option<&'static str>,
    term: String,
    all: Vec<&'static str>,
}

/// Parses `$search="term"` or `$search="property:term"`.
pub(crate) fn search(
    text: &str,
    properties: &[Property],
    entity: &str,
) -> Result<Search, QueryError> {
    check_length("$search", text)?;
    let inner = text
        .trim()
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .filter(|inner| !inner.contains('"'))
        .ok_or_else(|| {
            QueryError::new(
                "$search",
                "Syntax error: $search takes one clause in double quotes, such as \"displayName:lab\".",
            )
        })?;
    let (property, term) = match inner.split_once(':') {
        Some((name, term)) => {
            let property = find(properties, name.trim(), entity, "$search")?;
            if property.kind != Kind::String {
                return Err(QueryError::new(
                    "$search",
                    format!(
                        "$search is supported on string properties only; '{}' is not one.",
                        property.name
                    ),
                ));
            }
            (Some(property.name), term)
        }
        None => (None, inner),
    };
    Ok(Search {
        property,
        term: term.trim().to_lowercase(),
        all: properties
            .iter()
            .filter(|property| property.kind == Kind::String)
            .map(|property| property.name)
            .collect(),
    })
}

impl Search {
    pub(crate) fn matches(&self, object: &Map<String, Value>) -> bool {
        let hit = |name: &str| {
            object
                .get(name)
                .and_then(Value::as_str)
                .is_some_and(|text| text.to_lowercase().contains(&self.term))
        };
        match self.property {
            Some(name) => hit(name),
            None => self.all.iter().any(|name| hit(name)),
        }
    }
}

// ---------------------------------------------------------------------------
// $filter
// ---------------------------------------------------------------------------

/// A parsed `$filter` expression.
#[derive(Debug, Clone)]
pub(crate) enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Compare {
        property: Property,
        op: Op,
        literal: Literal,
    },
    Text {
        function: TextFunction,
        property: Property,
        needle: String,
    },
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    fn parse(word: &str) -> Option<Op> {
        Some(match word {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            _ => return None,
        })
    }

    fn kind_name(self) -> &'static str {
        match self {
            Op::Eq => "Equal",
            Op::Ne => "NotEqual",
            Op::Gt => "GreaterThan",
            Op::Ge => "GreaterThanOrEqual",
            Op::Lt => "LessThan",
            Op::Le => "LessThanOrEqual",
        }
    }
}

/// A string function of `$filter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextFunction {
    StartsWith,
    EndsWith,
    Contains,
}

/// A literal, checked against the type of the property it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    Null,
    String(String),
    DateTime(DateTime<FixedOffset>),
}

/// One value to compare: a property of an entity, or a literal.
#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Null,
    String(String),
    /// An enum value, compared by its position in the declaration.
    Enum(usize),
    DateTime(DateTime<FixedOffset>),
    /// Something that does not compare (a collection).
    Other,
}

impl Operand {
    fn of(object: &Map<String, Value>, property: &Property) -> Operand {
        let Some(value) = object.get(property.name).filter(|value| !value.is_null()) else {
            return Operand::Null;
        };
        match (property.kind, value.as_str()) {
            (Kind::String, Some(text)) => Operand::String(text.to_owned()),
            (Kind::Enum(values), Some(text)) => {
                Operand::Enum(values.iter().position(|v| *v == text).unwrap_or(usize::MAX))
            }
            (Kind::DateTime, Some(text)) => DateTime::parse_from_rfc3339(text)
                .map(Operand::DateTime)
                .unwrap_or(Operand::Other),
            _ => Operand::Other,
        }
    }

    fn literal(literal: &Literal, property: &Property) -> Operand {
        match (literal, property.kind) {
            (Literal::Null, _) => Operand::Null,
            (Literal::String(text), Kind::Enum(values)) => {
                Operand::Enum(values.iter().position(|v| v == text).unwrap_or(usize::MAX))
            }
            (Literal::String(text), _) => Operand::String(text.clone()),
            (Literal::DateTime(time), _) => Operand::DateTime(*time),
        }
    }

    fn compare(&self, other: &Operand) -> Option<Ordering> {
        match (self, other) {
            (Operand::String(a), Operand::String(b)) => Some(a.cmp(b)),
            (Operand::Enum(a), Operand::Enum(b)) => Some(a.cmp(b)),
            (Operand::DateTime(a), Operand::DateTime(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

impl Filter {
    /// Whether `object` passes the filter.
    pub(crate) fn matches(&self, object: &Map<String, Value>) -> bool {
        match self {
            Filter::And(left, right) => left.matches(object) && right.matches(object),
            Filter::Or(left, right) => left.matches(object) || right.matches(object),
            Filter::Not(inner) => !inner.matches(object),
            Filter::Compare {
                property,
                op,
                literal,
            } => {
                let left = Operand::of(object, property);
                let right = Operand::literal(literal, property);
                let equal = match (&left, &right) {
                    (Operand::Null, Operand::Null) => true,
                    (Operand::Null, _) | (_, Operand::Null) => false,
                    _ => left.compare(&right) == Some(Ordering::Equal),
                };
                match op {
                    Op::Eq => equal,
                    Op::Ne => !equal,
                    Op::Gt | Op::Ge | Op::Lt | Op::Le => match left.compare(&right) {
                        Some(ordering) => match op {
                            Op::Gt => ordering == Ordering::Greater,
                            Op::Ge => ordering != Ordering::Less,
                            Op::Lt => ordering == Ordering::Less,
                            _ => ordering != Ordering::Greater,
                        },
                        None => false,
                    },
                }
            }
            Filter::Text {
                function,
                property,
                needle,
            } => {
                let Some(text) = object.get(property.name).and_then(Value::as_str) else {
                    return false;
                };
                let text = text.to_lowercase();
                let needle = needle.to_lowercase();
                match function {
                    TextFunction::StartsWith => text.starts_with(&needle),
                    TextFunction::EndsWith => text.ends_with(&needle),
                    TextFunction::Contains => text.contains(&needle),
                }
            }
        }
    }
}

/// A token of a `$filter` expression.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A name, keyword, number or unquoted date-time.
    Word(String),
    /// A single-quoted string, unescaped (`''` is `'`).
    Quoted(String),
    Open,
    Close,
    Comma,
}

/// The longest value of a query option the local Graph reads, in bytes; a longer one is a
/// `400` before any parsing. Generous for real filters (Microsoft Graph's own URLs stop near
/// 4 KB), and it bounds the work, and the size of the error message, of every parser here.
pub(crate) const MAX_OPTION_LEN: usize = 4096;

/// The deepest nesting of parentheses and `not` a `$filter` may have.
pub(crate) const MAX_FILTER_DEPTH: usize = 32;

/// The most comparisons and function calls a `$filter` may join with `and` and `or`.
pub(crate) const MAX_FILTER_TERMS: usize = 100;

/// Refuses a query option value longer than [`MAX_OPTION_LEN`].
pub(crate) fn check_length(target: &'static str, text: &str) -> Result<(), QueryError> {
    if text.len() > MAX_OPTION_LEN {
        return Err(QueryError::too_long(target, text.len()));
    }
    Ok(())
}

fn filter_error(message: impl Into<String>) -> QueryError {
    QueryError::new("$filter", message)
}

fn tokenize(text: &str) -> Result<Vec<Token>, QueryError> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            _ if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            ',' => {
                chars.next();
                tokens.push(Token::Comma);
            }
            '\'' => {
                chars.next();
                let mut value = String::new();
                loop {
                    match chars.next() {
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            value.push('\'');
                        }
                        Some('\'') => break,
                        Some(c) => value.push(c),
                        None => {
                            return Err(filter_error(
                                "Syntax error: a string literal is not terminated.",
                            ));
                        }
                    }
                }
                tokens.push(Token::Quoted(value));
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | ',' | '\'') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push(Token::Word(word));
            }
        }
    }
    Ok(tokens)
}

/// Parses a `$filter` expression: comparisons `property op literal` (`eq`, `ne`, `gt`, `ge`,
/// `lt`, `le`; literals `'text'`, `null`, unquoted RFC 3339 date-times), the functions
/// `startswith`, `endswith` and `contains` on string properties, `and`, `or`, `not` and
/// parentheses. Types are checked as Graph checks them.
///
/// The parser recurses on parentheses and `not`, and the filter it builds is walked
/// recursively, so both are bounded: at most [`MAX_OPTION_LEN`] bytes,
/// [`MAX_FILTER_DEPTH`] levels of nesting and [`MAX_FILTER_TERMS`] terms, each refused
/// with a [`QueryError`] before the stack or the time can run out.
pub(crate) fn filter(
    text: &str,
    properties: &[Property],
    entity: &str,
) -> Result<Filter, QueryError> {
    check_length("$filter", text)?;
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        tokens,
        position: 0,
        properties,
        entity,
        depth: 0,
        terms: 0,
    };
    let filter = parser.or()?;
    match parser.peek() {
        None => Ok(filter),
        Some(token) => Err(filter_error(format!(
            "Syntax error at position {} in '{text}': unexpected {}.",
            parser.position,
            describe(token)
        ))),
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Word(word) => format!("'{word}'"),
        Token::Quoted(text) => format!("the string '{text}'"),
        Token::Open => "'('".to_owned(),
        Token::Close => "')'".to_owned(),
        Token::Comma => "','".to_owned(),
    }
}

struct Parser<'a> {
    tokens: Vec<Token>,
    position: usize,
    properties: &'a [Property],
    entity: &'a str,
    /// How deep in parentheses and `not` the parser is.
    depth: usize,
    /// How many comparisons and function calls it has read.
    terms: usize,
}

impl Parser<'_> {
    /// Enters one more level of nesting, or refuses it beyond [`MAX_FILTER_DEPTH`].
    fn deeper(&mut self) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_FILTER_DEPTH {
            return Err(filter_error(format!(
                "The $filter expression is nested more than {MAX_FILTER_DEPTH} levels deep."
            )));
        }
        Ok(())
    }

    /// Counts one more term, or refuses it beyond [`MAX_FILTER_TERMS`].
    fn term(&mut self) -> Result<(), QueryError> {
        self.terms += 1;
        if self.terms > MAX_FILTER_TERMS {
            return Err(filter_error(format!(
                "The $filter expression has more than {MAX_FILTER_TERMS} terms."
            )));
        }
        Ok(())
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.position).cloned();
        self.position += 1;
        token
    }

    fn peek_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(word)) if word == keyword)
    }

    fn expect(&mut self, expected: &Token) -> Result<(), QueryError> {
        match self.next() {
            Some(token) if &token == expected => Ok(()),
            Some(token) => Err(filter_error(format!(
                "Syntax error: expected {} but found {}.",
                describe(expected),
                describe(&token)
            ))),
            None => Err(filter_error(format!(
                "Syntax error: expected {} but the expression ended.",
                describe(expected)
            ))),
        }
    }

    fn or(&mut self) -> Result<Filter, QueryError> {
        let mut left = self.and()?;
        while self.peek_keyword("or") {
            self.next();
            let right = self.and()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, QueryError> {
        let mut left = self.unary()?;
        while self.peek_keyword("and") {
            self.next();
            let right = self.unary()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, QueryError> {
        if self.peek_keyword("not") {
            self.next();
            self.deeper()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Filter::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Filter, QueryError> {
        match self.next() {
            Some(Token::Open) => {
                self.deeper()?;
                let inner = self.or()?;
                self.expect(&Token::Close)?;
                self.depth -= 1;
                Ok(inner)
            }
            Some(Token::Word(word)) if self.peek() == Some(&Token::Open) => {
                self.term()?;
                self.function(&word)
            }
            Some(Token::Word(word)) => {
                self.term()?;
                self.comparison(&word)
            }
            Some(token) => Err(filter_error(format!(
                "Syntax error: expected a property, a function or '(' but found {}.",
                describe(&token)
            ))),
            None => Err(filter_error(
                "Syntax error: the expression is empty or ends too early.",
            )),
        }
    }

    fn property(&self, name: &str) -> Result<Property, QueryError> {
        find(self.properties, name, self.entity, "$filter").copied()
    }

    fn function(&mut self, name: &str) -> Result<Filter, QueryError> {
        let function = match name {
            "startswith" => TextFunction::StartsWith,
            "endswith" => TextFunction::EndsWith,
            "contains" => TextFunction::Contains,
            other => {
                return Err(filter_error(format!(
                    "The function '{other}' is not supported by the local Graph; \
                     use startswith, endswith or contains."
                )));
            }
        };
        self.expect(&Token::Open)?;
        let property = match self.next() {
            Some(Token::Word(word)) => self.property(&word)?,
            _ => {
                return Err(filter_error(format!(
                    "{name}() takes a property as its first argument."
                )));
            }
        };
        if property.kind != Kind::String {
            return Err(filter_error(format!(
                "{name}() applies to Edm.String; '{}' is {}.",
                property.name,
                property.kind.edm_name()
            )));
        }
        self.expect(&Token::Comma)?;
        let needle = match self.next() {
            Some(Token::Quoted(text)) => text,
            _ => {
                return Err(filter_error(format!(
                    "{name}() takes a string literal as its second argument."
                )));
            }
        };
        self.expect(&Token::Close)?;
        Ok(Filter::Text {
            function,
            property,
            needle,
        })
    }

    fn comparison(&mut self, name: &str) -> Result<Filter, QueryError> {
        let property = self.property(name)?;
        let op = match self.next() {
            Some(Token::Word(word)) => Op::parse(&word).ok_or_else(|| {
                filter_error(format!(
                    "'{word}' is not an operator the local Graph supports (eq, ne, gt, ge, lt, le)."
                ))
            })?,
            Some(token) => {
                return Err(filter_error(format!(
                    "Syntax error: expected an operator after '{name}' but found {}.",
                    describe(&token)
                )));
            }
            None => {
                return Err(filter_error(format!(
                    "Syntax error: expected an operator after '{name}'."
                )));
            }
        };
        let literal = match self.next() {
            Some(token @ (Token::Word(_) | Token::Quoted(_))) => literal(&token, &property, op)?,
            _ => {
                return Err(filter_error(format!(
                    "Syntax error: expected a value after '{name}'."
                )));
            }
        };
        Ok(Filter::Compare {
            property,
            op,
            literal,
        })
    }
}

/// Reads a literal and checks it against the type of `property`.
fn literal(token: &Token, property: &Property, op: Op) -> Result<Literal, QueryError> {
    let incompatible = |found: &str| {
        filter_error(format!(
            "A binary operator with incompatible types was detected. Found operand types '{}' \
             and '{found}' for operator kind '{}'.",
            property.kind.edm_name(),
            op.kind_name()
        ))
    };
    if property.kind == Kind::Strings {
        return Err(filter_error(format!(
            "'{}' is a collection; comparing it is not supported by the local Graph.",
            property.name
        )));
    }
    match token {
        Token::Word(word) if word == "null" => Ok(Literal::Null),
        Token::Quoted(text) => match property.kind {
            Kind::String => Ok(Literal::String(text.clone())),
            Kind::Enum(values) if values.contains(&text.as_str()) => {
                Ok(Literal::String(text.clone()))
            }
            Kind::Enum(values) => Err(filter_error(format!(
                "The string '{text}' is not a valid enumerated type constant for '{}' \
                 (one of: {}).",
                property.name,
                values.join(", ")
            ))),
            _ => Err(incompatible("Edm.String")),
        },
        Token::Word(word) if word == "true" || word == "false" => Err(incompatible("Edm.Boolean")),
        Token::Word(word) if word.parse::<f64>().is_ok() => Err(incompatible("Edm.Int32")),
        Token::Word(word) => match DateTime::parse_from_rfc3339(word) {
            Ok(time) if property.kind == Kind::DateTime => Ok(Literal::DateTime(time)),
            Ok(_) => Err(incompatible("Edm.DateTimeOffset")),
            Err(_) => Err(filter_error(format!(
                "'{word}' is not a literal the local Graph understands ('text', null, or an \
                 RFC 3339 date-time)."
            ))),
        },
        _ => Err(filter_error("Syntax error: expected a value.")),
    }
}

#[cfg(test)]
mod tests;
