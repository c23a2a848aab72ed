// Firefox's IndexedDB string keys: the bytes Firefox 153 wrote for TF.js's model paths decode
// to the paths, encoding gives those bytes back, trimmed trailing zeros are restored, and
// other key types and malformed keys are refused with the byte's offset.

#include "browser/firefoxkey.h"

#include <QTest>

using namespace tfjs;

class TestFirefoxKey : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        QTest::addColumn<QString>("key");
        // As Firefox 153 stored them (object_data.key of a real profile).
        QTest::newRow("ascii") << QByteArray::fromHex("306d62736866") << QStringLiteral("large");
        QTest::newRow("emoji") << QByteArray::fromHex("30666e706b6a2ef60f80f77800f60f40f7a0")
                               << QString::fromUtf8("emoji-\xF0\x9F\xA7\xA0\xF0\x9F\x9A\x80");
        QTest::newRow("cyrillic, latin-1, slash")
            << QByteArray::fromHex("3083bd83bf83b583b683bc83cd30807d6f807064807765806a")
            << QString::fromUtf8("модель/ünïcödé");
        QTest::newRow("empty") << QByteArray::fromHex("30") << QString();
        // 0x17F takes two bytes 0x81 0x00; 0x4080 three bytes 0xD0 0x20 0x00: their zeros
        // are trimmed at the end of a key, kept inside it.
        QTest::newRow("two bytes, trimmed") << QByteArray::fromHex("3081") << QString(QChar(0x17F));
        QTest::newRow("three bytes, trimmed") << QByteArray::fromHex("30d020") << QString(QChar(0x4080));
        QTest::newRow("zeros inside") << QByteArray::fromHex("308100d0200062")
                                      << QString(QChar(0x17F)) + QChar(0x4080) + QLatin1Char('a');
        QTest::newRow("limits") << QByteArray::fromHex("307fbfffd01fc0ffffc0")
                                << QString(QChar(0x7E)) + QChar(0x407E) + QChar(0x407F) + QChar(0xFFFF);
    }
    void roundTrip()
    {
        QFETCH(QByteArray, encoded);
        QFETCH(QString, key);
        auto decoded = decodeFirefoxStringKey(encoded, QStringLiteral("k"));
        QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().message));
        QCOMPARE(*decoded, key);
        QCOMPARE(encodeFirefoxStringKey(key).toHex(), encoded.toHex());
    }

    void terminatorAtTheEnd()
    {
        auto decoded = decodeFirefoxStringKey(QByteArray::fromHex("306200"), QStringLiteral("k"));
        QVERIFY(decoded);
        QCOMPARE(*decoded, QStringLiteral("a"));
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        QTest::addColumn<QString>("message");
        QTest::addColumn<qint64>("offset");
        QTest::newRow("empty") << QByteArray() << "where: the IndexedDB key is empty." << qint64(0);
        QTest::newRow("number")
            << QByteArray::fromHex("10bff0")
            << "where: the IndexedDB key is a number key (type byte 0x10), not a string as TF.js writes."
            << qint64(0);
        QTest::newRow("array")
            << QByteArray::fromHex("5062")
            << "where: the IndexedDB key is an array key (type byte 0x50), not a string as TF.js writes."
            << qint64(0);
        QTest::newRow("unknown")
            << QByteArray::fromHex("ff")
            << "where: the IndexedDB key is an unknown key (type byte 0xff), not a string as TF.js writes."
            << qint64(0);
        QTest::newRow("bytes after the string")
            << QByteArray::fromHex("30620030")
            << "where: the IndexedDB key has 1 bytes after its string's end at byte 2 (a compound key?)."
            << qint64(2);
    }
    void refused()
    {
        QFETCH(QByteArray, encoded);
        QFETCH(QString, message);
        QFETCH(qint64, offset);
        auto decoded = decodeFirefoxStringKey(encoded, QStringLiteral("where"));
        QVERIFY(!decoded);
        QCOMPARE(decoded.error().code, ErrorCode::Format);
        QCOMPARE(decoded.error().message, message);
        QCOMPARE(decoded.error().offset, offset);
        QCOMPARE(decoded.error().path, QStringLiteral("where"));
    }
};

QTEST_GUILESS_MAIN(TestFirefoxKey)
#include "tst_firefoxkey.moc"
