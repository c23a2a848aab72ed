#include "inspection.h"
#include "inspectorwidget.h"
#include "jobtracker.h"
#include "topologypage.h"
#include "weightspage.h"

#include "testmodels.h"

#include "handlers.h"
#include "job.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace tfjs;
using namespace tfjs::ui;

namespace {

Result<OpenedModel> open(const QString &path)
{
    JobContext ctx;
    return loadModel(makeDefaultRegistry(), ModelSource::fromUrl(path), ctx);
}

} // namespace

class TestInspection : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        uitest::writeDenseModel(m_dir.filePath(QStringLiteral("dense")));
        uitest::writeDenseModel(m_dir.filePath(QStringLiteral("nan")), QStringLiteral("model.json"),
                                QStringLiteral("weights.bin"), true);
        uitest::writeFile(m_dir.filePath(QStringLiteral("graph/model.json")),
                          R"({"format":"graph-model","modelTopology":{"node":[)"
                          R"({"name":"x","op":"Placeholder","attr":{"dtype":{"type":"DT_FLOAT"}}},)"
                          R"({"name":"w","op":"Const"},{"name":"m","op":"MatMul","input":["x","w"]},)"
                          R"({"name":"r","op":"Relu","input":["m"]},{"name":"y","op":"Relu","input":["r"]}]},)"
                          R"("weightsManifest":[{"paths":["w.bin"],"weights":[{"name":"w","shape":[2,2],"dtype":"float32"}]}]})");
        uitest::writeFile(m_dir.filePath(QStringLiteral("graph/w.bin")), uitest::floats({1, 0, 0, 1}));
        uitest::writeFile(m_dir.filePath(QStringLiteral("bare/manifest.json")),
                          R"([{"paths":["w.bin"],"weights":[{"name":"a/x","shape":[2],"dtype":"float32"},)"
                          R"({"name":"a/y","shape":[1],"dtype":"float32"},{"name":"b","shape":[1],"dtype":"float32"}]}])");
        uitest::writeFile(m_dir.filePath(QStringLiteral("bare/w.bin")), uitest::floats({1, 2, 3, 4}));
    }

    void layersTable()
    {
        auto model = open(m_dir.filePath(QStringLiteral("dense")));
        QVERIFY(model);
        JobContext ctx;
        auto tables = topologyTables(model->artifacts, ctx);
        QVERIFY(tables);
        QCOMPARE(tables->headers.front(), QStringLiteral("Layer"));
        QCOMPARE(tables->rows.size(), std::size_t(1));
        QCOMPARE(tables->rows[0][0].toString(), QStringLiteral("dense"));
        QCOMPARE(tables->rows[0][1].toString(), QStringLiteral("Dense"));
        QCOMPARE(tables->rows[0][2].toString(), QStringLiteral("[null,2]"));
        QCOMPARE(tables->rows[0][3].toLongLong(), 8);
        QCOMPARE(tables->total[3].toLongLong(), 8);
        QVERIFY2(tables->summary.startsWith(QStringLiteral("Sequential “seq”: 1 layer; 8 params (8 trainable, 0 non-trainable)")),
                 qPrintable(tables->summary));
    }

    void graphTable()
    {
        auto model = open(m_dir.filePath(QStringLiteral("graph")));
        QVERIFY(model);
        JobContext ctx;
        auto tables = topologyTables(model->artifacts, ctx);
        QVERIFY(tables);
        QCOMPARE(tables->headers, (QStringList{QStringLiteral("Op"), QStringLiteral("Nodes")}));
        // Most frequent op first.
        QCOMPARE(tables->rows[0][0].toString(), QStringLiteral("Relu"));
        QCOMPARE(tables->rows[0][1].toInt(), 2);
        QCOMPARE(tables->total[1].toInt(), 5);
        QVERIFY2(tables->summary.startsWith(QStringLiteral("GraphDef: 5 nodes, 4 op types")), qPrintable(tables->summary));
        QVERIFY(!tables->secondRows.empty());
        QCOMPARE(tables->secondRows[0][0].toString(), QStringLiteral("input"));
        QCOMPARE(tables->secondRows[0][2].toString(), QStringLiteral("x"));
    }

    void weightGroups()
    {
        auto model = open(m_dir.filePath(QStringLiteral("bare/manifest.json")));
        QVERIFY(model);
        JobContext ctx;
        auto tables = topologyTables(model->artifacts, ctx);
        QVERIFY(tables);
        QCOMPARE(tables->rows.size(), std::size_t(2));
        QCOMPARE(tables->rows[0][0].toString(), QStringLiteral("a"));
        QCOMPARE(tables->rows[0][1].toInt(), 2);
        QCOMPARE(tables->rows[0][2].toLongLong(), 3);
        QCOMPARE(tables->total[3].toLongLong(), 16);
    }

    void statistics()
    {
        auto model = open(m_dir.filePath(QStringLiteral("nan")));
        QVERIFY(model);
        JobContext ctx;
        std::map<int, TensorStatsRow> rows;
        QVERIFY(tensorStatistics(model->artifacts, ctx, [&](int index, TensorStatsRow stats) { rows[index] = std::move(stats); }));
        QCOMPARE(rows.size(), std::size_t(2));
        // kernel: 0.5, NaN, 2, 0, 3.5, -0.75
        const TensorStatsRow &kernel = rows[0];
        QCOMPARE(kernel.count, 6);
        QCOMPARE(kernel.finite, 5);
        QCOMPARE(kernel.nans, 1);
        QCOMPARE(kernel.zeros, 1);
        QCOMPARE(kernel.min, -0.75);
        QCOMPARE(kernel.max, 3.5);
        QCOMPARE(kernel.mean, 1.05);
        QCOMPARE(qint64(kernel.histogram.size()), qint64(kHistogramBins));
        qint64 inBins = 0;
        for (const qint64 count : kernel.histogram)
            inBins += count;
        QCOMPARE(inBins, 5);
        // bias: 0, 0: all zero
        QVERIFY(rows[1].allZero());
        QCOMPARE(TensorTableModel::warningText(kernel), QStringLiteral("1 NaN"));
        ctx.cancel();
        auto cancelled = tensorStatistics(model->artifacts, ctx, [](int, TensorStatsRow) {});
        QVERIFY(!cancelled);
        QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
    }

    void inspectorShowsWarningsAndTopology()
    {
        auto model = open(m_dir.filePath(QStringLiteral("nan")));
        QVERIFY(model);
        JobTracker jobs;
        InspectorWidget inspector(&jobs);
        inspector.show();
        QSignalSpy stats(&inspector, &InspectorWidget::statisticsFinished);
        QSignalSpy topology(&inspector, &InspectorWidget::topologyFinished);
        inspector.setModel(std::make_shared<const OpenedModel>(std::move(*model)));
        QVERIFY(stats.wait(10000));
        QVERIFY(stats.front().front().toBool());
        QTRY_VERIFY(!topology.isEmpty());
        QCOMPARE(inspector.topologyPage()->tableModel()->rowCount(), 2); // the layer and the total
        QLabel *warning = inspector.weightsPage()->warningLabel();
        QVERIFY(!warning->isHidden());
        QCOMPARE(warning->text(), QStringLiteral("⚠ 1 tensor contains NaN; 1 tensor is all zero. Tick “Only with warnings” to list them."));

        // A new model drops what the old one's jobs still deliver.
        auto dense = open(m_dir.filePath(QStringLiteral("dense")));
        QVERIFY(dense);
        stats.clear();
        inspector.setModel(std::make_shared<const OpenedModel>(std::move(*dense)));
        QVERIFY(stats.wait(10000));
        QCOMPARE(inspector.weightsPage()->warningLabel()->text(), QStringLiteral("⚠ 1 tensor is all zero. Tick “Only with warnings” to list them."));
        QCOMPARE(inspector.weightsPage()->tableModel()->warnings().nanTensors, 0);
    }
};

QTEST_MAIN(TestInspection)
#include "tst_inspection.moc"
