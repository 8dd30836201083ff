//! Slicing a large document: include/exclude patterns, reachability pruning, stable type names,
//! the `slice` command's round trip, and a one-collection slice of the 10,000-operation
//! synthetic document that compiles.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use clientsmith::internals::synthetic;
use clientsmith::{Config, ErrorKind};
use openapiv3::OpenAPI;
use quote::ToTokens;

/// `METHOD /path` of every operation, in document order.
fn operations(api: &OpenAPI) -> Vec<String> {
    api.operations()
        .map(|(path, method, _)| format!("{} {path}", method.to_uppercase()))
        .collect()
}

/// The names of every component, by section, in document order (empty sections left out).
fn components(api: &OpenAPI) -> BTreeMap<&'static str, Vec<String>> {
    let mut out = BTreeMap::new();
    let Some(c) = &api.components else {
        return out;
    };
    let sections: [(&str, Vec<String>); 8] = [
        ("schemas", c.schemas.keys().cloned().collect()),
        ("responses", c.responses.keys().cloned().collect()),
        ("parameters", c.parameters.keys().cloned().collect()),
        ("examples", c.examples.keys().cloned().collect()),
        ("requestBodies", c.request_bodies.keys().cloned().collect()),
        ("headers", c.headers.keys().cloned().collect()),
        (
            "securitySchemes",
            c.security_schemes.keys().cloned().collect(),
        ),
        ("links", c.links.keys().cloned().collect()),
    ];
    for (name, keys) in sections {
        if !keys.is_empty() {
            out.insert(name, keys);
        }
    }
    out
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The synthetic document with `operations` operations, written to `dir`.
fn synthetic_spec(dir: &Path, operations: usize) -> PathBuf {
    let path = dir.join(format!("synthetic-{operations}.yaml"));
    std::fs::write(&path, synthetic::document(operations)).expect("write the synthetic document");
    path
}

/// The body of a generated file, without the header naming the document.
fn body(text: &str) -> &str {
    text.split_once("\n\n").map_or(text, |(_, rest)| rest)
}

/// The named items (`struct`, `enum`, `type`) of a generated `models.rs`, as token text.
fn model_items(models: &str) -> BTreeMap<String, String> {
    let file = syn::parse_file(models).expect("models.rs parses");
    file.items
        .into_iter()
        .filter_map(|item| match &item {
            syn::Item::Struct(s) => Some((s.ident.to_string(), item.to_token_stream().to_string())),
            syn::Item::Enum(e) => Some((e.ident.to_string(), item.to_token_stream().to_string())),
            syn::Item::Type(t) => Some((t.ident.to_string(), item.to_token_stream().to_string())),
            _ => None,
        })
        .collect()
}

/// The fields of struct `name` in a generated `models.rs`: Rust name -> type.
fn struct_fields(models: &str, name: &str) -> BTreeMap<String, String> {
    let file = syn::parse_file(models).expect("models.rs parses");
    for item in file.items {
        if let syn::Item::Struct(s) = item {
            if s.ident == name {
                return s
                    .fields
                    .iter()
                    .map(|f| {
                        (
                            f.ident
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default(),
                            f.ty.to_token_stream().to_string(),
                        )
                    })
                    .collect();
            }
        }
    }
    panic!("no struct `{name}` in models.rs");
}

/// The variants of enum `name` in a generated `models.rs`.
fn enum_variants(models: &str, name: &str) -> Vec<String> {
    let file = syn::parse_file(models).expect("models.rs parses");
    for item in file.items {
        if let syn::Item::Enum(e) = item {
            if e.ident == name {
                return e.variants.iter().map(|v| v.ident.to_string()).collect();
            }
        }
    }
    panic!("no enum `{name}` in models.rs");
}

