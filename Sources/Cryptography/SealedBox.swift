import Foundation

/// The format of data sealed by `CryptoProvider.encrypt` (GB/T 39786 style: SM4 for confidentiality, HMAC-SM3 for
/// integrity, encrypt-then-MAC):
///
///     version (1) ‖ key id length (1) ‖ key id (1–16) ‖ IV (16) ‖ SM4-CTR ciphertext ‖ HMAC-SM3 (32)
///
/// The MAC covers every byte before it, so a changed version, key id, IV or ciphertext is refused before anything is
/// decrypted. The key id says which keyring key opens the data, so keys can be rotated.
///
/// CTR rather than CBC: no padding, hence no padding oracle, and a ciphertext exactly as long as the plaintext. Its one
/// hazard, a counter block used twice under one key, is ruled out by a random 128-bit IV per message (a 50 MB
/// attachment takes 3.3 million counter blocks out of 2^128).
///
/// Version 1 derives both keys from the key's 32-byte master key with HMAC-SM3 as a PRF over fixed labels: the SM4 key
/// is the first 16 bytes of HMAC-SM3(master, "jigai sealed-box v1 SM4") and the MAC key is
/// HMAC-SM3(master, "jigai sealed-box v1 HMAC-SM3"). A key file thus holds one secret per key, and the cipher and the
/// MAC never share a key.
public enum SealedBox {
    public static let version: UInt8 = 1
    public static let ivLength = 16
    public static let macLength = 32

    static let encryptionKeyLabel = Data("jigai sealed-box v1 SM4".utf8)
    static let authenticationKeyLabel = Data("jigai sealed-box v1 HMAC-SM3".utf8)

    /// The id of the key that sealed `sealed`, read without any key, so a keyring can pick the one that opens it.
    public static func keyID(of sealed: Data) throws -> KeyID {
        try Parts(sealed).keyID
    }

    static func header(keyID: KeyID) -> Data {
        let id = Data(keyID.rawValue.utf8)
        return Data([version, UInt8(id.count)]) + id
    }

    /// Sealed data cut into its fields; slices of the input, not copies.
    struct Parts {
        let keyID: KeyID
        let iv: Data
        let ciphertext: Data
        /// Everything the MAC covers.
        let authenticated: Data
        let mac: Data

        init(_ sealed: Data) throws {
            let start = sealed.startIndex
            guard sealed.count >= 2 else { throw CryptographyError.truncated }
            guard sealed[start] == SealedBox.version else { throw CryptographyError.unsupportedVersion(sealed[start]) }
            let idLength = Int(sealed[start + 1])
            guard sealed.count >= 2 + idLength + SealedBox.ivLength + SealedBox.macLength else { throw CryptographyError.truncated }
            let idStart = start + 2
            let ivStart = idStart + idLength
            let ciphertextStart = ivStart + SealedBox.ivLength
            let macStart = sealed.endIndex - SealedBox.macLength
            // This software never writes an id that fails to parse: such a header was altered.
            guard let text = String(bytes: sealed[idStart..<ivStart], encoding: .utf8), let keyID = KeyID(text) else {
                throw CryptographyError.authenticationFailed
            }
            self.keyID = keyID
            iv = sealed[ivStart..<ciphertextStart]
            ciphertext = sealed[ciphertextStart..<macStart]
            authenticated = sealed[start..<macStart]
            mac = sealed[macStart...]
        }
    }
}
