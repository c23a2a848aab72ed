// Browser values read in place: a Chromium blob file (V8 value) and a Firefox value file
// (structured clone in snappy framing) whose big ArrayBuffers become segments of the file,
// held open, instead of copies; small ones are copied; views of a referenced buffer refer to
// its part; a deleted file still reads (held open); a corrupt chunk inside a buffer is an error
// naming the file and byte offset.

#include "browser/framedvalueinput.h"
#include "browser/structuredclone.h"
#include "browser/v8value.h"
#include "io/spoolfile.h"
#include "io/weightdata.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace tfjs;

namespace {

QByteArray pattern(qsizetype size, int seed)
{
    QByteArray out(size, Qt::Uninitialized);
    quint32 state = quint32(seed) * 2654435761u + 1;
    for (qsizetype i = 0; i < size; ++i) {
        state = state * 1664525u + 1013904223u;
        out[i] = char(state >> 24);
    }
    return out;
}

QByteArray varint(quint64 value)
{
    QByteArray out;
    do {
        const quint8 low = value & 0x7F;
        value >>= 7;
        out.append(char(value ? low | 0x80 : low));
    } while (value);
    return out;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// A V8 value (version 16): an object {big: ArrayBuffer, small: ArrayBuffer, view: Uint8Array
// over bytes 10..1010 of a third buffer}.
QByteArray v8Value(const QByteArray &big, const QByteArray &small, const QByteArray &viewed)
{
    const auto key = [](const char *name) -> QByteArray {
        return QByteArray("\"") + char(std::strlen(name)) + name;
    };
    QByteArray out = QByteArray::fromHex("ff10") + "o";
    out += key("big") + "B" + varint(quint64(big.size())) + big;
    out += key("small") + "B" + varint(quint64(small.size())) + small;
    out += key("view") + "B" + varint(quint64(viewed.size())) + viewed + "VB" + varint(10)
           + varint(1000) + varint(0);
    out += "{" + varint(3);
    return out;
}

// A structured clone {weightData: ArrayBuffer `data`}, word by word.
QByteArray clone(const QByteArray &data)
{
    QByteArray out;
    const auto word = [&out](quint32 tag, quint32 value) {
        const quint64 w = (quint64(tag) << 32) | value;
        char raw[8];
        std::memcpy(raw, &w, 8);
        out.append(raw, 8);
    };
    const auto padded = [&out](const QByteArray &bytes) {
        out += bytes + QByteArray((8 - bytes.size() % 8) % 8, '\0');
    };
    word(0xFFF10000, 2);                  // header, scope DifferentProcess
    word(0xFFFF0008, 0);                  // object
    word(0xFFFF0004, 0x80000000u | 10);   // Latin-1 key
    padded("weightData");
    word(0xFFFF0009, quint32(data.size())); // ArrayBuffer (V2): length in the data half
    padded(data);
    word(0xFFFF0013, 0);                  // end of keys
    return out;
}

// `data` in snappy framing: chunks of 65536 bytes, alternately compressed (one literal) and
// stored uncompressed.
QByteArray framed(const QByteArray &data)
{
    const auto chunk = [](quint8 type, const QByteArray &body) -> QByteArray {
        const qsizetype size = body.size() + 4; // with the (unchecked) CRC
        return QByteArray(1, char(type)) + char(size & 0xFF) + char((size >> 8) & 0xFF)
               + char((size >> 16) & 0xFF) + QByteArray(4, '\0') + body;
    };
    QByteArray out = QByteArray::fromHex("ff060000") + "sNaPpY";
    for (qsizetype at = 0, n = 0; at < data.size(); at += 65536, ++n) {
        const QByteArray part = data.mid(at, 65536);
        if (n % 2 == 0) {
            const quint32 literal = quint32(part.size() - 1);
            const QByteArray block = varint(quint64(part.size())) + char(61 << 2)
                                     + char(literal & 0xFF) + char(literal >> 8) + part;
            out += chunk(0x00, block);
        } else {
            out += chunk(0x01, part);
        }
    }
    return out;
}

} // namespace

class TestValueInput : public QObject
{
    Q_OBJECT

private slots:
    void blobBuffersStayInTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("4"));
        const QByteArray big = pattern(300000, 1), small = pattern(100, 2), viewed = pattern(70000, 3);
        const QByteArray value = v8Value(big, small, viewed);
        QVERIFY(writeFile(path, value));
        auto input = FileValueInput::open(path, QStringLiteral("the blob file"));
        TFJS_VERIFY_OK(input);
        auto json = decodeV8Value((*input)->bytes(), QStringLiteral("v"), input->get());
        TFJS_VERIFY_OK(json);
        // The big buffer is a reference (no bytes in the Json), the small one a copy.
        QVERIFY((*json)["big"].get_binary().has_subtype());
        QCOMPARE((*json)["big"].get_binary().size(), size_t(0));
        QVERIFY(!(*json)["small"].get_binary().has_subtype());
        QCOMPARE((*json)["small"].get_binary().size(), size_t(100));

