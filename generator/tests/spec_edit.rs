//! Editing the document changes the generated code: a new property appears as a typed field,
//! a new operation as a method, and the output is byte-identical on every run.

mod support;

use std::path::Path;

use clientsmith::Config;

fn render(spec: &Path) -> clientsmith::Files {
    Config::new(spec).render().expect("render")
}

fn parse(files: &clientsmith::Files, name: &str) -> syn::File {
    syn::parse_file(&files[name]).unwrap_or_else(|e| panic!("{name} does not parse: {e}"))
}

fn find_struct<'a>(file: &'a syn::File, name: &str) -> &'a syn::ItemStruct {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no struct {name}"))
}

fn field_type(item: &syn::ItemStruct, field: &str) -> Option<String> {
    item.fields
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == field))
        .map(|f| {
            let ty = &f.ty;
            quote::quote!(#ty).to_string().replace(' ', "")
        })
}

fn client_methods(file: &syn::File) -> Vec<String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(i) if matches!(&*i.self_ty, syn::Type::Path(p) if p.path.is_ident("Client")) => Some(i),
            _ => None,
        })
        .flat_map(|i| i.items.iter())
        .filter_map(|item| match item {
            syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_new_property_and_a_new_operation_appear_in_the_output() {
    let original = support::workspace_root().join("spec/connectors.yaml");
    let before = render(&original);
    let before_models = parse(&before, "models.rs");
    assert_eq!(
        field_type(
            find_struct(&before_models, "NdesConnector"),
            "certificate_thumbprint"
        ),
        None
    );

    let text = std::fs::read_to_string(&original).expect("spec");
    // A new property on the ndesConnector schema, next to an existing one.
    let anchor = "            connectorVersion:\n";
    assert!(
        text.contains(anchor),
        "the spec layout changed; update this test"
    );
    let text = text.replacen(
        anchor,
        "            certificateThumbprint:\n              type: string\n              nullable: true\n              description: Thumbprint of the connector's certificate.\n            lastRenewalDate:\n              type: string\n              format: date\n              description: Day the certificate was last renewed.\n            connectorVersion:\n",
        1,
    );
    // A new operation: the `$count` segment Graph serves for the collection.
    let text = text.replacen(
        "paths:\n",
        "paths:\n  /deviceManagement/ndesConnectors/$count:\n    get:\n      operationId: countNdesConnectors\n      summary: Count ndesConnectors\n      parameters:\n        - $ref: '#/components/parameters/filter'\n      responses:\n        '200':\n          description: The count\n          content:\n            text/plain:\n              schema:\n                type: integer\n                format: int32\n",
        1,
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let edited = dir.path().join("connectors.yaml");
    std::fs::write(&edited, text).expect("write edited spec");

    let after = render(&edited);
    let models = parse(&after, "models.rs");
    let connector = find_struct(&models, "NdesConnector");
    assert_eq!(
        field_type(connector, "certificate_thumbprint").as_deref(),
        Some("Option<String>")
    );
    assert_eq!(
        field_type(connector, "last_renewal_date").as_deref(),
        Some("Option<::chrono::NaiveDate>")
    );
    let update = find_struct(&models, "NdesConnectorUpdate");
    assert_eq!(
        field_type(update, "certificate_thumbprint").as_deref(),
        Some("crate::runtime::Patch<String>")
    );

    let client = parse(&after, "client.rs");
    let methods = client_methods(&client);
    assert!(
        methods.contains(&String::from("count_ndes_connectors")),
        "{methods:?}"
    );
    assert!(
        !client_methods(&parse(&before, "client.rs"))
            .contains(&String::from("count_ndes_connectors"))
    );
    assert!(after["client.rs"].contains("/deviceManagement/ndesConnectors/$count"));
    let options = find_struct(&client, "CountNdesConnectorsOptions");
    assert_eq!(
        field_type(options, "filter").as_deref(),
        Some("Option<String>")
    );
}

#[test]
fn output_is_byte_identical_across_runs_and_directories() {
    let original = support::workspace_root().join("spec/connectors.yaml");
    let first = Config::new("spec/connectors.yaml");
    // Render from the workspace root and from a copy elsewhere under the same relative name.
    let copy = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(copy.path().join("spec")).expect("dir");
    std::fs::copy(&original, copy.path().join("spec/connectors.yaml")).expect("copy");
    let a = with_current_dir(&support::workspace_root(), || {
        first.render().expect("render")
    });
    let b = with_current_dir(copy.path(), || first.render().expect("render"));
    let c = with_current_dir(copy.path(), || first.render().expect("render"));
    assert_eq!(a, b);
    assert_eq!(b, c);
}

/// Runs `f` with the working directory set to `dir` (tests in this binary that change the
/// directory take this lock so they do not race).
fn with_current_dir<T>(dir: &Path, f: impl FnOnce() -> T) -> T {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let previous = std::env::current_dir().expect("cwd");
    std::env::set_current_dir(dir).expect("chdir");
    let result = f();
    std::env::set_current_dir(previous).expect("chdir back");
    result
}

/// A document with the given `operationId`s, each a `GET` of its own path.
fn document_with_operations(ids: &[&str]) -> String {
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: t, version: v1}\npaths:\n");
    for (index, id) in ids.iter().enumerate() {
        text.push_str(&format!(
            "  /p{index}:\n    get:\n      operationId: {id}\n      responses:\n        '204':\n          description: done\n"
        ));
    }
    text
}

fn methods_of(ids: &[&str]) -> Vec<String> {
    let files = Config::new("ops.yaml")
        .render_str(&document_with_operations(ids))
        .expect("render");
    client_methods(&parse(&files, "client.rs"))
}

#[test]
fn operation_ids_lose_repeated_groups_unless_two_operations_would_meet() {
    let methods = methods_of(&[
        "places.place_GetPlace",
        "places.place_ListPlace",
        "a.thing_GetThing",
        "thing_GetThing",
        "things.thing_GetThing",
        "get_widget",
        "widget_GetWidget",
        "get_thing_or_things",
    ]);
    for expected in [
        "get_place",
        "list_place",
        // `a` is not repeated by the action: it stays.
        "a_get_thing",
        // Both would be `get_thing`: both keep their full names.
        "thing_get_thing",
        "things_thing_get_thing",
        // `get_widget` is another operation's full name.
        "get_widget",
        "widget_get_widget",
        // A snake_case id is only words.
        "get_thing_or_things",
    ] {
        assert!(
            methods.contains(&expected.to_owned()),
            "{expected} in {methods:?}"
        );
    }
    // Adding operations that meet no one leaves the names as they were.
    let grown = methods_of(&[
        "places.place_GetPlace",
        "places.place_ListPlace",
        "rooms.room_GetRoom",
    ]);
    assert!(grown.contains(&"get_place".to_owned()), "{grown:?}");
    assert!(grown.contains(&"get_room".to_owned()), "{grown:?}");
}

#[test]
fn an_inline_enum_repeated_across_a_collection_is_one_type_named_by_its_list() {
    let select = "        - name: $select\n          in: query\n          schema:\n            type: array\n            items:\n              type: string\n              enum: [id, name]\n";
    let operation = |id: &str| {
        format!(
            "      operationId: {id}\n      parameters:\n{select}      responses:\n        '204':\n          description: done\n"
        )
    };
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: v1}}\npaths:\n  /things/{{thing-id}}:\n    parameters:\n      - {{name: thing-id, in: path, required: true, schema: {{type: string}}}}\n    get:\n{}  /things:\n    get:\n{}  /others:\n    get:\n{}",
        operation("GetThing"),
        operation("ListThings"),
        operation("ListOthers")
    );
    let files = Config::new("things.yaml")
        .render_str(&text)
        .expect("render");
    let models = parse(&files, "models.rs");
    let enums: Vec<String> = models
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    // The collection's two operations share one enum, named by its list although the item
    // comes first in the document; another collection keeps its own.
    assert_eq!(
        enums,
        ["ListOthersSelectItem", "ListThingsSelectItem"],
        "{enums:?}"
    );
    assert!(files["client.rs"].contains("pub select: Vec<crate::models::ListThingsSelectItem>"));
    assert!(!files["client.rs"].contains("GetThingSelectItem"));
}