#[test]
fn graph_beta_slices_keep_exactly_the_selected_operations_and_what_they_reach() {
    let Some(specs) = support::shared_specs() else {
        return;
    };
    let spec = specs.join("graph-beta-connectors.yaml");
    let odata_errors = [
        "microsoft.graph.ODataErrors.ODataError",
        "microsoft.graph.ODataErrors.MainError",
        "microsoft.graph.ODataErrors.ErrorDetails",
        "microsoft.graph.ODataErrors.InnerError",
    ];
    let query = ["top", "skip", "search", "filter", "count"];

    // One collection: the base type comes along through `allOf`, its discriminator mapping
    // does not bring the other connectors (the base is only inherited, never a value's type),
    // and the mapping keeps only the entry whose schema is kept.
    let ndes = Config::new(&spec)
        .include("/deviceManagement/ndesConnectors/**")
        .exclude("/**/$count")
        .slice()
        .expect("slice");
    assert_eq!(
        operations(&ndes),
        strings(&[
            "GET /deviceManagement/ndesConnectors",
            "POST /deviceManagement/ndesConnectors",
            "GET /deviceManagement/ndesConnectors/{ndesConnector-id}",
            "DELETE /deviceManagement/ndesConnectors/{ndesConnector-id}",
            "PATCH /deviceManagement/ndesConnectors/{ndesConnector-id}",
        ])
    );
    let mut schemas = strings(&[
        "microsoft.graph.entity",
        "microsoft.graph.ndesConnector",
        "microsoft.graph.ndesConnectorState",
        "microsoft.graph.ndesConnectorCollectionResponse",
    ]);
    schemas.extend(strings(&odata_errors));
    schemas.push(String::from("BaseCollectionPaginationCountResponse"));
    assert_eq!(
        components(&ndes),
        BTreeMap::from([
            ("schemas", schemas),
            (
                "responses",
                strings(&["error", "microsoft.graph.ndesConnectorCollectionResponse"])
            ),
            ("parameters", strings(&query)),
            ("securitySchemes", strings(&["azureaadv2"])),
        ])
    );
    let entity = &ndes.components.as_ref().expect("components").schemas["microsoft.graph.entity"];
    let openapiv3::ReferenceOr::Item(entity) = entity else {
        panic!("entity is a schema");
    };
    let mapping = &entity
        .schema_data
        .discriminator
        .as_ref()
        .expect("discriminator")
        .mapping;
    assert_eq!(
        mapping.values().collect::<Vec<_>>(),
        ["#/components/schemas/microsoft.graph.ndesConnector"]
    );
    assert_eq!(
        ndes.tags
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>(),
        ["deviceManagement.ndesConnector"]
    );

    // By tag: the `memberOf` navigation and its `$ref` operations, with the request body and
    // the types reached through properties at any depth (connectorGroup -> members ->
    // connector -> memberOf -> connectorGroup).
    let member_of = Config::new(&spec)
        .include("tag:connectors.connectorGroup")
        .slice()
        .expect("slice");
    assert_eq!(
        operations(&member_of),
        strings(&[
            "GET /connectors/{connector-id}/memberOf",
            "GET /connectors/{connector-id}/memberOf/$ref",
            "POST /connectors/{connector-id}/memberOf/$ref",
            "DELETE /connectors/{connector-id}/memberOf/$ref",
        ])
    );
    let mut schemas = strings(&[
        "microsoft.graph.entity",
        "microsoft.graph.connector",
        "microsoft.graph.connectorGroup",
        "microsoft.graph.connectorStatus",
        "microsoft.graph.connectorGroupType",
        "microsoft.graph.connectorGroupRegion",
        "microsoft.graph.connectorGroupCollectionResponse",
    ]);
    schemas.extend(strings(&odata_errors));
    schemas.extend(strings(&[
        "StringCollectionResponse",
        "ReferenceCreate",
        "BaseCollectionPaginationCountResponse",
    ]));
    assert_eq!(
        components(&member_of),
        BTreeMap::from([
            ("schemas", schemas),
            (
                "responses",
                strings(&[
                    "error",
                    "StringCollectionResponse",
                    "microsoft.graph.connectorGroupCollectionResponse"
                ])
            ),
            ("parameters", strings(&query)),
            ("requestBodies", strings(&["refPostBody"])),
            ("securitySchemes", strings(&["azureaadv2"])),
        ])
    );

    // Methods and an operationId exclude: reads under /connectors but the `$ref` list; the
    // count brings its text/plain schema.
    let reads = Config::new(&spec)
        .include("GET:/connectors/**")
        .exclude("operationId:connectors.ListRefMemberOf")
        .slice()
        .expect("slice");
    assert_eq!(
        operations(&reads),
        strings(&[
            "GET /connectors",
            "GET /connectors/{connector-id}",
            "GET /connectors/{connector-id}/memberOf",
            "GET /connectors/$count",
        ])
    );
    let mut schemas = strings(&[
        "microsoft.graph.entity",
        "microsoft.graph.connector",
        "microsoft.graph.connectorGroup",
        "microsoft.graph.connectorStatus",
        "microsoft.graph.connectorGroupType",
        "microsoft.graph.connectorGroupRegion",
        "microsoft.graph.connectorCollectionResponse",
        "microsoft.graph.connectorGroupCollectionResponse",
    ]);
    schemas.extend(strings(&odata_errors));
    schemas.extend(strings(&[
        "ODataCountResponse",
        "BaseCollectionPaginationCountResponse",
    ]));
    assert_eq!(components(&reads)["schemas"], schemas);
    assert_eq!(
        components(&reads)["responses"],
        strings(&[
            "error",
            "ODataCountResponse",
            "microsoft.graph.connectorCollectionResponse",
            "microsoft.graph.connectorGroupCollectionResponse",
        ])
    );
    assert!(!components(&reads).contains_key("requestBodies"));

    // An operationId glob with an in-segment path wildcard excluding the item paths.
    let created = Config::new(&spec)
        .include("operationId:deviceManagement.Create*")
        .exclude("/deviceManagement/*Connectors/*")
        .slice()
        .expect("slice");
    assert_eq!(
        operations(&created),
        strings(&[
            "POST /deviceManagement/domainJoinConnectors",
            "POST /deviceManagement/ndesConnectors",
        ])
    );
    let mut schemas = strings(&[
        "microsoft.graph.entity",
        "microsoft.graph.deviceManagementDomainJoinConnector",
        "microsoft.graph.ndesConnector",
        "microsoft.graph.deviceManagementDomainJoinConnectorState",
        "microsoft.graph.ndesConnectorState",
    ]);
    schemas.extend(strings(&odata_errors));
    assert_eq!(
        components(&created),
        BTreeMap::from([
            ("schemas", schemas),
            ("responses", strings(&["error"])),
            ("securitySchemes", strings(&["azureaadv2"])),
        ])
    );
}

