//! What a change of the document does to code that calls the generated client: the public
//! APIs of the old and new generated code (see `emit::surface`) compared item by item, each
//! difference classified as Cargo's SemVer guidelines classify changes to a library.
//!
//! - **Breaking**: an item removed or renamed; a field's, argument's or variant's type changed
//!   (an optional property made required, or a required one optional, changes `T` to and
//!   from `Option<T>`); a method's result changed; a new required argument; a new required
//!   field in a type that requests carry (code that builds it does not set it), or any new
//!   field in one without `Default` (code that builds it names every field); a new variant
//!   of an enum without a fallback; an enum that kept unknown values no longer does; a
//!   struct no longer `Default`.
//! - **Compatible**: additions (a new value of an enum that keeps unknown ones: code that
//!   matched it received it as the fallback variant before); a new name or value on the wire
//!   for an unchanged Rust item; deprecation.
//! - **Documentation**: only the document's descriptions changed.

use std::collections::BTreeMap;
use std::fmt;

use crate::emit::surface::{Item, ItemKind};

/// How a change affects callers, from the least to the most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Documentation only: callers are not affected.
    Documentation,
    /// Code that compiled still compiles and behaves as before.
    Compatible,
    /// Code that compiled may not compile, or may send what the service now refuses.
    Breaking,
}

impl Class {
    /// The word a report uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Documentation => "documentation",
            Class::Compatible => "compatible",
            Class::Breaking => "breaking",
        }
    }

    /// The release a change of this class needs under Cargo's SemVer rules, where before 1.0
    /// the minor version is the one that says "breaking".
    pub fn release(self) -> &'static str {
        match self {
            Class::Breaking => "a new major version (before 1.0: a new minor version)",
            Class::Compatible => "a new minor version (before 1.0: a new patch version)",
            Class::Documentation => "a new patch version",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One difference between the old and the new API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// How it affects callers.
    pub class: Class,
    /// What kind of item.
    pub kind: &'static str,
    /// The item's path in the generated crate (its old path when it was removed).
    pub item: String,
    /// What changed.
    pub what: String,
    /// The JSON pointer of what caused it: in the new document, or in the old one for what
    /// was removed.
    pub pointer: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} `{}` {} ({})",
            self.class, self.kind, self.item, self.what, self.pointer
        )
    }
}

/// Every difference, the most severe first, each class in path order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiChanges {
    changes: Vec<Change>,
}

impl ApiChanges {
    /// The changes, breaking first.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Whether the two APIs are the same, documentation included.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The class of the most severe change; `None` when there is none.
    pub fn class(&self) -> Option<Class> {
        self.changes.iter().map(|change| change.class).max()
    }

    /// Whether a change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.class() == Some(Class::Breaking)
    }

    /// How many changes of `class` there are.
    pub fn count(&self, class: Class) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }
}

impl fmt::Display for ApiChanges {
    /// A summary line, then one line per change; nothing when there is none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(class) = self.class() else {
            return Ok(());
        };
        let counts: Vec<String> = [Class::Breaking, Class::Compatible, Class::Documentation]
            .into_iter()
            .filter_map(|class| match self.count(class) {
                0 => None,
                n => Some(format!("{n} {class}")),
            })
            .collect();
        writeln!(
            f,
            "API changes for callers: {}; release them as {}",
            counts.join(", "),
            class.release()
        )?;
        for change in &self.changes {
            writeln!(f, "{change}")?;
        }
        Ok(())
    }
}

