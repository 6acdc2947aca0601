import SparkLedgerCore
import Testing

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(SHA256.hash(Array(repeating: UInt8(ascii: "a"), count: 1_000_000)))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func chunkingDoesNotMatter() {
        let data = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = SHA256.hash(data)
        for size in [1, 3, 63, 64, 65, 1000] {
            var hasher = SHA256()
            var offset = 0
            while offset < data.count {
                hasher.update(Array(data[offset..<min(data.count, offset + size)]))
                offset += size
            }
            #expect(hasher.finalize() == whole, "chunks of \(size)")
        }
    }
}

@Suite struct RowHashTests {
    @Test func everySingleByteChangeChangesTheHash() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 200] {
            let original = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let reference = RowHash.hash(original)
            #expect(RowHash.hash(original) == reference)
            for index in 0..<length {
                var changed = original
                changed[index] ^= UInt8.random(in: 1...255, using: &generator)
                #expect(RowHash.hash(changed) != reference, "length \(length), byte \(index)")
            }
            // Appending a zero byte is a different input too.
            #expect(RowHash.hash(original + [0]) != reference)
        }
    }

    @Test func isStable() {
        #expect(RowHash.hash(Array("sparkledger".utf8)) == RowHash.hash(Array("sparkledger".utf8)))
        #expect(RowHash.hash([]) != RowHash.hash([0]))
    }

    /// The word stream the digest of a row uses: any changed word, any changed byte of a byte
    /// string, and one more word (even zero) change the result.
    @Test func theStreamChangesWithEveryWordAndByte() {
        func hash(_ words: [UInt64], _ bytes: [UInt8]) -> UInt64 {
            var stream = RowHash.Stream()
            for word in words { stream.add(word) }
            bytes.withUnsafeBytes { stream.add($0) }
            return stream.finish()
        }
        var generator = SystemRandomNumberGenerator()
        let words = (0..<9).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) }
        for length in [0, 1, 7, 8, 9, 17] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let reference = hash(words, bytes)
            #expect(hash(words, bytes) == reference)
            for index in words.indices {
                var changed = words
                changed[index] ^= 1 << UInt64.random(in: 0...63, using: &generator)
                #expect(hash(changed, bytes) != reference, "word \(index)")
            }
            for index in bytes.indices {
                var changed = bytes
                changed[index] ^= UInt8.random(in: 1...255, using: &generator)
                #expect(hash(words, changed) != reference, "length \(length), byte \(index)")
            }
            #expect(hash(words + [0], bytes) != reference)
        }
        #expect(hash([], []) != hash([0], []))
    }
}