/// The schemas of entity group 0-3 of the synthetic document (entity 0's navigation
/// properties reach its group), shared ones first, as the document orders them.
fn group_zero_schemas(subtypes: bool) -> Vec<String> {
    let mut schemas = strings(&["microsoft.graph.entity", "microsoft.graph.directoryObject"]);
    if subtypes {
        schemas.extend(strings(&[
            "microsoft.graph.user",
            "microsoft.graph.group",
            "microsoft.graph.servicePrincipal",
        ]));
    }
    schemas.extend(strings(&[
        "microsoft.graph.keyValuePair",
        "microsoft.graph.ODataErrors.ODataError",
        "microsoft.graph.ODataErrors.MainError",
        "microsoft.graph.ODataErrors.ErrorDetails",
        "microsoft.graph.ODataErrors.InnerError",
        "BaseCollectionPaginationCountResponse",
        "microsoft.graph.deviceProfile",
        "microsoft.graph.deviceProfileStatus",
        "microsoft.graph.deviceProfileCollectionResponse",
        "microsoft.graph.userProfile",
        "microsoft.graph.userProfileStatus",
        "microsoft.graph.groupProfile",
        "microsoft.graph.groupProfileStatus",
        "microsoft.graph.policyProfile",
        "microsoft.graph.policyProfileStatus",
    ]));
    schemas
}

