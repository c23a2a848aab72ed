// Quantize…: the preview fills the table with core's report (and writes nothing), Save To…
// writes a model that loads and is quantized, a taken destination asks Replace / Keep Both /
// Cancel, and a cancelled save or preview leaves nothing. Real folders and core throughout.
#include "formatting.h"
#include "jobtracker.h"
#include "mainwindow.h"
#include "modelbrowserpanel.h"
#include "modelcommands.h"
#include "quantizedialog.h"
#include "rowtablemodel.h"
#include "savetodialog.h"

#include "testmodels.h"
#include "uitestenv.h"
#include "uitestwidgets.h"

#include "base/job.h"
#include "format/quantize.h"
#include "schemes/schemes.h"

#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;
using namespace tfjs::ui;
using uitest::filesUnder;

Q_DECLARE_METATYPE(tfjs::QuantDType)

namespace {

// The report core gives for the model at `url`.
QuantizeResult coreReport(const QString &url, QuantDType dtype)
{
    JobContext ctx;
    auto artifacts = makeDefaultRegistry().load(url, ctx);
    if (!artifacts)
        qFatal("cannot load %s", qPrintable(url));
    QuantizeOptions options;
    options.dtype = dtype;
    auto result = quantizeModel(*artifacts, options, ctx);
    if (!result)
        qFatal("cannot quantize %s", qPrintable(url));
    return std::move(*result);
}

} // namespace

