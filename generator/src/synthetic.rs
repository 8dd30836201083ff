//! A deterministic, Microsoft Graph-like OpenAPI 3.0 document of any size, for tests and
//! benchmarks of large inputs.
//!
//! [`document`] writes YAML shaped like Graph's published description: entity types that
//! inherit from a base `microsoft.graph.entity` through `allOf` (the base carries an
//! `@odata.type` discriminator mapping every entity), string enums with `x-ms-enum`, collection
//! responses with `value` and `@odata.nextLink`, the OData query parameters (`$top`, `$skip`,
//! `$search`, `$filter`, `$count` as shared components; `$orderby`, `$select`, `$expand` inline),
//! `2XX` successes and `4XX`/`5XX` OData errors. Each entity has a collection and an item path
//! with five operations: list, create, get, update (PATCH) and delete.
//!
//! Some shapes are there on purpose, because they are what makes slicing a real document hard:
//!
//! - every tenth entity lives in the `microsoft.graph.security` namespace and shares its last
//!   name segment with the entity five before it (as `microsoft.graph.alert` and
//!   `microsoft.graph.security.alert` do), so type names depend on which schemas are present;
//! - entities come in groups of four whose navigation properties (`relatedItems`, `owner`)
//!   point at each other, a cycle the generator must box;
//! - every eighth entity has a `createdBy` property typed by a polymorphic base
//!   (`microsoft.graph.directoryObject`, whose discriminator maps `user`, `group` and
//!   `servicePrincipal`), so the types a discriminator produces are reachable only through its
//!   mapping.
//!
//! The same `operations` always gives the same bytes.

use std::fmt::Write;

/// First words of entity names.
const FIRST: &[&str] = &[
    "device",
    "user",
    "group",
    "policy",
    "connector",
    "compliance",
    "audit",
    "access",
    "mobile",
    "cloud",
    "print",
    "teamwork",
    "booking",
    "learning",
    "identity",
    "network",
    "storage",
    "partner",
    "tenant",
    "workflow",
];

/// Second words of entity names.
const SECOND: &[&str] = &[
    "Profile",
    "Connector",
    "Setting",
    "Configuration",
    "Script",
    "Certificate",
    "Endpoint",
    "Agent",
    "Package",
    "Schedule",
    "Channel",
    "Message",
    "Review",
    "Catalog",
    "Session",
    "Provider",
    "Rule",
    "Task",
    "Domain",
    "Registration",
];

/// Third words of entity names (the first is none).
const THIRD: &[&str] = &[
    "",
    "Template",
    "Assignment",
    "Summary",
    "Report",
    "Snapshot",
];

/// The singletons collections hang under, as Graph's `/deviceManagement/...`.
const ROOTS: &[&str] = &[
    "deviceManagement",
    "identity",
    "education",
    "solutions",
    "admin",
];

/// Subtypes of the polymorphic `directoryObject` base.
const DIRECTORY_OBJECTS: &[&str] = &["user", "group", "servicePrincipal"];

/// The operations of one entity, in the order they are written.
const VERBS: usize = 5;

/// One entity type of the synthetic document.
struct Entity {
    /// The last segment of its schema name (`deviceProfile`).
    name: String,
    /// The full schema name (`microsoft.graph.deviceProfile`).
    key: String,
    /// The singleton its collection hangs under.
    root: &'static str,
    /// Index of the entity its navigation properties point at.
    sibling: usize,
    /// Whether it has a `createdBy` property of the polymorphic `directoryObject` type.
    created_by: bool,
}

fn base_name(index: usize) -> String {
    let combinations = FIRST.len() * SECOND.len() * THIRD.len();
    let within = index % combinations;
    let mut name = format!(
        "{}{}{}",
        FIRST[within % FIRST.len()],
        SECOND[(within / FIRST.len()) % SECOND.len()],
        THIRD[within / (FIRST.len() * SECOND.len())]
    );
    let round = index / combinations;
    if round > 0 {
        let _ = write!(name, "V{}", round + 1);
    }
    name
}

fn entities(count: usize) -> Vec<Entity> {
    (0..count)
        .map(|index| {
            let security = index % 10 == 9;
            let name = if security {
                base_name(index - 5)
            } else {
                base_name(index)
            };
            let key = if security {
                format!("microsoft.graph.security.{name}")
            } else {
                format!("microsoft.graph.{name}")
            };
            let group = index / 4 * 4;
            let next = group + (index - group + 1) % 4;
            let sibling = if next < count { next } else { group };
            Entity {
                name,
                key,
                root: if security {
                    "security"
                } else {
                    ROOTS[index % ROOTS.len()]
                },
                sibling,
                created_by: index % 8 == 0,
            }
        })
        .collect()
}

fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A Graph-like OpenAPI 3.0 document (YAML) with exactly `operations` operations: five per
/// entity (list, create, get, update, delete), the last entity taking what remains.
pub fn document(operations: usize) -> String {
    let entities = entities(operations.div_ceil(VERBS));
    // Roughly what one entity takes, to allocate once.
    let mut out = String::with_capacity(512 + entities.len() * 9_000);
    header(&mut out);
    out.push_str("paths:\n");
    if operations == 0 {
        out.truncate(out.len() - 1);
        out.push_str(" {}\n");
    }
    let mut remaining = operations;
    for entity in &entities {
        let count = remaining.min(VERBS);
        remaining -= count;
        paths(&mut out, entity, count);
    }
    out.push_str("components:\n  schemas:\n");
    shared_schemas(&mut out, &entities);
    for (index, entity) in entities.iter().enumerate() {
        entity_schemas(&mut out, entity, &entities[entity.sibling], index);
    }
    out.push_str("  responses:\n");
    out.push_str(ERROR_RESPONSE);
    for entity in &entities {
        let _ = write!(
            out,
            "    {key}CollectionResponse:\n      description: Retrieved collection\n      content:\n        application/json:\n          schema:\n            $ref: '#/components/schemas/{key}CollectionResponse'\n",
            key = entity.key
        );
    }
    out.push_str(PARAMETERS);
    out.push_str(SECURITY_SCHEMES);
    out.push_str("security:\n  - azureaadv2: []\n");
    if !entities.is_empty() {
        out.push_str("tags:\n");
        for entity in &entities {
            let _ = write!(
                out,
                "  - name: {}.{}\n    x-ms-docs-toc-type: page\n",
                entity.root, entity.name
            );
        }
    }
    out
}

fn header(out: &mut String) {
    out.push_str(
        "openapi: 3.0.4\n\
         info:\n  \
           title: OData Service for namespace microsoft.graph (synthetic)\n  \
           description: A synthetic document shaped like Microsoft Graph's, generated for tests and benchmarks.\n  \
           version: 1.0.1\n\
         servers:\n  \
           - url: https://graph.example.com/beta/\n",
    );
}

