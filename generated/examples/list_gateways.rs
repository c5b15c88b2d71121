//! Lists every AI Gateway of an account, one line per gateway (its id
//! first), walking all pages.
//!
//! ```text
//! CLOUDFLARE_ACCOUNT_ID=<account id> CLOUDFLARE_API_TOKEN=<token> \
//!     cargo run -p cloudflare-ai-gateway --example list_gateways
//! ```
//!
//! Credentials come from `CLOUDFLARE_API_TOKEN`, or `CLOUDFLARE_EMAIL` with
//! `CLOUDFLARE_API_KEY`; `CLOUDFLARE_BASE_URL` points the client elsewhere
//! (a mock server, a proxy). On failure the error goes to stderr and the
//! exit code is 1 (2 for a missing account id).

use std::io::Write;
use std::process::ExitCode;

use cloudflare_ai_gateway::client::AigConfigListGatewayParams;
use cloudflare_ai_gateway::models::Gateway;
use cloudflare_ai_gateway::{Client, Error};
use futures_util::StreamExt;

/// The environment variable naming the account whose gateways are listed.
pub const ENV_ACCOUNT_ID: &str = "CLOUDFLARE_ACCOUNT_ID";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let account_id = match std::env::var(ENV_ACCOUNT_ID) {
        Ok(id) if !id.trim().is_empty() => id.trim().to_string(),
        _ => {
            eprintln!(
                "error: set {ENV_ACCOUNT_ID} to the id of the account whose gateways to list"
            );
            return ExitCode::from(2);
        }
    };
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    match list_gateways(&client, &account_id, &mut stdout).await {
        Ok(count) => {
            eprintln!("{count} gateway(s) in account {account_id}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes one line per gateway of `account_id` to `out` and returns how
/// many there were. Lines already written stay written when a later page
/// fails.
pub async fn list_gateways(
    client: &Client,
    account_id: &str,
    out: &mut impl Write,
) -> Result<usize, ListError> {
    let mut gateways =
        client.aig_config_list_gateway_stream(account_id, &AigConfigListGatewayParams::default());
    let mut count = 0;
    while let Some(gateway) = gateways.next().await {
        let gateway = gateway.map_err(|e| ListError::Api {
            account_id: account_id.to_string(),
            listed: count,
            source: e,
        })?;
        writeln!(out, "{}", describe(&gateway)).map_err(ListError::Output)?;
        count += 1;
    }
    Ok(count)
}

/// `<id>  created <date>  logs <on|off>  cache <ttl>`.
pub fn describe(gateway: &Gateway) -> String {
    let cache = match gateway.cache_ttl {
        Some(ttl) => format!("{ttl}s"),
        None => "off".to_string(),
    };
    format!(
        "{}\tcreated {}\tlogs {}\tcache {cache}",
        gateway.id,
        gateway.created_at.format("%Y-%m-%d"),
        if gateway.collect_logs { "on" } else { "off" },
    )
}

/// Why listing failed.
#[derive(Debug)]
pub enum ListError {
    /// The API call failed after `listed` gateways were printed.
    Api {
        account_id: String,
        listed: usize,
        source: Error,
    },
    /// Writing to the output failed.
    Output(std::io::Error),
}

impl std::fmt::Display for ListError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ListError::Api {
                account_id,
                listed,
                source,
            } => {
                write!(f, "listing the gateways of account {account_id} failed")?;
                if *listed > 0 {
                    write!(f, " after {listed} gateway(s)")?;
                }
                write!(f, ": {source}")
            }
            ListError::Output(e) => write!(f, "cannot write the list: {e}"),
        }
    }
}

impl std::error::Error for ListError {}
