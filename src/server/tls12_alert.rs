//! The alert for a client that sends no certificate, per TLS version.
//!
//! rustls 0.23.48 rejects an empty client Certificate message with the
//! `certificate_required` alert (116) under TLS 1.2 as well as TLS 1.3,
//! whatever the verifier returns: the alert is fixed in its handshake code.
//! Alert 116 exists only in TLS 1.3 (RFC 8446 6.2). Under TLS 1.2 an
//! OpenSSL server that requires a client certificate sends
//! `handshake_failure` (40) instead, as RFC 5246 7.4.6 allows.
//!
//! [`AlertRewriter`] wraps the TCP stream under rustls and replaces that
//! one record on its way out. Under TLS 1.2 the client's Certificate message
//! arrives before ChangeCipherSpec, so rustls sends the alert as a plaintext
//! record: `15 03 03 00 02 02 74`. Under TLS 1.3 the alert is encrypted and
//! never matches, so it reaches the client unchanged.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// A plaintext TLS 1.2 alert record: fatal `certificate_required`.
const CERTIFICATE_REQUIRED_RECORD: [u8; 7] = [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 116];

/// The same record with fatal `handshake_failure`.
const HANDSHAKE_FAILURE_RECORD: [u8; 7] = [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 40];

/// A stream that sends `handshake_failure` in place of a plaintext
/// `certificate_required` alert and records that it did.
#[derive(Debug)]
pub struct AlertRewriter<S> {
    inner: S,
    /// Bytes of the rewritten record already written, when a write was partial.
    written_of_record: usize,
    rewritten: bool,
}

impl<S> AlertRewriter<S> {
    pub fn new(inner: S) -> AlertRewriter<S> {
        AlertRewriter {
            inner,
            written_of_record: 0,
            rewritten: false,
        }
    }

    /// True when the stream sent `handshake_failure` for a missing client
    /// certificate, which happens only under TLS 1.2.
    pub fn rewrote_certificate_required(&self) -> bool {
        self.rewritten
    }

    /// Returns the replacement for the start of `buf` when it continues the
    /// TLS 1.2 `certificate_required` record from `written_of_record` on.
    fn replacement(&self, buf: &[u8]) -> Option<&'static [u8]> {
        let rest = CERTIFICATE_REQUIRED_RECORD.get(self.written_of_record..)?;
        if rest.is_empty() || !buf.starts_with(rest) {
            return None;
        }
        HANDSHAKE_FAILURE_RECORD.get(self.written_of_record..)
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for AlertRewriter<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for AlertRewriter<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let Some(replacement) = self.replacement(buf) else {
            self.written_of_record = 0;
            return Pin::new(&mut self.inner).poll_write(cx, buf);
        };

        let written = match Pin::new(&mut self.inner).poll_write(cx, replacement) {
            Poll::Ready(Ok(written)) => written,
            other => return other,
        };
        self.rewritten = true;
        self.written_of_record += written;
        if self.written_of_record >= CERTIFICATE_REQUIRED_RECORD.len() {
            self.written_of_record = 0;
        }
        Poll::Ready(Ok(written))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    async fn written_through(chunks: &[&[u8]]) -> (Vec<u8>, bool) {
        let mut stream = AlertRewriter::new(Vec::new());
        for chunk in chunks {
            stream.write_all(chunk).await.expect("writing to a Vec");
        }
        let rewritten = stream.rewrote_certificate_required();
        (stream.inner, rewritten)
    }

    #[tokio::test]
    async fn plaintext_certificate_required_becomes_handshake_failure() {
        let (bytes, rewritten) = written_through(&[&CERTIFICATE_REQUIRED_RECORD]).await;
        assert_eq!(bytes, HANDSHAKE_FAILURE_RECORD);
        assert!(rewritten);
    }

    #[tokio::test]
    async fn other_records_pass_unchanged() {
        let bad_certificate = [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 42];
        let application_data = [0x17, 0x03, 0x03, 0x00, 0x02, 0x02, 116];
        let (bytes, rewritten) = written_through(&[&bad_certificate, &application_data]).await;
        assert_eq!(bytes, [bad_certificate, application_data].concat());
        assert!(!rewritten);
    }
}