        WeightData data;
        TFJS_VERIFY_OK((*input)->appendBuffer((*json)["big"].get_binary(), data, QStringLiteral("big")));
        TFJS_VERIFY_OK((*input)->appendBuffer((*json)["small"].get_binary(), data, QStringLiteral("small")));
        QCOMPARE(data.segments().size(), size_t(2));
        QCOMPARE(data.segments()[0].offset, qint64(value.indexOf(big)));
        QCOMPARE(data.segments()[0].size, qint64(big.size()));
        QCOMPARE(data.segments()[0].name(), QStringLiteral("big"));
        QVERIFY(data.segments()[1].file.isEmpty());
        // A view of a buffer left in place refers to its part of the file, however small.
        QVERIFY((*json)["view"].get_binary().has_subtype());
        TFJS_VERIFY_OK((*input)->appendBuffer((*json)["view"].get_binary(), data, QStringLiteral("view")));
        QCOMPARE(data.segments()[2].offset, qint64(value.indexOf(viewed) + 10));

        // The browser deletes the file: the weights still read, from the file held open.
        input->reset();
        QVERIFY(QFile::remove(path));
        auto all = data.readAll();
        TFJS_VERIFY_OK(all);
        QCOMPARE(*all, big + small + viewed.mid(10, 1000));
    }

    void viewOfAReferencedBuffer()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("5"));
        const QByteArray viewed = pattern(200000, 4);
        QByteArray value = QByteArray::fromHex("ff10") + "B" + varint(quint64(viewed.size()))
                           + viewed + "VB" + varint(1000) + varint(100000) + varint(0);
        QVERIFY(writeFile(path, value));
        auto input = FileValueInput::open(path, QStringLiteral("the blob file"));
        TFJS_VERIFY_OK(input);
        auto json = decodeV8Value((*input)->bytes(), QStringLiteral("v"), input->get());
        TFJS_VERIFY_OK(json);
        WeightData data;
        TFJS_VERIFY_OK((*input)->appendBuffer(json->get_binary(), data, QStringLiteral("view")));
        QCOMPARE(data.segments().size(), size_t(1));
        QCOMPARE(data.segments()[0].offset, qint64(value.indexOf(viewed) + 1000));
        auto all = data.readAll();
        TFJS_VERIFY_OK(all);
        QCOMPARE(*all, viewed.mid(1000, 100000));
    }

    void missingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("gone"));
        TFJS_COMPARE_ERROR(FileValueInput::open(path, QStringLiteral("the blob file of m")),
                           ErrorCode::NotFound,
                           path + QStringLiteral(": cannot read the blob file of m (No such file "
                                                 "or directory)."));
        // A link is not followed.
        QVERIFY(writeFile(dir.filePath(QStringLiteral("real")), "x"));
        QVERIFY(QFile::link(dir.filePath(QStringLiteral("real")), path));
        auto link = FileValueInput::open(path, QStringLiteral("the blob file of m"));
        QVERIFY(!link);
        QCOMPARE(link.error().path, path);
    }

    void framedBuffersStayInTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("2"));
        const QByteArray weights = pattern(400000, 5);
        const QByteArray plain = clone(weights);
        QVERIFY(writeFile(path, framed(plain)));
        auto input = FramedValueInput::open(path, QStringLiteral("the record's value file"));
        TFJS_VERIFY_OK(input);
        QCOMPARE((*input)->bytes().size(), plain.size());
        auto json = decodeStructuredClone(**input, QStringLiteral("r"));
        TFJS_VERIFY_OK(json);
        const auto &buffer = (*json)["weightData"].get_binary();
        QVERIFY(buffer.has_subtype());
        WeightData data;
        TFJS_VERIFY_OK((*input)->appendBuffer(buffer, data, QStringLiteral("w")));
        // Uncompressed chunks are segments of the file; compressed ones bytes.
        size_t inFile = 0;
        for (const auto &segment : data.segments())
            inFile += segment.file.isEmpty() ? 0 : 1;
        QVERIFY(inFile >= 3);
        QVERIFY(inFile < data.segments().size());
        input->reset();
        QVERIFY(QFile::remove(path));
        auto all = data.readAll();
        TFJS_VERIFY_OK(all);
        QCOMPARE(all->size(), weights.size());
        QVERIFY(*all == weights);
    }

    void bigFramedBuffersGoToASpoolFile()
    {
        // 4 MiB or more: uncompressed once into an unnamed file in the given folder (the one a
        // save can name), a single segment; nothing of it in memory.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("7"));
        const QByteArray weights = pattern(FramedValueInput::kSpoolMinimum + 300000, 7);
        QVERIFY(writeFile(path, framed(clone(weights))));
        auto input = FramedValueInput::open(path, QStringLiteral("the record's value file"));
        TFJS_VERIFY_OK(input);
        const QString spoolFolder = dir.filePath(QStringLiteral("spool"));
        QVERIFY(QDir().mkpath(spoolFolder));
        (*input)->setSpoolFolder(spoolFolder);
        auto json = decodeStructuredClone(**input, QStringLiteral("r"));
        TFJS_VERIFY_OK(json);
        WeightData data;
        TFJS_VERIFY_OK((*input)->appendBuffer((*json)["weightData"].get_binary(), data,
                                              QStringLiteral("w")));
        QCOMPARE(data.segments().size(), size_t(1));
        QVERIFY(data.wholeSpool());
        QCOMPARE(data.wholeSpool()->folder(), spoolFolder);
        input->reset();
        auto all = data.readAll();
        TFJS_VERIFY_OK(all);
        QVERIFY(*all == weights);
    }

    void corruptChunkInABuffer()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("3"));
        QByteArray stream = framed(clone(pattern(300000, 6)));
        // The third chunk (compressed, wholly inside the buffer): after the identifier (10
        // bytes), a compressed chunk (8 + 6 + 65536) and an uncompressed one (8 + 65536). Its
        // literal's tag becomes a copy from before the data's start.
        const qsizetype third = 10 + (8 + 6 + 65536) + (8 + 65536);
        const qsizetype body = third + 8;
        QCOMPARE(stream[third], '\0');
        stream[body + 3] = char(0x02); // tag: a copy with 2-byte offset
        stream[body + 4] = char(0xFF);
        stream[body + 5] = char(0xFF);
        QVERIFY(writeFile(path, stream));
        auto input = FramedValueInput::open(path, QStringLiteral("the record's value file"));
        TFJS_VERIFY_OK(input);
        auto json = decodeStructuredClone(**input, QStringLiteral("r"));
        TFJS_VERIFY_OK(json); // the buffer's chunks are not read by the decoder
        WeightData data;
        auto appended = (*input)->appendBuffer((*json)["weightData"].get_binary(), data,
                                               QStringLiteral("w"));
        QVERIFY(!appended);
        QCOMPARE(appended.error().path, path);
        QCOMPARE(appended.error().offset, third);
        QVERIFY2(appended.error().message.contains(QStringLiteral("corrupt")),
                 qPrintable(appended.error().message));
    }
};

QTEST_GUILESS_MAIN(TestValueInput)
#include "tst_valueinput.moc"
