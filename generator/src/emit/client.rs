//! The client: one async method per operation.

use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

pub fn client(_api: &Api) -> TokenStream {
    quote! {
        //! One method per operation of the API.
    }
}
