// Sha256: OpenSSL's EVP SHA-256 behind the store's streaming interface. NIST FIPS 180-4
// example vectors (csrc.nist.gov, "SHA256.pdf" and the SHAVS long message), and streaming in
// odd chunk sizes against the one-shot hash and Qt's own SHA-256.
#include "store/sha256.h"

#include <QCryptographicHash>
#include <QTest>

using namespace tfjs;

class TestSha256 : public QObject
{
    Q_OBJECT

private slots:
    void nistVectors_data();
    void nistVectors();
    void millionA();
    void streamingEqualsOneShot_data();
    void streamingEqualsOneShot();
    void emptyFeeds();
};

namespace {

QByteArray hex(const QByteArray &digest)
{
    return digest.toHex();
}

// Bytes that differ from block to block, so a dropped or repeated chunk changes the digest.
QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    std::uint32_t x = 2463534242u;
    for (qsizetype i = 0; i < size; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes[i] = char(x);
    }
    return bytes;
}

} // namespace

void TestSha256::nistVectors_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("digest");
    QTest::newRow("empty")
        << QByteArray()
        << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    QTest::newRow("abc") << QByteArray(
        "abc") << QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    QTest::newRow("448 bits")
        << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        << QByteArray("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    QTest::newRow("896 bits")
        << QByteArray(
               "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
               "klmnopqrlmnopqrsmnopqrstnopqrstu")
        << QByteArray("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

void TestSha256::nistVectors()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, digest);
    QCOMPARE(hex(Sha256::hash(message)), digest);
    Sha256 sha;
    sha.addData(message.constData(), message.size());
    QCOMPARE(sha.hexResult(), QString::fromLatin1(digest));
}

void TestSha256::millionA()
{
    const QByteArray digest("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    QCOMPARE(hex(Sha256::hash(QByteArray(1000000, 'a'))), digest);
    // The same message fed in the 1000 pieces of 1000 bytes NIST's description suggests.
    const QByteArray thousand(1000, 'a');
    Sha256 sha;
    for (int i = 0; i < 1000; ++i)
        sha.addData(thousand.constData(), thousand.size());
    QCOMPARE(hex(sha.result()), digest);
}

void TestSha256::streamingEqualsOneShot_data()
{
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<QList<int>>("chunks"); // cycled until the message is fed
    QTest::newRow("bytes one by one") << qsizetype(1000) << QList<int> { 1 };
    QTest::newRow("block edges") << qsizetype(100003)
                                 << QList<int> { 63, 64, 65, 1, 127, 128, 129 };
    QTest::newRow("primes") << qsizetype(1 << 20) << QList<int> { 3, 7, 4099, 65537, 11 };
    QTest::newRow("one big chunk, then crumbs")
        << qsizetype((1 << 22) + 5) << QList<int> { (1 << 22) + 1, 1, 3 };
}

void TestSha256::streamingEqualsOneShot()
{
    QFETCH(qsizetype, size);
    QFETCH(QList<int>, chunks);
    const QByteArray message = pattern(size);
    Sha256 sha;
    qsizetype at = 0;
    for (int i = 0; at < size; ++i) {
        const qsizetype n = std::min<qsizetype>(chunks[i % chunks.size()], size - at);
        sha.addData(message.constData() + at, n);
        at += n;
    }
    const QByteArray streamed = sha.result();
    QCOMPARE(streamed.size(), 32);
    QCOMPARE(hex(streamed), hex(Sha256::hash(message)));
    // An independent implementation agrees.
    QCOMPARE(hex(streamed), QCryptographicHash::hash(message, QCryptographicHash::Sha256).toHex());
}

void TestSha256::emptyFeeds()
{
    // Empty and negative sizes add nothing, also between real data.
    Sha256 sha;
    sha.addData(nullptr, 0);
    sha.addData("ab", 2);
    sha.addData("zz", 0);
    sha.addData("zz", -1);
    sha.addData("c", 1);
    QCOMPARE(hex(sha.result()),
        QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

QTEST_GUILESS_MAIN(TestSha256)
#include "tst_sha256.moc"
