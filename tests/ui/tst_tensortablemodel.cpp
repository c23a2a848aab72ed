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

TensorStatsRow stats(qint64 count, double min, double max, qint64 zeros = 0, qint64 nans = 0, qint64 posInfs = 0,
                     qint64 negInfs = 0)
{
    TensorStatsRow s;
    s.count = count;
    s.finite = count - nans - posInfs - negInfs;
    s.min = min;
    s.max = max;
    s.mean = (min + max) / 2;
    s.zeros = zeros;
    s.nans = nans;
    s.posInfs = posInfs;
    s.negInfs = negInfs;
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
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("dtype");
        QTest::addColumn<qint64>("zeros");
        QTest::addColumn<qint64>("nans");
        QTest::addColumn<qint64>("posInfs");
        QTest::addColumn<qint64>("negInfs");
        QTest::addColumn<QString>("text");
        const int f32 = int(DType::Float32), i32 = int(DType::Int32), b = int(DType::Bool);
        QTest::newRow("healthy") << QStringLiteral("dense/kernel") << f32 << qint64(1) << qint64(0) << qint64(0) << qint64(0) << QString();
        QTest::newRow("nan") << QStringLiteral("dense/kernel") << f32 << qint64(0) << qint64(2) << qint64(0) << qint64(0) << QStringLiteral("2 NaN");
        QTest::newRow("+inf") << QStringLiteral("dense/kernel") << f32 << qint64(0) << qint64(0) << qint64(1) << qint64(0) << QStringLiteral("1 +Inf");
        // The CLI says -Inf; so does the table.
        QTest::newRow("-inf") << QStringLiteral("dense/kernel") << f32 << qint64(0) << qint64(0) << qint64(0) << qint64(1) << QStringLiteral("1 -Inf");
        QTest::newRow("all zero kernel") << QStringLiteral("dense/kernel") << f32 << qint64(4) << qint64(0) << qint64(0) << qint64(0) << QStringLiteral("all zero");
        QTest::newRow("nan and both infs") << QStringLiteral("dense/kernel") << f32 << qint64(0) << qint64(1) << qint64(1) << qint64(2)
                                           << QStringLiteral("1 NaN, 1 +Inf, 2 -Inf");
        // Zero is how these start: not a warning.
        QTest::newRow("zero bias") << QStringLiteral("dense/bias") << f32 << qint64(4) << qint64(0) << qint64(0) << qint64(0) << QString();
        QTest::newRow("zero graph bias") << QStringLiteral("StatefulPartitionedCall/model/conv/BiasAdd/ReadVariableOp") << f32 << qint64(4)
                                         << qint64(0) << qint64(0) << qint64(0) << QString();
        QTest::newRow("zero beta") << QStringLiteral("bn/beta") << f32 << qint64(4) << qint64(0) << qint64(0) << qint64(0) << QString();
        QTest::newRow("zero moving mean") << QStringLiteral("bn/moving_mean") << f32 << qint64(4) << qint64(0) << qint64(0) << qint64(0) << QString();
        QTest::newRow("zero moving variance") << QStringLiteral("bn/moving_variance") << f32 << qint64(4) << qint64(0) << qint64(0) << qint64(0)
                                              << QStringLiteral("all zero");
        // Zeros are normal for int32 and bool tensors (constants, shapes, masks).
        QTest::newRow("int32 zero constant") << QStringLiteral("Const_3") << i32 << qint64(4) << qint64(0) << qint64(0) << qint64(0) << QString();
        QTest::newRow("bool all false") << QStringLiteral("mask") << b << qint64(4) << qint64(0) << qint64(0) << qint64(0) << QString();
    }

    void warnings()
    {
        QFETCH(QString, name);
        QFETCH(int, dtype);
        QFETCH(qint64, zeros);
        QFETCH(qint64, nans);
        QFETCH(qint64, posInfs);
        QFETCH(qint64, negInfs);
        QFETCH(QString, text);
        TensorTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const quint64 generation = model.setSpecs({spec(name.toStdString(), {4}, DType(dtype)), spec("u", {4})});
        QSignalSpy changed(&model, &TensorTableModel::warningsChanged);
        QVERIFY(model.setStats(generation, 0, stats(4, 0, 1, zeros, nans, posInfs, negInfs)));
        QCOMPARE(model.index(0, 0).data(TensorTableModel::WarningRole).toString(), text);
        const auto w = model.warnings();
        QCOMPARE(w.nanTensors, nans > 0 ? 1 : 0);
        QCOMPARE(w.infTensors, posInfs + negInfs > 0 ? 1 : 0);
        QCOMPARE(w.zeroTensors, text.contains(QStringLiteral("all zero")) ? 1 : 0);
        QCOMPARE(changed.size(), text.isEmpty() ? 0 : 1);
        // Red cells only where there is a warning: never for an int32 zero constant.
        const bool zeroRed = model.index(0, TensorTableModel::Zeros).data(Qt::BackgroundRole).isValid();
        QCOMPARE(zeroRed, text.contains(QStringLiteral("all zero")));
        QCOMPARE(model.index(0, TensorTableModel::NegInfs).data(Qt::BackgroundRole).isValid(), negInfs > 0);
        QCOMPARE(model.index(0, TensorTableModel::PosInfs).data(Qt::BackgroundRole).isValid(), posInfs > 0);
        QCOMPARE(model.index(0, TensorTableModel::Name).data(Qt::DecorationRole).isValid(), !text.isEmpty());
        QCOMPARE(model.index(0, TensorTableModel::NegInfs).data().toString(), QString::number(negInfs));
        QCOMPARE(model.index(0, TensorTableModel::PosInfs).data().toString(), QString::number(posInfs));
        // Replacing the statistics does not count a tensor twice.
        QVERIFY(model.setStats(generation, 0, stats(4, 0, 1, zeros, nans, posInfs, negInfs)));
        QCOMPARE(model.warnings().nanTensors, w.nanTensors);

        TensorFilterModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setWarningsOnly(true);
        QCOMPARE(proxy.rowCount(), text.isEmpty() ? 0 : 1);
    }

    void headersNameBothInfinities()
    {
        TensorTableModel model;
        QCOMPARE(model.headerData(TensorTableModel::PosInfs, Qt::Horizontal).toString(), QStringLiteral("+Inf"));
        QCOMPARE(model.headerData(TensorTableModel::NegInfs, Qt::Horizontal).toString(), QStringLiteral("-Inf"));
    }

    void exportRoleKeepsFullPrecision()
    {
        TensorTableModel model;
        const quint64 generation = model.setSpecs({spec("dense/kernel", {3, 2}), spec("names", {4}, DType::String)});
        TensorStatsRow s = stats(6, -1.2345678901234, 3.5, 1, 0, 0, 2);
        QVERIFY(model.setStats(generation, 0, s));
        QCOMPARE(model.index(0, TensorTableModel::Min).data().toString(), QStringLiteral("-1.2346")); // shown
        QCOMPARE(model.index(0, TensorTableModel::Min).data(TensorTableModel::ExportRole).toDouble(), -1.2345678901234);
        QCOMPARE(model.index(0, TensorTableModel::Shape).data(TensorTableModel::ExportRole).toString(), QStringLiteral("[3, 2]"));
        QCOMPARE(model.index(0, TensorTableModel::Zeros).data(TensorTableModel::ExportRole).toLongLong(), 1);
        QCOMPARE(model.index(0, TensorTableModel::NegInfs).data(TensorTableModel::ExportRole).toLongLong(), 2);
        QCOMPARE(model.index(0, TensorTableModel::Bytes).data(TensorTableModel::ExportRole).toLongLong(), 24);
        QCOMPARE(model.index(1, TensorTableModel::Bytes).data(TensorTableModel::ExportRole).toString(), QStringLiteral("variable"));
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
