//! The generated models: arbitrary and mutated responses decoded and
//! validated.

use super::*;

fn decode_and_validate(bytes: &[u8]) -> Result<bool, TestCaseError> {
    let outcome = catch_unwind(|| {
        serde_json::from_slice::<AigConfigListGatewayResponse>(bytes).map(|r| {
            // Every rendering of a decoded value must work too.
            let _ = format!("{r:?}");
            let _ = serde_json::to_vec(&r);
            r.validate().err().map(|e| e.to_string())
        })
    });
    match outcome {
        Ok(decoded) => Ok(decoded.is_ok()),
        Err(_) => {
            let path = save_failure(&String::from_utf8_lossy(bytes));
            Err(TestCaseError::fail(format!(
                "decoding or validating panicked; body saved to {}",
                path.display()
            )))
        }
    }
}

#[test]
fn any_server_body_decodes_or_fails_without_panicking() {
    let example = tests::seed_example();
    let decoded = AtomicUsize::new(0);
    let started = Instant::now();
    let body = prop_oneof![
        // Mutations of the spec's own example: mostly well-formed envelopes
        // with wrong types, missing fields, odd values and unknown enums.
        prop::collection::vec(arb_mutation(), 0..6).prop_map(move |ms| {
            let mut v = example.clone();
            for m in &ms {
                apply(&mut v, m);
            }
            serde_json::to_vec(&v).unwrap()
        }),
        arb_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        prop::collection::vec(any::<u8>(), 0..300),
    ];
    let runs = AtomicUsize::new(0);
    let result = runner(DEFAULT_CASES_MODELS).run(&body, |bytes| {
        runs.fetch_add(1, Ordering::Relaxed);
        if decode_and_validate(&bytes)? {
            decoded.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    println!(
        "fuzz models: {} bodies in {:.1?}, {} decoded (and validated)",
        runs.load(Ordering::Relaxed),
        started.elapsed(),
        decoded.load(Ordering::Relaxed)
    );
    if let Err(e) = result {
        panic!("{e}");
    }
    // The mutations keep many bodies decodable, so validate() really ran.
    assert!(decoded.load(Ordering::Relaxed) > 0);
}

#[test]
fn the_mutation_engine_changes_specs() {
    // A fuzzer whose mutations do nothing would pass forever.
    let mut v = json!({"a": {"b": [1, 2, {"c": "d"}]}, "e": "f"});
    let all = locations(&v);
    assert_eq!(all.len(), 8, "{all:?}");
    let before = v.clone();
    apply(&mut v, &Mutation::PointRef(7, 3));
    assert_ne!(v, before);
    let mut w = before.clone();
    apply(&mut w, &Mutation::Delete(4));
    assert_ne!(w, before);
}