fn paths(out: &mut String, entity: &Entity, count: usize) {
    if count == 0 {
        return;
    }
    let Entity {
        name, key, root, ..
    } = entity;
    let upper = upper_first(name);
    let tag = format!("{root}.{name}");
    let collection = format!("/{root}/{name}s");
    let _ = write!(
        out,
        "  {collection}:\n    description: Provides operations to manage the {name}s property of the microsoft.graph.{root} entity.\n"
    );
    let _ = write!(
        out,
        "    get:\n      tags:\n        - {tag}\n      summary: List {name}s\n      description: List properties and relationships of the {name} objects.\n      externalDocs:\n        description: Find more info here\n        url: https://learn.microsoft.com/graph/api/{root}-{lower}-list?view=graph-rest-beta\n      operationId: {root}.List{upper}s\n      parameters:\n        - $ref: '#/components/parameters/top'\n        - $ref: '#/components/parameters/skip'\n        - $ref: '#/components/parameters/search'\n        - $ref: '#/components/parameters/filter'\n        - $ref: '#/components/parameters/count'\n",
        lower = name.to_lowercase()
    );
    query_array(out, "$orderby", "Order items by property values", &[]);
    query_array(out, "$select", "Select properties to be returned", &[]);
    query_array(
        out,
        "$expand",
        "Expand related entities",
        &["*", "relatedItems", "owner"],
    );
    let _ = write!(
        out,
        "      responses:\n        2XX:\n          $ref: '#/components/responses/{key}CollectionResponse'\n{ERRORS}      x-ms-pageable:\n        nextLinkName: '@odata.nextLink'\n        operationName: listMore\n      x-ms-docs-operation-type: operation\n"
    );
    if count < 2 {
        return;
    }
    let _ = write!(
        out,
        "    post:\n      tags:\n        - {tag}\n      summary: Create {name}\n      description: Create a new {name} object.\n      operationId: {root}.Create{upper}s\n      requestBody:\n        description: New navigation property\n        content:\n          application/json:\n            schema:\n              $ref: '#/components/schemas/{key}'\n        required: true\n      responses:\n        2XX:\n          description: Created navigation property.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/{key}'\n{ERRORS}      x-ms-docs-operation-type: operation\n"
    );
    if count < 3 {
        return;
    }
    let _ = write!(
        out,
        "  '{collection}/{{{name}-id}}':\n    description: Provides operations to manage the {name}s property of the microsoft.graph.{root} entity.\n    get:\n      tags:\n        - {tag}\n      summary: Get {name}\n      description: Read properties and relationships of the {name} object.\n      operationId: {root}.Get{upper}s\n      parameters:\n"
    );
    query_array(out, "$select", "Select properties to be returned", &[]);
    query_array(
        out,
        "$expand",
        "Expand related entities",
        &["*", "relatedItems", "owner"],
    );
    let _ = write!(
        out,
        "      responses:\n        2XX:\n          description: Retrieved navigation property\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/{key}'\n{ERRORS}      x-ms-docs-operation-type: operation\n"
    );
    if count >= 4 {
        let _ = write!(
            out,
            "    patch:\n      tags:\n        - {tag}\n      summary: Update {name}\n      description: Update the properties of a {name} object.\n      operationId: {root}.Update{upper}s\n      requestBody:\n        description: New navigation property values\n        content:\n          application/json:\n            schema:\n              $ref: '#/components/schemas/{key}'\n        required: true\n      responses:\n        2XX:\n          description: Success\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/{key}'\n{ERRORS}      x-ms-docs-operation-type: operation\n"
        );
    }
    if count >= 5 {
        let _ = write!(
            out,
            "    delete:\n      tags:\n        - {tag}\n      summary: Delete {name}\n      description: Deletes a {name}.\n      operationId: {root}.Delete{upper}s\n      parameters:\n        - name: If-Match\n          in: header\n          description: ETag\n          schema:\n            type: string\n      responses:\n        2XX:\n          description: Success\n{ERRORS}      x-ms-docs-operation-type: operation\n"
        );
    }
    let _ = write!(
        out,
        "    parameters:\n      - name: {name}-id\n        in: path\n        description: The unique identifier of {name}\n        required: true\n        schema:\n          type: string\n        x-ms-docs-key-type: {name}\n"
    );
}

/// The `4XX`/`5XX` responses of every operation.
const ERRORS: &str = "        4XX:\n          $ref: '#/components/responses/error'\n        5XX:\n          $ref: '#/components/responses/error'\n";

/// An inline OData array query parameter (`$select`, `$orderby`, `$expand`), as Graph writes
/// them in every operation.
fn query_array(out: &mut String, name: &str, description: &str, values: &[&str]) {
    let _ = write!(
        out,
        "        - name: {name}\n          in: query\n          description: {description}\n          style: form\n          explode: false\n          schema:\n            uniqueItems: true\n            type: array\n            items:\n"
    );
    if !values.is_empty() {
        out.push_str("              enum:\n");
        for value in values {
            let _ = writeln!(out, "                - '{value}'");
        }
    }
    out.push_str("              type: string\n");
}