#[test]
fn synthetic_slices_keep_exactly_the_selected_operations_and_what_they_reach() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = synthetic_spec(dir.path(), 100);

    // One collection. Entity 0 has a `createdBy` typed by the polymorphic directoryObject:
    // its mapped subtypes come along, or, with mapped subtypes off, do not (and the mapping
    // keeps no entry to them).
    let collection = Config::new(&spec)
        .include("/deviceManagement/deviceProfiles/**")
        .slice()
        .expect("slice");
    assert_eq!(
        operations(&collection),
        strings(&[
            "GET /deviceManagement/deviceProfiles",
            "POST /deviceManagement/deviceProfiles",
            "GET /deviceManagement/deviceProfiles/{deviceProfile-id}",
            "DELETE /deviceManagement/deviceProfiles/{deviceProfile-id}",
            "PATCH /deviceManagement/deviceProfiles/{deviceProfile-id}",
        ])
    );
    assert_eq!(
        components(&collection),
        BTreeMap::from([
            ("schemas", group_zero_schemas(true)),
            (
                "responses",
                strings(&["error", "microsoft.graph.deviceProfileCollectionResponse"])
            ),
            (
                "parameters",
                strings(&["top", "skip", "search", "filter", "count"])
            ),
            ("securitySchemes", strings(&["azureaadv2"])),
        ])
    );
    let without = Config::new(&spec)
        .include("/deviceManagement/deviceProfiles/**")
        .mapped_subtypes(false)
        .slice()
        .expect("slice");
    assert_eq!(components(&without)["schemas"], group_zero_schemas(false));
    let directory = &without.components.as_ref().expect("components").schemas["microsoft.graph.directoryObject"];
    let openapiv3::ReferenceOr::Item(directory) = directory else {
        panic!("directoryObject is a schema");
    };
    assert!(
        directory
            .schema_data
            .discriminator
            .as_ref()
            .expect("discriminator")
            .mapping
            .is_empty(),
        "no mapping entry dangles"
    );

    // Every delete: no body, so only the error types.
    let deletes = Config::new(&spec)
        .include("DELETE:/**")
        .slice()
        .expect("slice");
    assert_eq!(operations(&deletes).len(), 20);
    assert!(
        operations(&deletes)
            .iter()
            .all(|op| op.starts_with("DELETE "))
    );
    assert_eq!(
        components(&deletes),
        BTreeMap::from([
            (
                "schemas",
                strings(&[
                    "microsoft.graph.ODataErrors.ODataError",
                    "microsoft.graph.ODataErrors.MainError",
                    "microsoft.graph.ODataErrors.ErrorDetails",
                    "microsoft.graph.ODataErrors.InnerError",
                ])
            ),
            ("responses", strings(&["error"])),
            ("securitySchemes", strings(&["azureaadv2"])),
        ])
    );

    // A tag glob: the two security entities (9 and 19), each with its group of four.
    let security = Config::new(&spec)
        .include("tag:security.*")
        .exclude("GET:/**")
        .slice()
        .expect("slice");
    assert_eq!(
        operations(&security),
        strings(&[
            "POST /security/connectorProfiles",
            "DELETE /security/connectorProfiles/{connectorProfile-id}",
            "PATCH /security/connectorProfiles/{connectorProfile-id}",
            "POST /security/identityProfiles",
            "DELETE /security/identityProfiles/{identityProfile-id}",
            "PATCH /security/identityProfiles/{identityProfile-id}",
        ])
    );
    let entities: Vec<String> = components(&security)["schemas"]
        .iter()
        .filter(|k| !k.ends_with("Status") && !k.ends_with("CollectionResponse"))
        .filter(|k| k.ends_with("Profile"))
        .cloned()
        .collect();
    assert_eq!(
        entities,
        strings(&[
            "microsoft.graph.mobileProfile",
            "microsoft.graph.security.connectorProfile",
            "microsoft.graph.printProfile",
            "microsoft.graph.teamworkProfile",
            "microsoft.graph.storageProfile",
            "microsoft.graph.partnerProfile",
            "microsoft.graph.tenantProfile",
            "microsoft.graph.security.identityProfile",
        ])
    );
    // No list operation: no collection response, and no query parameter component.
    assert!(
        !components(&security)["schemas"]
            .iter()
            .any(|k| k.ends_with("CollectionResponse"))
    );
    assert!(!components(&security).contains_key("parameters"));

    // An operationId glob.
    let gets = Config::new(&spec)
        .include("operationId:identity.Get*")
        .slice()
        .expect("slice");
    assert_eq!(
        operations(&gets),
        strings(&[
            "GET /identity/userProfiles/{userProfile-id}",
            "GET /identity/auditProfiles/{auditProfile-id}",
            "GET /identity/teamworkProfiles/{teamworkProfile-id}",
            "GET /identity/storageProfiles/{storageProfile-id}",
        ])
    );
}

