//! Selection: the kept operations and the components they reach at any depth, copied into a
//! new document in document order.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{
    Components, Example, Header, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema,
};

use super::Selection;
use super::operations::{decide, recorded_patterns};
use super::pattern::parse_all;
use super::walk::{Kind, Pass, Walker, mapped_subtypes, operation_slots, operations_mut};
use crate::error::Error;

/// The components kept, by section.
#[derive(Default)]
struct Kept {
    schemas: HashSet<String>,
    responses: HashSet<String>,
    parameters: HashSet<String>,
    examples: HashSet<String>,
    request_bodies: HashSet<String>,
    headers: HashSet<String>,
    links: HashSet<String>,
    /// Schemas used as the declared type of a value somewhere.
    values: HashSet<String>,
}

impl Kept {
    fn set(&mut self, kind: Kind) -> &mut HashSet<String> {
        match kind {
            Kind::Schemas => &mut self.schemas,
            Kind::Responses => &mut self.responses,
            Kind::Parameters => &mut self.parameters,
            Kind::Examples => &mut self.examples,
            Kind::RequestBodies => &mut self.request_bodies,
            Kind::Headers => &mut self.headers,
            Kind::Links => &mut self.links,
        }
    }
}

/// Applies `selection` to `api`: the selected operations and the components they reach, in
/// document order. Fails when a pattern is malformed or matches no operation. Only what is
/// kept is copied; `api` is left as it is.
pub fn select(api: &OpenAPI, selection: &Selection) -> Result<OpenAPI, Error> {
    let includes = parse_all(&selection.include)?;
    let excludes = parse_all(&selection.exclude)?;
    let recorded = recorded_patterns(api);
    let keep = decide(api, &includes, &excludes, &recorded)?;

    // The selected operations; path items left without operations are dropped.
    let mut paths = IndexMap::new();
    let mut index = 0;
    for (path, item) in api.paths.iter() {
        match item {
            ReferenceOr::Reference { reference } => {
                if keep[index] {
                    paths.insert(
                        path.clone(),
                        ReferenceOr::Reference {
                            reference: reference.clone(),
                        },
                    );
                }
                index += 1;
            }
            ReferenceOr::Item(item) => {
                let count = item.iter().count();
                let chosen = &keep[index..index + count];
                index += count;
                if !chosen.contains(&true) {
                    continue;
                }
                let mut item = item.clone();
                let slots = operation_slots(&mut item)
                    .into_iter()
                    .filter(|slot| slot.is_some());
                for (slot, kept) in slots.zip(chosen) {
                    if !kept {
                        *slot = None;
                    }
                }
                paths.insert(path.clone(), ReferenceOr::Item(item));
            }
        }
    }

    // Everything the kept operations reach.
    let mut walker = Walker {
        pass: Pass::Collect,
        found: Vec::new(),
    };
    let mut security: HashSet<String> = HashSet::new();
    let mut tags: HashSet<String> = HashSet::new();
    for requirement in api.security.iter().flatten() {
        security.extend(requirement.keys().cloned());
    }
    for item in paths.values_mut() {
        if let ReferenceOr::Item(item) = item {
            walker.path_item(item);
            for operation in operations_mut(item).into_iter().flatten() {
                tags.extend(operation.tags.iter().cloned());
                for requirement in operation.security.iter().flatten() {
                    security.extend(requirement.keys().cloned());
                }
            }
        }
    }
    let empty = Components::default();
    let source = api.components.as_ref().unwrap_or(&empty);
    let mut kept = Kept::default();
    let mut reached = Reached::default();
    let mut queue = std::mem::take(&mut walker.found);
    while let Some((kind, name, value)) = queue.pop() {
        let first = kept.set(kind).insert(name.clone());
        if kind == Kind::Schemas && value && kept.values.insert(name.clone()) {
            if let (true, Some(schema)) = (selection.mapped_subtypes, source.schemas.get(&name)) {
                queue.extend(
                    mapped_subtypes(schema)
                        .into_iter()
                        .map(|target| (Kind::Schemas, target, false)),
                );
            }
        }
        if first {
            reached.copy(&mut walker, source, kind, name);
            queue.append(&mut walker.found);
        }
    }

    // What was reached, in document order.
    let mut components = Components {
        schemas: in_order(&source.schemas, reached.schemas),
        responses: in_order(&source.responses, reached.responses),
        parameters: in_order(&source.parameters, reached.parameters),
        examples: in_order(&source.examples, reached.examples),
        request_bodies: in_order(&source.request_bodies, reached.request_bodies),
        headers: in_order(&source.headers, reached.headers),
        security_schemes: source
            .security_schemes
            .iter()
            .filter(|(name, _)| security.contains(*name))
            .map(|(name, scheme)| (name.clone(), scheme.clone()))
            .collect(),
        links: in_order(&source.links, reached.links),
        // Operation callbacks are written inline in OpenAPI 3.0 as `openapiv3` reads them, so
        // nothing can reference a component callback.
        callbacks: IndexMap::new(),
        extensions: source.extensions.clone(),
    };
    // Mapping entries to schemas that were not kept go.
    let mut pruner = Walker {
        pass: Pass::Prune {
            schemas: &kept.schemas,
        },
        found: Vec::new(),
    };
    for item in paths.values_mut() {
        if let ReferenceOr::Item(item) = item {
            pruner.path_item(item);
        }
    }
    prune_components(&mut pruner, &mut components);

    Ok(OpenAPI {
        openapi: api.openapi.clone(),
        info: api.info.clone(),
        servers: api.servers.clone(),
        paths: openapiv3::Paths {
            paths,
            extensions: api.paths.extensions.clone(),
        },
        components: (api.components.is_some() || !is_empty(&components)).then_some(components),
        security: api.security.clone(),
        tags: api
            .tags
            .iter()
            .filter(|tag| tags.contains(&tag.name))
            .cloned()
            .collect(),
        external_docs: api.external_docs.clone(),
        extensions: api.extensions.clone(),
    })
}

