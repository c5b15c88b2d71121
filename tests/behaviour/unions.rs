//! unions.yaml: which member a value decodes into, what validate() says
//! about it, and that encoding gives the value back.

use serde_json::{json, Value};
use unions_api::models::{
    AddPetResponse, Cat, Id, MappedPet, MaybeId, Owner, OwnerContact, Pet, Shape,
};
use unions_api::runtime::validation::{Bound, Constraint};
use unions_api::{Validate, Violation};

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"))
}

fn v(path: &str, constraint: Constraint, actual: &str) -> Violation {
    Violation {
        path: path.into(),
        constraint,
        actual: actual.into(),
    }
}

#[test]
fn discriminator_without_mapping_uses_schema_names() {
    assert!(matches!(
        decode::<Pet>(json!({"kind": "Cat", "meows": true})),
        Pet::Cat(_)
    ));
    assert!(matches!(
        decode::<Pet>(json!({"kind": "Dog", "barks": false})),
        Pet::Dog(_)
    ));
    let bird = json!({"kind": "Bird", "flies": true});
    let pet: Pet = decode(bird.clone());
    assert_eq!(pet, Pet::Other(bird.clone()));
    assert_eq!(
        pet.validate().expect_err("matches no member").0,
        [v("", Constraint::AnyOf, &bird.to_string())]
    );
}

#[test]
fn discriminator_mapping_is_followed() {
    for (tag, cat) in [("cat", true), ("kitten", true), ("dog", false)] {
        let pet: MappedPet = decode(json!({"kind": tag, "meows": true, "barks": true}));
        match pet {
            MappedPet::Cat(_) => assert!(cat, "{tag} decoded as a cat"),
            MappedPet::Dog(_) => assert!(!cat, "{tag} decoded as a dog"),
            MappedPet::Other(_) => panic!("{tag} decoded as Other"),
        }
    }
    // With a mapping, the schema names are not tags.
    assert!(matches!(
        decode::<MappedPet>(json!({"kind": "Cat", "meows": true})),
        MappedPet::Other(_)
    ));
}

#[test]
fn members_encode_as_they_decoded() {
    for value in [
        json!({"kind": "Cat", "meows": true, "lives": 9}),
        json!({"kind": "Dog", "barks": true, "name": "Rex"}),
        json!({"kind": "Bird"}),
    ] {
        let pet: Pet = decode(value.clone());
        assert_eq!(serde_json::to_value(&pet).expect("encodes"), value);
    }
}

#[test]
fn an_integer_is_not_swallowed_by_a_discriminated_member() {
    // `oneOf: [MappedPet, integer]`: 5 is the integer member. MappedPet's
    // decoder must not accept values that are not objects.
    let response: AddPetResponse = decode(json!(5));
    assert_eq!(response, AddPetResponse::Integer(5));
    assert_eq!(response.validate(), Ok(()));
}

#[test]
fn scalar_members_and_their_checks() {
    assert_eq!(decode::<Id>(json!("abc")), Id::String("abc".into()));
    assert_eq!(decode::<Id>(json!(7)), Id::Integer(7));
    assert_eq!(
        decode::<Id>(json!("")).validate().expect_err("empty").0,
        [v("", Constraint::MinLength(1), "\"\" (0 characters)")]
    );
    assert_eq!(
        decode::<Id>(json!(0)).validate().expect_err("zero").0,
        [v("", Constraint::Minimum(Bound::Int(1)), "0")]
    );
    assert_eq!(
        decode::<Id>(json!(true))
            .validate()
            .expect_err("a boolean")
            .0,
        [v("", Constraint::AnyOf, "true")]
    );
    assert_eq!(decode::<MaybeId>(json!(3)), MaybeId::Integer(3));
    assert_eq!(
        decode::<MaybeId>(json!("x")),
        MaybeId::String("x".into())
    );
}

#[test]
fn inline_object_members() {
    assert!(matches!(
        decode::<Shape>(json!({"side": 2.0})),
        Shape::Variant1(_)
    ));
    let circle: Shape = decode(json!({"radius": 0}));
    assert!(matches!(circle, Shape::Variant0(_)));
    assert_eq!(
        circle.validate().expect_err("radius must be > 0").0,
        [v(
            "radius",
            Constraint::ExclusiveMinimum(Bound::Float(0.0)),
            "0"
        )]
    );
}

#[test]
fn owner_paths_go_through_arrays_and_unions() {
    let owner: Owner = decode(json!({
        "id": 0,
        "pets": [
            {"kind": "Dog", "barks": true},
            {"kind": "Cat", "meows": true, "lives": 10},
            {"kind": "Dog", "barks": true, "name": ""}
        ],
        "favourite": {"kind": "kitten", "meows": false, "lives": -1},
        "shape": {"radius": -1},
        "pet_or_null": null,
        "contact": 5
    }));
    assert_eq!(owner.pet_or_null, Some(None));
    assert_eq!(owner.contact, Some(OwnerContact::Other(json!(5))));
    assert_eq!(
        owner.validate().expect_err("invalid").0,
        [
            v("id", Constraint::Minimum(Bound::Int(1)), "0"),
            v("pets[1].lives", Constraint::Maximum(Bound::Int(9)), "10"),
            v(
                "pets[2].name",
                Constraint::MinLength(1),
                "\"\" (0 characters)"
            ),
            v("favourite.lives", Constraint::Minimum(Bound::Int(0)), "-1"),
            v(
                "shape.radius",
                Constraint::ExclusiveMinimum(Bound::Float(0.0)),
                "-1"
            ),
            v("contact", Constraint::AnyOf, "5"),
        ]
    );
}

#[test]
fn nullable_union_members() {
    let owner: Owner = decode(json!({
        "id": "o",
        "pets": [],
        "pet_or_null": {"meows": true, "kind": "x"},
        "contact": "2020-01-02T03:04:05Z"
    }));
    assert!(matches!(owner.pet_or_null, Some(Some(_))));
    assert!(matches!(owner.contact, Some(OwnerContact::DateTime(_))));
    assert_eq!(owner.validate(), Ok(()));
    let cat: Cat = decode(json!({"kind": "x", "meows": true}));
    assert_eq!(cat.lives, None);
}
