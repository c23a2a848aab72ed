#include "tableexport.h"

#include "inspection.h"
#include "inspectorwidget.h"
#include "jobtracker.h"
#include "topologypage.h"
#include "weightspage.h"

#include "testmodels.h"

#include "schemes/schemes.h"
#include "base/job.h"

#include <QAction>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QLocale>
#include <QMenu>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using namespace tfjs;
using namespace tfjs::ui;

namespace {

Json parsed(const QByteArray &bytes)
{
    auto json = parseJson(
        std::string_view(bytes.constData(), std::size_t(bytes.size())), QStringLiteral("test"));
    return json ? *json : Json();
}

// What `tfjs-model ARGS` prints on stdout.
QByteArray cliOutput(const QStringList &args)
{
    QProcess process;
    process.start(QStringLiteral(TFJS_BIN_DIR "/tfjs-model"), args);
    if (!process.waitForFinished(60000) || process.exitCode() != 0)
        return {};
    return process.readAllStandardOutput();
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestTableExport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

    // An inspector showing the dense model with its statistics and topology done.
    std::unique_ptr<InspectorWidget> inspect(JobTracker &jobs, const QString &url)
    {
        JobContext ctx;
        auto model = loadModel(makeDefaultRegistry(), ModelSource::fromUrl(url), ctx);
        if (!model)
            return {};
        auto inspector = std::make_unique<InspectorWidget>(&jobs);
        QSignalSpy stats(inspector.get(), &InspectorWidget::statisticsFinished);
        QSignalSpy topology(inspector.get(), &InspectorWidget::topologyFinished);
        inspector->setModel(std::make_shared<const OpenedModel>(std::move(*model)));
        if (!stats.wait(10000) || !(topology.size() > 0 || topology.wait(10000)))
            return {};
        return inspector;
    }

    // Exports the exporter's JSON to `file`: it must be the document `tfjs-model ARGS` prints.
    static void checkJsonAsCliPrints(TableExporter *exporter, const QString &file,
        const QStringList &args, const std::string &schema)
    {
        QSignalSpy exported(exporter, &TableExporter::exported);
        exporter->exportJson(file);
        QVERIFY(exported.wait(10000));
        QCOMPARE(exported.front()[1].toString(), QString());
        const Json mine = parsed(fileBytes(file));
        const Json cli = parsed(cliOutput(args));
        QVERIFY(!cli.is_null());
        QCOMPARE(mine["schema"].get<std::string>(), schema);
        QVERIFY2(mine == cli, mine.dump().c_str());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        uitest::writeDenseModel(path(QStringLiteral("dense")), QStringLiteral("model.json"),
            QStringLiteral("weights.bin"), true);
    }

    void tableTextQuotesAndKeepsPrecision()
    {
        QStandardItemModel model(2, 3);
        model.setHorizontalHeaderLabels(
            { QStringLiteral("Name"), QStringLiteral("Min, finite"), QStringLiteral("Count") });
        model.setData(model.index(0, 0), QStringLiteral("a \"quoted\"\tname"));
        model.setData(model.index(0, 1), 1.0 / 3.0);
        model.setData(model.index(0, 2), qint64(1234567));
        model.setData(model.index(1, 0), QStringLiteral("two\nlines"));
        model.setData(model.index(1, 1), -std::numeric_limits<double>::infinity());
        model.setData(model.index(1, 2), std::numeric_limits<double>::quiet_NaN());
        QCOMPARE(tableText(model, { 0, 1 }, Qt::DisplayRole, TableTextFormat::Csv),
            QStringLiteral("Name,\"Min, finite\",Count\r\n"
                           "\"a \"\"quoted\"\"\tname\",0.3333333333333333,1234567\r\n"
                           "\"two\nlines\",-Inf,NaN\r\n"));
        QCOMPARE(tableText(model, { 1 }, Qt::DisplayRole, TableTextFormat::Tsv),
            QStringLiteral("Name\tMin, finite\tCount\n"
                           "two lines\t-Inf\tNaN\n"));
    }

    void weightsCopyAndExport()
    {
        JobTracker jobs;
        const QString url = path(QStringLiteral("dense"));
        auto inspector = inspect(jobs, url);
        QVERIFY(inspector);
        TableExporter *exporter = inspector->weightsExporter();
        QTableView *table = inspector->weightsPage()->table();

        // The context menu offers the three actions.
        std::unique_ptr<QMenu> menu(exporter->createMenu(nullptr));
        QStringList names;
        for (QAction *action : menu->actions()) {
            if (!action->isSeparator()) {
                names << action->objectName();
                QVERIFY2(action->isEnabled(), qPrintable(action->objectName()));
            }
        }
        QCOMPARE(names,
            (QStringList { QStringLiteral("copyRows"), QStringLiteral("exportCsv"),
                QStringLiteral("exportJson") }));

        // Copy: the selected rows, tab-separated, with the header.
        table->selectAll();
        exporter->copySelection();
        const QString copied = QGuiApplication::clipboard()->text();
        const QStringList lines = copied.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0],
            QStringLiteral("Name\tDType\tShape\tElements\tMin\tMax\tMean\tStd\tZeros\tNaN\t+Inf\t-"
                           "Inf\tBytes"));
        // kernel: 0.5, NaN, 2, 0, 3.5, -0.75: the mean unrounded (1.05), not "1.05" by chance of
        // display.
        QCOMPARE(lines[1],
            QStringLiteral("dense/kernel\tfloat32\t[3, 2]\t6\t-0.75\t3.5\t1.05\t%1\t1\t1\t0\t0\t24")
                .arg(QString::number(inspector->weightsPage()->tableModel()->stats(0)->std, 'g',
                    QLocale::FloatingPointShortest)));

