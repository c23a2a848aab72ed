// Snappy through libsnappy: raw blocks, and the framing format of Firefox's external
// IndexedDB value files (stream identifier, compressed and uncompressed chunks, skippable
// chunks skipped, reserved ones refused, truncation named with its byte offset).

#include "browser/snappydecode.h"

#include <QTest>

using namespace tfjs;

namespace {

// "abcabcabc" as snappy: length 9, literal "abc", copy of 6 bytes from offset 3.
const QByteArray kBlock = QByteArray::fromHex("0908616263" "0903");
const QByteArray kIdentifier = QByteArray::fromHex("ff060000") + QByteArray("sNaPpY");
const QByteArray kCrc = QByteArray::fromHex("00000000"); // not checked

QByteArray chunk(quint8 type, const QByteArray &body)
{
    const qsizetype size = body.size();
    return QByteArray(1, char(type)) + char(size & 0xFF) + char((size >> 8) & 0xFF)
           + char((size >> 16) & 0xFF) + body;
}

} // namespace

class TestSnappyDecode : public QObject
{
    Q_OBJECT

private slots:
    void rawBlock()
    {
        auto out = snappyUncompress(kBlock, QStringLiteral("r"));
        QVERIFY(out);
        QCOMPARE(*out, QByteArray("abcabcabc"));
        auto empty = snappyUncompress(QByteArray::fromHex("00"), QStringLiteral("r"));
        QVERIFY(empty);
        QCOMPARE(*empty, QByteArray());
    }

    void corruptRawBlock_data()
    {
        QTest::addColumn<QByteArray>("block");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("truncated") << kBlock.left(4);
        QTest::newRow("copy before the start") << QByteArray::fromHex("0908616263" "0909");
        QTest::newRow("longer than said") << QByteArray::fromHex("0208616263");
    }
    void corruptRawBlock()
    {
        QFETCH(QByteArray, block);
        auto out = snappyUncompress(block, QStringLiteral("rec"));
        QVERIFY(!out);
        QCOMPARE(out.error().code, ErrorCode::Format);
        QCOMPARE(out.error().path, QStringLiteral("rec"));
        QVERIFY2(out.error().message.startsWith(QStringLiteral("rec: the %1 bytes are not valid "
                                                               "snappy-compressed data")
                                                    .arg(block.size())),
                 qPrintable(out.error().message));
    }

    // Found by fuzz_snappydecode (fuzz/regressions/snappydecode/): a 5-byte varint claimed 4 GiB
    // and was allocated before the block was read.
    void rawBlockClaimsTooMuch()
    {
        const QByteArray block = QByteArray::fromHex("ffffffff0f00");
        auto out = snappyUncompress(block, QStringLiteral("rec"));
        QVERIFY(!out);
        QCOMPARE(out.error().code, ErrorCode::Format);
        QCOMPARE(out.error().message,
                 QStringLiteral("rec: the 6 snappy-compressed bytes claim 4294967295 uncompressed "
                                "bytes, more than 22 times their size, which snappy never writes."));
        // The most a block expands to still decodes: 64 bytes from a 3-byte copy.
        const QByteArray copies = QByteArray::fromHex("8101" "0061" "fe0100" "fe0100");
        auto expanded = snappyUncompress(copies, QStringLiteral("rec"));
        QVERIFY2(expanded, qPrintable(expanded ? QString() : expanded.error().message));
        QCOMPARE(*expanded, QByteArray(129, 'a'));
    }

    void framed()
    {
        const QByteArray stream = kIdentifier + chunk(0x00, kCrc + kBlock)
                                  + chunk(0xfe, QByteArray(3, '\0')) // padding
                                  + chunk(0x01, kCrc + QByteArray("xyz"))
                                  + chunk(0x80, QByteArray("skip me")) + kIdentifier
                                  + chunk(0x01, kCrc);
        auto out = snappyUnframe(stream, QStringLiteral("f"));
        QVERIFY2(out, qPrintable(out ? QString() : out.error().message));
        QCOMPARE(*out, QByteArray("abcabcabcxyz"));
    }

