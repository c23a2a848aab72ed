// The Compare window against real models written through core: a seeded model and a copy with
// known perturbations of two tensors and one layer renamed; the table, its order and filter,
// the topology changes, the overlaid histograms, identical models, a failing load, cancel; and
// the browser's Compare action, enabled only for exactly two selected models.
#include "comparecontroller.h"
#include "comparewindow.h"
#include "comparison.h"
#include "difftablemodel.h"
#include "histogramview.h"
#include "mainwindow.h"
#include "modelbrowsermodel.h"
#include "modelbrowserpanel.h"
#include "modelbrowserview.h"
#include "tableexport.h"

#include "testmodels.h"
#include "uitestenv.h"
#include "uitestwidgets.h"

#include "base/job.h"
#include "format/artifacts.h"
#include "handlers/registry.h"
#include "schemes/schemes.h"

#include <QAction>
#include <QChart>
#include <QCheckBox>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLegend>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <random>

using namespace tfjs;
using namespace tfjs::ui;

namespace {

// Layers dense_1 (4 -> 8), dense_2 (8 -> 8), dense_3 (8 -> 3); `lastName` names the third.
Json topology(const std::string &lastName)
{
    Json layers = Json::array();
    const std::pair<std::string, int> dense[]
        = { { "dense_1", 8 }, { "dense_2", 8 }, { lastName, 3 } };
    for (const auto &[name, units] : dense) {
        Json config = { { "units", units }, { "name", name }, { "activation", "linear" },
            { "use_bias", true } };
        if (name == "dense_1")
            config["batch_input_shape"] = { nullptr, 4 };
        layers.push_back({ { "class_name", "Dense" }, { "config", config } });
    }
    return { { "class_name", "Sequential" },
        { "config", { { "name", "seq" }, { "layers", layers } } },
        { "keras_version", "tfjs-layers 4.22.0" }, { "backend", "tensor_flow.js" } };
}

struct Tensor
{
    std::string name;
    std::vector<std::int64_t> shape;
    std::vector<float> values;
};

// Seeded values that are multiples of 1/1024 in [-1, 1]: adding 0.25 or 0.5 is exact.
std::vector<Tensor> tensors(const std::string &lastName)
{
    std::mt19937 random(15);
    std::uniform_int_distribution<int> steps(-1024, 1024);
    const std::pair<std::string, std::vector<std::int64_t>> specs[]
        = { { "dense_1/kernel", { 4, 8 } }, { "dense_1/bias", { 8 } },
              { "dense_2/kernel", { 8, 8 } }, { "dense_2/bias", { 8 } },
              { lastName + "/kernel", { 8, 3 } }, { lastName + "/bias", { 3 } } };
    std::vector<Tensor> out;
    for (const auto &[name, shape] : specs) {
        Tensor t { name, shape, {} };
        std::int64_t count = 1;
        for (const std::int64_t d : shape)
            count *= d;
        for (std::int64_t i = 0; i < count; ++i)
            t.values.push_back(float(steps(random)) / 1024.0f);
        out.push_back(std::move(t));
    }
    return out;
}

// Saves the model through core's file:// handler into `dir`.
bool saveModel(const QString &dir, const std::string &lastName, const std::vector<Tensor> &ts)
{
    Json specs = Json::array();
    QByteArray data;
    for (const Tensor &t : ts) {
        specs.push_back({ { "name", t.name }, { "shape", t.shape }, { "dtype", "float32" } });
        data += uitest::floats(t.values);
    }
    Json json = { { "format", "layers-model" }, { "modelTopology", topology(lastName) },
        { "weightsManifest",
            Json::array({ { { "paths", { "weights.bin" } }, { "weights", specs } } }) } };
    auto artifacts = artifactsFromModelJson(json, dir);
    if (!artifacts)
        return false;
    artifacts->weightData.appendBytes(data, QStringLiteral("weights.bin"));
    JobContext ctx;
    return makeDefaultRegistry().save(QStringLiteral("file://") + dir, *artifacts, ctx).has_value();
}

QStringList column(const QAbstractItemModel &model, int column, int role = Qt::DisplayRole)
{
    QStringList values;
    for (int row = 0; row < model.rowCount(); ++row)
        values << model.index(row, column).data(role).toString();
    return values;
}

// Makes the browser's entry of the model in folder `dir` current (and the only one selected).
bool selectModel(ModelBrowserPanel *browser, const QString &dir)
{
    return browser->selectUrl(dir + QStringLiteral("/model.json")) || browser->selectUrl(dir);
}

int rowOf(const QAbstractItemModel &model, const QString &name)
{
    return column(model, DiffTableModel::Name).indexOf(name);
}

} // namespace

