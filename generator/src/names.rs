//! Identifier making: the only place where text from a document becomes a Rust identifier.
//!
//! Every name goes through [`type_name`], [`value_name`] or [`variant_name`], which map the text
//! to a valid identifier (case by `heck`, invalid characters treated as word separators, a
//! leading digit prefixed, keywords escaped), and through a [`Namespace`], which makes names
//! unique deterministically: the first taker keeps the name, later ones get a numeric suffix.

use std::collections::{HashMap, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves (strict and reserved keywords of every edition up to 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names a type would shadow from the prelude or from what generated code uses unqualified.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "Vec", "String", "Box", "Default",
];

/// Splits `text` into words, treating every character that cannot be part of an identifier as
/// a separator. Non-ASCII letters are kept only when they are valid in identifiers (Rust accepts
/// Unicode XID identifiers); everything else separates words.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || (!c.is_ascii() && unicode_ident_like(c)) {
                c
            } else {
                ' '
            }
        })
        .collect()
}

/// Whether a non-ASCII character may continue an identifier (Unicode `XID_Continue`, as Rust
/// requires); anything else becomes a word separator.
fn unicode_ident_like(c: char) -> bool {
    unicode_ident::is_xid_continue(c)
}

/// Makes an UpperCamelCase type name from `text` (`microsoft.graph.ndesConnector` stays whole:
/// callers pass the segment they want).
pub fn type_name(text: &str) -> String {
    let mut name = clean(text).to_upper_camel_case();
    if name.is_empty() {
        name = String::from("Unnamed");
    }
    if !name.starts_with(is_start) {
        name.insert(0, 'T');
    }
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) || KEYWORDS.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// Makes a snake_case name for a field, function, argument or module from `text`.
pub fn value_name(text: &str) -> String {
    let mut name = clean(text).to_snake_case();
    if name.is_empty() {
        name = String::from("value");
    }
    if !name.starts_with(is_start) {
        name.insert(0, '_');
        name.insert(0, 'n');
    }
    escape_keyword(name)
}

/// Makes an UpperCamelCase enum variant name from a wire value such as `unknownFutureValue`,
/// `*` or `2.0`.
pub fn variant_name(text: &str) -> String {
    let cleaned = clean(text);
    if cleaned.trim().is_empty() {
        return symbol_name(text);
    }
    let mut name = cleaned.to_upper_camel_case();
    if !name.starts_with(is_start) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push('_');
    }
    name
}

/// Names values made only of punctuation, which would otherwise all be empty.
fn symbol_name(text: &str) -> String {
    let words: Vec<&str> = text
        .chars()
        .map(|c| match c {
            '*' => "Star",
            '+' => "Plus",
            '-' => "Minus",
            '.' => "Dot",
            '/' => "Slash",
            '<' => "Lt",
            '>' => "Gt",
            '=' => "Eq",
            '!' => "Not",
            '@' => "At",
            '#' => "Hash",
            '$' => "Dollar",
            '%' => "Percent",
            '&' => "And",
            '|' => "Or",
            '_' => "Underscore",
            ' ' => "Space",
            _ => "Symbol",
        })
        .collect();
    if words.is_empty() {
        String::from("Empty")
    } else {
        words.concat()
    }
}

/// A character that may start an identifier.
fn is_start(c: char) -> bool {
    c.is_ascii_alphabetic() || (!c.is_ascii() && unicode_ident::is_xid_start(c))
}

fn escape_keyword(mut name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// The last `.`-separated segment of a component name (`microsoft.graph.ndesConnector` ->
/// `ndesConnector`), or the whole name when that segment is empty.
pub fn last_segment(name: &str) -> &str {
    match name.rsplit('.').next() {
        Some(segment) if !segment.is_empty() => segment,
        _ => name,
    }
}

/// The server module's response enum of the operation whose client method is `method`:
/// `{Method}Response`.
pub fn server_response(method: &str) -> String {
    format!("{}Response", type_name(method))
}

/// The server module's axum handler of the operation whose client method is `method`.
pub fn server_handler(method: &str) -> String {
    format!("handle_{method}")
}

/// The server module's function that decodes a request of the operation whose client method
/// is `method` into the trait method's arguments.
pub fn server_decoder(method: &str) -> String {
    format!("decode_{method}")
}

/// The server module's struct of the headers of the response `variant` (a variant of the
/// response enum) of the operation whose client method is `method`.
pub fn server_headers(method: &str, variant: &str) -> String {
    format!("{}{variant}Headers", type_name(method))
}

/// The function giving the default of the struct field `field` (a field's name is unique
/// in its struct, and the functions are associated with the struct).
pub fn default_fn(field: &str) -> String {
    format!("default_{field}")
}

/// The field of a struct that keeps the members its schema does not declare
/// (`additionalProperties`); a property of that name is renamed.
pub const ADDITIONAL_FIELD: &str = "additional_properties";

/// What a type derived from another name is for; its name is the base name with the role's
/// suffix (`{Base}Item`, `{Base}Update`, `{Prefix}Options`...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The items of an array typed inline.
    Item,
    /// The values of a map typed inline (`additionalProperties`).
    Value,
    /// The `PATCH` body of a type: every field optional.
    Update,
    /// An operation's request body.
    Request,
    /// An operation's success response.
    Response,
    /// An operation's error response.
    Error,
    /// The optional parameters of an operation.
    Options,
}