/// Copies of the components reached, each walked for the references it holds.
#[derive(Default)]
struct Reached {
    schemas: HashMap<String, ReferenceOr<Schema>>,
    responses: HashMap<String, ReferenceOr<Response>>,
    parameters: HashMap<String, ReferenceOr<Parameter>>,
    examples: HashMap<String, ReferenceOr<Example>>,
    request_bodies: HashMap<String, ReferenceOr<RequestBody>>,
    headers: HashMap<String, ReferenceOr<Header>>,
    links: HashMap<String, ReferenceOr<openapiv3::Link>>,
}

impl Reached {
    /// Copies the component `name` of section `kind` (when the document has it) and collects
    /// its references in `walker`.
    fn copy(&mut self, walker: &mut Walker<'_>, source: &Components, kind: Kind, name: String) {
        match kind {
            // A component that is itself a `$ref` names another type: a value use.
            Kind::Schemas => copy_walked(&source.schemas, &mut self.schemas, name, |schema| {
                walker.schema(schema, true)
            }),
            Kind::Responses => copy_walked(&source.responses, &mut self.responses, name, |r| {
                walker.response(r)
            }),
            Kind::Parameters => copy_walked(&source.parameters, &mut self.parameters, name, |p| {
                walker.parameter(p)
            }),
            Kind::Examples => copy_walked(&source.examples, &mut self.examples, name, |example| {
                if let ReferenceOr::Reference { reference } = example {
                    walker.reference(reference, false);
                }
            }),
            Kind::RequestBodies => copy_walked(
                &source.request_bodies,
                &mut self.request_bodies,
                name,
                |b| walker.request_body(b),
            ),
            Kind::Headers => copy_walked(&source.headers, &mut self.headers, name, |h| {
                walker.header(h)
            }),
            Kind::Links => copy_walked(&source.links, &mut self.links, name, |link| {
                if let ReferenceOr::Reference { reference } = link {
                    walker.reference(reference, false);
                }
            }),
        }
    }
}

/// Copies the component `name` of `from`, when there is one, into `to`, after `walk` has
/// recorded the references it holds.
fn copy_walked<T: Clone>(
    from: &IndexMap<String, T>,
    to: &mut HashMap<String, T>,
    name: String,
    walk: impl FnOnce(&mut T),
) {
    if let Some(item) = from.get(&name) {
        let mut item = item.clone();
        walk(&mut item);
        to.insert(name, item);
    }
}

/// The entries of `reached`, in the order of `source`.
fn in_order<T>(
    source: &IndexMap<String, T>,
    mut reached: HashMap<String, T>,
) -> IndexMap<String, T> {
    let mut out = IndexMap::with_capacity(reached.len());
    for name in source.keys() {
        if reached.is_empty() {
            break;
        }
        if let Some(item) = reached.remove(name) {
            out.insert(name.clone(), item);
        }
    }
    out
}

fn is_empty(components: &Components) -> bool {
    components.schemas.is_empty()
        && components.responses.is_empty()
        && components.parameters.is_empty()
        && components.examples.is_empty()
        && components.request_bodies.is_empty()
        && components.headers.is_empty()
        && components.security_schemes.is_empty()
        && components.links.is_empty()
        && components.extensions.is_empty()
}

