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

pub(crate) use crate::model::Cloud;
pub(crate) use backend::ArmBackend;
pub(crate) use client::{ArmClient, ClientOptions, RequestLog};
pub(crate) use cloud::{ArmEndpoint, is_loopback};
pub(crate) use pacer::WritePacer;
pub(crate) use registry_ref::RegistryRef;
pub(crate) use request::Method;
pub(crate) use retry::RetryPolicy;