class TestCompare : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_a, m_b, m_large;

    // Opens a Compare window for A and B in `window` and waits for its diff.
    CompareWindow *compare(MainWindow &window, const QString &a, const QString &b,
        std::optional<Error> *error = nullptr)
    {
        CompareWindow *compared = window.compare()->compare(
            ModelTarget::of(ModelSource::fromUrl(a)), ModelTarget::of(ModelSource::fromUrl(b)));
        if (!compared)
            return nullptr;
        QSignalSpy done(compared, &CompareWindow::compared);
        if (!done.wait(30000))
            return nullptr;
        if (error)
            *error = done.front().front().value<std::optional<Error>>();
        return compared;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        uitest::isolateSettings(m_dir.filePath(QStringLiteral("store")));
        m_a = m_dir.filePath(QStringLiteral("a"));
        m_b = m_dir.filePath(QStringLiteral("b"));
        QVERIFY(saveModel(m_a, "dense_3", tensors("dense_3")));
        // B: dense_1/kernel[5] + 0.25, dense_2/bias[0] - 0.5 and [3] + 0.125; dense_3 renamed
        // "output" with its weights unchanged.
        std::vector<Tensor> b = tensors("output");
        b[0].values[5] += 0.25f;
        b[3].values[0] -= 0.5f;
        b[3].values[3] += 0.125f;
        QVERIFY(saveModel(m_b, "output", b));
        m_large = m_dir.filePath(QStringLiteral("large"));
        QVERIFY(!uitest::writeLargeModel(m_large, 16, qint64(4) << 20).isEmpty());
    }

    void tableListsThePerturbedTensors()
    {
        MainWindow window;
        std::optional<Error> error;
        CompareWindow *view = compare(window, m_a, m_b, &error);
        QVERIFY(view);
        QVERIFY2(!error, qPrintable(error ? error->toString() : QString()));
        const DiffTableModel &model = *view->tableModel();
        QStringList changed;
        for (int row = 0; row < model.rowCount(); ++row)
            if (model.tensor(row)->status == TensorDiff::Status::Changed)
                changed << QString::fromStdString(model.tensor(row)->name);
        QCOMPARE(changed,
            (QStringList { QStringLiteral("dense_1/kernel"), QStringLiteral("dense_2/bias") }));
        QCOMPARE(model.tensor(rowOf(model, QStringLiteral("dense_1/kernel")))->maxAbs, 0.25);
        QCOMPARE(model.tensor(rowOf(model, QStringLiteral("dense_1/kernel")))->changed, 1);
        QCOMPARE(model.tensor(rowOf(model, QStringLiteral("dense_2/bias")))->maxAbs, 0.5);
        QCOMPARE(model.tensor(rowOf(model, QStringLiteral("dense_2/bias")))->meanAbs, 0.625 / 8);
        QCOMPARE(model.tensor(rowOf(model, QStringLiteral("dense_2/bias")))->changed, 2);
        // The renamed layer's weights are one Renamed row each, not a removal and an addition.
        QCOMPARE(model
                     .index(rowOf(model, QStringLiteral("dense_3/kernel → output/kernel")),
                         DiffTableModel::Status)
                     .data()
                     .toString(),
            QStringLiteral("renamed"));
        QCOMPARE(model.rowCount(), 6);
        QVERIFY2(
            view->status()->text().startsWith(QStringLiteral("Different: 2 of 6 tensors changed")),
            qPrintable(view->status()->text()));
        QVERIFY(view->status()->text().contains(QStringLiteral("max |a−b| 0.5")));
        QVERIFY(view->header()->text().contains(m_a) && view->header()->text().contains(m_b));

        // Sorted by change: the largest relative L2 first, then the unchanged.
        const QAbstractItemModel &shown = *view->filterModel();
        const QStringList names = column(shown, DiffTableModel::Name);
        const double first = shown.index(0, DiffTableModel::RelativeL2)
                                 .data(DiffTableModel::ExportRole)
                                 .toDouble();
        const double second = shown.index(1, DiffTableModel::RelativeL2)
                                  .data(DiffTableModel::ExportRole)
                                  .toDouble();
        QVERIFY2(first > second && second > 0, qPrintable(names.join(u',')));
        const QStringList top { names.at(0), names.at(1) };
        QVERIFY(top.contains(QStringLiteral("dense_1/kernel"))
            && top.contains(QStringLiteral("dense_2/bias")));
        for (int row = 2; row < shown.rowCount(); ++row)
            QCOMPARE(shown.index(row, DiffTableModel::Changed)
                         .data(DiffTableModel::ExportRole)
                         .toLongLong(),
                0);
        // Sorting by name is a click away.
        view->table()->sortByColumn(DiffTableModel::Name, Qt::AscendingOrder);
        QStringList sorted = column(shown, DiffTableModel::Name);
        QStringList expected = sorted;
        std::sort(expected.begin(), expected.end());
        QCOMPARE(sorted, expected);

        // The filter: by name, and only the changed ones.
        view->filterEdit()->setText(QStringLiteral("BIAS"));
        QCOMPARE(column(shown, DiffTableModel::Name).size(), 3);
        for (const QString &name : column(shown, DiffTableModel::Name))
            QVERIFY(name.endsWith(QStringLiteral("bias")));
        view->changedOnly()->setChecked(true); // a rename is a change
        QCOMPARE(column(shown, DiffTableModel::Name),
            (QStringList {
                QStringLiteral("dense_2/bias"), QStringLiteral("dense_3/bias → output/bias") }));
        view->filterEdit()->clear();
        QCOMPARE(shown.rowCount(), 4);
    }

    // Export as CSV writes the rows in the table's order (by change) with unrounded numbers.
    void exportsTheTable()
    {
        MainWindow window;
        CompareWindow *view = compare(window, m_a, m_b);
        QVERIFY(view);
        const QString csv = m_dir.filePath(QStringLiteral("diff.csv"));
        QSignalSpy exported(view->exporter(), &TableExporter::exported);
        view->exporter()->exportCsv(csv);
        QVERIFY(exported.wait(10000));
        QCOMPARE(exported.front().at(1).toString(), QString());
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines
            = QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 7);
        QVERIFY2(lines.at(0).startsWith(QStringLiteral("Tensor,Status,A,B,Max |a−b|")),
            qPrintable(lines.at(0)));
        QVERIFY2(lines.at(1).startsWith(
                     QStringLiteral("dense_2/bias,changed,float32 [8],float32 [8],0.5,0.078125,")),
            qPrintable(lines.at(1)));
    }

    void topologyShowsTheRename()
    {
        MainWindow window;
        CompareWindow *view = compare(window, m_a, m_b);
        QVERIFY(view);
        QTreeWidget *tree = view->topology();
        QStringList items;
        for (int i = 0; i < tree->topLevelItemCount(); ++i)
            items << tree->topLevelItem(i)->text(0);
        // The layer, and the model's outputs that name it.
        QCOMPARE(items,
            (QStringList { QStringLiteral("model (layers-model)"),
                QStringLiteral("renamed layer dense_3 → output") }));
        QCOMPARE(tree->topLevelItem(1)->text(1), QStringLiteral("Dense"));
        QCOMPARE(tree->topLevelItem(1)->childCount(), 0); // nothing else changed
        const QTreeWidgetItem *outputs = tree->topLevelItem(0)->child(0);
        QCOMPARE(outputs->text(0), QStringLiteral("outputs"));
        QCOMPARE(outputs->text(1), QStringLiteral(R"(["dense_3[0][0]"] → ["output[0][0]"])"));
    }

    void selectingATensorOverlaysItsTwoHistograms()
    {
        MainWindow window;
        CompareWindow *view = compare(window, m_a, m_b);
        QVERIFY(view);
        QSignalSpy shown(view, &CompareWindow::histogramsShown);
        const QAbstractItemModel &rows = *view->filterModel();
        const int row = rowOf(rows, QStringLiteral("dense_2/bias"));
        QVERIFY(row >= 0);
        view->table()->setCurrentIndex(rows.index(row, 0));
        QTRY_VERIFY_WITH_TIMEOUT(
            view->histogram()->title().startsWith(QStringLiteral("dense_2/bias in A")), 10000);
        QCOMPARE(view->histogram()->seriesCount(), 2);
        QCOMPARE(view->histogram()->seriesNames(),
            (QStringList { QStringLiteral("A: dense_2/bias"), QStringLiteral("B: dense_2/bias") }));
        QVERIFY(view->histogram()->chart()->legend()->isVisible());
        // A renamed tensor: A's name in A, B's in B.
        view->table()->setCurrentIndex(
            rows.index(rowOf(rows, QStringLiteral("dense_3/bias → output/bias")), 0));
        QTRY_VERIFY_WITH_TIMEOUT(view->histogram()->title().startsWith(
                                     QStringLiteral("dense_3/bias → output/bias in A")),
            10000);
        QCOMPARE(view->histogram()->seriesNames(),
            (QStringList { QStringLiteral("A: dense_3/bias"), QStringLiteral("B: output/bias") }));
    }

    void bothHistogramsShareTheirBins()
    {
        const HandlerRegistry registry = makeDefaultRegistry(HandlerOptions {});
        JobContext ctx;
        auto comparison = compareTargets(registry,
            ModelTarget::of(ModelSource::fromUrl(m_a)),
            ModelTarget::of(ModelSource::fromUrl(m_b)), ctx);
        QVERIFY2(comparison, qPrintable(comparison ? QString() : comparison.error().message));
        auto pair = tensorHistograms(*comparison, QStringLiteral("dense_2/bias"),
                                     QStringLiteral("dense_2/bias"), ctx); // B: [0] - 0.5
        QVERIFY2(pair, qPrintable(pair ? QString() : pair.error().message));
        QCOMPARE(pair->a.counts.size(), std::size_t(kCompareBins));
        QCOMPARE(pair->b.counts.size(), std::size_t(kCompareBins));
        QVERIFY(pair->a.hi > pair->a.lo);
        QCOMPARE(pair->a.lo, pair->b.lo);
        QCOMPARE(pair->a.hi, pair->b.hi);
    }

    void aModelComparedWithItselfIsIdentical()
    {
        MainWindow window;
        std::optional<Error> error;
        CompareWindow *view = compare(window, m_a, m_a, &error);
        QVERIFY(view);
        QVERIFY(!error);
        QCOMPARE(view->status()->text(),
            QStringLiteral("Identical: 6 tensors, same topology and values."));
        QCOMPARE(column(*view->tableModel(), DiffTableModel::Status),
            QStringList(6, QStringLiteral("identical")));
        QCOMPARE(view->topology()->topLevelItem(0)->text(0),
            QStringLiteral("Same topology (layers-model)"));
    }

    void aFailingLoadNamesTheModel()
    {
        MainWindow window;
        const QString missing = m_dir.filePath(QStringLiteral("missing"));
        std::optional<Error> error;
        CompareWindow *view = compare(window, m_a, missing, &error);
        QVERIFY(view);
        QVERIFY(error && !error->isCancelled());
        const QString text = view->status()->text();
        QVERIFY2(text.startsWith(QStringLiteral("Could not load model B (%1): ").arg(missing)),
            qPrintable(text));
        QCOMPARE(view->tableModel()->rowCount(), 0);
        QCOMPARE(view->runButton()->text(), QStringLiteral("Compare Again"));
    }

    void cancelStopsTheJob()
    {
        MainWindow window;
        CompareWindow *view
            = window.compare()->compare(ModelTarget::of(ModelSource::fromUrl(m_large)),
                ModelTarget::of(ModelSource::fromUrl(m_large)));
        QVERIFY(view && view->isRunning());
        QCOMPARE(view->runButton()->text(), QStringLiteral("Cancel"));
        QSignalSpy done(view, &CompareWindow::compared);
        view->runButton()->click();
        QVERIFY(done.wait(30000));
        const auto error = done.front().front().value<std::optional<Error>>();
        QVERIFY(error && error->isCancelled());
        QVERIFY(!view->isRunning());
        QCOMPARE(view->tableModel()->rowCount(), 0);
        QVERIFY(view->status()->text().startsWith(QStringLiteral("Cancelled")));
        // Compare Again runs it to the end.
        done.clear();
        view->runButton()->click();
        QVERIFY(done.wait(60000));
        QVERIFY(!done.front().front().value<std::optional<Error>>());
        QCOMPARE(view->tableModel()->rowCount(), 16);
    }

    void compareNeedsExactlyTwoSelectedModels()
    {
        MainWindow window;
        window.show();
        window.browser()->addFolder(m_dir.path());
        ModelBrowserPanel *browser = window.browser();
        QTRY_VERIFY_WITH_TIMEOUT(selectModel(browser, m_a), 10000);
        QAction *compareAction = window.compare()->compareSelectedAction();
        QVERIFY(!compareAction->isEnabled());
        QCOMPARE(browser->selectedEntries().size(), std::size_t(1));
        // Ctrl+click a second model: two selected, Compare enabled; the current one (B) is
        // what single-model actions act on.
        QVERIFY(selectModel(browser, m_b));
        const QModelIndex second = browser->view()->currentIndex();
        QVERIFY(selectModel(browser, m_a));
        browser->view()->selectionModel()->setCurrentIndex(
            second, QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QCOMPARE(browser->selectedEntries().size(), std::size_t(2));
        QVERIFY(compareAction->isEnabled());
        QCOMPARE(
            window.browserTarget().source.url, second.data(ModelBrowserModel::UrlRole).toString());
        // Three: disabled again.
        QVERIFY(selectModel(browser, m_large));
        const QModelIndex third = browser->view()->currentIndex();
        QVERIFY(selectModel(browser, m_a));
        for (const QModelIndex &index : { second, third })
            browser->view()->selectionModel()->select(
                index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QCOMPARE(browser->selectedEntries().size(), std::size_t(3));
        QVERIFY(!compareAction->isEnabled());
        // Two again, then Compare: A is the upper one.
        browser->view()->selectionModel()->select(
            third, QItemSelectionModel::Deselect | QItemSelectionModel::Rows);
        QVERIFY(compareAction->isEnabled());
        compareAction->trigger();
        auto *view = window.findChild<CompareWindow *>();
        QVERIFY(view);
        QSignalSpy done(view, &CompareWindow::compared);
        QVERIFY(done.wait(30000));
        QVERIFY(view->header()->text().contains(QStringLiteral("A: ") + m_a));
        QCOMPARE(view->tableModel()->rowCount(), 6);
    }

    // Compare With… compares the opened model (A) with the one asked for; the prompt starts
    // with the browser's selected model when it is another one.
    void compareWithAsksForTheOtherModel()
    {
        MainWindow window;
        window.show();
        QAction *compareWith = window.compare()->compareWithAction();
        QVERIFY(!compareWith->isEnabled()); // nothing open
        QVERIFY(uitest::openAndWait(window, m_a));
        QVERIFY(compareWith->isEnabled());
        QCOMPARE(compareWith->text(), QStringLiteral("Compare “a” &With…"));
        QCOMPARE(window.compare()->suggestedOther(), QString()); // nothing else selected

        window.browser()->addFolder(m_dir.path());
        QTRY_VERIFY_WITH_TIMEOUT(selectModel(window.browser(), m_b), 10000);
        const QString other = window.browserTarget().source.url;
        QCOMPARE(window.compare()->suggestedOther(), other);
        compareWith->trigger();
        auto *dialog = uitest::waitForChild<QInputDialog>(&window, QStringLiteral("askTextDialog"));
        QVERIFY(dialog);
        QCOMPARE(dialog->textValue(), other);
        dialog->accept();
        auto *view = window.findChild<CompareWindow *>();
        QVERIFY(view);
        QSignalSpy done(view, &CompareWindow::compared);
        QVERIFY(done.wait(30000));
        QVERIFY(view->header()->text().startsWith(QStringLiteral("A: ") + m_a));
        QVERIFY(view->header()->text().contains(QStringLiteral("B: ") + other));
        QVERIFY(view->status()->text().startsWith(QStringLiteral("Different: 2 of 6")));
    }
};

QTEST_MAIN(TestCompare)
#include "tst_compare.moc"