fn shared_schemas(out: &mut String, entities: &[Entity]) {
    out.push_str(
        "    microsoft.graph.entity:\n      title: entity\n      required:\n        - '@odata.type'\n      type: object\n      properties:\n        id:\n          type: string\n          description: The unique identifier for an entity. Read-only.\n        '@odata.type':\n          type: string\n      discriminator:\n        propertyName: '@odata.type'\n        mapping:\n",
    );
    for entity in entities {
        let _ = writeln!(
            out,
            "          '#{key}': '#/components/schemas/{key}'",
            key = entity.key
        );
    }
    out.push_str("          '#microsoft.graph.directoryObject': '#/components/schemas/microsoft.graph.directoryObject'\n");
    for subtype in DIRECTORY_OBJECTS {
        let _ = writeln!(
            out,
            "          '#microsoft.graph.{subtype}': '#/components/schemas/microsoft.graph.{subtype}'"
        );
    }
    out.push_str(
        "    microsoft.graph.directoryObject:\n      allOf:\n        - $ref: '#/components/schemas/microsoft.graph.entity'\n        - title: directoryObject\n          required:\n            - '@odata.type'\n          type: object\n          properties:\n            deletedDateTime:\n              pattern: '^[0-9]{4,}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])([.][0-9]{1,12})?(Z|[+-][0-9][0-9]:[0-9][0-9])$'\n              type: string\n              description: Date and time when this object was deleted. Always null when the object hasn't been deleted.\n              format: date-time\n              nullable: true\n            '@odata.type':\n              type: string\n              default: '#microsoft.graph.directoryObject'\n",
    );
    out.push_str("      discriminator:\n        propertyName: '@odata.type'\n        mapping:\n");
    for subtype in DIRECTORY_OBJECTS {
        let _ = writeln!(
            out,
            "          '#microsoft.graph.{subtype}': '#/components/schemas/microsoft.graph.{subtype}'"
        );
    }
    out.push_str("      x-ms-discriminator-value: '#microsoft.graph.directoryObject'\n");
    for subtype in DIRECTORY_OBJECTS {
        let _ = write!(
            out,
            "    microsoft.graph.{subtype}:\n      allOf:\n        - $ref: '#/components/schemas/microsoft.graph.directoryObject'\n        - title: {subtype}\n          required:\n            - '@odata.type'\n          type: object\n          properties:\n            displayName:\n              type: string\n              description: The name displayed in directory\n              nullable: true\n            '@odata.type':\n              type: string\n              default: '#microsoft.graph.{subtype}'\n      x-ms-discriminator-value: '#microsoft.graph.{subtype}'\n"
        );
    }
    out.push_str(
        "    microsoft.graph.keyValuePair:\n      title: keyValuePair\n      required:\n        - '@odata.type'\n      type: object\n      properties:\n        name:\n          type: string\n          description: Name for this key-value pair\n        value:\n          type: string\n          description: Value for this key-value pair\n          nullable: true\n        '@odata.type':\n          type: string\n",
    );
    out.push_str(ODATA_ERRORS);
    out.push_str(
        "    BaseCollectionPaginationCountResponse:\n      title: Base collection pagination and count responses\n      type: object\n      properties:\n        '@odata.count':\n          type: integer\n          format: int64\n          nullable: true\n        '@odata.nextLink':\n          type: string\n          nullable: true\n",
    );
}

fn entity_schemas(out: &mut String, entity: &Entity, sibling: &Entity, index: usize) {
    let Entity { name, key, .. } = entity;
    let _ = write!(
        out,
        "    {key}:\n      allOf:\n        - $ref: '#/components/schemas/microsoft.graph.entity'\n        - title: {name}\n          required:\n            - '@odata.type'\n          type: object\n          properties:\n            displayName:\n              type: string\n              description: The display name of the {name}.\n              nullable: true\n            description:\n              type: string\n              description: The description of the {name}.\n              nullable: true\n            createdDateTime:\n              pattern: '^[0-9]{{4,}}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])([.][0-9]{{1,12}})?(Z|[+-][0-9][0-9]:[0-9][0-9])$'\n              type: string\n              description: When the {name} was created.\n              format: date-time\n            version:\n              maximum: 2147483647\n              minimum: -2147483648\n              type: number\n              format: int32\n              description: Version of the {name}.\n            isEnabled:\n              type: boolean\n              description: Whether the {name} is enabled.\n            status:\n              $ref: '#/components/schemas/{key}Status'\n            roleScopeTagIds:\n              type: array\n              items:\n                type: string\n                nullable: true\n              description: List of Scope Tags for this Entity instance.\n            settings:\n              type: array\n              items:\n                $ref: '#/components/schemas/microsoft.graph.keyValuePair'\n              description: Additional settings of the {name}.\n            relatedItems:\n              type: array\n              items:\n                $ref: '#/components/schemas/{sibling}'\n              description: Related items. Read-only.\n              x-ms-navigationProperty: true\n            owner:\n              anyOf:\n                - $ref: '#/components/schemas/{sibling}'\n                - type: object\n                  nullable: true\n              description: The owning item.\n              x-ms-navigationProperty: true\n",
        sibling = sibling.key
    );
    if entity.created_by {
        out.push_str(
            "            createdBy:\n              $ref: '#/components/schemas/microsoft.graph.directoryObject'\n",
        );
    }
    let _ = write!(
        out,
        "            '@odata.type':\n              type: string\n              default: '#{key}'\n          description: Entity number {index} of the synthetic document.\n      x-ms-discriminator-value: '#{key}'\n"
    );
    let _ = write!(
        out,
        "    {key}Status:\n      title: {name}Status\n      enum:\n        - active\n        - inactive\n        - pending\n        - unknownFutureValue\n      type: string\n      description: The state of a {name}.\n      x-ms-enum:\n        name: {name}Status\n        modelAsString: false\n        values:\n          - value: active\n            description: The {name} is in use.\n            name: active\n          - value: inactive\n            description: The {name} is not in use.\n            name: inactive\n          - value: pending\n            description: The {name} is being set up.\n            name: pending\n          - value: unknownFutureValue\n            description: Evolvable enumeration sentinel value. Do not use.\n            name: unknownFutureValue\n"
    );
    let _ = write!(
        out,
        "    {key}CollectionResponse:\n      title: Collection of {name}\n      type: object\n      allOf:\n        - $ref: '#/components/schemas/BaseCollectionPaginationCountResponse'\n        - type: object\n          properties:\n            value:\n              type: array\n              items:\n                $ref: '#/components/schemas/{key}'\n"
    );
}

