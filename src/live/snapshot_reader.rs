//! Reading a snapshot file a piece at a time, without ever holding its whole text: each object
//! of its lists is parsed by serde_json from the piece that holds it, and the piece is then
//! reused for the rest of the file. At Premium scale the file is 55 MB and its objects under a
//! kilobyte, so the text in memory at once goes from 55 MB to one piece.
//!
//! It reads only the files it is sure of: the file's object and its lists are walked here, and
//! anything this walk does not expect (a key written twice or unknown, a version other than
//! `"1"`, an object that does not parse, something after the end) makes it decline, and the
//! caller parses the whole file as before, which gives the one message for what is wrong. So
//! a file this reader takes is one the whole-file parse takes, with the same objects: every
//! object goes through the same `Deserialize` either way.

use std::io::{self, Read};

use serde::de::DeserializeOwned;

use super::{ByName, FORMAT_VERSION, Named, SnapshotFile};

/// How much of the file is read at a time. An object longer than that (none is, in practice)
/// makes the buffer grow to hold it.
pub(super) const PIECE: usize = 256 * 1024;

/// The snapshot in `source`, read `piece` bytes at a time; `None` when this reader declines
/// the file (see the module's doc), `Err` only when reading fails.
pub(super) fn read(source: impl Read, piece: usize) -> io::Result<Option<SnapshotFile>> {
    let mut text = Pieces {
        source,
        buffer: vec![0; piece.max(1)],
        start: 0,
        end: 0,
        at_end: false,
    };
    let mut format_version = None;
    let mut registry = None;
    let mut scope_maps = None;
    let mut tokens = None;
    let mut connected_registries = None;
    if !text.eat(b'{')? {
        return Ok(None);
    }
    if !text.eat(b'}')? {
        loop {
            let Some(key) = text.value::<String>()? else {
                return Ok(None);
            };
            if !text.eat(b':')? {
                return Ok(None);
            }
            let first = match key.as_str() {
                "format_version" => once(&mut format_version, text.value()?),
                "registry" => once(&mut registry, text.value()?),
                "scope_maps" => once(&mut scope_maps, text.list()?),
                "tokens" => once(&mut tokens, text.list()?),
                "connected_registries" => once(&mut connected_registries, text.list()?),
                _ => false,
            };
            if !first {
                return Ok(None);
            }
            if text.eat(b',')? {
                continue;
            }
            if text.eat(b'}')? {
                break;
            }
            return Ok(None);
        }
    }
    // Only whitespace may follow the file's object.
    if text.peek()?.is_some() {
        return Ok(None);
    }
    let (Some(format_version), Some(registry)) = (format_version, registry) else {
        return Ok(None);
    };
    if format_version != FORMAT_VERSION {
        return Ok(None);
    }
    Ok(Some(SnapshotFile {
        format_version,
        registry,
        scope_maps: scope_maps.unwrap_or_default(),
        tokens: tokens.unwrap_or_default(),
        connected_registries: connected_registries.unwrap_or_default(),
    }))
}

/// Puts `value` in `slot`; `false` when there is none, or the slot was already filled (a key
/// written twice).
fn once<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    match (&slot, value) {
        (None, Some(value)) => {
            *slot = Some(value);
            true
        }
        _ => false,
    }
}

/// The file's text, read into `buffer` a piece at a time; `buffer[start..end]` is read and
/// not yet parsed.
struct Pieces<R> {
    source: R,
    buffer: Vec<u8>,
    start: usize,
    end: usize,
    /// The source has no more to read.
    at_end: bool,
}

impl<R: Read> Pieces<R> {
    fn unparsed(&self) -> &[u8] {
        &self.buffer[self.start..self.end]
    }

    /// Reads more of the source after the unparsed text, which moves to the front of the
    /// buffer (the buffer grows when it is all unparsed); `false` at the end of the source.
    fn fill(&mut self) -> io::Result<bool> {
        if self.at_end {
            return Ok(false);
        }
        self.buffer.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.start = 0;
        if self.end == self.buffer.len() {
            self.buffer.resize(self.buffer.len() * 2, 0);
        }
        loop {
            match self.source.read(&mut self.buffer[self.end..]) {
                Ok(0) => {
                    self.at_end = true;
                    return Ok(false);
                }
                Ok(read) => {
                    self.end += read;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// The next byte that is not JSON whitespace, not consumed; `None` at the end.
    fn peek(&mut self) -> io::Result<Option<u8>> {
        loop {
            if let Some(at) = self
                .unparsed()
                .iter()
                .position(|b| !matches!(b, b' ' | b'\n' | b'\t' | b'\r'))
            {
                self.start += at;
                return Ok(Some(self.buffer[self.start]));
            }
            self.start = self.end;
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// Consumes `byte` if it is next (after whitespace).
    fn eat(&mut self, byte: u8) -> io::Result<bool> {
        let next = self.peek()? == Some(byte);
        if next {
            self.start += 1;
        }
        Ok(next)
    }

    /// The next value, an object or a string, parsed as a `T`; `None` when it is something
    /// else or does not parse.
    fn value<T: DeserializeOwned>(&mut self) -> io::Result<Option<T>> {
        // Only values that end with their own delimiter: a number cut by the end of a piece
        // would parse as a shorter number.
        if !matches!(self.peek()?, Some(b'{' | b'"')) {
            return Ok(None);
        }
        loop {
            let mut values = serde_json::Deserializer::from_slice(self.unparsed()).into_iter();
            match values.next() {
                Some(Ok(value)) => {
                    self.start += values.byte_offset();
                    return Ok(Some(value));
                }
                // Cut by the end of the piece: parsed again with more of the file.
                Some(Err(e)) if e.is_eof() => {}
                _ => return Ok(None),
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// The next list of objects, each beside its name.
    fn list<V: Named + DeserializeOwned>(&mut self) -> io::Result<Option<ByName<V>>> {
        if !self.eat(b'[')? {
            return Ok(None);
        }
        let mut objects = Vec::new();
        if !self.eat(b']')? {
            loop {
                let Some(object) = self.value::<V>()? else {
                    return Ok(None);
                };
                objects.push((object.name().clone(), object));
                if self.eat(b',')? {
                    continue;
                }
                if self.eat(b']')? {
                    break;
                }
                return Ok(None);
            }
        }
        Ok(Some(ByName(objects)))
    }
}