/// Compares the API `old` with `new`.
pub fn compare(old: &[Item], new: &[Item]) -> ApiChanges {
    let old_items: BTreeMap<(&str, ItemKind), &Item> =
        old.iter().map(|i| ((i.path.as_str(), i.kind), i)).collect();
    let new_items: BTreeMap<(&str, ItemKind), &Item> =
        new.iter().map(|i| ((i.path.as_str(), i.kind), i)).collect();
    let removed: Vec<&Item> = old_items
        .iter()
        .filter(|(key, _)| !new_items.contains_key(*key))
        .map(|(_, item)| *item)
        .collect();
    let added: Vec<&Item> = new_items
        .iter()
        .filter(|(key, _)| !old_items.contains_key(*key))
        .map(|(_, item)| *item)
        .collect();
    let gone_parents: Vec<&str> = removed
        .iter()
        .filter(|i| matches!(i.kind, ItemKind::Type | ItemKind::Method))
        .map(|i| i.path.as_str())
        .collect();
    let new_parents: Vec<&str> = added
        .iter()
        .filter(|i| matches!(i.kind, ItemKind::Type | ItemKind::Method))
        .map(|i| i.path.as_str())
        .collect();

    let mut changes = Vec::new();
    let mut paired = Vec::new();
    for item in &removed {
        // A removed type's fields and a removed method's arguments go with it.
        if item.parent().is_some_and(|p| gone_parents.contains(&p)) {
            continue;
        }
        // The same declaration under another Rust name, or the same wire name in the same
        // parent: a rename, which callers see as a removal.
        let renamed = added.iter().find(|candidate| {
            candidate.kind == item.kind
                && candidate.parent() == item.parent()
                && !paired.contains(&candidate.path)
                && (candidate.pointer == item.pointer && item.kind != ItemKind::Variant
                    || item.wire.is_some() && candidate.wire == item.wire)
        });
        let what = match renamed {
            Some(to) => {
                paired.push(to.path.clone());
                format!("renamed to `{}`", to.path)
            }
            None => String::from("removed"),
        };
        changes.push(Change {
            class: Class::Breaking,
            kind: item.kind.as_str(),
            item: item.path.clone(),
            what,
            pointer: item.pointer.clone(),
        });
    }
    for item in &added {
        if item.parent().is_some_and(|p| new_parents.contains(&p)) || paired.contains(&item.path) {
            continue;
        }
        let parent = item
            .parent()
            .and_then(|p| new_items.get(&(p, ItemKind::Type)).copied());
        let (class, what) = match item.kind {
            ItemKind::Argument => (
                Class::Breaking,
                format!("added: a new required argument `{}`", item.signature),
            ),
            ItemKind::Field if item.required && parent.is_some_and(|p| p.sent) => (
                Class::Breaking,
                format!(
                    "added as a required property of a type requests carry (`{}`): code that builds it does not set it",
                    item.signature
                ),
            ),
            // Without `Default`, code builds it with every field named.
            ItemKind::Field if parent.is_some_and(|p| p.sent && !p.default) => (
                Class::Breaking,
                String::from(
                    "added to a type requests carry that has no `Default`: code that builds it must name it",
                ),
            ),
            ItemKind::Variant if parent.is_some_and(|p| !p.open) => (
                Class::Breaking,
                String::from(
                    "added to an enum without a fallback variant: exhaustive matches miss it",
                ),
            ),
            _ => (Class::Compatible, String::from("added")),
        };
        changes.push(Change {
            class,
            kind: item.kind.as_str(),
            item: item.path.clone(),
            what,
            pointer: item.pointer.clone(),
        });
    }
    for (key, before) in &old_items {
        if let Some(after) = new_items.get(key) {
            changes.extend(differences(before, after, &new_items));
        }
    }
    changes.sort_by(|a, b| (b.class, &a.item).cmp(&(a.class, &b.item)));
    ApiChanges { changes }
}

/// What differs between two versions of one item, each difference a change; documentation
/// only when nothing else does.
fn differences(
    before: &Item,
    after: &Item,
    new_items: &BTreeMap<(&str, ItemKind), &Item>,
) -> Vec<Change> {
    let change = |class: Class, what: String| Change {
        class,
        kind: after.kind.as_str(),
        item: after.path.clone(),
        what,
        pointer: after.pointer.clone(),
    };
    let mut changes = Vec::new();
    if before.signature != after.signature {
        changes.push(change(
            Class::Breaking,
            signature_change(after.kind, &before.signature, &after.signature),
        ));
    }
    if before.position != after.position
        && let (Some(from), Some(to)) = (before.position, after.position)
    {
        changes.push(change(
            Class::Breaking,
            format!("moved from argument {from} to argument {to}"),
        ));
    }
    if before.open && !after.open {
        changes.push(change(
            Class::Breaking,
            String::from("no longer has a variant for values it does not list"),
        ));
    }
    if before.default && !after.default {
        changes.push(change(
            Class::Breaking,
            String::from("no longer implements `Default`: a required field has no default"),
        ));
    }
    if !before.required && after.required && before.signature == after.signature {
        let sent = after
            .parent()
            .and_then(|p| new_items.get(&(p, ItemKind::Type)))
            .is_some_and(|p| p.sent);
        if sent {
            changes.push(change(
                Class::Breaking,
                String::from("made required in requests (its type is unchanged)"),
            ));
        }
    }
    if before.wire != after.wire
        && let (Some(from), Some(to)) = (&before.wire, &after.wire)
    {
        let what = match after.kind {
            ItemKind::Method => format!("now sends `{to}` (was `{from}`)"),
            _ => format!("is `{to}` on the wire (was `{from}`)"),
        };
        changes.push(change(Class::Compatible, what));
    }
    if !before.open && after.open {
        changes.push(change(
            Class::Compatible,
            String::from("now keeps values it does not list"),
        ));
    }
    if !before.default && after.default {
        changes.push(change(
            Class::Compatible,
            String::from("now implements `Default`"),
        ));
    }
    if before.deprecated != after.deprecated {
        let what = if after.deprecated {
            "deprecated"
        } else {
            "no longer deprecated"
        };
        changes.push(change(Class::Compatible, what.to_owned()));
    }
    if changes.is_empty() && before.doc != after.doc {
        changes.push(change(
            Class::Documentation,
            String::from("has a new description"),
        ));
    }
    changes
}