fn prune_components(pruner: &mut Walker<'_>, components: &mut Components) {
    for schema in components.schemas.values_mut() {
        pruner.schema(schema, true);
    }
    for response in components.responses.values_mut() {
        pruner.response(response);
    }
    for parameter in components.parameters.values_mut() {
        pruner.parameter(parameter);
    }
    for body in components.request_bodies.values_mut() {
        pruner.request_body(body);
    }
    for header in components.headers.values_mut() {
        pruner.header(header);
    }
}

#[cfg(test)]
mod tests {
    use openapiv3::{OpenAPI, ReferenceOr};

    use super::*;
    use crate::slice::naming;

    const PETS: &str = r##"
openapi: 3.0.3
info: {title: pets, version: '1'}
paths:
  /pets:
    get:
      tags: [pets]
      operationId: listPets
      parameters:
        - $ref: '#/components/parameters/limit'
      responses:
        '200':
          $ref: '#/components/responses/PetPage'
        default:
          description: error
          headers:
            X-Rate:
              $ref: '#/components/headers/Rate'
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
              examples:
                short: {$ref: '#/components/examples/ErrorExample'}
          links:
            next: {$ref: '#/components/links/Next'}
    post:
      tags: [pets]
      operationId: createPet
      security: [{apiKey: []}]
      requestBody: {$ref: '#/components/requestBodies/NewPet'}
      responses:
        '201': {description: created}
  /owners:
    get:
      tags: [owners]
      operationId: listOwners
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Owner'}
  /alias:
    get:
      operationId: getAlias
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/PetAlias'}
components:
  schemas:
    Pet:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
        labels:
          type: object
          additionalProperties: {$ref: '#/components/schemas/Tag'}
      discriminator:
        propertyName: kind
        mapping:
          cat: '#/components/schemas/Cat'
          dog: Dog
    Cat:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          properties:
            lives: {type: integer}
    Dog:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          properties:
            bark: {$ref: '#/components/schemas/Bark'}
    Bark: {type: string, enum: [loud, quiet]}
    Tag: {type: string}
    PetPage:
      type: object
      properties:
        items:
          type: array
          items: {$ref: '#/components/schemas/Pet'}
        other:
          not: {$ref: '#/components/schemas/Forbidden'}
    Forbidden: {type: object, properties: {x: {type: string}}}
    Owner:
      type: object
      properties:
        cat: {$ref: '#/components/schemas/Cat'}
    Error: {type: object, properties: {message: {type: string}}}
    PetAlias: {$ref: '#/components/schemas/Pet'}
    NewPet: {type: object, properties: {name: {type: string}}}
    Limit: {type: integer}
    Rate: {type: integer}
    Unused: {type: object}
  parameters:
    limit: {name: limit, in: query, schema: {$ref: '#/components/schemas/Limit'}}
    unused: {name: unused, in: query, schema: {type: string}}
  responses:
    PetPage:
      description: a page
      content:
        application/json:
          schema: {$ref: '#/components/schemas/PetPage'}
  headers:
    Rate: {schema: {$ref: '#/components/schemas/Rate'}}
  examples:
    ErrorExample: {value: {message: no}}
  links:
    Next: {operationId: listPets}
  requestBodies:
    NewPet:
      content:
        application/json:
          schema: {$ref: '#/components/schemas/NewPet'}
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: X-Key}
    bearer: {type: http, scheme: bearer}
tags:
  - name: pets
  - name: owners
