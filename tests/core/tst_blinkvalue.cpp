// A Chromium IndexedDB record value unwrapped (record version, FF 11 wrappers, snappy) and
// Blink's envelope, on records Chromium 156 wrote (tests/core/data/chromium).
#include "browser/blinkvalue.h"
#include "chromiumfixtures.h"

#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

namespace {

const QString kWhere = QStringLiteral("r");
const QByteArray kEnvelope = QByteArray::fromHex("ff15fe000000000000000000000000");

} // namespace

Q_DECLARE_METATYPE(tfjs::ErrorCode)

class TestBlinkValue : public QObject
{
    Q_OBJECT

private slots:
    void inlineValue();
    void snappyWrapped();
    void blobReference();
    void errors_data();
    void errors();
    void envelope();
    void envelopeErrors_data();
    void envelopeErrors();
};

void TestBlinkValue::inlineValue()
{
    const QByteArray bytes = chromiumFixture("tiny-models-store.bin");
    auto value = unwrapIdbRecordValue(bytes, kWhere);
    TFJS_VERIFY_OK(value);
    QCOMPARE(value->version, quint64(2));
    QCOMPARE(value->blink, bytes.mid(kBlinkStart));
    QVERIFY(!value->blobIndex);
    QVERIFY(!value->wasCompressed);
}

void TestBlinkValue::snappyWrapped()
{
    auto value = unwrapIdbRecordValue(chromiumFixture("zeros-models-store.bin"), kWhere);
    TFJS_VERIFY_OK(value);
    QCOMPARE(value->version, quint64(5));
    QVERIFY(value->wasCompressed);
    QCOMPARE(value->blink.size(), qsizetype(101332));
    QVERIFY(value->blink.startsWith(QByteArray(kEnvelope + QByteArray::fromHex("ff10"))));
    // A hand-made raw snappy stream of one literal: length 3, tag (3-1)<<2, "abc".
    value = unwrapIdbRecordValue(QByteArray::fromHex("01ff1102"
                                                     "0308616263"),
                                 kWhere);
    TFJS_VERIFY_OK(value);
    QCOMPARE(value->blink, QByteArray("abc"));
}

void TestBlinkValue::blobReference()
{
    // Chromium's record of the ~100 KB model: version 3, blob of 101373 bytes, blob entry 0.
    auto value = unwrapIdbRecordValue(QByteArray::fromHex("03ff1101fd970600"), kWhere);
    TFJS_VERIFY_OK(value);
    QCOMPARE(value->version, quint64(3));
    QCOMPARE(value->blobIndex, std::optional<quint64>(0));
    QCOMPARE(value->blobSize, quint64(101373));
    QVERIFY(value->blink.isEmpty());
}

void TestBlinkValue::errors_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArray() << ErrorCode::Format
                           << QStringLiteral("r: the record version is truncated at byte 0.");
    QTest::newRow("version cut") << QByteArray::fromHex("80") << ErrorCode::Format
                                 << QStringLiteral("r: the record version is truncated at byte 0.");
    QTest::newRow("wrapper cut") << QByteArray::fromHex("03ff11") << ErrorCode::Format
                                 << QStringLiteral("r: the value wrapper is truncated at byte 3.");
    QTest::newRow("unknown wrapper")
        << QByteArray::fromHex("03ff110700") << ErrorCode::Unsupported
        << QStringLiteral("r: unknown IndexedDB value wrapper kind 7.");
    QTest::newRow("blob ref cut") << QByteArray::fromHex("03ff1101fd97") << ErrorCode::Format
                                  << QStringLiteral(
                                         "r: the blob reference is truncated at byte 4.");
    QTest::newRow("blob index missing")
        << QByteArray::fromHex("03ff1101fd9706") << ErrorCode::Format
        << QStringLiteral("r: the blob reference is truncated at byte 4.");
    QTest::newRow("snappy no length")
        << QByteArray::fromHex("03ff1102ff") << ErrorCode::Format
        << QStringLiteral("r: the snappy-compressed value is corrupt (from byte 4).");
    QTest::newRow("snappy cut") << QByteArray::fromHex("03ff1102"
                                                       "05086162")
                                << ErrorCode::Format
                                << QStringLiteral(
                                       "r: the snappy-compressed value is corrupt (from byte 4).");
}

void TestBlinkValue::errors()
{
    QFETCH(QByteArray, bytes);
    QFETCH(ErrorCode, code);
    QFETCH(QString, message);
    TFJS_COMPARE_ERROR(unwrapIdbRecordValue(bytes, kWhere), code, message);
}

void TestBlinkValue::envelope()
{
    const QByteArray blink = chromiumFixture("tiny-models-store.bin").mid(kBlinkStart);
    auto v8 = v8FromBlinkEnvelope(blink, kWhere);
    TFJS_VERIFY_OK(v8);
    QCOMPARE(v8->toByteArray(), blink.mid(kEnvelope.size()));
    QVERIFY(v8->startsWith(QByteArray::fromHex("ff10")));
}

void TestBlinkValue::envelopeErrors_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArray() << ErrorCode::Format
                           << QStringLiteral(
                                  "r: the value does not start with Blink's version tag FF.");
    QTest::newRow("no tag") << QByteArray::fromHex("15fe") << ErrorCode::Format
                            << QStringLiteral(
                                   "r: the value does not start with Blink's version tag FF.");
    QTest::newRow("version cut") << QByteArray::fromHex("ff") << ErrorCode::Format
                                 << QStringLiteral("r: Blink's version is truncated at byte 1.");
    QTest::newRow("version 20")
        << QByteArray::fromHex("ff14ff0f") << ErrorCode::Unsupported
        << QStringLiteral("r: Blink serialization version 20 is not supported (21 is).");
    QTest::newRow("version 22")
        << QByteArray::fromHex("ff16fe") << ErrorCode::Unsupported
        << QStringLiteral("r: Blink serialization version 22 is not supported (21 is).");
    QTest::newRow("trailer cut")
        << QByteArray::fromHex("ff15fe0000") << ErrorCode::Format
        << QStringLiteral("r: Blink's trailer offset is missing or truncated at byte 2.");
    QTest::newRow("no trailer tag")
        << QByteArray::fromHex("ff15ff10000000000000000000000000") << ErrorCode::Format
        << QStringLiteral("r: Blink's trailer offset is missing or truncated at byte 2.");
}

void TestBlinkValue::envelopeErrors()
{
    QFETCH(QByteArray, bytes);
    QFETCH(ErrorCode, code);
    QFETCH(QString, message);
    TFJS_COMPARE_ERROR(v8FromBlinkEnvelope(bytes, kWhere), code, message);
}

QTEST_GUILESS_MAIN(TestBlinkValue)
#include "tst_blinkvalue.moc"
