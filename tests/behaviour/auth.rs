//! Credentials of every kind of security scheme, as sent on the wire
//! (`tests/specs/auth.yaml`): where each goes, `security: []`, the
//! precedence of `from_env`, and cookie parameters beside a cookie key.

use auth_api::client::GetPrefsParams;
use auth_api::models::GetPrefsTheme;
use auth_api::{Client, ClientBuilder, Credentials, Error};
use behaviour::{serve_once, Captured, Reply};

const SECRET: &str = "s3cr3t-value-42";

async fn list_with(credentials: Credentials) -> Captured {
    let (url, server) = serve_once(Reply::no_content()).await;
    let client = Client::builder(&url)
        .credentials(credentials)
        .build()
        .expect("client");
    client.list_widgets().await.expect("204");
    server.await.expect("server")
}

fn no_credentials(seen: &Captured) {
    assert!(seen.header_values("authorization").is_empty(), "{seen:?}");
    assert!(seen.header_values("x-api-key").is_empty(), "{seen:?}");
    assert!(seen.header_values("cookie").is_empty(), "{seen:?}");
    assert!(!seen.target().contains("api_key"), "{seen:?}");
}

#[tokio::test]
async fn each_scheme_puts_its_secret_where_the_spec_says() {
    for ctor in [Credentials::bearer, Credentials::oauth, Credentials::openid] {
        let seen = list_with(ctor(SECRET)).await;
        assert_eq!(seen.header_values("authorization"), [format!("Bearer {SECRET}")]);
        assert_eq!(seen.target(), "/widgets");
    }
    let seen = list_with(Credentials::basic("Aladdin", "open sesame")).await;
    assert_eq!(
        seen.header_values("authorization"),
        ["Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="]
    );
    let seen = list_with(Credentials::header_key(SECRET)).await;
    assert_eq!(seen.header_values("x-api-key"), [SECRET]);
    assert!(seen.header_values("authorization").is_empty());
    let seen = list_with(Credentials::query_key("a b&c")).await;
    assert_eq!(seen.target(), "/widgets?api_key=a%20b%26c");
    assert!(seen.header_values("authorization").is_empty());
    let seen = list_with(Credentials::cookie_key("k;v")).await;
    assert_eq!(seen.header_values("cookie"), ["session=k%3Bv"]);
}

#[tokio::test]
async fn operations_without_security_send_no_credentials() {
    for credentials in [
        Credentials::bearer(SECRET),
        Credentials::query_key(SECRET),
        Credentials::cookie_key(SECRET),
        Credentials::header_key(SECRET),
    ] {
        for optional in [false, true] {
            let (url, server) = serve_once(Reply::no_content()).await;
            let client = Client::builder(&url)
                .credentials(credentials.clone())
                .build()
                .expect("client");
            if optional {
                client.get_optional().await.expect("204");
            } else {
                client.get_public().await.expect("204");
            }
            let seen = server.await.expect("server");
            no_credentials(&seen);
        }
    }
}

#[tokio::test]
async fn from_env_takes_the_first_way_in_precedence_order_and_never_mixes() {
    let vars = [
        ("ACME_WIDGETS_HEADER_KEY", "hk-123456789"),
        ("ACME_WIDGETS_QUERY_KEY", "qk-123456789"),
        ("ACME_WIDGETS_BASIC_USERNAME", "u"),
        ("ACME_WIDGETS_BASIC_PASSWORD", "p"),
        ("ACME_WIDGETS_BEARER", "tok-123456789"),
    ];
    let (url, server) = serve_once(Reply::no_content()).await;
    let mut env: Vec<(&str, String)> = vars.iter().map(|(k, v)| (*k, v.to_string())).collect();
    env.push(("ACME_WIDGETS_BASE_URL", url));
    let lookup = |name: &str| env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
    let client = ClientBuilder::from_lookup(auth_api::client::DEFAULT_BASE_URL, lookup)
        .build()
        .expect("client");
    client.list_widgets().await.expect("204");
    let seen = server.await.expect("server");
    // The bearer token wins although the spec lists the header key first.
    assert_eq!(seen.header_values("authorization"), ["Bearer tok-123456789"]);
    assert!(seen.header_values("x-api-key").is_empty());
    assert_eq!(seen.target(), "/widgets");

    // Without the token: basic (both of its variables) beats the API keys.
    let basic = Credentials::from_lookup(|name| {
        vars.iter()
            .filter(|(k, _)| *k != "ACME_WIDGETS_BEARER")
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    })
    .expect("credentials");
    assert_eq!(basic, Credentials::basic("u", "p"));
    // Half a basic pair does not count.
    let key = Credentials::from_lookup(|name| {
        (name == "ACME_WIDGETS_BASIC_USERNAME" || name == "ACME_WIDGETS_HEADER_KEY")
            .then(|| "x".to_string())
    })
    .expect("credentials");
    assert_eq!(key, Credentials::header_key("x"));

    let err = Credentials::from_lookup(|_| None).unwrap_err();
    assert!(matches!(err, Error::MissingCredentials));
    let message = err.to_string();
    assert!(
        message.contains("ACME_WIDGETS_BEARER (preferred)")
            && message.contains("both ACME_WIDGETS_BASIC_USERNAME and ACME_WIDGETS_BASIC_PASSWORD"),
        "{message}"
    );
}

#[tokio::test]
async fn cookie_parameters_and_a_cookie_key_share_one_header() {
    let (url, server) = serve_once(Reply::no_content()).await;
    let client = Client::builder(&url)
        .credentials(Credentials::cookie_key(SECRET))
        .build()
        .expect("client");
    let params = GetPrefsParams::default()
        .theme(GetPrefsTheme::Dark)
        .tags(vec!["a".to_string(), "b c".to_string()]);
    client.get_prefs("acme; x=1", &params).await.expect("204");
    let seen = server.await.expect("server");
    assert_eq!(
        seen.header_values("cookie"),
        [format!("tenant=acme%3B%20x%3D1; theme=dark; tags=a%2Cb%20c; session={SECRET}")]
    );
    // Absent optional cookies are left out; with a header key, no cookie
    // credential is added.
    let (url, server) = serve_once(Reply::no_content()).await;
    let client = Client::builder(&url)
        .credentials(Credentials::header_key(SECRET))
        .build()
        .expect("client");
    client
        .get_prefs("acme", &GetPrefsParams::default())
        .await
        .expect("204");
    let seen = server.await.expect("server");
    assert_eq!(seen.header_values("cookie"), ["tenant=acme"]);
    assert_eq!(seen.header_values("x-api-key"), [SECRET]);
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output_and_errors() {
    let (url, server) = serve_once(Reply {
        status: 401,
        content_type: Some("application/json"),
        body: format!(r#"{{"echo":"{SECRET}"}}"#).into_bytes(),
    })
    .await;
    let client = Client::builder(&url)
        .credentials(Credentials::query_key(SECRET))
        .retry_policy(auth_api::RetryPolicy::none())
        .build()
        .expect("client");
    let err = client.list_widgets().await.unwrap_err();
    server.await.expect("server");
    for text in [
        format!("{err} {err:?}"),
        format!("{client:?}"),
        format!("{:?} {}", Credentials::basic("u", SECRET), Credentials::basic("u", SECRET)),
    ] {
        assert!(!text.contains(SECRET), "{text}");
    }
}
