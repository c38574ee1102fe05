import Foundation
import Testing

@testable import Cryptography

@Suite("TOTP（RFC 6238）与 Base32（RFC 4648）")
struct TOTPTests {
    static let seeds: [TOTP.Algorithm: Data] = [
        .sha1: Data("12345678901234567890".utf8),
        .sha256: Data("12345678901234567890123456789012".utf8),
        .sha512: Data("1234567890123456789012345678901234567890123456789012345678901234".utf8),
    ]

    /// RFC 6238 appendix B: time, then the eight-digit codes for SHA-1, SHA-256 and SHA-512.
    @Test("附录 B 全部测试向量（8 位）", arguments: [
        (59, "94287082", "46119246", "90693936"),
        (1_111_111_109, "07081804", "68084774", "25091201"),
        (1_111_111_111, "14050471", "67062674", "99943326"),
        (1_234_567_890, "89005924", "91819424", "93441116"),
        (2_000_000_000, "69279037", "90698825", "38618901"),
        (20_000_000_000, "65353130", "77737706", "47863826"),
    ])
    func rfc6238(time: Int, sha1: String, sha256: String, sha512: String) {
        let date = Date(timeIntervalSince1970: TimeInterval(time))
        for (algorithm, expected) in [(TOTP.Algorithm.sha1, sha1), (.sha256, sha256), (.sha512, sha512)] {
            let parameters = TOTP.Parameters(algorithm: algorithm, digits: .eight)
            #expect(TOTP.code(secret: Self.seeds[algorithm]!, at: date, parameters: parameters) == expected, "\(algorithm)")
            #expect(TOTP.verify(code: expected, secret: Self.seeds[algorithm]!, at: date, parameters: parameters) == UInt64(time / 30))
        }
    }

    /// RFC 4226 appendix D, the six-digit HOTP values of counters 0…9: the default parameters' truncation and padding.
    @Test("RFC 4226 附录 D：6 位 HOTP")
    func rfc4226() {
        let expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
        let codes = (0..<10).map { TOTP.code(secret: Self.seeds[.sha1]!, counter: UInt64($0)) }
        #expect(codes == expected)
    }

    @Test("时间窗口：前后 1 步接受并返回所用的步，2 步拒绝；窗口放宽到 2 才接受")
    func window() {
        let secret = TOTP.generateSecret(using: provider)
        let now = Date(timeIntervalSince1970: 1_750_000_015)
        let step = TOTP.counter(at: now)
        for offset in [-1, 0, 1] {
            let code = TOTP.code(secret: secret, counter: UInt64(Int(step) + offset))
            #expect(TOTP.verify(code: code, secret: secret, at: now) == UInt64(Int(step) + offset))
        }
        for offset in [-2, 2] {
            let code = TOTP.code(secret: secret, counter: UInt64(Int(step) + offset))
            #expect(TOTP.verify(code: code, secret: secret, at: now) == nil)
            #expect(TOTP.verify(code: code, secret: secret, at: now, window: 2) == UInt64(Int(step) + offset))
        }
        #expect(TOTP.verify(code: TOTP.code(secret: secret, counter: step + 1), secret: secret, at: now, window: 0) == nil)
    }

    @Test("已用过的步被拒绝（防重放），后面的步仍可用")
    func replay() throws {
        let secret = TOTP.generateSecret(using: provider)
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let code = TOTP.code(secret: secret, at: now)
        let used = try #require(TOTP.verify(code: code, secret: secret, at: now))
        #expect(TOTP.verify(code: code, secret: secret, at: now, lastUsedCounter: used) == nil)
        #expect(TOTP.verify(code: code, secret: secret, at: now.addingTimeInterval(30), lastUsedCounter: used) == nil)
        let next = TOTP.code(secret: secret, counter: used + 1)
        #expect(TOTP.verify(code: next, secret: secret, at: now, lastUsedCounter: used) == used + 1)
    }

    @Test("输入的空格忽略、全角数字可用；位数不对、非数字、别的密钥拒绝")
    func malformedCodes() {
        let secret = Self.seeds[.sha1]!
        let date = Date(timeIntervalSince1970: 59)
        let code = TOTP.code(secret: secret, at: date)
        #expect(code == "287082")
        #expect(TOTP.verify(code: " 287 082 ", secret: secret, at: date) == 1)
        #expect(TOTP.verify(code: "２８７０８２", secret: secret, at: date) == 1)
        for wrong in ["28708", "2870820", "28708a", "٢٨٧٠٨٢", ""] {
            #expect(TOTP.verify(code: wrong, secret: secret, at: date) == nil, "\(wrong)")
        }
        #expect(TOTP.verify(code: code, secret: Self.seeds[.sha256]!, at: date) == nil)
        #expect(TOTP.generateSecret(using: provider).count == 20)
    }

    @Test("otpauth URI：标签和发行方按 UTF-8 百分号编码，密钥为无填充 Base32")
    func provisioningURI() throws {
        let uri = TOTP.provisioningURI(secret: Data("foobar".utf8), account: "张三@示例企业")
        #expect(uri == "otpauth://totp/%E6%99%8B%E6%8A%80%E6%94%B9:%E5%BC%A0%E4%B8%89%40%E7%A4%BA%E4%BE%8B%E4%BC%81%E4%B8%9A"
            + "?secret=MZXW6YTBOI&issuer=%E6%99%8B%E6%8A%80%E6%94%B9&algorithm=SHA1&digits=6&period=30")
        let components = try #require(URLComponents(string: uri))
        #expect(components.path == "/晋技改:张三@示例企业")
        #expect(components.queryItems?.first { $0.name == "issuer" }?.value == "晋技改")
        let sha256 = TOTP.provisioningURI(secret: Data([1]), account: "a b&c", issuer: "x", parameters: .init(algorithm: .sha256, digits: .eight))
        #expect(sha256 == "otpauth://totp/x:a%20b%26c?secret=AE&issuer=x&algorithm=SHA256&digits=8&period=30")
    }

    @Test("Base32 RFC 4648 第 10 节测试向量：编码无填充，解码接受填充、小写和空格", arguments: [
        ("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="),
        ("foob", "MZXW6YQ="), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI======"),
    ])
    func base32(plain: String, encoded: String) {
        let unpadded = encoded.replacingOccurrences(of: "=", with: "")
        #expect(Base32.encode(Data(plain.utf8)) == unpadded)
        #expect(Base32.decode(encoded) == Data(plain.utf8))
        #expect(Base32.decode(unpadded) == Data(plain.utf8))
        #expect(Base32.decode(unpadded.lowercased()) == Data(plain.utf8))
    }

    @Test("Base32 随机往返；非法字符和不可能的长度返回 nil")
    func base32RoundTripAndErrors() {
        for length in 0..<64 {
            let data = provider.randomBytes(length)
            #expect(Base32.decode(Base32.encode(data)) == data)
        }
        #expect(Base32.decode("MZXW 6YTB OI") == Data("foobar".utf8))
        for invalid in ["M", "MZX", "MZXW6Y", "MZ1W", "MZ0W", "MZ=XW", "MZXW6YTB8", "密钥"] {
            #expect(Base32.decode(invalid) == nil, "\(invalid)")
        }
    }
}
