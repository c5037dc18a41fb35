//! Reading an answer's body with a bound: the server decides how much it sends, not how much
//! scopeform holds (an 800 MB list page was once read whole).

/// The most scopeform reads of a successful answer. A page of ARM's holds a few MB at most
/// (100 scope maps of 500 actions is about 4 MB).
pub(super) const MAX_BODY: usize = 16 << 20;
/// The most scopeform reads of an error answer; the rest is dropped, and the message, cut.
const MAX_ERROR_BODY: usize = 1 << 20;

/// Why a body was not read.
pub(super) enum Failure {
    Transport(reqwest::Error),
    /// A successful answer larger than `MAX_BODY`: it was not read further.
    TooLarge,
}

/// Reads an answer's body as it arrives, never more than `MAX_BODY` (a success, which is
/// refused beyond it) or `MAX_ERROR_BODY` (an error, cut there): the server decides how much
/// it sends, not how much scopeform holds.
pub(super) async fn read_bounded(
    mut response: reqwest::Response,
    status: u16,
) -> Result<Vec<u8>, Failure> {
    let success = (200..300).contains(&status);
    let limit = if success { MAX_BODY } else { MAX_ERROR_BODY };
    let announced = response.content_length().unwrap_or(0);
    if success && announced > limit as u64 {
        return Err(Failure::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Failure::Transport)? {
        let room = limit - body.len();
        if chunk.len() > room {
            if success {
                return Err(Failure::TooLarge);
            }
            body.extend_from_slice(&chunk[..room]);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
