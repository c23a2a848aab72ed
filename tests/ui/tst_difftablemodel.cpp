// DiffTableModel shows core's TensorDiff rows; DiffFilterModel orders them by change and
// filters them by name.
#include "difftablemodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

#include <cmath>

using namespace tfjs;
using namespace tfjs::ui;

namespace {

WeightSpec spec(std::vector<std::int64_t> shape, DType dtype = DType::Float32)
{
    WeightSpec s;
    s.name = "w";
    s.shape = std::move(shape);
    s.dtype = dtype;
    return s;
}

TensorDiff tensor(
    const char *name, TensorDiff::Status status, double relativeL2 = TensorDiff::kNone)
{
    TensorDiff t;
    t.name = name;
    t.status = status;
    if (status != TensorDiff::Status::Added)
        t.a = spec({ 2, 2 });
    if (status != TensorDiff::Status::Removed)
        t.b = spec({ 2, 2 });
    t.compared = status == TensorDiff::Status::Identical || status == TensorDiff::Status::Changed;
    if (t.compared) {
        t.values = 4;
        t.changed = status == TensorDiff::Status::Changed ? 1 : 0;
        t.maxAbs = t.changed ? relativeL2 * 2 : 0;
        t.meanAbs = t.maxAbs / 4;
        t.relativeL2 = status == TensorDiff::Status::Changed ? relativeL2 : 0;
        t.cosine = 1;
    }
    return t;
}

QStringList names(const QAbstractItemModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, DiffTableModel::Name).data().toString();
    return out;
}

} // namespace

class TestDiffTableModel : public QObject
{
    Q_OBJECT

private slots:
    void showsEachTensor()
    {
        DiffTableModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        TensorDiff renamed = tensor("old", TensorDiff::Status::Renamed);
        renamed.newName = "new";
        TensorDiff reshaped = tensor("reshaped", TensorDiff::Status::Changed);
        reshaped.b = spec({ 4 });
        reshaped.compared = false;
        model.setTensors({ tensor("same", TensorDiff::Status::Identical),
            tensor("small", TensorDiff::Status::Changed, 0.25), renamed,
            tensor("gone", TensorDiff::Status::Removed), reshaped });
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), int(DiffTableModel::ColumnCount));
        auto text
            = [&model](int row, int column) { return model.index(row, column).data().toString(); };
        QCOMPARE(text(1, DiffTableModel::Status), QStringLiteral("changed"));
        QCOMPARE(text(1, DiffTableModel::A), QStringLiteral("float32 [2, 2]"));
        QCOMPARE(text(1, DiffTableModel::MaxAbs), QStringLiteral("0.5"));
        QCOMPARE(text(1, DiffTableModel::RelativeL2), QStringLiteral("0.25"));
        QCOMPARE(text(1, DiffTableModel::Changed), QStringLiteral("1 / 4"));
        QCOMPARE(model.index(1, DiffTableModel::MaxAbs).data(DiffTableModel::ExportRole).toDouble(),
            0.5);
        QCOMPARE(text(2, DiffTableModel::Name), QStringLiteral("old → new"));
        QCOMPARE(text(2, DiffTableModel::Status), QStringLiteral("renamed"));
        QCOMPARE(text(3, DiffTableModel::B), QStringLiteral("—"));
        QCOMPARE(text(3, DiffTableModel::Status), QStringLiteral("removed in B"));
        QVERIFY(text(3, DiffTableModel::MaxAbs).isEmpty()); // not compared
        QVERIFY(!model.index(3, DiffTableModel::MaxAbs).data(DiffTableModel::ExportRole).isValid());
        QCOMPARE(text(4, DiffTableModel::B), QStringLiteral("float32 [4]"));
        QVERIFY(text(4, DiffTableModel::Changed).isEmpty());
        QVERIFY(!model.index(0, 0).data(DiffTableModel::ChangedRole).toBool());
        QVERIFY(model.index(2, 0).data(DiffTableModel::ChangedRole).toBool());
    }

    // By change: what cannot be compared (removed, added, reshaped) first, then the largest
    // relative L2; identical and renamed tensors last. Filters: a name substring, changed only.
    void sortsByChangeAndFilters()
    {
        DiffTableModel model;
        DiffFilterModel filter;
        QAbstractItemModelTester tester(
            &filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setSourceModel(&model);
        model.setTensors({ tensor("a/same", TensorDiff::Status::Identical),
            tensor("a/small", TensorDiff::Status::Changed, 0.01),
            tensor("b/large", TensorDiff::Status::Changed, 2.0),
            tensor("b/gone", TensorDiff::Status::Removed),
            tensor("c/mid", TensorDiff::Status::Changed, 0.5) });
        filter.sort(DiffTableModel::RelativeL2, Qt::DescendingOrder);
        QCOMPARE(names(filter).mid(0, 4),
            (QStringList { QStringLiteral("b/gone"), QStringLiteral("b/large"),
                QStringLiteral("c/mid"), QStringLiteral("a/small") }));
        filter.setNameFilter(QStringLiteral(" B/ "));
        QCOMPARE(
            names(filter), (QStringList { QStringLiteral("b/gone"), QStringLiteral("b/large") }));
        filter.setNameFilter(QStringLiteral("a/"));
        filter.setChangedOnly(true);
        QCOMPARE(names(filter), QStringList { QStringLiteral("a/small") });
        filter.setNameFilter({});
        QCOMPARE(filter.rowCount(), 4);
    }
};

QTEST_MAIN(TestDiffTableModel)
#include "tst_difftablemodel.moc"
