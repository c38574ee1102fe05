import Foundation

/// The software implementation of `CryptoProvider`, through the system's OpenSSL 3 libcrypto.
public struct OpenSSLProvider: CryptoProvider {
    let library: LibCrypto

    /// Fetches the algorithms once and throws when this libcrypto lacks SM3 or SM4 (say, a FIPS-only configuration),
    /// so a misconfigured server stops at start-up rather than at the first upload.
    public init() throws {
        library = try LibCrypto()
    }

    public func digest(_ data: Data, algorithm: DigestAlgorithm) -> Data {
        let hasher = library.makeHasher(algorithm)
        hasher.update(data)
        return hasher.finalize()
    }

    public func makeHasher(_ algorithm: DigestAlgorithm) -> any IncrementalHasher {
        library.makeHasher(algorithm)
    }

    public func encrypt(_ plaintext: Data, key: SymmetricKeyMaterial) -> Data {
        let keys = subkeys(of: key)
        let iv = randomBytes(SealedBox.ivLength)
        var sealed = SealedBox.header(keyID: key.id)
        sealed.reserveCapacity(sealed.count + iv.count + plaintext.count + SealedBox.macLength)
        sealed.append(iv)
        sealed.append(library.sm4CTR(key: keys.encryption, iv: iv, plaintext))
        sealed.append(library.hmacSM3(key: keys.authentication, sealed))
        return sealed
    }

    public func decrypt(_ sealed: Data, key: SymmetricKeyMaterial) throws -> Data {
        let parts = try SealedBox.Parts(sealed)
        guard parts.keyID == key.id else { throw CryptographyError.keyMismatch(expected: key.id, found: parts.keyID) }
        let keys = subkeys(of: key)
        guard library.constantTimeEqual(library.hmacSM3(key: keys.authentication, parts.authenticated), parts.mac) else {
            throw CryptographyError.authenticationFailed
        }
        return library.sm4CTR(key: keys.encryption, iv: parts.iv, parts.ciphertext)
    }

    public func randomBytes(_ count: Int) -> Data {
        library.randomBytes(count)
    }

    /// The SM4 and HMAC-SM3 keys of a master key, as `SealedBox` defines them.
    private func subkeys(of key: SymmetricKeyMaterial) -> (encryption: Data, authentication: Data) {
        (Data(library.hmacSM3(key: key.masterKey, SealedBox.encryptionKeyLabel).prefix(LibCrypto.sm4KeyLength)),
         library.hmacSM3(key: key.masterKey, SealedBox.authenticationKeyLabel))
    }
}