    void frameChunks()
    {
        // The same stream indexed: where each data chunk's payload is and where it goes.
        const QByteArray stream = kIdentifier + chunk(0x00, kCrc + kBlock)
                                  + chunk(0xfe, QByteArray(3, '\0'))
                                  + chunk(0x01, kCrc + QByteArray("xyz"));
        auto chunks = snappyFrameChunks(stream, QStringLiteral("f"));
        QVERIFY(chunks);
        QCOMPARE(chunks->size(), size_t(2));
        const SnappyChunk &first = chunks->at(0), &second = chunks->at(1);
        QCOMPARE(first.in, qint64(10 + 8));
        QCOMPARE(first.inSize, qint64(kBlock.size()));
        QCOMPARE(first.out, qint64(0));
        QCOMPARE(first.outSize, qint64(9));
        QVERIFY(first.compressed);
        QCOMPARE(second.in, qint64(10 + 8 + kBlock.size() + 4 + 3 + 8));
        QCOMPARE(second.out, qint64(9));
        QCOMPARE(second.outSize, qint64(3));
        QVERIFY(!second.compressed);
        QByteArray out(9, '.');
        QVERIFY(snappyChunkInto(stream, first, out.data(), QStringLiteral("f")));
        QCOMPARE(out, QByteArray("abcabcabc"));
    }

    void framedLargeChunks()
    {
        const QByteArray full(65536, 'q');
        const QByteArray stream = kIdentifier + chunk(0x01, kCrc + full);
        auto out = snappyUnframe(stream, QStringLiteral("f"));
        QVERIFY(out);
        QCOMPARE(out->size(), 65536);
    }

    void framedRefused_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QString>("message");
        QTest::addColumn<qint64>("offset");
        const QByteArray good = kIdentifier + chunk(0x00, kCrc + kBlock);
        QTest::newRow("empty") << QByteArray() << "f: the snappy stream is empty." << qint64(0);
        QTest::newRow("no identifier")
            << chunk(0x00, kCrc + kBlock)
            << "f: not a snappy framed stream: it starts with chunk type 0x00, not the stream identifier."
            << qint64(0);
        QTest::newRow("bad identifier")
            << QByteArray::fromHex("ff060000") + QByteArray("sNaPpX")
            << "f: the snappy stream identifier at byte 0 is not \"sNaPpY\"." << qint64(0);
        QTest::newRow("reserved type")
            << kIdentifier + chunk(0x02, QByteArray("??"))
            << "f: the snappy stream has a chunk of reserved type 0x02 at byte 10, which cannot be read."
            << qint64(10);
        QTest::newRow("reserved 0x7f")
            << kIdentifier + chunk(0x7f, QByteArray())
            << "f: the snappy stream has a chunk of reserved type 0x7f at byte 10, which cannot be read."
            << qint64(10);
        QTest::newRow("truncated header")
            << good + QByteArray::fromHex("0001")
            << "f: the snappy stream is truncated at byte 25: a chunk header needs 4 bytes, 2 left."
            << qint64(25);
        QTest::newRow("truncated chunk")
            << good.chopped(2)
            << "f: the snappy stream is truncated: the chunk at byte 10 needs 11 bytes, 9 left."
            << qint64(10);
        QTest::newRow("no checksum")
            << kIdentifier + chunk(0x01, QByteArray("ab"))
            << "f: the snappy chunk at byte 10 is 2 bytes, too short for its checksum." << qint64(10);
        QTest::newRow("corrupt chunk")
            << kIdentifier + chunk(0x00, kCrc + QByteArray::fromHex("0908616263" "0909"))
            << "f: the compressed snappy chunk at byte 10 is corrupt." << qint64(10);
        QTest::newRow("oversized chunk")
            << kIdentifier + chunk(0x01, kCrc + QByteArray(65537, 'q'))
            << "f: the snappy chunk at byte 10 holds 65537 bytes, more than 65536." << qint64(10);
        // A compressed chunk that expands beyond 64 KiB: varint 65537, then literals.
        QTest::newRow("oversized compressed chunk")
            << kIdentifier + chunk(0x00, kCrc + QByteArray::fromHex("818004") + QByteArray(8, 'z'))
            << "f: the snappy chunk at byte 10 holds 65537 bytes, more than 65536." << qint64(10);
    }
    void framedRefused()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QString, message);
        QFETCH(qint64, offset);
        auto out = snappyUnframe(stream, QStringLiteral("f"));
        QVERIFY(!out);
        QCOMPARE(out.error().message, message);
        QCOMPARE(out.error().offset, offset);
        QCOMPARE(out.error().path, QStringLiteral("f"));
        QCOMPARE(out.error().code, ErrorCode::Format);
    }
};

QTEST_GUILESS_MAIN(TestSnappyDecode)
#include "tst_snappydecode.moc"