/// The type name for `role` derived from the type name or prefix `base`.
pub fn derived(base: &str, role: Role) -> String {
    let suffix = match role {
        Role::Item => "Item",
        Role::Value => "Value",
        Role::Update => "Update",
        Role::Request => "Request",
        Role::Response => "Response",
        Role::Error => "Error",
        Role::Options => "Options",
    };
    format!("{base}{suffix}")
}

/// The type name of the member `wire` (a property, parameter or header) of `owner`, a type
/// name or prefix: `{Owner}{Member}`.
pub fn member_type(owner: &str, wire: &str) -> String {
    format!("{owner}{}", type_name(wire))
}

/// The type name of what the component at `pointer` holds, when `pointer` lies inside a
/// component of `kind` (`#/components/responses/Unauthorized/content/...`): the component's
/// name, since a response, request body or parameter shared through `components` is one type
/// wherever it is used, named as the document names it.
pub fn component_type(pointer: &str, kind: &str) -> Option<String> {
    let rest = pointer.strip_prefix("#/components/")?.strip_prefix(kind)?;
    let segment = rest.strip_prefix('/')?.split('/').next()?;
    let name = segment.replace("~1", "/").replace("~0", "~");
    (!name.is_empty()).then(|| type_name(&name))
}

/// The enum of a base type and every type derived from it: `Any{Base}`.
pub fn polymorphic(base: &str) -> String {
    format!("Any{base}")
}

/// The type of the alternative at `index` (from 0) of the `oneOf`/`anyOf` type `owner`:
/// named by its `title` when it has one, by its position otherwise.
pub fn alternative(owner: &str, title: Option<&str>, index: usize) -> String {
    match title {
        Some(title) => member_type(owner, title),
        None => format!("{owner}{}", index + 1),
    }
}

/// A variant holding a list of what `label` names: `{Label}List`.
pub fn list_variant(label: &str) -> String {
    format!("{label}List")
}

/// A variant holding a map to what `label` names: `{Label}Map`.
pub fn map_variant(label: &str) -> String {
    format!("{label}Map")
}

/// The method name of the `operationId` `id` without the groups that repeat its action, as
/// Microsoft's generators write ids: `places.place_GetPlace` → `get_place`,
/// `connectors.connector.ListConnector` → `list_connector`. The id is split at `.`, `/` and
/// a `_` before a capital; its last part is the action; an earlier part is left out when its words appear, in
/// order, among the action's (a plural `s` ignored). Other ids keep every word
/// (`deviceManagement_ListAuditEvents` → `device_management_list_audit_events`). The rule
/// reads the id alone, so the name does not change when other operations are added; the
/// caller keeps the full name where two operations would meet.
pub fn operation_method(id: &str) -> String {
    // `_` separates a group only before a capital (`places.place_GetPlace`): in a snake_case
    // id (`get_thing_or_things`) it separates words.
    let mut segments: Vec<&str> = Vec::new();
    let mut start = 0;
    for (index, c) in id.char_indices() {
        let next_is_upper = id[index + c.len_utf8()..]
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
        if c == '.' || c == '/' || (c == '_' && next_is_upper) {
            segments.push(&id[start..index]);
            start = index + c.len_utf8();
        }
    }
    segments.push(&id[start..]);
    segments.retain(|segment| !segment.is_empty());
    let Some((action, groups)) = segments.split_last() else {
        return value_name(id);
    };
    let stems = |text: &str| -> Vec<String> {
        value_name(text)
            .split('_')
            .filter(|word| !word.is_empty())
            .map(|word| word.strip_suffix('s').unwrap_or(word).to_owned())
            .collect()
    };
    let action_stems = stems(action);
    let repeated = |group: &&str| {
        let group_stems = stems(group);
        !group_stems.is_empty()
            && action_stems
                .windows(group_stems.len())
                .any(|window| window == group_stems.as_slice())
    };
    let mut kept: Vec<&str> = groups.iter().filter(|g| !repeated(g)).copied().collect();
    kept.push(action);
    value_name(&kept.join(" "))
}