#[test]
fn type_names_are_those_of_the_whole_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = synthetic_spec(dir.path(), 100);
    let whole = Config::new(&spec).render().expect("whole document");
    let whole_models = model_items(&whole["models.rs"]);

    // Entity 4 (`microsoft.graph.connectorProfile`) shares its last segment with entity 9
    // (`microsoft.graph.security.connectorProfile`): the whole document names both in full.
    // A slice holding only entity 4 keeps that name, in memory and through a written slice.
    let pattern = "/admin/connectorProfiles/**";
    let in_memory = Config::new(&spec).include(pattern).render().expect("slice");
    let written = dir.path().join("slice.yaml");
    Config::new(&spec)
        .include(pattern)
        .write_slice(&written)
        .expect("write slice");
    let from_file = Config::new(&written).render().expect("written slice");
    for files in [&in_memory, &from_file] {
        let models = model_items(&files["models.rs"]);
        assert!(
            models.contains_key("MicrosoftGraphConnectorProfile"),
            "{:?}",
            models.keys()
        );
        assert!(
            !models.contains_key("ConnectorProfile"),
            "{:?}",
            models.keys()
        );
        for (name, item) in &models {
            assert_eq!(
                whole_models.get(name),
                Some(item),
                "`{name}` is generated as the whole document generates it"
            );
        }
    }
    for (file, text) in &in_memory {
        assert_eq!(
            body(text),
            body(&from_file[file]),
            "{file}: a written slice generates what the in-memory slice does"
        );
    }
    // The written slice records the names that decide, and only those.
    let text = std::fs::read_to_string(&written).expect("slice.yaml");
    let recorded: serde_yaml::Value = serde_yaml::from_str(&text).expect("yaml");
    let names: Vec<&str> = recorded["x-generator-slice"]["names"]
        .as_sequence()
        .expect("names")
        .iter()
        .filter_map(|n| n.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "microsoft.graph.connectorProfile",
            "microsoft.graph.connectorProfileStatus",
            "microsoft.graph.connectorProfileCollectionResponse",
            "microsoft.graph.security.connectorProfile",
            "microsoft.graph.security.connectorProfileStatus",
            "microsoft.graph.security.connectorProfileCollectionResponse",
        ]
    );

    // Several slices: every type is generated as in the whole document.
    for pattern in [
        "/deviceManagement/deviceProfiles/**",
        "tag:security.*",
        "DELETE:/**",
        "operationId:identity.Get*",
    ] {
        let files = Config::new(&spec).include(pattern).render().expect("slice");
        for (name, item) in model_items(&files["models.rs"]) {
            assert_eq!(
                whole_models.get(&name),
                Some(&item),
                "{pattern}: `{name}` is generated as the whole document generates it"
            );
        }
    }
}

#[test]
fn graph_beta_slice_types_are_those_of_the_whole_document() {
    let Some(specs) = support::shared_specs() else {
        return;
    };
    let spec = specs.join("graph-beta-connectors.yaml");
    let whole = model_items(&Config::new(&spec).render().expect("whole")["models.rs"]);
    for pattern in [
        "/deviceManagement/ndesConnectors/**",
        "tag:connectors.connectorGroup",
        "GET:/connectors/**",
    ] {
        let files = Config::new(&spec).include(pattern).render().expect("slice");
        for (name, item) in model_items(&files["models.rs"]) {
            assert_eq!(
                whole.get(&name),
                Some(&item),
                "{pattern}: `{name}` is generated as the whole document generates it"
            );
        }
    }
}

#[test]
fn connector_slice_of_graph_beta_generates_what_spec_connectors_yaml_describes() {
    let Some(specs) = support::shared_specs() else {
        return;
    };
    let graph = specs.join("graph-beta-connectors.yaml");
    let ours = support::workspace_root().join("spec/connectors.yaml");
    let dir = tempfile::tempdir().expect("tempdir");
    let slice_path = dir.path().join("connectors-slice.yaml");
    Config::new(&graph)
        .include("/deviceManagement/ndesConnectors/**")
        .include("/deviceManagement/domainJoinConnectors/**")
        .include("/connectors/**")
        .exclude("/**/$count")
        .exclude("/connectors/*/memberOf/**")
        .write_slice(&slice_path)
        .expect("slice");
    let sliced = Config::new(&slice_path)
        .render()
        .expect("generate the slice");
    let reference = Config::new(&ours)
        .render()
        .expect("generate spec/connectors.yaml");

    // The entity types: the same fields with the same Rust types. Graph's connector also has
    // the `memberOf` navigation property, which spec/connectors.yaml leaves out.
    for (name, only_in_graph) in [
        ("NdesConnector", &[][..]),
        ("DeviceManagementDomainJoinConnector", &[][..]),
        ("Connector", &["member_of"][..]),
    ] {
        let mut graph_fields = struct_fields(&sliced["models.rs"], name);
        let our_fields = struct_fields(&reference["models.rs"], name);
        for field in only_in_graph {
            assert!(graph_fields.remove(*field).is_some(), "{name}.{field}");
        }
        assert_eq!(graph_fields, our_fields, "fields of `{name}`");
    }
    for name in [
        "NdesConnectorState",
        "DeviceManagementDomainJoinConnectorState",
        "ConnectorStatus",
    ] {
        assert_eq!(
            enum_variants(&sliced["models.rs"], name),
            enum_variants(&reference["models.rs"], name),
            "variants of `{name}`"
        );
    }

    // The client: the same fifteen operations (method and path), with the same parameters,
    // request bodies and success types. Method names differ only because the documents
    // choose different operationIds (`deviceManagement.ListNdesConnectors`,
    // `listNdesConnectors`); Graph answers PATCH with the entity where spec/connectors.yaml
    // says 204.
    let describe = |path: &Path| -> BTreeMap<String, String> {
        let document = clientsmith::internals::load::load(path).expect("load");
        let api = clientsmith::internals::model::build(&document).expect("model");
        let type_name = |ty: &clientsmith::internals::model::TypeRef| match ty {
            clientsmith::internals::model::TypeRef::Named(id) => api.type_def(*id).name.clone(),
            other => format!("{other:?}"),
        };
        api.operations
            .iter()
            .map(|op| {
                let params: Vec<String> = op
                    .params
                    .iter()
                    .map(|p| format!("{:?} {}", p.location, p.wire))
                    .collect();
                let body = op.body.as_ref().map(|b| type_name(&b.ty));
                let success = match &op.success {
                    clientsmith::internals::model::Success::Json(ty) => type_name(ty),
                    other => format!("{other:?}"),
                };
                let success = if op.method.as_str() == "PATCH" {
                    String::from("(either)")
                } else {
                    success
                };
                (
                    format!("{} {}", op.method.as_str(), op.path),
                    format!("params {params:?} body {body:?} success {success}"),
                )
            })
            .collect()
    };
    let graph_ops = describe(&slice_path);
    let our_ops = describe(&ours);
    assert_eq!(graph_ops.len(), 15);
    assert_eq!(graph_ops, our_ops);
    assert_eq!(
        sliced["client.rs"]
            .matches(") -> crate::runtime::Call<")
            .count(),
        reference["client.rs"]
            .matches(") -> crate::runtime::Call<")
            .count(),
        "one client method per operation in both"
    );
}