const ODATA_ERRORS: &str = "    microsoft.graph.ODataErrors.ODataError:
      required:
        - error
      type: object
      properties:
        error:
          $ref: '#/components/schemas/microsoft.graph.ODataErrors.MainError'
    microsoft.graph.ODataErrors.MainError:
      required:
        - code
        - message
      type: object
      properties:
        code:
          type: string
        message:
          type: string
          x-ms-primary-error-message: true
        target:
          type: string
          nullable: true
        details:
          type: array
          items:
            $ref: '#/components/schemas/microsoft.graph.ODataErrors.ErrorDetails'
        innerError:
          $ref: '#/components/schemas/microsoft.graph.ODataErrors.InnerError'
    microsoft.graph.ODataErrors.ErrorDetails:
      required:
        - code
        - message
      type: object
      properties:
        code:
          type: string
        message:
          type: string
        target:
          type: string
          nullable: true
    microsoft.graph.ODataErrors.InnerError:
      type: object
      properties:
        request-id:
          type: string
          description: Request Id as tracked internally by the service
          nullable: true
        client-request-id:
          type: string
          description: Client request Id as sent by the client application.
          nullable: true
        date:
          type: string
          description: Date when the error occured.
          nullable: true
";

const ERROR_RESPONSE: &str = "    error:
      description: error
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/microsoft.graph.ODataErrors.ODataError'
";

const PARAMETERS: &str = "  parameters:
    top:
      name: $top
      in: query
      description: Show only the first n items
      style: form
      explode: false
      schema:
        minimum: 0
        type: integer
      example: 50
    skip:
      name: $skip
      in: query
      description: Skip the first n items
      style: form
      explode: false
      schema:
        minimum: 0
        type: integer
    search:
      name: $search
      in: query
      description: Search items by search phrases
      style: form
      explode: false
      schema:
        type: string
    filter:
      name: $filter
      in: query
      description: Filter items by property values
      style: form
      explode: false
      schema:
        type: string
    count:
      name: $count
      in: query
      description: Include count of items
      style: form
      explode: false
      schema:
        type: boolean
";

const SECURITY_SCHEMES: &str = "  securitySchemes:
    azureaadv2:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://login.microsoftonline.com/common/oauth2/v2.0/authorize
          tokenUrl: https://login.microsoftonline.com/common/oauth2/v2.0/token
          scopes: {}
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_security_names_repeat_their_neighbour() {
        let entities = entities(400);
        let keys: std::collections::BTreeSet<&str> =
            entities.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys.len(), 400);
        assert_eq!(entities[4].name, entities[9].name);
        assert_eq!(
            entities[9].key,
            format!("microsoft.graph.security.{}", entities[4].name)
        );
        assert_eq!(entities[9].root, "security");
    }

    #[test]
    fn names_stay_unique_past_the_word_lists() {
        let count = FIRST.len() * SECOND.len() * THIRD.len() * 2 + 7;
        let entities = entities(count);
        let keys: std::collections::BTreeSet<&str> =
            entities.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys.len(), count);
    }

    #[test]
    fn siblings_stay_in_their_group() {
        let entities = entities(10);
        assert_eq!(entities[0].sibling, 1);
        assert_eq!(entities[3].sibling, 0);
        // The last group has two members: 8 and 9.
        assert_eq!(entities[8].sibling, 9);
        assert_eq!(entities[9].sibling, 8);
    }

    #[test]
    fn same_size_same_bytes() {
        assert_eq!(document(23), document(23));
        assert_ne!(document(23), document(24));
    }
}
