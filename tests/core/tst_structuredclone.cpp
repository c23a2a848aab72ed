// SpiderMonkey structured clones decoded into Json by tfjsrecord.h's rules, from clones built
// here word by word (the real ones Firefox writes are read in tests/browsers): every tag TF.js
// uses, back-references, and every malformed input refused with its byte offset, never a
// crash (each prefix of a valid clone is tried).

#include "browser/structuredclone.h"

#include <QTest>

#include <cstring>

using namespace tfjs;

namespace {

enum : quint32 {
    kHeader = 0xFFF10000,
    kNull = 0xFFFF0000,
    kUndefined,
    kBoolean,
    kInt32,
    kString,
    kDate,
    kArray = 0xFFFF0007,
    kObject,
    kArrayBufferV2,
    kBackReference = 0xFFFF000D,
    kMap = 0xFFFF0011,
    kEndOfKeys = 0xFFFF0013,
    kArrayBuffer = 0xFFFF001F,
    kTypedArray = 0xFFFF0020,
};

// A clone under construction.
struct Clone
{
    QByteArray bytes;

    Clone &word(quint64 value)
    {
        char raw[8];
        std::memcpy(raw, &value, 8); // the test machines are little-endian
        bytes.append(raw, 8);
        return *this;
    }
    Clone &pair(quint32 tag, quint32 data = 0) { return word((quint64(tag) << 32) | data); }
    Clone &number(double value)
    {
        quint64 raw;
        std::memcpy(&raw, &value, 8);
        return word(raw);
    }
    Clone &padded(const QByteArray &data)
    {
        bytes.append(data);
        bytes.append(QByteArray((8 - data.size() % 8) % 8, '\0'));
        return *this;
    }
    Clone &latin1(const QByteArray &text)
    {
        pair(kString, quint32(text.size()) | 0x80000000u);
        return padded(text);
    }
    Clone &twoByte(const QString &text)
    {
        pair(kString, quint32(text.size()));
        QByteArray raw;
        for (const QChar ch : text) {
            raw.append(char(ch.unicode() & 0xFF));
            raw.append(char(ch.unicode() >> 8));
        }
        return padded(raw);
    }
    Clone &end() { return pair(kEndOfKeys); }
};

Clone header(quint32 scope = 3)
{
    Clone clone;
    clone.pair(kHeader, scope);
    return clone;
}

// A record as TF.js stores one, with every kind of value it uses.
Clone fullRecord()
{
    Clone c = header();
    c.pair(kObject);
    c.latin1("modelPath").twoByte(QString::fromUtf8("m\xC3\xBC-\xF0\x9F\xA7\xA0"));
    c.latin1("info").pair(kObject);                                  // object 1
    c.latin1("dateSaved").pair(kDate).number(1796588629507.0);       // object 2
    c.latin1("bytes").pair(kInt32, quint32(-5));
    c.latin1("ratio").number(0.25);
    c.latin1("yes").pair(kBoolean, 1);
    c.latin1("no").pair(kBoolean, 0);
    c.latin1("none").pair(kNull);
    c.latin1("gone").pair(kUndefined);
    c.end();
    c.latin1("dense").pair(kArray, 2);                                // object 3
    c.pair(kInt32, 0).latin1("a").pair(kInt32, 1).latin1("b").end();
    c.latin1("sparse").pair(kArray, 3);                               // object 4
    c.pair(kInt32, 1).pair(kInt32, 7).latin1("name").latin1("ignored").end();
    c.latin1("buffer").pair(kArrayBuffer).word(3).padded("xyz");      // object 5
    c.latin1("old").pair(kArrayBufferV2, 2).padded("pq");             // object 6
    c.latin1("again").pair(kBackReference, 5);
    c.latin1("infoAgain").pair(kBackReference, 1);
    c.pair(kInt32, 42).latin1("index key");
    c.end();
    return c;
}

Json expectedRecord()
{
    Json info = {{"dateSaved", 1796588629507.0}, {"bytes", -5}, {"ratio", 0.25},
                 {"yes", true}, {"no", false}, {"none", nullptr}};
    return {{"modelPath", "mü-🧠"},
            {"info", info},
            {"dense", {"a", "b"}},
            {"sparse", {nullptr, 7, nullptr}},
            {"buffer", Json::binary({'x', 'y', 'z'})},
            {"old", Json::binary({'p', 'q'})},
            {"again", Json::binary({'x', 'y', 'z'})},
            {"infoAgain", info},
            {"42", "index key"}};
}

} // namespace