class TestQuantizeDialog : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::shared_ptr<const HandlerRegistry> m_registry;
    QString m_dense; // file:// URL of the Dense model
    QString m_large; // file:// URL of a 64 MiB model

    QString path(const QString &name) const { return m_dir.filePath(name); }
    ModelTarget target(const QString &url) const
    {
        return ModelTarget::of(ModelSource::fromUrl(url));
    }

    // Chooses `folder` in the Save To dialog the Quantize dialog opened, and saves.
    static bool saveInto(QuantizeDialog &dialog, const QString &folder)
    {
        dialog.chooseDestination();
        auto *saveTo = uitest::waitForChild<SaveToDialog>(&dialog);
        if (!saveTo || saveTo->destinations().contains(QString())) // no Upload offered
            return false;
        saveTo->setDestination(QStringLiteral("file"));
        saveTo->setFolder(folder);
        QAbstractButton *save = uitest::buttonWithText(saveTo, QStringLiteral("Save"));
        if (!save)
            return false;
        save->click();
        return true;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        uitest::isolateSettings(path(QStringLiteral("store")));
        m_registry = std::make_shared<const HandlerRegistry>(makeDefaultRegistry());
        m_dense = QStringLiteral("file://")
            + uitest::writeDenseModel(path(QStringLiteral("models/dense")));
        m_large = QStringLiteral("file://")
            + uitest::writeLargeModel(path(QStringLiteral("models/large")), 16, qint64(4) << 20);
        QVERIFY(m_large.endsWith(QStringLiteral("model.json")));
    }

    void windowActionsQuantizeTheSelectedModel()
    {
        // The browser's context menu and the Model menu act on the selected entry, not on the
        // opened model.
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        JobContext ctx;
        const HandlerRegistry registry = makeDefaultRegistry(window.handlerOptions());
        auto graph = registry.load(uitest::writeGraphModel(path(QStringLiteral("graph"))), ctx);
        QVERIFY(graph);
        QVERIFY(registry.save(QStringLiteral("indexeddb://graph"), *graph, ctx));
        window.browser()->refreshStores();
        QVERIFY(uitest::openAndWait(window, m_dense));
        QTRY_VERIFY_WITH_TIMEOUT(
            window.browser()->selectUrl(QStringLiteral("indexeddb://graph")), 10000);
        QVERIFY(uitest::triggerContextAction(
            window, QStringLiteral("indexeddb://graph"), QStringLiteral("quantize")));
        auto *dialog = uitest::waitForChild<QuantizeDialog>(&window);
        QVERIFY(dialog);
        QCOMPARE(dialog->windowTitle(), QStringLiteral("Quantize “graph”"));
        QCOMPARE(dialog->model().source.url, QStringLiteral("indexeddb://graph"));
        dialog->close();
        QTRY_VERIFY(!window.findChild<QuantizeDialog *>());
        QAction *menuAction = window.action(QStringLiteral("quantize"));
        QCOMPARE(menuAction->text(), QStringLiteral("&Quantize “graph”…"));
        menuAction->trigger();
        dialog = uitest::waitForChild<QuantizeDialog>(&window);
        QVERIFY(dialog);
        QCOMPARE(dialog->model().source.url, QStringLiteral("indexeddb://graph"));
    }

    void previewShowsCoreReport_data()
    {
        QTest::addColumn<QuantDType>("dtype");
        QTest::newRow("uint8") << QuantDType::UInt8;
        QTest::newRow("float16") << QuantDType::Float16;
    }

    void previewShowsCoreReport()
    {
        QFETCH(QuantDType, dtype);
        JobTracker jobs;
        const auto before = filesUnder(m_dir.path());
        QuantizeDialog dialog(target(m_dense), m_registry, &jobs, {});
        dialog.setDType(dtype);
        QSignalSpy shown(&dialog, &QuantizeDialog::previewShown);
        dialog.previewButton()->click();
        QVERIFY(shown.wait(10000));

        const QuantizeResult report = coreReport(m_dense, dtype);
        const RowTableModel *rows = dialog.tableModel();
        QCOMPARE(rows->rowCount(), int(report.tensors.size()) + 1); // and the totals
        const auto raw = [rows](int row, int column) {
            return rows->data(rows->index(row, column), RowTableModel::RawValueRole);
        };
        for (int i = 0; i < int(report.tensors.size()); ++i) {
            const TensorQuantization &t = report.tensors[std::size_t(i)];
            QCOMPARE(raw(i, 0).toString(), QString::fromStdString(t.name));
            QCOMPARE(raw(i, 1).toString(), QString::fromLatin1(quantDTypeName(dtype)));
            QCOMPARE(raw(i, 2).toLongLong(), t.bytesBefore);
            QCOMPARE(raw(i, 3).toLongLong(), t.bytesAfter);
            QCOMPARE(raw(i, 4).toDouble(), t.maxAbs);
            QCOMPARE(raw(i, 5).toDouble(), t.meanAbs);
            QCOMPARE(raw(i, 6).toDouble(), t.relativeL2);
        }
        const int total = int(report.tensors.size());
        QCOMPARE(raw(total, 2).toLongLong(), report.bytesBefore);
        QCOMPARE(raw(total, 3).toLongLong(), report.bytesAfter);
        QVERIFY2(dialog.totalsLabel()->text()
                == QStringLiteral("%1 of %1 tensors quantized to %2; weights %3 → %4 (%5%)")
                       .arg(total)
                       .arg(QString::fromLatin1(quantDTypeName(dtype)),
                           formatBytes(report.bytesBefore), formatBytes(report.bytesAfter),
                           dtype == QuantDType::UInt8 ? QStringLiteral("25.0")
                                                      : QStringLiteral("50.0")),
            qPrintable(dialog.totalsLabel()->text()));
        QCOMPARE(filesUnder(m_dir.path()), before); // a preview writes nothing
    }

    void saveWritesQuantizedModel()
    {
        JobTracker jobs;
        QWidget window;
        ModelCommands commands(&jobs, &window);
        commands.setOptions({}, m_registry);
        QuantizeDialog dialog(target(m_dense), m_registry, &jobs, {});
        connect(&dialog, &QuantizeDialog::quantizeRequested, &commands,
            [&](const QString &url, const QuantizeOptions &options) {
                commands.quantize(dialog.model(), url, options);
            });
        dialog.setDType(QuantDType::UInt16);
        QSignalSpy saved(&commands, &ModelCommands::saved);
        const QString out = path(QStringLiteral("out/uint16"));
        QVERIFY(saveInto(dialog, out));
        QVERIFY(saved.wait(10000));
        QCOMPARE(saved.at(0).at(0).toString(), QStringLiteral("file://") + out);

        JobContext ctx;
        auto loaded = m_registry->load(QStringLiteral("file://") + out, ctx);
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().toString()));
        for (const WeightSpec &spec : *loaded->weightSpecs)
            QCOMPARE(spec.quantization->dtype, QuantDType::UInt16);
        const QuantizeResult report = coreReport(m_dense, QuantDType::UInt16);
        QCOMPARE(*loaded->weightData.readAll(), *report.artifacts.weightData.readAll());
    }

    void replaceAsks()
    {
        JobTracker jobs;
        QWidget window;
        window.show();
        ModelCommands commands(&jobs, &window);
        commands.setOptions({}, m_registry);
        const QString out = path(QStringLiteral("taken"));
        uitest::writeGraphModel(out);
        const auto before = filesUnder(out);
        QSignalSpy saved(&commands, &ModelCommands::saved);

        // Cancel: nothing changes.
        commands.quantize(target(m_dense), QStringLiteral("file://") + out, {});
        auto *box = uitest::waitForChild<QMessageBox>(&window, QStringLiteral("replaceBox"));
        QVERIFY(box);
        QVERIFY2(box->text().startsWith(QStringLiteral("file://%1 already holds a ").arg(out)),
            qPrintable(box->text()));
        uitest::buttonWithText(box, QStringLiteral("Cancel"))->click();
        QTRY_VERIFY(!window.findChild<QMessageBox *>(QStringLiteral("replaceBox")));
        QVERIFY(jobs.running().isEmpty());
        QCOMPARE(filesUnder(out), before);
        QCOMPARE(saved.count(), 0);

        // Replace: the quantized model is there.
        commands.quantize(target(m_dense), QStringLiteral("file://") + out, {});
        box = uitest::waitForChild<QMessageBox>(&window, QStringLiteral("replaceBox"));
        QVERIFY(box);
        uitest::buttonWithText(box, QStringLiteral("Replace"))->click();
        QVERIFY(saved.wait(10000));
        JobContext ctx;
        auto loaded = m_registry->load(QStringLiteral("file://") + out, ctx);
        QVERIFY(loaded);
        QCOMPARE(loaded->weightSpecs->size(), std::size_t(2));
        QCOMPARE(loaded->weightSpecs->at(0).quantization->dtype, QuantDType::UInt8);
    }

    void cancelLeavesNothing()
    {
        JobTracker jobs;
        QWidget window;
        ModelCommands commands(&jobs, &window);
        commands.setOptions({}, m_registry);
        const QString parent = path(QStringLiteral("cancelled"));
        QVERIFY(QDir().mkpath(parent));
        QSignalSpy finished(&jobs, &JobTracker::jobFinished);
        commands.quantize(target(m_large), QStringLiteral("file://%1/q").arg(parent), {});
        QCOMPARE(jobs.running().size(), qsizetype(1));
        jobs.running().front()->cancel(); // 64 MiB: cancelled long before it is written
        QVERIFY(finished.wait(20000));
        const auto error = finished.at(0).at(1).value<std::optional<Error>>();
        QVERIFY(error && error->isCancelled());
        QCOMPARE(QDir(parent).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
            QStringList());

        // A cancelled preview shows nothing.
        QuantizeDialog dialog(target(m_large), m_registry, &jobs, {});
        QSignalSpy previewFinished(&jobs, &JobTracker::jobFinished);
        dialog.startPreview();
        QVERIFY(dialog.isPreviewing());
        dialog.cancelButton()->click();
        QVERIFY(previewFinished.wait(20000));
        QTRY_VERIFY(!dialog.isPreviewing());
        QCOMPARE(dialog.totalsLabel()->text(), QStringLiteral("Preview cancelled."));
        QCOMPARE(dialog.tableModel()->rowCount(), 0);
    }
};

QTEST_MAIN(TestQuantizeDialog)
#include "tst_quantizedialog.moc"