/// How a signature changed, in words.
fn signature_change(kind: ItemKind, from: &str, to: &str) -> String {
    let optional = |text: &str| {
        text.strip_prefix("Option<")
            .and_then(|rest| rest.strip_suffix('>'))
            .map(str::to_owned)
    };
    if optional(from).as_deref() == Some(to) {
        return format!("made required: `{from}` is now `{to}`");
    }
    if optional(to).as_deref() == Some(from) {
        return format!("made optional: `{from}` is now `{to}`");
    }
    match kind {
        ItemKind::Method => format!("returns `{to}` (was `{from}`)"),
        ItemKind::Type => format!("changed from `{from}` to `{to}`"),
        _ => format!("changed type from `{from}` to `{to}`"),
    }
}

/// The version after `previous` for a regeneration whose API changes are of `class` and
/// which changes other files or not; `None` when it stays. Before 1.0 each kind of change
/// moves one place to the right, as Cargo's rules read a 0.x version.
pub fn next_version(
    previous: &str,
    class: Option<Class>,
    other_files_changed: bool,
) -> Option<String> {
    let parts: Vec<u64> = previous
        .split('.')
        .map(|part| part.parse().ok())
        .collect::<Option<Vec<u64>>>()?;
    let [major, minor, patch] = parts[..] else {
        return None;
    };
    let class = match class {
        Some(class) => class,
        None if other_files_changed => Class::Documentation,
        None => return None,
    };
    let next = match (class, major) {
        (Class::Breaking, 0) | (Class::Compatible, 1..) => [major, minor + 1, 0],
        (Class::Breaking, _) => [major + 1, 0, 0],
        (Class::Compatible, 0) | (Class::Documentation, _) => [major, minor, patch + 1],
    };
    Some(format!("{}.{}.{}", next[0], next[1], next[2]))
}

/// The `version` of the `[package]` table of a manifest the generator wrote.
pub fn package_version(manifest: &str) -> Option<String> {
    package_version_line(manifest).and_then(|line| {
        line.trim()
            .strip_prefix("version")?
            .trim_start()
            .strip_prefix('=')?
            .trim()
            .strip_prefix('"')?
            .strip_suffix('"')
            .map(str::to_owned)
    })
}

/// `manifest` with its package at `version`.
pub fn set_package_version(manifest: &str, version: &str) -> String {
    match package_version_line(manifest) {
        Some(line) => manifest.replacen(line, &format!("version = \"{version}\""), 1),
        None => manifest.to_owned(),
    }
}

