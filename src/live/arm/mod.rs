//! The Azure Resource Manager backend: requests built by pure functions (`request`), answers
//! read by pure functions (`convert`, `lro`, `response`), and one small client that sends
//! them with retries (`retry`) and write pacing (`pacer`).

mod backend;
mod body;
mod client;
mod cloud;
mod convert;
mod lro;
mod pacer;
mod path;
mod registry_ref;
mod request;
mod response;
mod retry;
mod wire;

#[cfg(test)]
mod emulator_tests;

pub use crate::model::Cloud;
pub use backend::ArmBackend;
pub use client::{ArmClient, ClientOptions, RequestLog};
pub use cloud::{ArmEndpoint, is_loopback};
pub use pacer::WritePacer;
pub use registry_ref::RegistryRef;
pub use request::Method;
pub use retry::RetryPolicy;
