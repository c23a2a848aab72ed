// The model server's memory of the versions its model.json answers described: how many, how
// long, and that each tag finds its own weights' hash.
#include "serve/servedversions.h"

#include <QRegularExpression>
#include <QTest>
#include <QThread>

using namespace tfjs;

namespace {

QString hashOf(const std::optional<QString> &hash)
{
    return hash ? *hash : QStringLiteral("(none)");
}

} // namespace

class TestServedVersions : public QObject
{
    Q_OBJECT

private slots:
    void eachTagFindsItsModel();
    void theOldestGoFirst();
    void expire();
};

void TestServedVersions::eachTagFindsItsModel()
{
    ServedVersions served;
    const QString a = served.remember(QStringLiteral("aaaa"));
    const QString b = served.remember(QStringLiteral("bbbb"));
    QVERIFY(a != b);
    QVERIFY2(QRegularExpression(QStringLiteral("^[0-9a-f]{16}$")).match(a).hasMatch(), qPrintable(a));
    QCOMPARE(hashOf(served.find(a)), QStringLiteral("aaaa"));
    QCOMPARE(hashOf(served.find(b)), QStringLiteral("bbbb"));
    QCOMPARE(hashOf(served.find(QStringLiteral("0123456789abcdef"))), QStringLiteral("(none)"));
}

void TestServedVersions::theOldestGoFirst()
{
    ServedVersions served(3);
    QStringList tags;
    for (int i = 0; i < 5; ++i)
        tags << served.remember(QString::number(i));
    QVERIFY(!served.find(tags[0]));
    QVERIFY(!served.find(tags[1]));
    for (int i = 2; i < 5; ++i)
        QCOMPARE(hashOf(served.find(tags[i])), QString::number(i));
}

void TestServedVersions::expire()
{
    ServedVersions served(16, 1000);
    const QString old = served.remember(QStringLiteral("old"));
    QThread::msleep(1100);
    const QString fresh = served.remember(QStringLiteral("fresh"));
    QVERIFY(!served.find(old));
    QCOMPARE(hashOf(served.find(fresh)), QStringLiteral("fresh"));
}

QTEST_GUILESS_MAIN(TestServedVersions)
#include "tst_servedversions.moc"