class TestStructuredClone : public QObject
{
    Q_OBJECT

private slots:
    void decodesEveryKind()
    {
        auto json = decodeStructuredClone(fullRecord().bytes, QStringLiteral("r"));
        QVERIFY2(json, qPrintable(json ? QString() : json.error().message));
        QCOMPARE(QByteArray::fromStdString(json->dump()),
                 QByteArray::fromStdString(expectedRecord().dump()));
    }

    void scalarsAtTheTop_data()
    {
        QTest::addColumn<QByteArray>("clone");
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("undefined reads as null") << header().pair(kUndefined).bytes << QByteArray("null");
        QTest::newRow("double") << header().number(-1.5).bytes << QByteArray("-1.5");
        QTest::newRow("scope 2") << header(2).pair(kInt32, 7).bytes << QByteArray("7");
        QTest::newRow("empty string") << header().latin1("").bytes << QByteArray("\"\"");
        QTest::newRow("8-byte string") << header().latin1("12345678").bytes << QByteArray("\"12345678\"");
        QTest::newRow("latin-1") << header().latin1("\xFC").bytes << QByteArray("\"\xC3\xBC\"");
        QTest::newRow("undefined element") << header().pair(kArray, 1).pair(kInt32, 0).pair(kUndefined).end().bytes
                                           << QByteArray("[null]");
    }
    void scalarsAtTheTop()
    {
        QFETCH(QByteArray, clone);
        QFETCH(QByteArray, json);
        auto value = decodeStructuredClone(clone, QStringLiteral("r"));
        QVERIFY2(value, qPrintable(value ? QString() : value.error().message));
        QCOMPARE(QByteArray::fromStdString(value->dump()), json);
    }

    // Every prefix of a valid clone fails cleanly, with the offset where the data ran out.
    void everyTruncationIsAnError()
    {
        const QByteArray full = fullRecord().bytes;
        for (qsizetype size = 0; size < full.size(); ++size) {
            auto value = decodeStructuredClone(full.left(size), QStringLiteral("r"));
            QVERIFY2(!value, qPrintable(QString::number(size)));
            QCOMPARE(value.error().code, ErrorCode::Format);
            QVERIFY2(value.error().message.startsWith(QStringLiteral("r: the structured clone is "
                                                                     "truncated at byte ")),
                     qPrintable(value.error().message));
            QVERIFY(value.error().offset >= 0 && value.error().offset <= size);
        }
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("clone");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<qint64>("offset");
        const int unsupported = int(ErrorCode::Unsupported);
        const int format = int(ErrorCode::Format);
        QTest::newRow("no header")
            << Clone().pair(kObject).end().bytes << unsupported
            << "r: no structured clone header: the data starts with tag 0xffff0008 (unknown)."
            << qint64(0);
        QTest::newRow("same-process scope")
            << header(1).pair(kNull).bytes << unsupported
            << "r: the structured clone has scope 1, not one written to disk (2 or 3)." << qint64(0);
        QTest::newRow("unknown scope")
            << header(9).pair(kNull).bytes << unsupported
            << "r: the structured clone has scope 9, not one written to disk (2 or 3)." << qint64(0);
        QTest::newRow("map")
            << header().pair(kObject).latin1("m").pair(kMap).end().end().bytes << unsupported
            << "r: unsupported structured clone tag 0xffff0011 (Map) at byte 32." << qint64(32);
        QTest::newRow("typed array")
            << header().pair(kTypedArray, 1).bytes << unsupported
            << "r: unsupported structured clone tag 0xffff0020 (typed array) at byte 8." << qint64(8);
        QTest::newRow("unknown tag")
            << header().pair(0xFFFF00AA).bytes << unsupported
            << "r: unsupported structured clone tag 0xffff00aa (unknown) at byte 8." << qint64(8);
        QTest::newRow("DOM object")
            << header().pair(0xFFFF8001).bytes << unsupported
            << "r: unsupported structured clone tag 0xffff8001 (DOM object) at byte 8." << qint64(8);
        QTest::newRow("not a double")
            << header().pair(0xFFF00001).bytes << unsupported
            << "r: unsupported structured clone tag 0xfff00001 (unknown) at byte 8." << qint64(8);
        QTest::newRow("end of keys as a value")
            << header().pair(kEndOfKeys).bytes << unsupported
            << "r: unsupported structured clone tag 0xffff0013 (end of keys) at byte 8." << qint64(8);
        QTest::newRow("boolean key")
            << header().pair(kObject).pair(kBoolean, 1).pair(kNull).end().bytes << format
            << "r: a property key at byte 16 has tag 0xffff0002 (unknown), not a string or an index."
            << qint64(16);
        QTest::newRow("element beyond the length")
            << header().pair(kArray, 2).pair(kInt32, 2).pair(kNull).end().bytes << format
            << "r: array element 2 at byte 16 lies beyond the array's length 2." << qint64(16);
        QTest::newRow("back-reference ahead")
            << header().pair(kBackReference, 0).bytes << format
            << "r: the back-reference at byte 8 refers to object 0, which does not exist (yet)."
            << qint64(8);
        QTest::newRow("cycle")
            << header().pair(kObject).latin1("self").pair(kBackReference, 0).end().bytes << format
            << "r: the back-reference at byte 32 refers to object 0, which contains it (a cycle)."
            << qint64(32);
        QTest::newRow("huge string")
            << header().pair(kString, 0x7FFFFFFF).bytes << format
            << "r: the structured clone is truncated at byte 16: 4294967294 bytes needed, 0 left."
            << qint64(16);
        QTest::newRow("huge buffer")
            << header().pair(kArrayBuffer).word(~quint64(0)).bytes << format
            << "r: the structured clone is truncated at byte 24: 18446744073709551615 bytes "
               "needed, 0 left."
            << qint64(24);
    }
    void refused()
    {
        QFETCH(QByteArray, clone);
        QFETCH(int, code);
        QFETCH(QString, message);
        QFETCH(qint64, offset);
        auto value = decodeStructuredClone(clone, QStringLiteral("r"));
        QVERIFY(!value);
        QCOMPARE(value.error().message, message);
        QCOMPARE(int(value.error().code), code);
        QCOMPARE(value.error().offset, offset);
        QCOMPARE(value.error().path, QStringLiteral("r"));
    }

