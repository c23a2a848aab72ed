// Chromium's localStorage LevelDB keys and values, with bytes Chromium 156 wrote.
#include "browser/chromiumlocalstorage.h"
#include "testutil.h"

#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

class TestChromiumLocalStorage : public QObject
{
    Q_OBJECT

private slots:
    void latin1Key();
    void utf16Key();
    void httpOrigin();
    void bookkeepingKeys_data();
    void bookkeepingKeys();
    void values();
};

void TestChromiumLocalStorage::latin1Key()
{
    const auto key = decodeChromiumLocalStorageKey(
        QByteArray(QByteArray("_file://\0\x01", 10) + "tensorflowjs_models/tiny/info"));
    QVERIFY(key);
    QCOMPARE(key->origin, QStringLiteral("file://"));
    QCOMPARE(key->key, QStringLiteral("tensorflowjs_models/tiny/info"));
}

void TestChromiumLocalStorage::utf16Key()
{
    QByteArray bytes("_file://\0\0", 10);
    const QString text = u8("tensorflowjs_models/emoji-😀/info");
    for (const QChar c : text)
        bytes += char(c.unicode() & 0xff) + QByteArray(1, char(c.unicode() >> 8));
    const auto key = decodeChromiumLocalStorageKey(bytes);
    QVERIFY(key);
    QCOMPARE(key->key, text);
    QVERIFY(!decodeChromiumLocalStorageKey(bytes.chopped(1))); // odd UTF-16 length
}

void TestChromiumLocalStorage::httpOrigin()
{
    const auto key = decodeChromiumLocalStorageKey(QByteArray("_http://127.0.0.1:8765\0\x01k", 25));
    QVERIFY(key);
    QCOMPARE(key->origin, QStringLiteral("http://127.0.0.1:8765"));
    QCOMPARE(key->key, QStringLiteral("k"));
}

void TestChromiumLocalStorage::bookkeepingKeys_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::newRow("VERSION") << QByteArray("VERSION");
    QTest::newRow("META") << QByteArray("META:file://");
    QTest::newRow("METAACCESS") << QByteArray("METAACCESS:file://");
    QTest::newRow("no separator") << QByteArray("_file://");
    QTest::newRow("no format") << QByteArray("_file://\0", 9);
    QTest::newRow("unknown format") << QByteArray("_file://\0\x02k", 11);
    QTest::newRow("empty") << QByteArray();
}

void TestChromiumLocalStorage::bookkeepingKeys()
{
    QFETCH(QByteArray, key);
    QVERIFY(!decodeChromiumLocalStorageKey(key));
}

void TestChromiumLocalStorage::values()
{
    QCOMPARE(decodeChromiumLocalStorageText(QByteArray("\x01{\"a\":1}")),
             std::optional(QStringLiteral("{\"a\":1}")));
    QCOMPARE(decodeChromiumLocalStorageText(QByteArray("\x01\xe9", 2)), std::optional(u8("é")));
    QCOMPARE(decodeChromiumLocalStorageText(QByteArray("\0<\x04>\x04", 5)),
             std::optional(u8("мо")));
    QCOMPARE(decodeChromiumLocalStorageText(QByteArray("\0<", 2)), std::nullopt);
    QCOMPARE(decodeChromiumLocalStorageText(QByteArray()), std::nullopt);
    QCOMPARE(decodeChromiumLocalStorageText(QByteArray("\x05x")), std::nullopt);
}

QTEST_GUILESS_MAIN(TestChromiumLocalStorage)
#include "tst_chromiumlocalstorage.moc"