#[test]
fn a_pattern_that_matches_nothing_names_the_closest_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = synthetic_spec(dir.path(), 100);

    let error = Config::new(&spec)
        .include("/deviceManagement/deviceProfile/**")
        .render()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Invalid);
    assert_eq!(error.count(), 1);
    assert!(
        error
            .message()
            .contains("include pattern `/deviceManagement/deviceProfile/**` matches no operation"),
        "{error}"
    );
    assert_eq!(error.pointer(), Some("#/paths"));
    assert_eq!(error.file(), Some(spec.as_path()));
    let help = error.help().expect("help");
    assert!(
        help.starts_with("the closest paths are `/deviceManagement/deviceProfiles`, `/deviceManagement/deviceProfiles/{deviceProfile-id}`"),
        "{help}"
    );

    // Wrong method, tag and operationId typos, an exclude that excludes nothing: each is
    // reported, with what comes closest.
    let error = Config::new(&spec)
        .include("PUT:/deviceManagement/deviceProfiles/**")
        .include("tag:deviceManagement.deviceProfiel")
        .include("operationId:deviceManagement.ListDeviceProfile")
        .exclude("/nowhere")
        .render()
        .unwrap_err();
    let diagnostics: Vec<String> = error
        .diagnostics()
        .map(|d| format!("{} | {}", d.message(), d.help().unwrap_or_default()))
        .collect();
    assert_eq!(diagnostics.len(), 4, "{error}");
    assert!(
        diagnostics[0].contains(
            "its paths have no PUT operation; they have `GET /deviceManagement/deviceProfiles`"
        ),
        "{}",
        diagnostics[0]
    );
    assert!(
        diagnostics[1].contains("the closest tags are `deviceManagement.deviceProfile`"),
        "{}",
        diagnostics[1]
    );
    assert!(
        diagnostics[2]
            .contains("the closest operation ids are `deviceManagement.ListDeviceProfiles`"),
        "{}",
        diagnostics[2]
    );
    assert!(
        diagnostics[3].starts_with("exclude pattern `/nowhere` matches no operation"),
        "{}",
        diagnostics[3]
    );

    // A malformed pattern says what the syntax is.
    let error = Config::new(&spec)
        .include("deviceManagement/deviceProfiles")
        .render()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Invalid);
    assert!(
        error.help().is_some_and(|h| h.contains("tag:NAME")),
        "{error}"
    );

    // The command line reports the same and fails.
    let out = dir.path().join("crate");
    let output = Command::new(env!("CARGO_BIN_EXE_clientsmith"))
        .arg("generate")
        .arg(&spec)
        .args(["--include", "/deviceManagement/deviceProfile/**", "--out"])
        .arg(&out)
        .output()
        .expect("run generator");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error[invalid]: include pattern"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the closest paths are `/deviceManagement/deviceProfiles`"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn slicing_a_slice_with_the_same_patterns_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let synthetic = synthetic_spec(dir.path(), 100);
    let mut cases: Vec<(PathBuf, Vec<&str>, Vec<&str>)> = vec![
        (
            synthetic.clone(),
            vec!["/admin/connectorProfiles/**"],
            vec!["DELETE:/**"],
        ),
        (synthetic.clone(), vec!["tag:security.*"], vec![]),
    ];
    if let Some(specs) = support::shared_specs() {
        cases.push((
            specs.join("graph-beta-connectors.yaml"),
            vec!["/deviceManagement/**", "/connectors/**"],
            vec!["/**/$count", "/connectors/*/memberOf/**"],
        ));
    }
    for (index, (spec, include, exclude)) in cases.into_iter().enumerate() {
        let configure = |path: &Path| {
            let mut config = Config::new(path);
            for pattern in &include {
                config = config.include(*pattern);
            }
            for pattern in &exclude {
                config = config.exclude(*pattern);
            }
            config
        };
        for extension in ["yaml", "json"] {
            let first = dir.path().join(format!("slice-{index}.{extension}"));
            let second = dir.path().join(format!("slice-{index}-again.{extension}"));
            assert!(configure(&spec).write_slice(&first).expect("slice"));
            assert!(
                !configure(&spec).write_slice(&first).expect("slice again"),
                "an unchanged slice is not rewritten"
            );
            configure(&first)
                .write_slice(&second)
                .expect("slice the slice");
            let a = std::fs::read_to_string(&first).expect("first");
            let b = std::fs::read_to_string(&second).expect("second");
            assert_eq!(
                a,
                b,
                "{}: slicing the slice changes nothing",
                first.display()
            );
            if extension == "json" {
                serde_json::from_str::<serde_json::Value>(&a).expect("JSON output is JSON");
                assert!(a.starts_with('{'));
            } else {
                assert!(a.starts_with("openapi: "), "{}", &a[..40.min(a.len())]);
            }
            // The written slice is a document the generator reads, and it generates what
            // the in-memory slice does.
            let from_file = Config::new(&first).render().expect("generate the slice");
            let in_memory = configure(&spec).render().expect("generate in memory");
            for (file, text) in &in_memory {
                assert_eq!(body(text), body(&from_file[file]), "{file}");
            }
        }
    }
}

