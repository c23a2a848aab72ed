// Chromium's IndexedDB LevelDB keys, with bytes taken from a profile Chromium 156 wrote.
#include "browser/idbkey.h"
#include "testutil.h"

#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

class TestIdbKey : public QObject
{
    Q_OBJECT

private slots:
    void prefixes_data();
    void prefixes();
    void shortPrefix();
    void stringKeys_data();
    void stringKeys();
    void otherKeyTypes();
    void databaseName();
    void storeName();
    void blobList();
    void malformedBlobList();
};

void TestIdbKey::prefixes_data()
{
    QTest::addColumn<quint64>("database");
    QTest::addColumn<quint64>("store");
    QTest::addColumn<quint64>("index");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("global") << quint64(0) << quint64(0) << quint64(0)
                            << QByteArray::fromHex("00000000");
    QTest::newRow("record") << quint64(1) << quint64(1) << quint64(1)
                            << QByteArray::fromHex("00010101");
    QTest::newRow("blob list") << quint64(1) << quint64(2) << quint64(3)
                               << QByteArray::fromHex("00010203");
    QTest::newRow("two-byte db") << quint64(0x1234) << quint64(1) << quint64(1)
                                 << QByteArray::fromHex("2034120101");
    QTest::newRow("wide") << quint64(0x0102030405) << quint64(0x0a0b0c) << quint64(0x0d0e)
                          << QByteArray::fromHex("89"
                                                 "0504030201"
                                                 "0c0b0a"
                                                 "0e0d");
}

void TestIdbKey::prefixes()
{
    QFETCH(quint64, database);
    QFETCH(quint64, store);
    QFETCH(quint64, index);
    QFETCH(QByteArray, bytes);
    const IdbKeyPrefix prefix{database, store, index};
    QCOMPARE(encodeIdbPrefix(prefix), bytes);
    const auto decoded = decodeIdbPrefix(QByteArray(bytes + "tail"));
    QVERIFY(decoded);
    QCOMPARE(decoded->first, prefix);
    QCOMPARE(decoded->second, bytes.size());
}

void TestIdbKey::shortPrefix()
{
    QVERIFY(!decodeIdbPrefix(QByteArray()));
    QVERIFY(!decodeIdbPrefix(QByteArray::fromHex("000101")));
    QVERIFY(!decodeIdbPrefix(QByteArray::fromHex("e0ffffff"))); // an 8-byte database id, cut
}

void TestIdbKey::stringKeys_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("key");
    QTest::newRow("tiny") << QByteArray::fromHex("010400740069006e0079") << QStringLiteral("tiny");
    QTest::newRow("cyrillic and CJK")
        << QByteArray::fromHex("0109043c043e04340435043b044c002d65e5672c") << u8("модель-日本");
    QTest::newRow("emoji") << QByteArray::fromHex("01080065006d006f006a0069002dd83dde00")
                           << u8("emoji-😀");
    QTest::newRow("empty") << QByteArray::fromHex("0100") << QString();
}

void TestIdbKey::stringKeys()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, key);
    QCOMPARE(decodeIdbStringKey(bytes), std::optional(key));
    QCOMPARE(encodeIdbStringKey(key), bytes);
}

void TestIdbKey::otherKeyTypes()
{
    QVERIFY(!decodeIdbStringKey(QByteArray::fromHex("03000000000000f03f"))); // the number 1
    QVERIFY(!decodeIdbStringKey(QByteArray::fromHex("0104007400"))); // cut
    QVERIFY(!decodeIdbStringKey(QByteArray::fromHex("010100740000"))); // bytes after it
    QVERIFY(!decodeIdbStringKey(QByteArray::fromHex("01ffffffffffffffffff01")));
}

void TestIdbKey::databaseName()
{
    const QByteArray key = QByteArray::fromHex(
        "00000000c9"
        "090066"
        "0069006c0065005f005f0030004000310c00740065006e0073006f00720066006c006f0077006a0073");
    const auto name = decodeIdbDatabaseNameKey(key);
    QVERIFY(name);
    QCOMPARE(name->origin, QStringLiteral("file__0@1"));
    QCOMPARE(name->name, QStringLiteral("tensorflowjs"));
    QVERIFY(!decodeIdbDatabaseNameKey(key.chopped(1)));
    QVERIFY(!decodeIdbDatabaseNameKey(QByteArray::fromHex("00000000c8")));
    QVERIFY(!decodeIdbDatabaseNameKey(QByteArray::fromHex("00010000c9000000")));
}

void TestIdbKey::storeName()
{
    const auto ids = decodeIdbStoreNameKey(QByteArray::fromHex("00010000320200"));
    QCOMPARE(ids, std::optional(std::pair<quint64, quint64>(1, 2)));
    QCOMPARE(decodeUtf16Be(QByteArray::fromHex("006d006f00640065006c0073005f00730074006f00720065")),
             QStringLiteral("models_store"));
    QVERIFY(!decodeIdbStoreNameKey(QByteArray::fromHex("00010000320201"))); // key path, not name
    QVERIFY(!decodeIdbStoreNameKey(QByteArray::fromHex("00000000320100"))); // database 0
    QVERIFY(!decodeIdbStoreNameKey(QByteArray::fromHex("0001000032")));
}

void TestIdbKey::blobList()
{
    // One blob: not a file, number 3, type "application/vnd.blink-idb-value-wrapper", 2103772
    // bytes.
    QByteArray value = QByteArray::fromHex("0003");
    const QString type = QStringLiteral("application/vnd.blink-idb-value-wrapper");
    value += char(type.size());
    for (const QChar c : type)
        value += QByteArray(1, '\0') + char(c.unicode());
    value += QByteArray::fromHex("dcb38001");
    QCOMPARE(decodeIdbBlobList(value), std::optional(std::vector<quint64>{3}));
    // A file entry (number 300) after it: name "f", modification time.
    const QByteArray file = QByteArray::fromHex("01ac02"
                                                "00"
                                                "01"
                                                "0066"
                                                "8080808010");
    QCOMPARE(decodeIdbBlobList(QByteArray(value + file)),
             std::optional(std::vector<quint64>{3, 300}));
    QCOMPARE(decodeIdbBlobList(QByteArray()), std::optional(std::vector<quint64>{}));
}

void TestIdbKey::malformedBlobList()
{
    QVERIFY(!decodeIdbBlobList(QByteArray::fromHex("0003")));
    QVERIFY(!decodeIdbBlobList(QByteArray::fromHex("000305")));
    QVERIFY(!decodeIdbBlobList(QByteArray::fromHex("01ac020001006680"))); // file time cut
}

QTEST_GUILESS_MAIN(TestIdbKey)
#include "tst_idbkey.moc"