    void depthLimit()
    {
        Clone deep = header();
        for (int i = 0; i < 300; ++i)
            deep.pair(kArray, 1).pair(kInt32, 0);
        deep.pair(kNull);
        for (int i = 0; i < 300; ++i)
            deep.end();
        auto value = decodeStructuredClone(deep.bytes, QStringLiteral("r"));
        QVERIFY(!value);
        QCOMPARE(value.error().code, ErrorCode::Format);
        QCOMPARE(value.error().message,
                 QStringLiteral("r: the structured clone nests deeper than 256 levels (at byte "
                                "%1).")
                     .arg(8 + 257 * 16));
        StructuredCloneLimits limits;
        limits.maxDepth = 400;
        auto accepted = decodeStructuredClone(deep.bytes, QStringLiteral("r"), limits);
        QVERIFY2(accepted, qPrintable(accepted ? QString() : accepted.error().message));
        const Json *inner = &*accepted;
        for (int i = 0; i < 300; ++i)
            inner = &(*inner)[0];
        QVERIFY(inner->is_null());
    }

    // Back-references copy what they refer to; chains of them cannot blow the output up.
    void backReferenceExpansionIsLimited()
    {
        Clone c = header();
        c.pair(kArray, 40);
        c.pair(kInt32, 0).pair(kArrayBuffer).word(1024).padded(QByteArray(1024, 'b'));
        for (int i = 1; i < 40; ++i)
            c.pair(kInt32, quint32(i)).pair(kBackReference, 1);
        c.end();
        auto ok = decodeStructuredClone(c.bytes, QStringLiteral("r"));
        QVERIFY(ok);
        QCOMPARE(ok->size(), std::size_t(40));
        QCOMPARE((*ok)[39].get_binary().size(), std::size_t(1024));
        StructuredCloneLimits limits;
        limits.maxOutputBytes = 20000;
        auto limited = decodeStructuredClone(c.bytes, QStringLiteral("r"), limits);
        QVERIFY(!limited);
        QCOMPARE(limited.error().code, ErrorCode::Format);
        QVERIFY2(limited.error().message.startsWith(
                     QStringLiteral("r: the structured clone expands beyond the limit")),
                 qPrintable(limited.error().message));
    }