/// The method name of an operation that has no `operationId`: from its method and path.
pub fn operation_fallback(method: &str, path: &str) -> String {
    value_name(&format!("{} {path}", method.to_lowercase()))
}

/// The three methods a pageable operation `method` adds beside itself: the stream of pages,
/// the stream of items, and the request builder both share.
pub fn paging_methods(method: &str) -> [String; 3] {
    [
        format!("{method}_pages"),
        format!("{method}_items"),
        format!("{method}_request"),
    ]
}

/// The response enum variant for a status (`200`, `4XX`, `default`): the reason phrase for
/// common codes, `Status{code}` for the rest.
pub fn status_variant(status: &str) -> String {
    let phrase = match status {
        "400" => "BadRequest",
        "401" => "Unauthorized",
        "403" => "Forbidden",
        "404" => "NotFound",
        "405" => "MethodNotAllowed",
        "409" => "Conflict",
        "412" => "PreconditionFailed",
        "422" => "UnprocessableEntity",
        "429" => "TooManyRequests",
        "500" => "InternalServerError",
        "503" => "ServiceUnavailable",
        "4XX" | "4xx" => "ClientError",
        "5XX" | "5xx" => "ServerError",
        "200" => "Ok",
        "201" => "Created",
        "202" => "Accepted",
        "203" => "NonAuthoritativeInformation",
        "204" => "NoContent",
        "205" => "ResetContent",
        "206" => "PartialContent",
        "default" => "Default",
        other if other.ends_with("XX") || other.ends_with("xx") => "Success",
        other => return format!("Status{other}"),
    };
    String::from(phrase)
}

/// A set of names in one Rust namespace (a module's types, a struct's fields, an enum's
/// variants). Uniqueness is decided ignoring case and underscores, so that names which differ
/// only in case or separators never collide in the output, nor trip lints about it.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: HashSet<String>,
    /// For each base name that collided, the next suffix to try, so that many names sharing a
    /// base cost linear time, not quadratic.
    next_suffix: HashMap<String, u64>,
}

impl Namespace {
    /// An empty namespace.
    pub fn new() -> Self {
        Self::default()
    }

    /// A namespace with `names` already taken.
    pub fn with_reserved<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut namespace = Self::new();
        for name in names {
            namespace.taken.insert(fold(name));
        }
        namespace
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(&fold(name))
    }

    /// Gives back a name [`Self::claim`] returned, for something that was not made after all.
    pub fn release(&mut self, name: &str) {
        self.taken.remove(&fold(name));
    }

    /// Takes `candidate` if free, otherwise the first free `candidate2`, `candidate3`, ...
    /// (`candidate_2` for snake_case names), and returns the name taken.
    pub fn claim(&mut self, candidate: &str) -> String {
        if self.taken.insert(fold(candidate)) {
            return candidate.to_owned();
        }
        // Type and variant names (`Self_`) get `Self2`; snake_case names `name_2`.
        let upper = candidate.starts_with(char::is_uppercase);
        let snake = !upper
            && (candidate.contains('_') || candidate.starts_with(|c: char| c.is_lowercase()));
        let base = candidate.trim_end_matches('_');
        let key = format!("{}{}", fold(base), if snake { "_" } else { "" });
        let mut n = self.next_suffix.get(&key).copied().unwrap_or(2);
        loop {
            let name = if snake {
                format!("{base}_{n}")
            } else {
                format!("{base}{n}")
            };
            n += 1;
            if self.taken.insert(fold(&name)) {
                self.next_suffix.insert(key, n);
                return name;
            }
        }
    }
}

fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `name` is a valid Rust identifier (used to check names before `format_ident!`).
#[cfg(test)]
pub fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c == '_' || is_start(c) => {}
        _ => return false,
    }
    name != "_"
        && !KEYWORDS.contains(&name)
        && chars.all(|c| {
            c == '_'
                || c.is_ascii_alphanumeric()
                || (!c.is_ascii() && unicode_ident::is_xid_continue(c))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_lose_the_groups_their_action_repeats() {
        let cases = [
            ("places.place_GetPlace", "get_place"),
            ("connectors.connector.ListConnector", "list_connector"),
            (
                "schemaExtensions.schemaExtension_UpdateSchemaExtension",
                "update_schema_extension",
            ),
            (
                "subscribedSkus.subscribedSku_ListSubscribedSku",
                "list_subscribed_sku",
            ),
            // Groups the action does not repeat stay.
            (
                "deviceManagement_ListAuditEvents",
                "device_management_list_audit_events",
            ),
            (
                "deviceManagement.ndesConnectors.GetCount-9a3b",
                "device_management_ndes_connectors_get_count_9a3b",
            ),
            ("repos/get-content", "repos_get_content"),
            ("listNdesConnectors", "list_ndes_connectors"),
            // Words must appear in order and whole.
            ("users.user_GetPlace", "users_user_get_place"),
            (
                "schemaExtension_GetExtensionSchema",
                "schema_extension_get_extension_schema",
            ),
            // In a snake_case id, `_` separates words, not groups.
            ("get_thing_or_things", "get_thing_or_things"),
            (
                "codes-of-conduct/get-all-codes-of-conduct",
                "get_all_codes_of_conduct",
            ),
        ];
        for (id, expected) in cases {
            assert_eq!(operation_method(id), expected, "{id}");
        }
    }

    #[test]
    fn type_names_are_upper_camel_case() {
        assert_eq!(
            type_name(last_segment("microsoft.graph.ndesConnector")),
            "NdesConnector"
        );
        assert_eq!(type_name("ODataError"), "ODataError");
        assert_eq!(
            type_name("deviceManagementDomainJoinConnectorState"),
            "DeviceManagementDomainJoinConnectorState"
        );
        assert_eq!(type_name("2fa-settings"), "T2faSettings");
        assert_eq!(type_name("Option"), "OptionType");
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(type_name("!!"), "Unnamed");
    }

    #[test]
    fn value_names_are_snake_case_and_escaped() {
        assert_eq!(value_name("@odata.type"), "odata_type");
        assert_eq!(value_name("@odata.nextLink"), "odata_next_link");
        assert_eq!(value_name("$top"), "top");
        assert_eq!(value_name("ndesConnector-id"), "ndes_connector_id");
        assert_eq!(value_name("If-Match"), "if_match");
        assert_eq!(value_name("type"), "type_");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("1st"), "n_1st");
        assert_eq!(
            value_name("connectors.connector.ListConnector"),
            "connectors_connector_list_connector"
        );
    }

    #[test]
    fn variant_names_cover_symbols_and_digits() {
        assert_eq!(variant_name("unknownFutureValue"), "UnknownFutureValue");
        assert_eq!(variant_name("none"), "None");
        assert_eq!(variant_name("*"), "Star");
        assert_eq!(variant_name("2.0"), "V20");
        assert_eq!(variant_name(""), "Empty");
    }

    #[test]
    fn every_made_name_is_an_identifier() {
        for text in [
            "",
            "*",
            "type",
            "Self",
            "9",
            "é",
            "a b",
            "_",
            "__",
            "mod",
            "x²",
            "²",
            "\u{0301}a",
            "日本",
        ] {
            assert!(
                is_ident(&type_name(text)),
                "{text:?} -> {}",
                type_name(text)
            );
            assert!(
                is_ident(&value_name(text)),
                "{text:?} -> {}",
                value_name(text)
            );
            assert!(
                is_ident(&variant_name(text)),
                "{text:?} -> {}",
                variant_name(text)
            );
        }
    }

    #[test]
    fn namespace_suffixes_collisions_in_order() {
        let mut names = Namespace::with_reserved(["Client"]);
        assert_eq!(names.claim("Client"), "Client2");
        assert_eq!(names.claim("Foo"), "Foo");
        assert_eq!(names.claim("FOO"), "FOO2");
        let mut fields = Namespace::new();
        assert_eq!(fields.claim("display_name"), "display_name");
        assert_eq!(fields.claim("displayname"), "displayname_2");
        let mut variants = Namespace::new();
        assert_eq!(variants.claim(&variant_name("self")), "Self_");
        assert_eq!(variants.claim(&variant_name("Self")), "Self2");
    }

    #[test]
    fn many_names_sharing_a_base_are_claimed_in_linear_time() {
        let mut names = Namespace::new();
        for _ in 0..50_000 {
            names.claim("Item");
        }
        assert_eq!(names.claim("item"), "item_50001");
        assert_eq!(names.claim("Item"), "Item50002");
    }
}