"##;

    fn pets() -> OpenAPI {
        serde_yaml::from_str(PETS).expect("the pets document parses")
    }

    fn schema_names(api: &OpenAPI) -> Vec<&str> {
        api.components
            .as_ref()
            .map(|c| c.schemas.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    fn mapping<'a>(api: &'a OpenAPI, name: &str) -> Vec<&'a str> {
        match api.components.as_ref().and_then(|c| c.schemas.get(name)) {
            Some(ReferenceOr::Item(schema)) => schema
                .schema_data
                .discriminator
                .as_ref()
                .map(|d| d.mapping.keys().map(String::as_str).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn every_kind_of_component_is_followed() {
        let sliced = select(&pets(), &Selection::new().include("GET:/pets")).unwrap();
        let components = sliced.components.as_ref().unwrap();
        // Pet is the items' type, so its mapped types come (Dog brings Bark); `labels`
        // reaches Tag through additionalProperties; `not` reaches Forbidden.
        assert_eq!(
            schema_names(&sliced),
            [
                "Pet",
                "Cat",
                "Dog",
                "Bark",
                "Tag",
                "PetPage",
                "Forbidden",
                "Error",
                "Limit",
                "Rate"
            ]
        );
        assert_eq!(mapping(&sliced, "Pet"), ["cat", "dog"]);
        assert_eq!(components.parameters.keys().collect::<Vec<_>>(), ["limit"]);
        assert_eq!(components.responses.keys().collect::<Vec<_>>(), ["PetPage"]);
        assert_eq!(components.headers.keys().collect::<Vec<_>>(), ["Rate"]);
        assert_eq!(
            components.examples.keys().collect::<Vec<_>>(),
            ["ErrorExample"]
        );
        assert_eq!(components.links.keys().collect::<Vec<_>>(), ["Next"]);
        assert!(components.request_bodies.is_empty());
        assert!(components.security_schemes.is_empty());
        assert_eq!(sliced.tags.len(), 1);
        assert_eq!(sliced.paths.paths.len(), 1);
    }

    #[test]
    fn request_bodies_and_security_schemes_come_with_their_operation() {
        let sliced = select(&pets(), &Selection::new().include("operationId:createPet")).unwrap();
        let components = sliced.components.as_ref().unwrap();
        assert_eq!(schema_names(&sliced), ["NewPet"]);
        assert_eq!(
            components.request_bodies.keys().collect::<Vec<_>>(),
            ["NewPet"]
        );
        assert_eq!(
            components.security_schemes.keys().collect::<Vec<_>>(),
            ["apiKey"]
        );
        let item = match &sliced.paths.paths["/pets"] {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => panic!("an item"),
        };
        assert!(item.get.is_none() && item.post.is_some());
    }

    #[test]
    fn an_inherited_base_does_not_bring_its_mapped_types() {
        // Owner holds a Cat; Cat inherits Pet through allOf. Pet is never a value's type here,
        // so Dog stays out and Pet's mapping keeps only the entry whose type is kept.
        let sliced = select(&pets(), &Selection::new().include("tag:owners")).unwrap();
        assert_eq!(schema_names(&sliced), ["Pet", "Cat", "Tag", "Owner"]);
        assert_eq!(mapping(&sliced, "Pet"), ["cat"]);
    }

    #[test]
    fn an_alias_is_a_value_use_of_what_it_names() {
        let sliced = select(&pets(), &Selection::new().include("/alias")).unwrap();
        assert_eq!(
            schema_names(&sliced),
            ["Pet", "Cat", "Dog", "Bark", "Tag", "PetAlias"]
        );
    }

    #[test]
    fn without_mapped_subtypes_only_types_reached_otherwise_stay_in_the_mapping() {
        let selection = Selection::new().mapped_subtypes(false);
        let pets_only = select(&pets(), &selection.clone().include("GET:/pets")).unwrap();
        assert_eq!(
            schema_names(&pets_only),
            [
                "Pet",
                "Tag",
                "PetPage",
                "Forbidden",
                "Error",
                "Limit",
                "Rate"
            ]
        );
        assert!(mapping(&pets_only, "Pet").is_empty());
        let with_owners =
            select(&pets(), &selection.include("GET:/pets").include("/owners")).unwrap();
        assert_eq!(mapping(&with_owners, "Pet"), ["cat"]);
        assert!(schema_names(&with_owners).contains(&"Cat"));
        assert!(!schema_names(&with_owners).contains(&"Dog"));
        // The model reads every slice: no mapping entry dangles.
        for api in [&pets_only, &with_owners] {
            crate::model::build_named(api, None).expect("the slice models");
        }
    }

    #[test]
    fn no_pattern_keeps_every_operation_and_drops_unreachable_components() {
        let sliced = select(&pets(), &Selection::new()).unwrap();
        assert_eq!(sliced.operations().count(), 4);
        assert!(!schema_names(&sliced).contains(&"Unused"));
        let parameters = &sliced.components.as_ref().unwrap().parameters;
        assert_eq!(parameters.keys().collect::<Vec<_>>(), ["limit"]);
        // The slice of everything generates what the whole document generates.
        let whole = crate::model::build_named(&pets(), None).unwrap();
        let slice = crate::model::build_named(&sliced, Some(&naming(&pets()).unwrap())).unwrap();
        let names = |api: &crate::model::Api| -> Vec<String> {
            let mut names: Vec<String> = api
                .types
                .iter()
                .map(|t| t.name.clone())
                .filter(|n| n != "Unused")
                .collect();
            names.sort();
            names
        };
        assert_eq!(names(&whole), names(&slice));
    }
}
