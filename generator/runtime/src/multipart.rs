//! `multipart/form-data` request bodies (RFC 7578): text parts and file
//! parts, encoded once into a [`Body`] so that a retry sends the same
//! bytes again.

use std::fmt;

use serde::Serialize;

use super::error::Error;
use super::request::Body;

/// A file sent as one part of a multipart body: its bytes, the file name
/// the server sees (`filename=` in the part's `Content-Disposition`) and
/// its content type.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    pub data: Vec<u8>,
    /// Without one, the part's name is sent as its file name.
    pub file_name: Option<String>,
    /// Sent as the part's `Content-Type`; without it, the type the spec
    /// gives the part, else `application/octet-stream`.
    pub content_type: Option<String>,
}

impl FilePart {
    /// A part holding `data`, with no file name or content type yet.
    pub fn new(data: impl Into<Vec<u8>>) -> FilePart {
        FilePart {
            data: data.into(),
            file_name: None,
            content_type: None,
        }
    }

    pub fn file_name(mut self, name: impl Into<String>) -> FilePart {
        self.file_name = Some(name.into());
        self
    }

    pub fn content_type(mut self, content_type: impl Into<String>) -> FilePart {
        self.content_type = Some(content_type.into());
        self
    }
}

impl fmt::Debug for FilePart {
    /// The bytes are left out (they may be large or secret): only their count.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &self.data.len())
            .finish()
    }
}

#[derive(Clone, PartialEq, Eq)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

/// The parts of a `multipart/form-data` body, in order.
///
/// ```ignore
/// let body = Multipart::new()
///     .text("name", "my-worker")
///     .file("files", &FilePart::new("export default {}").file_name("worker.js"), None)
///     .into_body()?;
/// assert!(body.content_type().starts_with("multipart/form-data; boundary="));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Multipart {
    parts: Vec<Part>,
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.parts.iter().map(|p| p.name.as_str()).collect();
        f.debug_struct("Multipart").field("parts", &names).finish()
    }
}

impl Multipart {
    pub fn new() -> Multipart {
        Multipart::default()
    }

    /// A part of `data` with an optional file name and content type.
    pub fn part(
        mut self,
        name: &str,
        file_name: Option<&str>,
        content_type: Option<&str>,
        data: Vec<u8>,
    ) -> Multipart {
        self.parts.push(Part {
            name: name.to_string(),
            file_name: file_name.map(str::to_string),
            content_type: content_type.map(str::to_string),
            data,
        });
        self
    }

    /// A text part (no content type: `text/plain` to the server).
    pub fn text(self, name: &str, value: impl Into<String>) -> Multipart {
        self.part(name, None, None, value.into().into_bytes())
    }

    /// A text part with the content type the spec's `encoding` gives it.
    pub fn text_as(self, name: &str, value: impl Into<String>, content_type: &str) -> Multipart {
        self.part(name, None, Some(content_type), value.into().into_bytes())
    }

    /// A file part; its content type is the file's own, else `default`
    /// (the spec's), else `application/octet-stream`.
    pub fn file(self, name: &str, file: &FilePart, default: Option<&str>) -> Multipart {
        let content_type = file
            .content_type
            .as_deref()
            .or(default)
            .unwrap_or("application/octet-stream");
        self.part(
            name,
            Some(file.file_name.as_deref().unwrap_or(name)),
            Some(content_type),
            file.data.clone(),
        )
    }

    /// A part holding `value` as JSON, sent as `content_type` (the spec's
    /// `encoding`, else `application/json`).
    pub fn json<T: Serialize + ?Sized>(
        self,
        name: &str,
        value: &T,
        content_type: Option<&str>,
    ) -> Result<Multipart, Error> {
        let data = serde_json::to_vec(value).map_err(|e| Error::InvalidRequest {
            message: format!("the multipart part {name:?} does not serialize as JSON: {e}"),
        })?;
        Ok(self.part(
            name,
            None,
            Some(content_type.unwrap_or("application/json")),
            data,
        ))
    }

    /// The encoded body, with a boundary found in none of the parts.
    /// A content type holding a line break is an [`Error::InvalidRequest`].
    pub fn into_body(self) -> Result<Body, Error> {
        for part in &self.parts {
            if let Some(ct) = &part.content_type {
                if ct.contains(['\r', '\n']) {
                    return Err(Error::InvalidRequest {
                        message: format!(
                            "the content type of multipart part {:?} has a line break",
                            part.name
                        ),
                    });
                }
            }
        }
        let boundary = (0..16)
            .map(|_| boundary())
            .find(|b| !self.parts.iter().any(|p| contains(&p.data, b.as_bytes())))
            .ok_or_else(|| Error::InvalidRequest {
                message: "no multipart boundary absent from the parts was found".to_string(),
            })?;
        Ok(Body::Bytes {
            content_type: format!("multipart/form-data; boundary={boundary}"),
            data: self.encode(&boundary),
        })
    }

    fn encode(&self, boundary: &str) -> Vec<u8> {
        let size: usize = self.parts.iter().map(|p| p.data.len() + 128).sum();
        let mut out = Vec::with_capacity(size + boundary.len() + 8);
        for part in &self.parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!("form-data; name=\"{}\"", quoted(&part.name));
            if let Some(file_name) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
            }
            out.extend_from_slice(format!("Content-Disposition: {disposition}\r\n").as_bytes());
            if let Some(ct) = &part.content_type {
                out.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&part.data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        out
    }
}

/// A name for a quoted `Content-Disposition` parameter, as browsers write
/// it (WHATWG HTML): `"`, CR and LF percent-encoded, so no name can end
/// the header or the quoted string.
fn quoted(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A random boundary of 32 hexadecimal digits after a fixed prefix.
fn boundary() -> String {
    let high = (super::retry::jitter() * (1u64 << 53) as f64) as u64;
    let low = (super::retry::jitter() * (1u64 << 53) as f64) as u64;
    format!("----runtime-{high:016x}{low:016x}")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
