//! TLS for PostgreSQL connections: rustls (ring), configured for libpq's `sslmode` values.
//!
//! rust-postgres knows only `disable`, `prefer` and `require`: whether TLS is asked for. What is
//! checked once it is on is the verifier's business, chosen here:
//! - root certificates given (a file, or `system`) and `verify-full`: the chain and the host name
//!   ([`rustls::client::WebPkiServerVerifier`]);
//! - root certificates given, any other mode (`verify-ca`, and `require`/`prefer` where a root
//!   file exists, as libpq): the chain, not the name ([`ChainOnly`]);
//! - no root certificates (`require`, `prefer`): any certificate, but the handshake's signatures
//!   are still checked against the certificate the server sent ([`AnyCertificate`]) — encryption
//!   against a passive listener, nothing more, as libpq.
//!
//! Rules: files are read by the caller's functions here ([`roots_from_pem`], [`system_roots`],
//! [`client_identity`]) and refused with a message that says what to give; the crypto provider
//! is always ring, named explicitly, never the process default.

use std::path::Path;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::i18n::Msg;
use crate::msg;

/// What the server's certificate is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Any certificate (no root certificates).
    Nothing,
    /// The chain up to a root, not the name.
    Chain,
    /// The chain and the host name.
    ChainAndName,
}

/// A client certificate and its key, for `cert` authentication.
#[derive(Debug)]
pub struct Identity {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The connector rust-postgres uses for TLS: `check` against `roots` (ignored for
/// [`Check::Nothing`]; required otherwise), presenting `identity` if there is one.
pub fn connector(
    check: Check,
    roots: Option<RootCertStore>,
    identity: Option<Identity>,
) -> Result<MakeRustlsConnect, Msg> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| msg!("TLS cannot be set up: {e}", "无法设置 TLS：{e}"))?;
    let verifier: Arc<dyn ServerCertVerifier> = match (check, roots) {
        (Check::Nothing, _) => Arc::new(AnyCertificate(provider.signature_verification_algorithms)),
        (check, Some(roots)) => {
            let full = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| {
                    msg!(
                        "the root certificates cannot be used: {e}",
                        "根证书无法使用：{e}"
                    )
                })?;
            if check == Check::ChainAndName {
                full
            } else {
                Arc::new(ChainOnly(full))
            }
        }
        (_, None) => {
            return Err(msg!(
                "verifying the server's certificate needs root certificates: give sslrootcert=FILE (or sslrootcert=system)",
                "校验服务器证书需要根证书：请给出 sslrootcert=文件（或 sslrootcert=system）"
            ));
        }
    };
    let builder = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let config = match identity {
        None => builder.with_no_client_auth(),
        Some(id) => builder
            .with_client_auth_cert(id.chain, id.key)
            .map_err(|e| {
                msg!(
                    "the client certificate and key cannot be used together: {e}",
                    "客户端证书与私钥无法配合使用：{e}"
                )
            })?,
    };
    Ok(MakeRustlsConnect::new(config))
}

/// The certificates of a PEM file, as roots.
pub fn roots_from_pem(path: &Path) -> Result<RootCertStore, Msg> {
    let shown = path.display();
    let certs = certificates(path)?;
    let mut roots = RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(certs);
    if added == 0 {
        return Err(msg!(
            "the root certificate file {shown} holds no certificate rustls can use: give a PEM file of CA certificates",
            "根证书文件 {shown} 中没有可用的证书：请给出 PEM 格式的 CA 证书文件"
        ));
    }
    Ok(roots)
}

/// The system's trusted roots (`sslrootcert=system`).
pub fn system_roots() -> Result<RootCertStore, Msg> {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        return Err(msg!(
            "sslrootcert=system, but the system has no trusted root certificates (install ca-certificates, or give sslrootcert=FILE)",
            "sslrootcert=system，但系统中没有受信任的根证书（请安装 ca-certificates，或给出 sslrootcert=文件）"
        ));
    }
    Ok(roots)
}

/// A client certificate chain and its private key, both PEM.
pub fn client_identity(cert: &Path, key: &Path) -> Result<Identity, Msg> {
    let chain = certificates(cert)?;
    if chain.is_empty() {
        let shown = cert.display();
        return Err(msg!(
            "the client certificate file {shown} holds no certificate: give a PEM file",
            "客户端证书文件 {shown} 中没有证书：请给出 PEM 格式文件"
        ));
    }
    let shown = key.display();
    let bytes = std::fs::read(key).map_err(|e| {
        msg!(
            "the client key {shown} cannot be read: {e}",
            "无法读取客户端私钥 {shown}：{e}"
        )
    })?;
    let key = rustls_pemfile::private_key(&mut bytes.as_slice())
        .ok()
        .flatten()
        .ok_or_else(|| {
            msg!(
                "the client key {shown} holds no private key: give a PEM file (PKCS#8, PKCS#1 or SEC1)",
                "客户端私钥文件 {shown} 中没有私钥：请给出 PEM 格式文件（PKCS#8、PKCS#1 或 SEC1）"
            )
        })?;
    Ok(Identity { chain, key })
}

fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, Msg> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| {
        msg!(
            "the certificate file {shown} cannot be read: {e}",
            "无法读取证书文件 {shown}：{e}"
        )
    })?;
    rustls_pemfile::certs(&mut bytes.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            msg!(
                "the certificate file {shown} is not PEM: {e}",
                "证书文件 {shown} 不是 PEM 格式：{e}"
            )
        })
}

/// `verify-ca`: the chain must lead to a root; the name may be anything.
#[derive(Debug)]
pub struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // webpki checks the chain first and the name last: a name error means the chain passed.
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// `require` without a root: any certificate, but the server must hold its key (the handshake's
/// signatures are verified).
#[derive(Debug)]
pub struct AnyCertificate(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}
