//! The state file: the whole committed state as JSON, loaded at start and replaced atomically
//! (temporary file, then rename) after every change, so the emulator can be killed and
//! restarted.

use std::fs;
use std::io;
use std::path::Path;

use crate::state::State;

/// The state in `path`, or `None` when there is no such file.
pub fn load(path: &Path) -> io::Result<Option<State>> {
    let text = match fs::read(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    serde_json::from_slice(&text).map(Some).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: not an emulator state file: {e}", path.display()),
        )
    })
}

/// Writes `state` to `path` atomically.
pub fn save(path: &Path, state: &State) -> io::Result<()> {
    let text = serde_json::to_vec(state).map_err(io::Error::other)?;
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".tmp{}", std::process::id()));
    fs::write(&temporary, text)?;
    fs::rename(&temporary, path)
}
