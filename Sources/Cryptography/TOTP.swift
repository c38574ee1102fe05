import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238), the second factor of a login, computed as authenticator apps compute them.
public enum TOTP {
    /// Authenticator apps count time in 30-second steps; few honour another period, so it is fixed.
    public static let period: TimeInterval = 30
    /// 20 bytes (160 bits), the secret length RFC 4226 recommends for HMAC-SHA1.
    public static let secretLength = 20

    public enum Algorithm: String, Sendable, CaseIterable {
        case sha1 = "SHA1"
        case sha256 = "SHA256"
        case sha512 = "SHA512"
    }

    public enum Digits: Int, Sendable, CaseIterable {
        case six = 6
        case eight = 8
    }

    /// HMAC-SHA1 and six digits, the default every authenticator app supports.
    public struct Parameters: Sendable, Hashable {
        public var algorithm: Algorithm
        public var digits: Digits

        public init(algorithm: Algorithm = .sha1, digits: Digits = .six) {
            self.algorithm = algorithm
            self.digits = digits
        }
    }

    public static func generateSecret(using provider: any CryptoProvider) -> Data {
        provider.randomBytes(secretLength)
    }

    /// The time step containing `date`, counted from the Unix epoch.
    public static func counter(at date: Date) -> UInt64 {
        UInt64(max(0, date.timeIntervalSince1970) / period)
    }

    public static func code(secret: Data, at date: Date, parameters: Parameters = Parameters()) -> String {
        code(secret: secret, counter: counter(at: date), parameters: parameters)
    }

    /// The HOTP value (RFC 4226) of one time step, left-padded with zeros.
    public static func code(secret: Data, counter: UInt64, parameters: Parameters = Parameters()) -> String {
        let message = withUnsafeBytes(of: counter.bigEndian) { Data($0) }
        let key = SymmetricKey(data: secret)
        let mac: [UInt8] = switch parameters.algorithm {
        case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        case .sha256: Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .sha512: Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
        }
        // RFC 4226 §5.3 dynamic truncation: 31 bits from the offset the last nibble gives.
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let truncated = mac[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } & 0x7fff_ffff
        var modulus: UInt32 = 1
        for _ in 0..<parameters.digits.rawValue { modulus *= 10 }
        let digits = String(truncated % modulus)
        return String(repeating: "0", count: parameters.digits.rawValue - digits.count) + digits
    }

    /// Checks a code typed at `date` against the steps within `window` steps of it (clock drift and typing time), and
    /// returns the step it matched, or nil. The caller stores that step and passes it back as `lastUsedCounter`, which
    /// refuses the step and earlier ones, so an observed code cannot be replayed.
    public static func verify(code: String, secret: Data, at date: Date, window: Int = 1, lastUsedCounter: UInt64? = nil,
                              parameters: Parameters = Parameters()) -> UInt64? {
        precondition(window >= 0, "时间窗口不能为负")
        // Full-width digits, as a Chinese input method may type them, count as digits.
        let typed = code.folding(options: .widthInsensitive, locale: nil).filter { !$0.isWhitespace }
        guard typed.count == parameters.digits.rawValue, typed.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let now = Int64(counter(at: date))
        for step in max(0, now - Int64(window))...(now + Int64(window)) {
            let candidate = UInt64(step)
            if let lastUsedCounter, candidate <= lastUsedCounter { continue }
            if constantTimeEqual(Self.code(secret: secret, counter: candidate, parameters: parameters), typed) {
                return candidate
            }
        }
        return nil
    }

    /// The otpauth:// URI an authenticator app reads from the enrolment QR code (Key Uri Format); the app lists the
    /// account as “issuer:account”.
    public static func provisioningURI(secret: Data, account: String, issuer: String = "晋技改",
                                       parameters: Parameters = Parameters()) -> String {
        let label = percentEncoded(issuer) + ":" + percentEncoded(account)
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(percentEncoded(issuer))"
            + "&algorithm=\(parameters.algorithm.rawValue)&digits=\(parameters.digits.rawValue)&period=\(Int(period))"
    }

    /// Encodes every byte of the UTF-8 form but the RFC 3986 unreserved characters. (CharacterSet.alphanumerics would
    /// leave Chinese characters unencoded on some platforms.)
    private static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80, character.isLetter || character.isNumber || "-._~".contains(character) {
                encoded.append(character)
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }

    private static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let left = Array(left.utf8), right = Array(right.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