/// The `version = ...` line of the `[package]` table.
fn package_version_line(manifest: &str) -> Option<&str> {
    manifest
        .split_once("[package]")?
        .1
        .lines()
        .take_while(|line| !line.trim_start().starts_with('['))
        .find(|line| line.trim_start().starts_with("version"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::surface::from_text;

    fn report(old: &str, new: &str) -> Vec<String> {
        let (old, new) = (from_text(old).unwrap(), from_text(new).unwrap());
        compare(&old, &new)
            .changes()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    const STRUCT: &str = r##"{"kind":"type","path":"models::A","type":"struct","pointer":"#/a","default":true,"sent":true}"##;

    #[test]
    fn versions_move_as_cargo_reads_them() {
        let next = |v, c, o| next_version(v, c, o);
        assert_eq!(
            next("0.1.0", Some(Class::Breaking), true).as_deref(),
            Some("0.2.0")
        );
        assert_eq!(
            next("0.2.3", Some(Class::Compatible), true).as_deref(),
            Some("0.2.4")
        );
        assert_eq!(
            next("1.2.3", Some(Class::Breaking), true).as_deref(),
            Some("2.0.0")
        );
        assert_eq!(
            next("1.2.3", Some(Class::Compatible), true).as_deref(),
            Some("1.3.0")
        );
        assert_eq!(
            next("1.2.3", Some(Class::Documentation), true).as_deref(),
            Some("1.2.4")
        );
        assert_eq!(next("1.2.3", None, true).as_deref(), Some("1.2.4"));
        assert_eq!(next("1.2.3", None, false), None);
        assert_eq!(next("1.2.3-beta", Some(Class::Breaking), true), None);
    }

    #[test]
    fn the_package_version_is_read_and_set_in_its_table() {
        let manifest = "# from `v.yaml`\n\n[package]\nname = \"c\"\nversion = \"0.3.1\"\n\n[dependencies]\nx = { version = \"1\" }\n";
        assert_eq!(package_version(manifest).as_deref(), Some("0.3.1"));
        let set = set_package_version(manifest, "0.4.0");
        assert_eq!(package_version(&set).as_deref(), Some("0.4.0"));
        assert!(set.contains("x = { version = \"1\" }"), "{set}");
        assert_eq!(package_version("[dependencies]\nversion = \"1\"\n"), None);
    }

    #[test]
    fn a_required_field_added_breaks_only_types_requests_carry() {
        let field = r##"{"kind":"field","path":"models::A::b","type":"String","wire":"b","pointer":"#/a/properties/b","required":true}"##;
        let sent = report(STRUCT, &format!("{STRUCT}\n{field}"));
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert!(
            sent[0].starts_with("breaking: field `models::A::b` added as a required property"),
            "{sent:?}"
        );
        let received = STRUCT.replace(",\"sent\":true", "");
        let answer = report(&received, &format!("{received}\n{field}"));
        assert_eq!(
            answer,
            ["compatible: field `models::A::b` added (#/a/properties/b)"]
        );
    }

    #[test]
    fn any_field_added_to_a_sent_type_without_default_breaks_struct_literals() {
        let strict = STRUCT.replace(",\"default\":true", "");
        let field = r##"{"kind":"field","path":"models::A::c","type":"Option<String>","wire":"c","pointer":"#/a/properties/c"}"##;
        let lines = report(&strict, &format!("{strict}\n{field}"));
        assert!(lines[0].starts_with("breaking: field `models::A::c` added to a type requests carry that has no `Default`"), "{lines:?}");
        assert_eq!(
            report(STRUCT, &format!("{STRUCT}\n{field}")),
            ["compatible: field `models::A::c` added (#/a/properties/c)"]
        );
    }

    #[test]
    fn a_new_client_name_for_the_same_wire_name_is_a_rename() {
        let old = format!(
            "{STRUCT}\n{}",
            r##"{"kind":"field","path":"models::A::b","type":"Option<i64>","wire":"b","pointer":"#/a/properties/b"}"##
        );
        let new = old.replace("models::A::b\"", "models::A::count\"");
        assert_eq!(
            report(&old, &new),
            ["breaking: field `models::A::b` renamed to `models::A::count` (#/a/properties/b)"]
        );
    }

    #[test]
    fn variants_added_break_only_enums_without_a_fallback() {
        let open =
            r##"{"kind":"type","path":"models::E","type":"enum","pointer":"#/e","open":true}"##;
        let variant = r##"{"kind":"variant","path":"models::E::Two","type":"","wire":"two","pointer":"#/e/enum/1"}"##;
        assert_eq!(
            report(open, &format!("{open}\n{variant}")),
            ["compatible: variant `models::E::Two` added (#/e/enum/1)"]
        );
        let closed = open.replace(",\"open\":true", "");
        let lines = report(&closed, &format!("{closed}\n{variant}"));
        assert!(
            lines[0].starts_with(
                "breaking: variant `models::E::Two` added to an enum without a fallback"
            ),
            "{lines:?}"
        );
    }

    #[test]
    fn arguments_that_move_or_appear_break_callers() {
        let method = r##"{"kind":"method","path":"client::Client::m","type":"()","wire":"GET /m","pointer":"#/paths/~1m/get"}"##;
        let a = r##"{"kind":"argument","path":"client::Client::m(a)","type":"&str","pointer":"#/p/0","position":1}"##;
        let b = r##"{"kind":"argument","path":"client::Client::m(b)","type":"i64","pointer":"#/p/1","position":1}"##;
        let lines = report(
            &format!("{method}\n{a}"),
            &format!(
                "{method}\n{b}\n{}",
                a.replace("\"position\":1", "\"position\":2")
            ),
        );
        assert_eq!(
            lines,
            [
                "breaking: argument `client::Client::m(a)` moved from argument 1 to argument 2 (#/p/0)",
                "breaking: argument `client::Client::m(b)` added: a new required argument `i64` (#/p/1)",
            ]
        );
    }

    #[test]
    fn an_unreadable_surface_compares_as_nothing() {
        assert!(from_text("not json\n").is_none());
        assert!(from_text(r#"{"kind":"gadget","path":"x"}"#).is_none());
    }
}
