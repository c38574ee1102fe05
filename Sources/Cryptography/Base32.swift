import Foundation

/// RFC 4648 base32, the form in which authenticator apps take a TOTP secret, typed by hand or read from a QR code.
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Upper case without `=` padding, as otpauth URIs carry it.
    public static func encode(_ data: Data) -> String {
        var text: [UInt8] = []
        text.reserveCapacity((data.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in data {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                text.append(alphabet[Int(buffer >> UInt32(bits) & 0x1f)])
            }
        }
        if bits > 0 {
            text.append(alphabet[Int(buffer << UInt32(5 - bits) & 0x1f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Accepts lower case, spaces and trailing `=` padding, as a secret copied from elsewhere may have them; nil for
    /// any other character or for a length no encoding produces.
    public static func decode(_ text: String) -> Data? {
        var characters = Array(text.utf8.filter { $0 != UInt8(ascii: " ") })
        while characters.last == UInt8(ascii: "=") { characters.removeLast() }
        var data = Data()
        data.reserveCapacity(characters.count * 5 / 8)
        var buffer: UInt32 = 0
        var bits = 0
        for character in characters {
            let upper = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(character) ? character - 32 : character
            guard let value = alphabet.firstIndex(of: upper) else { return nil }
            buffer = buffer << 5 | UInt32(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                data.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        // Five or more bits left over means a character that carries no byte: lengths 1, 3 or 6 modulo 8.
        return bits < 5 ? data : nil
    }
}