    // An object's members count their slots, not only their values and key text: 1,000
    // one-letter members with int32 values need more than 1,000 x 40 bytes (a fuzzed 618-byte
    // value held 300 MB of such members under the 64 MiB limit).
    void objectMembersCountTheirSlots()
    {
        Clone c = header();
        c.pair(kObject);
        for (int i = 0; i < 1000; ++i)
            c.latin1(QByteArray(1, char('a' + i % 26)) + QByteArray::number(i)).pair(kInt32, quint32(i));
        c.end();
        auto whole = decodeStructuredClone(c.bytes, QStringLiteral("r"));
        QVERIFY(whole);
        QCOMPARE(whole->size(), std::size_t(1000));
        StructuredCloneLimits limits;
        limits.maxOutputBytes = 1000 * 40;
        auto limited = decodeStructuredClone(c.bytes, QStringLiteral("r"), limits);
        QVERIFY(!limited);
        QVERIFY2(limited.error().message.startsWith(
                     QStringLiteral("r: the structured clone expands beyond the limit")),
                 qPrintable(limited.error().message));
    }

    // An array's slots count twice (destroying it takes a stack as large): one 8-byte word
    // asking for 4,194,305 holes (64 MiB of slots) is refused under the default limit before
    // anything is allocated. The fuzzer's finding (fuzz/regressions/framedvalueinput, 618
    // bytes) was such an array in an object that then grew: 240 MB at its peak and 0.6 s.
    void hugeArrayCountsItsDestruction()
    {
        Clone c = header();
        c.pair(kArray, 0x400001).end();
        auto decoded = decodeStructuredClone(c.bytes, QStringLiteral("r"));
        QVERIFY(!decoded);
        QVERIFY2(decoded.error().message.startsWith(
                     QStringLiteral("r: the structured clone expands beyond the limit")),
                 qPrintable(decoded.error().message));
    }

    // A repeated key keeps its first place and takes the last value; an undefined member is
    // dropped (JSON.stringify's view of the object).
    void repeatedKeysAndUndefinedMembers()
    {
        Clone c = header();
        c.pair(kObject);
        c.latin1("a").pair(kInt32, 1).latin1("b").pair(kInt32, 2).latin1("gone").pair(kUndefined);
        c.latin1("a").pair(kInt32, 3).latin1("c").pair(kInt32, 4).latin1("b").pair(kUndefined);
        c.end();
        auto decoded = decodeStructuredClone(c.bytes, QStringLiteral("r"));
        QVERIFY(decoded);
        QCOMPARE(QString::fromStdString(decoded->dump()), QStringLiteral(R"({"a":3,"c":4})"));
    }

    // Seeded random damage to a valid clone: each result is a value or an error, never a crash
    // (the ASan run checks the reads).
    void damagedClonesNeverCrash()
    {
        const QByteArray full = fullRecord().bytes;
        quint32 state = 12345;
        const auto next = [&state]() {
            state = state * 1103515245u + 12345u;
            return state >> 8;
        };
        int errors = 0;
        for (int round = 0; round < 3000; ++round) {
            QByteArray damaged = full;
            for (int hits = 1 + int(next() % 4); hits > 0; --hits)
                damaged[qsizetype(next() % quint32(damaged.size()))] = char(next() & 0xFF);
            auto value = decodeStructuredClone(damaged, QStringLiteral("r"));
            if (!value) {
                ++errors;
                QVERIFY(!value.error().message.isEmpty());
                QVERIFY(value.error().offset >= 0 && value.error().offset <= damaged.size());
            }
        }
        QVERIFY(errors > 0);
    }

    void hugeSparseArrayIsLimited()
    {
        auto value = decodeStructuredClone(header().pair(kArray, 0xFFFFFFFF).end().bytes,
                                           QStringLiteral("r"));
        QVERIFY(!value);
        QVERIFY2(value.error().message.startsWith(
                     QStringLiteral("r: the structured clone expands beyond the limit")),
                 qPrintable(value.error().message));
    }
};

QTEST_GUILESS_MAIN(TestStructuredClone)
#include "tst_structuredclone.moc"