#[test]
fn slice_command_writes_yaml_and_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = synthetic_spec(dir.path(), 40);
    for (name, extra) in [
        ("slice.yaml", None),
        ("slice.json", Some("--no-mapped-subtypes")),
    ] {
        let out = dir.path().join(name);
        let mut command = Command::new(env!("CARGO_BIN_EXE_clientsmith"));
        command
            .arg("slice")
            .arg(&spec)
            .args(["--include", "/deviceManagement/deviceProfiles/**"])
            .args(["--exclude", "DELETE:/**"])
            .arg("--out")
            .arg(&out);
        if let Some(flag) = extra {
            command.arg(flag);
        }
        let output = command.output().expect("run generator");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("wrote"));
        let document = clientsmith::internals::load::load(&out).expect("the slice loads");
        assert_eq!(operations(&document.api).len(), 4);
        let schemas = &components(&document.api)["schemas"];
        assert_eq!(
            schemas.contains(&String::from("microsoft.graph.user")),
            extra.is_none(),
            "{name}: {schemas:?}"
        );
        let record = &document.api.extensions["x-generator-slice"];
        assert_eq!(
            record["include"],
            serde_json::json!(["/deviceManagement/deviceProfiles/**"])
        );
        assert_eq!(record["exclude"], serde_json::json!(["DELETE:/**"]));
        assert_eq!(
            record.get("mapped-subtypes").cloned(),
            extra.map(|_| serde_json::Value::Bool(false))
        );
    }
}

/// Every identifier in `tokens`.
fn identifiers(tokens: proc_macro2::TokenStream, out: &mut BTreeSet<String>) {
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Ident(ident) => {
                out.insert(ident.to_string());
            }
            proc_macro2::TokenTree::Group(group) => identifiers(group.stream(), out),
            _ => {}
        }
    }
}

