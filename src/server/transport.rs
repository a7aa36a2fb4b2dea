//! The server's standard input and output. Messages are read as `lsp-server` reads
//! them; every message sent has each of its strings cleaned first (URL credentials
//! masked, control characters escaped: [`crate::safe_output::clean_text`]), and only
//! then is its length taken for the `Content-Length` header. Masking the bytes on the
//! way out, as the command line does, would leave that header wrong.

use std::io::{self, BufRead, Write};
use std::thread;

use crossbeam_channel::{Receiver, Sender, bounded};
use lsp_server::{Connection, Message};
use serde_json::Value;

use crate::safe_output::clean_text;

/// The reader and writer threads, joined when the connection ends.
pub struct IoThreads {
    reader: thread::JoinHandle<io::Result<()>>,
    writer: thread::JoinHandle<io::Result<()>>,
}

impl IoThreads {
    pub fn join(self) -> io::Result<()> {
        let reader = self
            .reader
            .join()
            .map_err(|_| io::Error::other("reader panicked"))?;
        let writer = self
            .writer
            .join()
            .map_err(|_| io::Error::other("writer panicked"))?;
        // The client closing its end first is how a session ends; not an error.
        reader.or_else(ignore_broken_pipe)?;
        writer.or_else(ignore_broken_pipe)
    }
}

fn ignore_broken_pipe(error: io::Error) -> io::Result<()> {
    match error.kind() {
        io::ErrorKind::BrokenPipe | io::ErrorKind::UnexpectedEof => Ok(()),
        _ => Err(error),
    }
}

/// A connection over standard input and output.
pub fn stdio() -> (Connection, IoThreads) {
    let (to_writer, from_server) = bounded::<Message>(0);
    let (to_server, from_reader) = bounded::<Message>(0);
    let writer = thread::spawn(move || write_all(from_server, io::stdout().lock()));
    let reader = thread::spawn(move || read_all(to_server, io::stdin().lock()));
    let connection = Connection {
        sender: to_writer,
        receiver: from_reader,
    };
    (connection, IoThreads { reader, writer })
}

fn read_all(to_server: Sender<Message>, mut input: impl BufRead) -> io::Result<()> {
    while let Some(message) = Message::read(&mut input)? {
        let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if to_server.send(message).is_err() || exit {
            break;
        }
    }
    Ok(())
}

fn write_all(from_server: Receiver<Message>, mut output: impl Write) -> io::Result<()> {
    for message in from_server {
        output.write_all(&frame(message)?)?;
        output.flush()?;
    }
    Ok(())
}

/// One message as it goes on the wire: header and cleaned JSON body. Taken by value:
/// the parameters and results are moved into the body, not copied (a large file's
/// diagnostics are hundreds of kilobytes).
pub fn frame(message: Message) -> io::Result<Vec<u8>> {
    let mut body = serde_json::Map::new();
    body.insert("jsonrpc".to_string(), Value::from("2.0"));
    match message {
        Message::Request(request) => {
            body.insert("id".to_string(), serde_json::to_value(request.id)?);
            body.insert("method".to_string(), Value::from(request.method));
            body.insert("params".to_string(), request.params);
        }
        Message::Notification(notification) => {
            body.insert("method".to_string(), Value::from(notification.method));
            body.insert("params".to_string(), notification.params);
        }
        Message::Response(response) => {
            body.insert("id".to_string(), serde_json::to_value(response.id)?);
            match response.response_result {
                Ok(result) => body.insert("result".to_string(), result),
                Err(error) => body.insert("error".to_string(), serde_json::to_value(error)?),
            };
        }
    }
    let mut value = Value::Object(body);
    clean_strings(&mut value);
    let body = serde_json::to_vec(&value)?;
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(&body);
    Ok(out)
}

/// Every string of `value` (object keys too) through [`clean_text`].
pub fn clean_strings(value: &mut Value) {
    match value {
        Value::String(text) => {
            if let std::borrow::Cow::Owned(cleaned) = clean_text(text) {
                *text = cleaned;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(clean_strings),
        Value::Object(fields) => {
            let dirty = fields
                .keys()
                .any(|key| matches!(clean_text(key), std::borrow::Cow::Owned(_)));
            if dirty {
                let old = std::mem::take(fields);
                for (key, value) in old {
                    fields.insert(clean_text(&key).into_owned(), value);
                }
            }
            fields.values_mut().for_each(clean_strings);
        }
        _ => {}
    }
}

/// Whether `text` leaves [`clean_strings`] as it is: an edit whose text would be
/// masked cannot be offered, or the editor would write `****` into the file.
pub fn survives_cleaning(text: &str) -> bool {
    matches!(clean_text(text), std::borrow::Cow::Borrowed(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_masked_and_the_length_is_the_masked_body() {
        let message = Message::Notification(lsp_server::Notification::new(
            "window/logMessage".to_string(),
            serde_json::json!({"type": 3, "message": "--index-url https://user:hunter2@example.com/simple"}),
        ));
        let framed = String::from_utf8(frame(message).unwrap()).unwrap();
        assert!(!framed.contains("hunter2"), "{framed}");
        assert!(framed.contains("user:****@example.com"), "{framed}");
        let (header, body) = framed.split_once("\r\n\r\n").unwrap();
        assert_eq!(header, format!("Content-Length: {}", body.len()));
        let parsed: Value = serde_json::from_str(body).unwrap();
        assert_eq!(parsed["jsonrpc"], "2.0");
        assert_eq!(parsed["method"], "window/logMessage");
    }

    #[test]
    fn an_edit_holding_a_credential_does_not_survive() {
        assert!(survives_cleaning("requests==2.32.3"));
        assert!(!survives_cleaning(
            "https://user:hunter2@example.com/simple"
        ));
    }
}
