import CLibCrypto
import Foundation

/// The libcrypto algorithms, fetched once from OpenSSL 3's default provider. OpenSSL documents fetched algorithm
/// objects as immutable and shareable between threads; every operation below makes its own context.
final class LibCrypto: @unchecked Sendable {
    static let sm4KeyLength = 16
    static let sm4BlockLength = 16

    private let sm3: OpaquePointer
    private let sha256: OpaquePointer
    private let sm4CTRCipher: OpaquePointer
    private let hmac: OpaquePointer

    init() throws {
        let sm3 = EVP_MD_fetch(nil, "SM3", nil)
        let sha256 = EVP_MD_fetch(nil, "SHA2-256", nil)
        let sm4CTRCipher = EVP_CIPHER_fetch(nil, "SM4-CTR", nil)
        let hmac = EVP_MAC_fetch(nil, "HMAC", nil)
        guard let sm3, let sha256, let sm4CTRCipher, let hmac else {
            let missing = [("SM3", sm3 == nil), ("SHA-256", sha256 == nil), ("SM4-CTR", sm4CTRCipher == nil), ("HMAC", hmac == nil)]
                .filter(\.1).map(\.0).joined(separator: "、")
            EVP_MD_free(sm3)
            EVP_MD_free(sha256)
            EVP_CIPHER_free(sm4CTRCipher)
            EVP_MAC_free(hmac)
            throw CryptographyError.library("OpenSSL 缺少 \(missing)（\(Self.lastError())）")
        }
        self.sm3 = sm3
        self.sha256 = sha256
        self.sm4CTRCipher = sm4CTRCipher
        self.hmac = hmac
    }

    deinit {
        EVP_MD_free(sm3)
        EVP_MD_free(sha256)
        EVP_CIPHER_free(sm4CTRCipher)
        EVP_MAC_free(hmac)
    }

    func makeHasher(_ algorithm: DigestAlgorithm) -> Hasher {
        Hasher(library: self, digest: algorithm == .sm3 ? sm3 : sha256)
    }

    /// SM4 in counter mode, the IV being the first counter block. Encryption and decryption are the same operation.
    func sm4CTR(key: Data, iv: Data, _ input: Data) -> Data {
        precondition(key.count == Self.sm4KeyLength && iv.count == Self.sm4BlockLength, "SM4 的密钥和 IV 都是 16 字节")
        guard let context = EVP_CIPHER_CTX_new() else { Self.fail("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        let initialised = key.withUnsafeBytes { key in
            iv.withUnsafeBytes { iv in EVP_EncryptInit_ex2(context, sm4CTRCipher, key.bytes, iv.bytes, nil) }
        }
        Self.check(initialised, "EVP_EncryptInit_ex2")
        var output = Data(count: input.count)
        guard !input.isEmpty else { return output }
        input.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { output in
                // EVP lengths are C ints: feed the data in pieces well under 2 GiB.
                let chunk = 1 << 24
                var offset = 0
                while offset < input.count {
                    let length = min(chunk, input.count - offset)
                    var written: Int32 = 0
                    Self.check(EVP_EncryptUpdate(context, output.mutableBytes! + offset, &written, input.bytes! + offset, Int32(length)),
                               "EVP_EncryptUpdate")
                    precondition(Int(written) == length, "CTR 模式的输出与输入等长")
                    offset += length
                }
                var tail: Int32 = 0
                Self.check(EVP_EncryptFinal_ex(context, output.mutableBytes! + offset, &tail), "EVP_EncryptFinal_ex")
            }
        }
        return output
    }

    func hmacSM3(key: Data, _ message: Data) -> Data {
        guard let context = EVP_MAC_CTX_new(hmac) else { Self.fail("EVP_MAC_CTX_new") }
        defer { EVP_MAC_CTX_free(context) }
        // OSSL_PARAM keeps pointers to its name and value, so both must live until EVP_MAC_init has read them.
        let initialised = OSSL_MAC_PARAM_DIGEST.withCString { name in
            "SM3".withCString { digest in
                var parameters = [
                    OSSL_PARAM_construct_utf8_string(name, UnsafeMutablePointer(mutating: digest), 0),
                    OSSL_PARAM_construct_end(),
                ]
                return key.withUnsafeBytes { key in EVP_MAC_init(context, key.bytes, key.count, &parameters) }
            }
        }
        Self.check(initialised, "EVP_MAC_init")
        Self.check(message.withUnsafeBytes { EVP_MAC_update(context, $0.bytes, $0.count) }, "EVP_MAC_update")
        var mac = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length = 0
        Self.check(EVP_MAC_final(context, &mac, &length, mac.count), "EVP_MAC_final")
        return Data(mac.prefix(length))
    }

    /// Compares MACs in time independent of where they differ, so a forger learns nothing from how fast a guess fails.
    func constantTimeEqual(_ left: Data, _ right: Data) -> Bool {
        guard left.count == right.count else { return false }
        return left.withUnsafeBytes { left in
            right.withUnsafeBytes { right in CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0 }
        }
    }

    /// Stops the process when the system generator fails: continuing with predictable keys or IVs would be worse.
    func randomBytes(_ count: Int) -> Data {
        var bytes = Data(count: count)
        guard count > 0 else { return bytes }
        let filled = bytes.withUnsafeMutableBytes { RAND_bytes($0.mutableBytes, Int32(count)) }
        Self.check(filled, "RAND_bytes")
        return bytes
    }

    /// A digest in progress, on its own EVP_MD_CTX.
    final class Hasher: IncrementalHasher {
        // Keeps the fetched digest alive as long as the context uses it.
        private let library: LibCrypto
        private let context: OpaquePointer
        private var finished = false

        fileprivate init(library: LibCrypto, digest: OpaquePointer) {
            self.library = library
            guard let context = EVP_MD_CTX_new() else { LibCrypto.fail("EVP_MD_CTX_new") }
            LibCrypto.check(EVP_DigestInit_ex2(context, digest, nil), "EVP_DigestInit_ex2")
            self.context = context
        }

        deinit { EVP_MD_CTX_free(context) }

        func update(_ bytes: UnsafeRawBufferPointer) {
            precondition(!finished, "摘要已经计算完毕，不能再追加数据")
            LibCrypto.check(EVP_DigestUpdate(context, bytes.baseAddress, bytes.count), "EVP_DigestUpdate")
        }

        func finalize() -> Data {
            precondition(!finished, "摘要已经计算完毕")
            finished = true
            var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            LibCrypto.check(EVP_DigestFinal_ex(context, &digest, &length), "EVP_DigestFinal_ex")
            return Data(digest.prefix(Int(length)))
        }
    }

    /// With algorithms fetched at start-up, these calls fail only when memory runs out; there is no way on from there.
    fileprivate static func check(_ result: Int32, _ call: String) {
        if result != 1 { fail(call) }
    }

    fileprivate static func fail(_ call: String) -> Never {
        fatalError("OpenSSL \(call) 失败：\(lastError())")
    }

    private static func lastError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "没有错误信息" }
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension UnsafeRawBufferPointer {
    /// The bytes as libcrypto's `const unsigned char *`.
    fileprivate var bytes: UnsafePointer<UInt8>? { baseAddress?.assumingMemoryBound(to: UInt8.self) }
}

extension UnsafeMutableRawBufferPointer {
    fileprivate var mutableBytes: UnsafeMutablePointer<UInt8>? { baseAddress?.assumingMemoryBound(to: UInt8.self) }
}
