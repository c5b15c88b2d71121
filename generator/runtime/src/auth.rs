//! How this API authenticates, from its security schemes (generated).

use super::credentials::{Alternative, Auth, Credentials, Placement, Scheme, Secret};

/// The environment variable that overrides the base URL.
pub const ENV_BASE_URL: &str = "CLOUDFLARE_BASE_URL";

/// The ways to authenticate, in precedence order: from the
/// environment, the first whose variables are all set is used.
pub static AUTH: Auth = Auth {
    alternatives: &[
        Alternative {
            schemes: &[
                Scheme {
                    name: "api_token",
                    placement: Placement::Bearer,
                    env: &["CLOUDFLARE_API_TOKEN"],
                },
            ],
        },
        Alternative {
            schemes: &[
                Scheme {
                    name: "api_email",
                    placement: Placement::Header("X-Auth-Email"),
                    env: &["CLOUDFLARE_EMAIL"],
                },
                Scheme {
                    name: "api_key",
                    placement: Placement::Header("X-Auth-Key"),
                    env: &["CLOUDFLARE_API_KEY"],
                },
            ],
        },
    ],
};

impl Credentials {
    /// Credentials of `api_token` (`Authorization: Bearer …`; environment: `CLOUDFLARE_API_TOKEN`).
    ///
    /// The preferred authorization scheme for interacting with the Cloudflare API. [Create a token](https://developers.cloudflare.com/fundamentals/api/get-started/create-token/).
    pub fn api_token(api_token: impl Into<String>) -> Self {
        Credentials::new(0, vec![Secret::new(api_token)])
    }
    /// Credentials of `api_email` (header `X-Auth-Email`; environment: `CLOUDFLARE_EMAIL`) and `api_key` (header `X-Auth-Key`; environment: `CLOUDFLARE_API_KEY`).
    ///
    /// The previous authorization scheme for interacting with the Cloudflare API, used in conjunction with a Global API key.
    ///
    /// The previous authorization scheme for interacting with the Cloudflare API. When possible, use API tokens instead of Global API keys.
    pub fn email_key(api_email: impl Into<String>, api_key: impl Into<String>) -> Self {
        Credentials::new(1, vec![Secret::new(api_email), Secret::new(api_key)])
    }
}
