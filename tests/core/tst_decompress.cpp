// snappy and zstd as Chromium's IndexedDB values use them, on a value Chromium 156 wrote.
#include "browser/decompress.h"
#include "chromiumfixtures.h"

#include <QTest>

using namespace tfjs;
using namespace tfjs::test;

class TestDecompress : public QObject
{
    Q_OBJECT

private slots:
    void zstdValue();
    void zstdErrors();
    void snappyValue();
    void snappyErrors();
};

void TestDecompress::zstdValue()
{
    const QByteArray value = chromiumFixture("tiny-sqlite-zstd.bin");
    QVERIFY(value.startsWith(QByteArray::fromHex("28b52ffd"))); // a zstd frame
    auto plain = zstdUncompress(value, QStringLiteral("v"), 0);
    TFJS_VERIFY_OK(plain);
    QVERIFY(plain->size() > value.size());
    QVERIFY(plain->startsWith(QByteArray::fromHex("ff15fe")));
}

void TestDecompress::zstdErrors()
{
    const QByteArray value = chromiumFixture("tiny-sqlite-zstd.bin");
    TFJS_COMPARE_ERROR(
        zstdUncompress(QByteArray("not zstd"), QStringLiteral("v"), 3), ErrorCode::Format,
        QStringLiteral("v: the zstd-compressed value has no valid frame size (from byte 3)."));
    TFJS_COMPARE_ERROR(zstdUncompress(value.chopped(10), QStringLiteral("v"), 0), ErrorCode::Format,
                       QStringLiteral("v: the zstd-compressed value is corrupt (from byte 0)."));
    // A frame whose header claims far more than its blocks can hold is refused before the
    // output is allocated: 1 GiB claimed (single segment, 8-byte size), one RLE block of 'a'.
    const QByteArray claim = QByteArray::fromHex("28b52ffd" "e0" "0000004000000000" "030010" "61");
    TFJS_COMPARE_ERROR(zstdUncompress(claim, QStringLiteral("v"), 2), ErrorCode::Format,
                       QStringLiteral("v: the 17 zstd-compressed bytes claim 1073741824 "
                                      "uncompressed bytes, more than 32768 times their size, "
                                      "which zstd never writes (from byte 2)."));
}

void TestDecompress::snappyValue()
{
    // One literal: length 3, tag (3-1) << 2, "abc".
    auto plain = snappyUncompress(QByteArray::fromHex("0308616263"), QStringLiteral("v"), 0);
    TFJS_VERIFY_OK(plain);
    QCOMPARE(*plain, QByteArray("abc"));
}

void TestDecompress::snappyErrors()
{
    TFJS_COMPARE_ERROR(
        snappyUncompress(QByteArray::fromHex("ff"), QStringLiteral("v"), 4), ErrorCode::Format,
        QStringLiteral("v: the snappy-compressed value is corrupt (from byte 4)."));
    TFJS_COMPARE_ERROR(snappyUncompress(QByteArray::fromHex("05086162"), QStringLiteral("v"), 4),
                       ErrorCode::Format,
                       QStringLiteral("v: the snappy-compressed value is corrupt (from byte 4)."));
    // A claimed length beyond what a QByteArray holds is refused before any allocation.
    TFJS_COMPARE_ERROR(
        snappyUncompress(QByteArray::fromHex("ffffffff0f00"), QStringLiteral("v"), 0),
        ErrorCode::Format,
        QStringLiteral("v: the snappy-compressed value is corrupt (from byte 0)."));
}

QTEST_GUILESS_MAIN(TestDecompress)
#include "tst_decompress.moc"
