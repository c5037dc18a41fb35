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

pub use backend::ArmBackend;
pub use client::{ArmClient, ClientOptions, RequestLog};
pub use cloud::{ArmEndpoint, Cloud, is_loopback};
pub use lro::{PollKind, Step};
pub use pacer::{PacerState, WritePacer};
pub use registry_ref::{RegistryRef, name_from_id};
pub use request::{API_VERSION, ArmRequest, Collection, Method};
pub use response::ArmResponse;
pub use retry::{Attempt, Decision, RetryPolicy};
