#include "tensortablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace tfjs;
using namespace tfjs::ui;

namespace {

WeightSpec spec(const std::string &name, std::vector<std::int64_t> shape, DType dtype = DType::Float32)
{
    WeightSpec s;
    s.name = name;
    s.shape = std::move(shape);
    s.dtype = dtype;
    return s;
}

TensorStatsRow stats(qint64 count, double min, double max, qint64 zeros = 0, qint64 nans = 0, qint64 infs = 0)
{
    TensorStatsRow s;
    s.count = count;
    s.finite = count - nans - infs;
    s.min = min;
    s.max = max;
    s.mean = (min + max) / 2;
    s.zeros = zeros;
    s.nans = nans;
    s.infs = infs;
    s.histogram = {1, 2, 3};
    s.histogramMin = min;
    s.histogramMax = max;
    return s;
}

} // namespace

class TestTensorTableModel : public QObject
{
    Q_OBJECT

private slots:
    void specsAndStats()
    {
        TensorTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const quint64 generation = model.setSpecs({spec("dense/kernel", {3, 2}), spec("dense/bias", {2}),
                                                   spec("names", {4}, DType::String)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, TensorTableModel::Shape).data().toString(), QStringLiteral("[3, 2]"));
        QCOMPARE(model.index(0, TensorTableModel::Bytes).data().toString(), QStringLiteral("24 bytes"));
        QCOMPARE(model.index(2, TensorTableModel::Bytes).data().toString(), QStringLiteral("variable"));
        QVERIFY(!model.index(0, TensorTableModel::Min).data().isValid()); // not computed yet

        QVERIFY(model.setStats(generation, 0, stats(6, -1.25, 3.5, 1)));
        QCOMPARE(model.index(0, TensorTableModel::Min).data().toString(), QStringLiteral("-1.25"));
        QCOMPARE(model.index(0, TensorTableModel::Max).data(TensorTableModel::RawValueRole).toDouble(), 3.5);
        QCOMPARE(model.index(0, TensorTableModel::Zeros).data().toString(), QStringLiteral("1 (16.7%)"));
        QVERIFY(model.index(0, TensorTableModel::Name).data(TensorTableModel::WarningRole).toString().isEmpty());

        // A new model's generation drops late statistics of the old one.
        const quint64 next = model.setSpecs({spec("other", {1})});
        QVERIFY(next != generation);
        QVERIFY(!model.setStats(generation, 0, stats(1, 0, 0)));
        QVERIFY(!model.index(0, TensorTableModel::Min).data().isValid());
        QVERIFY(!model.setStats(next, 5, stats(1, 0, 0)));
    }

    void warnings_data()
    {
        QTest::addColumn<qint64>("zeros");
        QTest::addColumn<qint64>("nans");
        QTest::addColumn<qint64>("infs");
        QTest::addColumn<QString>("text");
        QTest::newRow("healthy") << qint64(1) << qint64(0) << qint64(0) << QString();
        QTest::newRow("nan") << qint64(0) << qint64(2) << qint64(0) << QStringLiteral("2 NaN");
        QTest::newRow("inf") << qint64(0) << qint64(0) << qint64(1) << QStringLiteral("1 Inf");
        QTest::newRow("all zero") << qint64(4) << qint64(0) << qint64(0) << QStringLiteral("all zero");
        QTest::newRow("nan and inf") << qint64(0) << qint64(1) << qint64(3) << QStringLiteral("1 NaN, 3 Inf");
    }

    void warnings()
    {
        QFETCH(qint64, zeros);
        QFETCH(qint64, nans);
        QFETCH(qint64, infs);
        QFETCH(QString, text);
        TensorTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const quint64 generation = model.setSpecs({spec("t", {4}), spec("u", {4})});
        QSignalSpy changed(&model, &TensorTableModel::warningsChanged);
        QVERIFY(model.setStats(generation, 0, stats(4, 0, 1, zeros, nans, infs)));
        QCOMPARE(model.index(0, 0).data(TensorTableModel::WarningRole).toString(), text);
        const auto w = model.warnings();
        QCOMPARE(w.nanTensors, nans > 0 ? 1 : 0);
        QCOMPARE(w.infTensors, infs > 0 ? 1 : 0);
        QCOMPARE(w.zeroTensors, zeros == 4 ? 1 : 0);
        QCOMPARE(changed.size(), text.isEmpty() ? 0 : 1);
        // Replacing the statistics does not count a tensor twice.
        QVERIFY(model.setStats(generation, 0, stats(4, 0, 1, zeros, nans, infs)));
        QCOMPARE(model.warnings().nanTensors, w.nanTensors);

        TensorFilterModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setWarningsOnly(true);
        QCOMPARE(proxy.rowCount(), text.isEmpty() ? 0 : 1);
    }

    void sortsByRawValueAndFiltersByName()
    {
        TensorTableModel model;
        TensorFilterModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const quint64 generation = model.setSpecs({spec("a/kernel", {10}), spec("b/kernel", {9}), spec("c/bias", {100})});
        model.setStats(generation, 0, stats(10, -5, 10));
        model.setStats(generation, 1, stats(9, -20, 9));
        model.setStats(generation, 2, stats(100, 2, 100));
        proxy.sort(TensorTableModel::Elements, Qt::AscendingOrder); // 9 < 10 < 100, not "10" < "100" < "9"
        QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("b/kernel"));
        QCOMPARE(proxy.index(2, 0).data().toString(), QStringLiteral("c/bias"));
        proxy.sort(TensorTableModel::Min, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("b/kernel"));
        QCOMPARE(proxy.index(1, 0).data().toString(), QStringLiteral("a/kernel"));
        proxy.setNameFilter(QStringLiteral("KERNEL"));
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setNameFilter(QStringLiteral("bias"));
        QCOMPARE(proxy.rowCount(), 1);
    }
};

QTEST_MAIN(TestTensorTableModel)
#include "tst_tensortablemodel.moc"