/// The types of `models.rs` that nothing in `client.rs` (or `roots`) reaches, directly or
/// through the fields, variants and aliases of the types it reaches.
fn unreachable_types(models: &str, client: &str, extra: &[String]) -> BTreeSet<String> {
    let definitions: BTreeMap<String, BTreeSet<String>> = syn::parse_file(models)
        .expect("models.rs parses")
        .items
        .into_iter()
        .filter_map(|item| {
            let name = match &item {
                syn::Item::Struct(s) => s.ident.to_string(),
                syn::Item::Enum(e) => e.ident.to_string(),
                syn::Item::Type(t) => t.ident.to_string(),
                _ => return None,
            };
            let mut used = BTreeSet::new();
            identifiers(item.to_token_stream(), &mut used);
            used.remove(&name);
            Some((name, used))
        })
        .collect();
    let mut roots = BTreeSet::new();
    identifiers(
        syn::parse_file(client)
            .expect("client.rs parses")
            .to_token_stream(),
        &mut roots,
    );
    roots.extend(extra.iter().cloned());
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> = roots
        .into_iter()
        .filter(|name| definitions.contains_key(name))
        .collect();
    while let Some(name) = queue.pop() {
        if reached.insert(name.clone()) {
            queue.extend(
                definitions[&name]
                    .iter()
                    .filter(|used| definitions.contains_key(*used))
                    .cloned(),
            );
        }
    }
    definitions
        .into_keys()
        .filter(|name| !reached.contains(name))
        .collect()
}

#[test]
fn one_collection_of_ten_thousand_operations_generates_a_crate_that_compiles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = synthetic_spec(dir.path(), 10_000);
    let crate_dir = dir.path().join("device-profiles");
    let pattern = "/deviceManagement/deviceProfiles/**";
    Config::new(&spec)
        .include(pattern)
        .out_dir(&crate_dir)
        .runtime_path(support::runtime_dir())
        .generate_crate("device-profiles")
        .expect("generate the slice");

    // The same slice of a small document generates the same crate: the size of the source
    // does not leak into the slice.
    let small = synthetic_spec(dir.path(), 100);
    let small_files = Config::new(&small)
        .include(pattern)
        .render()
        .expect("small slice");
    for (file, text) in &small_files {
        let generated =
            std::fs::read_to_string(crate_dir.join("src").join(file)).expect("generated file");
        assert_eq!(body(text), body(&generated), "{file}");
    }
    let small_slice = Config::new(&small).include(pattern).slice().expect("slice");

    // Exactly the types the five operations reach: the collection's entity with its group
    // (navigation properties), the polymorphic `createdBy` and its subtypes, the shared
    // types, the PATCH body and the inline `$expand` enums. Nothing of the other 1,999
    // entities.
    let models = std::fs::read_to_string(crate_dir.join("src/models.rs")).expect("models.rs");
    let client = std::fs::read_to_string(crate_dir.join("src/client.rs")).expect("client.rs");
    let names: BTreeSet<String> = model_items(&models).into_keys().collect();
    let expected: BTreeSet<String> = [
        "AnyDirectoryObject",
        "BaseCollectionPaginationCountResponse",
        // One `$expand` enum for the collection's operations, named by its list.
        "DeviceManagementListDeviceProfilesExpandItem",
        "DeviceProfile",
        "DeviceProfileCollectionResponse",
        "DeviceProfileStatus",
        "DeviceProfileUpdate",
        "DirectoryObject",
        "Entity",
        "ErrorDetails",
        "Group",
        "GroupProfile",
        "GroupProfileStatus",
        "InnerError",
        "KeyValuePair",
        "MainError",
        "ODataError",
        "PolicyProfile",
        "PolicyProfileStatus",
        "ServicePrincipal",
        "User",
        "UserProfile",
        "UserProfileStatus",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(names, expected);
    // Every type is reached from the client or from the declared error bodies (which users
    // decode with `ApiError::body_json`), except the bases the model keeps as structs of
    // their own after merging their properties into their subtypes (`allOf`), as it does for
    // the whole document.
    let model =
        clientsmith::internals::model::build_named(&small_slice, None).expect("model of the slice");
    let error_bodies: Vec<String> = model
        .operations
        .iter()
        .flat_map(|op| &op.errors)
        .filter_map(|error| match &error.ty {
            Some(clientsmith::internals::model::TypeRef::Named(id)) => {
                Some(model.type_def(*id).name.clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(error_bodies.first().map(String::as_str), Some("ODataError"));
    assert_eq!(
        unreachable_types(&models, &client, &error_bodies),
        BTreeSet::from([
            String::from("BaseCollectionPaginationCountResponse"),
            String::from("DirectoryObject"),
            String::from("Entity"),
        ])
    );
    assert_eq!(client.matches(") -> crate::runtime::Call<").count(), 5);

    support::isolate_crate(&crate_dir);
    if let Err(output) = support::cargo(&crate_dir, &["check", "--all-targets"]) {
        panic!("the generated crate does not compile:\n{output}");
    }
}