        // CSV: every row the view shows.
        QSignalSpy exported(exporter, &TableExporter::exported);
        QDir().mkpath(path(QStringLiteral("out")));
        exporter->exportCsv(path(QStringLiteral("out/w.csv")));
        QVERIFY(exported.wait(10000));
        QCOMPARE(exported.front()[1].toString(), QString());
        QCOMPARE(QString::fromUtf8(fileBytes(path(QStringLiteral("out/w.csv")))),
            tableText(
                *table->model(), { 0, 1 }, TensorTableModel::ExportRole, TableTextFormat::Csv));

        // JSON: what `tfjs-model stats --json` prints for the same model.
        checkJsonAsCliPrints(exporter, path(QStringLiteral("out/w.json")),
            { QStringLiteral("stats"), QStringLiteral("--json"), QStringLiteral("--bins"),
                QString::number(kHistogramBins), url },
            "tfjs-model/stats/1");
    }

    void topologyExportIsTheSummaryJson()
    {
        JobTracker jobs;
        const QString url = path(QStringLiteral("dense"));
        auto inspector = inspect(jobs, url);
        QVERIFY(inspector);
        TableExporter *exporter = inspector->topologyExporter();
        checkJsonAsCliPrints(exporter, path(QStringLiteral("t.json")),
            { QStringLiteral("summary"), QStringLiteral("--json"), url }, "tfjs-model/summary/1");
        if (QTest::currentTestFailed())
            return;
        // CSV of the layer table, with its total row.
        QSignalSpy exported(exporter, &TableExporter::exported);
        exporter->exportCsv(path(QStringLiteral("t.csv")));
        QVERIFY(exported.wait(10000));
        QCOMPARE(QString::fromUtf8(fileBytes(path(QStringLiteral("t.csv")))),
            QStringLiteral("Layer,Class,Output shape,Params,Non-trainable,Trainable,Inputs from\r\n"
                           "dense,Dense,\"[null,2]\",8,0,yes,\r\n"
                           "Total,,,8,0,,\r\n"));
    }

    void exportErrorsNameTheFile()
    {
        JobTracker jobs;
        auto inspector = inspect(jobs, path(QStringLiteral("dense")));
        QVERIFY(inspector);
        TableExporter *exporter = inspector->weightsExporter();
        QSignalSpy exported(exporter, &TableExporter::exported);
        const QString target = path(QStringLiteral("missing/dir/w.json"));
        exporter->exportJson(target);
        QVERIFY(exported.wait(10000));
        const QString error = exported.front()[1].toString();
        QVERIFY2(
            error.startsWith(QStringLiteral("Cannot write %1: ").arg(target)), qPrintable(error));
        QVERIFY(!QFile::exists(target));
    }

    void jsonExportWaitsForTheStatistics()
    {
        JobTracker jobs;
        InspectorWidget inspector(&jobs);
        std::unique_ptr<QMenu> menu(inspector.weightsExporter()->createMenu(nullptr));
        QAction *json = menu->findChild<QAction *>(QStringLiteral("exportJson"));
        QVERIFY(json);
        QVERIFY(!json->isEnabled());
    }
};

QTEST_MAIN(TestTableExport)
#include "tst_tableexport.moc"
