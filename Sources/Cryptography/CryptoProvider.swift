import Foundation

/// The digests the application takes: SHA-256 where other systems check the value, SM3 where the commercial
/// cryptography assessment (GB/T 39786) asks for a national algorithm.
public enum DigestAlgorithm: String, Sendable, CaseIterable {
    case sha256
    case sm3
}

/// Hashes data that arrives in pieces, so a large upload streamed to disk is never held whole for its digest.
public protocol IncrementalHasher: AnyObject {
    func update(_ bytes: UnsafeRawBufferPointer)
    /// The digest of everything passed to `update`; the hasher cannot be used afterwards.
    func finalize() -> Data
}

extension IncrementalHasher {
    public func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }
}

/// Where the application's cryptography happens, so a certified device (密码机) can take the place of the software
/// implementation (`OpenSSLProvider`) without any caller changing.
public protocol CryptoProvider: Sendable {
    func digest(_ data: Data, algorithm: DigestAlgorithm) -> Data
    func makeHasher(_ algorithm: DigestAlgorithm) -> any IncrementalHasher
    /// Seals `plaintext` in the authenticated format described by `SealedBox`, under `key`.
    func encrypt(_ plaintext: Data, key: SymmetricKeyMaterial) throws -> Data
    /// Opens data sealed under `key`, refusing it unless its MAC verifies.
    func decrypt(_ sealed: Data, key: SymmetricKeyMaterial) throws -> Data
    /// Bytes from a cryptographically secure generator, for IVs, keys, TOTP secrets and recovery codes.
    func randomBytes(_ count: Int) -> Data
}
