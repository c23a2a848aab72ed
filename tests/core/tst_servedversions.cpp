// The model server's memory of the versions its model.json answers described: how many, how
// long, and that each tag finds its own model.
#include "serve/servedversions.h"

#include <QRegularExpression>
#include <QTest>
#include <QThread>

using namespace tfjs;

namespace {

ModelArtifacts modelWith(const QByteArray &weights)
{
    ModelArtifacts model;
    model.weightData = WeightData::fromBytes(weights);
    return model;
}

QByteArray weightsOf(const std::optional<ModelArtifacts> &model)
{
    if (!model)
        return "(none)";
    auto bytes = model->weightData.readAll();
    return bytes ? *bytes : QByteArray("(unreadable)");
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
    const QString a = served.remember(modelWith("aaaa"));
    const QString b = served.remember(modelWith("bbbb"));
    QVERIFY(a != b);
    QVERIFY2(QRegularExpression(QStringLiteral("^[0-9a-f]{16}$")).match(a).hasMatch(), qPrintable(a));
    QCOMPARE(weightsOf(served.find(a)), QByteArray("aaaa"));
    QCOMPARE(weightsOf(served.find(b)), QByteArray("bbbb"));
    QCOMPARE(weightsOf(served.find(QStringLiteral("0123456789abcdef"))), QByteArray("(none)"));
}

void TestServedVersions::theOldestGoFirst()
{
    ServedVersions served(3);
    QStringList tags;
    for (int i = 0; i < 5; ++i)
        tags << served.remember(modelWith(QByteArray::number(i)));
    QVERIFY(!served.find(tags[0]));
    QVERIFY(!served.find(tags[1]));
    for (int i = 2; i < 5; ++i)
        QCOMPARE(weightsOf(served.find(tags[i])), QByteArray::number(i));
}

void TestServedVersions::expire()
{
    ServedVersions served(16, 1000);
    const QString old = served.remember(modelWith("old"));
    QThread::msleep(1100);
    const QString fresh = served.remember(modelWith("fresh"));
    QVERIFY(!served.find(old));
    QCOMPARE(weightsOf(served.find(fresh)), QByteArray("fresh"));
}

QTEST_GUILESS_MAIN(TestServedVersions)
#include "tst_servedversions.moc"
