#include "headersmodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace tfjs::ui;

class TestHeadersModel : public QObject
{
    Q_OBJECT

private slots:
    void looksSecret_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("secret");
        QTest::newRow("Authorization") << QStringLiteral("Authorization") << true;
        QTest::newRow("x-api-key") << QStringLiteral("x-api-key") << true;
        QTest::newRow("X-Auth-Token") << QStringLiteral("X-Auth-Token") << true;
        QTest::newRow("Cookie") << QStringLiteral("Cookie") << true;
        QTest::newRow("Content-Type") << QStringLiteral("Content-Type") << false;
        QTest::newRow("X-Request-Id") << QStringLiteral("X-Request-Id") << false;
    }

    void looksSecret()
    {
        QFETCH(QString, name);
        QFETCH(bool, secret);
        QCOMPARE(HeadersModel::looksSecret(name), secret);
    }

    void secretValuesAreMasked()
    {
        HeadersModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int row = model.addRow();
        QVERIFY(model.setData(model.index(row, HeadersModel::Name), QStringLiteral("Authorization")));
        QVERIFY(model.setData(model.index(row, HeadersModel::Value), QStringLiteral("Bearer s3cret")));
        QCOMPARE(model.index(row, HeadersModel::Secret).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QCOMPARE(model.index(row, HeadersModel::Value).data().toString(), QString(8, QChar(0x2022)) /* eight bullets */);
        QCOMPARE(model.index(row, HeadersModel::Value).data(Qt::EditRole).toString(), QStringLiteral("Bearer s3cret"));
        model.setRevealed(true);
        QCOMPARE(model.index(row, HeadersModel::Value).data().toString(), QStringLiteral("Bearer s3cret"));
        model.setRevealed(false);

        // Unticking "secret" by hand sticks even when the name changes.
        QVERIFY(model.setData(model.index(row, HeadersModel::Secret), int(Qt::Unchecked), Qt::CheckStateRole));
        QCOMPARE(model.index(row, HeadersModel::Value).data().toString(), QStringLiteral("Bearer s3cret"));
        QVERIFY(model.setData(model.index(row, HeadersModel::Name), QStringLiteral("X-Token")));
        QVERIFY(!model.rows().front().secret);
    }

    void headersAreTrimmedAndNamed()
    {
        HeadersModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows({{QStringLiteral(" X-A "), QStringLiteral(" 1 "), false}, {QString(), QStringLiteral("dropped"), false},
                       {QStringLiteral("Authorization"), QStringLiteral("t"), true}});
        const QList<HeaderRow> headers = model.headers();
        QCOMPARE(headers.size(), 2);
        QCOMPARE(headers[0], (HeaderRow{QStringLiteral("X-A"), QStringLiteral("1"), false}));
        QCOMPARE(headers[1], (HeaderRow{QStringLiteral("Authorization"), QStringLiteral("t"), true}));
        model.removeRowAt(1);
        QCOMPARE(model.rowCount(), 2);
        model.removeRowAt(7); // out of range: nothing
        QCOMPARE(model.rowCount(), 2);
    }
};

QTEST_MAIN(TestHeadersModel)
#include "tst_headersmodel.moc"
