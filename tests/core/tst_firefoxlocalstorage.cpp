// Values of Firefox's localStorage database: UTF-8 or UTF-16 strings, raw or snappy; unknown
// conversion and compression types refused by number.

#include "browser/firefoxlocalstorage.h"

#include <QTest>

using namespace tfjs;

class TestFirefoxLocalStorage : public QObject
{
    Q_OBJECT

private slots:
    void decodes_data()
    {
        QTest::addColumn<int>("conversion");
        QTest::addColumn<int>("compression");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("utf-8") << 1 << 0 << QByteArray("{\"a\":\"\xC3\xBC\"}")
                               << QString::fromUtf8("{\"a\":\"ü\"}");
        QTest::newRow("utf-8 snappy") << 1 << 1 << QByteArray::fromHex("0908616263" "0903")
                                      << QStringLiteral("abcabcabc");
        QTest::newRow("utf-16") << 0 << 0 << QByteArray::fromHex("6100fc003ed8e0dd")
                                << QString::fromUtf8("aü\xF0\x9F\xA7\xA0");
        QTest::newRow("empty") << 1 << 0 << QByteArray() << QString();
    }
    void decodes()
    {
        QFETCH(int, conversion);
        QFETCH(int, compression);
        QFETCH(QByteArray, value);
        QFETCH(QString, text);
        auto out = decodeFirefoxLocalStorageValue(conversion, compression, value, QStringLiteral("i"));
        QVERIFY2(out, qPrintable(out ? QString() : out.error().message));
        QCOMPARE(*out, text);
    }

    void refused_data()
    {
        QTest::addColumn<int>("conversion");
        QTest::addColumn<int>("compression");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("conversion 2") << 2 << 0 << QByteArray("x") << int(ErrorCode::Unsupported)
                                      << "item: unknown localStorage conversion type 2 (known: 0, 1).";
        QTest::newRow("compression 2") << 1 << 2 << QByteArray("x") << int(ErrorCode::Unsupported)
                                       << "item: unknown localStorage compression type 2 (known: 0, 1).";
        QTest::newRow("odd utf-16") << 0 << 0 << QByteArray("abc") << int(ErrorCode::Format)
                                    << "item: a UTF-16 localStorage value has an odd number of bytes (3).";
        QTest::newRow("corrupt snappy")
            << 1 << 1 << QByteArray::fromHex("09086162") << int(ErrorCode::Format)
            << "item: the 4 bytes are not valid snappy-compressed data (or claim 9 bytes).";
    }
    void refused()
    {
        QFETCH(int, conversion);
        QFETCH(int, compression);
        QFETCH(QByteArray, value);
        QFETCH(int, code);
        QFETCH(QString, message);
        auto out = decodeFirefoxLocalStorageValue(conversion, compression, value, QStringLiteral("item"));
        QVERIFY(!out);
        QCOMPARE(int(out.error().code), code);
        QCOMPARE(out.error().message, message);
        QCOMPARE(out.error().path, QStringLiteral("item"));
    }
};

QTEST_GUILESS_MAIN(TestFirefoxLocalStorage)
#include "tst_firefoxlocalstorage.moc"
